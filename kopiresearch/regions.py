"""The 38 kabupaten/kota of East Java: codes, names, Bakorwil, centroids, population, boundaries.

The table and the boundaries ship in ``data/regions/`` (see its ``SOURCES.md`` for the
sources, licences and caveats: the Bakorwil column is a reconstruction, population is the
Dukcapil registry count of December 2024).

Names are resolved the way people write them: ``"Kab. Kediri"``, ``"Kabupaten Kediri"``,
``"kab kediri"``, ``"Kota Kediri"``, ``"Surabaya"``, ``"KOTA BATU"``, ``"35.06"``. A bare name
shared by a kabupaten and a kota (Blitar, Kediri, Madiun, Malang, Mojokerto, Pasuruan,
Probolinggo) is ambiguous and raises :class:`AmbiguousRegionError`; it is never resolved
silently.
"""

from __future__ import annotations

import functools
import json
import re

import numpy as np
import pandas as pd

from ._paths import data_path
from .errors import AmbiguousRegionError, KopiresearchError, UnknownRegionError

__all__ = [
    "region_table",
    "region_by_code",
    "lookup_region",
    "resolve_region",
    "bakorwil_of",
    "bakorwil_members",
    "BAKORWIL",
    "region_boundaries",
    "PROVINCE_CODE",
    "PROVINCE_GROUP",
    "UNKNOWN_REGION",
    "LEVELS",
    "is_kabkota",
    "only_kabkota",
    "region_group",
]

#: ``region_code`` of accounts that speak for the whole province (Jawa Timur).
PROVINCE_CODE = "35"
#: Label of the province-wide accounts at Bakorwil level (they belong to no Bakorwil).
PROVINCE_GROUP = "province"
#: Label used for accounts of unknown region in region-level tables and graphs.
UNKNOWN_REGION = "unknown"
#: Levels at which accounts are grouped by region: kabupaten/kota codes or Bakorwil names.
LEVELS = ("kabkota", "bakorwil")
#: The five Bakorwil (coordinating bodies) of East Java, in their official order.
BAKORWIL = ("I Madiun", "II Bojonegoro", "III Malang", "IV Pamekasan", "V Jember")

_KAB = re.compile(r"^(kabupaten|kab)\b\.?\s*")
_KOTA = re.compile(r"^(kota\s*madya|kotamadya|kodya|kota|kot)\b\.?\s*")


@functools.cache
def _table() -> pd.DataFrame:
    path = data_path("regions", "jatim_regions.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["lat"] = frame["lat"].astype(float)
    frame["lon"] = frame["lon"].astype(float)
    frame["population"] = frame["population"].astype("int64")
    frame["population_year"] = frame["population_year"].astype("int64")
    return frame.set_index("code")


def region_table() -> pd.DataFrame:
    """The regions table, indexed by 4-digit code (a copy).

    Columns: ``name`` (official), ``short_name``, ``kind`` (kabupaten/kota), ``bakorwil``,
    ``lat``, ``lon`` (centroid of the main landmass), ``population``, ``population_year``.

    Examples
    --------
    >>> t = region_table()
    >>> len(t), int((t["kind"] == "kota").sum())
    (38, 9)
    >>> t.loc["3578", "name"]
    'Kota Surabaya'
    """
    return _table().copy()


def region_by_code(code) -> pd.Series:
    """The row of one region by its code (``"3506"``, ``3506`` or ``"35.06"``).

    Examples
    --------
    >>> region_by_code("35.06")["name"]
    'Kabupaten Kediri'
    """
    key = _normalise_code(code)
    if key is None or key not in _table().index:
        raise UnknownRegionError(f"no East Java kabupaten/kota has code {code!r}")
    return _table().loc[key].copy()


def _normalise_code(value):
    text = str(value).strip().replace(".", "")
    return text if re.fullmatch(r"35\d\d", text) else None


def _clean(name: str) -> str:
    text = str(name).lower().strip()
    text = re.sub(r"[^a-z0-9. ]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@functools.cache
def _name_index():
    by_full, by_short = {}, {}
    for code, row in _table().iterrows():
        short = _clean(row["short_name"])
        by_full[(row["kind"], short)] = code
        by_short.setdefault(short, []).append(code)
    return by_full, by_short


def lookup_region(name) -> str:
    """Resolve a code or a name, in any usual spelling, to the 4-digit code.

    Parameters
    ----------
    name : str or int
        ``"Kab. Kediri"``, ``"Kabupaten Kediri"``, ``"kab kediri"``, ``"Kota Kediri"``,
        ``"Surabaya"``, ``"KOTA BATU"``, ``"3571"``, ``"35.71"``.

    Returns
    -------
    str
        The 4-digit code.

    Raises
    ------
    AmbiguousRegionError
        A bare name that is both a kabupaten and a kota; the message lists both.
    UnknownRegionError
        No region has that name or code.

    Examples
    --------
    >>> lookup_region("Kab. Kediri"), lookup_region("kota kediri"), lookup_region("Surabaya")
    ('3506', '3571', '3578')
    >>> lookup_region("KOTA BATU")
    '3579'
    >>> lookup_region("Kediri")
    Traceback (most recent call last):
    ...
    kopiresearch.errors.AmbiguousRegionError: 'Kediri' is ambiguous: Kabupaten Kediri (3506) or ...
    """
    code = _normalise_code(name)
    if code is not None:
        if code not in _table().index:
            raise UnknownRegionError(f"no East Java kabupaten/kota has code {name!r}")
        return code
    text = _clean(name)
    kind = None
    if _KAB.match(text):
        kind, text = "kabupaten", _KAB.sub("", text, count=1)
    elif _KOTA.match(text):
        kind, text = "kota", _KOTA.sub("", text, count=1)
    text = text.replace(".", " ").strip()
    text = re.sub(r"\s+", " ", text)
    by_full, by_short = _name_index()
    if kind is not None:
        if (kind, text) in by_full:
            return by_full[(kind, text)]
        raise UnknownRegionError(f"no {kind} named {name!r} in East Java")
    codes = by_short.get(text)
    if not codes:
        raise UnknownRegionError(f"no East Java kabupaten/kota is named {name!r}")
    if len(codes) > 1:
        table = _table()
        options = " or ".join(f"{table.loc[c, 'name']} ({c})" for c in codes)
        short = table.loc[codes[0], "short_name"]
        raise AmbiguousRegionError(
            f"{name!r} is ambiguous: {options}; write 'Kab. {short}' or 'Kota {short}'",
            candidates=codes)
    return codes[0]


def resolve_region(value, *, allow_province=True):
    """Like :func:`lookup_region`, but missing values give ``None`` and ``"35"`` /
    ``"Jawa Timur"`` / ``"Provinsi Jawa Timur"`` give the province code ``"35"``.

    Examples
    --------
    >>> resolve_region(None) is None, resolve_region("Provinsi Jawa Timur")
    (True, '35')
    """
    if _missing(value):
        return None
    text = _clean(value)
    if text in ("", "unknown", "nan", "none"):
        return None
    if allow_province and text in ("35", "jawa timur", "jatim", "provinsi jawa timur",
                                   "prov jawa timur", "prov. jawa timur", "province"):
        return PROVINCE_CODE
    return lookup_region(value)


def bakorwil_of(code) -> str | None:
    """The Bakorwil of a region code (``None`` for the province or an unknown region).

    Examples
    --------
    >>> bakorwil_of("3506"), bakorwil_of("3578"), bakorwil_of("35")
    ('I Madiun', 'III Malang', None)
    """
    if _missing(code):
        return None
    key = _normalise_code(code)
    if key is None:
        return None
    if key not in _table().index:
        raise UnknownRegionError(f"no East Java kabupaten/kota has code {code!r}")
    return _table().loc[key, "bakorwil"]


def bakorwil_members(bakorwil) -> list[str]:
    """The region codes of one Bakorwil, given as ``"I Madiun"``, ``"Madiun"``, ``"I"`` or
    ``"Bakorwil I"``.

    Examples
    --------
    >>> bakorwil_members("Bakorwil IV")
    ['3526', '3527', '3528', '3529']
    """
    text = _clean(bakorwil).replace("bakorwil", "").strip()
    for name in BAKORWIL:
        roman, seat = name.lower().split(" ", 1)
        if text in (name.lower(), roman, seat):
            t = _table()
            return sorted(t.index[t["bakorwil"] == name])
    raise UnknownRegionError(f"no Bakorwil named {bakorwil!r}; known: {', '.join(BAKORWIL)}")


@functools.cache
def _boundaries():
    with open(data_path("regions", "jatim_kabkota.geojson"), encoding="utf-8") as fh:
        geo = json.load(fh)
    out = {}
    for feature in geo["features"]:
        geom = feature["geometry"]
        polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        out[feature["properties"]["code"]] = tuple(
            tuple(np.asarray(ring, dtype=float) for ring in poly) for poly in polys)
    return out


def region_boundaries() -> dict:
    """Boundaries by code: a tuple of polygons, each a tuple of rings (``(n, 2)`` arrays of
    lon, lat; the first ring is the exterior, the others are holes).

    Examples
    --------
    >>> b = region_boundaries()
    >>> len(b), len(b["3529"]) > 100  # Sumenep has many islands
    (38, True)
    """
    return dict(_boundaries())


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def is_kabkota(code) -> bool:
    """Whether a region label names one kabupaten/kota, not the whole province or nowhere.

    The one test of "a region" that every region count of the package uses (the reach of a
    simulation, the seeding objectives, the teaching labs): missing values,
    :data:`UNKNOWN_REGION` and the province code :data:`PROVINCE_CODE` are not regions; any
    other label is (a 4-digit code of the bundled table, or a label of a user's own graph).

    Examples
    --------
    >>> is_kabkota("3578"), is_kabkota("35"), is_kabkota("unknown"), is_kabkota(None)
    (True, False, False, False)
    """
    return not _missing(code) and str(code) not in (PROVINCE_CODE, UNKNOWN_REGION)


def only_kabkota(table, column=None):
    """The rows of ``table`` whose region names one kabupaten/kota (:func:`is_kabkota`).

    What a per-region count, table or map keeps: the province-wide code
    :data:`PROVINCE_CODE`, :data:`UNKNOWN_REGION` and missing regions are dropped, every other
    label stays (so a user's own region labels are kept, and a map of East Java says which of
    them it cannot draw).

    Parameters
    ----------
    table : pandas.Series or pandas.DataFrame
        Rows labelled by region: in the index, or in ``column``.
    column : str, optional
        The column holding each row's region (default: the index). A Series whose values
        are the regions (a node -> region mapping) is filtered with
        ``labels[labels.map(is_kabkota)]``.

    Returns
    -------
    pandas.Series or pandas.DataFrame
        The kept rows of ``table``, in their order (a selection, not a copy to write into).

    Examples
    --------
    >>> import pandas as pd
    >>> reach = pd.Series([0.4, 0.9, 0.1, 0.2], index=["3578", "35", "unknown", "3507"])
    >>> only_kabkota(reach).index.tolist()
    ['3578', '3507']
    >>> rows = pd.DataFrame({"region_code": ["3578", None, "35"], "n": [1, 2, 3]})
    >>> only_kabkota(rows, "region_code")["n"].tolist()
    [1]
    """
    labels = table.index if column is None else table[column]
    keep = np.fromiter((is_kabkota(v) for v in labels), dtype=bool, count=len(labels))
    return table[keep]


def region_group(code, level: str = "kabkota"):
    """The group a region code falls in at ``level``, as region tables and graphs label it.

    Parameters
    ----------
    code : str or None
        A ``region_code`` value: a kabupaten/kota code, :data:`PROVINCE_CODE`, a missing
        value or :data:`UNKNOWN_REGION`.
    level : {"kabkota", "bakorwil"}
        ``"kabkota"``: the code itself (the province keeps ``"35"``). ``"bakorwil"``: the
        Bakorwil name (:func:`bakorwil_of`; the province becomes :data:`PROVINCE_GROUP`).

    Returns
    -------
    str or None
        The label; :data:`UNKNOWN_REGION` for a missing or unknown region; ``None`` at
        Bakorwil level for a code that is not an East Java kabupaten/kota.

    Raises
    ------
    KopiresearchError
        ``level`` not one of :data:`LEVELS`.

    Examples
    --------
    >>> region_group("3506"), region_group("3506", "bakorwil"), region_group("35", "bakorwil")
    ('3506', 'I Madiun', 'province')
    >>> region_group(None, "bakorwil"), region_group("35")
    ('unknown', '35')
    """
    if level not in LEVELS:
        raise KopiresearchError(f"level must be 'kabkota' or 'bakorwil', not {level!r}")
    if _missing(code) or code == UNKNOWN_REGION:
        return UNKNOWN_REGION
    if code == PROVINCE_CODE:
        return PROVINCE_CODE if level == "kabkota" else PROVINCE_GROUP
    return code if level == "kabkota" else bakorwil_of(code)
