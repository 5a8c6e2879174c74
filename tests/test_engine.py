"""The diffusion engine shared by diffusion, seeding and scale (kopiresearch/_engine.py)."""

import networkx as nx
import numpy as np
import pytest

from kopiresearch._engine import (
    check_options,
    edge_probabilities,
    fire,
    graph_cache,
    prepare,
    queue_seeds,
    with_region_ids,
)
from kopiresearch.errors import DiffusionError


def _graph():
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    nx.set_node_attributes(G, {"a": "3578", "b": "3578", "c": None}, "region_code")
    return G


def test_prepare_is_its_three_steps():
    G = _graph()
    p = check_options(G, model="ic", p=None, probability="uniform", beta=None,
                      direction="flow")
    assert p == 0.1  # the default probability
    cache = graph_cache(G)
    net, key = edge_probabilities(G, cache, model="ic", probability="uniform", p_val=p,
                                  weight="weight", direction="flow")
    net = with_region_ids(G, net, "region_code", cache, key)
    ref = prepare(G, direction="flow")
    assert ref is net  # the same cached arrays
    assert list(net.region_of) == [0, 0, -1] and net.region_codes == ["3578"]
    # flow CSR: a -> b, a -> c, b -> c with probability 0.1 each
    assert list(np.diff(net.indptr)) == [2, 1, 0] and np.allclose(net.prob, 0.1)


def test_region_ids_follow_an_edited_attribute_without_a_new_conversion():
    G = _graph()
    a = prepare(G)
    G.nodes["c"]["region_code"] = "3501"  # in place: NetworkX's cache is not cleared
    b = prepare(G)
    assert b.indptr is a.indptr  # edges not converted again
    assert b.region_codes == ["3501", "3578"] and list(b.region_of) == [1, 1, 0]


@pytest.mark.parametrize("kwargs, match", [
    (dict(model="x"), "model must be one of"),
    (dict(probability="x"), "probability must be one of"),
    (dict(direction="in"), "direction must be"),
    (dict(model="sir", beta=0.1, p=0.2), "takes beta"),
    (dict(beta=0.1), "beta applies to model='sir' only"),
    (dict(p=1.5), "p must be a probability"),
])
def test_check_options_errors(kwargs, match):
    opts = dict(model="ic", p=None, probability="uniform", beta=None, direction="flow")
    with pytest.raises(DiffusionError, match=match):
        check_options(_graph(), **{**opts, **kwargs})


def test_fire_with_probability_one_fires_every_edge_and_draws_nothing():
    indptr = np.array([0, 3], dtype=np.int64)
    indices = np.array([4, 5, 6], dtype=np.int32)
    prob = np.ones(3)
    logq = np.full(3, -np.inf)
    buf = np.empty(3, dtype=np.int32)
    for rowp in (np.array([1.0]), np.array([-1.0])):  # the one-probability shortcut or not
        s, m = fire.py_func(indptr, indices, prob, logq, rowp, np.zeros(1), 0, np.uint64(9),
                            buf)
        assert m == 3 and list(buf) == [4, 5, 6] and s == np.uint64(9)


def test_fire_shortcut_and_general_path_draw_alike():
    # one row of 200 edges with p = 0.3: the shortcut (rowp) and the thinning path take the
    # same geometric skips, so the same stream gives the same targets
    d = 200
    indptr = np.array([0, d], dtype=np.int64)
    indices = np.arange(d, dtype=np.int32)
    prob = np.full(d, 0.3)
    logq = np.log1p(-prob)
    buf = np.empty(d, dtype=np.int32)
    fired = []
    for rowp in (np.array([0.3]), np.array([-1.0])):
        s, m = fire(indptr, indices, prob, logq, rowp, np.log1p(-np.array([0.3])), 0,
                    np.uint64(12345), buf)
        fired.append(buf[:m].copy())
    np.testing.assert_array_equal(fired[0], fired[1])
    assert 40 < fired[0].size < 80  # about d p = 60


def test_queue_seeds_counts_each_seed_once():
    mark = np.zeros(5, dtype=np.int32)
    queue = np.empty(5, dtype=np.int32)
    tail = queue_seeds.py_func(np.array([3, 1, 3], dtype=np.int32), mark, 7, queue)
    assert tail == 2 and list(queue[:2]) == [3, 1] and mark[3] == mark[1] == 7
