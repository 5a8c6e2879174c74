"""snscrape Twitter JSONL loader, format detection of non-crawl outputs and load_any."""

import json

import pandas as pd
import pytest
from snscrape_fixtures import (
    BASE,
    KOMINFO,
    TW,
    WARGA,
    WARGA2,
    line,
    search_items,
    tweet,
    user,
)

from kopiresearch.errors import InputFormatError, UnknownFormatError
from kopiresearch.io import (
    detect_format,
    example_path,
    load_any,
    read_snscrape,
    read_twarc2,
)

KOM, W42, W43, BER = ("twitter:1141900000000000001", "twitter:1500000000000000042",
                      "twitter:1500000000000000043", "twitter:1400000000000000301")


def write(tmp_path, items, name="search.jsonl"):
    p = tmp_path / name
    p.write_text("".join(i if isinstance(i, str) else line(i) for i in items),
                 encoding="utf-8")
    return p


def acts(c):
    return {(s, t, k, p.split(":")[1][-1]) for s, t, k, p in
            c.interactions[["source_id", "target_id", "kind", "post_id"]]
            .itertuples(index=False)}


def test_search_crawl_edges_worked_by_hand(tmp_path):
    c = read_snscrape(write(tmp_path, search_items()))
    assert acts(c) == {
        (KOM, W43, "mention", "1"),
        (W42, KOM, "reply", "2"),  # not also a mention (rule 6)
        (W42, W43, "mention", "2"), (W42, BER, "mention", "2"),
        (W43, KOM, "repost", "3"),  # only the repost (rule 5)
        (BER, KOM, "quote", "4"),  # the quoted author is not also a mention
        (W42, "twitter:@warga_00099", "repost", "5"),  # TweetRef: the RT text names him
        (W43, "twitter:@warga_00098", "quote", "6"),  # Tombstone: the permalink does
    }  # tweet 7 is a self-reply: no act (rule 4)
    p = c.posts
    assert p.loc[f"twitter:{BASE + 2}", "parent_post_id"] == f"twitter:{BASE + 1}"
    assert p.loc[f"twitter:{BASE + 2}", "conversation_id"] == f"twitter:{BASE + 1}"
    assert p.loc[f"twitter:{BASE + 2}", "text"].count("&") == 1  # &amp; unescaped
    assert p.loc[f"twitter:{BASE + 1}", "like_count"] == 41
    assert {k: n for k, n in p["kind"].value_counts().items() if n} == {
        "reply": 2, "repost": 2, "quote": 2, "original": 1}
    a = c.accounts
    assert a.loc[KOM, "followers"] == 15000 and a.loc[KOM, "location"] == "Kediri, Jawa Timur"
    assert c.report.derived == {"reply_prefix_mentions": 1}  # @warga_00043 in 2's prefix
    f = c.report.files_frame()
    assert f[["rows_read", "loaded"]].values.tolist() == [[7, 7]]
    assert (f["first"][0], f["last"][0]) == ("2023-01-05T03:00:00Z", "2023-01-05T07:00:00Z")


def test_ids_stay_exact_and_rounded_ids_are_malformed(tmp_path):
    big = 2**63 - 5  # far beyond 2**53: a float would change it
    t = tweet(big, user(big - 1, "warga_00042"), "halo", "2023-01-05T03:00:00+00:00")
    buggy = tweet(BASE + 8, user(BASE + 9, "warga_00043", buggy=True), "hai",
                  "2023-01-05T03:00:00+00:00", buggy=True)
    buggy["id"] = float(buggy["id"])  # a JavaScript tool re-wrote it: id.str stays exact
    rounded = tweet(BASE + 10, WARGA(), "x", "2023-01-05T03:00:00+00:00")
    rounded["id"] = 1.6e18
    c = read_snscrape(write(tmp_path, [t, buggy, rounded]))
    assert f"twitter:{big}" in c.posts.index and f"twitter:{big - 1}" in c.accounts.index
    assert f"twitter:{BASE + 8}" in c.posts.index and f"twitter:{BASE + 9}" in c.accounts.index
    (m,) = c.report.malformed
    assert m.line == 3 and "exact integer" in m.reason


def test_deprecated_aliases_and_old_versions(tmp_path):
    # snscrape 0.4: 'content', no rawContent / inReplyToTweetId / inReplyToUser /
    # mentionedUsers; mentions then come from the text
    t = tweet(BASE + 1, WARGA(), "@KominfoKdr_Demo kapan diperbaiki? cc @warga_00043",
              "2022-03-01T01:00:00+00:00")
    for k in ("rawContent", "inReplyToTweetId", "inReplyToUser", "mentionedUsers"):
        t.pop(k)
    c = read_snscrape(write(tmp_path, [t]))
    assert {(s, tg, k) for s, tg, k, _ in acts(c)} == {
        (W42, "twitter:@kominfokdr_demo", "mention"), (W42, "twitter:@warga_00043", "mention")}


def test_malformed_lines_counts_and_times(tmp_path):
    good = tweet(BASE + 1, KOMINFO(), "halo", "2023-01-05T03:00:00+00:00")
    neg = tweet(BASE + 2, KOMINFO(), "a", "2023-01-05T03:00:00+00:00", likes=-1)
    huge = tweet(BASE + 3, KOMINFO(), "b", "2023-01-05T03:00:00+00:00")
    huge["retweetCount"] = 99999999999999999999
    year = tweet(BASE + 4, KOMINFO(), "c", "3023-01-05T03:00:00+00:00")
    deep = "[" * 100000 + "]" * 100000 + "\n"
    items = [good, neg, huge, year, deep, '{"_type": "snscrape.modules.twitter.Tw\n', "\n",
             {"id": 5}, good]
    c = read_snscrape(write(tmp_path, items))
    r = c.report
    assert (r.rows_read, r.loaded, r.duplicates, len(r.malformed), r.blank_lines) == (
        8, 1, 1, 6, 1)
    reasons = {m.line: m.reason for m in r.malformed}
    assert "'likeCount'" in reasons[2] and "-1" in reasons[2]
    assert "'retweetCount'" in reasons[3]
    assert "'date'" in reasons[4] and "1677" in reasons[4]
    assert "JSON" in reasons[5] and "JSON" in reasons[6] and "_type" in reasons[8]


def test_reply_prefix_option(tmp_path):
    p = write(tmp_path, search_items())
    drop = read_snscrape(p, reply_prefix_mentions=False)
    assert (W42, W43, "mention", "2") not in acts(drop)
    assert (W42, BER, "mention", "2") in acts(drop)  # written after the prefix
    assert drop.report.derived == {"reply_prefix_mentions": 1,
                                   "reply_prefix_mentions_dropped": 1}
    assert load_any(p, reply_prefix_mentions=False).report.derived == drop.report.derived


def test_with_entity_user_line_is_not_a_row(tmp_path):
    entity = dict(WARGA2(), location="Gurah, Kediri", _snscrape="0.7.0.20230622")
    c = read_snscrape(write(tmp_path, [entity] + search_items()[:2]))
    assert c.report.rows_read == 2 and c.accounts.loc[W43, "location"] == "Gurah, Kediri"
    assert "User" in c.report.skipped[0].reason
    assert detect_format(tmp_path / "search.jsonl") == "snscrape"


def test_detection_names_what_non_crawl_files_are(tmp_path):
    cases = {
        "sns_reddit.jsonl": [{"_type": "snscrape.modules.reddit.Submission", "id": "x1",
                              "_snscrape": "0.7.0"}],
        "sns_users.jsonl": [KOMINFO(), WARGA()],
        "users.jsonl": [{"data": [{"id": "1", "username": "warga_00042", "name": "W"}],
                         "__twarc": {}}],
        "counts.jsonl": [{"data": [{"end": "2024-11-28T00:00:00.000Z", "start":
                                    "2024-11-27T00:00:00.000Z", "tweet_count": 12}],
                          "meta": {"total_tweet_count": 12}}],
    }
    expect = {"sns_reddit.jsonl": "reddit.Submission", "sns_users.jsonl": "twitter.User",
              "users.jsonl": "users output", "counts.jsonl": "counts output"}
    for name, items in cases.items():
        p = write(tmp_path, items, name)
        with pytest.raises(UnknownFormatError, match=expect[name]):
            detect_format(p)
        with pytest.raises(UnknownFormatError, match=expect[name]):
            load_any(p)
    for name in ("users.jsonl", "counts.jsonl"):  # the twarc2 loader says so too
        with pytest.raises(UnknownFormatError, match=expect[name]):
            read_twarc2(tmp_path / name)
    with pytest.raises(UnknownFormatError, match="not Twitter tweets|without tweets"):
        read_snscrape(tmp_path / "sns_reddit.jsonl")
    csvs = {"users.csv": ("id,created_at,username,name,description\n1,x,warga_00042,W,\n",
                          "users file"),
            "counts.csv": ("start,end,tweet_count\na,b,3\n", "counts file"),
            "enc.csv": ('id,conversation_id,author_id,created_at,text\n'
                        '"""1""","""1""","""2""","""2024-11-27T01:00:00.000Z""","""hai"""\n',
                        "--json-encode-all")}
    for name, (text, what) in csvs.items():
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        with pytest.raises(UnknownFormatError, match=what):
            detect_format(p)


def test_deeply_nested_first_line_does_not_crash_detection(tmp_path):
    p = tmp_path / "deep.jsonl"
    p.write_text("[" * 200000 + "]" * 200000 + "\n", encoding="utf-8")
    assert detect_format(p) == "twarc2"  # the loader then reports the line as malformed
    with pytest.raises(InputFormatError, match="every row of the file is malformed"):
        load_any(p)


def test_folder_with_non_crawl_files_lists_them_as_skipped(tmp_path):
    write(tmp_path, search_items(), "a_sns.jsonl")
    write(tmp_path, [{"data": [{"id": "1", "username": "warga_00042"}]}], "b_users.jsonl")
    (tmp_path / "notes.txt").write_text("catatan", encoding="utf-8")
    (tmp_path / "c_labels.csv").write_text("account_id,actor_type\nx,citizen\n",
                                           encoding="utf-8")
    c = load_any(tmp_path)
    assert c.report.loaded == 7
    why = {s.file.rsplit("/", 1)[-1]: s.reason for s in c.report.skipped}
    assert set(why) == {"b_users.jsonl", "notes.txt", "c_labels.csv"}
    assert "users output" in why["b_users.jsonl"] and "header" in why["c_labels.csv"]


def test_nothing_loads_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    write(tmp_path, [{"data": [{"id": "1", "username": "warga_00042"}]}], "users.jsonl")
    with pytest.raises(InputFormatError, match="nothing loads.*users output"):
        load_any(tmp_path)


def test_all_malformed_file_is_an_error_even_beside_good_files(tmp_path):
    good = write(tmp_path, search_items(), "good.jsonl")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(line(tweet(BASE + 50, WARGA2(), "x", "kemarin")) * 3, encoding="utf-8")
    with pytest.raises(InputFormatError, match=r"bad\.jsonl.*every row.*'date'"):
        load_any([good, bad])


def test_example_file():
    c = read_snscrape(example_path("snscrape_twitter.jsonl"))
    assert c.report.is_consistent and c.report.loaded == 7
    assert json.loads(example_path("snscrape_twitter.jsonl").read_text().splitlines()[0])[
        "_type"] == TW + "Tweet"


def test_account_created_and_expanded_urls(tmp_path):
    # the User's "created" -> account age; links/outlinks (the same URLs twice) -> one list
    c = read_snscrape(write(tmp_path, search_items()))
    assert c.accounts.loc[KOM, "account_created_at"] == pd.Timestamp("2019-05-01T02:00:00Z")
    permalink = f"https://twitter.com/KominfoKdr_Demo/status/{BASE + 1}"
    assert c.posts.loc[f"twitter:{BASE + 4}", "expanded_urls"] == permalink
    assert pd.isna(c.posts.loc[f"twitter:{BASE + 1}", "expanded_urls"])
    # the quoted permalink is a URL (and its domain) of the post for the text module
    from kopiresearch.text import post_items

    items = post_items(c.posts, items=["url", "domain"])
    mine = items[items["post_id"] == f"twitter:{BASE + 4}"]
    assert mine["item"].tolist() == [permalink.lower(), "twitter.com"]
