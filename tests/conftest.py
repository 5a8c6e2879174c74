"""Shared fixtures: a tiny corpus whose graph is worked out by hand in test_graph.py."""

import pandas as pd
import pytest

from kopiresearch import Corpus

T0 = pd.Timestamp("2024-10-01T01:00:00Z")


def t(hours):
    return (T0 + pd.Timedelta(hours=hours)).isoformat()


@pytest.fixture
def tiny_corpus():
    """g = a regency office (Kab. Kediri); i = a partnered influencer (Kota Kediri);
    c1 = a citizen in Surabaya; c2 = a citizen of unknown region.

    p1 g posts; p2 c1 replies to p1; p3 c1 mentions g and i; p4 i reposts p1;
    p5 g answers p2; p6 c2 quotes p1.
    """
    accounts = pd.DataFrame({
        "account_id": ["x:g", "x:i", "x:c1", "x:c2"],
        "platform": "twitter",
        "handle": ["kominfo_kabkediri_demo", "infokediri_demo", "warga_00001", "warga_00002"],
        "actor_type": ["government_regency", "influencer", "citizen", "citizen"],
        "region_code": ["3506", "3571", "3578", None],
        "followers": [5000, 20000, 50, None],
        "partnered": [False, True, False, False],
    })
    posts = pd.DataFrame({
        "post_id": ["x:p1", "x:p2", "x:p3", "x:p4", "x:p5", "x:p6"],
        "platform": "twitter",
        "author_id": ["x:g", "x:c1", "x:c1", "x:i", "x:g", "x:c2"],
        "created_at": [t(0), t(2), t(3), t(4), t(5), t(6)],
        "kind": ["original", "reply", "original", "repost", "reply", "quote"],
        "parent_post_id": [None, "x:p1", None, "x:p1", "x:p2", "x:p1"],
        "text": ["Info vaksinasi", "@kominfo_kabkediri_demo kapan?",
                 "@kominfo_kabkediri_demo @infokediri_demo jalan rusak",
                 "RT @kominfo_kabkediri_demo: Info vaksinasi", "@warga_00001 besok pagi",
                 "Penting!"],
    })
    interactions = pd.DataFrame({
        "source_id": ["x:c1", "x:c1", "x:c1", "x:i", "x:g", "x:c2"],
        "target_id": ["x:g", "x:g", "x:i", "x:g", "x:c1", "x:g"],
        "kind": ["reply", "mention", "mention", "repost", "reply", "quote"],
        "created_at": [t(2), t(3), t(3), t(4), t(5), t(6)],
        "post_id": ["x:p2", "x:p3", "x:p3", "x:p4", "x:p5", "x:p6"],
    })
    return Corpus.from_frames(accounts, posts, interactions)
