"""House style, one-call saving, legends that avoid the data and labels that do not overlap.

House style
-----------
Figures are sized for a journal page: :data:`COLUMN_WIDTH` (3.5 in, 89 mm: one column
of Nature, Elsevier, PLOS or Springer journals) and :data:`PAGE_WIDTH` (7.2 in, 183 mm:
two columns). :func:`house_style` sets DejaVu Sans (shipped with matplotlib, so the
same glyphs on every machine) at 8 pt for text, 7 pt for ticks and legends, 9 pt for
titles, 0.8 pt lines and no top/right spines; nothing is smaller than 6 pt when the
figure is printed at its own size. Use it as a context manager around a figure, or
``plt.rcParams.update(HOUSE_STYLE)`` at the top of a notebook.

Saving
------
:func:`save_figure` writes PNG (600 dpi, line-art resolution) and SVG in one call. The SVG
is byte-for-byte reproducible: the ids matplotlib writes are salted with a fixed
``svg.hashsalt`` and the ``Date`` metadata is left out.
"""

from __future__ import annotations

import contextlib
import os

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.transforms import Bbox

__all__ = ["COLUMN_WIDTH", "PAGE_WIDTH", "HOUSE_STYLE", "house_style", "save_figure",
           "place_legend", "place_labels", "data_points"]

#: One journal column, in inches (89 mm).
COLUMN_WIDTH = 3.5
#: Two journal columns, in inches (183 mm).
PAGE_WIDTH = 7.2

#: matplotlib rcParams of the house style.
HOUSE_STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "figure.titlesize": 9,
    "axes.linewidth": 0.6,
    "lines.linewidth": 1.0,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "figure.dpi": 100,
    "savefig.dpi": 600,
    "svg.hashsalt": "kopiresearch",
    "image.cmap": "cividis",
}


@contextlib.contextmanager
def house_style():
    """Context manager: draw with the :data:`HOUSE_STYLE` rcParams.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with house_style():
    ...     fig, ax = plt.subplots(figsize=(COLUMN_WIDTH, 2.5))
    ...     plt.rcParams["font.size"]
    8.0
    """
    with mpl.rc_context(HOUSE_STYLE):
        yield


def save_figure(fig, path, *, formats=("png", "svg"), dpi=600, transparent=False):
    """Save a figure (or the figure of an Axes) as PNG and SVG at print resolution.

    Parameters
    ----------
    fig : matplotlib.figure.Figure or matplotlib.axes.Axes
    path : str or os.PathLike
        File name without extension (an extension given is replaced).
    formats : sequence of str
        ``"png"``, ``"svg"``, ``"pdf"``.
    dpi : int
        Resolution of the raster formats (600 dpi: line art).

    Returns
    -------
    list of str
        The files written.

    Notes
    -----
    SVG output is deterministic: ``svg.hashsalt`` is fixed and the ``Date`` metadata left
    out, so saving the same figure twice gives the same bytes (diff-able in git).

    Examples
    --------
    >>> import os, tempfile
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [0, 1])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     files = save_figure(ax, os.path.join(tmp, "line"))
    ...     [os.path.basename(f) for f in files]
    ['line.png', 'line.svg']
    """
    fig = getattr(fig, "figure", fig)
    fig = fig.get_figure(root=True) if hasattr(fig, "get_figure") else fig
    stem, ext = os.path.splitext(os.fspath(path))
    if ext.lower().lstrip(".") not in ("png", "svg", "pdf", ""):
        stem = os.fspath(path)
    os.makedirs(os.path.dirname(stem) or ".", exist_ok=True)
    written = []
    for fmt in formats:
        out = f"{stem}.{fmt}"
        meta = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None},
                "png": {}}.get(fmt, {})
        with mpl.rc_context({"svg.hashsalt": "kopiresearch"}):
            fig.savefig(out, format=fmt, dpi=dpi, bbox_inches="tight", metadata=meta,
                        transparent=transparent)
        written.append(out)
    return written


def _renderer(fig):
    fig = fig.get_figure(root=True) if hasattr(fig, "get_figure") else fig
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def data_points(ax):
    """Display coordinates (pixels) of what an Axes shows as data: scatter offsets, line
    vertices and the corners and centre of bars.

    Returns
    -------
    numpy.ndarray
        Shape ``(n, 2)``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.scatter([0, 1], [0, 1])
    >>> data_points(ax).shape
    (2, 2)
    """
    pts = []
    for coll in ax.collections:
        offs = coll.get_offsets()
        if len(offs) and coll.get_offset_transform() is not None:
            xy = np.asarray(coll.get_offset_transform().transform(np.asarray(offs, float)))
            pts.append(xy)
    for line in ax.get_lines():
        if line.get_label().startswith("_ref"):
            continue
        xy = np.column_stack([np.asarray(line.get_xdata(), float) if not
                              np.issubdtype(np.asarray(line.get_xdata()).dtype,
                                            np.datetime64) else
                              mpl.dates.date2num(line.get_xdata()),
                              np.asarray(line.get_ydata(), float)])
        if len(xy) and line.get_transform() is not None:
            xy = xy[np.isfinite(xy).all(axis=1)]
            pts.append(line.get_transform().transform(xy))
    for patch in ax.patches:
        if isinstance(patch, mpl.patches.Rectangle) and patch.get_width() != 0:
            bb = patch.get_window_extent()
            pts.append(np.array([[bb.x0, bb.y0], [bb.x1, bb.y1], [bb.x0, bb.y1],
                                 [bb.x1, bb.y0], [(bb.x0 + bb.x1) / 2, (bb.y0 + bb.y1) / 2]]))
    if not pts:
        return np.zeros((0, 2))
    out = np.concatenate(pts)
    return out[np.isfinite(out).all(axis=1)]


_LOCS = ("upper right", "upper left", "lower left", "lower right", "center right",
         "center left", "upper center", "lower center")


def place_legend(ax, handles=None, labels=None, *, outside="right", **kwargs):
    """Put the legend where it covers no data point, or outside the axes if no corner is
    free.

    Tries the corners and edge centres of the axes in a fixed order and keeps the first
    whose legend box holds none of :func:`data_points`; else puts the legend beside
    (``outside="right"``) or below (``"below"``) the axes.

    Returns
    -------
    matplotlib.legend.Legend

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.scatter([0.9, 0.95], [0.9, 0.95], label="points")
    >>> ax.set_xlim(0, 1); ax.set_ylim(0, 1)  # doctest: +ELLIPSIS
    (...)
    >>> place_legend(ax)._loc != 1  # not upper right, where the points are
    True
    """
    if handles is None:
        handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return None
    renderer = _renderer(ax.figure)
    pts = data_points(ax)
    for loc in _LOCS:
        leg = ax.legend(handles, labels, loc=loc, **kwargs)
        bb = leg.get_window_extent(renderer).padded(2)
        inside = ((pts[:, 0] >= bb.x0) & (pts[:, 0] <= bb.x1) & (pts[:, 1] >= bb.y0)
                  & (pts[:, 1] <= bb.y1)) if len(pts) else np.zeros(0, bool)
        if not inside.any():
            return leg
    if outside == "below":
        return ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.15),
                         ncol=min(len(handles), 4), **kwargs)
    return ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                     borderaxespad=0, **kwargs)


def _overlaps(bb, boxes):
    return any(bb.overlaps(o) for o in boxes)


def place_labels(ax, xy, texts, *, fontsize=7, pad_points=3.0, radius_points=None,
                 color="black", avoid=None, leader=True, **text_kw):
    """Write labels next to points, greedily, so that no two labels overlap.

    Labels are placed in the order given (put the most important first). Each label tries
    eight positions around its point (right, left, above, below and the diagonals; the
    "eight-position model" of cartographic point labelling, Imhof 1975; greedy placement
    as in Christensen, Marks & Shieber 1995), first close to the point and then at three
    times the distance with a thin leader line; a label that fits nowhere is left out, so
    the figure never shows overlapping text.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    xy : array-like, shape (n, 2)
        Data coordinates of the points.
    texts : sequence of str
    fontsize : float
    pad_points : float
        Gap between the point and its label, in points.
    radius_points : array-like, optional
        Marker radius of each point in points (so the label clears a large node).
    avoid : array-like, shape (m, 2), optional
        Further data points labels must not cover (e.g. the other big nodes).

    Returns
    -------
    list of matplotlib.text.Text
        The labels drawn (``len`` <= ``len(texts)``).

    References
    ----------
    .. [1] Imhof, E. (1975). Positioning names on maps. The American Cartographer 2(2).
    .. [2] Christensen, J., Marks, J., & Shieber, S. (1995). An empirical study of
       algorithms for point-feature label placement. ACM Transactions on Graphics 14(3).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.scatter([0, 0.01, 1], [0, 0, 1])
    >>> drawn = place_labels(ax, [(0, 0), (0.01, 0), (1, 1)], ["a", "b", "c"])
    >>> len(drawn)
    3
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    renderer = _renderer(ax.figure)
    to_px = ax.figure.dpi / 72.0
    rad = (np.zeros(len(xy)) if radius_points is None
           else np.asarray(radius_points, dtype=float))
    axbb = ax.get_window_extent(renderer)
    pix = ax.transData.transform(xy) if len(xy) else np.zeros((0, 2))
    avoid_px = (ax.transData.transform(np.asarray(avoid, float).reshape(-1, 2))
                if avoid is not None else np.zeros((0, 2)))
    placed, boxes = [], []
    dirs = [(1, 0, "left", "center"), (-1, 0, "right", "center"), (0, 1, "center", "bottom"),
            (0, -1, "center", "top"), (0.71, 0.71, "left", "bottom"),
            (-0.71, 0.71, "right", "bottom"), (0.71, -0.71, "left", "top"),
            (-0.71, -0.71, "right", "top")]
    for i, text in enumerate(texts):
        done = False
        for scale in (1.0, 3.0):
            for dx, dy, ha, va in dirs:
                r = (rad[i] + pad_points) * scale
                t = ax.annotate(str(text), xy[i], xytext=(dx * r, dy * r),
                                textcoords="offset points", ha=ha, va=va, fontsize=fontsize,
                                color=color, zorder=6, annotation_clip=False, **text_kw)
                bb = _text_box(t, renderer).padded(1)
                ok = (axbb.contains(bb.x0, bb.y0) and axbb.contains(bb.x1, bb.y1)
                      and not _overlaps(bb, boxes))
                if ok:
                    others = np.concatenate([np.delete(pix, i, axis=0), avoid_px])
                    if len(others):
                        inside = ((others[:, 0] >= bb.x0) & (others[:, 0] <= bb.x1)
                                  & (others[:, 1] >= bb.y0) & (others[:, 1] <= bb.y1))
                        ok = not inside.any()
                if ok:
                    if scale > 1 and leader:
                        t.remove()
                        t = ax.annotate(str(text), xy[i], xytext=(dx * r, dy * r),
                                        textcoords="offset points", ha=ha, va=va,
                                        fontsize=fontsize, color=color, zorder=6,
                                        annotation_clip=False,
                                        arrowprops={"arrowstyle": "-", "lw": 0.4,
                                                    "color": "#555555",
                                                    "shrinkA": 0, "shrinkB": rad[i] * to_px},
                                        **text_kw)
                    placed.append(t)
                    boxes.append(bb)
                    done = True
                    break
                t.remove()
            if done:
                break
    return placed


def _label_boxes(texts, renderer=None):
    """Window extents of the text of Text or Annotation artists (leader lines left out)."""
    if not texts:
        return []
    renderer = renderer or _renderer(texts[0].figure)
    return [_text_box(t, renderer) for t in texts]


def _text_box(t, renderer):
    """Extent of the text alone (an Annotation's own extent includes its arrow)."""
    from matplotlib.text import Text

    if hasattr(t, "update_positions"):
        t.update_positions(renderer)
    return Text.get_window_extent(t, renderer)


def _boxes_overlap(boxes) -> bool:
    return any(Bbox.intersection(a, b) is not None and a.overlaps(b)
               for k, a in enumerate(boxes) for b in boxes[k + 1:])


def _new_axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax
