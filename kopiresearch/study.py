"""A study: one corpus, its optional extras, and the notebook conventions that run on any corpus.

Every research notebook opens with a *parameters* cell (papermill's convention: the cell tagged
``parameters``) and then::

    study = open_study(CORPUS, labels=LABELS, follows=FOLLOWS, event_date=EVENT_DATE,
                       event_name=EVENT_NAME, seed=SEED, out=OUT)

With ``CORPUS = None`` it is the bundled synthetic East Java study, whose planted effects are
known; with a folder it is the researcher's own corpus. A notebook then follows four rules:

1. **A section whose data are missing says so** in one sentence, with how to supply them,
   instead of failing: ``if not study.has_regions: study.missing(...)``. The flags are
   :attr:`Study.has_regions`, :attr:`Study.has_actor_types`, :attr:`Study.has_government`,
   :attr:`Study.has_replies`, :attr:`Study.has_reposts`, :attr:`Study.has_follows`,
   :attr:`Study.has_event`, :attr:`Study.has_truth` and :attr:`Study.platforms`.
2. **Findings are sentences computed from the results**: :meth:`Study.say` shows a Markdown
   sentence whose numbers and words (:func:`share_words`, :func:`compare_words`) come from the
   cell's own values. Markdown cells explain the method and what to look for; they state no
   number of a particular corpus.
3. **Planted effects are checked only where they were planted**: :meth:`Study.expect` is a
   :func:`kopiresearch.claims.claim` on the bundled data (the notebook fails if the synthetic
   story stops holding) and silent on any other corpus.
4. **Every figure and table is saved** when the study runs with an output folder
   (``kopiresearch study``): :meth:`Study.figure` writes PNG and SVG, :meth:`Study.table` a CSV.

The command ``kopiresearch study CORPUS_DIR --out DIR`` (:mod:`kopiresearch.report`) executes
the notebooks with these parameters and writes the report.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .claims import Claim, claim
from .corpus import GOVERNMENT_TYPES, Corpus
from .errors import KopiresearchError

__all__ = ["LABELS_HOW", "Finding", "Study", "compare_words", "listing", "open_study",
           "plural", "share_words"]

#: the event of the bundled data set
BUNDLED_EVENT_NAME = "Kopilaborasi"

#: how a researcher gives accounts actor types, regions and partnerships
LABELS_HOW = ("Draft labels with `kopiresearch labels draft CORPUS --out labels.csv`, review "
              "them and pass the file as LABELS (or `kopiresearch study --labels`).")


class Finding(str):
    """A sentence of results, as :meth:`Study.say` returns it (already shown: a notebook does
    not show it a second time when it is a cell's last value)."""

    def _ipython_display_(self) -> None:
        return None


class _Markdown:
    """What a notebook shows: Markdown, with the same text as plain text (what nbval and the
    report without a browser compare)."""

    def __init__(self, text: str):
        self.text = text

    def _repr_markdown_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


class _ShownClaim(Claim):
    """A claim :meth:`Study.expect` has already shown."""

    def _ipython_display_(self) -> None:
        return None


@dataclass
class Study:
    """One corpus and what the notebooks know about it (see the module docstring).

    Made by :func:`open_study`; the attributes are read-only by convention.
    """

    #: the corpus, with labels applied when a labels file was given
    corpus: Corpus
    #: ``"bundled"`` or the corpus folder as given
    source: str
    #: the planted effects (``load_ground_truth()``) on the bundled data, else ``None``
    truth: dict | None = None
    #: the event that splits the period (UTC), or ``None``
    event: pd.Timestamp | None = None
    #: its name, e.g. ``"Kopilaborasi"``
    event_name: str | None = None
    #: follower ties (``follower_id``, ``followee_id``), or ``None``
    follows: pd.DataFrame | None = None
    #: the seed every random step of the notebooks uses
    seed: int = 0
    #: where figures and tables are written (``None``: nowhere)
    out: Path | None = None
    #: the labels file applied, if any
    labels: str | None = None
    #: sections that said their data are missing: (section, sentence)
    gaps: list = field(default_factory=list)
    #: each section's main sentence (:meth:`finding`), repeated by :meth:`conclusions`
    findings: dict = field(default_factory=dict)

    # ----------------------------------------------------------------- what the data hold
    @property
    def bundled(self) -> bool:
        """True for the bundled synthetic data set."""
        return self.source == "bundled"

    @property
    def has_truth(self) -> bool:
        """Planted effects are known (only the bundled synthetic data)."""
        return self.truth is not None

    @property
    def has_event(self) -> bool:
        """An event date was given (the bundled data: the Kopilaborasi meeting)."""
        return self.event is not None

    @property
    def window(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """The observation period (UTC): the generator's period on the bundled data, else the
        first and last post of the corpus."""
        if self.truth is not None and "period" in self.truth:
            return (pd.Timestamp(self.truth["period"]["start"]),
                    pd.Timestamp(self.truth["period"]["end"]))
        times = self.corpus.posts["created_at"]
        if not len(times):
            raise KopiresearchError("the corpus has no posts, so it has no period")
        return times.min(), times.max()

    @property
    def has_follows(self) -> bool:
        """Follower lists were given."""
        return self.follows is not None and len(self.follows) > 0

    @property
    def has_regions(self) -> bool:
        """At least one account has a kabupaten/kota."""
        from .regions import is_kabkota

        return bool(self.corpus.accounts["region_code"].map(is_kabkota).any())

    @property
    def has_actor_types(self) -> bool:
        """At least one account has an actor type other than ``unknown``."""
        return bool((self.corpus.accounts["actor_type"].astype(str) != "unknown").any())

    @property
    def has_government(self) -> bool:
        """At least one account is labelled as a government account."""
        return bool(self.corpus.accounts["actor_type"].astype(str).isin(GOVERNMENT_TYPES).any())

    @property
    def has_replies(self) -> bool:
        """The corpus has reply interactions."""
        return bool((self.corpus.interactions["kind"].astype(str) == "reply").any())

    @property
    def has_reposts(self) -> bool:
        """The corpus has repost interactions."""
        return bool((self.corpus.interactions["kind"].astype(str) == "repost").any())

    @property
    def platforms(self) -> list[str]:
        """The platforms of the posts, sorted."""
        return sorted(self.corpus.posts["platform"].astype(str).unique())

    # ----------------------------------------------------------------- what a notebook shows
    def say(self, text: str) -> Finding:
        """Show a sentence of results (Markdown) computed from the cell's values."""
        _display(_Markdown(text))
        return Finding(text)

    def finding(self, section: str, text: str) -> Finding:
        """Show the main sentence of a section's results and keep it for :meth:`conclusions`.

        A section that says its finding again replaces the sentence kept before.
        """
        self.findings[section] = text
        return self.say(text)

    def conclusions(self, none: str = "No section could be answered from these data.") -> Finding:
        """Say every section's main sentence (:meth:`finding`) as a list, in the order said,
        then the sections these data could not answer (:meth:`missing`).

        Parameters
        ----------
        none : str
            What to say when no section kept a finding.
        """
        found = self.say("\n".join(f"- **{section}.** {text}"
                                   for section, text in self.findings.items()) or none)
        if self.gaps:
            self.say("Not answered from these data: "
                     + "; ".join(dict.fromkeys(section for section, _ in self.gaps)) + ".")
        return found

    def missing(self, section: str, what: str, how: str) -> Finding:
        """Say that a section cannot be answered from these data, and how to supply them.

        Parameters
        ----------
        section : str
            The section's name, e.g. ``"Answered or not, by office"``.
        what : str
            What the data lack, as a sentence ("No account is labelled as government.").
        how : str
            How to supply it ("Draft labels with ``kopiresearch labels draft`` ...").
        """
        text = f"**{section}: not in these data.** {what.strip()} {how.strip()}"
        self.gaps.append((section, f"{what.strip()} {how.strip()}"))
        self._write_gaps()
        return self.say(text)

    def missing_labels(self, section: str, what: str) -> Finding:
        """:meth:`missing` with the standard way to give accounts actor types and regions."""
        return self.missing(section, what, LABELS_HOW)

    def expect(self, statement: str, holds, /, **values) -> Claim | None:
        """A planted effect of the bundled data: checked there, silent on any other corpus.

        On the bundled data this is :func:`kopiresearch.claims.claim` (a false ``holds``
        raises ``ClaimError``) and the claim is shown; elsewhere nothing is shown or checked,
        because the statement describes the synthetic data. ``holds`` and the values may be
        callables (``lambda: by_type["influencer"] > 120``), evaluated only on the bundled data,
        for checks whose values other corpora cannot even compute.
        """
        if not self.bundled:
            return None
        if callable(holds):
            holds = holds()
        values = {k: v() if callable(v) else v for k, v in values.items()}
        result = claim(statement, holds, **values)
        _display(_Markdown(str(result)))
        return _ShownClaim(result.statement, result.values)

    def figure(self, fig, name: str):
        """Save ``fig`` as ``<out>/figures/<name>.png`` and ``.svg`` (when there is an output
        folder) and return it. SVGs are written without a date and with a fixed hash salt, so
        the same figure gives the same bytes."""
        if self.out is not None:
            import matplotlib as mpl

            folder = self.out / "figures"
            folder.mkdir(parents=True, exist_ok=True)
            _check_name(name)
            fig.savefig(folder / f"{name}.png", dpi=200, bbox_inches="tight",
                        metadata={"Software": None})
            with mpl.rc_context({"svg.hashsalt": "kopiresearch"}):
                fig.savefig(folder / f"{name}.svg", bbox_inches="tight",
                            metadata={"Date": None, "Creator": None})
        return fig

    def table(self, frame: pd.DataFrame | pd.Series, name: str):
        """Save a result table as ``<out>/tables/<name>.csv`` (when there is an output folder)
        and return it unchanged."""
        if self.out is not None:
            _check_name(name)
            folder = self.out / "tables"
            folder.mkdir(parents=True, exist_ok=True)
            frame.to_csv(folder / f"{name}.csv", encoding="utf-8", lineterminator="\n")
        return frame

    def describe(self) -> str:
        """What this study runs on, in a few lines."""
        c = self.corpus
        times = c.posts["created_at"]
        lines = [
            f"source: {'bundled synthetic East Java data set' if self.bundled else self.source}",
            f"{len(c.accounts):,} accounts, {len(c.posts):,} posts, {len(c.interactions):,} "
            f"interactions on {', '.join(self.platforms) or 'no platform'}",
        ]
        files = [Path(f.file).name for f in c.report.file_counts]
        if files:
            shown = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5
                                            else "")
            lines.append(f"crawl files: {shown}")
        if len(times):
            lines.append(f"period: {times.min():%Y-%m-%d %H:%M} to "
                         f"{times.max():%Y-%m-%d %H:%M} UTC")
        if self.labels:
            lines.append(f"labels: {self.labels}")
        lines.append("event: " + (f"{self.event_name} at {self.event:%Y-%m-%d %H:%M} UTC"
                                  if self.has_event else "none given"))
        lines.append("follower lists: " + (f"{len(self.follows):,} ties" if self.has_follows
                                           else "none given"))
        lines.append("ground truth: " + ("planted effects known" if self.has_truth
                                         else "none (not the bundled synthetic data)"))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()

    def _write_gaps(self) -> None:
        if self.out is None:
            return
        self.out.mkdir(parents=True, exist_ok=True)
        rows = [{"section": s, "sentence": t} for s, t in self.gaps]
        (self.out / "gaps.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1),
                                            encoding="utf-8")


def open_study(corpus=None, *, labels=None, follows=None, event_date=None, event_name=None,
               seed: int = 0, out=None) -> Study:
    """Open a study on the bundled data (``corpus=None``) or on a corpus folder.

    Parameters
    ----------
    corpus : None, path or Corpus
        ``None``: the bundled synthetic data set. A folder written by ``kopiresearch load``
        (canonical tables) or a folder/file of crawls, loaded with
        :func:`kopiresearch.io.load_any`. A :class:`~kopiresearch.Corpus` is used as it is.
    labels : path, optional
        A labels CSV (``kopiresearch labels draft`` drafts one), applied with
        :func:`kopiresearch.io.label_accounts`.
    follows : path, optional
        Follower lists (twarc2 ``followers``/``following`` output or the generic follows
        CSV), read with :func:`kopiresearch.io.read_follows`. The bundled study uses the
        bundled ties unless another file is given.
    event_date : str or Timestamp, optional
        An event that splits the period, e.g. a Kopilaborasi meeting (ISO 8601; UTC when no
        zone is given). The bundled study uses its planted meeting.
    event_name : str, optional
        Its name (default ``"Kopilaborasi"`` on the bundled data, else ``"the event"``).
    seed : int
        The seed of every random step.
    out : path, optional
        Where :meth:`Study.figure` and :meth:`Study.table` write.

    Examples
    --------
    >>> study = open_study()
    >>> study.bundled, study.has_truth, study.event_name
    (True, True, 'Kopilaborasi')
    >>> from kopiresearch.io import example_path
    >>> own = open_study(example_path("tweet_harvest_2.6.1.csv"))
    >>> own.bundled, own.has_truth, own.has_event, own.has_government
    (False, False, False, False)
    """
    from .io import label_accounts, load_any, read_corpus, read_follows
    from .io.tables import is_corpus_folder
    from .synth import load_bundled, load_follows, load_ground_truth

    truth = None
    if corpus is None:
        data = load_bundled()
        source = "bundled"
        truth = load_ground_truth()
        if event_date is None:
            event_date = truth["kopilaborasi"]["time"]
            event_name = event_name or BUNDLED_EVENT_NAME
    elif isinstance(corpus, Corpus):
        data, source = corpus, str(corpus.meta.get("source", "corpus"))
    else:
        path = Path(corpus)
        if not path.exists():
            raise KopiresearchError(f"{path}: no such corpus file or folder")
        data = read_corpus(path) if is_corpus_folder(path) else load_any([path])
        source = str(path)
    if labels is not None:
        data = label_accounts(data, labels).corpus
    ties = None
    if follows is not None:
        ties = read_follows(follows, corpus=data).follows
    elif source == "bundled":
        ties = load_follows()
    event = None
    if event_date is not None and str(event_date).strip():
        try:
            event = pd.Timestamp(event_date)
        except (ValueError, TypeError) as exc:
            raise KopiresearchError(f"event date {event_date!r} is not a date (ISO 8601, e.g. "
                                    "2024-10-28 09:00+07:00)") from exc
        event = event.tz_localize("UTC") if event.tzinfo is None else event.tz_convert("UTC")
        times = data.posts["created_at"]
        if len(times) and not (times.min() < event < times.max()):
            raise KopiresearchError(
                f"event date {event:%Y-%m-%d %H:%M} UTC is outside the corpus's period "
                f"({times.min():%Y-%m-%d %H:%M} to {times.max():%Y-%m-%d %H:%M} UTC); a "
                "before/after comparison needs posts on both sides")
        event_name = event_name or "the event"
    study = Study(corpus=data, source=source, truth=truth, event=event,
                  event_name=event_name if event is not None else None, follows=ties,
                  seed=int(seed), out=Path(out) if out is not None else None,
                  labels=str(labels) if labels is not None else None)
    return study


def plural(n, noun: str, many: str | None = None) -> str:
    """``"1 account"``, ``"2 accounts"``, ``"1,234 accounts"``.

    Examples
    --------
    >>> plural(1, "account"), plural(1234, "account"), plural(2, "community", "communities")
    ('1 account', '1,234 accounts', '2 communities')
    """
    word = noun if n == 1 else (many or noun + "s")
    return f"{n:,} {word}"


def listing(names, last: str = "and") -> str:
    """``"a, b and c"``: names joined for a sentence.

    Examples
    --------
    >>> listing(["Kota Malang"]), listing(["a", "b", "c"]), listing(["a", "b"], last="or")
    ('Kota Malang', 'a, b and c', 'a or b')
    >>> listing([])
    ''
    """
    names = [str(name) for name in names]
    return (f" {last} ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1
            else "".join(names))


def share_words(share: float) -> str:
    """Words for a share, for sentences computed from results.

    Examples
    --------
    >>> [share_words(x) for x in (0, 0.04, 0.3, 0.5, 0.7, 0.97, 1)]
    ['none', 'almost none', 'a minority', 'about half', 'most', 'almost all', 'all']
    """
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "an unknown share"
    if share <= 0:
        return "none"
    if share >= 1:
        return "all"
    if share < 0.05:
        return "almost none"
    if share > 0.95:
        return "almost all"
    if 0.45 <= share <= 0.55:
        return "about half"
    return "most" if share > 0.5 else "a minority"


def compare_words(a: float, b: float, *, tolerance: float = 0.05) -> str:
    """``"more than"``, ``"less than"`` or ``"about as much as"`` (relative tolerance).

    Examples
    --------
    >>> compare_words(3.0, 2.0), compare_words(2.0, 3.0), compare_words(2.0, 2.05)
    ('more than', 'less than', 'about as much as')
    """
    if abs(a - b) <= tolerance * max(abs(a), abs(b)):
        return "about as much as"
    return "more than" if a > b else "less than"


def _check_name(name: str) -> None:
    if not name or os.sep in name or name.startswith(".") or "/" in name:
        raise KopiresearchError(f"figure/table name {name!r} must be a plain file name")


def _display(obj) -> None:
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - ipykernel is a dependency
        print(obj)
        return
    if get_ipython() is None:
        print(obj)
    else:
        display(obj)
