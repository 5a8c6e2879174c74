"""The accuracy of inferred tweet-harvest reply parents, measured where twarc2 states them."""

import importlib.util
from pathlib import Path

import pytest

import kopiresearch as kr

_spec = importlib.util.spec_from_file_location(
    "bench_parents", Path(__file__).resolve().parent.parent / "benchmarks" / "bench_parents.py")
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def page(tweets, users):
    return {"data": tweets, "includes": {"users": users}}


def tweet(tid, minute, author, conv=None, replied_to=None, to_user=None):
    t = {"id": str(tid), "author_id": str(author), "conversation_id": str(conv or tid),
         "created_at": f"2024-11-27T01:{minute:02d}:00.000Z", "text": "x", "lang": "in"}
    if replied_to:
        t["referenced_tweets"] = [{"type": "replied_to", "id": str(replied_to)}]
        t["in_reply_to_user_id"] = str(to_user)
    return t


USERS = [{"id": "1", "username": "Kominfo_Demo"}, {"id": "2", "username": "warga_001"},
         {"id": "3", "username": "warga_002"}]


def test_twarc2_pages_are_written_as_tweet_harvest_writes_them():
    text, truth = bench.twarc2_to_tweet_harvest([page(
        [tweet(10, 0, 1), tweet(11, 5, 2, conv=10, replied_to=10, to_user=1)], USERS)])
    lines = text.split("\r\n")
    assert lines[0] == ",".join(f'"{c}"' for c in bench.ALPHA)
    assert '"Kominfo_Demo"' in lines[2] and '"Wed Nov 27 01:05:00 +0000 2024"' in lines[2]
    assert truth == {"11": "10"}


def test_the_rule_is_right_where_it_can_be_and_wrong_where_it_must_be():
    # 11, 12 and 13 answer the latest earlier post of the account they name: recovered.
    # 15 answers the office's root 10, but the office posted 12 since: the rule picks 12 (the
    # latest earlier post of that account), a miss the rule cannot avoid.
    tweets = [tweet(10, 0, 1), tweet(11, 1, 2, 10, 10, 1), tweet(12, 2, 1, 10, 11, 2),
              tweet(13, 3, 3, 10, 11, 2), tweet(15, 5, 3, 10, 10, 1)]
    r = bench.parent_accuracy([page(tweets, USERS)])
    assert r == {"replies": 4, "recovered": 3, "in_crawl": 4, "in_crawl_recovered": 3,
                 "recoverable": 4}


def test_share_recovered_on_the_bundled_corpus_stays_at_its_measured_level():
    r = bench.parent_accuracy(bench.synthetic_twarc2_pages(kr.load_bundled()))
    assert r["replies"] == 1157
    # measured 1,095 of 1,157 (0.946) when the rule was written: a change of the rule or of
    # the loader that loses parents fails here
    assert r["recovered"] / r["replies"] == pytest.approx(0.946, abs=0.002)
