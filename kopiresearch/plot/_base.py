"""Shared figure helpers: the network picture and activity over time."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon

from .._docs import fill_doc
from ..corpus import ACTOR_TYPES
from ..errors import KopiresearchError
from ._palette import ACTOR_COLORS, OTHER_COLOR, actor_label
from ._style import place_labels, place_legend

__all__ = ["ACTOR_COLORS", "draw_network", "network_layout", "activity_over_time", "freq_word"]


def network_layout(G, *, method="forceatlas2", seed=1, iterations=None, weight="weight"):
    """Node positions for a network drawing (seeded: same seed, same picture).

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        Directed graphs are laid out as undirected (edge weights of both directions added).
    method : {"forceatlas2", "spring"}
        ForceAtlas2 (Jacomy et al. 2014, the Gephi layout; :func:`networkx.forceatlas2_layout`)
        or Fruchterman-Reingold (:func:`networkx.spring_layout`).
    seed : int
    iterations : int, optional
        Default 100 (ForceAtlas2) or 60 (spring).
    weight : str or None
        Edge attribute that pulls nodes together (``None``: topology only).

    Returns
    -------
    dict
        node -> numpy array ``(x, y)``.

    References
    ----------
    .. [1] Jacomy, M., Venturini, T., Heymann, S., & Bastian, M. (2014). ForceAtlas2, a
       continuous graph layout algorithm for handy network visualization designed for the
       Gephi software. PLoS ONE 9(6):e98679. doi:10.1371/journal.pone.0098679

    Examples
    --------
    >>> import networkx as nx
    >>> pos = network_layout(nx.path_graph(4), seed=1)
    >>> sorted(pos) == [0, 1, 2, 3]
    True
    """
    H = nx.Graph()
    H.add_nodes_from(sorted(G, key=str))
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        w = float(d.get(weight, 1.0)) if weight else 1.0
        if H.has_edge(u, v):
            H[u][v]["w"] += w
        else:
            H.add_edge(u, v, w=w)
    if method == "forceatlas2":
        return nx.forceatlas2_layout(H, max_iter=iterations or 100, seed=seed,
                                     weight="w" if weight else None, scaling_ratio=2.0,
                                     gravity=1.0)
    if method == "spring":
        return nx.spring_layout(H, seed=seed, weight=None, k=1.5 / np.sqrt(max(len(H), 1)),
                                iterations=iterations or 60)
    raise KopiresearchError(f"layout method must be 'forceatlas2' or 'spring', not {method!r}")


def _measure(G, nodes, size_by):
    if size_by is None:
        return np.ones(len(nodes))
    if isinstance(size_by, str):
        if size_by == "in_weight":
            return np.array([G.in_degree(n, weight="weight") if G.is_directed() else
                             G.degree(n, weight="weight") for n in nodes], dtype=float)
        if size_by == "degree":
            return np.array([G.degree(n) for n in nodes], dtype=float)
        return np.array([float(G.nodes[n].get(size_by) or 0.0) for n in nodes])
    values = pd.Series(size_by)
    return np.array([float(values.get(n, 0.0)) if not pd.isna(values.get(n, np.nan))
                     else 0.0 for n in nodes])


def _hull(points, core=0.8):
    """Convex hull of the ``core`` share of points nearest their median (outliers would
    stretch a community's outline across the whole picture)."""
    from scipy.spatial import ConvexHull, QhullError

    if len(points) < 3:
        return None
    d = np.linalg.norm(points - np.median(points, axis=0), axis=1)
    keep = points[d <= np.quantile(d, core)] if len(points) > 5 else points
    if len(keep) < 3:
        return None
    try:
        hull = ConvexHull(keep)
    except QhullError:
        return None
    poly = keep[hull.vertices]
    centre = poly.mean(axis=0)
    return centre + (poly - centre) * 1.08


@fill_doc
def draw_network(G, ax=None, *, color_by="actor_type", size_by="in_weight", seed=1,
                 layout=None, max_nodes=None, edge_alpha=0.08, legend=True, palette=None,
                 label_top=0, label_by="handle", groups=None, group_colors=None,
                 max_edges=1500, min_edge_weight=None, label_fontsize=7):
    """Draw an interaction graph: ForceAtlas2 layout, colour by a category, size by a
    measure, the top accounts labelled, groups outlined, edges thinned by weight.

    Parameters
    ----------
    G : networkx.DiGraph
    ax : matplotlib.axes.Axes, optional
    color_by : str
        Node attribute giving the colour category.
    size_by : {"in_weight", "degree", None}, node attribute name, or mapping
        Node area by weighted in-degree (attention received), degree, a node attribute, a
        mapping node -> value (e.g. a PageRank Series), or constant. Area, not radius, is
        proportional to the square root of the measure.
    seed : int
        Seed of the layout (same seed, same picture).
    layout : dict or {"forceatlas2", "spring"}, optional
        Precomputed positions (node -> (x, y)) or a method of :func:`network_layout`
        (default ForceAtlas2).
    max_nodes : int, optional
        Draw only the ``max_nodes`` nodes of highest weighted degree (ties by node id).
    edge_alpha : float
        Opacity of the lightest edge (heavier edges are darker and wider).
    palette : dict, optional
        Category -> colour (default :data:`ACTOR_COLORS`).
    label_top : int
        Write the ``label_by`` attribute (the handle) of this many nodes with the largest
        ``size_by``; placed by :func:`kopiresearch.plot.place_labels`, never overlapping
        (a label that cannot be placed is left out).
    groups : mapping, optional
        Node -> group (e.g. a community); each group of three or more drawn nodes is
        outlined by the convex hull of its core (80% of its nodes nearest its median).
    group_colors : mapping, optional
        Group -> colour of its hull (default: grey outlines).
    max_edges : int or None
        Draw only the heaviest edges (ties by endpoints); ``None`` draws all.
    min_edge_weight : float, optional
        Leave out lighter edges.

    {{returns_axes}}

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
    if isinstance(layout, dict):
        pos = layout
    else:
        pos = network_layout(G, method=layout or "forceatlas2", seed=seed)
    s = _measure(G, nodes, size_by)
    sizes = 8 + 220 * np.sqrt(s / s.max()) if s.max() > 0 else np.full(len(nodes), 10.0)
    cats = [G.nodes[n].get(color_by, "unknown") or "unknown" for n in nodes]
    colors = [palette.get(c, OTHER_COLOR) for c in cats]
    xy = np.array([pos[n] for n in nodes], dtype=float).reshape(-1, 2)
    if groups is not None and len(nodes):
        gs = pd.Series(groups)
        gnode = pd.Series([gs.get(n) for n in nodes], index=range(len(nodes)))
        for g in sorted(gnode.dropna().unique(), key=str):
            poly = _hull(xy[(gnode == g).to_numpy()])
            if poly is None:
                continue
            col = (group_colors or {}).get(g, "#777777")
            ax.add_patch(Polygon(poly, closed=True, facecolor=col, alpha=0.10, lw=0,
                                 zorder=0))
            ax.add_patch(Polygon(poly, closed=True, fill=False, edgecolor=col, lw=0.8,
                                 alpha=0.9, zorder=0.5, label="_hull"))
    edges = [(u, v, float(d.get("weight", 1.0))) for u, v, d in G.edges(data=True) if u != v]
    if min_edge_weight is not None:
        edges = [e for e in edges if e[2] >= min_edge_weight]
    edges.sort(key=lambda e: (-e[2], str(e[0]), str(e[1])))
    if max_edges is not None:
        edges = edges[:max_edges]
    if edges:
        from matplotlib.collections import LineCollection

        w = np.array([e[2] for e in edges])
        rel = np.sqrt(w / w.max())
        segs = [(pos[u], pos[v]) for u, v, _ in edges]
        rgba = np.zeros((len(edges), 4))
        rgba[:, :3] = 0.35
        rgba[:, 3] = np.clip(edge_alpha + (0.5 - edge_alpha) * rel, 0, 1)
        ax.add_collection(LineCollection(segs[::-1], colors=rgba[::-1],
                                         linewidths=(0.3 + 1.7 * rel)[::-1], zorder=1))
    order = np.argsort(sizes, kind="stable")  # big nodes on top
    ax.scatter(xy[order, 0], xy[order, 1], s=sizes[order], c=[colors[i] for i in order],
               edgecolors="black", linewidths=0.25, zorder=3)
    ax.set_axis_off()
    if len(xy):
        pad = 0.04 * max(np.ptp(xy[:, 0]), np.ptp(xy[:, 1]), 1e-9)
        ax.set_xlim(xy[:, 0].min() - pad, xy[:, 0].max() + pad)
        ax.set_ylim(xy[:, 1].min() - pad, xy[:, 1].max() + pad)
        ax.set_aspect("equal", adjustable="box")
    if label_top:
        top = sorted(range(len(nodes)), key=lambda i: (-s[i], str(nodes[i])))[:int(label_top)]
        texts = [G.nodes[nodes[i]].get(label_by) or str(nodes[i]) for i in top]
        big = np.argsort(-sizes)[:max(int(label_top) * 2, 20)]
        place_labels(ax, xy[top], texts, fontsize=label_fontsize,
                     radius_points=np.sqrt(sizes[top]) / 2, avoid=xy[big],
                     bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                           "alpha": 0.75})
    if legend:
        present = [c for c in (ACTOR_TYPES if color_by == "actor_type" else
                               sorted(set(cats), key=str)) if c in set(cats)]
        extra = sorted((set(cats) - set(present)), key=str)
        handles = [Line2D([], [], marker="o", ls="", color=palette.get(c, OTHER_COLOR),
                          markeredgecolor="black", markeredgewidth=0.3, label=actor_label(c))
                   for c in [*present, *extra]]
        place_legend(ax, handles, [h.get_label() for h in handles], fontsize=7,
                     frameon=False)
    return ax


_FREQ_WORDS = {"D": "day", "W": "week", "h": "hour", "H": "hour", "M": "month",
               "MS": "month", "ME": "month", "min": "minute", "T": "minute", "Y": "year",
               "YS": "year", "Q": "quarter"}


def freq_word(freq) -> str:
    """Words for a pandas frequency alias (``"D"`` -> ``"day"``, ``"6h"`` -> ``"6 hours"``).

    Examples
    --------
    >>> freq_word("D"), freq_word("W-MON"), freq_word("6h")
    ('day', 'week', '6 hours')
    """
    s = str(freq)
    base = s.split("-")[0]
    num = "".join(ch for ch in base if ch.isdigit())
    unit = base[len(num):]
    word = _FREQ_WORDS.get(unit, unit)
    if num and int(num) != 1:
        return f"{int(num)} {word}s"
    return word


@fill_doc
def activity_over_time(corpus, ax=None, *, freq="D", by="kind", tz="Asia/Jakarta",
                       mark=None, mark_label=None, complete_only=True):
    """Count interactions per period (default per day in WIB), one line per ``by`` value.

    Parameters
    ----------
    corpus : Corpus
    freq : str
        pandas period alias ("D", "W", "h"); the axis says it in words ("per day").
    by : str
        Column of ``interactions`` to split by (``"kind"``), or None for the total.
    tz : str
        Time zone of the axis (WIB by default).
    mark : timestamp-like, optional
        A time to mark with a vertical line (e.g. the Kopilaborasi event).
    complete_only : bool, default True
        Leave out a first or last period the data cover by less than 99% (a collection
        that stops at noon would otherwise show its last day as a drop by half).

    {{returns_axes}}

    Examples
    --------
    >>> import kopiresearch as kr
    >>> ax = activity_over_time(kr.load_bundled(), freq="W")
    >>> ax.get_ylabel()
    'interactions per week'
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3.5))
    inter = corpus.interactions
    local = inter["created_at"].dt.tz_convert(tz).dt.tz_localize(None)
    periods = local.dt.to_period(freq)
    period = periods.dt.start_time
    if by is None:
        table = period.value_counts().sort_index().to_frame("all")
    else:
        table = pd.crosstab(period, inter[by].astype(str))
        table = table.loc[:, table.sum() > 0]
    if complete_only and len(table) > 2:
        first_p, last_p = periods.min(), periods.max()
        span = last_p.end_time - last_p.start_time
        if (local.max() - last_p.start_time) < 0.99 * span:
            table = table.drop(index=last_p.start_time)
        if (first_p.end_time - local.min()) < 0.99 * span:
            table = table.drop(index=first_p.start_time)
    for col in table.columns:
        ax.plot(table.index, table[col], label=str(col), lw=1.2)
    if mark is not None:
        t = pd.Timestamp(mark).tz_convert(tz).tz_localize(None)
        ax.axvline(t, color="black", ls="--", lw=1, label="_ref")
        if mark_label:
            ax.annotate(mark_label, (t, 1), xycoords=("data", "axes fraction"),
                        xytext=(4, -12), textcoords="offset points", fontsize=8)
    ax.set_ylabel(f"interactions per {freq_word(freq)}")
    ax.set_xlabel(f"date ({'WIB' if tz == 'Asia/Jakarta' else tz})")
    ax.set_ylim(bottom=0)
    if len(table.columns) > 1 or by is not None:
        place_legend(ax, fontsize=8, ncol=min(3, len(table.columns)), frameon=False,
                     outside="below")
    return ax
