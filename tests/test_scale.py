"""The Dask path gives the same results as the in-memory path (issue: scale past one machine)."""

import inspect
import json

import numpy as np
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import scale, synth
from kopiresearch.errors import DataNotFoundError, KopiresearchError, SchemaError
from kopiresearch.graph import aggregate_interactions
from kopiresearch.io.parquet import (
    complete_partitioned,
    read_partitioned,
    stream_to_parquet,
    write_partitioned,
)
from kopiresearch.scale import _edges
from kopiresearch.scale._edges import bakorwil_flows


@pytest.fixture(scope="module")
def bundled_twice(tmp_path_factory, bundled):
    folder = tmp_path_factory.mktemp("twice")
    write_partitioned(bundled, folder, part=0)
    write_partitioned(bundled, folder, part=1)  # a second, overlapping crawl
    complete_partitioned(folder)
    return folder


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated corpus split into weekly 'files' and streamed to many partitions."""
    corpus = synth.generate(seed=11, scale=0.3)
    start = corpus.posts["created_at"].min().floor("D")
    weeks = [start + pd.Timedelta(weeks=w) for w in range(9)]
    pieces = [corpus.between(a, b) for a, b in zip(weeks[:-1], weeks[1:])]
    for piece in pieces:
        piece.report = kr.LoadReport()
        piece.report.add_loaded(len(piece.posts))
    folder = tmp_path_factory.mktemp("generated")
    stream_to_parquet(range(len(pieces)), lambda i: pieces[i], folder)
    return corpus, folder


def test_layout_and_report_add_up(bundled_twice, bundled, client):
    assert (bundled_twice / "posts" / "platform=synthetic" / "month=2024-10").is_dir()
    dc = scale.open_parquet_corpus(bundled_twice)
    n = len(bundled.posts)
    assert (dc.report.rows_read, dc.report.loaded, dc.report.duplicates) == (2 * n, n, n)
    assert dc.report.is_consistent
    assert dc.posts.npartitions == 3  # Sept (UTC), Oct, Nov
    assert len(dc.posts) == n  # duplicates removed inside partitions


def test_edges_equal_in_memory(bundled_twice, bundled, client):
    dc = scale.open_parquet_corpus(bundled_twice)
    pd.testing.assert_frame_equal(scale.aggregate_edges(dc),
                                  aggregate_interactions(bundled.interactions))
    sub = scale.aggregate_edges(dc, kinds=["reply"], start="2024-10-15", end="2024-11-01")
    ref = kr.build_interaction_graph(bundled, kinds=["reply"], start="2024-10-15",
                                     end="2024-11-01")
    assert sub["weight"].sum() == ref.size(weight="weight")


def test_graph_equal_in_memory(bundled_twice, bundled, client):
    dc = scale.open_parquet_corpus(bundled_twice, count_duplicates=False)
    G1 = kr.build_interaction_graph(dc)
    G2 = kr.build_interaction_graph(bundled)
    assert dict(G1.nodes(data=True)) == dict(G2.nodes(data=True))
    assert sorted(G1.edges(data=True)) == sorted(G2.edges(data=True))
    with pytest.warns(DeprecationWarning, match="takes the DaskCorpus"):
        G3 = scale.build_interaction_graph(dc)
    assert sorted(G3.edges(data=True)) == sorted(G2.edges(data=True))
    with pytest.warns(DeprecationWarning, match="takes the DaskCorpus"):  # arguments forwarded
        G4 = scale.build_interaction_graph(dc, ["reply"], include_isolates=False, client=client)
    G5 = kr.build_interaction_graph(bundled, ["reply"], include_isolates=False)
    assert dict(G4.nodes(data=True)) == dict(G5.nodes(data=True))
    assert sorted(G4.edges(data=True)) == sorted(G5.edges(data=True))


@pytest.mark.parametrize("level", ["kabkota", "bakorwil"])
def test_region_flows_equal_region_graph(bundled_twice, bundled, client, level):
    dc = scale.open_parquet_corpus(bundled_twice, count_duplicates=False)
    flows = scale.region_flow_table(dc, level=level)
    R = kr.region_graph(kr.build_interaction_graph(bundled), level=level)
    expected = {(r, s): w for r, s, w in R.edges(data="weight")}
    got = {(r, s): w for r, s, w in flows.itertuples(index=False)}
    assert got == expected


def test_bakorwil_flows_are_sums_of_kabkota_flows(bundled_twice, client):
    dc = scale.open_parquet_corpus(bundled_twice, count_duplicates=False)
    kab = scale.region_flow_table(dc, level="kabkota", kinds=["reply", "mention"])
    direct = scale.region_flow_table(dc, level="bakorwil", kinds=["reply", "mention"])
    pd.testing.assert_frame_equal(bakorwil_flows(kab), direct)
    assert {"province", "unknown"} & set(direct["source_region"])  # the special groups occur


def test_many_partitions_generated(generated, client):
    corpus, folder = generated
    dc = scale.open_parquet_corpus(folder)
    assert dc.report.loaded == len(corpus.posts) and dc.report.duplicates == 0
    assert dc.interactions.npartitions >= 3
    assert len(list(folder.rglob("part-*.parquet"))) > 10
    pd.testing.assert_frame_equal(scale.aggregate_edges(dc, split_out=3),
                                  aggregate_interactions(corpus.interactions))
    back = read_partitioned(folder)
    assert back.interactions.reset_index(drop=True).equals(
        corpus.interactions.reset_index(drop=True))
    summed = json.loads((folder / "load_report.json").read_text())
    assert summed["loaded"] == len(corpus.posts)


def test_schema_mismatch_names_file(tmp_path, bundled):
    write_partitioned(bundled, tmp_path)
    victim = next((tmp_path / "interactions").rglob("part-*.parquet"))
    frame = pd.read_parquet(victim).drop(columns="kind")
    frame.to_parquet(victim, index=False)
    complete_partitioned(tmp_path)  # a complete folder, with a file of another schema
    with pytest.raises(SchemaError, match=str(victim.name)):
        scale.open_parquet_corpus(tmp_path, count_duplicates=False)


def test_missing_folder(tmp_path):
    with pytest.raises(DataNotFoundError, match="no accounts/ partitions"):
        scale.open_parquet_corpus(tmp_path)


def assert_same_cascades(got, expected):
    """Every public table and attribute and every internal array of two Cascades equal."""
    from kopiresearch.cascades import cascade_table

    assert (got.method, got.n_unresolved, len(got)) == (expected.method, expected.n_unresolved,
                                                        len(expected))
    pd.testing.assert_frame_equal(got.nodes, expected.nodes)
    pd.testing.assert_index_equal(got.root_post_ids, expected.root_post_ids)
    assert got._arrays.keys() == expected._arrays.keys()
    for key, value in expected._arrays.items():
        assert got._arrays[key].dtype == value.dtype, key
        np.testing.assert_array_equal(got._arrays[key], value, err_msg=key)
    pd.testing.assert_frame_equal(cascade_table(got), cascade_table(expected))


@pytest.fixture(scope="module")
def generated_follows():
    return synth.generate(seed=11, scale=0.3, return_extras=True)


@pytest.mark.parametrize("data", ["bundled", "generated"])
@pytest.mark.parametrize("method", ["follows", "interactions"])
def test_reconstruct_on_workers_equals_in_process(request, client, data, method):
    from kopiresearch.cascades import reconstruct_cascades

    if data == "bundled":
        corpus, follows = request.getfixturevalue("bundled"), synth.load_follows()
    else:
        corpus, truth = request.getfixturevalue("generated_follows")
        follows = truth["follows"]
    expected = reconstruct_cascades(corpus, method=method, follows=follows)
    # inference picks parents other than the root, so the pieces' contacts matter
    assert (expected.nodes["parent_source"] == "inferred").sum() > 100
    for n_chunks in (1, 7, 300):
        got = reconstruct_cascades(corpus, method=method, follows=follows, client=client,
                                   n_chunks=n_chunks)
        assert_same_cascades(got, expected)
    if data == "generated":  # another option set, with unresolved posts
        options = dict(method=method, follows=follows, post_kinds=["repost", "reply"],
                       root_types=kr.GOVERNMENT_TYPES)
        assert_same_cascades(reconstruct_cascades(corpus, client=client, n_chunks=5, **options),
                             reconstruct_cascades(corpus, **options))


def test_reconstruct_on_workers_edge_cases(bundled, client):
    from kopiresearch.cascades import CascadeError, reconstruct_cascades
    from kopiresearch.corpus import Corpus

    # zero cascades: a root type nobody has, a corpus without adopting posts, no posts
    for corpus, options in ((bundled, dict(root_types=["no such type"])),
                            (bundled, dict(post_kinds=["comment"])),
                            (Corpus(bundled.accounts, bundled.posts.iloc[:0],
                                    bundled.interactions), {})):
        expected = reconstruct_cascades(corpus, **options)
        assert len(expected) == 0
        assert_same_cascades(reconstruct_cascades(corpus, client=client, n_chunks=7, **options),
                             expected)
    # times to the day: roots and adopters of equal time, ordered by post id
    days = bundled.posts.assign(created_at=bundled.posts["created_at"].dt.floor("D"))
    ties = Corpus(bundled.accounts, days, bundled.interactions)
    expected = reconstruct_cascades(ties)
    assert expected.root_post_ids.size > ties.posts["created_at"].nunique()
    assert_same_cascades(reconstruct_cascades(ties, client=client, n_chunks=7), expected)
    # unresolved parents are counted once, in the piece that holds them
    posts = bundled.posts.copy()
    reposts = np.flatnonzero(posts["kind"].to_numpy() == "repost")[:25]
    posts.iloc[reposts, posts.columns.get_loc("parent_post_id")] = "synthetic:nowhere"
    broken = Corpus(bundled.accounts, posts, bundled.interactions)
    expected = reconstruct_cascades(broken)
    assert expected.n_unresolved == 25
    assert_same_cascades(reconstruct_cascades(broken, client=client, n_chunks=7), expected)
    for bad in (0, 2.5, True):
        with pytest.raises(CascadeError, match="n_chunks must be an integer >= 1"):
            reconstruct_cascades(bundled, client=client, n_chunks=bad)
    with pytest.raises(CascadeError, match="follows must be a DataFrame"):
        reconstruct_cascades(bundled, follows=pd.DataFrame({"a": []}), client=client)
    # reposts naming each other in a ring: the in-process message (find_roots settles on a
    # ring of two, whose posts would land in different pieces)
    for ring in (posts.index[reposts[-2:]], posts.index[reposts[-5:-2]]):
        cyclic_posts = posts.copy()
        cyclic_posts.loc[ring, "parent_post_id"] = np.roll(ring, 1)
        cyclic = Corpus(bundled.accounts, cyclic_posts, bundled.interactions)
        with pytest.raises(CascadeError, match="form a cycle") as in_process:
            reconstruct_cascades(cyclic)
        with pytest.raises(CascadeError, match="form a cycle") as on_workers:
            reconstruct_cascades(cyclic, client=client, n_chunks=300)
        assert str(on_workers.value) == str(in_process.value)


@pytest.mark.parametrize("method", ["follows", "interactions"])
def test_cascade_table_on_workers_equals_in_process(bundled, client, method):
    from kopiresearch.cascades import cascade_table, reconstruct_cascades

    follows = synth.load_follows() if method == "follows" else None
    cascades = reconstruct_cascades(bundled, method=method, follows=follows)
    expected = cascade_table(cascades)
    for n_chunks in (1, 7, 300):
        got = cascade_table(cascades, client=client, n_chunks=n_chunks)
        pd.testing.assert_frame_equal(got, expected)
    pd.testing.assert_frame_equal(cascade_table(cascades, sizes=(3,), client=client),
                                  cascade_table(cascades, sizes=(3,)))


def test_cascade_table_on_workers_edge_cases(bundled, client):
    from kopiresearch.cascades import CascadeError, cascade_table, reconstruct_cascades

    none = reconstruct_cascades(bundled, root_types=["no such type"])
    assert len(none) == 0
    pd.testing.assert_frame_equal(cascade_table(none, client=client), cascade_table(none))
    cascades = reconstruct_cascades(bundled, method="root")
    for bad in (0, 2.5, True):
        with pytest.raises(CascadeError, match="n_chunks must be an integer >= 1"):
            cascade_table(cascades, client=client, n_chunks=bad)
    with pytest.raises(CascadeError, match="every N must be at least 1"):
        cascade_table(cascades, sizes=(0,), client=client)


def test_deprecated_cascade_table_distributed_forwards(bundled, client):
    from kopiresearch.cascades import cascade_table, reconstruct_cascades

    follows = synth.load_follows()
    expected = cascade_table(reconstruct_cascades(bundled, follows=follows), sizes=(3, 10))
    with pytest.warns(DeprecationWarning, match="cascade_table_distributed is deprecated"):
        got = scale.cascade_table_distributed(bundled, client, n_chunks=3, follows=follows,
                                              sizes=(3, 10))
    pd.testing.assert_frame_equal(got, expected)
    reposts = cascade_table(reconstruct_cascades(bundled, post_kinds=["repost"]))
    with pytest.warns(DeprecationWarning, match="cascade_table_distributed is deprecated"):
        got = scale.cascade_table_distributed(bundled, client=client, post_kinds=["repost"])
    pd.testing.assert_frame_equal(got, reposts)
    with pytest.warns(DeprecationWarning, match="use post_kinds"), \
            pytest.warns(DeprecationWarning, match="cascade_table_distributed is deprecated"):
        old = scale.cascade_table_distributed(bundled, client, kinds=["repost"])  # former name
    pd.testing.assert_frame_equal(old, reposts)
    with pytest.raises(KopiresearchError, match="unexpected keyword argument 'chunks'"), \
            pytest.warns(DeprecationWarning):
        scale.cascade_table_distributed(bundled, client, chunks=3)


@pytest.mark.parametrize("name", ["cascade_table_distributed", "simulate_distributed",
                                  "select_seeds_distributed", "build_interaction_graph"])
def test_deprecated_shims_copy_no_defaults(name):
    # the defaults live in the in-memory function only: a shim's own parameters default to
    # None (the current client) or nothing, everything else is forwarded
    shim = getattr(scale, name)
    defaults = {p.name: p.default for p in inspect.signature(shim).parameters.values()
                if p.default is not inspect.Parameter.empty}
    assert set(defaults.values()) <= {None}, defaults
    assert name not in scale.__all__


def test_cli_load_partitioned_then_aggregate(tmp_path, capsys):
    from kopiresearch.cli import main
    from kopiresearch.io import load_any, merge
    from kopiresearch.io.examples import example_path

    inputs = [str(example_path("tweet_harvest_2.6.1.csv")),
              str(example_path("twarc2_search.jsonl"))]
    part, out = tmp_path / "part", tmp_path / "agg"
    assert main(["load", *inputs, "--partitioned", "--out", str(part)]) == 0
    assert main(["aggregate", str(part), "--out", str(out), "--workers", "1"]) == 0
    printed = capsys.readouterr().out
    assert "wrote edges.parquet" in printed
    edges = pd.read_parquet(out / "edges.parquet")
    expected = aggregate_interactions(merge(*[load_any([p]) for p in inputs]).interactions)
    got = edges.set_index(["source_id", "target_id"])["weight"].sort_index()
    want = expected.set_index(["source_id", "target_id"])["weight"].sort_index()
    assert got.to_dict() == want.to_dict()
    flows = pd.read_csv(out / "region_flows_bakorwil.csv")
    assert flows["weight"].sum() == edges["weight"].sum()
    # a second run into the same folder: refused, or replaced as a whole with --overwrite
    assert main(["aggregate", str(part), "--out", str(out), "--workers", "1"]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert main(["aggregate", str(part), "--out", str(out), "--workers", "1", "--kinds",
                 "mention", "--overwrite"]) == 0
    again = pd.read_parquet(out / "edges.parquet")
    assert 0 < again["weight"].sum() < edges["weight"].sum()


@pytest.mark.parametrize("model, options", [("ic", {"p": 0.05}), ("lt", {}),
                                            ("sir", {"beta": 0.1, "gamma": 0.5})])
def test_monte_carlo_distributed_equals_in_process(bundled, client, model, options):
    from kopiresearch.diffusion import simulate

    G = kr.build_interaction_graph(bundled)
    offices = list(bundled.accounts.index[bundled.accounts["actor_type"].astype(str)
                                          .str.startswith("government")])
    if model == "lt":
        options = {"probability": "weights"}
    expected = simulate(G, offices, model, runs=300, seed=5, progress=False, **options)
    for chunk in (300, 64):
        got = simulate(G, offices, model, client=client, runs=300, seed=5, chunk_runs=chunk,
                       progress=False, **options)
        np.testing.assert_array_equal(got.spreads, expected.spreads)
        pd.testing.assert_series_equal(got.activation, expected.activation)
        pd.testing.assert_frame_equal(got.region_reach, expected.region_reach)
        pd.testing.assert_frame_equal(got.over_time, expected.over_time)
    with pytest.warns(DeprecationWarning, match="simulate_distributed is deprecated"):
        old = scale.simulate_distributed(G, offices, model, client=client, runs=300, seed=5,
                                         chunk_runs=64, **options)
    np.testing.assert_array_equal(old.spreads, expected.spreads)
    pd.testing.assert_frame_equal(old.region_reach, expected.region_reach)


def test_deprecated_simulate_distributed_takes_simulate_defaults(bundled, client):
    from kopiresearch.diffusion import simulate

    G = kr.build_interaction_graph(bundled)
    offices = list(bundled.accounts.index[bundled.accounts["actor_type"].astype(str)
                                          .str.startswith("government")])
    expected = simulate(G, offices, p=0.05, seed=2, runs=200, q=0.9, progress=False)
    with pytest.warns(DeprecationWarning, match="simulate_distributed is deprecated"):
        old = scale.simulate_distributed(G, offices, p=0.05, seed=2, runs=200, q=0.9)
    np.testing.assert_array_equal(old.spreads, expected.spreads)
    assert len(old.spreads) == 200
    pd.testing.assert_frame_equal(old.region_reach, expected.region_reach)
    with pytest.raises(KopiresearchError, match="unexpected keyword argument 'pp'"), \
            pytest.warns(DeprecationWarning):
        scale.simulate_distributed(G, offices, pp=0.05)


def test_read_partitioned_unites_accounts_like_merge(tmp_path):
    from kopiresearch.io import load_any, merge
    from kopiresearch.io.examples import example_path

    crawls = [load_any([example_path(n)]) for n in ("tweet_harvest_2.6.1.csv",
                                                     "twarc2_search.jsonl")]
    for part, crawl in enumerate(crawls):
        write_partitioned(crawl, tmp_path, part=part)
    complete_partitioned(tmp_path)
    back = read_partitioned(tmp_path)
    merged = merge(*crawls)
    assert sorted(back.accounts.index) == sorted(merged.accounts.index)
    pd.testing.assert_frame_equal(aggregate_interactions(back.interactions),
                                  aggregate_interactions(merged.interactions))


def _acts(rows):
    frame = pd.DataFrame(rows, columns=["source_id", "target_id", "kind", "created_at",
                                        "post_id"])
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    return frame


def _tiny_corpus(folder, files):
    """Hand-made partitioned corpus: two accounts files' worth of ids, acts in given files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from kopiresearch.io.parquet import arrow_schema

    ids = ["twitter:1", "twitter:2", "twitter:3", "twitter:@ana"]
    acc = pd.DataFrame({"account_id": ids, "platform": "twitter",
                        "handle": ["a", "b", "c", "ana"], "actor_type": "unknown",
                        "region_code": ["3578", "3578", None, None],
                        "followers": pd.array([None] * 4, dtype="Int64"),
                        "location": None, "partnered": False,
                        "account_created_at": pd.Series([pd.NaT] * 4,
                                                        dtype="datetime64[ns, UTC]")})
    sub = folder / "accounts" / "platform=twitter"
    sub.mkdir(parents=True)
    pq.write_table(pa.Table.from_pandas(acc, schema=arrow_schema("accounts"),
                                        preserve_index=False), sub / "part-00000.parquet")
    posts = folder / "posts" / "platform=twitter" / "month=2024-10"
    posts.mkdir(parents=True)
    pq.write_table(arrow_schema("posts").empty_table(), posts / "part-00000.parquet")
    schema = arrow_schema("interactions")
    for part, frame in enumerate(files):
        for month, group in frame.groupby(frame["created_at"].dt.strftime("%Y-%m")):
            sub = folder / "interactions" / "platform=twitter" / f"month={month}"
            sub.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pandas(group, schema=schema, preserve_index=False),
                           sub / f"part-{part:05d}.parquet")
    complete_partitioned(folder)
    return folder


T1, T2, T3 = "2024-10-01T00:00:00Z", "2024-10-02T00:00:00Z", "2024-11-03T00:00:00Z"
FILE_A = _acts([("twitter:1", "twitter:2", "mention", T1, "twitter:p1"),
                ("twitter:1", "twitter:3", "mention", T1, "twitter:p1"),   # same post, 2 acts
                ("twitter:2", "twitter:1", "reply", T2, "twitter:p2"),
                ("twitter:3", "twitter:1", "repost", T3, "twitter:p9")])
FILE_B = _acts([("twitter:1", "twitter:3", "mention", T1, "twitter:p1"),   # copy of a row of A
                ("twitter:1", "twitter:2", "mention", T1, "twitter:p7"),   # same pair/kind/time,
                ("twitter:2", "twitter:1", "reply", T2, "twitter:p2"),     # other post: kept
                ("twitter:3", "twitter:1", "repost", T3, "twitter:p9")])   # copy, other month
FILE_C = _acts([("twitter:2", "twitter:1", "reply", T2, "twitter:p2"),     # third copy
                ("twitter:3", "twitter:2", "quote", T2, "twitter:p8")])


def test_duplicates_over_part_files_of_one_month(tmp_path, client):
    folder = _tiny_corpus(tmp_path, [FILE_A, FILE_B, FILE_C])
    dc = scale.open_parquet_corpus(folder, count_duplicates=False)
    edges = scale.aggregate_edges(dc)
    # by hand: 1->2 mention x2 (p1, p7), 1->3 mention x1, 2->1 reply x1, 3->1 repost x1,
    # 3->2 quote x1
    got = {(s, t): w for s, t, w in edges[["source_id", "target_id", "weight"]].itertuples(
        index=False)}
    assert got == {("twitter:1", "twitter:2"): 2, ("twitter:1", "twitter:3"): 1,
                   ("twitter:2", "twitter:1"): 1, ("twitter:3", "twitter:1"): 1,
                   ("twitter:3", "twitter:2"): 1}
    assert edges["n_mention"].tolist() == [2, 1, 0, 0, 0]
    # independent implementation: the in-memory path on the union of the files
    union = read_partitioned(folder, validate=False)
    pd.testing.assert_frame_equal(edges, aggregate_interactions(union.interactions))
    for split_out in (1, 2, 5):
        pd.testing.assert_frame_equal(scale.aggregate_edges(dc, split_out=split_out), edges)


def test_aliases_resolved_like_merge(tmp_path, client):
    crawls = [FILE_A, _acts([("twitter:@ana", "twitter:2", "mention", T1, "twitter:p5"),
                             ("twitter:2", "twitter:@ana", "reply", T2, "twitter:p6"),
                             ("twitter:@ana", "twitter:1", "quote", T2, "twitter:p3")])]
    folder = _tiny_corpus(tmp_path, crawls)
    dc = scale.open_parquet_corpus(folder, count_duplicates=False)
    dc.aliases = {"twitter:@ana": "twitter:1"}  # as merge_accounts gives for a known handle
    edges = scale.aggregate_edges(dc)
    expected = aggregate_interactions(
        kr.io.parquet.unalias_acts(pd.concat(crawls, ignore_index=True), dc.aliases))
    pd.testing.assert_frame_equal(edges, expected)
    assert edges.loc[edges["source_id"] == "twitter:1", "weight"].tolist() == [2, 1]
    assert edges["n_quote"].sum() == 0  # @ana -> 1 became a self-act and was dropped
    sub = scale.aggregate_edges(dc, kinds=["mention"], start=T1, end=T2)
    mask = (expected["n_mention"] > 0) & (expected["first_time"] < pd.Timestamp(T2))
    assert sub["weight"].tolist() == expected.loc[mask, "n_mention"].tolist() == [2, 1]


def test_write_edges_equals_aggregate(generated, tmp_path, client):
    corpus, folder = generated
    dc = scale.open_parquet_corpus(folder, count_duplicates=False)
    written = scale.write_edges(dc, tmp_path / "edges", split_out=4)
    assert len(written) >= 2 and written["acts"].sum() == len(corpus.interactions)
    back = pd.read_parquet(tmp_path / "edges")
    expected = aggregate_interactions(corpus.interactions)
    assert back["source_id"].tolist() == expected["source_id"].tolist()  # sorted across files
    pd.testing.assert_frame_equal(back.astype({"source_id": object, "target_id": object}),
                                  expected)
    # more ranges than the client keeps submitted ahead (2 per worker)
    pd.testing.assert_frame_equal(scale.aggregate_edges(dc, split_out=9), expected)


def test_unknown_account_names_column(tmp_path, client):
    bad = _acts([("twitter:1", "twitter:99", "mention", T1, "twitter:p1")])
    dc = scale.open_parquet_corpus(_tiny_corpus(tmp_path, [bad]), count_duplicates=False)
    with pytest.raises(SchemaError, match="twitter:99") as info:
        scale.aggregate_edges(dc)
    assert "target_id" in str(info.value)


def test_reduce_pairs_equals_pair_counts():
    from kopiresearch.graph import pair_counts

    rng = np.random.default_rng(3)
    n = 7
    src, dst = rng.integers(0, n, 500), rng.integers(0, n, 500)
    kind, t = rng.integers(0, 6, 500), rng.integers(0, 10**6, 500)
    key = src * n + dst
    pieces = [{"key": key[i::3], "kind": kind[i::3].astype(np.int8), "t": t[i::3]}
              for i in range(3)]
    got = _edges._reduce_pairs(*pieces)
    ukey, counts, first, last = pair_counts(src, dst, n, kind, t)
    np.testing.assert_array_equal(got["key"], ukey)
    np.testing.assert_array_equal(np.column_stack([got[c] for c in _edges._PAIR_COLUMNS[:6]]),
                                  counts)
    np.testing.assert_array_equal(got["first"], first)
    np.testing.assert_array_equal(got["last"], last)


def test_range_bounds_balance_acts():
    # n=4 source codes, one per bin: cut after the first bin where the cumulative count
    # reaches k/parts of all acts; bounds are pair keys source * n
    assert _edges._range_bounds(np.array([2, 2, 2, 2]), 2, 0, 4) == [0, 8, 16]
    assert _edges._range_bounds(np.array([1, 1, 6, 0]), 2, 0, 4) == [0, 12, 16]
    assert _edges._range_bounds(np.array([2, 2, 2, 2]), 4, 0, 4) == [0, 4, 8, 12, 16]
    assert _edges._range_bounds(np.array([0, 0, 0, 0]), 3, 0, 4) == [0, 16]
    assert _edges._range_bounds(np.array([5, 5]), 1, 1, 4) == [0, 16]
