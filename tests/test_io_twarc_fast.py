"""The fast twarc2 paths (msgspec pages, integer-keyed rules) give exactly what the reference
paths give (``json.loads`` and dicts, string-keyed rules), on pages of every odd shape."""

import json

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

import kopiresearch.io.twarc2 as tw
from kopiresearch.io import example_path, read_twarc2
from kopiresearch.io._common import drop_act_mentions, prefix_only_mentions

pytest.importorskip("msgspec")


def user(uid, name, followers=10, **kw):
    u = {"id": uid, "username": name, "public_metrics": {"followers_count": followers}}
    u.update(kw)
    return u


def tweet(tid, author, text, sec=0, **kw):
    t = {"id": tid, "author_id": author, "text": text, "conversation_id": tid,
         "created_at": f"2024-11-27T01:00:{sec:02d}.000Z",
         "public_metrics": {"like_count": 1, "reply_count": 0, "retweet_count": 2,
                            "quote_count": 0}}
    t.update(kw)
    return t


def ment(uid, name):
    m = {"start": 0, "end": 5}
    if uid is not None:
        m["id"] = uid
    if name is not None:
        m["username"] = name
    return m


def page(data, users=(), tweets=(), **kw):
    p = {"data": data, "includes": {"users": list(users), "tweets": list(tweets)},
         "meta": {"result_count": len(data) if isinstance(data, list) else 1}}
    p.update(kw)
    return json.dumps(p)


REPLY = dict(in_reply_to_user_id="1", referenced_tweets=[{"type": "replied_to", "id": "10"}])

#: One line per case; the comment says which path the line should take.
LINES = [
    # usual pages (fast): replies with a leading run, mentions, quotes by permalink, reposts
    page([tweet("10", "1", "Halo @warga_a dan @Warga_B", entities={"mentions": [
             ment("2", "warga_a"), ment("3", "Warga_B")]}),
          tweet("11", "2", "@akun_satu @warga_b siap @warga_b", 1, **REPLY,
                entities={"mentions": [ment("1", "akun_satu"), ment("3", "warga_b")]}),
          tweet("12", "3", "@akun_satu @warga_a makasih", 2, **REPLY,
                entities={"mentions": [ment("1", "akun_satu"), ment("2", "warga_a")]}),
          tweet("13", "4", "RT @akun_satu: Halo", 3,
                referenced_tweets=[{"type": "retweeted", "id": "10"}]),
          tweet("14", "4", "kata dia https://t.co/x", 4,
                referenced_tweets=[{"type": "quoted", "id": "99"}],
                entities={"urls": [{"expanded_url": "https://twitter.com/orang_lain/status/99"},
                                   {"expanded_url": ""}]}),
          tweet("15", "2", "tanpa entities @warga_b dan surel a@b.c @warga_b", 5),
          tweet("16", "3", "&amp; entitas", 6, public_metrics=None),
          {"id": "17", "author_id": "3", "created_at": "2024-11-27T01:00:06.000Z"}],
         users=[user("1", "Akun_Satu", 0, created_at="2019-05-01T02:00:00.000Z"),
                user("2", "warga_a", 7, location="Kediri", created_at="kemarin"),
                user(" 3 ", "warga_b", -1), user("4", "", 2**70), user("5", None, 2.5),
                user("6", "enam", "8"), user("7", "tujuh", True), user("9", "nol", 0),
                {"username": "no_id"}],
         tweets=[{"id": "10", "author_id": "1"}, {"id": "98", "author_id": " 5 "},
                 {"id": "97", "author_id": "x"}, {"id": "96", "author_id": "6", "author": user(
                     "6", "Enam_Baru", 9, created_at="2018-02-03T04:05:06.000Z")}],
         errors=[{"resource_type": "user", "parameter": "entities.mentions.username",
                  "value": "hilang", "title": "Not Found Error"},
                 {"resource_type": "user", "parameter": "id", "value": "55"},
                 {"resource_type": "tweet", "value": "19"}]),
    # later pages update users: a handle change, a location, a count; a mention that names
    # a new user and one that repeats a known user under another name (ignored)
    page([tweet("20", "5", "@akun_satu @orang_baru halo", 7, **REPLY,
                entities={"mentions": [ment("1", "nama_lain"), ment("8", "orang_baru"),
                                       ment(None, "tanpa_id"), ment(None, None),
                                       ment(" 9 ", "")]}),
          tweet("21", "6", "ok @warga_a", 8, entities={"mentions": None, "urls": None},
                referenced_tweets=None),
          tweet("22", "6", "dua @warga_b", 9, entities={}, referenced_tweets=[
              {"type": "replied_to"}, {"id": "11"}, {"type": "replied_to", "id": " 11 "}]),
          tweet("10", "1", "Halo lagi", 0)],  # a duplicate
         users=[user("1", "akun_satu_baru", 12, location="Pare",
                     created_at="2020-01-01T00:00:00.000Z"), user("2", None, None),
                user("8", "Orang_Baru_Profil", 3)]),
    page([]),  # no tweets
    page([tweet("30", "2", "x", 10, public_metrics={"like_count": "5", "reply_count": " 3 ",
                                                    "retweet_count": "x", "quote_count": 1.0})]),
    # the reference path: ids as numbers, a dict for data, no data, a tweet without a time,
    # counts that are NaN, a lone surrogate, duplicate keys, entities as a list, a flat tweet
    page([tweet(40, 2, "angka", 11)]),
    page(tweet("41", "2", "dict", 12)),
    json.dumps({"includes": {"users": [user("2", "warga_a_lagi")]}, "meta": {}}),
    page([tweet("42", "2", "tanpa waktu", created_at=""), tweet("43", "2", "ok", 13)]),
    page([tweet("44", "3", "x", 14)]).replace('"like_count": 1', '"like_count": NaN'),
    page([tweet("45", "3", "x", 15)]).replace("x", "\\ud83d"),
    page([tweet("46", "3", "x", 16)]).replace('"text": "x"', '"text": "a", "text": "b"'),
    page([tweet("47", "3", "x", 17, entities=[])]),
    json.dumps({**tweet("48", "2", "@warga_b datar", 18,
                        entities={"mentions": [ment("3", "warga_b")]}),
                "author": user("2", "warga_a")}),
    page([tweet("49", "2", "ok", 19)], users=[user(2, "angka")]),
    page(None),
    "[1, 2]",
    '{"data": [',
    page([{"id": "50", "author_id": "2", "text": "nol", "created_at": "2024-11-27T01:01:00Z"},
          {"id": "51", "author_id": "٣", "text": "arab", "created_at": "2024-11-27T01:01:01Z"}],
         users=[user("٣", "angka_arab")]),
]


def load_both(path, monkeypatch, **kw):
    taken = []
    fast_take = tw._State.take_fast

    def spy(self, *a):
        ok = fast_take(self, *a)
        taken.append(ok)
        return ok

    monkeypatch.setattr(tw._State, "take_fast", spy)
    fast = read_twarc2(path, **kw)
    monkeypatch.setattr(tw, "_page_decoder", lambda: None)
    ref = read_twarc2(path, **kw)
    return fast, ref, taken


def assert_same(a, b):
    for name in ("accounts", "posts", "interactions"):
        pdt.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    assert vars(a.report).keys() == vars(b.report).keys()
    for k, v in vars(a.report).items():
        assert repr(v) == repr(getattr(b.report, k)), k
    assert a.meta == b.meta


@pytest.mark.parametrize("keep", [True, False])
def test_fast_pages_give_what_the_reference_path_gives(tmp_path, monkeypatch, keep):
    p = tmp_path / "odd.jsonl"
    p.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    fast, ref, taken = load_both(p, monkeypatch, reply_prefix_mentions=keep)
    assert_same(fast, ref)
    # both paths were used: the usual pages fast, the odd lines by the reference path
    assert taken[:4] == [True, True, True, True] and taken.count(False) >= 10
    assert len(fast.posts) > 10 and len(fast.report.malformed) >= 4
    assert fast.report.derived.get("reply_prefix_mentions", 0) > 0


def test_fast_path_on_the_example_and_a_generated_crawl(tmp_path, monkeypatch):
    fast, ref, taken = load_both(example_path("twarc2_search.jsonl"), monkeypatch)
    assert_same(fast, ref)
    assert any(taken)
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    try:
        from bench_loaders import make_tweets, write_twarc2
    finally:
        sys.path.pop(0)
    p = tmp_path / "gen.jsonl"
    write_twarc2(make_tweets(3000, seed=4), p, page=50)
    fast, ref, taken = load_both(p, monkeypatch)
    assert all(taken) and len(fast.interactions) > 2000
    assert_same(fast, ref)


def _texts(rng, n):
    words = np.array(["@a_1", "@B_2", "@c", "halo", "@a_1", "x@c", "@", "\t", "  ", "\n",
                      "@é", "@b_2:", "kata", "@c_3"])
    out = []
    for _ in range(n):
        k = rng.integers(0, 7)
        sep = rng.choice([" ", "", "  ", "\t"], size=k)
        out.append("".join(w + s for w, s in zip(rng.choice(words, size=k), sep,
                                                 strict=True)))
    return out


def test_prefix_only_on_spans_equals_the_regex_reference():
    rng = np.random.default_rng(7)
    text = pd.Series(_texts(rng, 3000) + [None], dtype="string")
    reply = rng.random(len(text)) < 0.6
    rows = rng.integers(0, len(text), 6000)
    handles = pd.Series(rng.choice(["a_1", "A_1", "b_2", "c", "c_3", "zz", None], 6000),
                        dtype="string")
    got = tw._prefix_only(text, reply, rows, handles)
    want = prefix_only_mentions(text, reply, rows, handles)
    assert want.sum() > 100
    np.testing.assert_array_equal(got, want)


def test_drop_act_mentions_on_codes_equals_the_reference():
    rng = np.random.default_rng(3)
    n = 5000
    edges = pd.DataFrame({
        "row": rng.integers(0, 400, n),
        "kind": rng.choice(["mention", "reply", "quote", "repost", "comment"], n),
        "target_id": pd.Series(rng.choice(["twitter:1", "twitter:2", "twitter:@x", None], n),
                               dtype=object)})
    got, want = tw._drop_act_mentions(edges), drop_act_mentions(edges)
    assert len(want) < n
    pdt.assert_frame_equal(got, want)


def test_strings_equal_pandas_strings():
    for values in (["a", None, "", "é🙌"], [], [None], ["1", 2]):
        pdt.assert_series_equal(tw._strings(values), pd.Series(values, dtype="string"))


def test_string_columns_moved_to_arrow_in_blocks_change_nothing(tmp_path, monkeypatch):
    p = tmp_path / "odd.jsonl"
    p.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    whole = read_twarc2(p)
    monkeypatch.setattr(tw, "_BLOCK", 3)
    assert_same(read_twarc2(p), whole)
