"""Tests of addressed posts, responsiveness, Kaplan-Meier, recovery of truth
(metrics/_responsiveness.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st

import kopiresearch as kr
import kopiresearch.metrics
from kopiresearch.errors import KopiresearchError
from kopiresearch.metrics import (
    addressed_posts,
    kaplan_meier,
    response_curve,
    responsiveness,
)

# ---------------------------------------------------------------------------------------
# responsiveness

T0 = pd.Timestamp("2024-10-01T00:00:00Z")


def _t(hours):
    return (T0 + pd.Timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_addressed_posts_hand(small_corpus):
    p = addressed_posts(small_corpus, end=_t(20))
    assert p["post_id"].tolist() == ["q1", "q2", "q3", "q4"]  # q5 is by an influencer
    assert p["office_id"].tolist() == ["g1", "g1", "g1", "g2"]
    assert p["answered"].tolist() == [True, True, False, False]  # a3 comes after the end
    assert p["reply_post_id"].tolist()[:2] == ["a1", "a2"]  # first answer only
    assert p["duration_hours"].tolist() == pytest.approx([2.0, 6.0, 15.0, 14.0])
    # without an end, the window ends at the last post (a3 at 30h): q3 is answered
    p = addressed_posts(small_corpus)
    assert p.loc[p["post_id"] == "q3", "duration_hours"].item() == pytest.approx(25.0)


def test_responsiveness_hand(small_corpus):
    r = responsiveness(small_corpus, end=_t(20))
    g1 = r.loc["g1"]
    assert (g1["addressed"], g1["answered"]) == (3, 2)
    assert g1["reply_rate"] == pytest.approx(2 / 3)
    # KM: events at 2h and 6h, one censored at 15h: S(2) = 2/3, S(6) = 1/3
    assert g1["km_median_hours"] == pytest.approx(6.0)
    assert g1["naive_median_hours"] == pytest.approx(4.0)
    assert g1["km_reply_rate"] == pytest.approx(2 / 3)
    assert g1["km_conditional_median_hours"] == pytest.approx(2.0)
    g2 = r.loc["g2"]
    assert (g2["addressed"], g2["answered"], g2["reply_rate"]) == (1, 0, 0.0)
    assert math.isnan(g2["km_median_hours"])
    by = responsiveness(small_corpus, end=_t(20), by="own_region")
    assert by.loc[("g1", "own"), "addressed"] == 2  # c1 lives in 3506
    assert by.loc[("g1", "unknown"), "addressed"] == 1
    with pytest.raises(KopiresearchError, match="by must"):
        responsiveness(small_corpus, by="topic")


def test_responsiveness_of_an_office_that_never_answers(small_corpus):
    # g2 is addressed once (q4) and never answers; no other office is selected, so no
    # answer at all is in the selection (this raised a TypeError before)
    r = responsiveness(small_corpus, offices=["g2"], end=_t(20))
    row = r.loc["g2"]
    assert (row["addressed"], row["answered"], row["censored"]) == (1, 0, 1)
    assert row["reply_rate"] == 0.0 and row["km_reply_rate"] == 0.0
    for col in ("naive_median_hours", "km_median_hours", "km_conditional_median_hours"):
        assert math.isnan(row[col])
    assert row["median_followup_hours"] == pytest.approx(14.0)  # q4 at 6h, end at 20h
    p = addressed_posts(small_corpus, offices=["g2"], end=_t(20))
    assert p["duration_hours"].tolist() == pytest.approx([14.0])
    assert str(p["reply_at"].dtype) == "datetime64[ns, UTC]"
    by = responsiveness(small_corpus, offices=["g2"], end=_t(20), by="own_region")
    assert by.loc[("g2", "unknown"), "censored"] == 1  # c2 has no region
    # by handle, as a researcher types it; the same table
    pd.testing.assert_frame_equal(responsiveness(small_corpus, offices=["jatim"], end=_t(20)),
                                  r)
    with pytest.raises(KopiresearchError, match="neither an account id nor a handle"):
        responsiveness(small_corpus, offices=["nobody"])


def test_responsiveness_of_the_broadcast_only_bundled_office():
    corpus = kr.load_bundled()
    r = responsiveness(corpus, offices=["kominfo_kotamalang_demo"])
    row = r.iloc[0]
    assert row["handle"] == "kominfo_kotamalang_demo"
    assert row["addressed"] > 0 and row["answered"] == 0
    assert row["censored"] == row["addressed"]
    assert math.isnan(row["km_median_hours"]) and row["median_followup_hours"] > 0
    # the same figures as in the table of every office
    full = responsiveness(corpus).loc[r.index]
    pd.testing.assert_frame_equal(full, r)


def test_responsiveness_censored_counts_add_up(small_corpus):
    r = responsiveness(small_corpus, end=_t(20))
    assert (r["answered"] + r["censored"] == r["addressed"]).all()
    assert r.loc["g1", "median_followup_hours"] == pytest.approx(15.0)  # q3 only


def test_kaplan_meier_hand_and_product_limit():
    km = kaplan_meier([1, 2, 3, 5, 4, 10], [1, 1, 1, 1, 0, 0])
    assert km["median"] == 3.0
    assert km["plateau"] == pytest.approx(0.75)
    # independent product-limit computation
    rng = np.random.default_rng(0)
    d = np.round(rng.exponential(5, 50), 1)
    o = rng.random(50) < 0.6
    curve = kaplan_meier(d, o)["curve"]
    s, expected = 1.0, {}
    for t in np.unique(d):
        at_risk = (d >= t).sum()
        events = ((d == t) & o).sum()
        s *= 1 - events / at_risk
        expected[t] = s
    got = dict(zip(curve["time_hours"][1:], curve["survival"][1:]))
    for t, v in expected.items():
        assert got[t] == pytest.approx(v)
    with pytest.raises(KopiresearchError):
        kaplan_meier([1, -1], [True, True])


def test_response_curve_starts_at_one(small_corpus):
    c = response_curve(addressed_posts(small_corpus, end=_t(20)), ci=True)
    first = c.groupby("office_id").first()
    assert (first["survival"] == 1.0).all() and (first["time_hours"] == 0).all()
    assert set(c.columns) == {"office_id", "time_hours", "survival", "ci_low", "ci_high"}


def test_responsiveness_recovers_planted_truth():
    corpus = kr.load_bundled()
    gt = kr.load_ground_truth()
    r = responsiveness(corpus, end=gt["period"]["end"])
    truth = pd.DataFrame(gt["offices"]).T[["reply_prob", "median_delay_hours"]].astype(float)
    j = r.join(truth, how="inner")
    assert len(j) == len(truth)
    rho = st.spearmanr(j["reply_prob"], j["km_reply_rate"]).statistic
    assert rho > 0.8
    assert (j["reply_prob"] - j["km_reply_rate"]).abs().median() < 0.1
    ok = j["km_conditional_median_hours"].notna()
    assert ok.sum() >= len(j) - 3
    rho_d = st.spearmanr(j.loc[ok, "median_delay_hours"],
                         j.loc[ok, "km_conditional_median_hours"]).statistic
    assert rho_d > 0.8
    log_err = np.log(j.loc[ok, "km_conditional_median_hours"] / j.loc[ok, "median_delay_hours"])
    assert np.median(np.abs(log_err)) < np.log(1.5)


def test_recovery_of_truth_hand_case():
    from kopiresearch.metrics import recovery_of_truth

    table = pd.DataFrame({"km_reply_rate": [0.2, 0.5, 0.9],
                          "km_conditional_median_hours": [1.0, np.nan, 8.0],
                          "naive_median_hours": [1.0, np.nan, 4.0]},
                         index=["a", "b", "c"])
    truth = {"a": {"reply_prob": 0.25, "median_delay_hours": 2.0},
             "b": {"reply_prob": 0.5, "median_delay_hours": 4.0},
             "c": {"reply_prob": 0.8, "median_delay_hours": 8.0},
             "z": {"reply_prob": 0.1, "median_delay_hours": 1.0}}  # not in the table
    rec = recovery_of_truth(table, truth)
    rate = rec.loc["reply prob. vs km_reply_rate"]
    assert rate["n"] == 3 and rate["spearman"] == pytest.approx(1.0)
    assert rate["median abs. error"] == pytest.approx(0.05)  # |0.05|, 0, |0.1|
    km_row = rec.loc["log median delay vs KM conditional median"]
    assert km_row["n"] == 2  # b never answered: no delay to compare
    assert km_row["median abs. error"] == pytest.approx(0.5)  # errors 1 and 0
    assert rec.loc["log median delay vs naive median", "median abs. error"] == pytest.approx(
        2.5)  # errors 1 and 4
    with pytest.raises(KopiresearchError, match="no office"):
        recovery_of_truth(table, {"z": truth["z"]})


# ---------------------------------------------------------------------------------------
# own region or not: Mantel-Haenszel within offices


def test_mantel_haenszel_hand_case():
    from kopiresearch.metrics import mantel_haenszel

    # stratum A [[1,1],[1,1]] (n=4), stratum B [[3,1],[1,3]] (n=8):
    # OR = (1*1/4 + 3*3/8) / (1*1/4 + 1*1/8) = (11/8) / (3/8) = 11/3
    # sum a = 4, E = 2*2/4 + 4*4/8 = 3, V = 16/(16*3) + 256/(64*7) = 1/3 + 4/7 = 19/21
    r = mantel_haenszel([[[1, 1], [1, 1]], [[3, 1], [1, 3]]])
    assert r["strata"] == 2
    assert r["odds_ratio"] == pytest.approx(11 / 3)
    assert r["chi2"] == pytest.approx(21 / 19)
    assert r["p"] == pytest.approx(st.chi2.sf(21 / 19, 1))


def test_mantel_haenszel_one_stratum_is_the_pearson_test_scaled():
    from kopiresearch.metrics import mantel_haenszel

    # with one stratum the MH odds ratio is the sample odds ratio ad/bc and the CMH
    # statistic is Pearson's chi-square times (n - 1) / n (scipy, independently)
    table = np.array([[12, 5], [7, 16]])
    r = mantel_haenszel([table])
    assert r["odds_ratio"] == pytest.approx(12 * 16 / (5 * 7))
    pearson = st.chi2_contingency(table, correction=False).statistic
    assert r["chi2"] == pytest.approx(pearson * (table.sum() - 1) / table.sum())


def test_mantel_haenszel_degenerate_strata():
    from kopiresearch.metrics import mantel_haenszel

    empty = mantel_haenszel([])
    assert empty["strata"] == 0 and math.isnan(empty["odds_ratio"]) and math.isnan(empty["p"])
    # a stratum of one post carries no information; everything answered: no variance
    r = mantel_haenszel([[[1, 0], [0, 0]], [[3, 0], [2, 0]]])
    assert r["strata"] == 1 and math.isnan(r["chi2"]) and math.isnan(r["odds_ratio"])
    assert mantel_haenszel([[[3, 0], [1, 2]]])["odds_ratio"] == math.inf
    with pytest.raises(KopiresearchError, match="2x2"):
        mantel_haenszel([[1, 2, 3]])
    with pytest.raises(KopiresearchError, match="negative"):
        mantel_haenszel([[[1, -1], [0, 2]]])


def test_own_region_effect_builds_one_stratum_per_office():
    from kopiresearch.metrics import mantel_haenszel, own_region_effect

    idx = pd.MultiIndex.from_tuples(
        [("g1", "other"), ("g1", "own"), ("g1", "unknown"), ("g2", "own"),
         ("g3", "other"), ("g3", "own")], names=["office_id", "own_region"])
    table = pd.DataFrame({"addressed": [4, 6, 9, 5, 10, 2], "answered": [1, 3, 9, 5, 5, 2]},
                         index=idx)
    r = own_region_effect(table)
    # g2 has no 'other' askers and the 'unknown' row is not a group: two strata
    expected = mantel_haenszel([[[3, 3], [1, 3]], [[2, 0], [5, 5]]])
    assert r["strata"] == 2
    for key in ("odds_ratio", "chi2", "p"):
        assert r[key] == pytest.approx(expected[key])
    assert r["own_rate"] == pytest.approx(5 / 8) and r["other_rate"] == pytest.approx(6 / 14)
    none = own_region_effect(table.loc[["g2"]])
    assert none["strata"] == 0 and math.isnan(none["own_rate"])
    with pytest.raises(KopiresearchError, match="own_region"):
        own_region_effect(table.droplevel("own_region"))


def test_own_region_effect_on_the_small_corpus(small_corpus):
    from kopiresearch.metrics import own_region_effect

    # g1 is addressed by c1 (own region, q1 answered, q3 not by 20h) and c2 (unknown region)
    by = responsiveness(small_corpus, end=_t(20), by="own_region")
    r = own_region_effect(by)
    assert r["strata"] == 0  # nobody of another known region asked g1
