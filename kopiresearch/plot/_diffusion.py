"""Figures for simulated diffusion and seed selection (see kopiresearch.plot)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["spread_over_time", "region_reach_map", "strategy_comparison"]


def spread_over_time(results, ax=None, *, cumulative=True, colors=None):
    """Mean number of active accounts per time step, one line per simulation.

    Parameters
    ----------
    results : mapping of str to SpreadResult
        Label -> result of :func:`kopiresearch.diffusion.simulate`.
    ax : matplotlib.axes.Axes, optional
    cumulative : bool
        Plot the mean number active by each step (default) or newly active at each step.
    colors : mapping of str to color, optional

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import networkx as nx
    >>> from kopiresearch.diffusion import simulate
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> res = simulate(G, ["a"], p=0.5, direction="flow", runs=100, seed=1, progress=False)
    >>> ax = spread_over_time({"a": res})
    >>> len(ax.lines)
    1
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4))
    col = "cumulative" if cumulative else "new"
    for label, res in results.items():
        y = res.over_time[col]
        ax.plot(y.index, y.to_numpy(), marker="o", ms=3, label=label,
                color=None if colors is None else colors.get(label))
    ax.set_xlabel("time step (0 = seeds)")
    ax.set_ylabel("mean accounts active" if cumulative else "mean accounts newly active")
    ax.legend(frameon=False, fontsize="small")
    return ax


def region_reach_map(result, ax=None, *, column="share_reached", label=None, **kwargs):
    """East Java map of one simulation's reach per kabupaten/kota.

    Parameters
    ----------
    result : SpreadResult
        From :func:`kopiresearch.diffusion.simulate` on a graph whose nodes carry
        ``region_code``; the province-wide code ``"35"`` and unknown regions are left out.
    ax : matplotlib.axes.Axes, optional
    column : {"share_reached", "p_reached"}
        What to shade.
    label : str, optional
        Colour bar label (default: the column name).
    **kwargs
        Passed to :func:`kopiresearch.plot.choropleth` (``cmap``, ``vmin``, ``vmax``, ...).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import networkx as nx
    >>> from kopiresearch.diffusion import simulate
    >>> G = nx.DiGraph([("a", "b")])
    >>> nx.set_node_attributes(G, {"a": "3578", "b": "3507"}, "region_code")
    >>> res = simulate(G, ["a"], p=0.5, direction="flow", runs=100, seed=1, progress=False)
    >>> ax = region_reach_map(res, colorbar=False)
    """
    from ._maps import choropleth

    reach = result.region_reach
    keep = [c for c in reach.index if isinstance(c, str) and len(c) == 4 and c.isdigit()]
    values = pd.Series(reach.loc[keep, column].to_numpy(dtype=float), index=keep)
    return choropleth(values, ax=ax, label=label or column.replace("_", " "), **kwargs)


def strategy_comparison(table, column, ax=None, *, baseline=None, color="tab:blue"):
    """Horizontal bars of one measure per seeding strategy, best at the top.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per strategy (index: strategy name).
    column : str
        Measure to show.
    ax : matplotlib.axes.Axes, optional
    baseline : str, optional
        Row drawn as a dashed reference line instead of a bar (e.g. "offices alone").

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"spread": [10.0, 12.0, 8.0]}, index=["a", "b", "none"])
    >>> ax = strategy_comparison(t, "spread", baseline="none")
    >>> [tick.get_text() for tick in ax.get_yticklabels()]
    ['a', 'b']
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.4 * len(table) + 1))
    rows = table.drop(index=[baseline]) if baseline is not None else table
    rows = rows.sort_values(column)
    y = np.arange(len(rows))
    ax.barh(y, rows[column].to_numpy(dtype=float), color=color)
    ax.set_yticks(y, list(rows.index))
    if baseline is not None:
        ax.axvline(float(table.loc[baseline, column]), color="black", ls="--", lw=1,
                   label=str(baseline))
        ax.legend(frameon=False, fontsize="small", loc="lower right")
    ax.set_xlabel(column)
    return ax
