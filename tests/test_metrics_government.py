"""Tests of push / pull / networking and engagement (metrics/_government.py)."""

from __future__ import annotations

import math

import pytest

from kopiresearch.errors import KopiresearchError
from kopiresearch.metrics import (
    engagement,
    push_pull_networking,
)

# ---------------------------------------------------------------------------------------
# push / pull / networking and engagement


def test_push_pull_networking_hand(small_corpus):
    t, coded = push_pull_networking(small_corpus, return_posts=True)
    cat = dict(zip(coded["post_id"], coded["category"]))
    assert cat["p1"] == "pull"  # solicits comments
    assert cat["p2"] == "networking"  # mentions an influencer
    assert cat["p3"] == "push"
    assert cat["a1"] == cat["a2"] == cat["a3"] == "pull"  # replies to citizens
    assert cat["a5"] == "other"  # reply to a media account
    g1 = t.loc["g1"]
    assert (g1["posts"], g1["pull"], g1["networking"], g1["push"], g1["other"]) == \
        (8, 5, 1, 1, 1)
    assert g1["pull_share"] == pytest.approx(5 / 8)
    assert t.loc["g2", "posts"] == 0 and math.isnan(t.loc["g2", "push_share"])
    with pytest.raises(KopiresearchError, match="regular expression"):
        push_pull_networking(small_corpus, solicitation="(")


def test_engagement_hand(small_corpus):
    e = engagement(small_corpus).loc["g1"]
    assert e["posts"] == 3
    assert (e["likes"], e["comments"], e["shares"]) == (15, 1, 4)
    assert e["P1"] == pytest.approx(2 / 3) and e["P2"] == pytest.approx(5.0)
    assert e["P3"] == pytest.approx(5.0)  # 1000 * 5 / 1000 followers
    assert e["C2"] == pytest.approx(1 / 3) and e["V1"] == pytest.approx(1.0)
    assert e["V2"] == pytest.approx(4 / 3)
    assert e["E"] == pytest.approx(5 + 1 / 3 + 4 / 3)
    no_quotes = engagement(small_corpus, include_quotes=False).loc["g1"]
    assert no_quotes["shares"] == 3


def test_post_kinds_is_the_name_and_kinds_still_works(small_corpus):
    import pandas as pd

    from kopiresearch.errors import KopiresearchError

    new = push_pull_networking(small_corpus, post_kinds=["original"])
    with pytest.warns(DeprecationWarning, match="kinds is deprecated.*use post_kinds"):
        old = push_pull_networking(small_corpus, kinds=["original"])
    pd.testing.assert_frame_equal(old, new)
    assert new.loc["g1", "posts"] == 3  # p1, p2, p3: the replies are left out
    with pytest.warns(DeprecationWarning, match="kinds is deprecated"):
        old = engagement(small_corpus, kinds=["original"])
    pd.testing.assert_frame_equal(old, engagement(small_corpus, post_kinds=["original"]))
    with pytest.raises(KopiresearchError, match="not both"):
        engagement(small_corpus, post_kinds=["original"], kinds=["quote"])
