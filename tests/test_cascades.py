"""Tests of kopiresearch.cascades: hand-made cascades, NetworkX cross-checks, bundled data."""

import itertools

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch.cascades import (
    CascadeError,
    amplification_by_period,
    cascade_table,
    coverage_curve,
    flow_locality,
    parent_accuracy,
    reach_by_region,
    reconstruct_cascades,
    region_flows,
    region_reach,
    size_matched_comparison,
    structural_virality,
    time_to_region,
)
from kopiresearch.errors import KopiresearchError
from kopiresearch.synth import load_cascade_truth, load_follows, load_ground_truth

T0 = pd.Timestamp("2024-11-01T00:00:00Z")


def make_corpus(accounts, posts, interactions=None):
    """accounts: (id, actor_type, region, partnered); posts: (id, author, hours, kind, parent);
    interactions: (source, target, hours)."""
    acc = pd.DataFrame(accounts, columns=["account_id", "actor_type", "region_code", "partnered"])
    acc["platform"] = "synthetic"
    acc["handle"] = acc["account_id"].str.replace("x:", "")
    p = pd.DataFrame(posts, columns=["post_id", "author_id", "h", "kind", "parent_post_id"])
    p["created_at"] = T0 + pd.to_timedelta(p.pop("h"), unit="h")
    p["platform"] = "synthetic"
    inter = None
    if interactions:
        inter = pd.DataFrame(interactions, columns=["source_id", "target_id", "h"])
        inter["created_at"] = T0 + pd.to_timedelta(inter.pop("h"), unit="h")
        inter["kind"] = "mention"
        inter["post_id"] = None
    return kr.Corpus.from_frames(acc, p, inter)


def follows_frame(pairs):
    return pd.DataFrame(pairs, columns=["follower_id", "followee_id"])


# ---------------------------------------------------------------------------------------
# structural virality


@pytest.mark.parametrize("n", [2, 3, 5, 10, 57])
def test_structural_virality_star(n):
    assert structural_virality(nx.star_graph(n - 1)) == pytest.approx(2 * (n - 1) / n)


@pytest.mark.parametrize("n", [2, 3, 5, 10, 57])
def test_structural_virality_path(n):
    assert structural_virality(nx.path_graph(n)) == pytest.approx((n + 1) / 3)


@pytest.mark.parametrize("seed", range(8))
def test_structural_virality_matches_wiener_index(seed):
    n = 5 + 11 * seed
    T = nx.random_labeled_tree(n, seed=seed)
    expected = nx.wiener_index(T) / (n * (n - 1) / 2)
    assert structural_virality(T) == pytest.approx(expected)
    # direction is ignored: orient away from node 0
    assert structural_virality(nx.bfs_tree(T, 0)) == pytest.approx(expected)


def test_structural_virality_single_node_and_errors():
    G = nx.Graph()
    G.add_node("a")
    assert np.isnan(structural_virality(G))
    with pytest.raises(CascadeError, match="empty"):
        structural_virality(nx.Graph())
    with pytest.raises(CascadeError, match="not a tree"):
        structural_virality(nx.cycle_graph(4))
    with pytest.raises(KopiresearchError):
        structural_virality([(0, 1)])


# ---------------------------------------------------------------------------------------
# hand-made cascade with named parents (quotes): shape, time and regions

ACC = [
    ("x:g", "government_regency", "3578", False),   # Surabaya, III Malang
    ("x:i", "influencer", "3506", True),            # Kab. Kediri, I Madiun
    ("x:j", "influencer", "3506", False),
    ("x:s", "citizen", "3526", False),              # Bangkalan, IV Pamekasan
    ("x:t", "citizen", "3578", False),
    ("x:u", "citizen", None, False),
    ("x:p", "media", "35", False),                  # province-wide
]


def quote_tree_corpus():
    # r -> a -> b -> d ; r -> c ; a -> e   (all named by quotes)
    posts = [
        ("x:r", "x:g", 0, "original", None),
        ("x:a", "x:i", 1, "quote", "x:r"),
        ("x:c", "x:p", 2, "quote", "x:r"),
        ("x:b", "x:s", 3, "quote", "x:a"),
        ("x:e", "x:t", 4, "quote", "x:a"),
        ("x:d", "x:u", 5, "quote", "x:b"),
        ("x:z", "x:u", 6, "original", None),  # never adopted: no cascade
    ]
    return make_corpus(ACC, posts)


def test_hand_cascade_measures():
    cas = reconstruct_cascades(quote_tree_corpus())
    assert len(cas) == 1
    t = cascade_table(cas, sizes=(1, 3, 6, 7))
    row = t.loc["x:r"]
    assert row["size"] == 6
    assert row["depth"] == 3
    assert row["max_breadth"] == 2  # level 1: a, c; level 2: b, e
    # distances in the undirected tree r-a, r-c, a-b, a-e, b-d: Wiener index by hand
    W = 1 + 1 + 2 + 2 + 3 + 2 + 1 + 1 + 2 + 3 + 3 + 4 + 2 + 1 + 3
    assert row["structural_virality"] == pytest.approx(W / 15)
    assert row["hours_to_size_1"] == 0
    assert row["hours_to_size_3"] == 2
    assert row["hours_to_size_6"] == 5
    assert np.isnan(row["hours_to_size_7"])
    assert row["regions_reached"] == 3  # 3578, 3506, 3526 (province and unknown excluded)
    assert row["bakorwil_reached"] == 3
    # edges with both regions known: r-a (cross), a-b (cross), a-e (cross) -> 3/3;
    # r-c (province) and b-d (unknown) are left out
    assert row["cross_region_share"] == pytest.approx(1.0)
    # through an influencer (a, partnered): b, e, d -> 3 of 5 adopters
    assert row["n_through_influencer"] == 3
    assert row["n_through_partnered"] == 3
    assert row["amplification_share"] == pytest.approx(3 / 5)
    assert (cas.nodes["parent_source"].astype(str).tolist()
            == ["root", "named", "named", "named", "named", "named"])
    assert cas.nodes["depth"].tolist() == [0, 1, 1, 2, 2, 3]


def test_time_to_region_and_coverage_by_hand():
    cas = reconstruct_cascades(quote_tree_corpus())
    ttr = time_to_region(cas)
    assert ttr["region_code"].tolist() == ["3578", "3506", "3526"]
    assert ttr["hours"].tolist() == [0.0, 1.0, 3.0]
    assert ttr["bakorwil"].tolist() == ["III Malang", "I Madiun", "IV Pamekasan"]
    cov = coverage_curve(cas, [0, 0.5, 1, 2.9, 3, 100])
    assert cov.loc["x:r"].tolist() == pytest.approx(np.array([1, 1, 2, 2, 3, 3]) / 38)
    with pytest.raises(CascadeError):
        coverage_curve(cas, [3, 1])


def test_tree_matches_table_and_networkx():
    cas = reconstruct_cascades(quote_tree_corpus())
    T = cas.tree("x:r")
    assert nx.is_arborescence(T)
    assert sorted(T.edges()) == sorted([("x:r", "x:a"), ("x:r", "x:c"), ("x:a", "x:b"),
                                        ("x:a", "x:e"), ("x:b", "x:d")])
    assert T.nodes["x:b"]["actor_type"] == "citizen"
    t = cascade_table(cas)
    assert structural_virality(T) == pytest.approx(t.loc["x:r", "structural_virality"])
    with pytest.raises(CascadeError, match="roots no cascade"):
        cas.tree("x:z")


def test_region_flows_by_hand():
    cas = reconstruct_cascades(quote_tree_corpus())
    raw = region_flows(cas, normalize=None)
    assert raw.shape == (38, 38)
    assert raw.loc["3578", "3506"] == 1 and raw.loc["3506", "3526"] == 1
    assert raw.loc["3506", "3578"] == 1
    assert raw.to_numpy().sum() == 3
    # ordered by Bakorwil: the first row is a Bakorwil I Madiun region, the last Bakorwil V
    bak = kr.regions.region_table()["bakorwil"]
    assert bak[raw.index[0]] == "I Madiun" and bak[raw.index[-1]] == "V Jember"
    # active accounts: 3506 has one (x:i), 3578 two (x:g, x:t)
    src = region_flows(cas, normalize="source")
    assert src.loc["3578", "3506"] == pytest.approx(1 / 2)
    assert src.loc["3506", "3526"] == pytest.approx(1 / 1)
    both = region_flows(cas, normalize="both")
    assert both.loc["3506", "3578"] == pytest.approx(1 / (1 * 2))
    b = region_flows(cas, level="bakorwil", normalize=None)
    assert list(b.index) == list(kr.regions.BAKORWIL)
    assert b.loc["III Malang", "I Madiun"] == 1 and b.loc["I Madiun", "III Malang"] == 1
    with pytest.raises(CascadeError, match="level"):
        region_flows(cas, level="province")
    with pytest.raises(CascadeError, match="normalize"):
        region_flows(cas, normalize="rows")


def test_region_flows_carry_their_normalisation():
    from kopiresearch.cascades import RegionFlows

    cas = reconstruct_cascades(quote_tree_corpus())
    for how in ("source", "target", "both", None):
        f = region_flows(cas, normalize=how)
        assert isinstance(f, RegionFlows) and f.normalize == how
        assert f.attrs["normalize"] == how  # the former spelling still works
    assert type(f.loc[["3578"], ["3506"]]) is pd.DataFrame  # derived results are plain


# ---------------------------------------------------------------------------------------
# parent inference on a hand-made sequence of adopters


def retweet_corpus():
    acc = [(f"x:{k}", "citizen", "3578", False) for k in "gABCDEF"]
    posts = [
        ("x:p0", "x:g", 0, "original", None),
        ("x:p1", "x:A", 1, "repost", "x:p0"),
        ("x:p2", "x:B", 2, "repost", "x:p0"),
        ("x:p3", "x:C", 3, "repost", "x:p0"),
        ("x:p4", "x:D", 4, "repost", "x:p0"),
        ("x:p5", "x:E", 5, "repost", "x:p0"),  # E and F at the same time:
        ("x:p6", "x:F", 5, "repost", "x:p0"),  # p5 < p6, so E counts as earlier than F
    ]
    inter = [("x:D", "x:A", 0.5),  # D acted on A before adopting
             ("x:D", "x:C", 4.5),  # ... and on C only after: not evidence
             ("x:B", "x:g", 0.1)]
    return make_corpus(acc, posts, inter)


FOLLOWS = follows_frame([
    ("x:A", "x:g"),
    ("x:B", "x:g"), ("x:B", "x:A"),   # most recent earlier followee is A
    # C follows nobody -> root fallback
    ("x:D", "x:A"), ("x:D", "x:B"),   # B (t=2) is more recent than A (t=1)
    ("x:E", "x:F"),                   # F is not earlier than E -> fallback
    ("x:F", "x:E"), ("x:F", "x:A"),   # E wins the tie as the more recent
    ("x:F", "x:nobody"),              # unknown accounts are ignored
])


def parents(cas):
    n = cas.nodes.set_index("post_id")
    return n["parent_post_id"].to_dict(), n["parent_source"].astype(str).to_dict()


def test_inference_follows_by_hand():
    cas = reconstruct_cascades(retweet_corpus(), follows=FOLLOWS)
    par, src = parents(cas)
    assert pd.isna(par.pop("x:p0"))
    assert par == {"x:p1": "x:p0", "x:p2": "x:p1", "x:p3": "x:p0", "x:p4": "x:p2",
                   "x:p5": "x:p0", "x:p6": "x:p5"}
    assert src["x:p1"] == "inferred" and src["x:p3"] == "root_fallback"
    assert src["x:p5"] == "root_fallback" and src["x:p6"] == "inferred"
    assert cas.nodes["depth"].tolist() == [0, 1, 2, 1, 3, 1, 2]


def test_inference_interactions_by_hand():
    cas = reconstruct_cascades(retweet_corpus(), method="interactions")
    par, src = parents(cas)
    assert par["x:p4"] == "x:p1"     # D acted on A at 0.5 h; C only after adopting
    assert par["x:p2"] == "x:p0" and src["x:p2"] == "inferred"  # B acted on the root author
    assert src["x:p3"] == "root_fallback"


def test_inference_both_and_root():
    both = parents(reconstruct_cascades(retweet_corpus(), method="both", follows=FOLLOWS))[0]
    assert both["x:p4"] == "x:p2"  # B via follows is more recent than A via interactions
    par, src = parents(reconstruct_cascades(retweet_corpus(), method="root"))
    assert all(par[f"x:p{i}"] == "x:p0" for i in range(1, 7))
    assert all(src[f"x:p{i}"] == "root_fallback" for i in range(1, 7))


def test_reconstruction_does_not_depend_on_row_order():
    c = retweet_corpus()
    shuffled = kr.Corpus.from_frames(c.accounts.iloc[::-1], c.posts.iloc[[3, 6, 0, 5, 1, 4, 2]],
                                     c.interactions.iloc[::-1])
    a = reconstruct_cascades(c, follows=FOLLOWS).nodes
    b = reconstruct_cascades(shuffled, follows=FOLLOWS.iloc[::-1]).nodes
    pd.testing.assert_frame_equal(a, b)


def test_unresolved_and_root_types():
    posts = [("x:r", "x:g", 0, "original", None), ("x:a", "x:i", 1, "repost", "x:r"),
             ("x:q", "x:s", 2, "quote", "x:gone")]
    c = make_corpus(ACC, posts)
    cas = reconstruct_cascades(c)
    assert cas.n_unresolved == 1 and len(cas) == 1
    assert len(reconstruct_cascades(c, root_types=["influencer"])) == 0
    assert len(reconstruct_cascades(c, root_types=kr.GOVERNMENT_TYPES)) == 1
    assert len(cascade_table(reconstruct_cascades(c, root_types=["influencer"]))) == 0


def test_reply_chains_optional():
    posts = [("x:r", "x:g", 0, "original", None), ("x:a", "x:i", 1, "reply", "x:r"),
             ("x:b", "x:s", 2, "reply", "x:a")]
    c = make_corpus(ACC, posts)
    assert len(reconstruct_cascades(c)) == 0
    cas = reconstruct_cascades(c, post_kinds=["repost", "quote", "reply"])
    assert cascade_table(cas).loc["x:r", "depth"] == 2


@pytest.mark.parametrize("kwargs, match", [
    ({"method": "magic"}, "method"),
    ({"method": "follows"}, "follows"),
    ({"follows": pd.DataFrame({"a": ["x"]})}, "follower_id"),
    ({"post_kinds": ["original"]}, "post_kinds"),
])
def test_bad_arguments(kwargs, match):
    with pytest.raises(CascadeError, match=match):
        reconstruct_cascades(retweet_corpus(), **kwargs)


def test_cycle_is_an_error():
    posts = [("x:a", "x:i", 1, "quote", "x:b"), ("x:b", "x:s", 2, "quote", "x:a")]
    with pytest.raises(CascadeError, match="cycle"):
        reconstruct_cascades(make_corpus(ACC, posts))


# ---------------------------------------------------------------------------------------
# size-matched comparison


def test_size_matched_by_hand_and_seeded():
    t = pd.DataFrame({"size": [2, 2, 2, 2, 8, 8], "depth": [1, 1, 1, 1, 5, 3]})
    g = np.array([True, False, True, False, True, False])
    r = size_matched_comparison(t, g, measures=["depth"], n_permutations=50, seed=3)
    # stratum size 2: 1 - 1 = 0 (weight 4/6); size 8: 5 - 3 = 2 (weight 2/6)
    assert r.loc["depth", "difference"] == pytest.approx(0 * 4 / 6 + 2 * 2 / 6)
    assert r.loc["depth", "raw_difference"] == pytest.approx(7 / 3 - 5 / 3)
    assert r.loc["depth", "strata"] == 2
    again = size_matched_comparison(t, g, measures=["depth"], n_permutations=50, seed=3)
    pd.testing.assert_frame_equal(r, again)


def test_size_matched_refuses_a_bad_seed_as_cascade_error():
    t = pd.DataFrame({"size": [2, 2], "depth": [1, 2]})
    with pytest.raises(CascadeError, match="seed must be"):
        size_matched_comparison(t, np.array([True, False]), measures=["depth"], seed="x")


def test_size_matching_removes_a_size_confound():
    rng = np.random.default_rng(0)
    size = np.r_[rng.integers(2, 9, 400), rng.integers(50, 200, 400)]
    depth = np.log2(size) + rng.normal(0, 0.3, len(size))
    g = np.r_[rng.random(400) < 0.2, rng.random(400) < 0.8]  # A is mostly big cascades
    t = pd.DataFrame({"size": size, "depth": depth})
    r = size_matched_comparison(t, g, measures=["depth"], bins=[2, 9, 50, 200, 1000],
                                n_permutations=300, seed=1)
    assert r.loc["depth", "raw_difference"] > 2
    assert abs(r.loc["depth", "difference"]) < 0.3
    # a true shift within size is found
    t2 = t.assign(depth=depth + np.where(g, 1.0, 0.0))
    r2 = size_matched_comparison(t2, g, measures=["depth"], bins=[2, 9, 50, 200, 1000],
                                 n_permutations=300, seed=1)
    assert r2.loc["depth", "difference"] == pytest.approx(1.0, abs=0.15)
    assert r2.loc["depth", "p_value"] < 0.01
    assert r.loc["depth", "p_value"] > r2.loc["depth", "p_value"]


def test_size_matched_errors():
    t = pd.DataFrame({"size": [2, 3], "depth": [1, 2]})
    with pytest.raises(CascadeError, match="boolean"):
        size_matched_comparison(t, [1, 0])
    with pytest.raises(CascadeError, match="measures"):
        size_matched_comparison(t, np.array([True, False]), measures=["width"])
    with pytest.raises(CascadeError, match="bins"):
        size_matched_comparison(t, np.array([True, False]), measures=["depth"], bins="log10")


# ---------------------------------------------------------------------------------------
# bundled data: inference quality, NetworkX cross-check, Kopilaborasi recovery


@pytest.fixture(scope="module")
def bundled_cascades():
    corpus = kr.load_bundled()
    return corpus, reconstruct_cascades(corpus, follows=load_follows())


def test_follows_inference_beats_root(bundled_cascades):
    corpus, cas = bundled_cascades
    truth = load_cascade_truth()
    star = parent_accuracy(reconstruct_cascades(corpus, method="root"), truth)
    ours = parent_accuracy(cas, truth)
    assert ours.loc["all", "n"] == len(truth)
    assert ours.loc["named", "accuracy"] == 1.0
    assert ours.loc["all", "accuracy"] > star.loc["all", "accuracy"] + 0.1


def test_table_matches_networkx_on_bundled(bundled_cascades):
    _, cas = bundled_cascades
    t = cascade_table(cas)
    assert (t["size"] - 1).sum() == len(load_cascade_truth())
    picks = list(t.sort_values("size").index[-5:]) + list(t.index[:5])
    for root in picks:
        T = cas.tree(root)
        d = nx.single_source_shortest_path_length(T, root)
        assert t.loc[root, "size"] == T.number_of_nodes()
        assert t.loc[root, "depth"] == max(d.values())
        assert t.loc[root, "max_breadth"] == max(np.bincount(list(d.values())))
        n = T.number_of_nodes()
        sv = nx.wiener_index(T.to_undirected()) / (n * (n - 1) / 2)
        assert t.loc[root, "structural_virality"] == pytest.approx(sv)
        through = sum(any(T.nodes[u]["actor_type"] == "influencer" for u in
                          nx.shortest_path(T, root, v)[1:-1]) for v in T if v != root)
        assert t.loc[root, "n_through_influencer"] == through


def test_kopilaborasi_amplification_recovered(bundled_cascades):
    _, cas = bundled_cascades
    gt = load_ground_truth()["kopilaborasi"]
    amp = amplification_by_period(cascade_table(cas), gt["time"])
    before = amp.loc["before", "share_through_partnered"]
    after = amp.loc["after", "share_through_partnered"]
    true_before = gt["realized_share_through_partnered_before"]
    true_after = gt["realized_share_through_partnered_after"]
    assert amp.loc["before", "cascades"] == gt["government_cascades_before"]
    assert amp.loc["after", "cascades"] == gt["government_cascades_after"]
    assert np.sign(after - before) == np.sign(true_after - true_before)
    assert before == pytest.approx(true_before, abs=0.08)
    assert after == pytest.approx(true_after, abs=0.08)
    assert after - before == pytest.approx(true_after - true_before, abs=0.08)


def test_coverage_curve_is_monotone_and_ends_at_regions_reached(bundled_cascades):
    _, cas = bundled_cascades
    t = cascade_table(cas)
    cov = coverage_curve(cas, [0, 1, 24, 1e6])
    assert (np.diff(cov.to_numpy(), axis=1) >= 0).all()
    np.testing.assert_allclose(cov[1e6].to_numpy(), t["regions_reached"].to_numpy() / 38)
    ttr = time_to_region(cas)
    assert (ttr.groupby("root_post_id").size().reindex(t.index, fill_value=0)
            == t["regions_reached"]).all()
    assert (ttr["hours"] >= 0).all()


def test_permutation_p_values_are_valid_under_the_null():
    # random labels: p-values should not pile up near zero
    rng = np.random.default_rng(5)
    t = pd.DataFrame({"size": rng.integers(2, 40, 300)})
    t["depth"] = np.log2(t["size"]) + rng.normal(0, 1, 300)
    ps = [size_matched_comparison(t, rng.random(300) < 0.5, measures=["depth"],
                                  n_permutations=99, seed=s).loc["depth", "p_value"]
          for s in range(20)]
    assert np.mean(np.array(ps) < 0.05) <= 0.2


def test_permutation_p_value_equals_the_hand_worked_one():
    # one stratum of four cascades of size 2, depths 1, 1, 3, 3; group A holds the two of
    # depth 3, so D = 3 - 1 = 2. Of the C(4, 2) = 6 equally likely relabellings, two give
    # |D| >= 2 (A = both 3s, or both 1s): the two-sided p-value is 2/6 = 1/3, estimated as
    # (1 + #{|D_pi| >= |D|}) / (1 + n) with n = 4000 permutations (sd about 0.0075).
    t = pd.DataFrame({"size": [2, 2, 2, 2], "depth": [1.0, 1.0, 3.0, 3.0]})
    r = size_matched_comparison(t, np.array([False, False, True, True]), measures=["depth"],
                                n_permutations=4000, seed=3).loc["depth"]
    assert r["difference"] == 2.0
    assert abs(r["p_value"] - 1 / 3) < 0.03
    # a one-cascade-per-group stratum: D is +-2 under both labellings, so p = 1 exactly
    t2 = pd.DataFrame({"size": [2, 2], "depth": [1.0, 3.0]})
    r2 = size_matched_comparison(t2, np.array([False, True]), measures=["depth"],
                                 n_permutations=50, seed=3).loc["depth"]
    assert r2["p_value"] == 1.0


def test_permutation_chunks_do_not_change_the_answer():
    rng = np.random.default_rng(2)
    t = pd.DataFrame({"size": rng.integers(2, 20, 50), "depth": rng.random(50)})
    g = rng.random(50) < 0.5
    a = size_matched_comparison(t, g, measures=["depth"], n_permutations=7, seed=9)
    b = size_matched_comparison(t, pd.Series(g), measures=["depth"], n_permutations=7,
                                seed=np.random.default_rng(9))
    pd.testing.assert_frame_equal(a, b)


def test_all_pairs_structural_virality_of_a_small_tree_by_brute_force():
    T = nx.balanced_tree(2, 3)
    d = dict(nx.all_pairs_shortest_path_length(T))
    pairs = list(itertools.combinations(T, 2))
    assert structural_virality(T) == pytest.approx(np.mean([d[u][v] for u, v in pairs]))


def test_region_reach_counts_cascades_not_posts():
    from kopiresearch.cascades import region_reach

    ttr = pd.DataFrame({"root_post_id": ["a", "a", "b", "c"],
                        "region_code": ["3578", "3506", "3578", "3526"],
                        "hours": [0.0, 2.0, 4.0, 1.0]})
    t = region_reach(ttr, roots=["a", "b", "d"])  # d reached no region; c is not counted
    assert len(t) == 38 and t.index.name == "region_code"  # the column name of ttr
    assert t.loc["3578", "cascades_reached"] == 2
    assert t.loc["3578", "share_reached"] == pytest.approx(2 / 3)
    assert t.loc["3578", "median_hours"] == pytest.approx(2.0)
    assert t.loc["3506", "share_reached"] == pytest.approx(1 / 3)
    assert t.loc["3526", "cascades_reached"] == 0 and np.isnan(t.loc["3526", "median_hours"])
    assert t.loc["3578", "rank"] == 1 and t.loc["3506", "rank"] == 2
    assert t.loc["3526", "rank"] == 3  # every unreached region shares the rank after 3506
    assert bool(t.loc["3578", "is_kota"]) and not bool(t.loc["3506", "is_kota"])
    assert int(t["is_kota"].sum()) == 9


def test_post_kinds_is_the_name_and_kinds_still_works_with_a_warning():
    c = kr.load_bundled()
    new = reconstruct_cascades(c, post_kinds=["repost"])
    with pytest.warns(DeprecationWarning, match="kinds is deprecated.*use post_kinds"):
        old = reconstruct_cascades(c, kinds=["repost"])
    pd.testing.assert_frame_equal(new.nodes, old.nodes)
    with pytest.raises(KopiresearchError, match="not both"):
        reconstruct_cascades(c, post_kinds=["repost"], kinds=["quote"])
    assert len(new.nodes) < len(reconstruct_cascades(c).nodes)  # quotes left out


# ---------------------------------------------------------------------------------------
# reach_by_region and flow_locality (the per-region summaries of notebook 03)


def region_corpus():
    """c1: r1 (Surabaya gov) -> a (Kab. Kediri, 1 h) and -> s (Surabaya, 2 h);
    c2: r2 (Kab. Kediri) -> p (province-wide, 1 h); c3: r3 and its adopter have no region."""
    accounts = [("x:g", "government_regency", "3578", False),
                ("x:a", "influencer", "3506", True),
                ("x:s", "citizen", "3578", False),
                ("x:k", "citizen", "3506", False),
                ("x:p", "media", "35", False),
                ("x:u", "citizen", None, False),
                ("x:v", "citizen", None, False)]
    posts = [("x:r1", "x:g", 0, "original", None), ("x:a1", "x:a", 1, "repost", "x:r1"),
             ("x:s1", "x:s", 2, "repost", "x:r1"),
             ("x:r2", "x:k", 0, "original", None), ("x:p2", "x:p", 1, "repost", "x:r2"),
             ("x:r3", "x:u", 0, "original", None), ("x:v3", "x:v", 1, "repost", "x:r3")]
    corpus = make_corpus(accounts, posts)
    return corpus, reconstruct_cascades(corpus, method="root")


def test_reach_by_region_hand_worked():
    corpus, cas = region_corpus()
    t = reach_by_region(cas, corpus)
    assert len(t) == 38 and t.index.name == "region_code"
    # three cascades in the denominator, also the one that reached no region
    assert t.loc["3578", "cascades_reached"] == 1
    assert t.loc["3578", "share_reached"] == pytest.approx(1 / 3)
    assert t.loc["3506", "cascades_reached"] == 2
    assert t.loc["3506", "share_reached"] == pytest.approx(2 / 3)
    assert t.loc["3506", "median_hours"] == pytest.approx(0.5)  # 1 h in c1, 0 h (root) in c2
    assert t.loc["3578", "median_hours"] == 0.0
    assert t.loc["3578", "rank"] == 2 and t.loc["3506", "rank"] == 1
    assert t.loc["3501", "share_reached"] == 0 and np.isnan(t.loc["3501", "median_hours"])
    assert t.loc["3578", "accounts"] == 2 and t.loc["3506", "accounts"] == 2
    assert t["accounts"].sum() == 4  # province-wide and unknown accounts are no region's
    assert bool(t.loc["3578", "is_kota"]) and not bool(t.loc["3506", "is_kota"])


def test_reach_by_region_roots_and_errors():
    corpus, cas = region_corpus()
    one = reach_by_region(cas, corpus, roots=["x:r1"])
    assert one.loc["3578", "share_reached"] == 1.0 and one.loc["3506", "share_reached"] == 1.0
    ttr = time_to_region(cas)
    same = region_reach(ttr, cas.root_post_ids)
    pd.testing.assert_frame_equal(reach_by_region(cas, corpus).drop(columns="accounts"), same)
    assert (reach_by_region(cas)["accounts"] == 0).all()
    with pytest.raises(CascadeError, match="roots no cascade"):
        reach_by_region(cas, corpus, roots=["x:a1"])
    with pytest.raises(KopiresearchError, match="no cascade"):
        reach_by_region(cas, corpus, roots=[])


def test_flow_locality_hand_worked():
    # r (Surabaya) -> a (Surabaya), r -> b (Kab. Kediri), a -> c (Bangkalan, quote of a)
    accounts = [("x:g", "government_regency", "3578", False),
                ("x:a", "citizen", "3578", False),
                ("x:b", "citizen", "3506", False),
                ("x:c", "citizen", "3526", False),
                ("x:p", "media", "35", False)]
    posts = [("x:r", "x:g", 0, "original", None), ("x:a1", "x:a", 1, "repost", "x:r"),
             ("x:b1", "x:b", 2, "repost", "x:r"), ("x:c1", "x:c", 3, "quote", "x:a1"),
             ("x:p1", "x:p", 4, "repost", "x:r")]
    loc = flow_locality(reconstruct_cascades(make_corpus(accounts, posts), method="root"))
    assert loc["edges"] == 3  # the edge to the province-wide account is left out
    assert loc["within_kabkota"] == pytest.approx(1 / 3)
    assert loc["within_bakorwil"] == pytest.approx(1 / 3)  # Surabaya, Kediri, Bangkalan differ
    assert loc["rows"] == 1  # only Surabaya sends
    assert loc["diagonal_rows"] == 1  # its row is a three-way tie: ties count for the region
    assert np.isnan(loc["inside_over_between"])  # two Bakorwil have no active account


def test_flow_locality_without_region_edges():
    corpus, cas = region_corpus()
    sub = reconstruct_cascades(corpus, method="root", root_types=["citizen"])  # only c2, c3
    loc = flow_locality(sub)
    assert loc["edges"] == 0 and loc["rows"] == 0 and loc["diagonal_rows"] == 0
    assert np.isnan(loc["within_kabkota"]) and np.isnan(loc["inside_over_between"])


def test_flow_locality_matches_the_matrices_on_bundled(bundled_cascades):
    _, cas = bundled_cascades
    loc = flow_locality(cas)
    counts = region_flows(cas, normalize=None).to_numpy()
    flows = region_flows(cas, normalize="source")
    bw = region_flows(cas, level="bakorwil", normalize="source").to_numpy()
    assert loc["edges"] == counts.sum()
    assert loc["within_kabkota"] == pytest.approx(np.trace(counts) / counts.sum())
    rows = sum(flows.iloc[i].idxmax() == flows.index[i] for i in range(len(flows)))
    assert loc["diagonal_rows"] == rows and loc["rows"] == 38
    off = bw[~np.eye(len(bw), dtype=bool)]
    assert loc["inside_over_between"] == pytest.approx(np.diag(bw).min() / off.max())
