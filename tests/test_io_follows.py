"""Follower lists: twarc2 followers/following pages and the generic follows CSV, worked by hand
from the invented examples in data/examples/follows/, and their use in cascade reconstruction."""

import json

import pandas as pd
import pytest

import kopiresearch.io as kio
from kopiresearch.cascades import reconstruct_cascades
from kopiresearch.corpus import Corpus
from kopiresearch.errors import InputFormatError
from kopiresearch.io.follows import FOLLOWS_COLUMNS, read_follows

EX = kio.example_path("follows")
KDR, JAJAN, BERITA = "1141900000000000001", "1300000000000000201", "1400000000000000301"
W1, W2, W3, W50, W9 = ("1500000000000000101", "1500000000000000102", "1500000000000000103",
                       "1500000000000000150", "1600000000000000999")


def tw(uid):
    return f"twitter:{uid}"


def pairs(frame):
    return set(frame.itertuples(index=False, name=None))


def test_twarc2_followers_point_from_each_user_to_the_owner():
    follows, report = read_follows(EX / "twarc2_followers_kominfokdr_demo.jsonl")
    # two pages, six users, all following kominfokdr_demo (id in __twarc.url)
    assert pairs(follows) == {(tw(u), tw(KDR)) for u in (W1, W2, JAJAN, BERITA, W3, W50)}
    assert (report.rows_read, report.loaded, report.duplicates) == (6, 6, 0)
    assert report.warnings == []  # the last page has no next_token: the list is complete
    fc = report.file_counts[0]
    assert (fc.first, fc.last) == ("2024-11-30T08:00:00Z", "2024-11-30T08:00:02Z")  # retrieved


def test_twarc2_following_points_from_the_owner_to_each_user():
    follows, _ = read_follows(EX / "twarc2_following_warga_001.jsonl")
    assert pairs(follows) == {(tw(W1), tw(u)) for u in (KDR, JAJAN, BERITA)}


def test_folder_mix_duplicates_and_handles_without_corpus():
    follows, report = read_follows(EX)
    # the following file repeats W1 -> KDR from the followers file: one duplicate
    assert report.duplicates == 1 and report.is_consistent
    assert report.rows_read == 6 + 3 + 4
    assert ("twitter:@warga_002", "twitter:@jajankdr_demo") in pairs(follows)  # CSV handles
    assert (tw(W2), tw(BERITA)) in pairs(follows)  # bare ids
    assert (tw(W9), tw(KDR)) in pairs(follows)  # qualified ids
    assert list(follows.columns) == list(FOLLOWS_COLUMNS)
    assert follows.equals(follows.sort_values(list(FOLLOWS_COLUMNS)).reset_index(drop=True))


def test_corpus_resolves_handles_to_its_accounts():
    crawl = kio.load_any([kio.example_path("twarc2_search.jsonl"),
                          kio.example_path("tweet_harvest_2.6.1.csv")])
    follows, report = read_follows(EX, corpus=crawl)
    got = pairs(follows)
    # the CSV names @warga_002 and @JajanKdr_Demo: the corpus knows both by id
    assert (tw(W2), tw(JAJAN)) in got and ("twitter:@warga_002", "twitter:@jajankdr_demo") \
        not in got
    # warga_003 has id ...103 in the follower page but only a handle account in the corpus
    assert ("twitter:@warga_003", tw(KDR)) in got
    # 6 + 3 + 4 rows, one duplicate (W1 -> KDR in both twarc2 files): 12 ties
    assert len(follows) == 12
    # warga_050 is not in the corpus: kept, and said
    assert (tw(W50), tw(KDR)) in got
    assert len(report.warnings) == 1 and "1 of 12" in report.warnings[0].problem


def _page(users, url=None, next_token=False):
    page = {"data": users, "meta": {"result_count": len(users)}}
    if next_token:
        page["meta"]["next_token"] = "X"
    if url:
        page["__twarc"] = {"url": url, "version": "2.14.0",
                           "retrieved_at": "2024-11-30T08:00:00+00:00"}
    return json.dumps(page)


U = [{"id": W1, "username": "warga_001"}, {"id": W2, "username": "warga_002"}]
URL = f"https://api.twitter.com/2/users/{KDR}/followers?max_results=1000"


def test_no_metadata_needs_account_and_kind(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text(_page(U) + "\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"line 1.*cannot tell whose list"):
        read_follows(path)
    follows, _ = read_follows(path, account="@KominfoKdr_Demo", kind="following")
    assert pairs(follows) == {("twitter:@kominfokdr_demo", tw(W1)),
                              ("twitter:@kominfokdr_demo", tw(W2))}
    follows, _ = read_follows(path, account=KDR, kind="followers")
    assert pairs(follows) == {(tw(W1), tw(KDR)), (tw(W2), tw(KDR))}


def test_kind_must_agree_with_the_url(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text(_page(U, URL) + "\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="kind='following'"):
        read_follows(path, kind="following")


def test_flattened_lines_truncation_cut_lists_and_bad_users(tmp_path):
    path = tmp_path / "f.jsonl"
    flat = dict(U[0], __twarc={"url": URL})
    lines = [json.dumps(flat), _page([U[1], {"username": "no_id"}], URL, next_token=True),
             '{"data": [{"id": "15000000000000001']
    path.write_text("\n".join(lines), encoding="utf-8")
    follows, report = read_follows(path)
    assert pairs(follows) == {(tw(W1), tw(KDR)), (tw(W2), tw(KDR))}
    reasons = sorted((m.line, m.reason) for m in report.malformed)
    assert reasons == [(2, "user without a numeric 'id'"), (3, "truncated or invalid JSON line")]
    assert report.rows_read == 4 and report.is_consistent
    assert len(report.warnings) == 1 and "incomplete" in report.warnings[0].problem


def test_empty_pages_and_tweet_pages(tmp_path):
    path = tmp_path / "f.jsonl"
    path.write_text('{"meta": {"result_count": 0}}\n', encoding="utf-8")
    follows, report = read_follows(path)
    assert len(follows) == 0 and report.rows_read == 0
    path.write_text(_page([{"id": "1", "text": "halo", "author_id": "2"}], URL) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputFormatError, match="tweets, not users"):
        read_follows(path)


def test_generic_csv_rules(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("Follower_ID,Followee,platform\n"
                    "@a_demo,b_demo,\n"
                    "\n"
                    "Follower_ID,Followee,platform\n"
                    "c.demo,d.demo,instagram\n"
                    ",b_demo,\n"
                    "x_demo,x_demo,\n"
                    "a_demo,B_DEMO,\n"
                    "e_demo,f_demo,myspace\n", encoding="utf-8")
    follows, report = read_follows(path)
    assert pairs(follows) == {("twitter:@a_demo", "twitter:@b_demo"),
                              ("instagram:@c.demo", "instagram:@d.demo")}
    assert report.blank_lines == 1 and report.repeated_headers == 1
    assert report.duplicates == 1  # a_demo -> B_DEMO is a_demo -> b_demo again
    assert sorted((m.line, m.reason) for m in report.malformed) == [
        (6, "follower or followed is empty"), (7, "an account follows itself"),
        (9, "unknown platform 'myspace'")]
    assert report.rows_read == 6 and report.is_consistent


def test_generic_csv_needs_both_columns(tmp_path):
    path = tmp_path / "f.csv"
    path.write_text("source,target\na,b\n", encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        read_follows(path)
    assert err.value.line == 1 and err.value.column == "follower" and "f.csv" in str(err.value)


def _star_corpus():
    """r = office posts p1; b reposts at 1 h, c at 2 h; both reposts name only the root."""
    t = pd.Timestamp("2024-11-27T01:00:00Z")
    accounts = pd.DataFrame({"account_id": ["twitter:1", "twitter:2", "twitter:3"],
                             "platform": "twitter", "handle": ["r_demo", "b_demo", "c_demo"],
                             "actor_type": ["government_regency", "citizen", "citizen"],
                             "region_code": ["3506", None, None]})
    posts = pd.DataFrame({"post_id": ["twitter:p1", "twitter:p2", "twitter:p3"],
                          "platform": "twitter",
                          "author_id": ["twitter:1", "twitter:2", "twitter:3"],
                          "created_at": [t, t + pd.Timedelta(hours=1),
                                         t + pd.Timedelta(hours=2)],
                          "kind": ["original", "repost", "repost"],
                          "parent_post_id": [None, "twitter:p1", "twitter:p1"]})
    inter = pd.DataFrame({"source_id": ["twitter:2", "twitter:3"],
                          "target_id": ["twitter:1", "twitter:1"], "kind": "repost",
                          "created_at": posts["created_at"].iloc[1:].to_numpy(),
                          "post_id": ["twitter:p2", "twitter:p3"]})
    return Corpus.from_frames(accounts, posts, inter)


def test_follows_decide_the_cascade_parent(tmp_path):
    corpus = _star_corpus()
    path = tmp_path / "follows.csv"
    path.write_text("follower,followed\n@c_demo,@b_demo\n", encoding="utf-8")
    follows, _ = read_follows(path, corpus=corpus)
    assert pairs(follows) == {("twitter:3", "twitter:2")}
    nodes = reconstruct_cascades(corpus, follows=follows).nodes.set_index("post_id")
    # c follows b and b reposted earlier: c's repost hangs from b's (Goel et al. 2016 rule)
    assert nodes.loc["twitter:p3", "parent_post_id"] == "twitter:p2"
    assert nodes.loc["twitter:p3", "parent_source"] == "inferred"
    star = reconstruct_cascades(corpus, method="interactions").nodes.set_index("post_id")
    assert star.loc["twitter:p3", "parent_post_id"] == "twitter:p1"
