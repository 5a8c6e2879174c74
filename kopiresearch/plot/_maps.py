"""Maps of East Java drawn with matplotlib alone (no GDAL, geopandas or cartopy)."""

from __future__ import annotations

import functools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PatchCollection
from matplotlib.colors import Normalize
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from .._docs import fill_doc
from ..errors import KopiresearchError
from ..regions import region_boundaries, region_table
from ._palette import MISSING_COLOR, SEQUENTIAL_CMAP

__all__ = ["choropleth", "region_paths", "hatch_regions", "map_panels"]

#: Width / height of the East Java map frame (main island and Madura), for panel layouts.
_MAP_ASPECT = (114.65 - 110.85) / ((8.85 - 6.65) / np.cos(np.deg2rad(7.6)))


def map_panels(n, *, figsize=None, shared_colorbar=False, width=None):
    """A figure with ``n`` East Java map axes of the same size side by side, each with its
    own colour bar axes of the same height (or one colour bar for all).

    Use it when maps are compared: maps drawn with and without a colour bar, or with
    ``colorbar=True`` in subplots, come out in different sizes.

    Parameters
    ----------
    n : int
    figsize : tuple, optional
        Default: ``width`` (7.2 in, two journal columns) wide, height to fit.
    shared_colorbar : bool
        One colour bar at the right for all panels (pass ``cax=caxes[0]`` to the last
        :func:`choropleth` and ``colorbar=False`` to the others).

    Returns
    -------
    (Figure, list of Axes, list of Axes)
        The figure, the map axes (also ``fig.axes[:n]``) and the colour bar axes (one, or
        one per map).

    Examples
    --------
    >>> fig, axes, caxes = map_panels(2)
    >>> len(axes), len(caxes)
    (2, 2)
    """
    import matplotlib.pyplot as plt

    width = width or 7.2
    cbw = 0.035  # colour bar width as a share of the panel width
    if figsize is None:
        per = width / n
        figsize = (width, per * (1 - cbw * 6.5) / _MAP_ASPECT + 0.6)
    fig = plt.figure(figsize=figsize)
    ratios = []
    for k in range(n):
        ratios += [1.0]
        if not shared_colorbar or k == n - 1:
            ratios += [cbw, cbw * 5.5]  # colour bar, then room for its ticks and label
    gs = fig.add_gridspec(1, len(ratios), width_ratios=ratios, wspace=0.0, left=0.01,
                          right=0.99, top=0.88, bottom=0.1)
    map_cols, bar_cols, col = [], [], 0
    for k in range(n):
        map_cols.append(col)
        col += 1
        if not shared_colorbar or k == n - 1:
            bar_cols.append(col)
            col += 2
    axes = [fig.add_subplot(gs[0, c]) for c in map_cols]  # maps first: fig.axes[:n]
    caxes = [fig.add_subplot(gs[0, c]) for c in bar_cols]
    return fig, axes, caxes


@functools.cache
def _paths():
    out = {}
    for code, polygons in region_boundaries().items():
        vertices, codes = [], []
        for polygon in polygons:
            for ring in polygon:
                vertices.append(ring)
                c = np.full(len(ring), Path.LINETO, dtype=Path.code_type)
                c[0], c[-1] = Path.MOVETO, Path.CLOSEPOLY
                codes.append(c)
        out[code] = Path(np.concatenate(vertices), np.concatenate(codes))
    return out


def region_paths() -> dict:
    """One compound :class:`matplotlib.path.Path` per region code (islands and enclave holes
    included; exterior rings are counter-clockwise and holes clockwise, as in RFC 7946, so
    the default non-zero fill rule leaves enclaved kota such as Kota Kediri as holes).

    Examples
    --------
    >>> paths = region_paths()
    >>> len(paths), paths["3578"].contains_point((112.75, -7.27))  # Surabaya
    (38, True)
    """
    return dict(_paths())


def hatch_regions(ax, codes, *, hatch="...", zorder=3):
    """Hatch the outlines of regions ``codes`` over a map (e.g. regions whose value rests on
    too few cases), in black with no fill.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> hatch_regions(ax, ["3578", "3506"]).get_hatch()
    '...'
    >>> plt.close(fig)
    """
    paths = _paths()
    patches = PatchCollection([PathPatch(paths[c]) for c in codes], facecolor="none",
                              edgecolor="black", linewidth=0.8, hatch=hatch, zorder=zorder)
    ax.add_collection(patches)
    return patches


@fill_doc
def choropleth(values, ax=None, *, cmap=SEQUENTIAL_CMAP, label=None,
               missing_color=MISSING_COLOR, vmin=None, vmax=None, edgecolor="white",
               linewidth=0.4, colorbar=True, annotate=False, title=None, cax=None,
               center=None, missing_label="no data"):
    """Shade the 38 kabupaten/kota of East Java by a value.

    Parameters
    ----------
    values : pandas.Series or dict
        Indexed by 4-digit region code (``"3578"``). Regions absent or NaN are drawn in
        ``missing_color``; codes that are not East Java regions raise an error.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if missing.
    cmap : str or Colormap
        Default cividis (perceptually uniform, colour-blind safe, no near-white end).
    label : str, optional
        Colour bar label.
    missing_color : color
        Fill of regions without a value ("no data", "never reached").
    vmin, vmax : float, optional
        Colour scale limits (default: the data range).
    colorbar : bool
        Draw a colour bar.
    annotate : bool
        Write each region's short name at its centroid.
    title : str, optional
    cax : matplotlib.axes.Axes, optional
        Draw the colour bar there (see :func:`map_panels`), so the map keeps its size.
    center : float, optional
        For a diverging ``cmap``: the value at its middle colour (e.g. 0 for a
        difference); the scale is made symmetric around it.
    missing_label : str or None
        Legend entry for the hatched regions without a value (only drawn when some are).

    {{returns_axes}}

    Raises
    ------
    KopiresearchError
        An index entry that is not a region code.

    Examples
    --------
    >>> import pandas as pd
    >>> from kopiresearch.regions import region_table
    >>> pop = region_table()["population"] / 1e6
    >>> ax = choropleth(pop, label="population (millions)")
    >>> len(ax.collections)
    1
    """
    values = pd.Series(values, dtype=float) if not isinstance(values, pd.Series) else values
    values = values.astype(float)
    values.index = values.index.astype(str)
    paths = _paths()
    unknown = sorted(set(values.index) - set(paths))
    if unknown:
        raise KopiresearchError(f"values: {unknown[:5]} are not East Java region codes "
                                "(expected 4-digit codes such as '3578')")
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.2))
    codes = sorted(paths)
    data = np.array([values.get(c, np.nan) for c in codes], dtype=float)
    have = ~np.isnan(data)
    finite = data[have]
    lo = vmin if vmin is not None else (finite.min() if len(finite) else 0)
    hi = vmax if vmax is not None else (finite.max() if len(finite) else 1)
    if center is not None:
        half = max(abs(hi - center), abs(center - lo), 1e-12)
        lo, hi = center - half, center + half
    norm = Normalize(vmin=lo, vmax=hi)
    patches = [PathPatch(paths[c]) for c in codes]
    filled = PatchCollection([p for p, h in zip(patches, have) if h], cmap=cmap, norm=norm,
                             edgecolor=edgecolor, linewidth=linewidth)
    filled.set_array(data[have])
    ax.add_collection(filled)
    if (~have).any():
        ax.add_collection(PatchCollection([p for p, h in zip(patches, have) if not h],
                                          facecolor=missing_color, edgecolor=edgecolor,
                                          linewidth=linewidth, hatch="///"))
        if missing_label:
            from matplotlib.patches import Patch

            ax.legend(handles=[Patch(facecolor=missing_color, edgecolor="white",
                                     hatch="///", label=missing_label)],
                      loc="lower left", fontsize=7, frameon=False,
                      bbox_to_anchor=(0.0, -0.06))
    if colorbar and have.any():
        if cax is not None:
            cb = ax.figure.colorbar(filled, cax=cax)
        else:
            cb = ax.figure.colorbar(filled, ax=ax, shrink=0.7, pad=0.01)
        if label:
            cb.set_label(label)
    if annotate:
        table = region_table()
        for code in codes:
            ax.annotate(table.loc[code, "short_name"], (table.loc[code, "lon"],
                        table.loc[code, "lat"]), fontsize=6, ha="center", va="center")
    # the main island and Madura; far islands (Bawean, Masalembu, Kangean) would shrink Java
    ax.set_xlim(110.85, 114.65)
    ax.set_ylim(-8.85, -6.65)
    ax.set_aspect(1 / np.cos(np.deg2rad(7.6)))
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
