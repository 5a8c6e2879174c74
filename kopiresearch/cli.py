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
    load.add_argument("--out", required=True, metavar="DIR", help="output folder (written "
                      "whole or not at all; must be new or empty unless --overwrite)")
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
    agg.add_argument("--out", required=True, metavar="DIR", help="output folder (written "
                     "whole or not at all; must be new or empty unless --overwrite)")
    agg.add_argument("--overwrite", action="store_true", help="replace an earlier output in "
                     "DIR")
    agg.add_argument("--scheduler", metavar="ADDR", help="address of a running Dask "
                     "scheduler, e.g. tcp://10.0.0.5:8786 (default: $DASK_SCHEDULER_ADDRESS, "
                     "else a LocalCluster)")
    agg.add_argument("--workers", type=int, default=2, help="LocalCluster workers (default 2)")
    agg.add_argument("--kinds", help="comma-separated interaction kinds to keep")
    agg.add_argument("--start", help="keep acts at or after this time (ISO 8601, UTC if naive)")
    agg.add_argument("--end", help="keep acts before this time")
    agg.set_defaults(func=_cmd_aggregate)
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

    def start(self, path):
        """Show which input is being read (a big file takes a while)."""
        self.bar.set_description_str(f"load {Path(path).name}")

    def __call__(self, path, corpus):
        self.rows += corpus.report.rows_read
        self.bar.set_postfix(rows=f"{self.rows:,}", refresh=False)
        self.bar.update(1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.bar.close()


def _load_one(path, args, columns):
    from .io import load_any

    return load_any([path], columns=columns or None, tz=args.tz)


def _cmd_load(args) -> int:
    from .io import merge, write_corpus

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
    parts = []
    with _Progress(len(args.inputs)) as progress:
        for path in args.inputs:
            progress.start(path)
            parts.append(_load_one(path, args, columns))
            progress(path, parts[-1])
    corpus = _prepare(parts[0] if len(parts) == 1 else merge(*parts), args, key)
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
    print(report.summary())
    for m in report.malformed:
        print(f"  malformed: {m.file}" + (f":{m.line}" if m.line is not None else "")
              + f": {_cli_words(m.reason)}")
    for m in report.skipped:
        print(f"  skipped: {m.file}: {_cli_words(m.reason)}")


def _load_partitioned(args, columns, key) -> int:
    from .io._output import check_destination
    from .io.parquet import stream_to_parquet

    if args.csv:
        raise KopiresearchError("--csv and --partitioned exclude each other")
    check_destination(Path(args.out), overwrite=args.overwrite, flag="--overwrite")  # early

    def one(path):
        progress.start(path)
        corpus = _prepare(_load_one(path, args, columns), args, key)
        print(f"{path}: {corpus!r}")
        return corpus

    with _Progress(len(args.inputs)) as progress:
        report = stream_to_parquet(args.inputs, one, args.out, overwrite=args.overwrite,
                                   flag="--overwrite", progress=progress)
    _print_load_report(report)
    print("(duplicates across inputs are counted when the corpus is opened: "
          "kopiresearch aggregate)")
    print(f"wrote partitioned Parquet to {args.out}")
    return 0


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

    kinds = [k.strip() for k in args.kinds.split(",")] if args.kinds else None
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
            scale._bakorwil_flows(flows).to_csv(tmp / "region_flows_bakorwil.csv", index=False)
            dc.accounts.reset_index().astype({"actor_type": str, "platform": str}).to_parquet(
                tmp / "accounts.parquet", index=False)
    print(repr(dc))
    _print_load_report(dc.report)
    print(f"edges: {int(written['edges'].sum())} account pairs, "
          f"{int(written['acts'].sum())} acts")
    print(f"wrote edges.parquet ({len(written)} part files), accounts.parquet, "
          f"region_flows_kabkota.csv, region_flows_bakorwil.csv to {out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
