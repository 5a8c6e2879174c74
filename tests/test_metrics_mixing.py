"""Tests of mixing: assortativity, E-I index, actor groups (metrics/_mixing.py, _common.py)."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import kopiresearch as kr
import kopiresearch.metrics
from kopiresearch.metrics import (
    actor_groups,
    adjusted_nominal_assortativity,
    ei_index,
    mixing_matrix,
    nominal_assortativity,
)

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
    shares = mixing_matrix(G, "g", normalize=True)
    np.testing.assert_allclose(shares.to_numpy(), ref / ref.sum())
    with pytest.warns(DeprecationWarning, match="normalized is deprecated.*use normalize"):
        former = mixing_matrix(G, "g", normalized=True)  # NetworkX's spelling, for a release
    pd.testing.assert_frame_equal(former, shares)


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
