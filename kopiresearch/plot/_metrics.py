"""Figures of the two-way communication, brokerage, community and mixing measures."""

from __future__ import annotations

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from .._docs import fill_doc
from ..errors import KopiresearchError
from ._base import draw_network
from ._palette import (
    ACTOR_COLORS,
    COMMUNITY_COLORS,
    OTHER_COLOR,
    ROLE_COLORS,
    SEQUENTIAL_CMAP,
    to_lab,
)
from ._style import place_labels, place_legend

__all__ = ["plot_responsiveness", "plot_response_curves", "plot_mixing_matrix",
           "plot_communities", "plot_brokerage"]

_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


@fill_doc
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

    {{returns_axes}}

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
    ax.scatter(t[rate], t[time], s=size, c=ACTOR_COLORS["government_regency"],
               edgecolors="black", lw=0.4, label="estimated (size = posts addressed)",
               zorder=3)
    ax.set_yscale("log")
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of citizen posts answered (Kaplan-Meier)")
    ax.set_ylabel("median hours to answer (answered posts)")
    if top:
        tops = t.nlargest(int(top), "addressed")
        place_labels(ax, tops[[rate, time]].to_numpy(float), tops[label].astype(str).tolist(),
                     fontsize=7, radius_points=np.sqrt(10 + 3 * tops["addressed"]
                                                       .to_numpy(float)) / 2,
                     avoid=t[[rate, time]].to_numpy(float))
    place_legend(ax, fontsize=8, frameon=False)
    return ax


@fill_doc
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

    {{returns_axes}}

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
    place_legend(ax, fontsize=7, frameon=False)
    return ax


@fill_doc
def plot_mixing_matrix(matrix: pd.DataFrame, ax=None, *, normalize="row",
                       cmap=SEQUENTIAL_CMAP, annotate=True, fmt=".2f"):
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

    {{returns_axes}}

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
    ax.set_xlabel(_axis_name("engaged (target) group", M.columns.name))
    ax.set_ylabel(_axis_name("acting (source) group", M.index.name))
    if annotate:
        for i in range(M.shape[0]):
            for j in range(M.shape[1]):
                v = M.iat[i, j]
                dark = to_lab(im.cmap(im.norm(v)))[0] < 55
                ax.text(j, i, format(v, fmt), ha="center", va="center", fontsize=7,
                        color="white" if dark else "black")
    cb = ax.figure.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    cb.set_label({"row": "share of the row group's acts", "all": "share of all acts",
                  None: "acts (edges)"}[normalize])
    return ax


def _axis_name(default, name):
    """Axis label without "source (source)": a level name only when it says more."""
    if name is None or str(name).lower() in {"source", "target", "group", "from", "to", ""}:
        return default
    return f"{default}: {name}"


@fill_doc
def plot_communities(G: nx.Graph, partition, ax=None, *, n_show: int = 8, seed: int = 1,
                     max_nodes: int | None = 600, hulls: bool = True, label_top: int = 0,
                     size_by="degree", layout=None):
    """The network drawn with a seeded ForceAtlas2 layout, nodes coloured by community and
    each shown community outlined by the hull of its core.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
    partition : pandas.Series or mapping
        Node -> community number (:func:`kopiresearch.metrics.communities`; 0 = largest).
    ax : matplotlib.axes.Axes, optional
    n_show : int, default 8
        Colour the ``n_show`` largest communities (Paul Tol's muted colours, at most 9);
        the others are a mid grey.
    seed : int, default 1
        Seed of the layout (same seed, same picture).
    max_nodes : int, optional
        Draw only the nodes of highest weighted degree.
    hulls : bool, default True
        Outline each coloured community (see :func:`kopiresearch.plot.draw_network`).
    label_top : int
        Label this many accounts with the largest ``size_by`` by their handle.
    size_by, layout
        As in :func:`kopiresearch.plot.draw_network`.

    {{returns_axes}}

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 0)
    >>> ax = plot_communities(G, {n: int(n >= 4) for n in G}, seed=1)
    >>> len(ax.collections) >= 2
    True
    """
    part = pd.Series(partition)
    if n_show > len(COMMUNITY_COLORS):
        raise KopiresearchError(f"n_show={n_show}: at most {len(COMMUNITY_COLORS)} communities "
                                "have distinct colour-blind-safe colours")
    palette = {f"community {i}": COMMUNITY_COLORS[i] for i in range(n_show)}
    palette["other"] = OTHER_COLOR
    H = G.subgraph(list(G)).copy()
    groups = {}
    for n in H:
        c = part.get(n)
        shown = c is not None and not pd.isna(c) and int(c) < n_show
        H.nodes[n]["_community"] = f"community {int(c)}" if shown else "other"
        if shown and hulls:
            groups[n] = f"community {int(c)}"
    return draw_network(H, ax=ax, color_by="_community", seed=seed, palette=palette,
                        max_nodes=max_nodes, size_by=size_by, groups=groups or None,
                        group_colors=palette, label_top=label_top, layout=layout)


@fill_doc
def plot_brokerage(summary: pd.DataFrame, ax=None, *, value="ratio", groups=None,
                   interval=None, log=True):
    """Brokerage roles by group as grouped bars: observed/expected on a log axis centred on
    1, with the permutation interval of chance (or counts).

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`kopiresearch.metrics.brokerage_summary` output (index ``(group, role)``).
    ax : matplotlib.axes.Axes, optional
    value : {"ratio", "observed", "expected"}, default "ratio"
        What the bars show. Ratios are drawn from 1 upwards or downwards on a logarithmic
        axis symmetric around 1 (a ratio of 1/3 is as far below as 3 is above); a ratio
        of 0 is marked by a "0" at the bottom, an undefined one (nothing expected) by
        "n/a".
    groups : list, optional
        Groups to show, in this order (default: all, sorted).
    interval : pandas.DataFrame, optional
        :func:`kopiresearch.metrics.brokerage_null` output (or any table on the same index
        with ``ratio_low``/``ratio_high``); for ratios, drawn as a grey band per bar: the
        range of ratios chance alone gives. Default: those columns of ``summary`` if there.
    log : bool, default True
        Logarithmic ratio axis (``False``: linear, for counts it is always linear).

    {{returns_axes}}

    Examples
    --------
    >>> import pandas as pd
    >>> idx = pd.MultiIndex.from_product([["g", "c"], ["coordinator", "liaison"]],
    ...                                  names=["group", "role"])
    >>> s = pd.DataFrame({"observed": [1, 2, 3, 4]}, index=idx)
    >>> ax = plot_brokerage(s, value="observed")
    >>> len(ax.patches)
    4
    >>> s["ratio"] = [0.25, 1.0, 4.0, 2.0]
    >>> ax = plot_brokerage(s)
    >>> ax.get_yscale(), [round(float(np.log10(v)), 3) for v in ax.get_ylim()]
    ('log', [-0.902, 0.902])
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
    ratio = value == "ratio"
    band = None
    if ratio:
        src = interval if interval is not None else summary
        if {"ratio_low", "ratio_high"} <= set(src.columns):
            band = (src["ratio_low"].unstack("role").reindex(index=wide.index, columns=roles),
                    src["ratio_high"].unstack("role").reindex(index=wide.index,
                                                              columns=roles))
    if ratio and log:
        vals = wide.to_numpy(dtype=float)
        finite = vals[np.isfinite(vals) & (vals > 0)]
        ends = [*finite]
        if band is not None:
            b = np.concatenate([band[0].to_numpy(float).ravel(), band[1].to_numpy(float).ravel()])
            ends += [*b[np.isfinite(b) & (b > 0)]]
        m = max([abs(np.log10(v)) for v in ends] + [0.3]) + 0.3
        lo, hi = 10 ** -m, 10 ** m
        ax.set_yscale("log")
        ax.set_ylim(lo, hi)
    for i, role in enumerate(roles):
        xs = x + (i - (len(roles) - 1) / 2) * width
        v = wide[role].to_numpy(dtype=float)
        color = ROLE_COLORS[role]
        if ratio and log:
            ok = np.isfinite(v) & (v > 0)
            ax.bar(xs[ok], v[ok] - 1, width, bottom=1.0, label=role, color=color,
                   edgecolor="black", linewidth=0.3)
            for xx, vv in zip(xs[~ok], v[~ok]):
                ax.annotate("0" if vv == 0 else "n/a", (xx, lo), xytext=(0, 2),
                            textcoords="offset points", ha="center", va="bottom",
                            fontsize=6, color=color)
        else:
            ax.bar(xs, np.nan_to_num(v, nan=0.0), width, label=role, color=color,
                   edgecolor="black", linewidth=0.3)
        if band is not None:
            bl, bh = band[0][role].to_numpy(float), band[1][role].to_numpy(float)
            okb = np.isfinite(bl) & np.isfinite(bh)
            if ratio and log:
                bl = np.where(bl > 0, bl, lo)
            ax.vlines(xs[okb], bl[okb], bh[okb], color="#555555", lw=2.5, alpha=0.6,
                      zorder=3, label="_band" if i else "chance (permutation interval)")
    ax.set_xticks(x, [str(g) for g in wide.index], rotation=30, ha="right")
    if ratio:
        ax.axhline(1.0, color="black", lw=0.8, label="_ref")
        ax.set_ylabel("observed / expected under random relabelling"
                      + (" (log scale)" if log else ""))
        if log:
            from matplotlib.ticker import FuncFormatter, LogLocator

            ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 3.0)))
            ax.yaxis.set_minor_locator(LogLocator(base=10, subs="auto"))
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    else:
        ax.set_ylabel(f"{value} brokered pairs")
    place_legend(ax, fontsize=8, frameon=False)
    return ax
