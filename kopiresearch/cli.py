"""The ``kopiresearch`` command line.

Subcommands are registered in :func:`build_parser`; each has a ``_cmd_<name>`` function that
takes the parsed arguments and returns an exit status. Add a new subcommand (for example
``aggregate``) by adding a parser there and its ``_cmd_`` function.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .errors import KopiresearchError

__all__ = ["main", "build_parser"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one subparser per subcommand.

    Examples
    --------
    >>> p = build_parser()
    >>> a = p.parse_args(["load", "crawl.csv", "--out", "out"])
    >>> a.command, a.inputs, a.csv, a.pseudonymize
    ('load', ['crawl.csv'], False, False)
    """
    parser = argparse.ArgumentParser(
        prog="kopiresearch",
        description="Interaction graphs of government, influencer, media and citizen accounts.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    load = sub.add_parser(
        "load", help="load crawls into the canonical tables",
        description="Load crawls (tweet-harvest CSV/XLSX, twarc2 JSONL, twarc-csv, instaloader "
                    "folders, generic interactions CSV; the format is detected per input), "
                    "merge them, optionally label and pseudonymise the accounts, write the "
                    "canonical tables and print the load report.")
    load.add_argument("inputs", nargs="+", metavar="INPUT", help="crawl file or folder")
    load.add_argument("--labels", metavar="F", help="labels CSV (handle or account_id, "
                      "actor_type, region, partnered)")
    load.add_argument("--pseudonymize", action="store_true",
                      help="replace ids and handles of non-public accounts by keyed "
                           "pseudonyms (key from --key-file, else $KOPIRESEARCH_PSEUDONYM_KEY)")
    load.add_argument("--key-file", metavar="F", help="file holding the pseudonymisation key "
                      "(needs --pseudonymize; wins over $KOPIRESEARCH_PSEUDONYM_KEY)")
    load.add_argument("--column", action="append", default=[], metavar="CANONICAL=NAME",
                      help="generic interactions CSV: the file's name of a canonical column "
                           "(source, target, kind, created_at, post_id, ...); repeatable")
    load.add_argument("--tz", metavar="ZONE", help="generic interactions CSV: time zone of "
                      "times without offset, e.g. Asia/Jakarta")
    load.add_argument("--platform", default="facebook", metavar="NAME",
                      help="generic interactions CSV: the platform of its accounts (facebook, "
                           "instagram, tiktok, youtube, twitter; default facebook)")
    load.add_argument("--no-reply-prefix-mentions", dest="reply_prefix_mentions",
                      action="store_false",
                      help="Twitter crawls: leave out mentions of handles that occur only in "
                           "the leading @-run of a reply (X writes every thread participant "
                           "there); counted in the load report either way")
    _add_out_folder(load)
    load.add_argument("--overwrite", action="store_true", help="replace an earlier output "
                      "in DIR (as a whole: no file of the earlier run is left)")
    load.add_argument("--csv", action="store_true", help="also write CSV tables")
    load.add_argument("--partitioned", action="store_true",
                      help="stream: load one INPUT at a time and append it to Parquet "
                           "partitioned by platform and month (for crawls larger than memory; "
                           "open with 'kopiresearch aggregate' or kopiresearch.scale)")
    load.set_defaults(func=_cmd_load)

    agg = sub.add_parser(
        "aggregate", help="edge list and region flows of a partitioned corpus, with Dask",
        description="Aggregate a partitioned Parquet corpus (written by 'kopiresearch load "
                    "--partitioned') into the interaction graph's edge table and the "
                    "region-to-region flow tables, on a local Dask cluster or an existing "
                    "one. Needs the scale extra: pip install 'kopiresearch[scale]'.")
    agg.add_argument("corpus_dir", metavar="CORPUS_DIR", help="partitioned corpus folder")
    _add_out_folder(agg)
    agg.add_argument("--overwrite", action="store_true", help="replace an earlier output in "
                     "DIR")
    agg.add_argument("--scheduler", metavar="ADDR", help="address of a running Dask "
                     "scheduler, e.g. tcp://10.0.0.5:8786 (default: $DASK_SCHEDULER_ADDRESS, "
                     "else a LocalCluster)")
    agg.add_argument("--workers", type=int, default=2, help="LocalCluster workers (default 2)")
    _add_act_filters(agg)
    agg.set_defaults(func=_cmd_aggregate)
    _add_labels_and_export(sub)
    _add_study(sub)

    from .grading import add_grade_command  # kopiresearch grade: see kopiresearch/grading.py

    add_grade_command(sub)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input).

    Every :class:`~kopiresearch.errors.KopiresearchError` is printed as one line (no
    traceback), with Python keyword arguments named in it translated to this command's
    flags (``key=`` becomes ``--key-file``).
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KopiresearchError as exc:
        print(f"kopiresearch {args.command}: error: {_cli_words(str(exc))}", file=sys.stderr)
        return 2


#: Python keyword arguments that error messages may name, and the flags that set them here.
_FLAGS = {"key_file=": "--key-file", "key=": "--key-file", "tz=": "--tz",
          "columns={...}": "--column CANONICAL=NAME", "columns=": "--column",
          "overwrite=True": "--overwrite", "kinds=": "--kinds", "start=": "--start",
          "end=": "--end"}
_FLAG_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(
    _FLAGS, key=len, reverse=True)) + r")")


def _cli_words(message: str) -> str:
    """``message`` with keyword arguments (``pass tz=``) named as flags (``pass --tz``)."""
    return _FLAG_RE.sub(lambda m: _FLAGS[m.group(1)], message)


def _resolve_cli_key(args):
    """The key for --pseudonymize: --key-file, else $KOPIRESEARCH_PSEUDONYM_KEY; the source
    is printed. --key-file without --pseudonymize is refused (it would write raw handles)."""
    import os

    from .io import resolve_key
    from .io.pseudonymize import KEY_ENV, PseudonymKeyError

    if not args.pseudonymize:
        if args.key_file is not None:
            raise PseudonymKeyError("--key-file was given without --pseudonymize: add "
                                    "--pseudonymize (or drop --key-file to keep raw handles)")
        return None
    if args.key_file is not None:
        key = resolve_key(None, key_file=args.key_file)
        source = f"--key-file {args.key_file}"
        if os.environ.get(KEY_ENV):
            source += f" (${KEY_ENV} is set too and ignored)"
    elif os.environ.get(KEY_ENV):
        key, source = resolve_key(None), f"${KEY_ENV}"
    else:
        raise PseudonymKeyError(f"--pseudonymize needs a key: give --key-file F or set "
                                f"${KEY_ENV}")
    print(f"pseudonymisation key from {source}")
    return key


class _Progress:
    """Progress over the inputs of a load: a tqdm bar on stderr per input file, with the
    rows read so far (off when $KOPIRESEARCH_PROGRESS is 0, as for simulations)."""

    def __init__(self, total: int):
        import os

        from tqdm.auto import tqdm

        on = os.environ.get("KOPIRESEARCH_PROGRESS", "1").lower() not in (
            "0", "false", "no", "off")
        self.rows = 0
        self.bar = tqdm(total=total, desc="load", unit="file", disable=not on,
                        file=sys.stderr)

    def files(self, n: int):
        """The number of input files, once folders are expanded."""
        self.bar.total = n
        self.bar.refresh()

    def start(self, path):
        """Show which input is being read (a big file takes a while)."""
        self.bar.set_description_str(f"load {Path(path).name}")

    def done(self, path, rows: int):
        """One input file was read: ``rows`` more rows."""
        self.rows += int(rows)
        self.bar.set_postfix(rows=f"{self.rows:,}", refresh=False)
        self.bar.update(1)

    def stage(self, text: str):
        """What the load does after reading its files (building the corpus, merging)."""
        self.bar.set_description_str(f"load: {text}")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.bar.close()


def _load(inputs, args, columns, progress=None):
    """All ``inputs`` in one :func:`~kopiresearch.io.load_any`: files of one format are read
    by one loader call, so replies find their parents and handles their ids across files."""
    from .io import load_any

    return load_any(inputs, columns=columns or None, tz=args.tz, platform=args.platform,
                    reply_prefix_mentions=args.reply_prefix_mentions, progress=progress)


def _cmd_load(args) -> int:
    from .io import write_corpus

    key = _resolve_cli_key(args)
    columns = {}
    for item in args.column:
        canon, sep, name = item.partition("=")
        if not sep or not canon or not name:
            raise KopiresearchError(f"--column wants CANONICAL=NAME, not {item!r}")
        columns[canon.strip()] = name.strip()
    if args.partitioned:
        return _load_partitioned(args, columns, key)
    from .io._output import check_destination

    check_destination(Path(args.out), overwrite=args.overwrite, flag="--overwrite")  # early
    with _Progress(len(args.inputs)) as progress:
        corpus = _prepare(_load(args.inputs, args, columns, progress), args, key)
    written = write_corpus(corpus, args.out, format=["parquet", "csv"] if args.csv else
                           "parquet", overwrite=args.overwrite, flag="--overwrite")
    _print_report(corpus)
    print("wrote " + ", ".join(sorted({p.name for p in written})) + f" to {args.out}")
    return 0


def _prepare(corpus, args, key):
    from .io import label_accounts, pseudonymize

    if args.labels:
        corpus, unlabelled, unmatched = label_accounts(corpus, args.labels)
        print(f"labels: {len(corpus.accounts) - len(unlabelled)} accounts labelled, "
              f"{len(unlabelled)} unlabelled, {len(unmatched)} label rows matched no account")
    if key is not None:
        corpus = pseudonymize(corpus, key)
        print(f"pseudonymised: {len(corpus.accounts) - corpus.meta['kept_accounts']} accounts "
              f"({corpus.meta['kept_accounts']} public accounts kept)")
    return corpus


def _print_report(corpus):
    print(repr(corpus))
    _print_load_report(corpus.report)


def _print_load_report(report):
    """The report with per-file counts, derived counts, warnings, malformed rows and skipped
    inputs; the warnings go to stderr too, so that they are seen when stdout is redirected."""
    print(_cli_words(report.describe(max_rows=50)))
    for w in report.warnings:
        print(f"kopiresearch: warning: {_cli_words(str(w))}", file=sys.stderr)


def _load_partitioned(args, columns, key) -> int:
    from .io._output import check_destination
    from .io.parquet import stream_to_parquet

    if args.csv:
        raise KopiresearchError("--csv and --partitioned exclude each other")
    check_destination(Path(args.out), overwrite=args.overwrite, flag="--overwrite")  # early

    def one(path):
        corpus = _prepare(_load([path], args, columns, progress), args, key)
        print(f"{path}: {corpus!r}")
        return corpus

    with _Progress(len(args.inputs)) as progress:
        # (load_any reports each file to the bar as it reads it)
        report = stream_to_parquet(args.inputs, one, args.out, overwrite=args.overwrite,
                                   flag="--overwrite")
    _print_load_report(report)
    print("(duplicates across inputs are counted when the corpus is opened: "
          "kopiresearch aggregate)")
    print(f"wrote partitioned Parquet to {args.out}")
    return 0


def _add_out_folder(parser) -> None:
    """``--out DIR``: the folder a subcommand writes whole or not at all (``load`` and
    ``aggregate`` take it alike, with ``--overwrite``)."""
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder (written "
                        "whole or not at all; must be new or empty unless --overwrite)")


def _add_corpus_dir(parser) -> None:
    """``CORPUS_DIR``: the folder of a corpus written by ``kopiresearch load``, the input of
    ``labels draft`` and ``export``."""
    parser.add_argument("corpus_dir", metavar="CORPUS_DIR",
                        help="folder written by 'kopiresearch load'")


def _add_act_filters(parser) -> None:
    """``--kinds``, ``--start`` and ``--end``: which acts a subcommand keeps (``aggregate``
    and ``export`` take them alike; read back with :func:`_kinds_flag` and the times as
    each subcommand needs)."""
    parser.add_argument("--kinds", help="comma-separated interaction kinds to keep")
    parser.add_argument("--start", help="keep acts at or after this time (ISO 8601, UTC if "
                        "naive)")
    parser.add_argument("--end", help="keep acts before this time")


def _kinds_flag(value):
    """``--kinds`` as a list of kinds, spaces around the commas dropped; None when not given.

    Examples
    --------
    >>> _kinds_flag("reply, repost"), _kinds_flag(None)
    (['reply', 'repost'], None)
    """
    return [k.strip() for k in value.split(",")] if value else None


def _time_flag(flag, value):
    """``value`` of ``--start``/``--end`` as a UTC time, or a clean error naming the flag."""
    import pandas as pd

    if value is None:
        return None
    try:
        t = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError) as exc:
        raise KopiresearchError(f"{flag} {value!r} is not a time: give ISO 8601, e.g. "
                                f"2024-11-27 or 2024-11-27T08:00+07:00 ({exc})") from None
    if t is pd.NaT:
        raise KopiresearchError(f"{flag} {value!r} is not a time: give ISO 8601")
    return t.tz_localize("UTC") if t.tzinfo is None else t.tz_convert("UTC")


def _cmd_aggregate(args) -> int:
    from . import scale
    from .io._output import check_destination, output_folder
    from .io.parquet import check_complete
    from .scale._edges import bakorwil_flows

    kinds = _kinds_flag(args.kinds)
    start, end = _time_flag("--start", args.start), _time_flag("--end", args.end)
    out = Path(args.out)
    check_destination(out, overwrite=args.overwrite, flag="--overwrite")  # before any work
    check_complete(args.corpus_dir)  # refuse an unfinished load before starting a cluster
    with scale.dask_client(args.scheduler, n_workers=args.workers):
        dc = scale.open_parquet_corpus(args.corpus_dir)
        with output_folder(out, overwrite=args.overwrite, flag="--overwrite") as tmp:
            # written by the workers, range by range: the client never holds the edge table
            written = scale.write_edges(dc, tmp / "edges.parquet", kinds=kinds, start=start,
                                        end=end)
            # one pass over the interactions: Bakorwil flows are sums of kabupaten/kota flows
            flows = scale.region_flow_table(dc, level="kabkota", kinds=kinds, start=start,
                                            end=end)
            flows.to_csv(tmp / "region_flows_kabkota.csv", index=False)
            bakorwil_flows(flows).to_csv(tmp / "region_flows_bakorwil.csv", index=False)
            dc.accounts.reset_index().astype({"actor_type": str, "platform": str}).to_parquet(
                tmp / "accounts.parquet", index=False)
    print(repr(dc))
    _print_load_report(dc.report)
    print(f"edges: {int(written['edges'].sum())} account pairs, "
          f"{int(written['acts'].sum())} acts")
    print(f"wrote edges.parquet ({len(written)} part files), accounts.parquet, "
          f"region_flows_kabkota.csv, region_flows_bakorwil.csv to {out}")
    return 0


def _add_labels_and_export(sub) -> None:
    """Register ``labels draft`` and ``export``.

    Examples
    --------
    >>> a = build_parser().parse_args(["labels", "draft", "corpus", "--out", "labels.csv"])
    >>> a.command, a.labels_command, a.corpus_dir, a.out
    ('labels', 'draft', 'corpus', 'labels.csv')
    >>> a = build_parser().parse_args(["export", "corpus", "--gexf", "g.gexf"])
    >>> a.gexf, a.graphml, a.static, a.seed
    ('g.gexf', None, False, 0)
    """
    labels = sub.add_parser(
        "labels", help="draft the labels file (regions, actor types) from the profiles",
        description="Work with labels files (the file 'kopiresearch load --labels' applies).")
    lsub = labels.add_subparsers(dest="labels_command", metavar="SUBCOMMAND", required=True)
    draft = lsub.add_parser(
        "draft", help="propose a region and an actor type for every account",
        description="Propose, for every account of a corpus written by 'kopiresearch load', "
                    "a kabupaten/kota from the profile location (and display name or bio "
                    "where the corpus has them) and an actor type for government accounts "
                    "from handle and name patterns, each with its evidence and a confidence. "
                    "Rows marked 'decide' (ambiguous names such as a bare 'Malang') and "
                    "'check' need the researcher; the reviewed file goes to "
                    "'kopiresearch load --labels'.")
    _add_corpus_dir(draft)
    draft.add_argument("--out", required=True, metavar="FILE", help="labels CSV to write")
    draft.add_argument("--profiles", action="append", default=[], metavar="F",
                       help="twarc2 JSONL file or folder whose user profiles (location, "
                            "name, bio) to use too, e.g. the crawl's search or followers "
                            "files; repeatable")
    draft.add_argument("--fresh", action="store_true",
                       help="draft every account afresh (default: keep the corpus's labels)")
    draft.add_argument("--force", action="store_true",
                       help="overwrite FILE if it exists (it may hold your review)")
    draft.set_defaults(func=_cmd_labels_draft)

    exp = sub.add_parser(
        "export", help="write the interaction graph for Gephi (GEXF, GraphML)",
        description="Write the interaction graph of a corpus written by 'kopiresearch load' "
                    "with handles as labels and actor type, region, Bakorwil and Louvain "
                    "community as node attributes. The GEXF is dynamic (each edge has a "
                    "spell from its first to its last act, for Gephi's timeline) unless "
                    "--static is given.")
    _add_corpus_dir(exp)
    exp.add_argument("--gexf", metavar="FILE", help="GEXF file to write")
    exp.add_argument("--graphml", metavar="FILE", help="GraphML file to write")
    exp.add_argument("--labels", metavar="F", help="labels CSV to apply first")
    _add_act_filters(exp)
    exp.add_argument("--isolates", action="store_true", help="keep accounts without an edge")
    exp.add_argument("--static", action="store_true", help="GEXF without spells")
    exp.add_argument("--seed", type=int, default=0, help="seed of the communities (default 0)")
    exp.set_defaults(func=_cmd_export)


def _add_study(sub) -> None:
    study = sub.add_parser(
        "study", help="run the whole study on a corpus and write the report",
        description="Execute the research notebooks on a corpus (the bundled synthetic data "
                    "when CORPUS is left out) and write the report: index.html, every "
                    "notebook as HTML with and without code, every figure as PNG and SVG and "
                    "every result table as CSV.")
    study.add_argument("corpus", nargs="?", metavar="CORPUS",
                       help="folder written by `kopiresearch load`, or crawl files/folder "
                            "(default: the bundled synthetic data)")
    study.add_argument("--out", required=True, metavar="DIR", help="report folder")
    study.add_argument("--labels", metavar="F", help="labels CSV (regions, actor types; "
                       "draft one with `kopiresearch labels draft`)")
    study.add_argument("--follows", metavar="F", help="follower lists: twarc2 followers/"
                       "following output or a follows CSV")
    study.add_argument("--event-date", metavar="TIME", help="an event that splits the period, "
                       "e.g. a Kopilaborasi meeting (ISO 8601, UTC if no zone)")
    study.add_argument("--event-name", metavar="NAME", help="its name (default 'the event')")
    study.add_argument("--seed", type=int, help="seed of every random step (default: each "
                       "notebook's own)")
    study.add_argument("--workers", type=int, default=2, help="notebooks executed at once "
                       "(default 2)")
    study.add_argument("--timeout", type=int, default=600, help="seconds a cell may take "
                       "(default 600)")
    study.add_argument("--all", dest="everything", action="store_true", default=None,
                       help="also run the notebooks without parameters (the loading tutorial "
                            "and the teaching labs; default for the bundled study)")
    study.add_argument("--research-only", dest="everything", action="store_false",
                       help="only the research notebooks, also for the bundled study")
    study.add_argument("--overwrite", action="store_true", help="replace an earlier report in "
                       "--out")
    study.set_defaults(func=_cmd_study)


def _cmd_study(args) -> int:
    from .report import run_study

    result = run_study(args.corpus, out=args.out, labels=args.labels, follows=args.follows,
                       event_date=args.event_date, event_name=args.event_name, seed=args.seed,
                       overwrite=args.overwrite, workers=args.workers, timeout=args.timeout,
                       everything=args.everything)
    failed = [r for r in result.runs if not r.ok]
    gaps = sum(len(r.gaps) for r in result.runs)
    print(f"wrote {result.out / 'index.html'}: {len(result.runs)} notebooks, "
          f"{sum(len(r.figures) for r in result.runs)} figures, "
          f"{sum(len(r.tables) for r in result.runs)} tables; {gaps} sections said what the "
          f"data lack" + (f"; {len(failed)} FAILED" if failed else ""))
    return 1 if failed else 0


def _cmd_labels_draft(args) -> int:
    from pathlib import Path

    from .io import draft_labels, read_corpus, read_twarc2_profiles

    out = Path(args.out)
    if out.exists() and not args.force:
        raise KopiresearchError(f"{out} exists (it may hold your review); choose another "
                                "--out or pass --force")
    corpus = read_corpus(args.corpus_dir)
    profiles = read_twarc2_profiles(args.profiles) if args.profiles else None
    table = draft_labels(corpus, keep_existing=not args.fresh, profiles=profiles)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, encoding="utf-8")
    proposal = table["region_proposal"]
    regions = proposal.str.fullmatch(r"35\d\d")
    print(f"{len(table)} accounts: region proposed for {int(regions.sum())}, province for "
          f"{int((proposal == '35').sum())}, outside East Java {int((proposal == 'outside').sum())}"
          f", ambiguous {int(proposal.str.startswith('ambiguous:').sum())}, unknown "
          f"{int((proposal == 'unknown').sum())}")
    types = table.loc[table["actor_type"] != "unknown", "actor_type"].value_counts()
    print("actor types: " + (", ".join(f"{k} {v}" for k, v in sorted(types.items()))
                             or "none proposed"))
    print(f"to decide: {int((table['review'] == 'decide').sum())} rows, to check: "
          f"{int((table['review'] == 'check').sum())} rows (column 'review')")
    print(f"wrote {out}; after your review: kopiresearch load ... --labels {out}")
    return 0


def _cmd_export(args) -> int:
    from .export import gephi_graph, write_gexf, write_graphml
    from .io import label_accounts, read_corpus

    if not args.gexf and not args.graphml:
        raise KopiresearchError("export needs --gexf FILE and/or --graphml FILE")
    corpus = read_corpus(args.corpus_dir)
    if args.labels:
        corpus = label_accounts(corpus, args.labels).corpus
    kinds = _kinds_flag(args.kinds)
    G = gephi_graph(corpus, kinds=kinds, start=args.start, end=args.end,
                    include_isolates=args.isolates, seed=args.seed)
    print(f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges, "
          f"{len({d['community'] for _, d in G.nodes(data=True)})} communities")
    if args.gexf:
        write_gexf(G, args.gexf, dynamic=not args.static)
        print(f"wrote {args.gexf} ({'static' if args.static else 'dynamic: edge spells'})")
    if args.graphml:
        write_graphml(G, args.graphml)
        print(f"wrote {args.graphml}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
