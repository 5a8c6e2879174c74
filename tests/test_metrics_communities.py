"""Tests of communities, stability and partition agreement (metrics/_communities.py)."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import kopiresearch as kr
import kopiresearch.metrics
from kopiresearch.errors import KopiresearchError
from kopiresearch.metrics import (
    adjusted_rand_index,
    communities,
    community_stability,
    normalized_mutual_info,
    partition_agreement,
)

# ---------------------------------------------------------------------------------------
# communities


def test_communities_barbell_and_seed(random_digraph):
    G = nx.barbell_graph(5, 0)
    c = communities(G, seed=3)
    assert c.nunique() == 2 and c[list(range(5))].nunique() == 1
    D = random_digraph(60, 0.05, seed=1)
    pd.testing.assert_series_equal(communities(D, seed=4), communities(D, seed=4))
    c = communities(D, seed=4)
    H = kr.metrics.undirected_weighted(D)
    parts = [set(g.index) for _, g in c.groupby(c)]
    assert c.modularity == pytest.approx(nx.community.modularity(H, parts))
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


def test_modularity_is_part_of_the_partition():
    G = nx.barbell_graph(5, 1)
    c = communities(G, seed=2)
    parts = [set(c.index[c == k]) for k in range(int(c.max()) + 1)]
    assert c.modularity == pytest.approx(nx.community.modularity(G, parts))
    assert c.attrs["modularity"] == c.modularity  # the former spelling still works
    assert type(c[c > 0]) is pd.Series  # derived results are plain Series
