"""Tests of account_table and structural_holes (metrics/_centrality.py)."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import kopiresearch as kr
import kopiresearch.metrics
from kopiresearch.errors import KopiresearchError
from kopiresearch.metrics import (
    account_table,
    structural_holes,
)

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


def test_account_table_matches_networkx(random_digraph):
    G = _with_dangling_and_isolates(random_digraph(40, 0.1, seed=3))
    t = account_table(G, structural_holes="fast")
    bc = nx.betweenness_centrality(G)
    hubs, auth = nx.hits(G, max_iter=1000, tol=1e-10)
    core = nx.core_number(G)
    assert (t.betweenness_method, t.betweenness_k) == ("exact", len(G))
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
def test_pagerank_to_1e10_against_igraph_prpack(seed, weight, alpha, random_digraph):
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


def test_hits_follows_the_weight_argument(random_digraph):
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


def test_exact_betweenness_against_igraph_and_networkx(random_digraph):
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


def test_sampled_betweenness_is_networkx_estimate_with_its_standard_error(random_digraph):
    G = random_digraph(50, 0.08, seed=5)
    n, k, seed = len(G), 12, 7
    t = account_table(G, k=k, seed=seed, structural_holes=None)
    assert (t.betweenness_method, t.betweenness_k) == ("sampled", k)
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


def test_betweenness_standard_error_is_calibrated(random_digraph):
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


def test_default_betweenness_samples_above_the_work_limit(monkeypatch, random_digraph):
    import kopiresearch.metrics._centrality as c

    G = random_digraph(60, 0.08, seed=5)
    size = len(G) + G.number_of_edges()
    assert account_table(G, structural_holes=None).betweenness_method == "exact"
    monkeypatch.setattr(c, "EXACT_BETWEENNESS_WORK", 30 * size + 7)
    monkeypatch.setattr(c, "MIN_PIVOTS", 10)
    t = account_table(G, seed=3, structural_holes=None)
    assert (t.betweenness_method, t.betweenness_k) == ("sampled", 30)
    assert (t["betweenness_se"] > 0).any()
    monkeypatch.setattr(c, "MIN_PIVOTS", 40)
    assert account_table(G, seed=3, structural_holes=None).betweenness_k == 40
    # k >= n asks for exact betweenness whatever the limit
    assert account_table(G, k=len(G), structural_holes=None).betweenness_method == "exact"


def test_how_betweenness_was_computed_is_part_of_the_table(random_digraph):
    from kopiresearch.metrics import AccountTable

    G = random_digraph(30, 0.1, seed=2)
    t = account_table(G, k=10, seed=1, structural_holes=None)
    assert isinstance(t, AccountTable)
    assert (t.betweenness_method, t.betweenness_k) == ("sampled", 10)
    # the former spelling still works
    assert t.attrs == {"betweenness_method": "sampled", "betweenness_k": 10}
    assert type(t[t["in_degree"] > 0]) is pd.DataFrame  # derived results are plain
    assert type(t.sort_values("pagerank")) is pd.DataFrame
    plain = account_table(G, betweenness=False, structural_holes=None)
    assert (plain.betweenness_method, plain.betweenness_k) == (None, None)
    assert "betweenness" not in plain.columns and plain.attrs == {}


def test_core_number_matches_networkx_with_mutual_ties(random_digraph):
    for seed in range(3):
        G = random_digraph(70, 0.07, seed=seed)
        G.add_edges_from([(v, u) for u, v in list(G.edges)[::3]])  # mutual ties count twice
        t = account_table(G, betweenness=False, structural_holes=None)
        core = nx.core_number(G)
        assert all(t.loc[v, "core_number"] == core[v] for v in G)


def test_sampled_betweenness_is_seeded(random_digraph):
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
def test_structural_holes_match_networkx_definition(seed, weight, random_digraph):
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
