"""Tests of the checks of Lab 2 (kopiresearch.teaching.lab2): PageRank, betweenness,
reciprocity, responsiveness."""

from pathlib import Path

import nbformat
import networkx as nx
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import teaching as t

TEACHING = Path(__file__).resolve().parent.parent / "notebooks" / "teaching"


def test_cek_pagerank_and_betweenness(expect):
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 10), ("a", "c", 1), ("c", "a", 1), ("b", "c", 1),
                               ("d", "a", 1)])
    expect(t.cek_pagerank(nx.pagerank(G, weight="weight"), G), "benar")
    expect(t.cek_pagerank(nx.pagerank(G, weight=None), G), "salah", "belum memakai bobot")
    expect(t.cek_pagerank(nx.pagerank(G.reverse(), weight="weight"), G), "salah",
            "Arah terbalik")
    expect(t.cek_pagerank(..., G), "belum")
    # a -> b is direct (1 step), but heavy: read as a distance, a -> c -> b is shorter
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 5), ("a", "c", 1), ("c", "b", 1), ("b", "d", 1)])
    assert nx.betweenness_centrality(G)["c"] == 0
    expect(t.cek_betweenness(nx.betweenness_centrality(G), G), "benar")
    expect(t.cek_betweenness(nx.betweenness_centrality(G, weight="weight"), G), "salah",
            "jarak")
    expect(t.cek_betweenness(nx.betweenness_centrality(G, normalized=False), G), "salah",
            "dinormalisasi")


def test_cek_resiprositas_hand_case(expect, teaching_graph):
    G = teaching_graph
    # a<->b mutual: 2 of 5 edges reciprocated; pairs: ab, bc, ac, ad -> 1 mutual of 4
    assert nx.reciprocity(G) == pytest.approx(2 / 5)
    expect(t.cek_resiprositas(0.4, G), "benar", "2 dari 5")
    expect(t.cek_resiprositas(1.0, G), "salah", "graf tidak berarah")
    expect(t.cek_resiprositas(0.25, G), "salah", "*pasangan akun*")
    expect(t.cek_resiprositas(0.2, G), "salah", "Anda hitung sekali")
    expect(t.cek_resiprositas(40.0, G), "salah", "persen")
    expect(t.cek_resiprositas(0.1, G), "salah", "terlalu kecil")
    expect(t.cek_resiprositas(None, G), "belum")


def test_responsivitas_matches_ground_truth_and_mistakes(expect):
    corpus = kr.load_bundled()
    ref = t.responsivitas_kantor(corpus)
    truth = kr.load_ground_truth()["offices"]
    for office, row in ref.iterrows():
        # every planted answer is found; "asked" may add citizens' other posts mentioning it
        assert row["dijawab"] == truth[office]["answered_in_window"]
        assert row["ditanya"] >= truth[office]["addressed"]
    rate = ref["tingkat_balas"]
    expect(t.cek_responsivitas(rate), "benar")
    expect(t.cek_responsivitas(rate * 100), "salah", "persen")
    expect(t.cek_responsivitas(ref["ditanya"] / ref["dijawab"]), "salah", "terbalik")
    expect(t.cek_responsivitas(rate.iloc[:5]), "salah", "belum ada")
    expect(t.cek_responsivitas(...), "belum")


def test_responsivitas_kantor_is_metrics_responsiveness():
    from kopiresearch.metrics import responsiveness

    corpus = kr.load_bundled()
    ref = t.responsivitas_kantor(corpus)
    r = responsiveness(corpus, offices=list(ref.index))
    assert ref["ditanya"].tolist() == r.loc[ref.index, "addressed"].tolist()
    assert ref["dijawab"].tolist() == r.loc[ref.index, "answered"].tolist()
    pd.testing.assert_series_equal(ref["tingkat_balas"], r.loc[ref.index, "reply_rate"],
                                   check_names=False, check_index_type=False)
    # the office that answers nobody is in the table (it used to break the measure)
    malang = ref.index[ref["handle"] == "kominfo_kotamalang_demo"][0]
    assert ref.loc[malang, "dijawab"] == 0 and ref.loc[malang, "tingkat_balas"] == 0.0


def test_the_lab_rule_of_latihan_2_4_is_the_package_measure_on_the_bundled_data():
    # the lecturer's solution of 2.4, run here: the same numbers as the measure
    corpus = kr.load_bundled()
    nb = nbformat.read(TEACHING / "lecturer" / "lab2-sentralitas-dan-komunikasi-dua-arah.ipynb",
                       as_version=4)
    src = next(c.source for c in nb.cells if c.source.startswith("# Latihan 2.4"))
    ns = {"corpus": corpus, "JENIS_KANTOR": ["government_province", "government_regency"],
          "pd": pd, "cek_responsivitas": lambda *a, **k: None}
    exec(src, ns)
    ref = t.responsivitas_kantor(corpus)["tingkat_balas"].dropna()
    got = ns["tingkat_balas"].reindex(ref.index)
    assert (got - ref).abs().max() < 1e-12
