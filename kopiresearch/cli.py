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
    load.add_argument("--platform", default="facebook", metavar="NAME",
                      help="generic interactions CSV: the platform of its accounts (facebook, "
                           "instagram, tiktok, youtube, twitter; default facebook)")
    load.add_argument("--no-reply-prefix-mentions", dest="reply_prefix_mentions",
                      action="store_false",
                      help="Twitter crawls: leave out mentions of handles that occur only in "
                           "the leading @-run of a reply (X writes every thread participant "
                           "there); counted in the load report either way")
    load.add_argument("--out", required=True, metavar="DIR", help="output folder")
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
    agg.add_argument("--out", required=True, metavar="DIR", help="output folder")
    agg.add_argument("--scheduler", metavar="ADDR", help="address of a running Dask "
                     "scheduler, e.g. tcp://10.0.0.5:8786 (default: $DASK_SCHEDULER_ADDRESS, "
                     "else a LocalCluster)")
    agg.add_argument("--workers", type=int, default=2, help="LocalCluster workers (default 2)")
    agg.add_argument("--kinds", help="comma-separated interaction kinds to keep")
    agg.add_argument("--start", help="keep acts at or after this time (ISO 8601, UTC if naive)")
    agg.add_argument("--end", help="keep acts before this time")
    agg.set_defaults(func=_cmd_aggregate)
    _add_labels_and_export(sub)

    from .grading import add_grade_command  # kopiresearch grade: see kopiresearch/grading.py

    add_grade_command(sub)
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
    from .io import resolve_key, write_corpus

    key = resolve_key(None, key_file=args.key_file) if args.pseudonymize else None
    columns = {}
    for item in args.column:
        canon, sep, name = item.partition("=")
        if not sep or not canon or not name:
            raise KopiresearchError(f"--column wants CANONICAL=NAME, not {item!r}")
        columns[canon.strip()] = name.strip()
    if args.partitioned:
        return _load_partitioned(args, columns, key)
    corpus = _prepare(_load(args.inputs, args, columns), args, key)
    written = write_corpus(corpus, args.out, format="parquet")
    if args.csv:
        written += write_corpus(corpus, args.out, format="csv")
    _print_report(corpus)
    print("wrote " + ", ".join(sorted({p.name for p in written})) + f" to {args.out}")
    return 0


def _load(inputs, args, columns):
    from .io import load_any

    return load_any(inputs, columns=columns or None, tz=args.tz, platform=args.platform,
                    reply_prefix_mentions=args.reply_prefix_mentions)


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
    """The report with per-file counts and warnings; the warnings go to stderr too, so that
    they are seen when stdout is redirected to a file."""
    print(report.describe(max_rows=50))
    for w in report.warnings:
        print(f"kopiresearch: warning: {w}", file=sys.stderr)


def _load_partitioned(args, columns, key) -> int:
    from .io.parquet import stream_to_parquet

    if args.csv:
        raise KopiresearchError("--csv and --partitioned exclude each other")

    def one(path):
        corpus = _prepare(_load([path], args, columns), args, key)
        print(f"{path}: {corpus!r}")
        return corpus

    report = stream_to_parquet(args.inputs, one, args.out)
    _print_load_report(report)
    print("(duplicates across inputs are counted when the corpus is opened: "
          "kopiresearch aggregate)")
    print(f"wrote partitioned Parquet to {args.out}")
    return 0


def _cmd_aggregate(args) -> int:
    from pathlib import Path

    from . import scale

    kinds = [k.strip() for k in args.kinds.split(",")] if args.kinds else None
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with scale.dask_client(args.scheduler, n_workers=args.workers):
        dc = scale.open_parquet_corpus(args.corpus_dir)
        # written by the workers, range by range: the client never holds the edge table
        if (out / "edges.parquet").is_file():  # a single file from an older version
            (out / "edges.parquet").unlink()
        written = scale.write_edges(dc, out / "edges.parquet", kinds=kinds, start=args.start,
                                    end=args.end)
        # one pass over the interactions: Bakorwil flows are sums of kabupaten/kota flows
        flows = scale.region_flow_table(dc, level="kabkota", kinds=kinds, start=args.start,
                                        end=args.end)
        flows.to_csv(out / "region_flows_kabkota.csv", index=False)
        scale._bakorwil_flows(flows).to_csv(out / "region_flows_bakorwil.csv", index=False)
    dc.accounts.reset_index().astype({"actor_type": str, "platform": str}).to_parquet(
        out / "accounts.parquet", index=False)
    print(repr(dc))
    _print_load_report(dc.report)
    print(f"edges: {int(written['edges'].sum())} account pairs, "
          f"{int(written['acts'].sum())} acts")
    print(f"wrote edges.parquet ({len(written)} part files), accounts.parquet, "
          f"region_flows_kabkota.csv, region_flows_bakorwil.csv to {out}")
    return 0


# --- `labels draft` and `export` (label drafting and Gephi export; self-contained) -------------


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
    draft.add_argument("corpus_dir", metavar="CORPUS_DIR",
                       help="folder written by 'kopiresearch load'")
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
    exp.add_argument("corpus_dir", metavar="CORPUS_DIR",
                     help="folder written by 'kopiresearch load'")
    exp.add_argument("--gexf", metavar="FILE", help="GEXF file to write")
    exp.add_argument("--graphml", metavar="FILE", help="GraphML file to write")
    exp.add_argument("--labels", metavar="F", help="labels CSV to apply first")
    exp.add_argument("--kinds", help="comma-separated interaction kinds to keep")
    exp.add_argument("--start", help="keep acts at or after this time (ISO 8601, UTC if naive)")
    exp.add_argument("--end", help="keep acts before this time")
    exp.add_argument("--isolates", action="store_true", help="keep accounts without an edge")
    exp.add_argument("--static", action="store_true", help="GEXF without spells")
    exp.add_argument("--seed", type=int, default=0, help="seed of the communities (default 0)")
    exp.set_defaults(func=_cmd_export)


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
    kinds = [k.strip() for k in args.kinds.split(",")] if args.kinds else None
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
