"""Figures of what is said and who amplifies it: top items, volume with peaks, coordination."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from .._docs import fill_doc
from ._palette import ACTOR_COLORS

__all__ = ["top_items_bars", "volume_timeline", "coordination_graph"]


@fill_doc
def top_items_bars(table: pd.DataFrame, *, item_type: str = "hashtag", value: str = "z",
                   groups=None, n: int = 10, ncols: int = 3, figsize=None):
    """Horizontal bar charts of the top items, one panel per group.

    Parameters
    ----------
    table : DataFrame
        The result of :func:`kopiresearch.text.top_items`.
    item_type : str
        Which item type to draw (``"hashtag"``, ``"word"``, ``"bigram"``, ...).
    value : {"z", "count", "share"}
        Bar length; the panel lists items in the table's rank order.
    groups : sequence, optional
        Groups to draw, in order (default: all, sorted).
    n : int
        Items per panel.
    ncols : int
        Panels per row.
    figsize : tuple, optional

    {{returns_figure}}

    Examples
    --------
    >>> t = pd.DataFrame({"group": ["a", "a", "b"], "item_type": "word", "rank": [1, 2, 1],
    ...                   "item": ["banjir", "jalan", "vaksin"], "count": [5, 3, 4],
    ...                   "share": [0.5, 0.3, 0.4], "delta": [1.0, 0.5, 1.2],
    ...                   "z": [2.0, 1.0, 2.5]})
    >>> fig = top_items_bars(t, item_type="word")
    >>> [ax.get_title() for ax in fig.axes if ax.get_visible()]
    ['a', 'b']
    """
    sub = table[table["item_type"] == item_type]
    groups = sorted(sub["group"].unique()) if groups is None else list(groups)
    ncols = max(1, min(ncols, len(groups)))
    nrows = max(1, math.ceil(len(groups) / ncols))
    fig, axes = plt.subplots(nrows, ncols, squeeze=False,
                             figsize=figsize or (4.2 * ncols, 0.3 * n * nrows + 1.2 * nrows))
    for ax in axes.ravel()[len(groups):]:
        ax.set_visible(False)
    for ax, g in zip(axes.ravel(), groups):
        rows = sub[sub["group"] == g].sort_values("rank").head(n)
        color = ACTOR_COLORS.get(str(g), "tab:blue")
        ax.barh(np.arange(len(rows)), rows[value].to_numpy(dtype=float), color=color,
                edgecolor="black", linewidth=0.4)
        ax.set_yticks(np.arange(len(rows)), rows["item"].tolist(), fontsize=8)
        ax.invert_yaxis()
        ax.set_title(str(g), fontsize=10)
        ax.set_xlabel({"z": "log-odds z-score", "count": "count",
                       "share": "share of the group's items"}.get(value, value), fontsize=8)
    fig.tight_layout()
    return fig


@fill_doc
def volume_timeline(counts: pd.DataFrame, peaks: pd.DataFrame | None = None, ax=None, *,
                    series=None, event=None, event_label: str = "Kopilaborasi"):
    """Volume over time (WIB) with detected peaks marked.

    Parameters
    ----------
    counts : DataFrame
        ``kopiresearch.text.volume(...).counts``.
    peaks : DataFrame, optional
        ``kopiresearch.text.detect_peaks(counts)``: each peak's span is shaded and its top
        bin marked.
    ax : matplotlib.axes.Axes, optional
    series : sequence, optional
        Columns to draw (default: all).
    event : timestamp-like, optional
        A vertical line (e.g. the Kopilaborasi meeting), drawn in WIB.
    event_label : str

    {{returns_axes}}

    Examples
    --------
    >>> idx = pd.date_range("2024-10-01", periods=12, freq="D", tz="Asia/Jakarta")
    >>> c = pd.DataFrame({"#banjir": [3, 4, 4, 3, 5, 4, 3, 30, 25, 4, 3, 4]}, index=idx)
    >>> p = pd.DataFrame({"series": ["#banjir"], "start": [idx[7]], "end": [idx[8]],
    ...                   "peak": [idx[7]], "peak_count": [30]})
    >>> ax = volume_timeline(c, p)
    >>> len(ax.lines), len(ax.patches)  # the series and its peak marker; the shaded span
    (2, 1)
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.5))
    cols = list(counts.columns) if series is None else list(series)
    width = (counts.index[1] - counts.index[0]) if len(counts.index) > 1 else pd.Timedelta("1D")
    for col in cols:
        line, = ax.plot(counts.index, counts[col].to_numpy(), label=str(col), lw=1.2)
        if peaks is not None and len(peaks):
            mine = peaks[peaks["series"] == col]
            for row in mine.itertuples(index=False):
                ax.axvspan(row.start, row.end + width, color=line.get_color(), alpha=0.15, lw=0)
                ax.plot([row.peak], [row.peak_count], marker="v", color=line.get_color(),
                        markersize=7, linestyle="none")
    if event is not None:
        t = pd.Timestamp(event)
        t = t.tz_convert("Asia/Jakarta") if t.tz is not None else t.tz_localize("Asia/Jakarta")
        ax.axvline(t, color="black", lw=1, ls="--")
        ax.annotate(event_label, (t, 1), xycoords=("data", "axes fraction"), xytext=(3, -12),
                    textcoords="offset points", fontsize=8)
    ax.set_ylabel(f"posts per {_freq_label(width)}")
    ax.set_xlabel("time (WIB)")
    if len(cols) > 1:
        from ._style import place_legend

        place_legend(ax, fontsize=8, frameon=False, outside="below")
    return ax


def _freq_label(width):
    hours = width / pd.Timedelta("1h")
    return {1: "hour", 24: "day", 168: "week"}.get(int(round(hours)), str(width))


@fill_doc
def coordination_graph(G: nx.Graph, ax=None, *, seed: int = 1, label: bool = True,
                       color_by: str = "actor_type"):
    """Draw a coordination graph: accounts coloured by actor type, edge width by co-actions.

    Parameters
    ----------
    G : networkx.Graph
        ``kopiresearch.coordination.coordination(...).graph``.
    ax : matplotlib.axes.Axes, optional
    seed : int
        Seed of the spring layout.
    label : bool
        Write the handles (only for graphs of at most 40 nodes).
    color_by : str
        Node attribute for the colour.

    {{returns_axes}}

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_edge("a", "b", weight=5); G.add_edge("b", "c", weight=2)
    >>> nx.set_node_attributes(G, "citizen", "actor_type")
    >>> ax = coordination_graph(G)
    >>> len(ax.collections) >= 2
    True
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 6))
    ax.set_axis_off()
    if G.number_of_nodes() == 0:
        ax.text(0.5, 0.5, "no coordinated pairs", ha="center", va="center",
                transform=ax.transAxes)
        return ax
    nodes = sorted(G.nodes)
    pos = nx.spring_layout(G.subgraph(nodes), seed=seed, weight="weight")
    w = np.array([G.edges[e].get("weight", 1) for e in G.edges], dtype=float)
    widths = 0.5 + 3.0 * w / w.max() if len(w) else []
    nx.draw_networkx_edges(G, pos, ax=ax, width=widths, alpha=0.4)
    colors = [ACTOR_COLORS.get(str(G.nodes[v].get(color_by)), "#bdbdbd") for v in nodes]
    nx.draw_networkx_nodes(G, pos, nodelist=nodes, node_color=colors, ax=ax, node_size=120,
                           edgecolors="black", linewidths=0.5)
    if label and G.number_of_nodes() <= 40:
        labels = {v: G.nodes[v].get("handle") or v for v in nodes}
        nx.draw_networkx_labels(G, pos, labels=labels, ax=ax, font_size=7)
    return ax
