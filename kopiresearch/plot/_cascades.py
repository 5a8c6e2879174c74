"""Figures of cascades and regional spread (matplotlib only, no graphviz)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.animation import FuncAnimation
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from ..errors import KopiresearchError
from ..regions import region_table
from ._maps import choropleth

__all__ = ["ACTOR_COLORS", "cascade_tree", "coverage_curves", "time_to_region_map",
           "flow_heatmap", "spread_frames", "spread_animation"]

#: Colour of each actor type in cascade figures.
ACTOR_COLORS = {
    "government_province": "#08306b", "government_regency": "#2171b5",
    "government_other": "#6baed6", "influencer": "#e6550d", "media": "#756bb1",
    "academic": "#31a354", "community": "#a1d99b", "citizen": "#bdbdbd", "unknown": "#f0f0f0",
}


def cascade_tree(cascades, root_post_id, ax=None, *, node_size=None, legend=True):
    """Draw one cascade as a top-down tree, nodes coloured by actor type.

    Parameters
    ----------
    cascades : kopiresearch.cascades.Cascades
    root_post_id : str
        The root of the cascade to draw.
    ax : matplotlib.axes.Axes, optional
    node_size : float, optional
        Marker size (default shrinks with the number of nodes).
    legend : bool
        Show the actor types present.

    Returns
    -------
    matplotlib.axes.Axes

    Notes
    -----
    Layout: leaves in depth-first order get x = 0, 1, 2, ...; a parent sits at the middle of
    its leftmost and rightmost leaf; y is minus the depth. No graphviz is needed.

    Examples
    --------
    >>> from kopiresearch.cascades import _demo_cascades
    >>> ax = cascade_tree(_demo_cascades(), "x:r")
    >>> len(ax.collections)  # edges, nodes and the root's star
    3
    """
    T = cascades.tree(root_post_id)
    order = list(nx.dfs_preorder_nodes(T, root_post_id, sort_neighbors=sorted))
    pos = {v: i for i, v in enumerate(order)}
    n = len(order)
    parent = np.full(n, -1)
    for u, v in T.edges():
        parent[pos[v]] = pos[u]
    is_leaf = np.array([T.out_degree(v) == 0 for v in order])
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    lo[is_leaf] = hi[is_leaf] = np.arange(int(is_leaf.sum()))
    for i in range(n - 1, 0, -1):  # children come after their parent in preorder
        p = parent[i]
        lo[p], hi[p] = min(lo[p], lo[i]), max(hi[p], hi[i])
    x = (lo + hi) / 2
    y = -np.array([T.nodes[v]["depth"] for v in order], dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5))
    child = np.flatnonzero(parent >= 0)
    segs = np.stack([np.c_[x[parent[child]], y[parent[child]]], np.c_[x[child], y[child]]],
                    axis=1)
    ax.add_collection(LineCollection(segs, colors="#999999", linewidths=0.6, zorder=1))
    types = [str(T.nodes[v]["actor_type"]) for v in order]
    colors = [ACTOR_COLORS.get(t, "black") for t in types]
    size = node_size if node_size is not None else float(np.clip(300 / np.sqrt(n), 4, 80))
    ax.scatter(x, y, s=size, c=colors, edgecolors="black", linewidths=0.3, zorder=2)
    ax.scatter([x[0]], [y[0]], s=size * 3, marker="*", c=[colors[0]], edgecolors="black",
               linewidths=0.5, zorder=3)
    ax.set_xlim(x.min() - 1, x.max() + 1)
    ax.set_ylim(y.min() - 0.5, 0.5)
    ax.set_yticks(np.arange(0, y.min() - 1, -1))
    ax.set_yticklabels([str(int(-d)) for d in np.arange(0, y.min() - 1, -1)])
    ax.set_ylabel("depth")
    ax.set_xticks([])
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    if legend:
        present = [t for t in ACTOR_COLORS if t in set(types)]
        handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=ACTOR_COLORS[t],
                          markeredgecolor="black", label=t.replace("_", " ")) for t in present]
        ax.legend(handles=handles, fontsize=7, loc="lower right", frameon=False)
    ax.set_title(f"cascade of {root_post_id}: {n} posts")
    return ax


def coverage_curves(coverage, ax=None, *, groups=None, quantiles=(0.25, 0.75), colors=None,
                    log_x=False):
    """Median regional coverage curve per group of cascades, with a quantile band.

    Parameters
    ----------
    coverage : pandas.DataFrame
        From :func:`kopiresearch.cascades.coverage_curve` (rows cascades, columns hours).
    ax : matplotlib.axes.Axes, optional
    groups : pandas.Series or array-like, optional
        A label per cascade (aligned with ``coverage``'s rows); one curve per label.
    quantiles : (float, float) or None
        The band drawn around each median.
    colors : dict, optional
        Colour per group label.
    log_x : bool
        Logarithmic hours axis.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from kopiresearch.cascades import _demo_cascades, coverage_curve
    >>> ax = coverage_curves(coverage_curve(_demo_cascades(), [0, 1, 2, 3]))
    >>> len(ax.lines)
    1
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    hours = coverage.columns.to_numpy(dtype=float)
    if groups is None:
        labels = pd.Series("all cascades", index=coverage.index)
    elif isinstance(groups, pd.Series):
        labels = groups.reindex(coverage.index)
    else:
        groups = np.asarray(groups)
        if groups.shape != (len(coverage),):
            raise KopiresearchError("groups: need one label per cascade (row of coverage), "
                                    f"got {groups.shape} for {len(coverage)} rows")
        labels = pd.Series(groups, index=coverage.index)
    for name in sorted(labels.dropna().unique(), key=str):
        sub = coverage.to_numpy()[(labels == name).to_numpy()] * 38
        color = (colors or {}).get(name)
        (line,) = ax.plot(hours, np.median(sub, axis=0), color=color, lw=2,
                          label=f"{name} (n={len(sub)})")
        if quantiles is not None:
            q = np.quantile(sub, quantiles, axis=0)
            ax.fill_between(hours, q[0], q[1], color=line.get_color(), alpha=0.2, lw=0)
    ax.set_xlabel("hours since the root post")
    ax.set_ylabel("kabupaten/kota reached (of 38)")
    if log_x:
        ax.set_xscale("symlog", linthresh=1)
    ax.legend(frameon=False, fontsize=8)
    return ax


def time_to_region_map(ttr, ax=None, *, stat="median", cmap="magma_r", label=None, **kwargs):
    """Choropleth of the typical time a cascade takes to reach each kabupaten/kota.

    Parameters
    ----------
    ttr : pandas.DataFrame
        From :func:`kopiresearch.cascades.time_to_region` (filter it first to the cascades
        of interest).
    ax : matplotlib.axes.Axes, optional
    stat : {"median", "mean"}
        Summary of :math:`T_r` over the cascades that reached region r.
    cmap : str
    label : str, optional
        Colour bar label.
    **kwargs
        Passed on to :func:`kopiresearch.plot.choropleth` (``vmin``, ``vmax``, ...).
        Regions no cascade reached are hatched grey.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from kopiresearch.cascades import _demo_cascades, time_to_region
    >>> ax = time_to_region_map(time_to_region(_demo_cascades()))
    >>> len(ax.collections)  # reached and never reached
    2
    """
    if stat not in ("median", "mean"):
        raise KopiresearchError(f"stat must be 'median' or 'mean', not {stat!r}")
    values = ttr.groupby("region_code")["hours"].agg(stat)
    values.index = values.index.astype(str)
    return choropleth(values, ax=ax, cmap=cmap,
                      label=label or f"{stat} hours to first reach", **kwargs)


def flow_heatmap(flows, ax=None, *, log=True, cmap="viridis", label=None):
    """Heatmap of a region-to-region flow matrix, regions grouped by Bakorwil.

    Parameters
    ----------
    flows : pandas.DataFrame
        From :func:`kopiresearch.cascades.region_flows` (already ordered by Bakorwil).
    ax : matplotlib.axes.Axes, optional
    log : bool
        Colour by :math:`\\log_{10}(1 + F)` so that the within-region diagonal does not wash
        out everything else.
    cmap : str
    label : str, optional
        Colour bar label.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from kopiresearch.cascades import _demo_cascades, region_flows
    >>> ax = flow_heatmap(region_flows(_demo_cascades()))
    >>> len(ax.images)
    1
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 6.5))
    values = flows.to_numpy(dtype=float)
    shown = np.log10(1 + values) if log else values
    im = ax.imshow(np.ma.masked_invalid(shown), cmap=cmap, aspect="equal",
                   interpolation="nearest")
    cb = ax.figure.colorbar(im, ax=ax, shrink=0.75, pad=0.02)
    cb.set_label(label or ("log10(1 + flow)" if log else "flow"))
    table = region_table()
    idx = [str(c) for c in flows.index]
    if set(idx) <= set(table.index):
        names = [table.loc[c, "short_name"] + (" (kota)" if table.loc[c, "kind"] == "kota"
                                               else "") for c in idx]
        bak = table.loc[idx, "bakorwil"].to_numpy()
        cuts = np.flatnonzero(bak[1:] != bak[:-1]) + 0.5
        for c in cuts:
            ax.axhline(c, color="white", lw=1.2)
            ax.axvline(c, color="white", lw=1.2)
        fs = 6
    else:
        names, fs = idx, 9
    ax.set_xticks(range(len(idx)))
    ax.set_xticklabels(names, rotation=90, fontsize=fs)
    ax.set_yticks(range(len(idx)))
    ax.set_yticklabels(names, fontsize=fs)
    ax.set_xlabel("to (adopting account's region)")
    ax.set_ylabel("from (parent's region)")
    return ax


def spread_frames(ttr, hours, *, ncols=4, cmap="magma_r", figsize=None):
    """Small multiples: the regions one cascade (or a set) has reached by each time.

    Parameters
    ----------
    ttr : pandas.DataFrame
        From :func:`kopiresearch.cascades.time_to_region`, filtered to one cascade (or a
        group, then the earliest time over the group counts).
    hours : sequence of float
        One panel per time.
    ncols : int
    cmap : str
        Colours the hour a region was first reached (same scale in every panel).
    figsize : tuple, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from kopiresearch.cascades import _demo_cascades, time_to_region
    >>> fig = spread_frames(time_to_region(_demo_cascades()), [0, 2, 4], ncols=3)
    >>> len(fig.axes)
    3
    """
    first = ttr.groupby("region_code")["hours"].min()
    first.index = first.index.astype(str)
    hours = list(hours)
    nrows = int(np.ceil(len(hours) / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (3.2 * ncols, 2.0 * nrows),
                             squeeze=False)
    vmax = float(max(hours)) if hours else 1.0
    for ax, h in zip(axes.ravel(), hours):
        choropleth(first[first <= h], ax=ax, cmap=cmap, vmin=0, vmax=vmax, colorbar=False,
                   linewidth=0.2)
        ax.set_title(f"{h:g} h: {int((first <= h).sum())} of 38", fontsize=9)
    for ax in axes.ravel()[len(hours):]:
        ax.set_axis_off()
    return fig


def spread_animation(ttr, hours, *, cmap="magma_r", interval=400):
    """An animation of the regions reached over time (save it as a GIF).

    Parameters
    ----------
    ttr : pandas.DataFrame
        From :func:`kopiresearch.cascades.time_to_region`, filtered to one cascade.
    hours : sequence of float
        One frame per time.
    cmap : str
    interval : int
        Milliseconds between frames.

    Returns
    -------
    matplotlib.animation.FuncAnimation
        Save with ``anim.save("spread.gif", writer=matplotlib.animation.PillowWriter(fps=3))``.

    Examples
    --------
    >>> from kopiresearch.cascades import _demo_cascades, time_to_region
    >>> import os, tempfile
    >>> from matplotlib.animation import PillowWriter
    >>> anim = spread_animation(time_to_region(_demo_cascades()), [0, 1, 3])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     anim.save(os.path.join(tmp, "spread.gif"), writer=PillowWriter(fps=2))
    ...     os.path.getsize(os.path.join(tmp, "spread.gif")) > 0
    True
    """
    first = ttr.groupby("region_code")["hours"].min()
    first.index = first.index.astype(str)
    hours = list(hours)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    vmax = float(max(hours)) if hours else 1.0

    def draw(k):
        ax.clear()
        h = hours[k]
        choropleth(first[first <= h], ax=ax, cmap=cmap, vmin=0, vmax=vmax, colorbar=False)
        ax.set_title(f"{h:g} hours after posting: {int((first <= h).sum())} of 38 reached")
        return ax.collections

    return FuncAnimation(fig, draw, frames=len(hours), interval=interval, blit=False)

