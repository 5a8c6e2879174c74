"""IMM's reverse-reachable sets generated on Dask workers give the in-memory selection
(issue 8, "Monte Carlo on a cluster")."""

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import scale
from kopiresearch.diffusion import DiffusionError
from kopiresearch.errors import KopiresearchError
from kopiresearch.seeding import RRGraph, rr_generate, select_seeds


@pytest.fixture(scope="module")
def bundled_graph():
    corpus = kr.load_bundled()
    G = kr.build_interaction_graph(corpus)
    types = corpus.accounts["actor_type"].astype(str)
    offices = sorted(corpus.accounts.index[types.str.startswith("government")])
    influencers = sorted(corpus.accounts.index[types == "influencer"])
    return G, offices, influencers


def assert_same_selection(got, expected):
    assert got.seeds == expected.seeds
    pd.testing.assert_frame_equal(got.table, expected.table)
    assert got.value == expected.value
    assert got.base == expected.base
    assert got.info == expected.info


class InlineClient:
    """Runs tasks in this process and counts what a Dask client would ship."""

    def __init__(self):
        self.scattered = 0
        self.submitted = []

    def scatter(self, data, broadcast, hash):
        assert broadcast and not hash
        self.scattered += 1
        return data

    def submit(self, func, *args, pure):
        assert not isinstance(args[0], np.ndarray)  # the graph is the scattered object
        self.submitted.append(args[1].size)
        return func(*args)

    def gather(self, futures):
        return list(futures)


def test_two_stars_by_hand(client):
    # flow direction, p = 1: h1 reaches itself and 5 leaves, h2 itself and 3 leaves
    G = nx.DiGraph([("h1", i) for i in range(5)] + [("h2", i) for i in range(5, 8)])
    sel = select_seeds(G, 2, "imm", client=client, p=1.0, direction="flow", seed=1,
                       chunk_sets=100)
    assert sel.seeds == ["h1", "h2"]
    assert sel.value == pytest.approx(10.0)
    assert list(sel.table["gain"]) == pytest.approx([6.0, 4.0], abs=0.3)  # RR estimates


CASES = {
    "spread": dict(objective="spread", p=0.05),
    "spread-fixed": dict(objective="spread", p=0.05, fixed="offices",
                         candidates="influencers"),
    "regions": dict(objective="regions", p=0.05, fixed="offices"),
    "region_share-lt": dict(objective="region_share", model="lt", probability="weights"),
    "fair": dict(objective="fair", p=0.05, rr_per_region=300, candidates="influencers"),
    "fair-lt": dict(objective="fair", model="lt", probability="weights", rr_per_region=200),
}


@pytest.mark.parametrize("case", list(CASES))
def test_equal_in_memory(bundled_graph, client, case):
    G, offices, influencers = bundled_graph
    kw = dict(CASES[case])
    for key, value in (("fixed", offices), ("candidates", influencers)):
        if key in kw:
            kw[key] = value
    expected = select_seeds(G, 5, "imm", seed=3, **kw)
    for chunk_sets in (7919, 1_000_000):  # many tasks on both workers; a single task
        got = select_seeds(G, 5, "imm", client=client, seed=3, chunk_sets=chunk_sets, **kw)
        assert_same_selection(got, expected)
    # the equality is not trivial: another seed picks other RR sets
    other = select_seeds(G, 5, "imm", seed=4, **kw)
    assert other.info != expected.info or other.value != expected.value


def test_one_worker_equals_two(bundled_graph, client):
    G, offices, _ = bundled_graph
    kw = dict(objective="regions", p=0.05, fixed=offices, seed=np.random.default_rng(8))
    two = select_seeds(G, 4, "imm", client=client, chunk_sets=500, **kw)
    kw["seed"] = np.random.default_rng(8)
    with scale.dask_client(n_workers=1) as one_client:
        one = select_seeds(G, 4, "imm", client=one_client, chunk_sets=3001, **kw)
    assert_same_selection(one, two)
    assert two.info["rr_sets"] > 3001  # both runs were split into several tasks


def test_graph_scattered_once_and_sets_chunked(bundled_graph):
    G, _, _ = bundled_graph
    fake = InlineClient()
    got = select_seeds(G, 3, "imm", client=fake, p=0.05, eps=0.3, seed=2, chunk_sets=10_000)
    assert_same_selection(got, select_seeds(G, 3, "imm", p=0.05, eps=0.3, seed=2))
    assert fake.scattered == 1
    assert max(fake.submitted) == 10_000
    # every draw of IMM is cut into ceil(count / chunk) tasks, totalling the sets drawn
    assert sum(fake.submitted) >= got.info["rr_sets"]
    assert len(fake.submitted) >= got.info["rr_sets"] // 10_000


def test_rr_sets_do_not_depend_on_chunks():
    # path 0 <- 1 <- 2 <- 3 (reverse CSR: in-neighbours of v are v + 1), every edge live
    n = 4
    rindptr = np.array([0, 1, 2, 3, 3], dtype=np.int64)
    graph = RRGraph(rindptr, np.array([1, 2, 3], dtype=np.int32), np.ones(3), np.zeros(3),
                     False, np.arange(n + 1, dtype=np.int64), np.arange(n, dtype=np.int32))
    groups = np.array([0, 2, 3], dtype=np.int64)
    seeds = np.array([5, 6, 7], dtype=np.uint64)
    flat, lens, _ = rr_generate(graph, groups, seeds)
    assert lens.tolist() == [4, 2, 1]  # a root and everyone upstream of it
    assert flat.tolist() == [0, 1, 2, 3, 2, 3, 3]
    # random case: sets generated in any split are the sets generated at once
    G = nx.gnp_random_graph(300, 0.02, seed=1, directed=True)
    rng = np.random.default_rng(0)
    rindptr = np.zeros(301, dtype=np.int64)
    np.cumsum(np.bincount([v for _, v in G.edges()], minlength=300), out=rindptr[1:])
    src = np.array([u for u, v in sorted(G.edges(), key=lambda e: (e[1], e[0]))],
                   dtype=np.int32)
    prob = np.full(src.size, 0.3)
    graph = RRGraph(rindptr, src, prob, np.log1p(-prob), False,
                     np.arange(301, dtype=np.int64), np.arange(300, dtype=np.int32))
    groups = rng.integers(0, 300, size=2000)
    seeds = rng.integers(0, 2**63 - 1, size=2000, dtype=np.int64).astype(np.uint64)
    flat, lens, _ = rr_generate(graph, groups, seeds)
    parts = [rr_generate(graph, groups[a:b], seeds[a:b], 1.0)
             for a, b in ((0, 1), (1, 777), (777, 2000))]
    np.testing.assert_array_equal(np.concatenate([p[0] for p in parts]), flat)
    np.testing.assert_array_equal(np.concatenate([p[1] for p in parts]), lens)
    assert lens.max() > 1  # the sets do grow


@pytest.mark.parametrize("options, match", [
    (dict(chunk_sets=0), "chunk_sets must be an integer >= 1"),
    (dict(chunk_sets=2.5), "chunk_sets must be an integer >= 1"),
    (dict(method="celf"), "runs IMM only"),
    (dict(epsilon=0.1), "unexpected keyword argument 'epsilon'"),
])
def test_bad_arguments_of_the_deprecated_alias(options, match):
    G = nx.path_graph(5)
    with pytest.raises(KopiresearchError, match=match), pytest.warns(DeprecationWarning):
        scale.select_seeds_distributed(G, 2, client=InlineClient(), **options)


def test_deprecated_alias_gives_the_same_selection():
    G = nx.DiGraph([("h1", i) for i in range(5)] + [("h2", i) for i in range(5, 8)])
    with pytest.warns(DeprecationWarning, match="select_seeds_distributed is deprecated"):
        old = scale.select_seeds_distributed(G, 2, client=InlineClient(), p=0.5, seed=1,
                                             direction="flow", chunk_sets=50)
    assert_same_selection(old, select_seeds(G, 2, "imm", p=0.5, seed=1, direction="flow"))
    with pytest.warns(DeprecationWarning, match="select_seeds_distributed is deprecated"):
        old = scale.select_seeds_distributed(G, 2, client=InlineClient(), p=0.5, seed=1,
                                             direction="flow")  # select_seeds's chunk_sets
    assert_same_selection(old, select_seeds(G, 2, "imm", p=0.5, seed=1, direction="flow"))


def test_client_is_for_imm_only():
    G = nx.path_graph(5)
    with pytest.raises(DiffusionError, match="client= generates IMM's"):
        select_seeds(G, 2, "celf", client=InlineClient(), p=0.1)
    with pytest.raises(DiffusionError, match="chunk_sets must be an integer >= 1"):
        select_seeds(G, 2, "imm", client=InlineClient(), p=0.1, chunk_sets=0)


def test_seeding_errors_pass_through(client):
    G = nx.path_graph(5)
    nx.set_node_attributes(G, {i: "3501" if i < 3 else "3502" for i in G}, "region_code")
    with pytest.raises(DiffusionError, match="k = 9 exceeds"):
        select_seeds(G, 9, "imm", client=client, p=0.1)
    with pytest.raises(DiffusionError, match="IMM needs a submodular objective"):
        select_seeds(G, 2, "imm", client=client, p=0.1, objective="regions", q=3)
