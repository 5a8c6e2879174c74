"""The ``kopiresearch`` command line.

Subcommands are registered in :func:`build_parser`; each has a ``_cmd_<name>`` function that
takes the parsed arguments and returns an exit status. Add a new subcommand (for example
``aggregate``) by adding a parser there and its ``_cmd_`` function.
"""

from __future__ import annotations

import argparse
import sys

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
                           "pseudonyms (key from $KOPIRESEARCH_PSEUDONYM_KEY or --key-file)")
    load.add_argument("--key-file", metavar="F", help="file holding the pseudonymisation key")
    load.add_argument("--column", action="append", default=[], metavar="CANONICAL=NAME",
                      help="generic interactions CSV: the file's name of a canonical column "
                           "(source, target, kind, created_at, post_id, ...); repeatable")
    load.add_argument("--tz", metavar="ZONE", help="generic interactions CSV: time zone of "
                      "times without offset, e.g. Asia/Jakarta")
    load.add_argument("--out", required=True, metavar="DIR", help="output folder")
    load.add_argument("--csv", action="store_true", help="also write CSV tables")
    load.set_defaults(func=_cmd_load)
    return parser


def main(argv=None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KopiresearchError as exc:
        print(f"kopiresearch {args.command}: error: {exc}", file=sys.stderr)
        return 2


def _cmd_load(args) -> int:
    from .io import label_accounts, load_any, pseudonymize, resolve_key, write_corpus

    key = resolve_key(None, key_file=args.key_file) if args.pseudonymize else None
    columns = {}
    for item in args.column:
        canon, sep, name = item.partition("=")
        if not sep or not canon or not name:
            raise KopiresearchError(f"--column wants CANONICAL=NAME, not {item!r}")
        columns[canon.strip()] = name.strip()
    corpus = load_any(args.inputs, columns=columns or None, tz=args.tz)
    if args.labels:
        corpus, unlabelled, unmatched = label_accounts(corpus, args.labels)
        print(f"labels: {len(corpus.accounts) - len(unlabelled)} accounts labelled, "
              f"{len(unlabelled)} unlabelled, {len(unmatched)} label rows matched no account")
    if key is not None:
        corpus = pseudonymize(corpus, key)
        print(f"pseudonymised: {len(corpus.accounts) - corpus.meta['kept_accounts']} accounts "
              f"({corpus.meta['kept_accounts']} public accounts kept)")
    written = write_corpus(corpus, args.out, format="parquet")
    if args.csv:
        written += write_corpus(corpus, args.out, format="csv")
    print(repr(corpus))
    print(corpus.report.summary())
    for m in corpus.report.malformed:
        print(f"  malformed: {m.file}" + (f":{m.line}" if m.line is not None else "")
              + f": {m.reason}")
    for m in corpus.report.skipped:
        print(f"  skipped: {m.file}: {m.reason}")
    print("wrote " + ", ".join(sorted({p.name for p in written})) + f" to {args.out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
