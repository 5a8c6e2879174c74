"""The graph builder on the hand-built corpus of conftest.py, with weights worked out by hand."""

import networkx as nx
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch.errors import KopiresearchError
from kopiresearch.export import read_graph, write_gexf, write_graphml

T0 = pd.Timestamp("2024-10-01T01:00:00Z")


def h(hours):
    return T0 + pd.Timedelta(hours=hours)


# source, target: weight, per kind, first, last (from the fixture's docstring, by hand)
EXPECTED = {
    ("x:c1", "x:g"): (2, {"n_reply": 1, "n_mention": 1}, h(2), h(3)),
    ("x:c1", "x:i"): (1, {"n_mention": 1}, h(3), h(3)),
    ("x:i", "x:g"): (1, {"n_repost": 1}, h(4), h(4)),
    ("x:g", "x:c1"): (1, {"n_reply": 1}, h(5), h(5)),
    ("x:c2", "x:g"): (1, {"n_quote": 1}, h(6), h(6)),
}


def test_edges_weights_and_times_by_hand(tiny_corpus):
    G = kr.build_interaction_graph(tiny_corpus)
    assert isinstance(G, nx.DiGraph)
    assert set(G.edges) == set(EXPECTED)
    for (u, v), (w, kinds, first, last) in EXPECTED.items():
        d = G.edges[u, v]
        assert d["weight"] == w
        for kind in kr.INTERACTION_KINDS:
            assert d[f"n_{kind}"] == kinds.get(f"n_{kind}", 0)
        assert d["first_time"] == first and d["last_time"] == last


def test_direction_is_actor_to_engaged(tiny_corpus):
    G = kr.build_interaction_graph(tiny_corpus, kinds=["repost"])
    assert list(G.edges) == [("x:i", "x:g")]  # reposter -> reposted author


def test_node_attributes(tiny_corpus):
    G = kr.build_interaction_graph(tiny_corpus)
    assert G.nodes["x:g"] == {"handle": "kominfo_kabkediri_demo",
                              "actor_type": "government_regency", "region_code": "3506",
                              "bakorwil": "I Madiun", "partnered": False, "followers": 5000}
    assert G.nodes["x:i"]["partnered"] is True and G.nodes["x:i"]["bakorwil"] == "I Madiun"
    assert G.nodes["x:c1"]["bakorwil"] == "III Malang"
    assert G.nodes["x:c2"]["region_code"] is None and G.nodes["x:c2"]["followers"] is None


def test_kind_and_time_filters(tiny_corpus):
    G = kr.build_interaction_graph(tiny_corpus, kinds="reply")
    assert {e: G.edges[e]["weight"] for e in G.edges} == {("x:c1", "x:g"): 1,
                                                         ("x:g", "x:c1"): 1}
    G = kr.build_interaction_graph(tiny_corpus, start="2024-10-01T04:00:00Z",
                                   end=pd.Timestamp("2024-10-01T06:00:00Z"))
    assert set(G.edges) == {("x:c1", "x:g"), ("x:c1", "x:i"), ("x:i", "x:g")}
    assert G.edges["x:c1", "x:g"]["weight"] == 1  # only the mention at 04:00
    assert G.number_of_nodes() == 4  # isolates kept by default
    G = kr.build_interaction_graph(tiny_corpus, kinds=["quote"], include_isolates=False)
    assert sorted(G) == ["x:c2", "x:g"]
    with pytest.raises(KopiresearchError, match="unknown interaction kind"):
        kr.build_interaction_graph(tiny_corpus, kinds=["like"])


def test_weight_matches_plain_counting_on_bundled_data():
    corpus = kr.load_bundled()
    G = kr.build_interaction_graph(corpus)
    counts = corpus.interactions.groupby(["source_id", "target_id"]).size()
    assert G.number_of_edges() == len(counts)
    assert sum(d["weight"] for _, _, d in G.edges(data=True)) == len(corpus.interactions)
    for (u, v), n in counts.sample(200, random_state=1).items():
        assert G.edges[u, v]["weight"] == n


def test_region_graph_by_hand(tiny_corpus):
    G = kr.build_interaction_graph(tiny_corpus)
    R = kr.region_graph(G)
    expected = {("3578", "3506"): 2, ("3578", "3571"): 1, ("3571", "3506"): 1,
                ("3506", "3578"): 1, ("unknown", "3506"): 1}
    assert {e: R.edges[e]["weight"] for e in R.edges} == expected
    assert R.number_of_nodes() == 38 + 2  # regions + province + unknown
    assert R.nodes["unknown"]["n_accounts"] == 1 and R.nodes["3506"]["n_accounts"] == 1
    assert R.nodes["3578"]["population"] == 3_018_022
    B = kr.region_graph(G, level="bakorwil")
    expected_b = {("III Malang", "I Madiun"): 3, ("I Madiun", "I Madiun"): 1,
                  ("I Madiun", "III Malang"): 1, ("unknown", "I Madiun"): 1}
    assert {e: B.edges[e]["weight"] for e in B.edges} == expected_b
    assert B.nodes["I Madiun"]["n_accounts"] == 2
    assert B.edges["III Malang", "I Madiun"]["n_edges"] == 2
    with pytest.raises(KopiresearchError, match="level"):
        kr.region_graph(G, level="province")


def test_region_graph_conserves_weight_on_bundled_data():
    G = kr.build_interaction_graph(kr.load_bundled())
    total = G.size(weight="weight")
    for level in ("kabkota", "bakorwil"):
        R = kr.region_graph(G, level=level)
        assert R.size(weight="weight") == total
        assert sum(n for _, n in R.nodes(data="n_accounts")) == G.number_of_nodes()


@pytest.mark.parametrize("writer, suffix", [(write_gexf, ".gexf"), (write_graphml, ".graphml")])
def test_export_round_trip(tiny_corpus, tmp_path, writer, suffix):
    G = kr.build_interaction_graph(tiny_corpus)
    H = read_graph(writer(G, tmp_path / f"g{suffix}"))
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(data=True)) == sorted(G.edges(data=True))
    assert isinstance(H.edges["x:c1", "x:g"]["first_time"], pd.Timestamp)
    text = (tmp_path / f"g{suffix}").read_text(encoding="utf-8")
    assert "2024-10-01T03:00:00Z" in text  # times are ISO strings in the file


def test_read_graph_rejects_unknown_suffix(tmp_path):
    with pytest.raises(KopiresearchError, match="unknown graph format"):
        read_graph(tmp_path / "g.net")


def _reference_graph(corpus):
    """The interaction graph by a plain loop over the acts (independent of the builder)."""
    G = nx.DiGraph()
    regions = kr.regions.region_table()["bakorwil"].to_dict()
    for account, row in corpus.accounts.iterrows():
        code = None if pd.isna(row["region_code"]) else row["region_code"]
        G.add_node(account, handle=None if pd.isna(row["handle"]) else row["handle"],
                   actor_type=str(row["actor_type"]), region_code=code,
                   bakorwil=regions.get(code), partnered=bool(row["partnered"] is True),
                   followers=None if pd.isna(row["followers"]) else row["followers"])
    acts = corpus.interactions.sort_values("created_at", kind="stable")
    for s, t, kind, when in zip(acts["source_id"], acts["target_id"], acts["kind"],
                                acts["created_at"]):
        if not G.has_edge(s, t):
            G.add_edge(s, t, weight=0, **{f"n_{k}": 0 for k in kr.INTERACTION_KINDS},
                       first_time=when, last_time=when)
        d = G.edges[s, t]
        d["weight"] += 1
        d[f"n_{kind}"] += 1
        d["first_time"] = min(d["first_time"], when)
        d["last_time"] = max(d["last_time"], when)
    return G


def test_builder_equals_a_plain_loop_on_bundled_data():
    corpus = kr.load_bundled()
    G = kr.build_interaction_graph(corpus)
    R = _reference_graph(corpus)
    assert list(G.nodes(data=True)) == list(R.nodes(data=True))
    assert sorted(G.edges) == sorted(R.edges)
    assert list(G.edges) == sorted(G.edges)  # edges are added in (source, target) order
    for u, v, d in G.edges(data=True):
        r = R.edges[u, v]
        assert d == {"weight": r["weight"], **{f"n_{k}": r[f"n_{k}"]
                                               for k in kr.INTERACTION_KINDS},
                     "first_time": r["first_time"], "last_time": r["last_time"]}
        assert list(d) == ["weight", *kr.graph.KIND_ATTRIBUTES.values(), "first_time",
                           "last_time"]
        assert type(d["weight"]) is int and isinstance(d["first_time"], pd.Timestamp)
        assert str(d["last_time"].tz) == "UTC"
