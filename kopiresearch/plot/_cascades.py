"""Figures of cascades and regional spread (matplotlib only, no graphviz)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.animation import FuncAnimation
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from .._docs import fill_doc
from ..corpus import ACTOR_TYPES
from ..errors import KopiresearchError
from ..regions import only_kabkota, region_table
from ._maps import choropleth, hatch_regions, map_panels
from ._palette import ACTOR_COLORS, SEQUENTIAL_CMAP, actor_label
from ._style import place_legend

__all__ = ["ACTOR_COLORS", "cascade_tree", "coverage_curves", "time_to_region_map",
           "reach_and_time_maps", "flow_heatmap", "spread_frames", "spread_animation"]


@fill_doc
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

    {{returns_axes}}

    Notes
    -----
    Layout: leaves in depth-first order get x = 0, 1, 2, ...; a parent sits at the middle of
    its leftmost and rightmost leaf; y is minus the depth. No graphviz is needed.

    Examples
    --------
    >>> from kopiresearch.cascades import example_cascades
    >>> ax = cascade_tree(example_cascades(), "x:r")
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
        present = [t for t in (*ACTOR_TYPES, *sorted(set(ACTOR_COLORS) - set(ACTOR_TYPES)))
                   if t in set(types)]
        handles = [Line2D([], [], marker="o", linestyle="", markerfacecolor=ACTOR_COLORS[t],
                          markeredgecolor="black", label=actor_label(t)) for t in present]
        place_legend(ax, handles, [h.get_label() for h in handles], fontsize=7,
                     frameon=False)
    ax.set_title(f"cascade of {root_post_id}: {n} posts")
    return ax


def coverage_curves(coverage, ax=None, *, groups=None, quantiles=(0.25, 0.75), colors=None,
                    log_x=False, stat="mean", level=0.95, n_regions=38):
    """Regional coverage curve per group of cascades: the mean with its confidence band
    (default), or the median with a quantile band.

    Parameters
    ----------
    coverage : pandas.DataFrame
        From :func:`kopiresearch.cascades.coverage_curve` (rows cascades, columns hours;
        values are shares of the 38 kabupaten/kota).
    ax : matplotlib.axes.Axes, optional
    groups : pandas.Series or array-like, optional
        A label per cascade (aligned with ``coverage``'s rows); one curve per label.
    quantiles : (float, float) or None
        With ``stat="median"``: the quantile band drawn around each median.
    colors : dict, optional
        Colour per group label.
    log_x : bool
        Symmetric-log hours axis (linear below one hour).
    stat : {"mean", "median"}, default "mean"
        The curve drawn. The mean is what the tables report (a mean of 2.57 against 4.06
        regions); the median of a few-region count moves in integer steps and can hide it.
    level : float or None
        With ``stat="mean"``: confidence level of the band, the normal-approximation
        interval ``mean +- z * sd / sqrt(n)`` at each hour (``None``: no band).
    n_regions : int
        Number of regions the shares are of (the y axis counts regions).

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.lines`` holds one curve per group, in sorted group order.

    Examples
    --------
    >>> from kopiresearch.cascades import example_cascades, coverage_curve
    >>> ax = coverage_curves(coverage_curve(example_cascades(), [0, 1, 2, 3]))
    >>> len(ax.lines), ax.get_ylabel()
    (1, 'mean kabupaten/kota reached (of 38)')
    """
    if stat not in ("mean", "median"):
        raise KopiresearchError(f"stat must be 'mean' or 'median', not {stat!r}")
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
    from scipy.stats import norm

    for name in sorted(labels.dropna().unique(), key=str):
        sub = coverage.to_numpy()[(labels == name).to_numpy()] * n_regions
        color = (colors or {}).get(name)
        centre = sub.mean(axis=0) if stat == "mean" else np.median(sub, axis=0)
        (line,) = ax.plot(hours, centre, color=color, lw=2,
                          label=f"{name} (n={len(sub)})")
        if stat == "mean" and level is not None and len(sub) > 1:
            half = norm.ppf(0.5 + level / 2) * sub.std(axis=0, ddof=1) / np.sqrt(len(sub))
            ax.fill_between(hours, centre - half, centre + half, color=line.get_color(),
                            alpha=0.2, lw=0)
        elif stat == "median" and quantiles is not None:
            q = np.quantile(sub, quantiles, axis=0)
            ax.fill_between(hours, q[0], q[1], color=line.get_color(), alpha=0.2, lw=0)
    ax.set_xlabel("hours since the root post")
    ax.set_ylabel(f"{stat} kabupaten/kota reached (of {n_regions})")
    ax.set_ylim(bottom=0)
    if log_x:
        ax.set_xscale("symlog", linthresh=1)
    if len(hours):
        ax.set_xlim(max(hours.min(), 0) if log_x else hours.min(), hours.max())
    band = (f"; band: {level:.0%} confidence interval of the mean" if stat == "mean"
            and level is not None else f"; band: quantiles {quantiles[0]:g}-{quantiles[1]:g}"
            if stat == "median" and quantiles is not None else "")
    leg = place_legend(ax, fontsize=8, frameon=False, title=f"{stat}{band}" if band else None)
    if leg is not None:
        leg.set_alignment("left")
    return ax


@fill_doc
def time_to_region_map(ttr, ax=None, *, stat="median", cmap=SEQUENTIAL_CMAP + "_r",
                       label=None, roots=None, min_cascades=5, **kwargs):
    """Choropleth of the typical time a cascade takes to reach each kabupaten/kota; regions
    reached by few cascades are marked, so a rarely reached region cannot look fast.

    Parameters
    ----------
    ttr : pandas.DataFrame
        From :func:`kopiresearch.cascades.time_to_region` (filter it first to the cascades
        of interest).
    ax : matplotlib.axes.Axes, optional
    stat : {"median", "mean"}
        Summary of :math:`T_r` over the cascades that reached region r.
    cmap : str
        Default reversed cividis (dark = slow).
    label : str, optional
        Colour bar label.
    roots : sequence, optional
        The cascades (root post ids) the map is about, for the note "n of N cascades"
        (default: those in ``ttr``).
    min_cascades : int, default 5
        Regions reached by fewer cascades are dotted and counted in a note below the map;
        0 marks none.
    **kwargs
        Passed on to :func:`kopiresearch.plot.choropleth` (``vmin``, ``vmax``, ...).
        Regions no cascade reached are hatched grey.

    {{returns_axes}}

    See Also
    --------
    reach_and_time_maps : the share of cascades reaching each region beside the time.

    Examples
    --------
    >>> from kopiresearch.cascades import example_cascades, time_to_region
    >>> ax = time_to_region_map(time_to_region(example_cascades()), min_cascades=0)
    >>> len(ax.collections)  # reached and never reached
    2
    """
    if stat not in ("median", "mean"):
        raise KopiresearchError(f"stat must be 'median' or 'mean', not {stat!r}")
    values = ttr.groupby("region_code")["hours"].agg(stat)
    values.index = values.index.astype(str)
    ax = choropleth(values, ax=ax, cmap=cmap,
                    label=label or f"{stat} hours to first reach", **kwargs)
    if min_cascades:
        n = ttr.groupby("region_code")["root_post_id"].nunique()
        n.index = n.index.astype(str)
        few = sorted(c for c in n.index if n[c] < min_cascades and c in values.index)
        total = len(set(roots)) if roots is not None else ttr["root_post_id"].nunique()
        if few:
            hatch_regions(ax, few)
        ax.annotate(f"dotted: reached by fewer than {min_cascades} of {total} cascades "
                    f"({len(few)} regions)", (0.0, 0.0), xycoords="axes fraction",
                    fontsize=7, va="top")
    return ax


def reach_and_time_maps(by_region, *, figsize=None, min_cascades=5, time_cmap=None,
                        share_cmap=None, titles=None):
    """Two maps of the same size: the share of cascades reaching each kabupaten/kota, and
    the median hours to reach it (dotted where few cascades did).

    Parameters
    ----------
    by_region : pandas.DataFrame
        :func:`kopiresearch.cascades.region_reach` output (index region code; columns
        ``share_reached``, ``cascades_reached``, ``median_hours``).
    figsize : tuple, optional
    min_cascades : int, default 5
        Regions whose median rests on fewer cascades are dotted on the time map.
    titles : (str, str), optional

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[:2]`` are the maps, the others their colour bars.

    Examples
    --------
    >>> from kopiresearch.cascades import example_cascades, time_to_region, region_reach
    >>> fig = reach_and_time_maps(region_reach(time_to_region(example_cascades())))
    >>> fig.draw_without_rendering()
    >>> w = [a.get_window_extent().width for a in fig.axes[:2]]
    >>> bool(abs(w[0] - w[1]) < 1)
    True
    """
    br = only_kabkota(by_region.set_axis(by_region.index.astype(str)))
    titles = titles or ("share of cascades reaching it", "median hours to first reach")
    fig, axes, caxes = map_panels(2, figsize=figsize)
    choropleth(br["share_reached"], ax=axes[0], cmap=share_cmap or SEQUENTIAL_CMAP, vmin=0,
               vmax=max(float(br["share_reached"].max()), 1e-9), cax=caxes[0],
               label="share of cascades", title=titles[0])
    hours = br["median_hours"].dropna()
    choropleth(hours, ax=axes[1], cmap=time_cmap or SEQUENTIAL_CMAP + "_r", cax=caxes[1],
               label="median hours", title=titles[1])
    few = [c for c in hours.index if br.at[c, "cascades_reached"] < min_cascades]
    if min_cascades and few:
        hatch_regions(axes[1], few)
    if min_cascades:
        axes[1].annotate(f"dotted: median of fewer than {min_cascades} cascades "
                         f"({len(few)} regions)", (0.0, 0.0), xycoords="axes fraction",
                         fontsize=7, va="top")
    return fig


@fill_doc
def flow_heatmap(flows, ax=None, *, log=True, cmap=SEQUENTIAL_CMAP, label=None,
                 fontsize=None):
    """Heatmap of a region-to-region flow matrix, regions grouped by Bakorwil.

    Parameters
    ----------
    flows : pandas.DataFrame
        From :func:`kopiresearch.cascades.region_flows` (already ordered by Bakorwil).
    ax : matplotlib.axes.Axes, optional
    log : bool
        Logarithmic colour scale (:class:`matplotlib.colors.LogNorm`) so that the
        within-region diagonal does not wash out everything else; the colour bar is in the
        flow's own units (named from ``flows.normalize``, which
        :func:`~kopiresearch.cascades.region_flows` sets; a plain DataFrame's
        ``attrs["normalize"]`` as before), cells with no flow are white and
        "no flow" in the legend.
    cmap : str
    label : str, optional
        Colour bar label (default: says whether the rows are shares or counts).
    fontsize : float, optional
        Tick label size (default: as large as the rows allow, at least 6 pt).

    {{returns_axes}}

    Examples
    --------
    >>> from kopiresearch.cascades import example_cascades, region_flows
    >>> ax = flow_heatmap(region_flows(example_cascades()))
    >>> len(ax.images)
    1
    """
    from matplotlib.colors import LogNorm

    if ax is None:
        n = len(flows)
        side = float(np.clip(0.19 * n + 1.6, 4.0, 9.0))
        _, ax = plt.subplots(figsize=(side + 1.2, side))
    values = flows.to_numpy(dtype=float)
    positive = values[np.isfinite(values) & (values > 0)]
    from ..cascades import RegionFlows

    normalize = (flows.normalize if isinstance(flows, RegionFlows)
                 else flows.attrs.get("normalize", "unknown"))
    if log and len(positive):
        shown = np.ma.masked_where(~(values > 0), values)
        norm = LogNorm(vmin=positive.min(), vmax=positive.max())
    else:
        shown, norm = np.ma.masked_invalid(values), None
    im = ax.imshow(shown, cmap=cmap, norm=norm, aspect="equal", interpolation="nearest")
    ax.set_facecolor("white")
    cb = ax.figure.colorbar(im, ax=ax, shrink=0.75, pad=0.02)
    unit = {None: "cascade edges (parent -> adopter)",
            "source": "cascade edges per active account of the row region",
            "target": "cascade edges per active account of the column region",
            "both": "cascade edges per (row x column) active accounts"}.get(
                normalize, "flow")
    cb.set_label(label or (unit + (" (log scale)" if log else "")))
    table = region_table()
    idx = [str(c) for c in flows.index]
    if set(idx) <= set(table.index):
        names = [table.loc[c, "short_name"] + (" (kota)" if table.loc[c, "kind"] == "kota"
                                               else "") for c in idx]
        bak = table.loc[idx, "bakorwil"].to_numpy()
        cuts = np.flatnonzero(bak[1:] != bak[:-1]) + 0.5
        for c in cuts:
            ax.axhline(c, color="black", lw=0.8)
            ax.axvline(c, color="black", lw=0.8)
    else:
        names = idx
    ax.figure.draw_without_rendering()
    h_in = ax.get_window_extent().height / ax.figure.dpi
    fs = fontsize or float(np.clip(0.8 * 72 * h_in / max(len(idx), 1), 6, 9))
    ax.set_xticks(range(len(idx)))
    ax.set_xticklabels(names, rotation=90, fontsize=fs)
    ax.set_yticks(range(len(idx)))
    ax.set_yticklabels(names, fontsize=fs)
    ax.tick_params(length=0)
    ax.set_xlabel("to (adopting account's region)")
    ax.set_ylabel("from (parent's region)")
    if log and (values == 0).any():
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(facecolor="white", edgecolor="#999999", label="no flow")],
                  loc="upper left", bbox_to_anchor=(1.0, -0.02), fontsize=7, frameon=False)
    return ax


@fill_doc
def spread_frames(ttr, hours, *, ncols=4, cmap=SEQUENTIAL_CMAP + "_r", figsize=None):
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

    {{returns_figure}}

    Examples
    --------
    >>> from kopiresearch.cascades import example_cascades, time_to_region
    >>> fig = spread_frames(time_to_region(example_cascades()), [0, 2, 4], ncols=3)
    >>> len(fig.axes)  # three maps and their one colour bar
    4
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
                   linewidth=0.2, missing_label=None)
        ax.set_title(f"{h:g} h: {int((first <= h).sum())} of 38", fontsize=9)
    for ax in axes.ravel()[len(hours):]:
        ax.set_axis_off()
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    cb = fig.colorbar(ScalarMappable(norm=Normalize(0, vmax), cmap=cmap), ax=axes.ravel(),
                      shrink=0.6, pad=0.01)
    cb.set_label("hours until first reached")
    return fig


def spread_animation(ttr, hours, *, cmap=SEQUENTIAL_CMAP + "_r", interval=400):
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
    >>> from kopiresearch.cascades import example_cascades, time_to_region
    >>> import os, tempfile
    >>> from matplotlib.animation import PillowWriter
    >>> anim = spread_animation(time_to_region(example_cascades()), [0, 1, 3])
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
        choropleth(first[first <= h], ax=ax, cmap=cmap, vmin=0, vmax=vmax, colorbar=False,
                   missing_label="not yet reached")
        ax.set_title(f"{h:g} hours after posting: {int((first <= h).sum())} of 38 reached")
        return ax.collections

    return FuncAnimation(fig, draw, frames=len(hours), interval=interval, blit=False)

