"""Tests of kopiresearch.metrics: hand-worked cases and independent implementations."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.stats as st

import kopiresearch as kr
import kopiresearch.metrics
from kopiresearch.corpus import Corpus
from kopiresearch.errors import KopiresearchError
from kopiresearch.metrics import (
    BROKERAGE_ROLES,
    account_table,
    actor_groups,
    addressed_posts,
    adjusted_nominal_assortativity,
    adjusted_rand_index,
    brokerage,
    brokerage_summary,
    communities,
    community_stability,
    ei_index,
    engagement,
    kaplan_meier,
    mixing_matrix,
    nominal_assortativity,
    normalized_mutual_info,
    partition_agreement,
    push_pull_networking,
    reciprocity,
    response_curve,
    responsiveness,
    structural_holes,
)


def random_digraph(n, p, seed, weighted=True):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    rng = np.random.default_rng(seed)
    if weighted:
        for u, v in G.edges:
            G[u][v]["weight"] = int(rng.integers(1, 5))
    return G


# ---------------------------------------------------------------------------------------
# account table


def test_account_table_hand_degrees():
    G = nx.DiGraph()
    G.add_edge("c", "g", weight=3, n_reply=2, n_mention=1)
    G.add_edge("g", "c", weight=1, n_reply=1, n_mention=0)
    G.add_edge("i", "g", weight=2, n_reply=0, n_mention=2)
    G.add_node("lonely")
    t = account_table(G)
    assert t.loc["g", "in_degree"] == 2 and t.loc["g", "out_degree"] == 1
    assert t.loc["g", "in_weight"] == 5 and t.loc["g", "out_weight"] == 1
    assert t.loc["g", "in_reply"] == 2 and t.loc["g", "in_mention"] == 3
    assert t.loc["c", "out_reply"] == 2 and t.loc["c", "in_reply"] == 1
    assert t.loc["lonely", "in_degree"] == 0 and t.loc["lonely", "core_number"] == 0
    # g has two neighbours that are not tied: c and i; betweenness: c->g->? none (i->g->c)
    # paths: i->g->c is the only one through g; normalised by (n-1)(n-2) = 6
    assert t.loc["g", "betweenness"] == pytest.approx(1 / 6)
    assert math.isnan(t.loc["lonely", "constraint"])
    assert "in_repost" not in t.columns  # kinds absent from the graph are left out


def _igraph(G, weight="weight"):
    ig = pytest.importorskip("igraph")
    nodes = list(G)
    pos = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(n=len(nodes), edges=[(pos[u], pos[v]) for u, v in G.edges()], directed=True)
    if weight is not None:
        g.es["weight"] = [d.get(weight, 1) for _, _, d in G.edges(data=True)]
    return g, nodes


def _with_dangling_and_isolates(G):
    G = G.copy()
    G.add_edge(0, 1000, weight=2)  # an account that engages nobody (dangling)
    G.add_node(1001)  # an isolate
    return G


def test_account_table_matches_networkx():
    G = _with_dangling_and_isolates(random_digraph(40, 0.1, seed=3))
    t = account_table(G, structural_holes="fast")
    bc = nx.betweenness_centrality(G)
    hubs, auth = nx.hits(G, max_iter=1000, tol=1e-10)
    core = nx.core_number(G)
    assert t.attrs == {"betweenness_method": "exact", "betweenness_k": len(G)}
    for v in G:
        assert t.loc[v, "betweenness"] == pytest.approx(bc[v], rel=1e-12, abs=1e-15)
        assert t.loc[v, "betweenness_se"] == 0
        assert t.loc[v, "hub"] == pytest.approx(hubs[v], abs=1e-8)
        assert t.loc[v, "authority"] == pytest.approx(auth[v], abs=1e-8)
        assert t.loc[v, "core_number"] == core[v]
        assert t.loc[v, "in_weight"] == G.in_degree(v, weight="weight")
        assert t.loc[v, "out_degree"] == G.out_degree(v)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("weight", ["weight", None])
@pytest.mark.parametrize("alpha", [0.85, 0.5])
def test_pagerank_to_1e10_against_igraph_prpack(seed, weight, alpha):
    G = _with_dangling_and_isolates(random_digraph(60, 0.06, seed=seed))
    t = account_table(G, weight=weight, alpha=alpha, betweenness=False, structural_holes=None)
    g, nodes = _igraph(G, weight)
    ref = np.array(g.pagerank(directed=True, damping=alpha, weights="weight" if weight else None,
                              implementation="prpack"))
    ours = t["pagerank"].reindex(pd.Index(nodes, dtype=object)).to_numpy()
    assert np.abs(ours - ref).sum() < 3e-10
    # NetworkX at a tolerance far below its default agrees too (its default does not:
    # it stops at an L1 change of n * 1e-6)
    nxr = nx.pagerank(G, alpha=alpha, weight=weight, tol=1e-15, max_iter=10_000)
    np.testing.assert_allclose(ours, [nxr[v] for v in nodes], rtol=0, atol=1e-10)


def test_pagerank_precision_on_the_bundled_graph():
    G = kr.build_interaction_graph(kr.load_bundled())
    t = account_table(G, betweenness=False, structural_holes=None)
    g, nodes = _igraph(G)
    ref = np.array(g.pagerank(directed=True, damping=0.85, weights="weight"))
    ours = t["pagerank"].reindex(pd.Index(nodes, dtype=object)).to_numpy()
    assert np.abs(ours - ref).max() < 1e-10
    default = nx.pagerank(G, weight="weight")  # the n * 1e-6 stopping rule
    assert max(abs(default[v] - r) for v, r in zip(nodes, ref)) > 1e-6


def test_hits_follows_the_weight_argument():
    G = random_digraph(40, 0.1, seed=4)
    weighted = account_table(G, betweenness=False, structural_holes=None)
    unweighted = account_table(G, weight=None, betweenness=False, structural_holes=None)
    hw, aw = nx.hits(G, max_iter=1000, tol=1e-12)  # nx.hits always reads "weight"
    H = nx.DiGraph(G.edges())
    H.add_nodes_from(G)
    hu, au = nx.hits(H, max_iter=1000, tol=1e-12)
    for v in G:
        assert weighted.loc[v, "hub"] == pytest.approx(hw[v], abs=1e-9)
        assert weighted.loc[v, "authority"] == pytest.approx(aw[v], abs=1e-9)
        assert unweighted.loc[v, "hub"] == pytest.approx(hu[v], abs=1e-9)
        assert unweighted.loc[v, "authority"] == pytest.approx(au[v], abs=1e-9)
    assert (weighted["hub"] - unweighted["hub"]).abs().max() > 1e-3
    # another attribute name is honoured as well
    nx.set_edge_attributes(G, {e: 1 for e in G.edges}, "acts")
    other = account_table(G, weight="acts", betweenness=False, structural_holes=None)
    pd.testing.assert_series_equal(other["hub"], unweighted["hub"], atol=1e-12)


def test_exact_betweenness_against_igraph_and_networkx():
    G = _with_dangling_and_isolates(random_digraph(80, 0.05, seed=9))
    G.add_edge(5, 5)  # a self-loop changes no shortest path
    t = account_table(G, structural_holes=None)
    g, nodes = _igraph(G, None)
    n = len(nodes)
    ref = np.array(g.betweenness(directed=True)) / ((n - 1) * (n - 2))
    ours = t["betweenness"].reindex(pd.Index(nodes, dtype=object)).to_numpy()
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=1e-15)
    bc = nx.betweenness_centrality(G)
    np.testing.assert_allclose(ours, [bc[v] for v in nodes], rtol=1e-12, atol=1e-15)


def _dependencies(G):
    """delta_s(v) for every source s and node v, by NetworkX (independent of our kernel)."""
    nodes = list(G)
    D = np.zeros((len(nodes), len(nodes)))
    for i, s in enumerate(nodes):
        d = nx.betweenness_centrality_subset(G, sources=[s], targets=nodes, normalized=False)
        D[i] = [d[v] for v in nodes]
    return nodes, D


def test_sampled_betweenness_is_networkx_estimate_with_its_standard_error():
    G = random_digraph(50, 0.08, seed=5)
    n, k, seed = len(G), 12, 7
    t = account_table(G, k=k, seed=seed, structural_holes=None)
    assert t.attrs == {"betweenness_method": "sampled", "betweenness_k": k}
    # the same pivots and estimate as networkx with the seed we derive
    s = int(np.random.default_rng(seed).integers(2**31 - 1))
    ref = nx.betweenness_centrality(G, k=k, seed=s)
    for v in G:
        assert t.loc[v, "betweenness"] == pytest.approx(ref[v], rel=1e-12, abs=1e-15)
    # the standard error by hand from the pivots' dependencies
    import random

    pivots = random.Random(s).sample(list(G), k)
    nodes, D = _dependencies(G)
    row = {v: i for i, v in enumerate(nodes)}
    for v in nodes:
        x = np.array([D[row[p], row[v]] for p in pivots if p != v])
        fpc = 1 - x.size / (n - 1)
        se = math.sqrt(fpc * x.var(ddof=1) / x.size) / (n - 2)
        assert t.loc[v, "betweenness_se"] == pytest.approx(se, rel=1e-9, abs=1e-15)
        assert t.loc[v, "betweenness"] == pytest.approx(x.mean() / (n - 2), abs=1e-15)


def test_betweenness_standard_error_is_calibrated():
    """Over many pivot samples the estimates scatter as the reported standard errors say."""
    G = random_digraph(40, 0.1, seed=2)
    n, k = len(G), 25  # k close to n: the finite-population correction matters (factor 1.9)
    nodes, D = _dependencies(G)
    exact = account_table(G, structural_holes=None)["betweenness"]
    est, ses = [], []
    for seed in range(300):
        t = account_table(G, k=k, seed=seed, structural_holes=None)
        est.append(t["betweenness"].reindex(nodes).to_numpy())
        ses.append(t["betweenness_se"].reindex(nodes).to_numpy())
    est, ses = np.array(est), np.array(ses)
    truth = exact.reindex(nodes).to_numpy()
    np.testing.assert_allclose(est.mean(axis=0), truth, atol=4 * ses.mean(axis=0).max())
    # population standard error of a k-sample from the n - 1 sources s != v (v not a pivot)
    keep = D.sum(axis=0) > 0
    pop = np.array([np.delete(D[:, j], j).var(ddof=1) for j in range(n)])
    true_se = np.sqrt((1 - k / (n - 1)) * pop / k) / (n - 2)
    ratio = np.sqrt((ses[:, keep] ** 2).mean(axis=0)) / true_se[keep]
    assert 0.9 < np.median(ratio) < 1.1
    # the normal 95% interval covers a little less: few pivots' paths run through some
    # accounts, so their dependencies are skewed (87% here)
    inside = np.abs(est[:, keep] - truth[keep]) <= 1.96 * ses[:, keep]
    assert 0.8 < inside.mean() < 0.99


def test_default_betweenness_samples_above_the_work_limit(monkeypatch):
    import kopiresearch.metrics._centrality as c

    G = random_digraph(60, 0.08, seed=5)
    size = len(G) + G.number_of_edges()
    assert account_table(G, structural_holes=None).attrs["betweenness_method"] == "exact"
    monkeypatch.setattr(c, "EXACT_BETWEENNESS_WORK", 30 * size + 7)
    monkeypatch.setattr(c, "MIN_PIVOTS", 10)
    t = account_table(G, seed=3, structural_holes=None)
    assert t.attrs == {"betweenness_method": "sampled", "betweenness_k": 30}
    assert (t["betweenness_se"] > 0).any()
    monkeypatch.setattr(c, "MIN_PIVOTS", 40)
    assert account_table(G, seed=3, structural_holes=None).attrs["betweenness_k"] == 40
    # k >= n asks for exact betweenness whatever the limit
    assert account_table(G, k=len(G), structural_holes=None).attrs["betweenness_method"] \
        == "exact"


def test_core_number_matches_networkx_with_mutual_ties():
    for seed in range(3):
        G = random_digraph(70, 0.07, seed=seed)
        G.add_edges_from([(v, u) for u, v in list(G.edges)[::3]])  # mutual ties count twice
        t = account_table(G, betweenness=False, structural_holes=None)
        core = nx.core_number(G)
        assert all(t.loc[v, "core_number"] == core[v] for v in G)


def test_sampled_betweenness_is_seeded():
    G = random_digraph(60, 0.08, seed=5)
    a = account_table(G, k=10, seed=7, structural_holes=None)
    b = account_table(G, k=10, seed=7, structural_holes=None)
    c = account_table(G, k=10, seed=8, structural_holes=None)
    pd.testing.assert_series_equal(a["betweenness"], b["betweenness"])
    assert not a["betweenness"].equals(c["betweenness"])
    assert "constraint" not in a.columns


def test_account_table_rejects_bad_input():
    with pytest.raises(KopiresearchError, match="directed"):
        account_table(nx.Graph([(1, 2)]))
    with pytest.raises(KopiresearchError, match="structural_holes"):
        account_table(nx.DiGraph([(1, 2)]), structural_holes="slow")
    with pytest.raises(KopiresearchError, match="k must"):
        account_table(nx.DiGraph([(1, 2)]), k=0)
    with pytest.raises(KopiresearchError, match="alpha"):
        account_table(nx.DiGraph([(1, 2)]), alpha=1.0)
    with pytest.raises(KopiresearchError, match="'weight' must be >= 0"):
        account_table(nx.DiGraph([(1, 2, {"weight": -1})]))
    with pytest.raises(KopiresearchError, match="must hold numbers"):
        account_table(nx.DiGraph([(1, 2, {"weight": "many"})]))


def test_structural_holes_star_by_hand():
    # centre of a star with 3 leaves: p = 1/3 to each, no indirect paths:
    # constraint = 3 * (1/3)^2 = 1/3; effective size = 3 (no redundancy)
    s = structural_holes(nx.star_graph(3), weight=None)
    assert s.loc[0, "constraint"] == pytest.approx(1 / 3)
    assert s.loc[0, "effective_size"] == pytest.approx(3.0)
    # triangle: each node has 2 tied neighbours: p = 1/2, indirect 1/4:
    # constraint = 2 * (1/2 + 1/4)^2 = 1.125; effective size = 2 - 2 * (1/2 * 1) = 1
    s = structural_holes(nx.complete_graph(3), weight=None)
    assert s.loc[0, "constraint"] == pytest.approx(1.125)
    assert s.loc[0, "effective_size"] == pytest.approx(1.0)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("weight", [None, "weight"])
def test_structural_holes_match_networkx_definition(seed, weight):
    G = random_digraph(30, 0.15, seed=seed)
    G.add_node("isolate")
    s = structural_holes(G, weight=weight)
    c = nx.constraint(G, nodes=list(G), weight=weight)
    e = nx.effective_size(G, nodes=list(G), weight=weight)
    for v in G:
        if G.out_degree(v) == 0:  # networkx's per-node path gives NaN there (tests G[v])
            continue
        assert s.loc[v, "constraint"] == pytest.approx(c[v])
        assert s.loc[v, "effective_size"] == pytest.approx(e[v])
    assert math.isnan(s.loc["isolate", "constraint"])
    # the all-nodes constraint of networkx agrees everywhere
    c_all = nx.constraint(G, weight=weight)
    np.testing.assert_allclose(s["constraint"], [c_all[v] for v in G], equal_nan=True)


def test_structural_holes_undirected_borgatti():
    G = nx.karate_club_graph()
    s = structural_holes(G, weight=None)
    e = nx.effective_size(G)  # Borgatti's n - 2t/n for unweighted undirected graphs
    np.testing.assert_allclose(s["effective_size"], [e[v] for v in G])


# ---------------------------------------------------------------------------------------
# reciprocity


def test_reciprocity_overall_matches_networkx():
    for seed in range(3):
        G = random_digraph(30, 0.1, seed=seed)
        assert reciprocity(G) == pytest.approx(nx.reciprocity(G))
    assert math.isnan(reciprocity(nx.DiGraph()))


def test_reciprocity_leaves_self_loops_out_where_networkx_counts_them():
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "a")])
    assert reciprocity(G) == 1.0  # the one conversation between two accounts went both ways
    assert nx.reciprocity(G) == pytest.approx(2 / 3)  # the self-loop counts as unanswered
    # in general: networkx's value on the graph without its self-loops
    for seed in range(3):
        H = random_digraph(30, 0.1, seed=seed)
        H.add_edges_from((n, n) for n in list(H)[:: 4 + seed])
        assert nx.number_of_selfloops(H) > 0
        plain = H.copy()
        plain.remove_edges_from(list(nx.selfloop_edges(plain)))
        assert reciprocity(H) == pytest.approx(nx.reciprocity(plain))
        assert reciprocity(H) != pytest.approx(nx.reciprocity(H))
    assert math.isnan(reciprocity(nx.DiGraph([("a", "a")])))


def test_reciprocity_by_group_hand():
    # gov<->c1 mutual, c2->gov one-way, c3->inf one-way, gov->inf and inf->gov mutual
    G = nx.DiGraph([("c1", "gov"), ("gov", "c1"), ("c2", "gov"), ("c3", "inf"),
                    ("gov", "inf"), ("inf", "gov")])
    groups = {"c1": "citizen", "c2": "citizen", "c3": "citizen", "gov": "government",
              "inf": "influencer"}
    t = reciprocity(G, by=groups)
    row = t.loc[("citizen", "government")]
    assert (row["dyads"], row["mutual_dyads"], row["edges"], row["reciprocated_edges"]) == \
        (2, 1, 3, 2)
    assert row["dyad_reciprocity"] == pytest.approx(0.5)
    assert row["edge_reciprocity"] == pytest.approx(2 / 3)
    assert t.loc[("government", "influencer"), "dyad_reciprocity"] == 1.0
    assert t.loc[("citizen", "influencer"), "dyad_reciprocity"] == 0.0
    # the edge counts add up to the overall reciprocity
    assert t["reciprocated_edges"].sum() / t["edges"].sum() == pytest.approx(reciprocity(G))


def test_reciprocity_by_attribute_and_errors():
    G = nx.DiGraph([(1, 2), (2, 1)])
    nx.set_node_attributes(G, {1: "citizen", 2: "government_regency"}, "actor_type")
    t = reciprocity(G, by="actor_type")
    assert t.index.tolist() == [("citizen", "government_regency")]
    with pytest.raises(KopiresearchError, match="no node has"):
        reciprocity(G, by="nonexistent")
    with pytest.raises(KopiresearchError, match="directed"):
        reciprocity(nx.Graph([(1, 2)]))


# ---------------------------------------------------------------------------------------
# responsiveness

T0 = pd.Timestamp("2024-10-01T00:00:00Z")


def _t(hours):
    return (T0 + pd.Timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def small_corpus():
    accounts = pd.DataFrame({
        "account_id": ["g1", "g2", "c1", "c2", "i1", "m1"], "platform": "synthetic",
        "handle": ["kominfo_a", "jatim", "warga1", "warga2", "infl", "radar"],
        "actor_type": ["government_regency", "government_province", "citizen", "citizen",
                       "influencer", "media"],
        "region_code": ["3506", "35", "3506", None, "3571", "3571"],
        "followers": [1000, 5000, 10, 20, 3000, 800]})
    P = [  # post_id, author, hours, kind, parent, text, likes, replies, reposts, quotes
        ("p1", "g1", 0, "original", None,
         "Vaksinasi. Bagaimana pendapat Sobat? Sampaikan di kolom komentar ya.", 10, 1, 2, 0),
        ("p2", "g1", 1, "original", None, "Festival budaya. Bersama @infl.", 0, 0, 0, 1),
        ("p3", "g1", 2, "original", None, "Perbaikan jalan.", 5, 0, 1, 0),
        ("q1", "c1", 3, "reply", "p1", "@kominfo_a kapan", 0, 0, 0, 0),
        ("q2", "c2", 4, "original", None, "@kominfo_a min lampu mati", 0, 0, 0, 0),
        ("q3", "c1", 5, "original", None, "@kominfo_a jalan rusak", 0, 0, 0, 0),
        ("q4", "c2", 6, "original", None, "@jatim banjir", 0, 0, 0, 0),
        ("a1", "g1", 5, "reply", "q1", "@warga1 terima kasih", 0, 0, 0, 0),
        ("a2", "g1", 10, "reply", "q2", "@warga2 siap", 0, 0, 0, 0),
        ("a2b", "g1", 12, "reply", "q2", "@warga2 sudah", 0, 0, 0, 0),
        ("p4", "m1", 7, "original", None, "Berita", 0, 0, 0, 0),
        ("q5", "i1", 7, "original", None, "@kominfo_a keren", 0, 0, 0, 0),
        ("a5", "g1", 8, "reply", "p4", "@radar terima kasih", 0, 0, 0, 0),
        ("a3", "g1", 30, "reply", "q3", "@warga1 maaf telat", 0, 0, 0, 0),
    ]
    posts = pd.DataFrame(P, columns=["post_id", "author_id", "h", "kind", "parent_post_id",
                                     "text", "like_count", "reply_count", "repost_count",
                                     "quote_count"])
    posts["created_at"] = posts["h"].map(_t)
    posts["platform"] = "synthetic"
    posts = posts.drop(columns="h")
    acts = [("g1", "i1", "mention", "p2"), ("c1", "g1", "reply", "q1"),
         ("c2", "g1", "mention", "q2"), ("c1", "g1", "mention", "q3"),
         ("c2", "g2", "mention", "q4"), ("g1", "c1", "reply", "a1"),
         ("g1", "c2", "reply", "a2"), ("g1", "c2", "reply", "a2b"),
         ("i1", "g1", "mention", "q5"), ("g1", "m1", "reply", "a5"),
         ("g1", "c1", "reply", "a3")]
    inter = pd.DataFrame(acts, columns=["source_id", "target_id", "kind", "post_id"])
    inter["created_at"] = inter["post_id"].map(posts.set_index("post_id")["created_at"])
    return Corpus.from_frames(accounts, posts, inter)


def test_addressed_posts_hand(small_corpus):
    p = addressed_posts(small_corpus, end=_t(20))
    assert p["post_id"].tolist() == ["q1", "q2", "q3", "q4"]  # q5 is by an influencer
    assert p["office_id"].tolist() == ["g1", "g1", "g1", "g2"]
    assert p["answered"].tolist() == [True, True, False, False]  # a3 comes after the end
    assert p["reply_post_id"].tolist()[:2] == ["a1", "a2"]  # first answer only
    assert p["duration_hours"].tolist() == pytest.approx([2.0, 6.0, 15.0, 14.0])
    # without an end, the window ends at the last post (a3 at 30h): q3 is answered
    p = addressed_posts(small_corpus)
    assert p.loc[p["post_id"] == "q3", "duration_hours"].item() == pytest.approx(25.0)


def test_responsiveness_hand(small_corpus):
    r = responsiveness(small_corpus, end=_t(20))
    g1 = r.loc["g1"]
    assert (g1["addressed"], g1["answered"]) == (3, 2)
    assert g1["reply_rate"] == pytest.approx(2 / 3)
    # KM: events at 2h and 6h, one censored at 15h: S(2) = 2/3, S(6) = 1/3
    assert g1["km_median_hours"] == pytest.approx(6.0)
    assert g1["naive_median_hours"] == pytest.approx(4.0)
    assert g1["km_reply_rate"] == pytest.approx(2 / 3)
    assert g1["km_conditional_median_hours"] == pytest.approx(2.0)
    g2 = r.loc["g2"]
    assert (g2["addressed"], g2["answered"], g2["reply_rate"]) == (1, 0, 0.0)
    assert math.isnan(g2["km_median_hours"])
    by = responsiveness(small_corpus, end=_t(20), by="own_region")
    assert by.loc[("g1", "own"), "addressed"] == 2  # c1 lives in 3506
    assert by.loc[("g1", "unknown"), "addressed"] == 1
    with pytest.raises(KopiresearchError, match="by must"):
        responsiveness(small_corpus, by="topic")


def test_responsiveness_of_an_office_that_never_answers(small_corpus):
    # g2 is addressed once (q4) and never answers; no other office is selected, so no
    # answer at all is in the selection (this raised a TypeError before)
    r = responsiveness(small_corpus, offices=["g2"], end=_t(20))
    row = r.loc["g2"]
    assert (row["addressed"], row["answered"], row["censored"]) == (1, 0, 1)
    assert row["reply_rate"] == 0.0 and row["km_reply_rate"] == 0.0
    for col in ("naive_median_hours", "km_median_hours", "km_conditional_median_hours"):
        assert math.isnan(row[col])
    assert row["median_followup_hours"] == pytest.approx(14.0)  # q4 at 6h, end at 20h
    p = addressed_posts(small_corpus, offices=["g2"], end=_t(20))
    assert p["duration_hours"].tolist() == pytest.approx([14.0])
    assert str(p["reply_at"].dtype) == "datetime64[ns, UTC]"
    by = responsiveness(small_corpus, offices=["g2"], end=_t(20), by="own_region")
    assert by.loc[("g2", "unknown"), "censored"] == 1  # c2 has no region
    # by handle, as a researcher types it; the same table
    pd.testing.assert_frame_equal(responsiveness(small_corpus, offices=["jatim"], end=_t(20)),
                                  r)
    with pytest.raises(KopiresearchError, match="neither an account id nor a handle"):
        responsiveness(small_corpus, offices=["nobody"])


def test_responsiveness_of_the_broadcast_only_bundled_office():
    corpus = kr.load_bundled()
    r = responsiveness(corpus, offices=["kominfo_kotamalang_demo"])
    row = r.iloc[0]
    assert row["handle"] == "kominfo_kotamalang_demo"
    assert row["addressed"] > 0 and row["answered"] == 0
    assert row["censored"] == row["addressed"]
    assert math.isnan(row["km_median_hours"]) and row["median_followup_hours"] > 0
    # the same figures as in the table of every office
    full = responsiveness(corpus).loc[r.index]
    pd.testing.assert_frame_equal(full, r)


def test_responsiveness_censored_counts_add_up(small_corpus):
    r = responsiveness(small_corpus, end=_t(20))
    assert (r["answered"] + r["censored"] == r["addressed"]).all()
    assert r.loc["g1", "median_followup_hours"] == pytest.approx(15.0)  # q3 only


def test_kaplan_meier_hand_and_product_limit():
    km = kaplan_meier([1, 2, 3, 5, 4, 10], [1, 1, 1, 1, 0, 0])
    assert km["median"] == 3.0
    assert km["plateau"] == pytest.approx(0.75)
    # independent product-limit computation
    rng = np.random.default_rng(0)
    d = np.round(rng.exponential(5, 50), 1)
    o = rng.random(50) < 0.6
    curve = kaplan_meier(d, o)["curve"]
    s, expected = 1.0, {}
    for t in np.unique(d):
        at_risk = (d >= t).sum()
        events = ((d == t) & o).sum()
        s *= 1 - events / at_risk
        expected[t] = s
    got = dict(zip(curve["time_hours"][1:], curve["survival"][1:]))
    for t, v in expected.items():
        assert got[t] == pytest.approx(v)
    with pytest.raises(KopiresearchError):
        kaplan_meier([1, -1], [True, True])


def test_response_curve_starts_at_one(small_corpus):
    c = response_curve(addressed_posts(small_corpus, end=_t(20)), ci=True)
    first = c.groupby("office_id").first()
    assert (first["survival"] == 1.0).all() and (first["time_hours"] == 0).all()
    assert set(c.columns) == {"office_id", "time_hours", "survival", "ci_low", "ci_high"}


def test_responsiveness_recovers_planted_truth():
    corpus = kr.load_bundled()
    gt = kr.load_ground_truth()
    r = responsiveness(corpus, end=gt["period"]["end"])
    truth = pd.DataFrame(gt["offices"]).T[["reply_prob", "median_delay_hours"]].astype(float)
    j = r.join(truth, how="inner")
    assert len(j) == len(truth)
    rho = st.spearmanr(j["reply_prob"], j["km_reply_rate"]).statistic
    assert rho > 0.8
    assert (j["reply_prob"] - j["km_reply_rate"]).abs().median() < 0.1
    ok = j["km_conditional_median_hours"].notna()
    assert ok.sum() >= len(j) - 3
    rho_d = st.spearmanr(j.loc[ok, "median_delay_hours"],
                         j.loc[ok, "km_conditional_median_hours"]).statistic
    assert rho_d > 0.8
    log_err = np.log(j.loc[ok, "km_conditional_median_hours"] / j.loc[ok, "median_delay_hours"])
    assert np.median(np.abs(log_err)) < np.log(1.5)


# ---------------------------------------------------------------------------------------
# push / pull / networking and engagement


def test_push_pull_networking_hand(small_corpus):
    t, coded = push_pull_networking(small_corpus, return_posts=True)
    cat = dict(zip(coded["post_id"], coded["category"]))
    assert cat["p1"] == "pull"  # solicits comments
    assert cat["p2"] == "networking"  # mentions an influencer
    assert cat["p3"] == "push"
    assert cat["a1"] == cat["a2"] == cat["a3"] == "pull"  # replies to citizens
    assert cat["a5"] == "other"  # reply to a media account
    g1 = t.loc["g1"]
    assert (g1["posts"], g1["pull"], g1["networking"], g1["push"], g1["other"]) == \
        (8, 5, 1, 1, 1)
    assert g1["pull_share"] == pytest.approx(5 / 8)
    assert t.loc["g2", "posts"] == 0 and math.isnan(t.loc["g2", "push_share"])
    with pytest.raises(KopiresearchError, match="regular expression"):
        push_pull_networking(small_corpus, solicitation="(")


def test_engagement_hand(small_corpus):
    e = engagement(small_corpus).loc["g1"]
    assert e["posts"] == 3
    assert (e["likes"], e["comments"], e["shares"]) == (15, 1, 4)
    assert e["P1"] == pytest.approx(2 / 3) and e["P2"] == pytest.approx(5.0)
    assert e["P3"] == pytest.approx(5.0)  # 1000 * 5 / 1000 followers
    assert e["C2"] == pytest.approx(1 / 3) and e["V1"] == pytest.approx(1.0)
    assert e["V2"] == pytest.approx(4 / 3)
    assert e["E"] == pytest.approx(5 + 1 / 3 + 4 / 3)
    no_quotes = engagement(small_corpus, include_quotes=False).loc["g1"]
    assert no_quotes["shares"] == 3


# ---------------------------------------------------------------------------------------
# brokerage


def brute_force_brokerage(G, groups):
    out = {v: dict.fromkeys(BROKERAGE_ROLES, 0) for v in G}
    for v in G:
        for a, b in itertools.product(G.predecessors(v), G.successors(v)):
            if len({a, v, b}) < 3 or G.has_edge(a, b):
                continue
            ga, gv, gb = groups[a], groups[v], groups[b]
            if ga == gv == gb:
                role = "coordinator"
            elif ga == gb:
                role = "itinerant"
            elif gv == gb:
                role = "gatekeeper"
            elif ga == gv:
                role = "representative"
            else:
                role = "liaison"
            out[v][role] += 1
    return out


def test_brokerage_hand_all_roles():
    # broker v in group X; a1, b1 in X; a2, b2 in Y; c in Z
    G = nx.DiGraph([("a1", "v"), ("v", "b1"),  # coordinator (a1, b1)
                    ("a2", "v"), ("v", "b2"),  # itinerant (a2, b2)
                    ("v", "c")])
    groups = {"v": "X", "a1": "X", "b1": "X", "a2": "Y", "b2": "Y", "c": "Z"}
    row = brokerage(G, by=groups).loc["v"]
    # pairs: (a1,b1) coord, (a1,b2) rep, (a1,c) rep, (a2,b1) gate, (a2,b2) itin, (a2,c) liaison
    assert [row[r] for r in BROKERAGE_ROLES] == [1, 1, 1, 2, 1]
    assert row["total"] == 6
    # closing a1 -> b1 removes the coordinator pair; a mutual tie v <-> a1 adds none
    G.add_edge("a1", "b1")
    G.add_edge("v", "a1")
    row = brokerage(G, by=groups).loc["v"]
    assert row["coordinator"] == 0
    # an edge b2 -> a2 does not close a2 -> v -> b2
    G.add_edge("b2", "a2")
    assert brokerage(G, by=groups).loc["v", "itinerant"] == 1


@pytest.mark.parametrize("seed", range(12))
def test_brokerage_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    G = nx.gnp_random_graph(20, rng.uniform(0.05, 0.4), seed=seed, directed=True)
    groups = {v: int(rng.integers(0, 1 + seed % 4)) for v in G}
    t = brokerage(G, by=groups)
    expected = brute_force_brokerage(G, groups)
    for v in G:
        assert [t.loc[v, r] for r in BROKERAGE_ROLES] == [expected[v][r]
                                                          for r in BROKERAGE_ROLES]


def test_brokerage_permutation_baseline():
    G = random_digraph(30, 0.12, seed=2, weighted=False)
    groups = {v: f"g{v % 3}" for v in G}
    a = brokerage(G, by=groups, n_perm=5, seed=11)
    b = brokerage(G, by=groups, n_perm=5, seed=11)
    pd.testing.assert_frame_equal(a, b)
    # relabelling does not change the number of open two-paths through a node
    exp_total = a[[f"expected_{r}" for r in BROKERAGE_ROLES]].sum(axis=1)
    np.testing.assert_allclose(exp_total, a["total"])
    s = brokerage_summary(a)
    assert set(s.columns) == {"observed", "expected", "ratio"}
    assert s["observed"].sum() == a["total"].sum()


def test_brokerage_missing_groups():
    G = nx.DiGraph([("a", "v"), ("v", "b")])
    nx.set_node_attributes(G, {"a": "X", "v": "Y"}, "region")
    t = brokerage(G, by="region")
    assert t.loc["b", "group"] == "unknown" and t.loc["v", "liaison"] == 1
    t = brokerage(G, by="region", exclude_missing=True)
    assert t.loc["v", "total"] == 0
    with pytest.raises(KopiresearchError, match="n_perm"):
        brokerage(G, by="region", n_perm=-1)


# ---------------------------------------------------------------------------------------
# communities


def test_communities_barbell_and_seed():
    G = nx.barbell_graph(5, 0)
    c = communities(G, seed=3)
    assert c.nunique() == 2 and c[list(range(5))].nunique() == 1
    D = random_digraph(60, 0.05, seed=1)
    pd.testing.assert_series_equal(communities(D, seed=4), communities(D, seed=4))
    c = communities(D, seed=4)
    H = kr.metrics.undirected_weighted(D)
    parts = [set(g.index) for _, g in c.groupby(c)]
    assert c.attrs["modularity"] == pytest.approx(nx.community.modularity(H, parts))
    assert c.value_counts().is_monotonic_decreasing  # community 0 is the largest


def test_stability():
    res = community_stability(nx.barbell_graph(6, 0), n_seeds=20, seed=0)
    assert res.mean_nmi == 1.0 and len(res.seeds) == 20
    assert res.pairwise_nmi.shape == (20, 20)
    with pytest.raises(KopiresearchError):
        community_stability(nx.barbell_graph(3, 0), n_seeds=1)


def _nmi_by_loops(a, b):
    n = len(a)
    la, lb = sorted(set(a)), sorted(set(b))
    pa = {x: a.count(x) / n for x in la}
    pb = {y: b.count(y) / n for y in lb}
    mi = 0.0
    for x in la:
        for y in lb:
            pxy = sum(1 for i in range(n) if a[i] == x and b[i] == y) / n
            if pxy > 0:
                mi += pxy * math.log(pxy / (pa[x] * pb[y]))
    ha = -sum(p * math.log(p) for p in pa.values())
    hb = -sum(p * math.log(p) for p in pb.values())
    return 2 * mi / (ha + hb)


def _ari_by_pairs(a, b):
    pairs = list(itertools.combinations(range(len(a)), 2))
    same_a = [a[i] == a[j] for i, j in pairs]
    same_b = [b[i] == b[j] for i, j in pairs]
    both = sum(x and y for x, y in zip(same_a, same_b))
    sa, sb, total = sum(same_a), sum(same_b), len(pairs)
    expected = sa * sb / total
    return (both - expected) / (0.5 * (sa + sb) - expected)


def test_nmi_ari_hand():
    # C = [[2, 0], [1, 1]]: I = 0.5 ln(4/3) + 0.25 ln(2/3) + 0.25 ln 2
    a, b = [0, 0, 1, 1], [0, 0, 0, 1]
    mi = 0.5 * math.log(4 / 3) + 0.25 * math.log(2 / 3) + 0.25 * math.log(2)
    ha, hb = math.log(2), -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert normalized_mutual_info(a, b) == pytest.approx(2 * mi / (ha + hb))
    # ARI: sum C(n_ij,2) = 1, rows 2, cols 3, pairs 6: (1 - 1) / (2.5 - 1) = 0
    assert adjusted_rand_index(a, b) == pytest.approx(0.0)
    assert normalized_mutual_info(a, [5, 5, 7, 7]) == 1.0
    assert adjusted_rand_index(a, ["x", "x", "y", "y"]) == 1.0


@pytest.mark.parametrize("seed", range(5))
def test_nmi_ari_brute_force(seed):
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 3, 25).tolist()
    b = rng.integers(0, 4, 25).tolist()
    assert normalized_mutual_info(a, b) == pytest.approx(_nmi_by_loops(a, b))
    assert adjusted_rand_index(a, b) == pytest.approx(_ari_by_pairs(a, b))


def test_partition_agreement_aligns_and_drops_missing():
    out = partition_agreement(pd.Series({1: "x", 2: "x", 3: "y", 4: None}),
                              {1: 0, 2: 0, 3: 1, 4: 1, 5: 1})
    assert out == {"n": 3, "nmi": 1.0, "ari": 1.0}


# ---------------------------------------------------------------------------------------
# mixing


@pytest.mark.parametrize("directed", [False, True])
def test_assortativity_matches_networkx(directed):
    G = nx.gnp_random_graph(40, 0.1, seed=9, directed=directed)
    nx.set_node_attributes(G, {v: "abc"[v % 3] for v in G}, "g")
    assert nominal_assortativity(G, "g") == pytest.approx(
        nx.attribute_assortativity_coefficient(G, "g"))
    M = mixing_matrix(G, "g")
    ref = nx.attribute_mixing_matrix(G, "g", mapping={"a": 0, "b": 1, "c": 2},
                                     normalized=False)
    np.testing.assert_allclose(M.to_numpy(), ref)


def test_adjusted_assortativity_hand():
    # path 0-1-2-3, groups {0,1} and {2,3}: E = [[2,1],[1,2]] (both directions)
    # plain r = (2/3 - 1/2) / (1/2) = 1/3
    # densities: within 2 / (2*2 - 2) = 1, between 1 / 4 -> e = [[.4,.1],[.1,.4]], r = 0.6
    G = nx.Graph([(0, 1), (2, 3), (1, 2)])
    groups = {0: "a", 1: "a", 2: "b", 3: "b"}
    assert nominal_assortativity(G, by=groups) == pytest.approx(1 / 3)
    assert adjusted_nominal_assortativity(G, by=groups) == pytest.approx(0.6)
    # unequal groups: the adjustment changes the value
    H = nx.Graph([(0, 1), (1, 2), (2, 0), (2, 3), (3, 4)])
    g2 = {0: "a", 1: "a", 2: "a", 3: "a", 4: "b"}
    # E = [[8, 1], [1, 0]]; possible aa = 12, ab = 4, bb = 0 -> D = [[2/3, 1/4], [1/4, 0]]
    D = np.array([[2 / 3, 0.25], [0.25, 0.0]])
    e = D / D.sum()
    ab = (e.sum(1) * e.sum(0)).sum()
    assert adjusted_nominal_assortativity(H, by=g2) == pytest.approx((np.trace(e) - ab)
                                                                     / (1 - ab))


def test_ei_index_hand():
    G = nx.DiGraph([("c1", "c2"), ("c1", "g"), ("g", "c2"), ("g", "g2")])
    groups = {"c1": "citizen", "c2": "citizen", "g": "government", "g2": "government"}
    t = ei_index(G, by=groups)
    assert t.loc["citizen", "internal"] == 1 and t.loc["citizen", "external"] == 2
    assert t.loc["government", "ei"] == pytest.approx((2 - 1) / 3)
    assert t.loc["(all)", "ei"] == pytest.approx((2 - 2) / 4)


def test_actor_groups_merge_government():
    G = kr.build_interaction_graph(kr.load_bundled(), kinds=["reply"])
    groups = actor_groups(G)
    assert "government" in set(groups.values())
    assert not any(str(g).startswith("government_") for g in groups.values())


def test_recovery_of_truth_hand_case():
    from kopiresearch.metrics import recovery_of_truth

    table = pd.DataFrame({"km_reply_rate": [0.2, 0.5, 0.9],
                          "km_conditional_median_hours": [1.0, np.nan, 8.0],
                          "naive_median_hours": [1.0, np.nan, 4.0]},
                         index=["a", "b", "c"])
    truth = {"a": {"reply_prob": 0.25, "median_delay_hours": 2.0},
             "b": {"reply_prob": 0.5, "median_delay_hours": 4.0},
             "c": {"reply_prob": 0.8, "median_delay_hours": 8.0},
             "z": {"reply_prob": 0.1, "median_delay_hours": 1.0}}  # not in the table
    rec = recovery_of_truth(table, truth)
    rate = rec.loc["reply prob. vs km_reply_rate"]
    assert rate["n"] == 3 and rate["spearman"] == pytest.approx(1.0)
    assert rate["median abs. error"] == pytest.approx(0.05)  # |0.05|, 0, |0.1|
    km_row = rec.loc["log median delay vs KM conditional median"]
    assert km_row["n"] == 2  # b never answered: no delay to compare
    assert km_row["median abs. error"] == pytest.approx(0.5)  # errors 1 and 0
    assert rec.loc["log median delay vs naive median", "median abs. error"] == pytest.approx(
        2.5)  # errors 1 and 4
    with pytest.raises(KopiresearchError, match="no office"):
        recovery_of_truth(table, {"z": truth["z"]})


# ---------------------------------------------------------------------------------------
# own region or not: Mantel-Haenszel within offices


def test_mantel_haenszel_hand_case():
    from kopiresearch.metrics import mantel_haenszel

    # stratum A [[1,1],[1,1]] (n=4), stratum B [[3,1],[1,3]] (n=8):
    # OR = (1*1/4 + 3*3/8) / (1*1/4 + 1*1/8) = (11/8) / (3/8) = 11/3
    # sum a = 4, E = 2*2/4 + 4*4/8 = 3, V = 16/(16*3) + 256/(64*7) = 1/3 + 4/7 = 19/21
    r = mantel_haenszel([[[1, 1], [1, 1]], [[3, 1], [1, 3]]])
    assert r["strata"] == 2
    assert r["odds_ratio"] == pytest.approx(11 / 3)
    assert r["chi2"] == pytest.approx(21 / 19)
    assert r["p"] == pytest.approx(st.chi2.sf(21 / 19, 1))


def test_mantel_haenszel_one_stratum_is_the_pearson_test_scaled():
    from kopiresearch.metrics import mantel_haenszel

    # with one stratum the MH odds ratio is the sample odds ratio ad/bc and the CMH
    # statistic is Pearson's chi-square times (n - 1) / n (scipy, independently)
    table = np.array([[12, 5], [7, 16]])
    r = mantel_haenszel([table])
    assert r["odds_ratio"] == pytest.approx(12 * 16 / (5 * 7))
    pearson = st.chi2_contingency(table, correction=False).statistic
    assert r["chi2"] == pytest.approx(pearson * (table.sum() - 1) / table.sum())


def test_mantel_haenszel_degenerate_strata():
    from kopiresearch.metrics import mantel_haenszel

    empty = mantel_haenszel([])
    assert empty["strata"] == 0 and math.isnan(empty["odds_ratio"]) and math.isnan(empty["p"])
    # a stratum of one post carries no information; everything answered: no variance
    r = mantel_haenszel([[[1, 0], [0, 0]], [[3, 0], [2, 0]]])
    assert r["strata"] == 1 and math.isnan(r["chi2"]) and math.isnan(r["odds_ratio"])
    assert mantel_haenszel([[[3, 0], [1, 2]]])["odds_ratio"] == math.inf
    with pytest.raises(KopiresearchError, match="2x2"):
        mantel_haenszel([[1, 2, 3]])
    with pytest.raises(KopiresearchError, match="negative"):
        mantel_haenszel([[[1, -1], [0, 2]]])


def test_own_region_effect_builds_one_stratum_per_office():
    from kopiresearch.metrics import mantel_haenszel, own_region_effect

    idx = pd.MultiIndex.from_tuples(
        [("g1", "other"), ("g1", "own"), ("g1", "unknown"), ("g2", "own"),
         ("g3", "other"), ("g3", "own")], names=["office_id", "own_region"])
    table = pd.DataFrame({"addressed": [4, 6, 9, 5, 10, 2], "answered": [1, 3, 9, 5, 5, 2]},
                         index=idx)
    r = own_region_effect(table)
    # g2 has no 'other' askers and the 'unknown' row is not a group: two strata
    expected = mantel_haenszel([[[3, 3], [1, 3]], [[2, 0], [5, 5]]])
    assert r["strata"] == 2
    for key in ("odds_ratio", "chi2", "p"):
        assert r[key] == pytest.approx(expected[key])
    assert r["own_rate"] == pytest.approx(5 / 8) and r["other_rate"] == pytest.approx(6 / 14)
    none = own_region_effect(table.loc[["g2"]])
    assert none["strata"] == 0 and math.isnan(none["own_rate"])
    with pytest.raises(KopiresearchError, match="own_region"):
        own_region_effect(table.droplevel("own_region"))


def test_own_region_effect_on_the_small_corpus(small_corpus):
    from kopiresearch.metrics import own_region_effect

    # g1 is addressed by c1 (own region, q1 answered, q3 not by 20h) and c2 (unknown region)
    by = responsiveness(small_corpus, end=_t(20), by="own_region")
    r = own_region_effect(by)
    assert r["strata"] == 0  # nobody of another known region asked g1
