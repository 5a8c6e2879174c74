"""Tests of Gould-Fernandez brokerage (metrics/_brokerage.py)."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from kopiresearch.errors import KopiresearchError
from kopiresearch.metrics import (
    BROKERAGE_ROLES,
    brokerage,
    brokerage_null,
    brokerage_summary,
)

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
    assert t.index.name == "account_id" and list(t.index) == list(G)  # as account_table
    expected = brute_force_brokerage(G, groups)
    for v in G:
        assert [t.loc[v, r] for r in BROKERAGE_ROLES] == [expected[v][r]
                                                          for r in BROKERAGE_ROLES]


def test_brokerage_permutation_baseline(random_digraph):
    G = random_digraph(30, 0.12, seed=2, weighted=False)
    groups = {v: f"g{v % 3}" for v in G}
    a = brokerage(G, by=groups, n_permutations=5, seed=11)
    b = brokerage(G, by=groups, n_permutations=5, seed=11)
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
    with pytest.raises(KopiresearchError, match="n_permutations"):
        brokerage(G, by="region", n_permutations=-1)


def test_permutation_count_has_one_name_and_the_former_still_works(random_digraph):
    G = random_digraph(30, 0.12, seed=2, weighted=False)
    groups = {n: n % 3 for n in G}
    new = brokerage(G, by=groups, n_permutations=4, seed=3)
    with pytest.warns(DeprecationWarning, match="n_perm is deprecated.*use n_permutations"):
        old = brokerage(G, by=groups, n_perm=4, seed=3)
    pd.testing.assert_frame_equal(old, new)
    assert "expected_liaison" in new
    with pytest.raises(KopiresearchError, match="not both"):
        brokerage(G, by=groups, n_permutations=4, n_perm=4)
    # brokerage_null takes the same name, and the former one with the same warning
    null = brokerage_null(G, by=groups, n_permutations=4, seed=3)
    with pytest.warns(DeprecationWarning, match="n_perm is deprecated"):
        pd.testing.assert_frame_equal(brokerage_null(G, by=groups, n_perm=4, seed=3), null)
    with pytest.raises(KopiresearchError, match="n_permutations must be a positive int"):
        brokerage_null(G, by=groups, n_permutations=0)
