"""The Dask path gives the same results as the in-memory path (issue: scale past one machine)."""

import json

import numpy as np
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import scale, synth
from kopiresearch.errors import DataNotFoundError, SchemaError
from kopiresearch.graph import aggregate_interactions
from kopiresearch.io.parquet import read_partitioned, stream_to_parquet, write_partitioned


@pytest.fixture(scope="module")
def client():
    with scale.dask_client(n_workers=2, threads_per_worker=1) as c:
        yield c


@pytest.fixture(scope="module")
def bundled():
    return kr.load_bundled()


@pytest.fixture(scope="module")
def bundled_twice(tmp_path_factory, bundled):
    folder = tmp_path_factory.mktemp("twice")
    write_partitioned(bundled, folder, part=0)
    write_partitioned(bundled, folder, part=1)  # a second, overlapping crawl
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
    G1 = scale.build_interaction_graph(dc)
    G2 = kr.build_interaction_graph(bundled)
    assert dict(G1.nodes(data=True)) == dict(G2.nodes(data=True))
    assert sorted(G1.edges(data=True)) == sorted(G2.edges(data=True))


@pytest.mark.parametrize("level", ["kabkota", "bakorwil"])
def test_region_flows_equal_region_graph(bundled_twice, bundled, client, level):
    dc = scale.open_parquet_corpus(bundled_twice, count_duplicates=False)
    flows = scale.region_flow_table(dc, level=level)
    R = kr.region_graph(kr.build_interaction_graph(bundled), level=level)
    expected = {(r, s): w for r, s, w in R.edges(data="weight")}
    got = {(r, s): w for r, s, w in flows.itertuples(index=False)}
    assert got == expected


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
    with pytest.raises(SchemaError, match=str(victim.name)):
        scale.open_parquet_corpus(tmp_path, count_duplicates=False)


def test_missing_folder(tmp_path):
    with pytest.raises(DataNotFoundError, match="no accounts/ partitions"):
        scale.open_parquet_corpus(tmp_path)


@pytest.mark.parametrize("method", ["follows", "interactions"])
def test_cascades_distributed_equal_in_memory(bundled, client, method):
    from kopiresearch.cascades import cascade_table, reconstruct_cascades

    follows = synth.load_follows() if method == "follows" else None
    expected = cascade_table(reconstruct_cascades(bundled, method=method, follows=follows))
    for n_chunks in (1, 7):
        got = scale.cascade_table_distributed(bundled, client, n_chunks=n_chunks,
                                              method=method, follows=follows)
        pd.testing.assert_frame_equal(got, expected)


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
        got = scale.simulate_distributed(G, offices, model, client=client, runs=300, seed=5,
                                         chunk_runs=chunk, **options)
        np.testing.assert_array_equal(got.spreads, expected.spreads)
        pd.testing.assert_series_equal(got.activation, expected.activation)
        pd.testing.assert_frame_equal(got.region_reach, expected.region_reach)
        pd.testing.assert_frame_equal(got.over_time, expected.over_time)


def test_read_partitioned_unites_accounts_like_merge(tmp_path):
    from kopiresearch.io import load_any, merge
    from kopiresearch.io.examples import example_path

    crawls = [load_any([example_path(n)]) for n in ("tweet_harvest_2.6.1.csv",
                                                     "twarc2_search.jsonl")]
    for part, crawl in enumerate(crawls):
        write_partitioned(crawl, tmp_path, part=part)
    back = read_partitioned(tmp_path)
    merged = merge(*crawls)
    assert sorted(back.accounts.index) == sorted(merged.accounts.index)
    pd.testing.assert_frame_equal(aggregate_interactions(back.interactions),
                                  aggregate_interactions(merged.interactions))
