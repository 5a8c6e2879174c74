"""Recognise the format of a crawl file or folder and load several inputs at once."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

from ..corpus import Corpus, MalformedRow
from ..errors import InputFormatError, KopiresearchError, UnknownFormatError
from .tweet_harvest import TWEET_HARVEST_LAYOUTS

__all__ = ["detect_format", "load_any", "FORMATS"]

#: Formats :func:`detect_format` recognises.
FORMATS = ("tweet-harvest", "twarc2", "twarc-csv", "snscrape", "instaloader",
           "interactions-csv")

#: File name endings a folder is searched for (other files are listed as skipped).
_CRAWL_SUFFIXES = (".csv", ".xlsx", ".jsonl", ".json", ".json.xz")
#: How many non-blank lines of a JSON file detection looks at.
_HEAD_LINES = 5


def detect_format(path, *, columns=None) -> str:
    """Name of the crawl format of ``path`` (one of :data:`FORMATS`).

    Folders are instaloader downloads (if they hold ``.json.xz`` files or instaloader
    ``.json`` files), otherwise twarc2 or snscrape (``.jsonl``, after the first file) or
    tweet-harvest ``tweets-data/`` folders (``.csv``/``.xlsx``). A JSON-lines file is
    recognised from its first objects: snscrape items carry ``_type``, instaloader files
    ``node`` and ``instaloader``, twarc2 pages ``data``/``includes``/``meta`` and flattened
    twarc2 tweets ``id`` and ``text``. ``.xlsx`` is the tweet-harvest 2.7 export; a CSV is
    recognised from its header (twarc-csv has ``id, conversation_id, ...``; the generic
    table has ``source, target, kind``; everything else is tried as tweet-harvest, whose
    loader recognises files without a header). ``columns`` is the mapping of
    :func:`read_interactions_csv` (canonical name -> the file's column name), used to
    recognise a generic table with other column names.

    Raises
    ------
    UnknownFormatError
        Nothing matches, or the file is a known output that holds no posts: twarc2
        ``users``/``followers``/``counts``/compliance output, the other tables of
        ``twarc2 csv`` (users, counts, compliance, lists), a twarc-csv file written with
        ``--json-encode-all``, snscrape items that are not Twitter tweets. The message
        names the file and says what it is.

    Examples
    --------
    >>> from kopiresearch.io.examples import example_path
    >>> detect_format(example_path("twarc_csv.csv")), detect_format(example_path("instaloader"))
    ('twarc-csv', 'instaloader')
    >>> detect_format(example_path("snscrape_twitter.jsonl"))
    'snscrape'
    """
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file())
        names = [f.name.lower() for f in files]
        if _is_instaloader_folder(p):
            return "instaloader"
        for f in files:
            if f.name.lower().endswith((".jsonl", ".json")):
                try:
                    return detect_format(f)
                except UnknownFormatError:
                    continue
        if any(n.endswith((".csv", ".xlsx")) for n in names):
            return "tweet-harvest"  # a tweets-data/ folder
        raise UnknownFormatError("the folder holds no crawl file", file=str(p), tried=FORMATS)
    if not p.exists():
        raise UnknownFormatError("no such file", file=str(p), tried=FORMATS)
    name = p.name.lower()
    if name.endswith((".jsonl", ".json")):
        return _detect_json(p)
    if name.endswith(".json.xz"):
        return "instaloader"
    if name.endswith(".xlsx"):
        return "tweet-harvest"
    with open(p, "rb") as fh:
        head = fh.read(65536).decode("utf-8", "replace").lstrip("\ufeff")
    lines = [ln for ln in head.splitlines() if ln.strip()]
    first = lines[0] if lines else ""
    cols = [c.strip().strip('"').lower() for c in first.split(",")]
    from .twarc_csv import TWARC_CSV_OTHER

    for start, what in TWARC_CSV_OTHER.items():
        if tuple(cols[:len(start)]) == start:
            raise UnknownFormatError(f"this is {what}, not a file of tweets", file=str(p))
    if cols[:2] == ["id", "conversation_id"] or {"id", "author_id", "text"} <= set(cols) \
            and "referenced_tweets.replied_to.id" in cols:
        if len(lines) > 1 and lines[1].startswith('"""'):
            raise UnknownFormatError(
                "a twarc-csv file written with --json-encode-all (every value is JSON, ids "
                "in quotes): write it again with `twarc2 csv` without --json-encode-all, or "
                "load the twarc2 JSONL", file=str(p))
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


def _head_objects(path):
    """The first JSON values of a JSON-lines file (at most :data:`_HEAD_LINES` non-blank
    lines of at most 1 MiB each); lines that are not JSON give ``None``. A deeply nested
    line gives ``None``, never a ``RecursionError``."""
    out = []
    with open(path, "rb") as fh:
        while len(out) < _HEAD_LINES:
            raw = fh.readline(1 << 20)
            if not raw:
                break
            if not raw.strip():
                continue
            raw = raw.removeprefix(b"\xef\xbb\xbf")
            try:
                out.append(json.loads(raw))
            except (ValueError, RecursionError):
                out.append(None)
    return out


def _is_instaloader_folder(folder: Path) -> bool:
    """Whether ``folder`` (searched recursively) is an instaloader download."""
    files = sorted(f for f in folder.rglob("*") if f.is_file())
    jsons = [f for f in files if f.name.lower().endswith(".json")][:3]
    return any(f.name.lower().endswith(".json.xz") for f in files) or any(
        f.name.endswith("_comments.json") or _is_instaloader_json(f) for f in jsons)


def _is_instaloader_json(path) -> bool:
    heads = _head_objects(path)[:1]
    return bool(heads) and isinstance(heads[0], dict) and "node" in heads[0] \
        and "instaloader" in heads[0]


def _detect_json(p: Path) -> str:
    heads = _head_objects(p)
    objs = [o for o in heads if isinstance(o, dict)]
    if not objs:
        if heads and all(isinstance(o, list) for o in heads):
            if p.name.endswith("_comments.json"):
                return "instaloader"
            raise UnknownFormatError("a JSON list, not JSON lines of a crawl", file=str(p),
                                     tried=FORMATS)
        return "twarc2"  # unreadable lines: the twarc2 loader reports them as malformed
    o = objs[0]
    if "node" in o and "instaloader" in o:
        return "instaloader"
    types = [x.get("_type") for x in objs if isinstance(x.get("_type"), str)]
    if types:
        if "snscrape.modules.twitter.Tweet" in types:
            return "snscrape"
        raise UnknownFormatError(f"snscrape output of {', '.join(sorted(set(types)))} "
                                 "items, not Twitter tweets", file=str(p))
    from .twarc2 import twarc2_kind

    what = twarc2_kind(objs)
    if what is not None:
        raise UnknownFormatError(f"this is {what}, not a file of tweets", file=str(p))
    if any(k in o for k in ("data", "includes", "meta", "errors")) and "id" not in o:
        return "twarc2"
    if "id" in o and ("text" in o or "author_id" in o):
        return "twarc2"
    raise UnknownFormatError("the JSON lines match no known crawl format", file=str(p),
                             tried=FORMATS)


def load_any(inputs, *, columns=None, tz=None, platform: str = "facebook",
             reply_prefix_mentions: bool = True, validate: bool = True,
             progress=None) -> Corpus:
    """Load every input with the loader of its detected format and merge the results.

    Parameters
    ----------
    inputs : path or list of paths
        Files and folders. An instaloader folder loads as one download; any other folder
        loads the crawl files in it, each detected on its own.
    columns, tz, platform
        Passed to :func:`read_interactions_csv` for generic tables.
    reply_prefix_mentions : bool
        Passed to the Twitter loaders (see :func:`read_twarc2`).
    validate : bool
        Validate the corpus (default).
    progress : object, optional
        Told what is read: ``progress.files(n)`` once the inputs are expanded, then per file
        ``progress.start(path)`` and ``progress.done(path, rows)``, and
        ``progress.stage(text)`` for the work after the reading (files of one format are
        read by one loader call, so that replies find their parents and handles their ids
        across files; loaders that take ``progress`` report each file as they read it). The
        command line shows it as a progress bar.

    Returns
    -------
    Corpus
        The merged corpus. Files that are not crawls (another tool's output, a labels
        table, a twarc2 ``users`` file, ...) are listed in ``report.skipped`` with what
        they are.

    Raises
    ------
    InputFormatError
        Nothing loads (every input is skipped; the message gives each reason), or every row
        of a file is malformed (the message names the file and its first problems; for
        instaloader, whose files hold one post each, every row of the download).
    UnknownFormatError
        A single input file is not a crawl.

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
    from .snscrape import read_snscrape
    from .twarc2 import read_twarc2
    from .twarc_csv import read_twarc_csv
    from .tweet_harvest import read_tweet_harvest

    readers = {"tweet-harvest": read_tweet_harvest, "twarc2": read_twarc2,
               "twarc-csv": read_twarc_csv, "snscrape": read_snscrape,
               "instaloader": read_instaloader, "interactions-csv": read_interactions_csv}
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = [Path(p) for p in inputs]
    single = len(inputs) == 1 and not inputs[0].is_dir()
    groups: dict[str, list] = {}  # format -> inputs, in order
    skipped = []
    for p in inputs:
        if p.is_dir():
            if _is_instaloader_folder(p):
                groups.setdefault("instaloader", []).append(p)
                continue
            files = sorted(f for f in p.iterdir() if f.is_file())
        else:
            files = [p]
        for f in files:
            if not f.exists():
                raise UnknownFormatError("no such file", file=str(f), tried=FORMATS)
            if not f.name.lower().endswith(_CRAWL_SUFFIXES):
                skipped.append(MalformedRow(str(f), None, "not a crawl file (its name ends "
                                            "in none of " + ", ".join(_CRAWL_SUFFIXES) + ")"))
                continue
            try:
                fmt = detect_format(f, columns=columns)
            except UnknownFormatError as exc:
                if single:
                    raise
                skipped.append(MalformedRow(str(f), None, _reason(exc)))
                continue
            groups.setdefault(fmt, []).append(f)
    parts = []
    if progress is not None:
        progress.files(sum(len(paths) for paths in groups.values()))
    for fmt, paths in groups.items():
        kw = {"validate": validate}
        if fmt == "interactions-csv":
            kw.update(columns=columns, tz=tz, platform=platform)
        if "reply_prefix_mentions" in inspect.signature(readers[fmt]).parameters:
            kw["reply_prefix_mentions"] = reply_prefix_mentions
        per_file = "progress" in inspect.signature(readers[fmt]).parameters
        if per_file:
            kw["progress"] = progress
        while paths:
            if progress is not None and not per_file:
                progress.start(paths[0])
            try:
                part = readers[fmt](paths if len(paths) > 1 else paths[0], **kw)
            except UnknownFormatError as exc:  # one file of the group is not a crawl
                bad = [q for q in paths if exc.file is not None and str(q) == str(exc.file)]
                if single or not bad:
                    raise
                skipped.append(MalformedRow(str(bad[0]), None, _reason(exc)))
                paths = [q for q in paths if q is not bad[0]]
                continue
            parts.append((fmt, part))
            if progress is not None and not per_file:
                for q in paths:
                    progress.done(q, part.report.rows_read if q is paths[-1] else 0)
            break
    if not parts:
        why = "; ".join(f"{s.file}: {s.reason}" for s in skipped) or "no input"
        raise InputFormatError(f"nothing loads: no input is a crawl kopiresearch reads ({why})")
    if progress is not None and len(parts) > 1:
        progress.stage("merging")
    for fmt, part in parts:
        # an instaloader file is one post: a truncated download is one bad file of many
        _refuse_all_malformed(part, per_file=fmt != "instaloader")
    parts = [part for _fmt, part in parts]
    corpus = parts[0] if len(parts) == 1 else merge(*parts, validate=validate)
    corpus.report.skipped.extend(skipped)
    return corpus


def _reason(exc: KopiresearchError) -> str:
    text = str(exc)
    file = getattr(exc, "file", None)
    prefix = f"file {file}: "
    return text[len(prefix):] if file is not None and text.startswith(prefix) else text


def _refuse_all_malformed(corpus: Corpus, *, per_file: bool = True) -> None:
    """Raise when every row of some file of ``corpus`` is malformed (``per_file``), or
    every row of the whole load."""
    r = corpus.report
    if not per_file:
        if r.malformed and r.loaded + r.duplicates == 0:
            first = "; ".join(f"{m.file}: {m.reason}" for m in r.malformed[:3])
            raise InputFormatError(f"every row of the input is malformed ({len(r.malformed)} "
                                   f"rows; {first})")
        return
    by_file = {}
    for m in r.malformed:
        by_file.setdefault(m.file, []).append(m)
    counted = {fc.file: fc for fc in r.file_counts}
    for file, rows in by_file.items():
        fc = counted.get(file)
        if fc is not None:
            dead = fc.loaded + fc.duplicates == 0 and fc.malformed > 0
        else:  # a loader without per-file counts: judge the whole load
            dead = r.loaded + r.duplicates == 0
        if dead:
            first = "; ".join(f"line {m.line}: {m.reason}" if m.line else m.reason
                              for m in rows[:3])
            raise InputFormatError(f"every row of the file is malformed ({len(rows)} rows; "
                                   f"{first}): is it the file you meant, and in the format "
                                   "detected?", file=file)
