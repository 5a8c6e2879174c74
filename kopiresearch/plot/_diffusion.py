"""Figures for simulated diffusion and seed selection (see kopiresearch.plot)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .._docs import fill_doc
from ..errors import KopiresearchError
from ..regions import only_kabkota
from ._palette import DIVERGING_CMAP

__all__ = ["spread_over_time", "region_reach_map", "region_reach_difference_map",
           "strategy_comparison"]


@fill_doc
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

    {{returns_axes}}

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
    from ._style import place_legend

    place_legend(ax, frameon=False, fontsize="small")
    return ax


@fill_doc
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

    {{returns_axes}}

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

    return choropleth(_kabkota(result, column), ax=ax, label=label or column.replace("_", " "),
                      **kwargs)


def _kabkota(result, column):
    """``column`` of ``result.region_reach`` for the kabupaten/kota only
    (:func:`kopiresearch.regions.only_kabkota`), as floats: what the reach maps shade."""
    reach = only_kabkota(result.region_reach)[column]
    return pd.Series(reach.to_numpy(dtype=float), index=reach.index.astype(str))


@fill_doc
def region_reach_difference_map(result, baseline, ax=None, *, column="share_reached",
                                label=None, cmap=DIVERGING_CMAP, **kwargs):
    """Map of the difference in reach per kabupaten/kota between a strategy and a baseline.

    Two reach maps side by side can look the same when the gain is a few points per
    region; this map shows ``result - baseline`` on a diverging scale centred on 0.

    Parameters
    ----------
    result, baseline : SpreadResult
        From :func:`kopiresearch.diffusion.simulate` (same graph).
    ax : matplotlib.axes.Axes, optional
    column : {"share_reached", "p_reached"}
    label : str, optional
        Colour bar label (default "difference in share reached (points)").
    cmap : str
        Diverging, colour-blind safe (blue: less than the baseline, red: more).
    **kwargs
        Passed to :func:`kopiresearch.plot.choropleth`.

    {{returns_axes}}

    Examples
    --------
    >>> import networkx as nx
    >>> from kopiresearch.diffusion import simulate
    >>> G = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> nx.set_node_attributes(G, {"a": "3578", "b": "3507", "c": "3507"}, "region_code")
    >>> base = simulate(G, ["a"], p=0.5, direction="flow", runs=50, seed=1, progress=False)
    >>> more = simulate(G, ["a", "c"], p=0.5, direction="flow", runs=50, seed=1,
    ...                 progress=False)
    >>> ax = region_reach_difference_map(more, base, colorbar=False)
    """
    from ._maps import choropleth

    diff = (_kabkota(result, column) - _kabkota(baseline, column)) * 100
    return choropleth(diff, ax=ax, cmap=cmap, center=0.0,
                      label=label or f"difference in {column.replace('_', ' ')} "
                                     "(percentage points)", **kwargs)


def strategy_comparison(table, column, ax=None, *, baseline=None, color="#0072B2",
                        low=None, high=None, xlabel=None):
    """Horizontal bars of one measure per seeding strategy, best at the top, with the
    Monte-Carlo interval of each bar.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per strategy (index: strategy name), e.g.
        :func:`kopiresearch.seeding.evaluate_seeds`.
    column : str
        Measure to show.
    ax : matplotlib.axes.Axes, optional
    baseline : str, optional
        Row drawn as a dashed reference line (with its interval shaded), named above the
        axes, instead of a bar (e.g. "offices alone").
    low, high : str, optional
        Columns of the interval's ends (default ``f"{column}_low"`` and
        ``f"{column}_high"`` when the table has them; none drawn otherwise).
    xlabel : str, optional
        Axis label (default: ``column``, with "interval" noted when drawn).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.containers[0]`` is the bar container; error bars are ``ax.containers[1]``.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"spread": [10.0, 12.0, 8.0], "spread_low": [9.0, 11.0, 7.5],
    ...                   "spread_high": [11.0, 13.0, 8.5]}, index=["a", "b", "none"])
    >>> ax = strategy_comparison(t, "spread", baseline="none")
    >>> [tick.get_text() for tick in ax.get_yticklabels()]
    ['a', 'b']
    >>> len(ax.containers)  # the bars and their error bars
    2
    """
    if column not in table.columns:
        raise KopiresearchError(f"column {column!r} is not in the table")
    low = low if low is not None else (f"{column}_low" if f"{column}_low" in table else None)
    high = high if high is not None else (f"{column}_high" if f"{column}_high" in table
                                          else None)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 0.4 * len(table) + 1))
    rows = table.drop(index=[baseline]) if baseline is not None else table
    rows = rows.sort_values(column)
    y = np.arange(len(rows))
    v = rows[column].to_numpy(dtype=float)
    ax.barh(y, v, color=color)
    if low is not None and high is not None:
        err = np.vstack([v - rows[low].to_numpy(dtype=float),
                         rows[high].to_numpy(dtype=float) - v])
        ax.errorbar(v, y, xerr=np.clip(err, 0, None), fmt="none", ecolor="black",
                    elinewidth=1.0, capsize=3)
    ax.set_yticks(y, list(rows.index))
    if baseline is not None:
        ref = float(table.loc[baseline, column])
        ax.axvline(ref, color="black", ls="--", lw=1, label=f"{baseline}")
        if low is not None and high is not None:
            ax.axvspan(float(table.loc[baseline, low]), float(table.loc[baseline, high]),
                       color="black", alpha=0.12, lw=0)
        ax.annotate(f"{baseline}", (ref, 1.0), xycoords=("data", "axes fraction"),
                    xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                    fontsize="small")
    interval = " (error bars: Monte-Carlo interval)" if low is not None and high is not None else ""
    ax.set_xlabel((xlabel or column) + interval)
    return ax
