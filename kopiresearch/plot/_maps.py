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

from ..errors import KopiresearchError
from ..regions import region_boundaries, region_table

__all__ = ["choropleth", "region_paths"]


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


def choropleth(values, ax=None, *, cmap="viridis", label=None, missing_color="lightgrey",
               vmin=None, vmax=None, edgecolor="white", linewidth=0.4, colorbar=True,
               annotate=False, title=None):
    """Shade the 38 kabupaten/kota of East Java by a value.

    Parameters
    ----------
    values : pandas.Series or dict
        Indexed by 4-digit region code (``"3578"``). Regions absent or NaN are drawn in
        ``missing_color``; codes that are not East Java regions raise an error.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if missing.
    cmap : str or Colormap
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

    Returns
    -------
    matplotlib.axes.Axes

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
    norm = Normalize(vmin=vmin if vmin is not None else (finite.min() if len(finite) else 0),
                     vmax=vmax if vmax is not None else (finite.max() if len(finite) else 1))
    patches = [PathPatch(paths[c]) for c in codes]
    filled = PatchCollection([p for p, h in zip(patches, have) if h], cmap=cmap, norm=norm,
                             edgecolor=edgecolor, linewidth=linewidth)
    filled.set_array(data[have])
    ax.add_collection(filled)
    if (~have).any():
        ax.add_collection(PatchCollection([p for p, h in zip(patches, have) if not h],
                                          facecolor=missing_color, edgecolor=edgecolor,
                                          linewidth=linewidth, hatch="///"))
    if colorbar and have.any():
        cb = ax.figure.colorbar(filled, ax=ax, shrink=0.7, pad=0.01)
        if label:
            cb.set_label(label)
    if annotate:
        table = region_table()
        for code in codes:
            ax.annotate(table.loc[code, "short_name"], (table.loc[code, "lon"],
                        table.loc[code, "lat"]), fontsize=5, ha="center", va="center")
    # the main island and Madura; far islands (Bawean, Masalembu, Kangean) would shrink Java
    ax.set_xlim(110.85, 114.65)
    ax.set_ylim(-8.85, -6.65)
    ax.set_aspect(1 / np.cos(np.deg2rad(7.6)))
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
