"""twarc2 JSONL (pages and flattened) and twarc-csv loaders against hand-worked cases."""

import csv
import json

import pandas as pd
import pytest

from kopiresearch.errors import InputFormatError, UnknownFormatError
from kopiresearch.io import example_path, read_twarc2, read_twarc_csv

USERS = {"1": "Kominfo_Demo", "2": "warga_001", "3": "warga_002", "4": "Berita_Demo"}


def user(uid):
    return {"id": uid, "username": USERS[uid], "public_metrics": {"followers_count": int(uid)}}


def ment(uid, start=0):
    return {"start": start, "end": start + 5, "username": USERS[uid], "id": uid}


def tweet(tid, author, text, sec=0, **kw):
    t = {"id": tid, "author_id": author, "text": text,
         "created_at": f"2024-11-27T01:00:{sec:02d}.000Z"}
    t.update(kw)
    return t


ORIG = tweet("10", "1", "Halo @warga_001 @warga_001 dan @Berita_Demo",
             entities={"mentions": [ment("2"), ment("2", 20), ment("4")]})
REPLY = tweet("11", "2", "@Kominfo_Demo @warga_002 siap", 1, in_reply_to_user_id="1",
              referenced_tweets=[{"type": "replied_to", "id": "10"}],
              entities={"mentions": [ment("1"), ment("3")]})
QUOTE = tweet("12", "4", "Kata @Kominfo_Demo https://t.co/x", 2,
              referenced_tweets=[{"type": "quoted", "id": "10"}],
              entities={"mentions": [ment("1")]})
RT = tweet("13", "3", "RT @Kominfo_Demo: Halo @warga_001", 3,
           referenced_tweets=[{"type": "retweeted", "id": "10"}],
           entities={"mentions": [ment("1"), ment("2")]})
SELF = tweet("14", "2", "@warga_001 lanjut", 4, in_reply_to_user_id="2",
             referenced_tweets=[{"type": "replied_to", "id": "11"}],
             entities={"mentions": [ment("2")]})
EXPECTED = {
    ("kominfo_demo", "warga_001", "mention", "10"),
    ("kominfo_demo", "berita_demo", "mention", "10"),
    ("warga_001", "kominfo_demo", "reply", "11"), ("warga_001", "warga_002", "mention", "11"),
    ("berita_demo", "kominfo_demo", "quote", "12"),
    ("warga_002", "kominfo_demo", "repost", "13"),
}


def edges(c):
    h = c.accounts["handle"]
    return {(h[s], h[t], k, p.split(":")[1]) for s, t, k, p in
            c.interactions[["source_id", "target_id", "kind", "post_id"]].itertuples(index=False)}


def page(data, users, tweets=(), errors=None):
    p = {"data": data, "includes": {"users": [user(u) for u in users], "tweets": list(tweets)}}
    if errors:
        p["errors"] = errors
    return json.dumps(p)


def test_pages_with_includes_across_lines(tmp_path):
    # page 2 references tweet 10 whose author is only in page 1's includes
    lines = [page([ORIG, REPLY], ["1", "2", "3", "4"], tweets=[ORIG, REPLY]),
             page([QUOTE, RT, SELF], ["2"], tweets=[QUOTE, RT, SELF]), ""]
    p = tmp_path / "a.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    c = read_twarc2(p)
    assert edges(c) == EXPECTED
    assert c.report.rows_read == 5 and c.report.loaded == 5 and c.report.blank_lines == 1
    assert c.posts.loc["twitter:13", "kind"] == "repost"
    assert c.posts.loc["twitter:12", "parent_post_id"] == "twitter:10"
    assert c.accounts.loc["twitter:4", "followers"] == 4


def test_flattened_file_gives_the_same(tmp_path):
    def flat(t):
        t = dict(t)
        t["author"] = user(t["author_id"])
        refs = []
        for r in t.get("referenced_tweets", []):
            ref = {"author_id": "1", "id": r["id"], "type": r["type"], "author": user("1")}
            if r["id"] == "11":
                ref.update(author_id="2", author=user("2"))
            refs.append(ref)
        if refs:
            t["referenced_tweets"] = refs
        return json.dumps(t)

    p = tmp_path / "flat.jsonl"
    p.write_text("\n".join(flat(t) for t in (ORIG, REPLY, QUOTE, RT, SELF)) + "\n",
                 encoding="utf-8")
    assert edges(read_twarc2(p)) == EXPECTED


def test_errors_users_truncated_line_and_duplicates(tmp_path):
    gone = tweet("20", "2", "@warga_009 halo", 5, in_reply_to_user_id="99",
                 referenced_tweets=[{"type": "replied_to", "id": "19"}],
                 entities={"mentions": [{"start": 0, "end": 10, "username": "warga_009"}]})
    errors = [{"value": "19", "resource_type": "tweet", "parameter": "referenced_tweets.id",
               "resource_id": "19", "title": "Not Found Error"},
              {"value": "warga_009", "resource_type": "user", "title": "Forbidden",
               "parameter": "entities.mentions.username", "resource_id": "warga_009",
               "detail": "User has been suspended: [warga_009]."}]
    lines = [page([ORIG, gone], ["1", "2", "4"], errors=errors), page([ORIG], ["1"]),
             page([REPLY], ["2"])[:40]]
    p = tmp_path / "a.jsonl"
    p.write_text("\n".join(lines), encoding="utf-8")  # no trailing newline: killed crawl
    c = read_twarc2(p)
    r = c.report
    assert (r.rows_read, r.loaded, r.duplicates, len(r.malformed)) == (4, 2, 1, 1)
    assert r.malformed[0].line == 3 and "JSON" in r.malformed[0].reason
    # the suspended user, known only from errors, is an account; the reply target id too
    assert "twitter:@warga_009" in c.accounts.index and "twitter:99" in c.accounts.index
    i = c.interactions.set_index("post_id").loc[["twitter:20"]]
    assert set(zip(i["target_id"], i["kind"])) == {("twitter:99", "reply"),
                                                   ("twitter:@warga_009", "mention")}
    assert bool(c.posts.loc["twitter:20", "parent_missing"])


def test_example_twarc2():
    c = read_twarc2(example_path("twarc2_search.jsonl"))
    assert c.report.duplicates == 1 and len(c.report.malformed) == 1
    # includes.tweets repeats the data tweets: posts are data only
    assert len(c.posts) == 5


CSV_COLS = ["id", "conversation_id", "referenced_tweets.replied_to.id",
            "referenced_tweets.retweeted.id", "referenced_tweets.quoted.id", "author_id",
            "in_reply_to_user_id", "in_reply_to_username", "retweeted_user_id",
            "retweeted_username", "quoted_user_id", "quoted_username", "created_at", "text",
            "entities.mentions", "author.username", "public_metrics.like_count"]


def csv_row(**kw):
    row = dict.fromkeys(CSV_COLS, "")
    row.update(kw)
    return ",".join(f'"{row[c]}"' if "," in row[c] else row[c] for c in CSV_COLS)


def test_twarc_csv_retweet_rows_carry_original_mentions(tmp_path):
    t = "2024-11-27T01:00:00.000Z"
    rows = [
        csv_row(id="10", author_id="1", **{"author.username": "Kominfo_Demo"}, created_at=t,
                text="Halo @warga_001", **{"entities.mentions": '[""@warga_001""]'},
                **{"public_metrics.like_count": "41.0"}),
        # retweet by warga_002: text and mentions are the original's (mentions warga_002!)
        csv_row(id="13", author_id="3", **{"author.username": "warga_002"}, created_at=t,
                text="Halo @warga_002", **{"entities.mentions": '[""@warga_002""]'},
                **{"referenced_tweets.retweeted.id": "10", "retweeted_user_id": "1",
                   "retweeted_username": "Kominfo_Demo"}),
        # reply to an unavailable tweet: no username, only the id
        csv_row(id="14", author_id="2", **{"author.username": "warga_001"}, created_at=t,
                text="@warga_009 @Kominfo_Demo setuju",
                **{"entities.mentions": '[""@warga_009"", ""@Kominfo_Demo""]',
                   "referenced_tweets.replied_to.id": "9", "in_reply_to_user_id": "99"}),
        csv_row(id="15", author_id="4", **{"author.username": "Berita_Demo"}, created_at=t,
                text="Kata @Kominfo_Demo", **{"entities.mentions": '[""@Kominfo_Demo""]',
                                              "referenced_tweets.quoted.id": "10",
                                              "quoted_user_id": "1",
                                              "quoted_username": "Kominfo_Demo"}),
        csv_row(id="15", author_id="4", created_at=t, text="dup"),
        csv_row(id="1.86E+18", author_id="4", created_at=t, text="excel"),
    ]
    p = tmp_path / "a.csv"
    p.write_text(",".join(CSV_COLS) + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    c = read_twarc_csv(p)
    h = c.accounts["handle"].to_dict()
    assert edges(c) == {
        ("kominfo_demo", "warga_001", "mention", "10"),
        ("warga_002", "kominfo_demo", "repost", "13"),
        ("warga_001", "warga_009", "reply", "14"),
        ("warga_001", "kominfo_demo", "mention", "14"),
        ("berita_demo", "kominfo_demo", "quote", "15"),
    }
    assert h["twitter:99"] == "warga_009"
    r = c.report
    assert (r.rows_read, r.loaded, r.duplicates, len(r.malformed)) == (6, 4, 1, 1)
    assert r.malformed[0].line == 7
    assert c.posts.loc["twitter:10", "like_count"] == 41


def test_twarc_csv_missing_column_names_file_and_column(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("id,text\n1,halo\n", encoding="utf-8")
    with pytest.raises(InputFormatError) as err:
        read_twarc_csv(p)
    assert err.value.column == "author_id" and str(p) in str(err.value)


def test_example_twarc_csv():
    c = read_twarc_csv(example_path("twarc_csv.csv"))
    e = edges(c)
    # the merged retweet row carries the original's mentions: only the repost edge
    assert {k for s, _, k, _ in e if s == "warga_002"} == {"repost"}
    # warga_004 mentions kominfokdr_demo twice in a reply to it: only the reply
    assert {k for s, t, k, _ in e if s == "warga_004" and t == "kominfokdr_demo"} == {"reply"}


def test_twarc2_encoding(tmp_path):
    line = json.dumps({"data": [tweet("30", "1", "Café enak")]}, ensure_ascii=False)
    p = tmp_path / "a.jsonl"
    p.write_bytes(b"\xef\xbb\xbf" + line.encode("utf-8") + b"\n" + line.encode("utf-8")[:-3])
    c = read_twarc2(p)  # BOM loads; a last line cut inside a character is malformed
    assert c.report.loaded == 1 and c.report.malformed[0].line == 2
    assert c.posts.loc["twitter:30", "text"] == "Café enak"
    p.write_bytes(line.encode("latin-1") + b"\n")
    with pytest.raises(InputFormatError) as err:
        read_twarc2(p)
    assert err.value.line == 1 and "UTF-8" in str(err.value)


def test_twarc2_bad_counts_and_years_are_malformed_rows(tmp_path):
    rows = [tweet("40", "1", "a", public_metrics={"like_count": 99999999999999999999}),
            tweet("41", "1", "b", public_metrics={"retweet_count": -3}),
            tweet("42", "1", "c", public_metrics={"reply_count": 1e300}),
            tweet("43", "1", "d", public_metrics={"quote_count": float("inf")}),
            tweet("44", "1", "e", public_metrics={"like_count": 2**63}),
            dict(tweet("45", "1", "f"), created_at="3024-11-27T01:00:00.000Z"),
            dict(tweet("46", "1", "g"), created_at="1500-11-27T01:00:00.000Z"),
            tweet("47", "1", "ok", public_metrics={"like_count": 5, "retweet_count": 2})]
    p = tmp_path / "a.jsonl"
    p.write_text("".join(json.dumps({"data": [t], "includes": {"users": [user("1")]}}) + "\n"
                         for t in rows), encoding="utf-8")
    c = read_twarc2(p)
    r = c.report
    assert (r.loaded, len(r.malformed)) == (1, 7) and r.is_consistent
    by_line = {m.line: m.reason for m in r.malformed}
    assert "'public_metrics.like_count'" in by_line[1] and "'public_metrics.retweet_count'" \
        in by_line[2] and "'public_metrics.reply_count'" in by_line[3]
    assert "'public_metrics.quote_count'" in by_line[4] and "like_count" in by_line[5]
    assert "'created_at'" in by_line[6] and "1677" in by_line[7]
    assert c.posts.loc["twitter:47", "like_count"] == 5
    assert c.posts.loc["twitter:47", "repost_count"] == 2
    f = r.files_frame()
    assert f[["rows_read", "loaded", "malformed"]].values.tolist() == [[8, 1, 7]]


def test_twarc2_conversation_location_and_file_counts(tmp_path):
    u = dict(user("1"), location="Kota Kediri")
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(json.dumps({"data": [dict(REPLY, conversation_id="10"), ORIG],
                             "includes": {"users": [u, user("2")]}}) + "\n",
                 encoding="utf-8")
    b.write_text(json.dumps({"data": [ORIG, QUOTE], "includes": {"users": [user("4")]}})
                 + "\n", encoding="utf-8")
    c = read_twarc2([a, b])
    assert c.posts.loc["twitter:11", "conversation_id"] == "twitter:10"
    assert c.accounts.loc["twitter:1", "location"] == "Kota Kediri"
    f = c.report.files_frame()
    assert f[["rows_read", "loaded", "duplicates"]].values.tolist() == [[2, 2, 0], [2, 1, 1]]
    assert f["first"].tolist() == ["2024-11-27T01:00:00Z", "2024-11-27T01:00:00Z"]
    assert f["last"].tolist() == ["2024-11-27T01:00:01Z", "2024-11-27T01:00:02Z"]


def test_twarc_csv_bad_counts_cr_line_ends_header_space_and_other_tables(tmp_path):
    t = "2024-11-27T01:00:00.000Z"
    rows = [csv_row(id="10", author_id="1", created_at=t, text="a",
                    **{"public_metrics.like_count": "99999999999999999999"}),
            csv_row(id="11", author_id="1", created_at=t, text="b",
                    **{"public_metrics.like_count": "-1"}),
            csv_row(id="12", author_id="1", created_at="3024-01-01T00:00:00.000Z", text="c"),
            csv_row(id="13", author_id="1", created_at=t, text="d",
                    **{"public_metrics.like_count": "7.0"})]
    header = ",".join(" text" if c == "text" else c for c in CSV_COLS)
    p = tmp_path / "a.csv"
    p.write_bytes((header + "\r" + "\r".join(rows) + "\r").encode())
    c = read_twarc_csv(p)
    r = c.report
    assert (r.loaded, sorted(m.line for m in r.malformed)) == (1, [2, 3, 4])
    assert all(m.reason.startswith("column ") for m in r.malformed)
    assert "'public_metrics.like_count'" in min(r.malformed, key=lambda m: m.line).reason
    assert c.posts.loc["twitter:13", "like_count"] == 7
    users = tmp_path / "users.csv"
    users.write_text("id,created_at,username,name,description\n1,x,warga_00042,W,\n",
                     encoding="utf-8")
    with pytest.raises(UnknownFormatError, match="users file"):
        read_twarc_csv(users)
    enc = tmp_path / "enc.csv"
    enc.write_text("id,author_id,created_at,text\n" + '"""10""","""1""","""' + t
                   + '""","""hai"""\n', encoding="utf-8")
    with pytest.raises(UnknownFormatError, match="--json-encode-all"):
        read_twarc_csv(enc)


def test_twarc2_account_created_and_expanded_urls(tmp_path):
    # users' created_at -> account age; entities.urls[].expanded_url -> posts.expanded_urls,
    # the media link of the tweet's own photo left out, duplicates once, in order
    u1 = dict(user("1"), created_at="2009-06-01T10:00:00.000Z")
    u2 = dict(user("2"), created_at="not a time")
    links = {"urls": [
        {"url": "https://t.co/a", "expanded_url": "https://jatimprov.go.id/berita/1"},
        {"url": "https://t.co/b", "expanded_url": "https://x.com/Kominfo_Demo/status/10/photo/1",
         "media_key": "3_1"},
        {"url": "https://t.co/c", "expanded_url": "https://www.kompas.com/a?b=1"},
        {"url": "https://t.co/a", "expanded_url": "https://jatimprov.go.id/berita/1"}]}
    orig = dict(ORIG, entities=dict(ORIG["entities"], **links))
    p = tmp_path / "a.jsonl"
    p.write_text(page([orig, REPLY], []).replace('"includes": {"users": []',
                                                 '"includes": {"users": ' + json.dumps([u1, u2]))
                 + "\n", encoding="utf-8")
    c = read_twarc2(p)
    assert c.posts.loc["twitter:10", "expanded_urls"] == ("https://jatimprov.go.id/berita/1 "
                                                          "https://www.kompas.com/a?b=1")
    assert c.posts["expanded_urls"].isna().sum() == 1  # the reply has no links
    when = c.accounts["account_created_at"]
    assert when["twitter:1"] == pd.Timestamp("2009-06-01T10:00:00Z")
    assert pd.isna(when["twitter:2"])  # not a time: missing, and said so
    assert any("account creation" in w.problem for w in c.report.warnings)
    c.validate()


def test_twarc_csv_account_created_and_expanded_urls(tmp_path):
    cols = CSV_COLS + ["author.created_at", "entities.urls"]
    t = "2024-11-27T01:00:00.000Z"
    rows = [{"id": "10", "author_id": "1", "author.username": "Kominfo_Demo", "created_at": t,
             "text": "Baca https://t.co/a https://t.co/p",
             "author.created_at": "2009-06-01T10:00:00.000Z",
             "entities.urls": '["https://jatimprov.go.id/berita/1", "pic.twitter.com/xYz"]'},
            {"id": "11", "author_id": "2", "author.username": "warga_001", "created_at": t,
             "text": "halo", "author.created_at": "", "entities.urls": ""}]
    p = tmp_path / "a.csv"
    with p.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})
    c = read_twarc_csv(p)
    assert c.posts.loc["twitter:10", "expanded_urls"] == "https://jatimprov.go.id/berita/1"
    assert pd.isna(c.posts.loc["twitter:11", "expanded_urls"])
    assert c.accounts.loc["twitter:1", "account_created_at"] == pd.Timestamp(
        "2009-06-01T10:00:00Z")
    assert pd.isna(c.accounts.loc["twitter:2", "account_created_at"])
    # the example file, written without these fields, still loads with them missing
    ex = read_twarc_csv(example_path("twarc_csv.csv"))
    assert ex.accounts["account_created_at"].isna().all()
    assert ex.posts["expanded_urls"].isna().all()
