"""instaloader loader: three node shapes, comments and answers, tags, mentions, skipped files."""

import json
import lzma

import pandas as pd
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


def _profile(folder, uid, username, followers, shape="graphql"):
    node = {"id": uid, "username": username, "full_name": username.title()}
    if shape == "graphql":
        node.update(edge_followed_by={"count": followers}, edge_follow={"count": 12})
    else:
        node.update(iphone_struct={"pk": uid, "follower_count": followers})
    obj = {"node": node, "instaloader": {"version": "4.16", "node_type": "Profile"}}
    (folder / f"{username}_{uid}.json.xz").write_bytes(lzma.compress(json.dumps(obj).encode()))


def _realistic_folder(root):
    """A profile target (GraphQL post with counts and a geotag, an iPhone-struct post, a
    4.16 merged post) and its profile metadata, in instaloader's layout."""
    k = root / "kominfo.kediri.demo"
    k.mkdir()
    (k / "id").write_text("1700000001\n", encoding="utf-8")
    _profile(k, "1700000001", "kominfo.kediri.demo", 15400)
    owner = {"id": "1700000001", "username": "kominfo.kediri.demo"}
    _post(k, "2024-11-27_03-15-00_UTC", {
        "__typename": "GraphImage", "id": "3500000000000000001", "shortcode": "DDemoA1",
        "taken_at_timestamp": 1732677300, "owner": owner,
        "edge_media_to_caption": {"edges": [{"node": {"text": "Kopilaborasi di Kediri"}}]},
        "edge_media_preview_like": {"count": 210}, "edge_media_to_comment": {"count": 14},
        "location": {"id": "213385402", "name": "Simpang Lima Gumul", "slug": "slg",
                     "has_public_page": True}})
    _post(k, "2024-11-28_05-00-00_UTC", {
        "shortcode": "DDemoB2", "id": "3500000000000000002", "__typename": "GraphSidecar",
        "is_video": False, "date": 1732770000, "caption": "Rapat koordinasi",
        "edge_media_preview_like": {"count": 98}, "comments": 3, "owner": owner,
        "iphone_struct": {"pk": "3500000000000000002", "like_count": 98, "comment_count": 3,
                          "location": {"pk": 1, "name": "Balai Kota Kediri"}}})
    _post(k, "2024-11-29_01-00-00_UTC", {
        "pk": "3500000000000000003", "code": "DDemoC3", "taken_at": 1732842000,
        "user": owner, "owner": owner, "caption": {"text": "Pasar murah"},
        "like_count": 40, "comment_count": 2, "edge_media_to_parent_comment": {
            "count": 2, "edges": []}})
    (k / "2024-11-29_01-00-00_UTC_location.txt").write_text(
        "Pasar Setono Betek\nhttps://maps.google.com/maps?q=-7.8,112.0&ll=-7.8,112.0\n",
        encoding="utf-8")
    return k


def test_counts_followers_and_location_make_engagement_computable(tmp_path):
    from kopiresearch.metrics import engagement

    _realistic_folder(tmp_path)
    c = read_instaloader(tmp_path)
    p = c.posts
    assert p["like_count"].tolist() == [210, 98, 40]
    assert p["reply_count"].tolist() == [14, 3, 2]
    assert p["location"].tolist() == ["Simpang Lima Gumul", "Balai Kota Kediri",
                                      "Pasar Setono Betek"]
    assert c.accounts.loc["instagram:1700000001", "followers"] == 15400
    row = engagement(c, accounts=["instagram:1700000001"]).loc["instagram:1700000001"]
    assert row["followers"] == 15400 and row["likes"] == 348 and row["comments"] == 19
    # P3 = 1000 * (likes per post) / followers; C3 likewise (Bonson et al. 2015); Instagram
    # gives no share counts, so V3 and E stay unknown
    assert row["P3"] == pytest.approx(1000 * 348 / 3 / 15400)
    assert row["C3"] == pytest.approx(1000 * 19 / 3 / 15400)
    assert pd.isna(row["V3"])
    f = c.report.files_frame()
    assert f["loaded"].sum() == 3 and f["rows_read"].sum() == c.report.rows_read


def test_follower_count_from_an_iphone_profile(tmp_path):
    k = _realistic_folder(tmp_path)
    next(k.glob("kominfo.kediri.demo_*.json.xz")).unlink()
    _profile(k, "1700000001", "kominfo.kediri.demo", 15500, shape="iphone")
    assert read_instaloader(tmp_path).accounts.loc["instagram:1700000001", "followers"] == 15500


@pytest.mark.parametrize("field,value", [
    ("edge_media_preview_like", {"count": -1}), ("edge_media_preview_like", {"count": 1e300}),
    ("edge_media_to_comment", {"count": 2**63}), ("like_count", "banyak"),
    ("taken_at_timestamp", 1e13), ("taken_at_timestamp", -1e12)])
def test_bad_counts_and_times_are_malformed_posts_not_a_refused_folder(tmp_path, field, value):
    k = _realistic_folder(tmp_path)
    _post(k, "2024-11-30_00-00-00_UTC", {
        "id": "3500000000000000009", "shortcode": "DDemoX9", "taken_at_timestamp": 1732924800,
        "owner": {"id": "1700000001", "username": "kominfo.kediri.demo"}, field: value})
    c = read_instaloader(tmp_path)
    r = c.report
    assert r.loaded == 3 and len(r.malformed) == 1 and r.is_consistent
    assert r.malformed[0].file.endswith("2024-11-30_00-00-00_UTC.json.xz")
    assert f"'node.{field}" in r.malformed[0].reason or "'taken_at_timestamp'" in \
        r.malformed[0].reason


def test_top_level_list_and_answers_not_a_list(tmp_path):
    k = _realistic_folder(tmp_path)
    (k / "2024-11-30_00-00-00_UTC.json.xz").write_bytes(lzma.compress(b'[{"node": {}}]'))
    (k / "2024-11-27_03-15-00_UTC_comments.json").write_text(json.dumps([
        {"id": "18046512340000002", "created_at": 1732684200, "text": "mantap",
         "owner": {"id": "1800000042", "username": "warga_00042"}, "likes_count": 3,
         "answers": {"id": 1}},
        {"id": "18046512340000003", "created_at": 1732684300, "text": "hadir",
         "owner": {"id": "1800000043", "username": "warga_00043"}, "likes_count": -2,
         "answers": []}]), encoding="utf-8")
    c = read_instaloader(tmp_path)
    reasons = sorted(m.reason for m in c.report.malformed)
    assert len(reasons) == 3 and c.report.is_consistent
    assert any("JSON list" in x for x in reasons)
    assert any("'answers'" in x for x in reasons)
    assert any("'likes_count'" in x for x in reasons)
    assert c.posts.loc["instagram:18046512340000002", "like_count"] == 3


def test_load_any_keeps_a_download_with_one_truncated_post_but_not_an_all_bad_one(tmp_path):
    from kopiresearch.io import load_any

    k = _realistic_folder(tmp_path)
    (k / "2024-11-30_00-00-00_UTC.json.xz").write_bytes(b"\xfd7zXZ\x00\x00trunc")
    c = load_any(tmp_path)
    assert c.report.loaded == 3 and len(c.report.malformed) == 1
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "2024-11-30_00-00-00_UTC.json.xz").write_bytes(b"\xfd7zXZ\x00\x00trunc")
    with pytest.raises(InputFormatError, match="every row of the input is malformed"):
        load_any(bad)
