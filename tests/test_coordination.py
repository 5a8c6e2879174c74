"""kopiresearch.coordination: co-action edges (brute force and the coordination-network-
toolkit), the timing-breaking baseline, and recovery of a planted coordinated group."""

import itertools

import numpy as np
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import coordination as kc
from kopiresearch import synth
from kopiresearch.coordination import (
    actions_table,
    burstiness,
    co_action_edges,
    coordination,
    near_duplicate_clusters,
)
from kopiresearch.errors import KopiresearchError

T0 = pd.Timestamp("2024-10-01T01:00:00Z")


def _random_acts(seed, n=400, n_acc=25, n_obj=30, span=3600):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "post_id": [f"m{i}" for i in range(n)],
        "account_id": [f"u{k:02d}" for k in rng.integers(0, n_acc, size=n)],
        "object": [f"o{k}" for k in rng.integers(0, n_obj, size=n)],
        "created_at": T0 + pd.to_timedelta(rng.integers(0, span, size=n), unit="s"),
    })


def _brute_force(acts, window):
    """count(distinct e_1.message_id) per ordered pair, by two nested loops."""
    secs = (acts["created_at"] - T0).dt.total_seconds().to_numpy()
    rows = list(zip(acts["post_id"], acts["account_id"], acts["object"], secs))
    out = {}
    for _m1, u1, o1, t1 in rows:
        partners = {u2 for _, u2, o2, t2 in rows if o2 == o1 and abs(t2 - t1) <= window
                    and u2 != u1}
        for u2 in partners:
            out[(u1, u2)] = out.get((u1, u2), 0) + 1
    return out


@pytest.mark.parametrize("seed, window", [(1, 60), (2, 0), (3, 300), (4, 5000)])
def test_directed_edges_match_brute_force(seed, window):
    acts = _random_acts(seed)
    got = co_action_edges(acts, window=window, directed=True)
    assert dict(zip(zip(got["account_1"], got["account_2"]), got["weight"])) == \
        _brute_force(acts, window)


def test_undirected_weight_is_the_larger_direction():
    t = T0 + pd.to_timedelta([0, 10, 20, 500], unit="s")
    # b reposts p1 twice (10 s and 20 s after a): a->b = 1 act of a, b->a = 2 acts of b
    acts = pd.DataFrame({"account_id": ["a", "b", "b", "c"], "object": ["p1"] * 4,
                         "created_at": t})
    e = co_action_edges(acts, window=30)
    assert e.values.tolist() == [["a", "b", 2, 1, 2]]


def test_objects_in_key_chunks_give_the_same_edges(monkeypatch):
    import kopiresearch.coordination as co

    acts = _random_acts(7, n=600)
    whole = co_action_edges(acts, window=120, directed=True)
    # stride is about 3.6e6 ms: three objects per chunk of the combined key
    monkeypatch.setattr(co, "_KEY_LIMIT", 3 * 3_900_000)
    blocked = co_action_edges(acts, window=120, directed=True)
    pd.testing.assert_frame_equal(whole, blocked)


def test_matches_coordination_network_toolkit(tmp_path):
    cnt_pre = pytest.importorskip("coordination_network_toolkit.preprocess")
    cnt_net = pytest.importorskip("coordination_network_toolkit.compute_networks")
    import sqlite3

    acts = _random_acts(11, n=500, n_acc=40)
    db = str(tmp_path / "cnt.db")
    secs = (acts["created_at"] - T0).dt.total_seconds()
    rows = [(m, u, u, o, "", "RT", str(t), "") for m, u, o, t in
            zip(acts["post_id"], acts["account_id"], acts["object"], secs)]
    cnt_pre.preprocess_data(db, rows)
    cnt_net.compute_co_retweet_parallel(db, 60, n_threads=1)
    with sqlite3.connect(db) as con:
        theirs = {(a, b): w for a, b, w in con.execute(
            "select user_1, user_2, weight from co_retweet_network where user_1 != user_2")}
    ours = co_action_edges(acts, window=60, directed=True)
    assert dict(zip(zip(ours["account_1"], ours["account_2"]), ours["weight"])) == theirs
    assert len(theirs) > 50


def test_burstiness_hand_cases():
    assert burstiness([0, 10, 20, 30]) == -1.0
    # gaps 1, 1, 98, 1, 1: mu = 20.4, sigma = sqrt(1921.6 - 416.16) = 38.80; B = 0.3108
    assert burstiness([102, 0, 1, 2, 100, 101]) == pytest.approx(0.3108, abs=1e-4)
    assert np.isnan(burstiness([0, 5]))


def test_near_duplicates():
    s = pd.Series(["Ayo dukung kebijakan Pemprov Jatim demi Jawa Timur yang sejahtera",
                   "ayo dukung kebijakan pemprov jatim demi jawa timur yang sejahtera 👍",
                   "Ayo dukung kebijakan Pemprov Jatim demi Jawa Timur yang sejahtera #Jatim",
                   "Jalan rusak di depan pasar belum diperbaiki, mohon dicek"],
                  index=list("abcd"))
    assert near_duplicate_clusters(s, threshold=0.7).tolist() == [0, 0, 0, 1]
    with pytest.raises(KopiresearchError):
        near_duplicate_clusters(s, threshold=0)


def test_bad_arguments():
    acts = _random_acts(1, n=20)
    with pytest.raises(KopiresearchError):
        co_action_edges(acts, window=-1)
    with pytest.raises(KopiresearchError):
        co_action_edges(acts.drop(columns="object"))
    c = synth.generate(seed=2, scale=0.05)
    for bad in ({"null": "random"}, {"n_null": 0}, {"alpha": 2}, {"action": "like"}):
        with pytest.raises(KopiresearchError):
            coordination(c, **bad)


# -- planted truth ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def planted():
    corpus, extras = synth.generate(seed=3, scale=0.2, coordinated=15, return_extras=True)
    return corpus, set(extras["ground_truth"]["coordinated"]["accounts"])


def _scores(result, truth, n_busy=20):
    flagged = set(result.accounts.index[result.accounts["coordinated"]])
    tp = len(flagged & truth)
    precision = tp / len(flagged) if flagged else 0.0
    recall = tp / len(truth)
    organic = result.accounts.drop(index=list(truth & set(result.accounts.index)))
    busiest = organic.sort_values(["acts", "posts"], ascending=False, kind="mergesort") \
        .head(n_busy)
    return precision, recall, float(busiest["coordinated"].mean())


@pytest.mark.parametrize("action, window", [("repost", 60), ("text", 120), ("hashtag", 60),
                                            ("hashtag", 3600)])
def test_planted_group_is_recovered(planted, action, window):
    corpus, truth = planted
    res = coordination(corpus, action=action, window=window, n_null=100, seed=1)
    precision, recall, false_busy = _scores(res, truth)
    assert precision >= 0.9 and recall >= 0.9, (precision, recall)
    assert false_busy == 0.0
    assert set(res.clusters.index) <= set(res.graph.nodes)
    assert res.clusters["cluster"].nunique() >= 1
    group = res.accounts.loc[sorted(truth)]
    if action == "repost":
        assert (group["repost_share"] > 0.5).all()


def test_busy_organic_accounts_are_not_flagged_for_being_busy(planted):
    corpus, truth = planted
    res = coordination(corpus, action="hashtag", window=3600, n_null=100, seed=1)
    edges = res.edges.sort_values("weight", ascending=False, kind="mergesort").head(60)
    organic = edges[~edges["account_1"].isin(truth) & ~edges["account_2"].isin(truth)]
    # a weight threshold alone would flag these busy organic pairs; the baseline does not
    assert len(organic) > 0
    assert not organic["coordinated"].any()
    assert (organic["null_mean"] > 0.3 * organic["weight"]).all()


def test_same_seed_same_result(planted):
    corpus, _ = planted
    a = coordination(corpus, n_null=10, seed=5)
    b = coordination(corpus, n_null=10, seed=5)
    pd.testing.assert_frame_equal(a.edges, b.edges)
    pd.testing.assert_frame_equal(a.accounts, b.accounts)


def test_option_off_changes_nothing():
    a = synth.generate(seed=4, scale=0.05)
    b, extras = synth.generate(seed=4, scale=0.05, coordinated=0, return_extras=True)
    pd.testing.assert_frame_equal(a.posts, b.posts)
    pd.testing.assert_frame_equal(a.accounts, b.accounts)
    assert "coordinated" not in extras["ground_truth"]
    with pytest.raises(ValueError):
        synth.generate(seed=4, scale=0.05, coordinated=1)


def test_planted_option_keeps_organic_activity(planted):
    corpus, truth = planted
    base = synth.generate(seed=3, scale=0.2)
    organic = corpus.posts[~corpus.posts["author_id"].isin(truth)]
    assert len(organic) == len(base.posts)
    assert (organic["created_at"].to_numpy() == base.posts["created_at"].to_numpy()).all()
    acts = actions_table(corpus, "repost")
    assert acts["account_id"].isin(truth).sum() > 100


def test_pairs_are_unordered_and_unique(planted):
    corpus, _ = planted
    e = coordination(corpus, n_null=5, seed=1).edges
    assert (e["account_1"] < e["account_2"]).all()
    assert not e.duplicated(["account_1", "account_2"]).any()
    assert list(itertools.islice(e.columns, 3)) == ["account_1", "account_2", "weight"]


# -- share of amplification, recovery scores, near-duplicates of repeated texts ---------

def _tiny_corpus():
    acc = pd.DataFrame({"account_id": ["g", "a", "b", "c"], "platform": "synthetic",
                        "handle": ["pemkab_demo", "warga_a", "warga_b", "seleb_demo"],
                        "actor_type": ["government_regency", "citizen", "citizen",
                                       "influencer"],
                        "region_code": ["3506", None, None, None],
                        "followers": [1000, 10, None, 100]})
    t = [T0 + pd.Timedelta(minutes=m) for m in range(7)]
    posts = pd.DataFrame({
        "post_id": ["g1", "g2", "r1", "r2", "q1", "r3", "r4"], "platform": "synthetic",
        "author_id": ["g", "g", "a", "b", "c", "g", "a"], "created_at": t,
        "kind": ["original", "original", "repost", "repost", "quote", "repost", "repost"],
        "parent_post_id": [None, None, "g1", "g1", "g2", "g1", "q1"]})
    return kr.Corpus.from_frames(acc, posts)


def test_amplification_share_hand_worked():
    c = _tiny_corpus()
    t = kc.amplification_share(c, {"a"})
    # g's posts are amplified by r1 (a), r2 (b) and q1 (c); r3 is g's own repost and r4
    # amplifies c's quote, not a government post
    row = t.loc["g"]
    assert (row["posts"], row["amplifications"], row["by_accounts"]) == (2, 3, 1)
    assert row["share"] == pytest.approx(1 / 3)
    assert (row["audience"], row["audience_by_accounts"]) == (110.0, 10.0)  # b: unknown
    assert row["audience_share"] == pytest.approx(10 / 110)
    assert row["audience_known"] == pytest.approx(2 / 3)
    only_reposts = kc.amplification_share(c, {"a"}, post_kinds=("repost",)).loc["g"]
    assert (only_reposts["amplifications"], only_reposts["by_accounts"]) == (2, 1)
    of_c = kc.amplification_share(c, {"a"}, authors=["c"]).loc["c"]
    assert (of_c["amplifications"], of_c["by_accounts"], of_c["share"]) == (1, 1, 1.0)
    assert kc.amplification_share(c, set()).loc["g", "audience_share"] == 0.0


def test_post_kinds_is_the_name_and_the_former_names_still_work():
    from kopiresearch.errors import KopiresearchError

    c = _tiny_corpus()
    new = kc.amplification_share(c, {"a"}, post_kinds=("repost",))
    with pytest.warns(DeprecationWarning, match="kinds is deprecated.*use post_kinds"):
        old = kc.amplification_share(c, {"a"}, kinds=("repost",))
    pd.testing.assert_frame_equal(old, new)
    assert new.loc["g", "amplifications"] == 2  # the quote q1 is left out
    with pytest.raises(KopiresearchError, match="not both"):
        kc.amplification_share(c, {"a"}, post_kinds=("repost",), kinds=("quote",))
    new = actions_table(c, "repost", post_kinds=("repost", "quote"))
    with pytest.warns(DeprecationWarning, match="repost_kinds is deprecated.*use post_kinds"):
        old = actions_table(c, "repost", repost_kinds=("repost", "quote"))
    pd.testing.assert_frame_equal(old, new)
    assert len(new) == len(actions_table(c, "repost")) + 1  # q1 counts as a repost too


def test_recovery_scores():
    r = kc.recovery({"a", "b", "x"}, {"a", "b", "c", "d"},
                    activity=pd.Series({"a": 9, "x": 8, "y": 7, "z": 7, "b": 1}), n_busy=2)
    assert (r["true_positives"], r["precision"], r["recall"]) == (2, 2 / 3, 0.5)
    assert r["f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert (r["busy_checked"], r["busy_flagged_share"]) == (2, 0.5)  # x flagged, y not
    none = kc.recovery(set(), {"a"})
    assert np.isnan(none["precision"]) and none["recall"] == 0.0


def test_near_duplicates_of_repeated_texts_are_numbered_by_first_appearance():
    copy = "Ayo dukung kebijakan Pemprov Jatim demi Jawa Timur yang sejahtera"
    s = pd.Series(["Jalan rusak di depan pasar belum diperbaiki, mohon dicek", copy,
                   copy.lower() + " @warga_00001", "Jalan rusak di depan pasar belum diperbaiki, "
                   "mohon dicek", copy + " 👍", "Banjir lagi di desa kami"],
                  index=[f"p{i}" for i in range(6)])
    assert near_duplicate_clusters(s, threshold=0.7).tolist() == [0, 1, 1, 0, 1, 2]
    assert near_duplicate_clusters(s.iloc[:0]).tolist() == []


def test_account_table_gives_account_age_where_the_crawl_has_it():
    c = _tiny_corpus()
    acc = c.accounts.copy()
    acc["account_created_at"] = pd.to_datetime(["2020-01-01", "2024-09-01", None, None],
                                               utc=True)
    c = kr.Corpus.from_frames(acc, c.posts)
    table = kc.coordination(c, n_null=5, seed=1).accounts
    # a's first post (r1) is 2 minutes after T0 = 2024-10-01T01:00Z
    first = T0 + pd.Timedelta(minutes=2)
    assert table.loc["a", "account_age_days"] == pytest.approx(
        (first - pd.Timestamp("2024-09-01", tz="UTC")).total_seconds() / 86400)
    assert np.isnan(table.loc["b", "account_age_days"])
