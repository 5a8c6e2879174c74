"""Shared fixtures: a tiny corpus whose graph is worked out by hand in test_graph.py, the
bundled corpus, a local Dask client, and the teaching checks' helpers."""

import networkx as nx
import numpy as np
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


def _random_digraph(n, p, seed, weighted=True):
    G = nx.gnp_random_graph(n, p, seed=seed, directed=True)
    rng = np.random.default_rng(seed)
    if weighted:
        for u, v in G.edges:
            G[u][v]["weight"] = int(rng.integers(1, 5))
    return G


@pytest.fixture
def random_digraph():
    """``random_digraph(n, p, seed, weighted=True)``: a seeded G(n, p) digraph with integer
    weights 1-4 (the metrics tests compare against NetworkX and igraph on these)."""
    return _random_digraph


def _small_t(hours):
    return (pd.Timestamp("2024-10-01T00:00:00Z") + pd.Timedelta(hours=hours)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def small_corpus():
    """Two offices (g1 answers, g2 never), two citizens, an influencer and a media account;
    times in hours after 2024-10-01 00:00 UTC (see test_metrics_responsiveness.py)."""
    accounts = pd.DataFrame({
        "account_id": ["g1", "g2", "c1", "c2", "i1", "m1"], "platform": "synthetic",
        "handle": ["kominfo_a", "jatim", "warga1", "warga2", "infl", "radar"],
        "actor_type": ["government_regency", "government_province", "citizen", "citizen",
                       "influencer", "media"],
        "region_code": ["3506", "35", "3506", None, "3571", "3571"],
        "followers": [1000, 5000, 10, 20, 3000, 800]})
    P = [  # post_id, author, hours, kind, parent, text, likes, replies, reposts, quotes
        ("p1", "g1", 0, "original", None,
         "Vaksinasi. Bagaimana pendapat Sobat? Sampaikan di kolom komentar ya.", 10, 1, 2, 0),
        ("p2", "g1", 1, "original", None, "Festival budaya. Bersama @infl.", 0, 0, 0, 1),
        ("p3", "g1", 2, "original", None, "Perbaikan jalan.", 5, 0, 1, 0),
        ("q1", "c1", 3, "reply", "p1", "@kominfo_a kapan", 0, 0, 0, 0),
        ("q2", "c2", 4, "original", None, "@kominfo_a min lampu mati", 0, 0, 0, 0),
        ("q3", "c1", 5, "original", None, "@kominfo_a jalan rusak", 0, 0, 0, 0),
        ("q4", "c2", 6, "original", None, "@jatim banjir", 0, 0, 0, 0),
        ("a1", "g1", 5, "reply", "q1", "@warga1 terima kasih", 0, 0, 0, 0),
        ("a2", "g1", 10, "reply", "q2", "@warga2 siap", 0, 0, 0, 0),
        ("a2b", "g1", 12, "reply", "q2", "@warga2 sudah", 0, 0, 0, 0),
        ("p4", "m1", 7, "original", None, "Berita", 0, 0, 0, 0),
        ("q5", "i1", 7, "original", None, "@kominfo_a keren", 0, 0, 0, 0),
        ("a5", "g1", 8, "reply", "p4", "@radar terima kasih", 0, 0, 0, 0),
        ("a3", "g1", 30, "reply", "q3", "@warga1 maaf telat", 0, 0, 0, 0),
    ]
    posts = pd.DataFrame(P, columns=["post_id", "author_id", "h", "kind", "parent_post_id",
                                     "text", "like_count", "reply_count", "repost_count",
                                     "quote_count"])
    posts["created_at"] = posts["h"].map(_small_t)
    posts["platform"] = "synthetic"
    posts = posts.drop(columns="h")
    acts = [("g1", "i1", "mention", "p2"), ("c1", "g1", "reply", "q1"),
         ("c2", "g1", "mention", "q2"), ("c1", "g1", "mention", "q3"),
         ("c2", "g2", "mention", "q4"), ("g1", "c1", "reply", "a1"),
         ("g1", "c2", "reply", "a2"), ("g1", "c2", "reply", "a2b"),
         ("i1", "g1", "mention", "q5"), ("g1", "m1", "reply", "a5"),
         ("g1", "c1", "reply", "a3")]
    inter = pd.DataFrame(acts, columns=["source_id", "target_id", "kind", "post_id"])
    inter["created_at"] = inter["post_id"].map(posts.set_index("post_id")["created_at"])
    return Corpus.from_frames(accounts, posts, inter)


@pytest.fixture(autouse=True)
def _close_figures():
    """Close the figures a test leaves open (pyplot keeps them, and one worker runs many
    test files in a row: matplotlib warns past 20 open figures)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def expect():
    """``expect(hasil, status, *fragments, capsys=None)``: assert that a teaching check returned
    a ``Hasil`` of ``status`` whose message holds every fragment (and, given ``capsys``, that
    the message was printed)."""
    from kopiresearch.teaching import Hasil

    def _expect(hasil, status, *fragments, capsys=None):
        assert isinstance(hasil, Hasil)
        assert hasil.status == status, hasil.pesan
        for fragment in fragments:
            assert fragment in hasil.pesan
        if capsys is not None:
            printed = capsys.readouterr().out
            assert hasil.pesan in printed

    return _expect


@pytest.fixture
def teaching_graph():
    """Five weighted edges: a <-> b mutual, c -> b, a -> c, d -> a (reciprocity 2/5 by hand,
    see test_teaching_lab2.py)."""
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 3), ("b", "a", 1), ("c", "b", 1), ("a", "c", 2),
                               ("d", "a", 1)])
    return G


@pytest.fixture(scope="module")
def bundled():
    """The bundled synthetic corpus (one load per test module)."""
    import kopiresearch as kr

    return kr.load_bundled()


@pytest.fixture(scope="module")
def client():
    """A local Dask cluster of two one-thread workers (one per test module)."""
    from kopiresearch import scale

    with scale.dask_client(n_workers=2, threads_per_worker=1) as c:
        yield c
