"""Figures of the two-way communication, brokerage, community and mixing measures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from ..errors import KopiresearchError
from ._base import draw_network

__all__ = ["plot_responsiveness", "plot_response_curves", "plot_mixing_matrix",
           "plot_communities", "plot_brokerage"]

_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")
_ROLE_COLORS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")


def plot_responsiveness(table: pd.DataFrame, ax=None, *, label="handle",
                        time="km_conditional_median_hours", truth=None, top=None):
    """Reply rate and response time of each office as a scatter plot.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`kopiresearch.metrics.responsiveness` (one row per office).
    ax : matplotlib.axes.Axes, optional
    label : str, default "handle"
        Column used to label the ``top`` offices with most addressed posts.
    time : str, default "km_conditional_median_hours"
        Column plotted on the (log) y axis.
    truth : pandas.DataFrame, optional
        Planted values (``reply_prob``, ``median_delay_hours``) by office, drawn as open
        circles joined to the estimates.
    top : int, optional
        Label this many offices (by addressed posts); none by default.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"handle": ["a", "b"], "addressed": [10, 20],
    ...                   "km_reply_rate": [0.5, 0.9], "km_conditional_median_hours": [2, 20]})
    >>> ax = plot_responsiveness(t)
    >>> ax.get_yscale()
    'log'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 5))
    rate = "km_reply_rate" if "km_reply_rate" in table else "reply_rate"
    t = table[table["addressed"] > 0]
    size = 10 + 3 * t["addressed"].to_numpy(float)
    if truth is not None:
        j = t.join(truth, how="inner")
        for _, row in j.iterrows():
            ax.plot([row["reply_prob"], row[rate]], [row["median_delay_hours"], row[time]],
                    color="#999999", lw=0.6, zorder=1)
        ax.scatter(j["reply_prob"], j["median_delay_hours"], s=25, facecolors="none",
                   edgecolors="black", lw=0.8, label="planted", zorder=2)
    ax.scatter(t[rate], t[time], s=size, c="#ef8a62", edgecolors="black", lw=0.4,
               label="estimated (size = posts addressed)", zorder=3)
    if top:
        for _, row in t.nlargest(int(top), "addressed").iterrows():
            ax.annotate(str(row[label]), (row[rate], row[time]), fontsize=7,
                        xytext=(3, 3), textcoords="offset points")
    ax.set_yscale("log")
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of citizen posts answered (Kaplan-Meier)")
    ax.set_ylabel("median hours to answer (answered posts)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return ax


def plot_response_curves(curves: pd.DataFrame, ax=None, *, by="office_id", labels=None,
                         max_hours=None, ci=True):
    """Kaplan-Meier curves: share of posts still unanswered against hours since posting.

    Parameters
    ----------
    curves : pandas.DataFrame
        :func:`kopiresearch.metrics.response_curve` output.
    ax : matplotlib.axes.Axes, optional
    by : str or None, default "office_id"
        Column identifying the curves (``None`` for a single curve).
    labels : mapping, optional
        Curve key -> legend label (e.g. office id -> handle).
    max_hours : float, optional
        Right end of the x axis.
    ci : bool, default True
        Shade the confidence band when the curves have ``ci_low``/``ci_high``.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"time_hours": [0, 1, 2], "survival": [1, 0.5, 0.4]})
    >>> ax = plot_response_curves(c, by=None)
    >>> bool(ax.get_ylim()[1] >= 1)
    True
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4.5))
    groups = [(None, curves)] if by is None else curves.groupby(by, sort=True)
    for key, sub in groups:
        name = (labels or {}).get(key, key) if key is not None else "all posts"
        line, = ax.step(sub["time_hours"], sub["survival"], where="post", label=str(name),
                        lw=1.3)
        if ci and {"ci_low", "ci_high"} <= set(sub.columns):
            ax.fill_between(sub["time_hours"], sub["ci_low"], sub["ci_high"], step="post",
                            alpha=0.15, color=line.get_color(), lw=0)
    ax.set_ylim(0, 1.02)
    if max_hours is not None:
        ax.set_xlim(0, max_hours)
    ax.set_xlabel("hours since the citizen post")
    ax.set_ylabel("share still unanswered, S(t)")
    ax.legend(fontsize=7, frameon=False, loc="upper right")
    return ax


def plot_mixing_matrix(matrix: pd.DataFrame, ax=None, *, normalize="row", cmap="Blues",
                       annotate=True, fmt=".2f"):
    """Heat map of a mixing matrix (source group in rows, target group in columns).

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`kopiresearch.metrics.mixing_matrix` output.
    ax : matplotlib.axes.Axes, optional
    normalize : {"row", "all", None}, default "row"
        Show row shares (where each group's acts go), shares of all edges, or counts.
    cmap : str
    annotate : bool, default True
        Write the value in each cell.
    fmt : str
        Format of the annotations.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> m = pd.DataFrame([[1, 3], [2, 0]], index=["a", "b"], columns=["a", "b"])
    >>> ax = plot_mixing_matrix(m)
    >>> [t.get_text() for t in ax.texts]
    ['0.25', '0.75', '1.00', '0.00']
    """
    if normalize not in ("row", "all", None):
        raise KopiresearchError(f"normalize must be 'row', 'all' or None, not {normalize!r}")
    M = matrix.astype(float)
    if normalize == "row":
        M = M.div(M.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    elif normalize == "all":
        M = M / max(M.to_numpy().sum(), 1e-300)
    if ax is None:
        size = max(4.0, 0.45 * len(M) + 2)
        _, ax = plt.subplots(figsize=(size + 1, size))
    im = ax.imshow(M.to_numpy(), cmap=cmap, aspect="auto")
    ax.set_xticks(range(M.shape[1]), [str(c) for c in M.columns], rotation=45, ha="right",
                  fontsize=8)
    ax.set_yticks(range(M.shape[0]), [str(i) for i in M.index], fontsize=8)
    ax.set_xlabel(f"target ({M.columns.name or 'group'})")
    ax.set_ylabel(f"source ({M.index.name or 'group'})")
    if annotate:
        vmax = M.to_numpy().max() if M.size else 0
        for i in range(M.shape[0]):
            for j in range(M.shape[1]):
                v = M.iat[i, j]
                ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize=7,
                        color="white" if vmax and v > 0.6 * vmax else "black")
    ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    return ax


def plot_communities(G: nx.Graph, partition, ax=None, *, n_show: int = 8, seed: int = 1,
                     max_nodes: int | None = 600):
    """The network drawn with a seeded spring layout, nodes coloured by community.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    partition : pandas.Series or mapping
        Node -> community number (:func:`kopiresearch.metrics.communities`; 0 = largest).
    ax : matplotlib.axes.Axes, optional
    n_show : int, default 8
        Colour the ``n_show`` largest communities; the others are grey.
    seed : int, default 1
        Seed of the layout (same seed, same picture).
    max_nodes : int, optional
        Draw only the nodes of highest weighted degree.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 0)
    >>> ax = plot_communities(G, {n: int(n >= 4) for n in G}, seed=1)
    >>> len(ax.collections) >= 2
    True
    """
    part = pd.Series(partition)
    colors = plt.get_cmap("tab10").colors
    palette = {f"community {i}": colors[i % 10] for i in range(n_show)}
    palette["other"] = "#d9d9d9"
    H = G.subgraph(list(G)).copy()
    for n in H:
        c = part.get(n)
        H.nodes[n]["_community"] = (f"community {int(c)}" if c is not None and not pd.isna(c)
                                    and int(c) < n_show else "other")
    return draw_network(H, ax=ax, color_by="_community", seed=seed, palette=palette,
                        max_nodes=max_nodes, size_by="degree")


def plot_brokerage(summary: pd.DataFrame, ax=None, *, value="ratio", groups=None):
    """Brokerage roles by group as grouped bars (observed/expected, or counts).

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`kopiresearch.metrics.brokerage_summary` output (index ``(group, role)``).
    ax : matplotlib.axes.Axes, optional
    value : {"ratio", "observed", "expected"}, default "ratio"
        What the bars show; for ``"ratio"`` a line marks 1 (as many as expected).
    groups : list, optional
        Groups to show, in this order (default: all, sorted).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.MultiIndex.from_product([["g", "c"], ["coordinator", "liaison"]],
    ...                                  names=["group", "role"])
    >>> s = pd.DataFrame({"observed": [1, 2, 3, 4]}, index=idx)
    >>> ax = plot_brokerage(s, value="observed")
    >>> len(ax.patches)
    4
    """
    if value not in summary.columns:
        raise KopiresearchError(f"value={value!r} is not a column of the summary")
    wide = summary[value].unstack("role")
    roles = [r for r in _ROLES if r in wide.columns]
    wide = wide[roles]
    if groups is not None:
        wide = wide.reindex(groups)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6, 1.2 * len(wide)), 4))
    x = np.arange(len(wide))
    width = 0.8 / max(len(roles), 1)
    for i, role in enumerate(roles):
        ax.bar(x + (i - (len(roles) - 1) / 2) * width, wide[role].fillna(0).to_numpy(),
               width, label=role, color=_ROLE_COLORS[_ROLES.index(role)])
    ax.set_xticks(x, [str(g) for g in wide.index], rotation=30, ha="right")
    if value == "ratio":
        ax.axhline(1.0, color="black", lw=0.8, ls="--")
        ax.set_ylabel("observed / expected under random relabelling")
    else:
        ax.set_ylabel(f"{value} brokered pairs")
    ax.legend(fontsize=8, frameon=False)
    return ax
