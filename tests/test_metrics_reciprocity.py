"""Tests of reciprocity (metrics/_reciprocity.py)."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from kopiresearch.errors import KopiresearchError
from kopiresearch.metrics import (
    reciprocity,
)

# ---------------------------------------------------------------------------------------
# reciprocity


def test_reciprocity_overall_matches_networkx(random_digraph):
    for seed in range(3):
        G = random_digraph(30, 0.1, seed=seed)
        assert reciprocity(G) == pytest.approx(nx.reciprocity(G))
    assert math.isnan(reciprocity(nx.DiGraph()))


def test_reciprocity_leaves_self_loops_out_where_networkx_counts_them(random_digraph):
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
