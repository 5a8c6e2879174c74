"""Label accounts (actor type, region, partnered) from a labels CSV written by the researcher."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..corpus import ACTOR_TYPES, Corpus
from ..errors import InputFormatError, RegionError
from ..regions import resolve_region
from ._common import check_utf8

__all__ = ["label_accounts", "read_labels", "LabelResult"]

_TRUE = {"true", "1", "yes", "y", "ya", "t"}
_FALSE = {"false", "0", "no", "n", "tidak", "f", ""}


class LabelResult(NamedTuple):
    """What :func:`label_accounts` returns (unpack as ``corpus, unlabelled, unmatched``)."""

    #: the labelled corpus (a copy; the input is not changed)
    corpus: Corpus
    #: accounts no label row matched (still ``unknown``), as rows of ``corpus.accounts``
    unlabelled: pd.DataFrame
    #: label rows that matched no account, with their ``line`` in the labels file
    unmatched: pd.DataFrame


def read_labels(labels) -> pd.DataFrame:
    """Read and check a labels table (path or DataFrame) into canonical columns.

    Columns: ``handle`` and/or ``account_id`` (one is needed per row), ``actor_type``
    (required), ``region`` or ``region_code`` (a BPS code or any spelling
    :func:`kopiresearch.regions.lookup_region` understands, e.g. ``Kab. Kediri``), optional
    ``partnered`` (true/false, 1/0, yes/no, ya/tidak) and ``platform``.

    Returns
    -------
    pandas.DataFrame
        Columns ``line, account_id, handle, platform, actor_type, region_code, partnered``.

    Raises
    ------
    InputFormatError
        Missing column, unknown actor type, unknown or ambiguous region, bad partnered
        value; the message names the labels file, the line and the column.

    Examples
    --------
    >>> t = read_labels(pd.DataFrame({"handle": ["@KominfoKdr_Demo"],
    ...                               "actor_type": ["government_regency"],
    ...                               "region": ["Kab. Kediri"]}))
    >>> t[["handle", "region_code", "partnered"]].values.tolist()
    [['kominfokdr_demo', '3506', False]]
    """
    if isinstance(labels, pd.DataFrame):
        name = "<labels DataFrame>"
        rows = labels.astype(object).where(labels.notna(), "").astype(str).to_dict("records")
        lines = [i + 2 for i in range(len(rows))]
        fields = [str(c) for c in labels.columns]
    else:
        name = str(labels)
        path = Path(labels)
        if not path.exists():
            raise InputFormatError("labels file not found", file=name)
        text = check_utf8(path.read_bytes(), path).decode("utf-8")
        reader = csv.DictReader(io.StringIO(text, newline=""))
        rows, lines = [], []
        try:  # csv.Error: a field over csv.field_size_limit(), a NUL byte, a stray quote
            fields = [f.strip() for f in (reader.fieldnames or [])]
            reader.fieldnames = fields
            for row in reader:
                if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                    continue
                rows.append(row)
                lines.append(reader.line_num)
        except csv.Error as exc:
            raise InputFormatError(f"not a readable CSV row ({exc})", file=name,
                                   line=reader.line_num + 1) from None
    if "actor_type" not in fields:
        raise InputFormatError("labels need an 'actor_type' column", file=name,
                               column="actor_type")
    if "handle" not in fields and "account_id" not in fields:
        raise InputFormatError("labels need a 'handle' or an 'account_id' column", file=name,
                               column="handle")
    region_col = "region" if "region" in fields else "region_code"
    out = []
    for row, line in zip(rows, lines, strict=True):
        get = lambda c: (row.get(c) or "").strip()  # noqa: B023
        handle = get("handle").lstrip("@").lower() or None
        account_id = get("account_id") or None
        if handle is None and account_id is None:
            raise InputFormatError("row has neither handle nor account_id", file=name,
                                   line=line, column="handle")
        actor = get("actor_type").lower()
        if actor not in ACTOR_TYPES:
            raise InputFormatError(f"unknown actor_type {actor!r}; expected one of "
                                   + ", ".join(ACTOR_TYPES), file=name, line=line,
                                   column="actor_type")
        try:
            region = resolve_region(get(region_col) or None)
        except RegionError as exc:
            raise InputFormatError(f"unknown region: {exc}", file=name, line=line,
                                   column=region_col) from None
        part = get("partnered").lower()
        if part not in _TRUE | _FALSE:
            raise InputFormatError(f"partnered must be true/false, not {part!r}", file=name,
                                   line=line, column="partnered")
        out.append({"line": line, "account_id": account_id, "handle": handle,
                    "platform": get("platform").lower() or None, "actor_type": actor,
                    "region_code": region, "partnered": part in _TRUE})
    return pd.DataFrame(out, columns=["line", "account_id", "handle", "platform",
                                      "actor_type", "region_code", "partnered"])


def label_accounts(corpus: Corpus, labels, *, platform: str | None = None) -> LabelResult:
    """Apply a labels CSV to the accounts of a corpus.

    Parameters
    ----------
    corpus : Corpus
    labels : path or pandas.DataFrame
        See :func:`read_labels` for the columns.
    platform : str, optional
        Match handles only on this platform (a row's own ``platform`` column wins).

    Returns
    -------
    LabelResult
        ``(corpus, unlabelled, unmatched)``: a labelled copy of the corpus, the accounts it
        could not label, and the label rows that matched no account.

    Raises
    ------
    InputFormatError
        An unknown actor type or region, naming the labels file line (see
        :func:`read_labels`).

    Notes
    -----
    A row matches by ``account_id`` when given, otherwise by handle (lower case, without
    ``@``; rule 2), on every platform unless a platform is given. A later row overrides an
    earlier one for the same account. ``region_code`` and ``partnered`` are set from the
    row (an empty region leaves the account's region missing).

    Examples
    --------
    >>> import kopiresearch.io as kio
    >>> from kopiresearch.io.examples import example_path
    >>> c = kio.read_twarc2(example_path("twarc2_search.jsonl"))
    >>> c2, unlabelled, unmatched = label_accounts(c, example_path("labels.csv"))
    >>> c2.accounts.set_index("handle").loc["kominfokdr_demo", "actor_type"]
    'government_regency'
    """
    table = read_labels(labels)
    acc = corpus.accounts
    matched = pd.Series(False, index=acc.index)
    hit = []
    new = acc.copy()
    actor = new["actor_type"].astype(str)
    region = new["region_code"].astype(object)
    partnered = new["partnered"].astype(bool)
    plat = acc["platform"].astype(str)
    for row in table.itertuples(index=False):
        if isinstance(row.account_id, str):
            m = acc.index == row.account_id
        else:
            m = (acc["handle"] == row.handle).fillna(False).to_numpy(bool)
            want = row.platform if isinstance(row.platform, str) else platform
            if want:
                m &= (plat == want).to_numpy(bool)
        hit.append(bool(m.any()))
        if m.any():
            actor[m] = row.actor_type
            region[m] = row.region_code if isinstance(row.region_code, str) else None
            partnered[m] = row.partnered
            matched |= m
    new["actor_type"] = actor
    new["region_code"] = pd.array(region.where(region.notna(), None), dtype="string")
    new["partnered"] = partnered
    new["platform"] = plat
    out = Corpus.from_frames(new, corpus.posts.assign(platform=corpus.posts["platform"]
                                                      .astype(str),
                                                      kind=corpus.posts["kind"].astype(str)),
                             corpus.interactions.assign(kind=corpus.interactions["kind"]
                                                        .astype(str)),
                             report=corpus.report, meta=dict(corpus.meta),
                             mark_missing_parents=False)
    unlabelled = out.accounts[~matched.to_numpy(bool)]
    unmatched = table[[not h for h in hit]].reset_index(drop=True)
    return LabelResult(out, unlabelled, unmatched)
