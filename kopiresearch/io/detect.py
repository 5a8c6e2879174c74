"""Recognise the format of a crawl file or folder and load several inputs at once."""

from __future__ import annotations

import json
from pathlib import Path

from ..corpus import Corpus
from ..errors import UnknownFormatError
from .tweet_harvest import TWEET_HARVEST_LAYOUTS

__all__ = ["detect_format", "load_any", "FORMATS"]

#: Formats :func:`detect_format` recognises.
FORMATS = ("tweet-harvest", "twarc2", "twarc-csv", "instaloader", "interactions-csv")


def detect_format(path, *, columns=None) -> str:
    """Name of the crawl format of ``path`` (one of :data:`FORMATS`).

    Folders are instaloader downloads (if they hold ``.json``/``.json.xz`` files), otherwise
    twarc2 (``.jsonl``) or tweet-harvest ``tweets-data/`` folders (``.csv``/``.xlsx``).
    ``.jsonl``/``.json`` files are twarc2; ``.xlsx`` is the tweet-harvest 2.7 export; a
    CSV is recognised from its header (twarc-csv has
    ``id, conversation_id, ...``; the generic table has ``source, target, kind``;
    everything else is tried as tweet-harvest, whose loader recognises files without a
    header). ``columns`` is the mapping of :func:`read_interactions_csv` (canonical name ->
    the file's column name), used to recognise a generic table with other column names.

    Raises
    ------
    UnknownFormatError
        Nothing matches; the message names the file and the formats tried.

    Examples
    --------
    >>> from kopiresearch.io.examples import example_path
    >>> detect_format(example_path("twarc_csv.csv")), detect_format(example_path("instaloader"))
    ('twarc-csv', 'instaloader')
    """
    p = Path(path)
    if p.is_dir():
        names = [f.name.lower() for f in p.rglob("*") if f.is_file()]
        if any(n.endswith((".json.xz", ".json")) for n in names):
            return "instaloader"
        if any(n.endswith(".jsonl") for n in names):
            return "twarc2"
        if any(n.endswith((".csv", ".xlsx")) for n in names):
            return "tweet-harvest"  # a tweets-data/ folder
        raise UnknownFormatError("the folder holds no crawl file", file=str(p), tried=FORMATS)
    if not p.exists():
        raise UnknownFormatError("no such file", file=str(p), tried=FORMATS)
    name = p.name.lower()
    if name.endswith((".jsonl", ".json")):
        with open(p, "rb") as fh:
            head = fh.readline(1 << 20)
        try:
            obj = json.loads(head)
        except ValueError:
            obj = None
        if isinstance(obj, dict) and "node" in obj and "instaloader" in obj:
            return "instaloader"
        return "twarc2"
    if name.endswith(".json.xz"):
        return "instaloader"
    if name.endswith(".xlsx"):
        return "tweet-harvest"
    with open(p, "rb") as fh:
        head = fh.read(65536).decode("utf-8", "replace").lstrip("\ufeff")
    first = next((ln for ln in head.splitlines() if ln.strip()), "")
    cols = [c.strip().strip('"').lower() for c in first.split(",")]
    if cols[:2] == ["id", "conversation_id"] or {"id", "author_id", "text"} <= set(cols) \
            and "referenced_tweets.replied_to.id" in cols:
        return "twarc-csv"
    m = {k: str(v).lower() for k, v in (columns or {}).items()}
    if {m.get("source", "source"), m.get("target", "target"), m.get("kind", "kind")} <= set(cols):
        return "interactions-csv"
    for delim, names in TWEET_HARVEST_LAYOUTS.values():
        if [c.strip().strip('"') for c in first.split(delim)] == names:
            return "tweet-harvest"
    if first.startswith('"') or ";" in first:
        return "tweet-harvest"
    raise UnknownFormatError("the header matches no known crawl format", file=str(p),
                             tried=FORMATS)


def load_any(inputs, *, columns=None, tz=None, validate: bool = True) -> Corpus:
    """Load every input with the loader of its detected format and merge the results.

    ``columns`` and ``tz`` are passed to :func:`read_interactions_csv` for generic tables.

    Examples
    --------
    >>> from kopiresearch.io.examples import example_path
    >>> c = load_any([example_path("twarc2_search.jsonl"), example_path("twarc_csv.csv")])
    >>> c.report.is_consistent
    True
    """
    from .generic import read_interactions_csv
    from .instaloader import read_instaloader
    from .merge import merge
    from .twarc2 import read_twarc2
    from .twarc_csv import read_twarc_csv
    from .tweet_harvest import read_tweet_harvest

    readers = {"tweet-harvest": read_tweet_harvest, "twarc2": read_twarc2,
               "twarc-csv": read_twarc_csv, "instaloader": read_instaloader,
               "interactions-csv": read_interactions_csv}
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    parts = []
    for p in inputs:
        fmt = detect_format(p, columns=columns)
        kw = {"columns": columns, "tz": tz} if fmt == "interactions-csv" else {}
        parts.append(readers[fmt](p, validate=validate, **kw))
    return parts[0] if len(parts) == 1 else merge(*parts, validate=validate)
