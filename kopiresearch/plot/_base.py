"""Shared figure helpers: the actor-type palette, the network picture, activity over time."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from ..corpus import ACTOR_TYPES

__all__ = ["ACTOR_COLORS", "draw_network", "activity_over_time"]

#: One colour per actor type, used by every figure of the package.
ACTOR_COLORS = {
    "government_province": "#b2182b",
    "government_regency": "#ef8a62",
    "government_other": "#fddbc7",
    "media": "#4d4d4d",
    "influencer": "#2166ac",
    "academic": "#5aae61",
    "community": "#9970ab",
    "citizen": "#bdbdbd",
    "unknown": "#f0f0f0",
}


def draw_network(G, ax=None, *, color_by="actor_type", size_by="in_weight", seed=1,
                 layout=None, max_nodes=None, edge_alpha=0.08, legend=True, palette=None):
    """Draw an interaction graph with nodes coloured by an attribute (default actor type).

    Parameters
    ----------
    G : networkx.DiGraph
    ax : matplotlib.axes.Axes, optional
    color_by : str
        Node attribute giving the colour category.
    size_by : {"in_weight", "degree", None}
        Node size by weighted in-degree (attention received), degree, or constant.
    seed : int
        Seed of the spring layout (same seed, same picture).
    layout : dict, optional
        Precomputed positions (node -> (x, y)); overrides ``seed``.
    max_nodes : int, optional
        Draw only the ``max_nodes`` nodes of highest weighted degree (ties by node id).
    palette : dict, optional
        Category -> colour (default :data:`ACTOR_COLORS`).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> nx.set_node_attributes(G, "citizen", "actor_type")
    >>> ax = draw_network(G, seed=1)
    >>> len(ax.collections) >= 2
    True
    """
    palette = palette or ACTOR_COLORS
    if max_nodes is not None and G.number_of_nodes() > max_nodes:
        strength = dict(G.degree(weight="weight"))
        keep = sorted(G, key=lambda n: (-strength[n], str(n)))[:max_nodes]
        G = G.subgraph(keep)
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 8))
    nodes = sorted(G, key=str)
    pos = layout if layout is not None else nx.spring_layout(
        G, seed=seed, weight=None, k=1.5 / np.sqrt(max(len(G), 1)), iterations=60)
    if size_by == "in_weight":
        s = np.array([G.in_degree(n, weight="weight") if G.is_directed() else
                      G.degree(n, weight="weight") for n in nodes], dtype=float)
    elif size_by == "degree":
        s = np.array([G.degree(n) for n in nodes], dtype=float)
    else:
        s = np.ones(len(nodes))
    sizes = 8 + 200 * np.sqrt(s / s.max()) if s.max() > 0 else np.full(len(nodes), 10.0)
    cats = [G.nodes[n].get(color_by, "unknown") or "unknown" for n in nodes]
    colors = [palette.get(c, "#999999") for c in cats]
    nx.draw_networkx_edges(G, pos, ax=ax, alpha=edge_alpha, arrows=False, width=0.5)
    ax.scatter([pos[n][0] for n in nodes], [pos[n][1] for n in nodes], s=sizes, c=colors,
               edgecolors="black", linewidths=0.2, zorder=3)
    if legend:
        present = [c for c in (ACTOR_TYPES if color_by == "actor_type" else sorted(set(cats)))
                   if c in set(cats)]
        handles = [Line2D([], [], marker="o", ls="", color=palette.get(c, "#999999"),
                          markeredgecolor="black", label=c) for c in present]
        ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False)
    ax.set_axis_off()
    return ax


def activity_over_time(corpus, ax=None, *, freq="D", by="kind", tz="Asia/Jakarta",
                       mark=None, mark_label=None):
    """Count interactions per period (default per day in WIB), one line per ``by`` value.

    Parameters
    ----------
    corpus : Corpus
    freq : str
        pandas period alias ("D", "W", "h").
    by : str
        Column of ``interactions`` to split by (``"kind"``), or None for the total.
    tz : str
        Time zone of the axis (WIB by default).
    mark : timestamp-like, optional
        A time to mark with a vertical line (e.g. the Kopilaborasi event).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import kopiresearch as kr
    >>> ax = activity_over_time(kr.load_bundled(), freq="W")
    >>> ax.get_ylabel()
    'interactions per W'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.5))
    inter = corpus.interactions
    local = inter["created_at"].dt.tz_convert(tz).dt.tz_localize(None)
    period = local.dt.to_period(freq).dt.start_time
    if by is None:
        table = period.value_counts().sort_index().to_frame("all")
    else:
        table = pd.crosstab(period, inter[by].astype(str))
        table = table.loc[:, table.sum() > 0]
    for col in table.columns:
        ax.plot(table.index, table[col], label=str(col), lw=1.2)
    if mark is not None:
        t = pd.Timestamp(mark).tz_convert(tz).tz_localize(None)
        ax.axvline(t, color="black", ls="--", lw=1)
        if mark_label:
            ax.annotate(mark_label, (t, ax.get_ylim()[1]), xytext=(4, -12),
                        textcoords="offset points", fontsize=8)
    ax.set_ylabel(f"interactions per {freq}")
    ax.set_xlabel(f"date ({tz})")
    ax.legend(fontsize=8, ncol=3, frameon=False)
    return ax
