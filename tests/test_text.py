"""kopiresearch.text: tokenizer, weighted log-odds (hand-worked and independent), top items,
volume in WIB and peaks."""

import math

import numpy as np
import pandas as pd
import pytest

from kopiresearch import Corpus
from kopiresearch.errors import KopiresearchError
from kopiresearch.text import (
    detect_peaks,
    peak_drivers,
    post_items,
    tokenize,
    top_items,
    volume,
    weighted_log_odds,
)

# -- tokenizer -------------------------------------------------------------------------

def test_token_types_are_kept_apart_and_lower_cased():
    toks = tokenize("Cek https://Jatimprov.go.id/a?x=1, genangan @Diskominfo_Demo #Banjir 🙏 "
                    "BANJIR")
    assert toks == [("word", "cek"), ("url", "https://jatimprov.go.id/a?x=1"),
                    ("word", "genangan"), ("mention", "@diskominfo_demo"), ("hashtag", "#banjir"),
                    ("emoji", "🙏"), ("word", "banjir")]


@pytest.mark.parametrize("informal, formal", [
    ("yg", None), ("gak", None), ("nggak", None), ("ga", None), ("tdk", None),  # -> stopwords
    ("utk", None), ("dgn", None), ("sdh", None), ("krn", None),
    ("jln", "jalan"), ("pemprov", "pemerintah provinsi")])
def test_informal_spellings_are_normalised(informal, formal):
    kept = [w for _, w in tokenize(f"{informal} banjir")]
    expected = ([] if formal is None else formal.split()) + ["banjir"]
    assert kept == expected
    raw = [w for _, w in tokenize(f"{informal} banjir", drop_stopwords=False)]
    assert raw[0] != informal or informal in ("ga",)  # every entry is rewritten


def test_indonesian_english_and_javanese_function_words_are_dropped():
    assert [w for _, w in tokenize("Dan the ora mboten sing banjir ing Kediri")] == \
        ["banjir", "kediri"]
    assert [w for _, w in tokenize("ora banjir", drop_stopwords=False)] == ["ora", "banjir"]


def test_repost_prefix_is_not_a_mention():
    assert tokenize("RT @kominfo_demo: Info #banjir") == [("word", "info"),
                                                          ("hashtag", "#banjir")]


def test_post_items_agrees_with_tokenize():
    texts = ["Yg penting jln di #Kediri sdh diperbaiki @warga_00001 👍 https://t.co/abc.",
             "RT @x_demo: Banjir bandang #Banjir", None, "Gak ono banjir-bandang, dgn aman"]
    posts = pd.DataFrame({"author_id": ["a", "b", "c", "d"], "text": texts},
                         index=pd.Index([f"p{i}" for i in range(4)], name="post_id"))
    long = post_items(posts, items=["hashtag", "url", "mention", "emoji", "word"])
    for pid, text in zip(posts.index, texts):
        want = sorted(tokenize(text or ""))
        got = sorted(zip(long.loc[long["post_id"] == pid, "item_type"],
                         long.loc[long["post_id"] == pid, "item"]))
        assert got == want
    dom = post_items(posts, items=["domain"])
    assert dom["item"].tolist() == ["t.co"]


def test_expanded_urls_replace_text_urls_where_present():
    posts = pd.DataFrame({"author_id": ["a", "b"],
                          "text": ["lihat https://t.co/x1", "lihat https://t.co/x2"],
                          "expanded_urls": ["https://www.jatimprov.go.id/berita/1", None]},
                         index=pd.Index(["p1", "p2"], name="post_id"))
    long = post_items(posts, items=["url", "domain"])
    assert long[long["item_type"] == "domain"]["item"].tolist() == ["jatimprov.go.id", "t.co"]


# -- weighted log-odds -----------------------------------------------------------------

def test_log_odds_hand_worked():
    # counts: gov vaksin 10, banjir 1 (n=11); citizen vaksin 2, banjir 8 (n=10); N = 21.
    # prior alpha_w = y_w (alpha_0 = 21): vaksin 12, banjir 9.
    # gov, vaksin: log(22 / (11 + 21 - 10 - 12)) - log(14 / (10 + 21 - 2 - 12))
    #            = log(2.2) - log(14/17) = 0.78846 + 0.19416 = 0.98262
    # var = 1/22 + 1/14 = 0.116883; z = 0.98262 / 0.341882 = 2.8742
    # gov, banjir: log(10 / (11 + 21 - 1 - 9)) - log(17 / (10 + 21 - 8 - 9))
    #            = log(10/22) - log(17/14) = -0.78846 - 0.19416 = -0.98262
    # var = 1/10 + 1/17 = 0.158824; z = -2.4657
    c = pd.DataFrame({"gov": [10, 1], "citizen": [2, 8]}, index=["vaksin", "banjir"])
    r = weighted_log_odds(c).set_index(["group", "item"])
    assert r.loc[("gov", "vaksin"), "delta"] == pytest.approx(0.98262, abs=1e-5)
    assert r.loc[("gov", "vaksin"), "z"] == pytest.approx(2.8742, abs=1e-4)
    assert r.loc[("gov", "banjir"), "variance"] == pytest.approx(0.158824, abs=1e-6)
    assert r.loc[("gov", "banjir"), "z"] == pytest.approx(-2.4657, abs=1e-4)


def _reference_log_odds(counts, prior_strength):
    """An independent, loop-by-loop transcription of Monroe et al. (2008), eqs. 16-22."""
    out = {}
    groups = list(counts)
    words = list(next(iter(counts.values())))
    total = sum(sum(v.values()) for v in counts.values())
    background = {w: sum(counts[g][w] for g in groups) for w in words}
    for g in groups:
        n_i = sum(counts[g].values())
        n_j = total - n_i
        for w in words:
            a_w = prior_strength * background[w] / total
            y_i = counts[g][w]
            y_j = background[w] - y_i
            d = (math.log((y_i + a_w) / (n_i + prior_strength - y_i - a_w))
                 - math.log((y_j + a_w) / (n_j + prior_strength - y_j - a_w)))
            out[(g, w)] = d / math.sqrt(1 / (y_i + a_w) + 1 / (y_j + a_w))
    return out


@pytest.mark.parametrize("strength", [None, 50.0, 5000.0])
def test_log_odds_matches_independent_implementation(strength):
    rng = np.random.default_rng(5)
    m = rng.poisson(rng.gamma(0.8, 6.0, size=(40, 4))) + 1
    frame = pd.DataFrame(m, index=[f"w{i}" for i in range(40)], columns=list("abcd"))
    ref = _reference_log_odds({g: frame[g].to_dict() for g in frame},
                              float(m.sum()) if strength is None else strength)
    got = weighted_log_odds(frame, prior_strength=strength).set_index(["group", "item"])["z"]
    for key, z in ref.items():
        assert got[key] == pytest.approx(z, rel=1e-10)


def test_log_odds_rejects_bad_input():
    with pytest.raises(KopiresearchError):
        weighted_log_odds(pd.DataFrame({"a": [1, 2]}))
    with pytest.raises(KopiresearchError):
        weighted_log_odds(pd.DataFrame({"a": [1, -2], "b": [1, 1]}))


# -- top items on a corpus a reader can check by hand ------------------------------------

@pytest.fixture
def small_corpus():
    """A big citizen group that talks about 'jalan' (and a bit about 'vaksin') and a small
    government group whose own word is 'vaksin'. By raw count 'jalan' is top in both; by
    log-odds each group's own word wins."""
    acc = pd.DataFrame({"account_id": ["x:g", "x:c1", "x:c2"], "platform": "twitter",
                        "handle": ["dinkes_demo", "warga_00001", "warga_00002"],
                        "actor_type": ["government_other", "citizen", "citizen"],
                        "region_code": ["35", "3578", "3506"]})
    texts = (["Jalan vaksin #Sehat"] * 2 + ["Jalan rusak"] * 3
             + ["Jalan rusak lagi #Jalan"] * 10 + ["vaksin kapan"] * 2)
    authors = ["x:g"] * 5 + ["x:c1"] * 6 + ["x:c2"] * 6
    t0 = pd.Timestamp("2024-10-01T01:00:00Z")
    posts = pd.DataFrame({"post_id": [f"x:p{i}" for i in range(len(texts))],
                          "platform": "twitter", "author_id": authors,
                          "created_at": [t0 + pd.Timedelta(hours=i) for i in range(len(texts))],
                          "kind": "original", "text": texts})
    return Corpus.from_frames(acc, posts, None)


def test_top_items_count_and_log_odds(small_corpus):
    by_count = top_items(small_corpus, by="actor_type", items=["word"], rank="count",
                         min_count=1)
    top = by_count[by_count["rank"] == 1].set_index("group")["item"]
    assert top.to_dict() == {"citizen": "jalan", "government_other": "jalan"}
    by_z = top_items(small_corpus, by="actor_type", items=["word"], min_count=1)
    top = by_z[by_z["rank"] == 1].set_index("group")["item"]
    assert top.to_dict() == {"citizen": "rusak", "government_other": "vaksin"}
    gov = by_z[by_z["group"] == "government_other"].set_index("item")
    # government: jalan 5, vaksin 2, rusak 3 (n = 10); citizens: jalan 10, rusak 10,
    # vaksin 2 (n = 22; "lagi" and "kapan" are stopwords)
    assert gov.loc["vaksin", "count"] == 2 and gov.loc["jalan", "count"] == 5
    assert gov.loc["vaksin", "share"] == pytest.approx(2 / 10)


def test_top_items_groups_by_mapping_and_bakorwil(small_corpus):
    t = top_items(small_corpus, by={"x:c1": "A", "x:c2": "B"}, items=["hashtag"], rank="count",
                  min_count=1)
    # x:c1 wrote posts 5-10 ("... #Jalan" each), x:c2 posts 11-16 (four with #Jalan)
    assert t[["group", "item", "count"]].values.tolist() == [["A", "#jalan", 6],
                                                             ["B", "#jalan", 4]]
    b = top_items(small_corpus, by="bakorwil", items=["word"], n=1, min_count=1)
    # 35 (province-wide) has no Bakorwil: the government account is left out
    assert sorted(set(b["group"])) == ["I Madiun", "III Malang"]
    with pytest.raises(KopiresearchError):
        top_items(small_corpus, by="nonexistent")
    with pytest.raises(KopiresearchError):
        top_items(small_corpus, rank="tfidf")


def test_post_kinds_is_the_name_and_kinds_still_works(small_corpus):
    posts = small_corpus.posts.reset_index().copy()
    posts["kind"] = ["original"] * 14 + ["repost"] * 3  # the last three repeat someone
    c = Corpus.from_frames(small_corpus.accounts.reset_index(), posts, None)
    words = {"items": ["word"], "n": 1000, "min_count": 1}
    own, every = top_items(c, **words), top_items(c, **words, post_kinds=None)
    assert every["count"].sum() > own["count"].sum()  # the reposts' words counted too
    with pytest.warns(DeprecationWarning, match="kinds is deprecated.*use post_kinds"):
        old = top_items(c, **words, kinds=None)
    pd.testing.assert_frame_equal(old, every)  # None given as the former name: every post
    with pytest.warns(DeprecationWarning, match="kinds is deprecated"):
        old = top_items(c, **words, kinds=["original"])
    pd.testing.assert_frame_equal(old, top_items(c, **words, post_kinds=["original"]))
    with pytest.raises(KopiresearchError, match="not both"):
        top_items(c, post_kinds=["original"], kinds=["quote"])
    new = volume(c, freq="1D", post_kinds=["repost"])
    with pytest.warns(DeprecationWarning, match="kinds is deprecated.*use post_kinds"):
        old = volume(c, freq="1D", kinds=["repost"])
    pd.testing.assert_frame_equal(old.counts, new.counts)
    assert new.counts["all"].sum() == 3


# -- volume and peaks ------------------------------------------------------------------

def test_volume_bins_are_wib_days(small_corpus):
    v = volume(small_corpus, freq="1D", by="actor_type")
    assert str(v.counts.index.tz) == "Asia/Jakarta"
    # posts at 01:00 UTC + i hours = 08:00 WIB + i hours: i = 0..15 on 1 Oct WIB, 16 on 2 Oct
    assert v.counts.sum(axis=1).tolist() == [16, 1]
    assert v.counts.loc[:, "government_other"].tolist() == [5, 0]
    kw = volume(small_corpus, freq="1D", keywords=["jalan rusak", "vaksin"])
    assert kw.counts.sum().to_dict() == {"jalan rusak": 13, "vaksin": 4}
    tags = volume(small_corpus, freq="1D", hashtags=["#JALAN"])
    assert int(tags.counts["#jalan"].sum()) == 10
    with pytest.raises(KopiresearchError):
        volume(small_corpus, hashtags=["a"], keywords=["b"])
    with pytest.raises(KopiresearchError, match="stopwords"):
        volume(small_corpus, keywords=["yang"])


def test_detect_peaks_hand_case():
    # window 5 before bin 7: [4, 3, 5, 4, 3] (bins 2..6) -> median 4, MAD 1 -> s = 1.4826 * 1
    # = 1.4826 vs sqrt(4) = 2 -> s = 2; score = (30 - 4) / 2 = 13.
    s = pd.Series([3, 4, 4, 3, 5, 4, 3, 30, 25, 4, 3, 4], name="x")
    p = detect_peaks(s, window=5)
    assert p[["start", "end", "peak", "count", "peak_count"]].values.tolist() == \
        [[7, 8, 7, 55, 30]]
    assert p.loc[0, "score"] == pytest.approx(13.0)
    assert p.loc[0, "baseline"] == 4.0
    assert detect_peaks(s, window=5, min_count=31).empty
    flat = pd.Series([0] * 10 + [2] + [0] * 5)
    assert detect_peaks(flat, window=5, min_count=1).empty  # one extra post is no peak
    with pytest.raises(KopiresearchError):
        detect_peaks(s, window=1)


def test_peak_drivers_names_who_posted():
    t0 = pd.Timestamp("2024-10-01T01:00:00Z")
    acc = pd.DataFrame({"account_id": ["x:a", "x:b", "x:c"], "platform": "twitter",
                        "handle": ["a_demo", "b_demo", "c_demo"], "actor_type": "citizen",
                        "region_code": None})
    rows = [("x:a", d) for d in range(10)] + [("x:b", 8)] * 12 + [("x:c", 8)] * 3
    posts = pd.DataFrame({"post_id": [f"x:p{i}" for i in range(len(rows))],
                          "platform": "twitter", "author_id": [a for a, _ in rows],
                          "created_at": [t0 + pd.Timedelta(days=d, minutes=i)
                                         for i, (_, d) in enumerate(rows)],
                          "kind": "original", "text": "banjir"})
    c = Corpus.from_frames(acc, posts, None)
    v = volume(c, freq="1D")
    peaks = detect_peaks(v.counts, window=5)
    assert len(peaks) == 1 and peaks.loc[0, "count"] == 16
    d = peak_drivers(v, peaks)
    assert d["author_id"].tolist() == ["x:b", "x:c", "x:a"]
    assert d["posts"].tolist() == [12, 3, 1]
