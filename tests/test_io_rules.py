"""The ten loader rules, one test each, across the loaders they apply to."""

import json
import lzma
import zlib

import pandas as pd
import pytest
from test_io_tweet_harvest import L15A, write

from kopiresearch.io import (
    read_instaloader,
    read_interactions_csv,
    read_twarc2,
    read_tweet_harvest,
)


def edges(c):
    h = c.accounts["handle"]
    return {(h[s], h[t], k) for s, t, k in
            c.interactions[["source_id", "target_id", "kind"]].itertuples(index=False)}


def th(tmp_path, *tweets):
    """tweet-harvest file from (text, username, reply handle) triples."""
    rows = [(str(100 + i), i, text, uid(user.lower()), user, reply)
            for i, (text, user, reply) in enumerate(tweets)]
    return read_tweet_harvest(write(tmp_path / "t.csv", L15A, tweets=rows))


def uid(handle):
    """A fixed numeric id per handle (owner.demo is 100)."""
    return "100" if handle == "owner.demo" else str(1000 + zlib.crc32(handle.encode()) % 10**6)


def ig(tmp_path, caption, comments=(), tags=()):
    """instaloader folder: one post by owner.demo with comments [(user, text, answers)]."""
    d = tmp_path / "owner.demo"
    d.mkdir(exist_ok=True)
    node = {"id": "1", "shortcode": "S", "taken_at_timestamp": 1732677300,
            "owner": {"id": "100", "username": "owner.demo"},
            "edge_media_to_caption": {"edges": [{"node": {"text": caption}}]},
            "edge_media_to_tagged_user": {"edges": [
                {"node": {"user": {"id": str(200 + i), "username": t}}}
                for i, t in enumerate(tags)]}}
    (d / "p.json.xz").write_bytes(lzma.compress(json.dumps(
        {"node": node, "instaloader": {"node_type": "Post"}}).encode()))
    ids = iter(range(1000, 2000))
    data = [{"id": str(next(ids)), "created_at": 1732680000, "text": text,
             "owner": {"id": uid(u), "username": u},
             "answers": [{"id": next(ids), "created_at": 1732680100, "text": at,
                          "owner": {"id": uid(au), "username": au}}
                         for au, at in answers]}
            for u, text, answers in comments]
    (d / "p_comments.json").write_text(json.dumps(data), encoding="utf-8")
    return read_instaloader(d)


def test_rule1_direction(tmp_path):
    c = th(tmp_path, ("hai", "Pemkab_Demo", ""), ("@Pemkab_Demo tanya", "warga_001",
                                                 "Pemkab_Demo"),
           ("RT @Pemkab_Demo: hai", "warga_002", ""))
    assert edges(c) == {("warga_001", "pemkab_demo", "reply"),
                        ("warga_002", "pemkab_demo", "repost")}
    c = ig(tmp_path, "foto", comments=[("warga_101", "bagus", [("owner.demo", "@warga_101 ya")])],
           tags=["warga_102"])
    assert edges(c) == {("warga_101", "owner.demo", "comment"),
                        ("owner.demo", "warga_101", "reply"), ("owner.demo", "warga_102", "tag")}


def test_rule2_handles_lower_case_without_at(tmp_path):
    c = th(tmp_path, ("@WARGA_001 @Warga_001 halo", "Pemkab_Demo", ""))
    assert set(c.accounts["handle"]) == {"pemkab_demo", "warga_001"}
    assert not c.accounts["handle"].str.contains("@").any()


def test_rule3_one_interaction_per_post_target_kind_and_several_kinds(tmp_path):
    c = th(tmp_path, ("@warga_001 @warga_002 @warga_002 @WARGA_002", "Pemkab_Demo", "warga_001"))
    assert sorted(c.interactions["kind"].astype(str)) == ["mention", "reply"]
    c = ig(tmp_path, "bersama @warga_102 dan @warga_102", tags=["warga_102"])
    assert edges(c) == {("owner.demo", "warga_102", "mention"), ("owner.demo", "warga_102", "tag")}


def test_rule4_no_self_loops(tmp_path):
    c = th(tmp_path, ("@Pemkab_Demo lanjutan @pemkab_demo", "Pemkab_Demo", "Pemkab_Demo"))
    assert c.interactions.empty and c.report.loaded == 1
    c = ig(tmp_path, "aku @owner.demo", comments=[
        ("owner.demo", "makasih @owner.demo", [("owner.demo", "@owner.demo")])])
    assert c.interactions.empty
    p = tmp_path / "g.csv"
    p.write_text("source,target,kind,created_at\na,A,mention,2024-11-27T00:00:00Z\n",
                 encoding="utf-8")
    assert read_interactions_csv(p).interactions.empty


def test_rule5_repost_gives_only_the_repost_edge(tmp_path):
    c = th(tmp_path, ("RT @Pemkab_Demo: ayo @warga_009 dan @warga_008", "warga_001", ""))
    assert edges(c) == {("warga_001", "pemkab_demo", "repost")}


def test_rule6_reply_target_quoted_author_and_post_owner_are_not_mentions(tmp_path):
    c = th(tmp_path, ("@Pemkab_Demo @warga_002 siap", "warga_001", "Pemkab_Demo"))
    assert edges(c) == {("warga_001", "pemkab_demo", "reply"),
                        ("warga_001", "warga_002", "mention")}
    q = {"data": [{"id": "2", "author_id": "20", "text": "Kata @Pemkab_Demo @warga_002",
                   "created_at": "2024-11-27T00:00:00.000Z",
                   "referenced_tweets": [{"type": "quoted", "id": "1"}],
                   "entities": {"mentions": [{"username": "Pemkab_Demo", "id": "10"},
                                             {"username": "warga_002", "id": "30"}]}}],
         "includes": {"users": [{"id": "10", "username": "Pemkab_Demo"},
                                {"id": "20", "username": "warga_001"},
                                {"id": "30", "username": "warga_002"}],
                      "tweets": [{"id": "1", "author_id": "10", "text": "x"}]}}
    p = tmp_path / "q.jsonl"
    p.write_text(json.dumps(q) + "\n", encoding="utf-8")
    assert edges(read_twarc2(p)) == {("warga_001", "pemkab_demo", "quote"),
                                     ("warga_001", "warga_002", "mention")}
    c = ig(tmp_path, "x", comments=[("warga_101", "@owner.demo @warga_102 mantap", [])])
    assert edges(c) == {("warga_101", "owner.demo", "comment"),
                        ("warga_101", "warga_102", "mention")}


def test_rule7_mention_syntax(tmp_path):
    c = th(tmp_path, ("mail humas@pemkab.demo ke @warga_001, x@y dan (@warga_002)",
                      "Pemkab_Demo", ""))
    assert edges(c) == {("pemkab_demo", "warga_001", "mention"),
                        ("pemkab_demo", "warga_002", "mention")}
    c = ig(tmp_path, "@Warga.101\nterima kasih @kuliner.demo. mail a@b.demo @x..y",
           tags=[])
    assert edges(c) == {("owner.demo", "warga.101", "mention"),
                        ("owner.demo", "kuliner.demo", "mention"),
                        ("owner.demo", "x", "mention")}


def test_rule8_time_of_the_containing_post_in_utc(tmp_path):
    c = ig(tmp_path, "@warga_102", comments=[("warga_101", "ok", [])])
    t = c.interactions.set_index("kind")["created_at"]
    assert t["mention"] == pd.Timestamp(1732677300, unit="s", tz="UTC")
    assert t["comment"] == pd.Timestamp(1732680000, unit="s", tz="UTC")
    assert str(c.interactions["created_at"].dt.tz) == "UTC"


def test_rule9_duplicates_by_platform_id_and_edges_united(tmp_path):
    rows = [("100", 1, "@warga_001 a", "11", "Pemkab_Demo", ""),
            ("100", 1, "@warga_001 a", "11", "Pemkab_Demo", "")]
    c = read_tweet_harvest(write(tmp_path / "d.csv", L15A, tweets=rows))
    assert (c.report.loaded, c.report.duplicates) == (1, 1)
    a, b = tmp_path / "a", tmp_path / "#b"
    a.mkdir()
    b.mkdir()
    for folder, extra in ((a, {}), (b, {"edge_media_to_tagged_user": {"edges": [
            {"node": {"user": {"id": "5", "username": "warga_105"}}}]}})):
        node = {"id": "1", "taken_at_timestamp": 1, "owner": {"id": "100"},
                "edge_media_to_caption": {"edges": [{"node": {"text": "hai @warga_104"}}]},
                **extra}
        (folder / "p.json.xz").write_bytes(lzma.compress(json.dumps(
            {"node": node, "instaloader": {"node_type": "Post"}}).encode()))
    c = read_instaloader(tmp_path)
    assert c.report.duplicates == 1
    assert set(c.interactions["kind"].astype(str)) == {"mention", "tag"}


@pytest.mark.parametrize("extra,blank,headers", [("", 0, 0), ("\r\n\r\n", 2, 0)])
def test_rule10_report_adds_up(tmp_path, extra, blank, headers):
    p = write(tmp_path / "r.csv", L15A)
    p.write_bytes(p.read_bytes() + extra.encode() + b'"bad","row"\r\n')
    c = read_tweet_harvest(p)
    r = c.report
    assert r.rows_read == r.loaded + r.duplicates + len(r.malformed) == 6
    assert (r.blank_lines, r.repeated_headers) == (blank, headers)
    assert r.malformed[0].file == str(p) and r.malformed[0].line == 7 + blank
