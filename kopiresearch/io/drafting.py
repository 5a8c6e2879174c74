"""Draft labels (kabupaten/kota and actor type) from profiles, for the researcher to review.

Real crawls give no region and no actor type; every regional question needs both. This module
proposes them from what the crawl does give: the profile location (free text such as
``"Kota Malang | Jatim"``, ``"Sby"``, ``"di hatimu"``), the display name and bio where a loader
keeps them, and the handle (``pemkotmalang``, ``polres_kediri``). Every proposal carries its
evidence and a confidence. A proposal is never a guess between places: a bare ``"Malang"`` lists
Kabupaten Malang (3507) and Kota Malang (3573) and leaves the decision to the researcher.

The vocabulary is the regions table plus ``data/regions/jatim_region_names.csv`` (usual
spellings, abbreviations, old and Dutch-era spellings, Javanese and Madurese names, seats and
well-known towns, each with its source; see ``data/regions/SOURCES.md``) and
``data/regions/places_outside_jatim.csv`` (places outside East Java). Typos are matched with
RapidFuzz's normalised Indel similarity (``rapidfuzz.fuzz.ratio``), with cut-offs chosen for
precision: a wrong region is worse than none.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import NamedTuple

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from .._paths import data_path
from ..corpus import Corpus
from ..regions import PROVINCE_CODE, region_table

__all__ = [
    "draft_labels",
    "match_location",
    "guess_actor_type",
    "location_scores",
    "read_twarc2_profiles",
    "LocationMatch",
    "ActorGuess",
    "DRAFT_COLUMNS",
    "OUTSIDE",
    "UNKNOWN",
]

#: Answer of :func:`match_location` for a place outside East Java.
OUTSIDE = "outside"
#: Answer of :func:`match_location` when the text names no place it knows.
UNKNOWN = "unknown"

#: Columns of the table :func:`draft_labels` returns, in order. The first six are the ones
#: :func:`kopiresearch.io.read_labels` reads; the others are for the review and are ignored
#: when the file is passed to ``kopiresearch load --labels``.
DRAFT_COLUMNS = (
    "account_id", "handle", "platform", "actor_type", "region", "partnered",
    "review", "region_proposal", "region_candidates", "region_evidence", "region_confidence",
    "actor_type_evidence", "actor_type_confidence", "location",
)

_KIND_WORDS = {"kota": "kota", "kot": "kota", "kodya": "kota", "kotamadya": "kota",
               "pemkot": "kota", "kab": "kabupaten", "kabupaten": "kabupaten",
               "kabupatan": "kabupaten", "pemkab": "kabupaten"}
# words that never start a fuzzy match (they are either kind words, the country, or address
# and filler words of profile locations)
_STOP = frozenset("""
indonesia id ina idn ri nkri jawa java timur kota kab kabupaten kec kecamatan kel kelurahan
desa dusun jl jln jalan rt rw no gang gg perum blok kampung kp city regency province provinsi
prov propinsi and dan di ke of the in from dari asal tinggal lahir based area sekitar raya
barat utara selatan tengah wetan kulon lor kidul pusat nya aku saya kamu sini sana mana
""".split())
# cut-offs of rapidfuzz.fuzz.ratio (0-100) by the length of the compared text: short words
# need a near-exact match ("kedri" -> kediri is 90.9; "sedang" -> serang 83.3 and
# "magelang" -> magetan 80.0 must fail)
_FUZZY_MIN_LEN = 5


def _cutoff(n: int) -> float:
    return 90.0 if n <= 5 else 85.0


class LocationMatch(NamedTuple):
    """What :func:`match_location` found in one text."""

    #: a 4-digit region code, ``"35"`` (province only), ``"outside"``,
    #: ``"ambiguous:CODE1|CODE2..."`` or ``"unknown"``
    answer: str
    #: candidate region codes (one for a region, several for an ambiguous text)
    codes: tuple
    #: the words that gave the answer and how they matched
    evidence: str
    #: 0-1; exact names 0.95, abbreviations and towns 0.9, fuzzy matches less
    confidence: float


class ActorGuess(NamedTuple):
    """What :func:`guess_actor_type` found in a handle and a display name."""

    #: an actor type of :data:`kopiresearch.ACTOR_TYPES` (``"unknown"`` when no rule fired)
    actor_type: str
    #: the pattern that fired
    evidence: str
    #: 0-1
    confidence: float
    #: region codes the handle or name names (``("35",)`` for the province), maybe empty
    codes: tuple


class _Mention(NamedTuple):
    what: str          # "region", "province", "outside"
    codes: frozenset   # region codes (for "region")
    text: str          # the words matched
    how: str           # exact / fuzzy NN / kind
    confidence: float


# --------------------------------------------------------------------------- vocabulary


@functools.cache
def _regions():
    """(code -> official name, code -> kind) of the 38 regions, as plain dicts."""
    t = region_table()
    return t["name"].to_dict(), t["kind"].to_dict()


@functools.cache
def _vocabulary():
    """alias -> (codes, kind of alias); outside place -> kind; fuzzy choice lists."""
    aliases: dict[str, tuple[frozenset, str]] = {}
    table = region_table()
    for code, row in table.iterrows():
        short = _norm_words(row["short_name"])
        codes = frozenset(table.index[table["short_name"] == row["short_name"]])
        aliases[short] = (codes, "short")
        aliases[short.replace(" ", "")] = (codes, "short")
        aliases[_norm_words(row["name"])] = (frozenset([code]), "official")
    names = pd.read_csv(data_path("regions", "jatim_region_names.csv"), dtype=str,
                        keep_default_na=False)
    for row in names.itertuples(index=False):
        key = _norm_words(row.alias)
        codes = frozenset(row.codes.split("|"))
        aliases[key] = (codes, row.kind)
        aliases.setdefault(key.replace(" ", ""), (codes, row.kind))
    outside = pd.read_csv(data_path("regions", "places_outside_jatim.csv"), dtype=str,
                          keep_default_na=False)
    places = {_norm_words(p): k for p, k in zip(outside["place"], outside["kind"],
                                                strict=True)}
    # fuzzy matching only against names of at least 5 letters (abbreviations are exact only)
    # and never against "kota X"/"kabupaten X": the kind is read from the kind word only, so
    # that "kab malang" can never become Kota Malang by one edit of the prefix
    choices = sorted({k for k in list(aliases) + list(places)
                      if len(k.replace(" ", "")) >= _FUZZY_MIN_LEN
                      and k.split()[0] not in _KIND_WORDS})
    return aliases, places, choices


def _norm_words(text) -> str:
    return " ".join(_tokens(str(text)))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _fold(text).replace("'", ""))


_SEGMENT = re.compile(r"[|/\\,;:()\[\]{}<>\n\r\t•·~+=*!?&]|\s[-\u2013\u2014]\s|[\u2013\u2014]")


def _segments(text: str) -> list[list[str]]:
    # hashtags and handles glue words in camel case: "#SurabayaHebat", "KotaBlitar"
    text = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text)
    folded = _fold(text)
    # emoji, flags and symbols separate words; hyphens and dots inside a segment do not
    return [t for t in (_tokens(s) for s in _SEGMENT.split(folded)) if t]


# --------------------------------------------------------------------------- matching


def match_location(text) -> LocationMatch:
    """Match a free-text profile location to an East Java kabupaten/kota, the province,
    a place outside East Java, or nothing.

    Parameters
    ----------
    text : str or None
        A profile location as users write it: ``"Kota Malang | Jatim"``,
        ``"Surabaya - Jawa Timur, Indonesia"``, ``"Sby"``, ``"🏠 Songennep"``, ``"di hatimu"``.

    Returns
    -------
    LocationMatch
        ``answer`` is a 4-digit code, ``"35"``, ``"outside"``, ``"ambiguous:C1|C2..."`` or
        ``"unknown"``; with the candidate codes, the evidence and a confidence.

    See Also
    --------
    draft_labels : the same for every account of a corpus, as a labels table.
    kopiresearch.regions.lookup_region : strict lookup of one official name or code.

    Notes
    -----
    Camel case is split (``#SurabayaHebat`` -> ``surabaya hebat``), the text is
    case-folded, accents are removed (``Songènèp`` -> ``songenep``) and it is cut
    into segments at ``| / , ; ( )``, emoji and spaced dashes. Within each segment the
    longest run of up to four words that is a known name wins (exact match on the regions
    table, ``jatim_region_names.csv`` and ``places_outside_jatim.csv``); a word that is no
    known name is compared, alone and joined with the next word, with every known name of
    at least five letters by RapidFuzz's normalised Indel similarity ``fuzz.ratio``
    (cut-off 90 for five letters, 85 for longer), the best above the cut-off wins. Kind
    words (``kota``, ``kab``) are never part of a fuzzy match, and ``"Kota X"`` or
    ``"Kabupaten X"`` never a fuzzy target, so that a typo cannot turn a kabupaten into a
    kota. Address and filler words (``jl``, ``kec``, ``indonesia``, ``di``, ...) are not
    matched alone; two words starting with one are (``"jawa timurr"``) when they have at
    least eight letters. ``Kota``/``Kab.`` before a name (or after it, at the end of
    its segment: ``"Malang kota"``) selects the kota or the kabupaten of a shared name; a
    name with one region keeps it whatever the kind word (``"Kota Jember"`` is the town).

    The mentions are combined so that nothing is chosen that the text does not say:

    - the region candidates are the intersection of the mentions' code sets
      (``"Kepanjen, Malang"`` -> 3507), or their union when they disagree
      (``"Surabaya / Sidoarjo"`` -> ambiguous);
    - one candidate gives that code, several give ``ambiguous:...`` (never one of them);
    - a region and a place outside East Java together give ``unknown`` (the profile
      names both; which one holds is for the researcher);
    - only the province gives ``"35"``; only outside places give ``"outside"``
      (``"Indonesia"`` alone is no place: ``unknown``).

    Confidence: 0.95 for exact names and official forms, 0.9 for abbreviations, towns,
    nicknames and areas, ``0.9 * score / 100`` for a fuzzy match; a combination takes the
    smallest; an ambiguous answer is the confidence that the region is among the
    candidates.

    References
    ----------
    .. [1] Bachmann, M. RapidFuzz (fuzz.ratio: normalised Indel similarity).
       https://github.com/rapidfuzz/RapidFuzz
    .. [2] Hecht, B., Hong, L., Suh, B., & Chi, E. H. (2011). Tweets from Justin Bieber's
       heart: the dynamics of the location field in user profiles. CHI '11, 237-246.
       doi:10.1145/1978942.1978976 (a third of profile locations name no real place).

    Examples
    --------
    >>> match_location("Kota Malang | Jatim").answer
    '3573'
    >>> match_location("Malang").answer
    'ambiguous:3507|3573'
    >>> match_location("Sby").answer, match_location("Jawa Timur, Indonesia").answer
    ('3578', '35')
    >>> match_location("Jakarta Selatan").answer, match_location("di hatimu").answer
    ('outside', 'unknown')
    >>> m = match_location("Probolingo kota")
    >>> m.answer, m.confidence < 0.9
    ('3574', True)
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
        return LocationMatch(UNKNOWN, (), "no location", 0.0)
    return _match_text(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _match_text(text: str) -> LocationMatch:
    """match_location on a string, cached: real crawls repeat the same few locations."""
    segments = []
    for seg in _segments(text):
        if segments and len(seg) == 1 and seg[0] in _KIND_WORDS:
            segments[-1] = segments[-1] + seg  # "Kediri (kota)" reads as "Kediri kota"
        else:
            segments.append(seg)
    mentions = []
    for seg in segments:
        mentions.extend(_match_segment(seg))
    return _combine(mentions)


def _match_segment(tokens: list[str]) -> list[_Mention]:
    aliases, places, choices = _vocabulary()
    out = []
    i, n = 0, len(tokens)
    while i < n:
        hit = None
        for length in range(min(4, n - i), 0, -1):
            words = tokens[i:i + length]
            for key in (" ".join(words), "".join(words)):
                if key in aliases or key in places:
                    hit = (length, key, "exact", 100.0)
                    break
            if hit:
                break
        if hit is None:
            # a kind word glued to a name: "kabmalang", "kotakediri"
            m = re.match(r"^(kabupaten|kab|kota|pemkab|pemkot)([a-z]{4,})$", tokens[i])
            if m and m.group(2) in aliases:
                mention = _mention(m.group(2), "exact", 100.0, _KIND_WORDS[m.group(1)])
                out.append(mention._replace(text=tokens[i]))
                i += 1
                continue
        if hit is None and not tokens[i].isdigit():
            hit = _fuzzy(tokens, i, choices)
        if hit is None:
            i += 1
            continue
        length, key, how, score = hit
        kind = _KIND_WORDS.get(tokens[i - 1]) if i > 0 else None
        if kind is None and i + length == n - 1 and tokens[-1] in _KIND_WORDS:
            kind = _KIND_WORDS[tokens[-1]]
        mention = _mention(key, how, score, kind)
        out.append(mention._replace(text=" ".join(tokens[i:i + length])))
        i += length
    return out


def _fuzzy(tokens, i, choices):
    best = None
    for length in (2, 1):
        words = tokens[i:i + length]
        if i + length > len(tokens) or words[-1] in _STOP:
            continue
        if words[0] in _KIND_WORDS or (length == 1 and words[0] in _STOP):
            continue
        query = " ".join(words)
        if len(query.replace(" ", "")) < (8 if words[0] in _STOP else _FUZZY_MIN_LEN):
            continue
        found = process.extractOne(query, choices, scorer=fuzz.ratio,
                                   score_cutoff=_cutoff(len(query)))
        if found is not None and (best is None or found[1] > best[3]):
            best = (length, found[0], f"fuzzy {found[1]:.0f}", float(found[1]))
    return best


def _mention(key, how, score, kind) -> _Mention:
    aliases, places, _ = _vocabulary()
    if key in aliases:
        codes, alias_kind = aliases[key]
        if codes == {PROVINCE_CODE}:
            return _Mention("province", frozenset(), key, how, _conf(how, score, "official"))
        if kind is not None and len(codes) > 1:
            kept = frozenset(c for c in codes if _regions()[1][c] == kind)
            if kept:
                codes, how = kept, f"{how}, {kind}"
        return _Mention("region", codes, key, how, _conf(how, score, alias_kind))
    return _Mention("outside", frozenset(), key, how, _conf(how, score, "official"))


def _conf(how, score, alias_kind) -> float:
    base = 0.95 if alias_kind in ("official", "short", "province") else 0.9
    return round(base if how.startswith("exact") else 0.9 * score / 100.0, 3)


def _combine(mentions: list[_Mention]) -> LocationMatch:
    if not mentions:
        return LocationMatch(UNKNOWN, (), "no known place", 0.0)
    regions = [m for m in mentions if m.what == "region"]
    outside = [m for m in mentions if m.what == "outside"]
    province = [m for m in mentions if m.what == "province"]
    evidence = "; ".join(f"{m.text!r} -> {_describe(m)} ({m.how})" for m in mentions)
    conf = min(m.confidence for m in mentions)
    if regions and outside:
        return LocationMatch(UNKNOWN, (), "names East Java and elsewhere: " + evidence, 0.0)
    if regions:
        sets = [m.codes for m in regions]
        common = frozenset.intersection(*sets)
        codes = tuple(sorted(common if common else frozenset.union(*sets)))
        conf = min(m.confidence for m in regions)
        if len(codes) == 1:
            return LocationMatch(codes[0], codes, evidence, conf)
        return LocationMatch("ambiguous:" + "|".join(codes), codes, evidence, conf)
    if province and outside:
        return LocationMatch(UNKNOWN, (), "names East Java and elsewhere: " + evidence, 0.0)
    if province:
        return LocationMatch(PROVINCE_CODE, (), evidence, conf)
    return LocationMatch(OUTSIDE, (), evidence, conf)


def _describe(m: _Mention) -> str:
    if m.what == "region":
        return " or ".join(f"{_regions()[0][c]} ({c})" for c in sorted(m.codes))
    return "Provinsi Jawa Timur (35)" if m.what == "province" else "outside East Java"


# --------------------------------------------------------------------------- actor types

# The province's and the kabupaten/kota's own offices: the government itself, its
# communication office and its public-relations office.
_GOV_OFFICE = ("diskominfo", "dinkominfo", "kominfo", "pemprov", "pemkab", "pemkot", "pemda",
               "humas", "prokopim", "bupati", "walikota", "wakilbupati", "gubernur", "setda",
               "jatimprov")
# Other public bodies: agencies, the regional parliament, police, military, courts,
# election bodies, public hospitals.
_GOV_AGENCY = ("polrestabes", "polresta", "polres", "polsek", "polda", "kodim", "koramil",
               "korem", "kodam", "lanal", "lanud", "bpbd", "dinkes", "dishub", "disdik",
               "dindik", "dispendik", "dispendukcapil", "dukcapil", "bappeda", "satpolpp",
               "kejari", "kejati", "kpud", "kpu", "bawaslu", "kemenag", "rsud", "puskesmas",
               "pdam", "disnaker", "bapenda", "damkar", "dinsos", "disperindag", "disparbud",
               "dispar", "dprd", "bnnk", "bnnp")
# the same offices written out in display names
_NAME_OFFICE = (r"dinas komunikasi dan informatika", r"pemerintah (kabupaten|kota|provinsi)",
                r"bupati", r"wali ?kota", r"gubernur", r"bagian (humas|prokopim)")
_NAME_AGENCY = (r"kepolisian resor", r"polres(ta)?", r"kodim", r"dewan perwakilan rakyat daerah",
                r"dprd", r"badan penanggulangan bencana", r"bpbd", r"dinas kesehatan",
                r"dinas perhubungan", r"dinas pendidikan", r"rumah sakit umum daerah", r"rsud")
_PROVINCE_MARK = ("jatimprov", "provjatim", "pemprovjatim", "jawatimur", "jatim", "prov")


def guess_actor_type(handle, name=None) -> ActorGuess:
    """Propose an actor type for a government account from its handle and display name.

    Parameters
    ----------
    handle : str
        The handle (any case, with or without ``@``).
    name : str, optional
        The display name, when the crawl has it.

    Returns
    -------
    ActorGuess
        ``actor_type`` is ``government_province``, ``government_regency``,
        ``government_other`` or ``unknown`` (no rule fired: media, influencer, community and
        citizen accounts are not told apart by a handle, so none is proposed).

    Notes
    -----
    Rules, on the handle with separators removed (``kominfo_kotamalang_demo`` ->
    ``kominfokotamalangdemo``) and on the display name:

    - an office keyword (``diskominfo``, ``kominfo``, ``pemkab``, ``pemkot``, ``pemprov``,
      ``humas``, ``prokopim``, ``bupati``, ``walikota``, ``gubernur``, ...) with a
      kabupaten/kota name -> ``government_regency`` (confidence 0.9); with a province mark
      (``jatim``, ``jawatimur``, ``prov``) -> ``government_province`` (0.9); alone ->
      ``government_other`` (0.5: a national ministry, or a region the handle spells in a
      way not known here);
    - an agency keyword (``polres``, ``polresta``, ``kodim``, ``dprd``, ``bpbd``,
      ``dinkes``, ``dishub``, ``rsud``, ...) -> ``government_other`` (0.85), with the
      region the handle names, if any;
    - the region is read from what is left of the handle after removing the keyword:
      ``kota``/``kab`` prefixes select the kota or kabupaten (``pemkot`` and ``walikota``
      mean kota, ``pemkab`` and ``bupati`` kabupaten); a bare shared name
      (``kominfokdr``) lists both.

    Examples
    --------
    >>> guess_actor_type("pemkotmalang")[:1] + guess_actor_type("pemkotmalang")[3:]
    ('government_regency', ('3573',))
    >>> guess_actor_type("DiskominfoJatim").actor_type
    'government_province'
    >>> g = guess_actor_type("polres_kediri")
    >>> g.actor_type, g.codes
    ('government_other', ('3506', '3571'))
    >>> guess_actor_type("warga_00042").actor_type
    'unknown'
    """
    handle, name = _text(handle) or "", _text(name)
    flat = re.sub(r"[^a-z0-9]", "", _fold(handle))
    pieces = [p for p in re.split(r"[^a-z0-9]+", _fold(handle)) if p]
    office = next((k for k in _GOV_OFFICE if k in flat), None)
    agency = next((k for k in _GOV_AGENCY if k in flat), None)
    evidence = None
    if office is None and agency is None and name:
        folded = " ".join(_tokens(name))
        for pattern in _NAME_OFFICE:
            if re.search(rf"\b{pattern}\b", folded):
                office, evidence = "name", f"display name matches {pattern!r}"
                break
        if office is None:
            for pattern in _NAME_AGENCY:
                if re.search(rf"\b{pattern}\b", folded):
                    agency, evidence = "name", f"display name matches {pattern!r}"
                    break
    if office is None and agency is None:
        return ActorGuess("unknown", "", 0.0, ())
    keyword = agency or office
    codes, how = _handle_region(pieces, keyword, name)
    province = (not codes) and (any(m in flat for m in _PROVINCE_MARK)
                                or (name and re.search(r"\b(jawa timur|jatim|provinsi)\b",
                                                       " ".join(_tokens(name)))))
    if evidence is None:
        evidence = f"handle contains {keyword!r}"
    if agency is not None:
        where = (f"; region from {how}" if codes else "; province mark" if province else "")
        return ActorGuess("government_other", evidence + where, 0.85,
                          codes or ((PROVINCE_CODE,) if province else ()))
    if codes:
        return ActorGuess("government_regency", f"{evidence}; region from {how}", 0.9, codes)
    if province:
        return ActorGuess("government_province", f"{evidence}; province mark", 0.9,
                          (PROVINCE_CODE,))
    return ActorGuess("government_other", f"{evidence}; no region in the handle", 0.5, ())


def _handle_region(pieces, keyword, name):
    """Region codes named by the handle pieces (keyword removed) or the display name."""
    aliases, _, _ = _vocabulary()
    kind = {"pemkot": "kota", "walikota": "kota", "pemkab": "kabupaten",
            "bupati": "kabupaten", "wakilbupati": "kabupaten"}.get(keyword)
    for piece in pieces:
        rest = piece.replace(keyword, " ") if keyword != "name" else piece
        for part in rest.split():
            k = kind
            m = re.match(r"^(kabupaten|kab|kota)(.+)$", part)
            if m and (m.group(2) in aliases or _contained(m.group(2))):
                k, part = _KIND_WORDS[m.group(1)], m.group(2)
            key = part if part in aliases else _contained(part)
            if key is None or aliases[key][0] == {PROVINCE_CODE}:
                continue
            codes = aliases[key][0]
            if k is not None and len(codes) > 1:
                codes = frozenset(c for c in codes if _regions()[1][c] == k) or codes
            return tuple(sorted(codes)), f"{key!r} in the handle"
    if name:
        m = match_location(name)
        if m.codes:
            return m.codes, f"display name ({m.evidence})"
    return (), ""


def _contained(part: str):
    """The longest region name (>= 5 letters) contained in a handle piece."""
    aliases, _, _ = _vocabulary()
    best = None
    for key, (codes, _alias_kind) in aliases.items():
        if (" " not in key and len(key) >= 5 and key in part and codes != {PROVINCE_CODE}
                and (best is None or len(key) > len(best))):
            best = key
    return best


# --------------------------------------------------------------------------- draft table


def draft_labels(corpus: Corpus, *, keep_existing: bool = True,
                 profiles: pd.DataFrame | None = None) -> pd.DataFrame:
    """Propose a region and an actor type for every account of a corpus, as a labels table
    to review and then pass to ``kopiresearch load --labels`` (or
    :func:`kopiresearch.io.label_accounts`).

    Parameters
    ----------
    corpus : Corpus
        Any corpus; uses ``accounts.location`` (the profile location, filled by the
        tweet-harvest loader), and ``name``/``display_name`` and ``description``/``bio``
        columns when a loader keeps them, and the handle.
    keep_existing : bool, default True
        Accounts that already have an actor type or a region (from an earlier labels file)
        keep them, with evidence ``"corpus"``; ``False`` drafts every account afresh.
    profiles : pandas.DataFrame, optional
        More profile text, e.g. :func:`read_twarc2_profiles` of the crawl's twarc2 files
        (whose loader keeps no location): columns ``account_id`` and/or ``handle``, and any
        of ``location``, ``name``, ``description``. Matched by account id, else by handle on
        the same platform; a corpus value wins over a profile value.

    Returns
    -------
    pandas.DataFrame
        One row per account, columns :data:`DRAFT_COLUMNS`, sorted by ``account_id``:

        - ``account_id``, ``handle``, ``platform``, ``actor_type``, ``region``,
          ``partnered``: what ``--labels`` applies. ``region`` is a code (``"35"`` for the
          province) only when a single answer was found; it is empty for ambiguous,
          outside, unknown and conflicting rows, so the file loads as it is and such
          accounts keep an unknown region until the researcher fills it in.
        - ``review``: empty when nothing needs a look; ``"check"`` for fuzzy, bio-based or
          weak proposals; ``"decide"`` when the researcher must choose (ambiguous names,
          handle and location disagreeing): those rows are never decided here.
        - ``region_proposal``: the answer of :func:`match_location` (or of the handle
          rule), e.g. ``"3573"``, ``"35"``, ``"outside"``, ``"ambiguous:3507|3573"``,
          ``"unknown"``; ``region_candidates``: the candidates with their names;
          ``region_evidence``, ``region_confidence``.
        - ``actor_type_evidence``, ``actor_type_confidence`` (see :func:`guess_actor_type`)
          and the raw ``location``.

    See Also
    --------
    match_location, guess_actor_type, kopiresearch.io.label_accounts

    Notes
    -----
    Order of evidence for the region: the corpus's own label (``keep_existing``); for a
    government account, the region its handle names (a location that disagrees makes the
    row ``decide``; a province office stays ``35`` wherever it is located); the profile
    location; the display name and then the bio (always ``check``). Proposals with a
    confidence under 0.9 are ``check``.

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> from kopiresearch.io.examples import example_path
    >>> c = kio.read_tweet_harvest(example_path("tweet_harvest_2.6.1.csv"))
    >>> d = draft_labels(c)
    >>> list(d.columns[:6])
    ['account_id', 'handle', 'platform', 'actor_type', 'region', 'partnered']
    >>> d.set_index("handle").loc["kominfokdr_demo", ["actor_type", "region_proposal"]].tolist()
    ['government_regency', 'ambiguous:3506|3571']
    """
    acc = _with_profiles(corpus.accounts, profiles)
    n = len(acc)
    col = lambda *names: next((acc[c] for c in names if c in acc.columns),  # noqa: E731
                              pd.Series([None] * n, index=acc.index, dtype=object))
    location = col("location")
    name = col("name", "display_name")
    bio = col("description", "bio")
    rows = []
    names = _regions()[0]
    existing_actor = acc["actor_type"].astype(str).tolist()
    existing_region = acc["region_code"].astype(object).tolist()
    platforms = acc["platform"].astype(str).tolist()
    partnered = (acc["partnered"].astype(bool).tolist() if "partnered" in acc
                 else [False] * n)
    columns = zip(acc.index, acc["handle"].astype(object).tolist(), location.tolist(),
                  name.tolist(), bio.tolist(), strict=True)
    for i, (aid, handle, loc, nm, ds) in enumerate(columns):
        loc, nm, ds = _text(loc), _text(nm), _text(ds)
        guess = guess_actor_type(handle, nm)
        row = {"account_id": aid, "handle": _text(handle) or "",
               "platform": platforms[i], "partnered": bool(partnered[i]),
               "actor_type": guess.actor_type,
               "actor_type_evidence": guess.evidence,
               "actor_type_confidence": guess.confidence, "location": loc or ""}
        actor_review = set()
        if guess.actor_type != "unknown" and guess.confidence < 0.9:
            actor_review.add("check")
        if keep_existing and existing_actor[i] != "unknown":
            row.update(actor_type=existing_actor[i], actor_type_evidence="corpus",
                       actor_type_confidence=1.0)
            actor_review = set()
        proposal, codes, evidence, conf, region_review = _region_for(loc, nm, ds, guess)
        ex = existing_region[i]
        if keep_existing and isinstance(ex, str) and ex:
            proposal, codes, evidence, conf, region_review = ex, (ex,), "corpus", 1.0, set()
        review = actor_review | region_review
        row.update(
            region=proposal if (proposal == PROVINCE_CODE or re.fullmatch(r"35\d\d", proposal))
            else "",
            review="decide" if "decide" in review else ("check" if review else ""),
            region_proposal=proposal,
            region_candidates="|".join(f"{c} {names[c]}" for c in codes if c in names),
            region_evidence=evidence, region_confidence=conf)
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(DRAFT_COLUMNS))
    return out.sort_values("account_id", kind="stable").reset_index(drop=True)


def _with_profiles(acc: pd.DataFrame, profiles) -> pd.DataFrame:
    if profiles is None or len(profiles) == 0:
        return acc
    prof = profiles.copy()
    acc = acc.copy()
    by_id = prof.dropna(subset=["account_id"]).drop_duplicates("account_id", keep="last") \
        .set_index("account_id") if "account_id" in prof else pd.DataFrame()
    if "handle" in prof:
        prof["platform"] = prof["platform"] if "platform" in prof else "twitter"
        prof["key"] = prof["platform"].astype(str) + ":" + prof["handle"].astype(str).str.lower()
        by_handle = prof.drop_duplicates("key", keep="last").set_index("key")
    else:
        by_handle = pd.DataFrame()
    keys = acc["platform"].astype(str) + ":" + acc["handle"].astype(object).fillna("").astype(str)
    for column in ("location", "name", "description"):
        if column not in prof:
            continue
        have = acc[column].astype(object) if column in acc else pd.Series(None, index=acc.index,
                                                                           dtype=object)
        from_id = by_id[column].reindex(acc.index) if column in by_id else None
        from_handle = (pd.Series(by_handle[column].reindex(keys).to_numpy(), index=acc.index)
                       if column in by_handle else None)
        filled = have.where(have.notna() & (have.astype(str).str.strip() != ""), None)
        for extra in (from_id, from_handle):
            if extra is not None:
                filled = filled.where(filled.notna(), extra.astype(object))
        acc[column] = filled.where(filled.notna(), None)
    return acc


def read_twarc2_profiles(paths, *, platform: str = "twitter") -> pd.DataFrame:
    """The user profiles (handle, display name, bio, location) in twarc2 output, for
    :func:`draft_labels`.

    Reads every user object of twarc2 JSONL files: ``includes.users`` of search, timeline
    and conversation pages, ``data`` of ``followers``/``following``/``users`` pages, and
    flattened tweets' ``author``. The last copy of a user wins.

    Parameters
    ----------
    paths : path, list of paths, folder or glob pattern
        twarc2 ``.jsonl``/``.json`` files.
    platform : str, default "twitter"

    Returns
    -------
    pandas.DataFrame
        Columns ``account_id`` (``"twitter:<id>"``), ``handle`` (lower case), ``name``,
        ``description``, ``location``, sorted by ``account_id``. Truncated lines are skipped
        (the loaders report them).

    Examples
    --------
    >>> from kopiresearch.io.examples import example_path
    >>> p = read_twarc2_profiles(example_path("follows"))
    >>> p.set_index("handle").loc["warga_002", "location"]
    'Kediri | Jatim'
    """
    import json

    from ._common import check_utf8, expand_paths

    users = {}
    for path in expand_paths(paths, patterns=("*.jsonl", "*.json", "**/*.jsonl",
                                              "**/*.json")):
        text = check_utf8(path.read_bytes(), path).decode("utf-8")
        for line in text.split("\n"):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(obj, dict):
                continue
            found = []
            if isinstance(obj.get("includes"), dict):
                found += obj["includes"].get("users") or []
            data = obj.get("data")
            if isinstance(data, list):
                found += [u for u in data if isinstance(u, dict) and "username" in u]
            if "username" in obj and "id" in obj:
                found.append(obj)
            if isinstance(obj.get("author"), dict):
                found.append(obj["author"])
            for u in found:
                if isinstance(u, dict) and u.get("id") and u.get("username"):
                    users[str(u["id"])] = u
    rows = [{"account_id": f"{platform}:{uid}", "handle": str(u["username"]).lower(),
             "name": _text(u.get("name")), "description": _text(u.get("description")),
             "location": _text(u.get("location"))} for uid, u in users.items()]
    out = pd.DataFrame(rows, columns=["account_id", "handle", "name", "description",
                                      "location"])
    return out.sort_values("account_id", kind="stable").reset_index(drop=True)


def _text(value):
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    value = str(value).strip()
    return value or None


def _region_for(loc, name, bio, guess: ActorGuess):
    """(proposal, codes, evidence, confidence, review flags) for one account."""
    review = set()
    m = match_location(loc) if loc else LocationMatch(UNKNOWN, (), "no location", 0.0)
    if guess.codes:
        hcodes = tuple(guess.codes)
        hans = hcodes[0] if len(hcodes) == 1 else "ambiguous:" + "|".join(hcodes)
        if hans == PROVINCE_CODE:
            # a province office speaks for the province wherever it sits (usually Surabaya)
            where = f"; location: {m.evidence}" if loc else ""
            return PROVINCE_CODE, (), f"handle: {guess.evidence}{where}", guess.confidence, set()
        if len(hcodes) > 1 and m.codes and set(m.codes) < set(hcodes) and len(m.codes) == 1:
            # "kominfokdr" + location "Kab. Kediri": the location decides between the two
            return (m.answer, m.codes, f"handle: {guess.evidence}; location: {m.evidence}",
                    min(m.confidence, guess.confidence), set())
        if m.answer not in (UNKNOWN, hans) and not (m.codes and set(m.codes) & set(hcodes)) \
                and not (hans == PROVINCE_CODE and m.answer == PROVINCE_CODE):
            return (hans, hcodes if hans != PROVINCE_CODE else (),
                    f"handle: {guess.evidence}; location disagrees: {m.evidence}",
                    guess.confidence, {"decide"})
        if len(hcodes) > 1:
            review.add("decide")
        return (hans, hcodes if hans != PROVINCE_CODE else (), f"handle: {guess.evidence}",
                guess.confidence, review)
    if m.answer != UNKNOWN or loc:
        if m.answer.startswith("ambiguous:"):
            review.add("decide")
        elif m.answer != UNKNOWN and m.confidence < 0.9:
            review.add("check")
        if m.answer != UNKNOWN or not (name or bio):
            return m.answer, m.codes, f"location: {m.evidence}", m.confidence, review
    for label, text in (("display name", name), ("bio", bio)):
        if not text:
            continue
        mm = match_location(text)
        if mm.answer not in (UNKNOWN, OUTSIDE):
            flags = {"decide"} if mm.answer.startswith("ambiguous:") else {"check"}
            return (mm.answer, mm.codes, f"{label}: {mm.evidence}",
                    round(mm.confidence * 0.8, 3), flags)
    return UNKNOWN, (), m.evidence if loc else "no location", 0.0, set()


def location_scores(expected, proposed) -> pd.DataFrame:
    """Precision and recall of location answers against hand labels, by kind of answer.

    Parameters
    ----------
    expected, proposed : sequences of str
        Answers in the form of :attr:`LocationMatch.answer` (a 4-digit code, ``"35"``,
        ``"outside"``, ``"ambiguous:C1|C2..."`` or ``"unknown"``), aligned.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``region`` (a single kabupaten/kota code), ``province``, ``outside``,
        ``ambiguous``, ``unknown`` and ``all``; columns ``expected`` (how many labels are of
        that kind), ``proposed`` (how many answers are), ``correct``, ``precision``
        (correct / proposed) and ``recall`` (correct / expected). ``all`` counts every
        string (its precision and recall are both the accuracy).

    Notes
    -----
    An answer is correct when it equals the label exactly; an ambiguous answer is correct
    only when it lists exactly the labelled candidates (order does not matter). For
    ``region``, ``precision`` is the share of proposed codes that are right: the figure
    that matters most, since a wrong region is worse than none.

    Examples
    --------
    >>> t = location_scores(["3578", "3578", "35", "unknown"], ["3578", "unknown", "35", "3507"])
    >>> t.loc["region", ["precision", "recall"]].tolist()   # 1 of 2 proposed codes is right
    [0.5, 0.5]
    >>> t.loc["province", ["precision", "recall"]].tolist()
    [1.0, 1.0]
    """
    exp = [_canonical(a) for a in expected]
    got = [_canonical(a) for a in proposed]
    if len(exp) != len(got):
        raise ValueError(f"expected has {len(exp)} answers, proposed {len(got)}")
    rows = {}
    for kind in ("region", "province", "outside", "ambiguous", "unknown"):
        e = [_kind(a) == kind for a in exp]
        p = [_kind(a) == kind for a in got]
        c = sum(1 for a, b, pk in zip(exp, got, p, strict=True) if pk and a == b)
        rows[kind] = (sum(e), sum(p), c)
    total = sum(1 for a, b in zip(exp, got, strict=True) if a == b)
    rows["all"] = (len(exp), len(got), total)
    out = pd.DataFrame.from_dict(rows, orient="index", columns=["expected", "proposed",
                                                                 "correct"])
    out["precision"] = (out["correct"] / out["proposed"].where(out["proposed"] > 0)).astype(float)
    out["recall"] = (out["correct"] / out["expected"].where(out["expected"] > 0)).astype(float)
    return out


def _canonical(answer) -> str:
    answer = str(answer).strip()
    if answer.startswith("ambiguous:"):
        return "ambiguous:" + "|".join(sorted(answer[len("ambiguous:"):].split("|")))
    return answer


def _kind(answer: str) -> str:
    if re.fullmatch(r"35\d\d", answer):
        return "region"
    if answer == PROVINCE_CODE:
        return "province"
    if answer.startswith("ambiguous:"):
        return "ambiguous"
    return answer if answer in (OUTSIDE, UNKNOWN) else "unknown"
