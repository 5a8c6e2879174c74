"""Tests of kopiresearch.diffusion: exact live-edge enumeration, NDlib cross-checks, errors."""

import itertools
import math

import networkx as nx
import numba
import numpy as np
import pandas as pd
import pytest

from kopiresearch.diffusion import DiffusionError, simulate

# ----------------------------------------------------------------------------------------
# exact answers by enumerating live-edge worlds


def _bfs_levels(succ, seeds):
    level = {s: 0 for s in seeds}
    frontier = list(dict.fromkeys(seeds))
    while frontier:
        nxt = []
        for u in frontier:
            for v in succ.get(u, ()):
                if v not in level:
                    level[v] = level[u] + 1
                    nxt.append(v)
        frontier = nxt
    return level


def exact_ic(edges, seeds, nodes):
    """edges: list of (u, v, p) in the flow direction. Returns spread, P(active), P(level<=t)."""
    spread, act, by_step = 0.0, dict.fromkeys(nodes, 0.0), {}
    for live in itertools.product([0, 1], repeat=len(edges)):
        pr, succ = 1.0, {}
        for (u, v, p), x in zip(edges, live):
            pr *= p if x else 1 - p
            if x:
                succ.setdefault(u, []).append(v)
        level = _bfs_levels(succ, seeds)
        spread += pr * len(level)
        for v, t in level.items():
            act[v] += pr
            by_step[t] = by_step.get(t, 0.0) + pr
    return spread, act, by_step


def exact_lt(edges, seeds, nodes):
    """Kempe et al.'s live-edge equivalent: each node keeps at most one in-edge, edge (u, v)
    with probability b_uv and none with 1 - sum b."""
    into = {v: [(u, b) for u, w, b in edges if w == v] for v in nodes}
    choices = [[(None, 1 - sum(b for _, b in into[v]))] + into[v] for v in nodes]
    spread, act, by_step = 0.0, dict.fromkeys(nodes, 0.0), {}
    for pick in itertools.product(*choices):
        pr, succ = 1.0, {}
        for v, (u, b) in zip(nodes, pick):
            pr *= b
            if u is not None:
                succ.setdefault(u, []).append(v)
        if pr == 0:
            continue
        level = _bfs_levels(succ, seeds)
        spread += pr * len(level)
        for v, t in level.items():
            act[v] += pr
            by_step[t] = by_step.get(t, 0.0) + pr
    return spread, act, by_step


def _flow_graph(edges, attr="p"):
    G = nx.DiGraph()
    G.add_weighted_edges_from(edges, weight=attr)
    return G


# A diamond with a back edge and a tail: several paths, a cycle, unequal probabilities.
IC_EDGES = [("a", "b", 0.5), ("a", "c", 0.3), ("b", "d", 0.6), ("c", "d", 0.7),
            ("d", "a", 0.4), ("d", "e", 0.2), ("b", "c", 0.9), ("e", "f", 0.5)]
NODES = list("abcdef")


@pytest.mark.parametrize("seeds", [["a"], ["a", "e"], ["c"]])
def test_ic_matches_exact_enumeration(seeds):
    G = _flow_graph(IC_EDGES)
    exp, act, _ = exact_ic(IC_EDGES, seeds, NODES)
    res = simulate(G, seeds, probability="attribute", weight="p", direction="flow",
                   runs=40000, seed=7, progress=False)
    assert abs(res.mean_spread - exp) < 3 * res.std_error
    se_node = np.sqrt(np.array([act[v] * (1 - act[v]) for v in NODES]) / res.runs) + 1e-9
    diff = np.abs(res.activation.reindex(NODES).to_numpy() - [act[v] for v in NODES])
    assert (diff < 4 * se_node + 1e-12).all()


def test_ic_time_steps_match_live_edge_distances():
    G = _flow_graph(IC_EDGES)
    _, _, by_step = exact_ic(IC_EDGES, ["a"], NODES)
    res = simulate(G, ["a"], probability="attribute", weight="p", direction="flow",
                   runs=40000, seed=3, progress=False)
    for t, expected in by_step.items():
        assert res.over_time.loc[t, "new"] == pytest.approx(expected, abs=0.02)
    assert res.over_time["cumulative"].iloc[-1] == pytest.approx(res.mean_spread)


LT_EDGES = [("a", "b", 0.5), ("a", "c", 0.3), ("b", "d", 0.3), ("c", "d", 0.6),
            ("d", "a", 0.4), ("d", "e", 0.8), ("b", "c", 0.7), ("e", "b", 0.2)]


@pytest.mark.parametrize("seeds", [["a"], ["d"], ["a", "e"]])
def test_lt_matches_live_edge_enumeration(seeds):
    nodes = list("abcde")
    G = _flow_graph(LT_EDGES)
    exp, act, by_step = exact_lt(LT_EDGES, seeds, nodes)
    res = simulate(G, seeds, "lt", probability="attribute", weight="p", direction="flow",
                   runs=40000, seed=11, progress=False)
    assert abs(res.mean_spread - exp) < 3 * res.std_error
    for v in nodes:
        assert res.activation[v] == pytest.approx(act[v], abs=0.015)
    for t, expected in by_step.items():  # Kempe et al.: same distribution at every step
        assert res.over_time.loc[t, "new"] == pytest.approx(expected, abs=0.02)


def test_lt_fixed_thresholds_are_deterministic():
    # b = a, c with weight 0.5 each into d; theta_d = 0.6 needs both, theta_d = 0.5 either.
    G = nx.DiGraph([("a", "d"), ("c", "d"), ("d", "e")])
    th = {"a": 0.5, "c": 0.5, "d": 0.6, "e": 1.0}
    res = simulate(G, ["a"], "lt", probability="weighted_cascade", thresholds=th,
                   direction="flow", runs=50, seed=1, progress=False)
    assert set(res.spreads) == {1}
    res = simulate(G, ["a", "c"], "lt", probability="weighted_cascade", thresholds=th,
                   direction="flow", runs=50, seed=1, progress=False)
    assert set(res.spreads) == {4}  # e has weight 1 from d and threshold 1
    th["d"] = 0.5
    res = simulate(G, ["a"], "lt", probability="weighted_cascade", thresholds=th,
                   direction="flow", runs=50, seed=1, progress=False)
    assert set(res.spreads) == {3}


def test_sir_with_gamma_one_is_ic():
    G = _flow_graph(IC_EDGES)
    exp, _, _ = exact_ic([(u, v, 0.35) for u, v, _ in IC_EDGES], ["a"], NODES)
    res = simulate(G, ["a"], "sir", beta=0.35, gamma=1.0, direction="flow", runs=40000,
                   seed=5, progress=False)
    assert abs(res.mean_spread - exp) < 3 * res.std_error


def test_sir_two_node_hand_case():
    # a infects b with prob beta at each step while a is infected; a stays with prob 1-gamma:
    # P(b infected) = sum_t beta (1-beta)^(t-1) (1-gamma)^(t-1) = beta / (1 - (1-beta)(1-gamma))
    beta, gamma = 0.3, 0.4
    G = nx.DiGraph([("a", "b")])
    res = simulate(G, ["a"], "sir", beta=beta, gamma=gamma, direction="flow", runs=40000,
                   seed=0, progress=False)
    expected = 1 + beta / (1 - (1 - beta) * (1 - gamma))
    assert abs(res.mean_spread - expected) < 3 * res.std_error


# ----------------------------------------------------------------------------------------
# edge probabilities and direction


def test_direction_reverses_interaction_edges():
    # "u engaged v": v's content reaches u, not the other way round.
    G = nx.DiGraph([("u", "v")])
    assert simulate(G, ["v"], p=1.0, runs=10, seed=0, progress=False).mean_spread == 2
    assert simulate(G, ["u"], p=1.0, runs=10, seed=0, progress=False).mean_spread == 1
    assert simulate(G, ["u"], p=1.0, direction="flow", runs=10, seed=0,
                    progress=False).mean_spread == 2


def test_undirected_graph_spreads_both_ways():
    G = nx.path_graph(3)
    assert simulate(G, [2], p=1.0, runs=5, seed=0, progress=False).mean_spread == 3


def test_weights_mode_uses_one_minus_one_minus_p_to_the_w():
    G = nx.DiGraph()
    G.add_edge("fan", "office", weight=3)  # three acts of engagement
    res = simulate(G, ["office"], p=0.2, probability="weights", runs=40000, seed=4,
                   progress=False)
    expected = 1 + (1 - 0.8**3)
    assert abs(res.mean_spread - expected) < 3 * res.std_error


def test_weighted_cascade_mode():
    # flow: s1 -> t, s2 -> t, s3 -> t: each edge 1/3; from s1 alone P(t) = 1/3.
    G = nx.DiGraph([("s1", "t"), ("s2", "t"), ("s3", "t")])
    res = simulate(G, ["s1"], probability="weighted_cascade", direction="flow", runs=40000,
                   seed=8, progress=False)
    assert abs(res.mean_spread - 4 / 3) < 3 * res.std_error


def test_geometric_skipping_on_a_star_is_binomial():
    # one hub with 200 out-edges of p = 0.05: spread 1 + 10, variance 200 * .05 * .95
    G = nx.DiGraph([("hub", i) for i in range(200)])
    res = simulate(G, ["hub"], p=0.05, direction="flow", runs=20000, seed=9, progress=False)
    assert abs(res.mean_spread - 11) < 3 * res.std_error
    assert res.spreads.var() == pytest.approx(9.5, rel=0.05)


def test_mixed_probabilities_on_one_account_use_thinning_correctly():
    probs = [0.9, 0.5, 0.5, 0.2, 0.05, 0.05, 0.01, 1.0]
    G = nx.DiGraph()
    for i, pr in enumerate(probs):
        G.add_edge("hub", i, p=pr)
    res = simulate(G, ["hub"], probability="attribute", weight="p", direction="flow",
                   runs=40000, seed=10, progress=False)
    for i, pr in enumerate(probs):
        assert res.activation[i] == pytest.approx(pr, abs=4 * math.sqrt(pr * (1 - pr) / 40000)
                                                  + 1e-12)


# ----------------------------------------------------------------------------------------
# result object


def test_region_reach_hand_case():
    G = nx.DiGraph()
    G.add_nodes_from(["a", "b", "c"], region_code="3578")
    G.add_nodes_from(["x", "y"], region_code="3501")
    G.add_node("z")
    G.add_edges_from([("a", "b"), ("b", "c"), ("a", "x")])  # flow direction, p = 1 below
    res = simulate(G, ["a"], p=1.0, direction="flow", runs=10, seed=0, progress=False)
    reach = res.region_reach
    assert list(reach.index) == ["3501", "3578"]
    assert reach.loc["3578", "share_reached"] == 1.0
    assert reach.loc["3501", "share_reached"] == 0.5
    assert reach.loc["3501", "p_reached"] == 1.0
    res = simulate(G, ["a"], p=1.0, direction="flow", runs=10, seed=0, q=2, progress=False)
    assert res.region_reach.loc["3501", "p_reached"] == 0.0
    res = simulate(G, ["a"], p=1.0, direction="flow", runs=10, seed=0, q=0.5, progress=False)
    assert res.region_reach.loc["3501", "threshold"] == 1
    assert res.region_reach.loc["3578", "threshold"] == 2


def test_max_steps_limits_the_cascade():
    G = nx.DiGraph(nx.path_graph(6, create_using=nx.DiGraph))
    res = simulate(G, [0], p=1.0, direction="flow", max_steps=2, runs=3, seed=0,
                   progress=False)
    assert res.mean_spread == 3
    assert list(res.over_time["cumulative"]) == [1, 2, 3]


def test_confidence_interval_and_repr():
    G = nx.DiGraph([("a", "b")])
    res = simulate(G, ["a"], p=0.5, direction="flow", runs=1000, seed=0, progress=False)
    lo, hi = res.ci
    assert lo < res.mean_spread < hi
    assert hi - lo == pytest.approx(2 * 1.959964 * res.std_error)
    assert "mean_spread=" in repr(res)


def test_tables_built_on_first_read_behave_like_stored_ones():
    import dataclasses
    import pickle

    from kopiresearch.diffusion import SpreadResult

    G = nx.DiGraph([("a", "b"), ("b", "c")])
    G.add_nodes_from(["a", "b"], region_code="3578")
    kw = dict(p=0.5, direction="flow", runs=200, seed=3, progress=False)
    res = simulate(G, ["a"], **kw)
    again = pickle.loads(pickle.dumps(res))  # pickled before any table was built
    assert "activation" not in vars(res)  # deferred until read
    act = res.activation
    assert res.activation is act and "activation" in vars(res)
    assert act.name == "p_active" and list(act.index) == ["a", "b", "c"]
    assert act.index.name == "account_id"  # as in account_table and the accounts table
    assert act["a"] == 1.0 and 0 < act["b"] < 1
    assert res.region_reach.index.name == "region_code" and res.over_time.index.name == "step"
    for name in ("activation", "region_reach", "over_time"):
        assert getattr(again, name).equals(getattr(res, name))
    assert [f.name for f in dataclasses.fields(SpreadResult)] == [
        "model", "seeds", "spreads", "activation", "region_reach", "over_time"]
    stored = SpreadResult(res.model, res.seeds, res.spreads, act, res.region_reach,
                          res.over_time)
    assert stored.activation is act and repr(stored) == repr(res)
    fresh = dataclasses.replace(simulate(G, ["a"], **kw), model="ic")
    assert fresh.over_time.equals(res.over_time)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        res.nonsense  # noqa: B018
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.model = "lt"


def test_same_seed_same_result_any_thread_count():
    G = nx.barabasi_albert_graph(300, 3, seed=1)
    a = simulate(G, [0, 1], p=0.1, runs=500, seed=42, progress=False)
    b = simulate(G, [0, 1], p=0.1, runs=500, seed=np.random.default_rng(42), progress=False)
    old = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        c = simulate(G, [0, 1], p=0.1, runs=500, seed=42, progress=False)
    finally:
        numba.set_num_threads(old)
    assert np.array_equal(a.spreads, b.spreads) and np.array_equal(a.spreads, c.spreads)
    assert a.activation.equals(c.activation)
    d = simulate(G, [0, 1], p=0.1, runs=500, seed=43, progress=False)
    assert not np.array_equal(a.spreads, d.spreads)


def test_input_graph_is_not_modified():
    G = nx.DiGraph([("a", "b")])
    before = nx.to_dict_of_dicts(G)
    simulate(G, ["a"], p=0.3, runs=10, seed=0, progress=False)
    assert nx.to_dict_of_dicts(G) == before


# ----------------------------------------------------------------------------------------
# errors


@pytest.mark.parametrize("kwargs, match", [
    (dict(seeds=None), "seeds are required"),
    (dict(seeds=[]), "at least one"),
    (dict(seeds=["nobody"]), "'nobody' is not a node"),
    (dict(model="sis"), "model must be"),
    (dict(p=1.5), "p must be a probability"),
    (dict(p=-0.1), "p must be a probability"),
    (dict(runs=0), "runs must be"),
    (dict(probability="magic"), "probability must be"),
    (dict(direction="up"), "direction must be"),
    (dict(model="sir", beta=0.1), "gamma is required"),
    (dict(model="sir", gamma=0.1), "beta is required"),
    (dict(model="sir", beta=0.1, gamma=0.0), "gamma = 0"),
    (dict(beta=0.1), "beta applies"),
    (dict(thresholds={"a": 0.1}), "thresholds apply"),
    (dict(probability="attribute", weight="p"), "has no attribute 'p'"),
    (dict(model="lt", p=0.6, direction="flow"), "sum to"),
    (dict(seed="x"), "seed must be"),
    (dict(q=1.5), "q must be"),
])
def test_bad_arguments_raise(kwargs, match):
    G = nx.DiGraph([("a", "c"), ("b", "c")])
    args = {"seeds": ["c"], "runs": 10, "progress": False, **kwargs}
    with pytest.raises(DiffusionError, match=match):
        simulate(G, **args)


def test_lt_threshold_for_every_node_required():
    G = nx.DiGraph([("a", "b")])
    with pytest.raises(DiffusionError, match="node 'b' has no threshold"):
        simulate(G, ["a"], "lt", thresholds={"a": 0.5}, direction="flow", runs=5,
                 progress=False)


def test_errors_are_kopiresearch_errors():
    from kopiresearch.errors import KopiresearchError

    assert issubclass(DiffusionError, KopiresearchError)


# ----------------------------------------------------------------------------------------
# NDlib cross-check (independent implementation)


def _ndlib_mean(G, model_name, seeds, *, edge_p=None, beta=None, gamma=None, runs=300,
                seed=0):
    # NDlib is a test dependency (dev extra): a missing NDlib fails here instead of skipping.
    import ndlib.models.epidemics as ep
    import ndlib.models.ModelConfig as mc

    cfg = mc.Configuration()
    if model_name == "ic":
        model = ep.IndependentCascadesModel(G, seed=seed)
        for u, v in G.edges():  # configure every edge: NDlib falls back to 1/degree
            cfg.add_edge_configuration("threshold", (u, v), edge_p)
    else:
        model = ep.SIRModel(G, seed=seed)
        cfg.add_model_parameter("beta", beta)
        cfg.add_model_parameter("gamma", gamma)
    cfg.add_model_initial_configuration("Infected", list(seeds))
    model.set_initial_status(cfg)
    totals = []
    for _ in range(runs):
        model.reset()
        while True:
            it = model.iteration(node_status=False)
            counts = it["node_count"]
            if it["iteration"] > 0 and counts.get(1, 0) == 0:
                break
        totals.append(G.number_of_nodes() - counts.get(0, 0))
    totals = np.array(totals, dtype=float)
    return totals.mean(), totals.std(ddof=1) / np.sqrt(runs)


def test_ic_agrees_with_ndlib():
    G = nx.gnp_random_graph(40, 0.08, seed=3, directed=True)
    mean, se = _ndlib_mean(G, "ic", [0, 1], edge_p=0.3, runs=400)
    res = simulate(G, [0, 1], p=0.3, direction="flow", runs=20000, seed=1, progress=False)
    assert abs(res.mean_spread - mean) < 3 * math.hypot(se, res.std_error)


def test_sir_agrees_with_ndlib():
    G = nx.gnp_random_graph(40, 0.08, seed=4, directed=True)
    mean, se = _ndlib_mean(G, "sir", [0, 1], beta=0.15, gamma=0.3, runs=400)
    res = simulate(G, [0, 1], "sir", beta=0.15, gamma=0.3, direction="flow", runs=20000,
                   seed=1, progress=False)
    assert abs(res.mean_spread - mean) < 3 * math.hypot(se, res.std_error)


# ----------------------------------------------------------------------------------------
# calibration from observed interactions


def test_calibrated_graph_is_the_share_of_posts_passed_on():
    import kopiresearch as kr
    from kopiresearch.diffusion import calibrated_graph

    corpus = kr.load_bundled()
    G = calibrated_graph(corpus)
    inter = corpus.interactions
    acts = inter[inter["kind"].isin(["repost", "quote"])].astype({"source_id": object,
                                                                   "target_id": object})
    passed = acts.groupby(["source_id", "target_id"]).size()
    posts = corpus.posts
    authored = posts[posts["kind"].isin(["original", "repost", "quote"])]["author_id"]
    authored = authored.astype(object).value_counts()
    assert G.number_of_edges() == len(passed)
    for (u, v), a in passed.sample(200, random_state=1).items():
        assert G[u][v]["p"] == pytest.approx(a / max(authored.get(v, 0), a))
    # an account's content reaches those who reposted it: simulate on the calibrated graph
    u, v = passed.idxmax()
    res = simulate(G, [v], probability="attribute", weight="p", runs=2000, seed=0,
                   progress=False)
    assert res.activation[u] >= G[u][v]["p"] - 0.05


# ---------------------------------------------------------------------------------------
# the per-graph cache of the CSR conversion


def _same_as_fresh(G, seeds, **kw):
    """simulate on G (cache in use) equals simulate on a fresh copy of G (no cache)."""
    a = simulate(G, seeds, runs=300, seed=5, progress=False, **kw)
    b = simulate(G.copy(), seeds, runs=300, seed=5, progress=False, **kw)
    np.testing.assert_array_equal(a.spreads, b.spreads)
    pd.testing.assert_frame_equal(a.region_reach, b.region_reach)
    return a


def _cache_graph():
    G = nx.DiGraph()
    for i, code in enumerate(["3506", "3506", "3571", "3578", None]):
        G.add_node(i, region_code=code)
    G.add_edges_from([(1, 0, {"p": 0.5, "weight": 2}), (2, 1, {"p": 0.5, "weight": 1}),
                      (3, 2, {"p": 0.2, "weight": 3})])
    return G


def test_conversion_is_cached_per_graph_and_key():
    from kopiresearch._engine import prepare as _prepare

    G = _cache_graph()
    a = _prepare(G, p=0.3)
    assert _prepare(G, p=0.3) is a  # the second call pays no conversion
    assert _prepare(G, p=0.4) is not a
    assert _prepare(G.copy(), p=0.3) is not a  # a copy has its own cache
    b = _prepare(G, probability="attribute", weight="p")
    assert _prepare(G, probability="attribute", weight="p") is b


@pytest.mark.parametrize("change", ["add_edge", "remove_edge", "remove_node", "edit_attr",
                                    "set_edge_attributes", "edit_weight", "edit_region",
                                    "add_node"])
def test_a_changed_graph_is_never_served_stale_arrays(change):
    G = _cache_graph()
    kw = {"probability": "attribute", "weight": "p"}
    if change == "edit_weight":
        kw = {"probability": "weights", "weight": "weight", "p": 0.3}
    before = _same_as_fresh(G, [0], **kw)
    if change == "add_edge":
        G.add_edge(4, 0, p=1.0, weight=5)
    elif change == "remove_edge":
        G.remove_edge(1, 0)
    elif change == "remove_node":
        G.remove_node(2)
    elif change == "edit_attr":
        G.edges[1, 0]["p"] = 1.0  # in place: NetworkX's cache is not told
    elif change == "set_edge_attributes":
        nx.set_edge_attributes(G, {(2, 1): 1.0}, "p")
    elif change == "edit_weight":
        G[1][0]["weight"] = 40  # in place
    elif change == "edit_region":
        G.nodes[1]["region_code"] = "3571"  # in place
    elif change == "add_node":
        G.add_node(9, region_code="3506")
    after = _same_as_fresh(G, [0], **kw)
    assert not (np.array_equal(before.spreads, after.spreads)
                and before.region_reach.equals(after.region_reach))


def test_views_follow_the_graph_under_them():
    G = _cache_graph()
    H = G.subgraph([0, 1, 2])
    before = simulate(H, [0], probability="attribute", weight="p", runs=300, seed=5,
                      progress=False)
    G.add_edge(2, 0, p=1.0)
    after = simulate(H, [0], probability="attribute", weight="p", runs=300, seed=5,
                     progress=False)
    assert after.mean_spread > before.mean_spread
    assert after.activation[2] == 1.0


def test_region_reach_counts_the_regions_the_seeding_objective_counts():
    # province-wide ("35") and "unknown" accounts are in no row, as in select_seeds' objectives
    G = nx.DiGraph()
    G.add_nodes_from(["a", "b"], region_code="3578")
    G.add_node("p", region_code="35")
    G.add_node("u", region_code="unknown")
    G.add_edges_from([("a", "p"), ("p", "u"), ("a", "b")])
    res = simulate(G, ["a"], p=1.0, direction="flow", runs=5, seed=0, progress=False)
    assert list(res.region_reach.index) == ["3578"]
    assert res.mean_spread == 4  # the accounts still spread and count in the spread
    from kopiresearch.seeding import evaluate_seeds

    t = evaluate_seeds(G, {"a": ["a"]}, baseline=None, p=1.0, direction="flow", runs=5,
                       seed=0)
    assert t.loc["a", "regions"] == res.region_reach["p_reached"].sum()
    # regions= names the rows, as in select_seeds
    both = simulate(G, ["a"], p=1.0, direction="flow", runs=5, seed=0, regions=["35", "3578"],
                    progress=False)
    assert list(both.region_reach.index) == ["35", "3578"]
    assert both.region_reach.loc["35", "share_reached"] == 1.0
    with pytest.raises(DiffusionError, match="'3501' has no account"):
        simulate(G, ["a"], p=1.0, runs=5, seed=0, regions=["3501"], progress=False)
