"""instaloader loader: three node shapes, comments and answers, tags, mentions, skipped files."""

import json
import lzma

import pytest

from kopiresearch.errors import InputFormatError
from kopiresearch.io import example_path, read_instaloader


def edges(c):
    h = c.accounts["handle"]
    return {(h[s], h[t], k, p.split(":")[1]) for s, t, k, p in
            c.interactions[["source_id", "target_id", "kind", "post_id"]].itertuples(index=False)}


def test_example_folder_gives_the_interactions_the_rules_imply():
    c = read_instaloader(example_path("instaloader"))
    k, j, w1, w2 = "kominfo.kediri.demo", "kuliner.kediri.demo", "warga_101", "warga_102"
    assert edges(c) == {
        # caption (shape A): mention twice (once at a line start) -> once; trailing '.'
        # stripped; e-mail info@kediri.demo is no mention; tag and mention of the same
        # account both count
        (k, j, "mention", "3500000000000000001"), (k, w1, "mention", "3500000000000000001"),
        (k, j, "tag", "3500000000000000001"),
        # top-level comment: comment to owner, owner not also a mention, warga_102 once
        (w1, k, "comment", "18046512340000002"), (w1, w2, "mention", "18046512340000002"),
        # answers: reply to the comment's owner (not also a mention); the post owner
        # mentioned at a line start of an answer is a mention
        (k, w1, "reply", "18046512340000013"),
        (j, w1, "reply", "18046512340000014"), (j, k, "mention", "18046512340000014"),
        # owner commenting on own post: no comment edge, but its mention counts
        (k, w2, "mention", "18046512340000003"),
        # shape B: caption string, iphone_struct usertags
        (k, w2, "mention", "3500000000000000002"), (k, w1, "tag", "3500000000000000002"),
        # hashtag post with owner id only: handle known from another file
        (w2, k, "mention", "3500000000000000003"),
        # shape C: caption dict, usertags + legacy tagged users (no ids) united
        (j, w2, "mention", "3500000000000000004"), (j, w2, "tag", "3500000000000000004"),
    }
    r = c.report
    assert r.is_consistent and r.duplicates == 1 and len(r.malformed) == 1
    assert "truncated" in r.malformed[0].reason
    assert sorted(m.reason.split(" ")[0] for m in r.skipped) == ["instaloader", "node_type",
                                                                 "node_type"]
    assert c.posts.loc["instagram:18046512340000013", "parent_post_id"] == \
        "instagram:18046512340000002"
    assert c.posts.loc["instagram:18046512340000002", "kind"] == "comment"
    # rule 8: a comment's act happens at the comment's time
    i = c.interactions.set_index("post_id").loc["instagram:18046512340000002"]
    assert (i["created_at"].dt.strftime("%H:%M") == "05:10").all()


def _post(folder, name, node, xz=True):
    obj = {"node": node, "instaloader": {"version": "4.16", "node_type": "Post"}}
    data = json.dumps(obj).encode()
    if xz:
        (folder / f"{name}.json.xz").write_bytes(lzma.compress(data))
    else:
        (folder / f"{name}.json").write_bytes(data)


def test_copies_unite_edges_and_uncompressed_json(tmp_path):
    a, b = tmp_path / "prof.demo", tmp_path / "#tag"
    a.mkdir()
    b.mkdir()
    base = {"id": "5", "shortcode": "X", "taken_at_timestamp": 1732677300,
            "edge_media_to_caption": {"edges": [{"node": {"text": "hai @Warga_201"}}]}}
    _post(a, "p", dict(base, owner={"id": "1", "username": "prof.demo"}), xz=False)
    _post(b, "p", dict(base, owner={"id": "1"}, edge_media_to_tagged_user={
        "edges": [{"node": {"user": {"id": "3", "username": "warga_202"}}}]}))
    (b / "p_comments.json").write_text(json.dumps([
        {"id": "70", "created_at": 1732680000, "text": "@prof.demo @warga_201 ok",
         "owner": {"id": "2", "username": "warga_201"}, "answers": []},
        {"id": "71", "created_at": 1732680000, "text": "no owner", "owner": {},
         "answers": [{"id": 72, "created_at": 1732680100, "text": "x",
                      "owner": {"id": "1", "username": "prof.demo"}}]}]), encoding="utf-8")
    c = read_instaloader(tmp_path)
    assert edges(c) == {("prof.demo", "warga_201", "mention", "5"),
                        ("prof.demo", "warga_202", "tag", "5"),
                        ("warga_201", "prof.demo", "comment", "70")}
    r = c.report
    assert (r.rows_read, r.loaded, r.duplicates, len(r.malformed)) == (5, 2, 1, 2)


def test_comments_without_post_metadata_are_malformed(tmp_path):
    (tmp_path / "x_comments.json").write_text(json.dumps([
        {"id": "70", "created_at": 1, "text": "a", "owner": {"id": "2", "username": "w"},
         "answers": [{"id": 71, "created_at": 2, "text": "b", "owner": {"id": "3"}}]}]),
        encoding="utf-8")
    c = read_instaloader(tmp_path)
    assert c.report.rows_read == 2 and len(c.report.malformed) == 2 and c.report.loaded == 0


def test_folder_without_json_is_an_error(tmp_path):
    (tmp_path / "a.jpg").write_bytes(b"x")
    with pytest.raises(InputFormatError):
        read_instaloader(tmp_path)
    with pytest.raises(InputFormatError):
        read_instaloader(tmp_path / "missing")
