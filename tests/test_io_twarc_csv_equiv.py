"""twarc-csv gives the edges twarc2 gives for the same tweets (issue 12, item 5).

Invented twarc2 pages are written into the twarc-csv layout by the documented rules of
twarc-csv 0.7.2 (``twarc2 csv``, merge_retweets on; see ``/work/shared/FORMATS.md`` section
3 and twarc's ``flatten``), then both loaders read the same tweets and the edge sets must be
equal exactly. The converter below is this test's own implementation of those rules.
"""

import copy
import json

import pandas as pd
import pytest

from kopiresearch.io import read_twarc2, read_twarc_csv

# the 84 default tweet columns of twarc-csv 0.7.2, in order
COLUMNS = """id conversation_id referenced_tweets.replied_to.id referenced_tweets.retweeted.id
referenced_tweets.quoted.id author_id in_reply_to_user_id in_reply_to_username
retweeted_user_id retweeted_username quoted_user_id quoted_username created_at text lang
source public_metrics.impression_count public_metrics.reply_count
public_metrics.retweet_count public_metrics.quote_count public_metrics.like_count
public_metrics.bookmark_count reply_settings edit_history_tweet_ids
edit_controls.edits_remaining edit_controls.editable_until edit_controls.is_edit_eligible
possibly_sensitive withheld.scope withheld.copyright withheld.country_codes
entities.annotations entities.cashtags entities.hashtags entities.mentions entities.urls
context_annotations attachments.media attachments.media_keys
attachments.poll.duration_minutes attachments.poll.end_datetime attachments.poll.id
attachments.poll.options attachments.poll.voting_status attachments.poll_ids author.id
author.created_at author.username author.name author.description
author.entities.description.cashtags author.entities.description.hashtags
author.entities.description.mentions author.entities.description.urls
author.entities.url.urls author.url author.location author.pinned_tweet_id
author.profile_image_url author.protected author.public_metrics.followers_count
author.public_metrics.following_count author.public_metrics.listed_count
author.public_metrics.tweet_count author.verified author.verified_type author.withheld.scope
author.withheld.copyright author.withheld.country_codes geo.coordinates.coordinates
geo.coordinates.type geo.country geo.country_code geo.full_name geo.geo.bbox geo.geo.type
geo.id geo.name geo.place_id geo.place_type matching_rules __twarc.retrieved_at __twarc.url
__twarc.version""".split()
assert len(COLUMNS) == 84

NAMES = {"1": "KominfoKdr_Demo", "2": "warga_00042", "3": "warga_00043", "4": "BeritaKdr_Demo",
         "5": "warga_00044", "6": "warga_00045", "7": "DinasPU_Demo"}


def user(uid):
    u = {"id": uid, "username": NAMES[uid], "name": NAMES[uid].title(),
         "public_metrics": {"followers_count": 100 * int(uid)}}
    if uid == "1":
        u["location"] = "Kota Kediri, Jawa Timur"
    return u


def ment(text, uid):
    at = text.find("@" + NAMES[uid])
    return {"start": at, "end": at + 1 + len(NAMES[uid]), "username": NAMES[uid], "id": uid}


def tw(tid, author, text, minute, mentions=(), urls=(), **kw):
    t = {"id": tid, "author_id": author, "conversation_id": kw.pop("conv", tid),
         "created_at": f"2024-11-27T03:{minute:02d}:00.000Z", "text": text, "lang": "in",
         "public_metrics": {"retweet_count": 1, "reply_count": 0, "like_count": minute,
                            "quote_count": 0}, "edit_history_tweet_ids": [tid]}
    ents = {}
    if mentions:
        ents["mentions"] = [ment(text, u) for u in mentions]
    if urls:
        ents["urls"] = [{"url": "https://t.co/ab", "expanded_url": u, "display_url": u[8:]}
                        for u in urls]
    if ents:
        t["entities"] = ents
    t.update(kw)
    return t


def ref(kind, tid):
    return [{"type": kind, "id": tid}]


# referenced tweets (in includes.tweets only, or unavailable)
R100 = tw("100", "1", "Jalan Pare diperbaiki pekan ini @DinasPU_Demo", 0, mentions=["7"])
R101 = tw("101", "4", "Liputan banjir Kediri", 1)
# crawl results (data)
T200 = tw("200", "1", "Halo warga, lapor @DinasPU_Demo dan @warga_00045 ya", 10,
          mentions=["7", "6"])
T201 = tw("201", "2", "@KominfoKdr_Demo @DinasPU_Demo kapan jalan Gurah diperbaiki? "
          "@warga_00043", 11, mentions=["1", "7", "3"], in_reply_to_user_id="1",
          referenced_tweets=ref("replied_to", "200"), conv="200")
T202 = tw("202", "1", "@warga_00042 @DinasPU_Demo minggu depan kak", 12, mentions=["2", "7"],
          in_reply_to_user_id="2", referenced_tweets=ref("replied_to", "201"), conv="200")
T203 = tw("203", "3", "RT @KominfoKdr_Demo: Jalan Pare diperbaiki pekan ini @DinasPU_Demo", 13,
          mentions=["1", "7"], referenced_tweets=ref("retweeted", "100"))
# retweet of a tweet that was deleted before the crawl: unavailable, only in errors
T204 = tw("204", "5", "RT @BeritaKdr_Demo: Kabar lama @warga_00042", 14, mentions=["4", "2"],
          referenced_tweets=ref("retweeted", "190"))
T205 = tw("205", "6", "Mantap @KominfoKdr_Demo https://t.co/ab", 15, mentions=["1"],
          urls=["https://twitter.com/BeritaKdr_Demo/status/101"],
          referenced_tweets=ref("quoted", "101"))
# quote of an unavailable tweet: the permalink still names the author
T206 = tw("206", "2", "Ini dia https://t.co/ab", 16,
          urls=["https://twitter.com/warga_00045/status/191"],
          referenced_tweets=ref("quoted", "191"))
# reply to an unavailable tweet: in_reply_to_user_id only
T207 = tw("207", "3", "@warga_00044 setuju banget @KominfoKdr_Demo", 17, mentions=["5", "1"],
          in_reply_to_user_id="5", referenced_tweets=ref("replied_to", "192"), conv="192")
T208 = tw("208", "2", "@warga_00042 lanjut thread", 18, mentions=["2"],
          in_reply_to_user_id="2", referenced_tweets=ref("replied_to", "201"), conv="200")
T209 = tw("209", "4", "RT @KominfoKdr_Demo: Halo warga, lapor @DinasPU_Demo dan @warga_00045 ya",
          19, mentions=["1", "7", "6"], referenced_tweets=ref("retweeted", "200"))
# reply that also quotes
T210 = tw("210", "6", "@KominfoKdr_Demo cek ini https://t.co/ab", 20, mentions=["1"],
          urls=["https://twitter.com/BeritaKdr_Demo/status/101"], in_reply_to_user_id="1",
          referenced_tweets=ref("replied_to", "202") + ref("quoted", "101"), conv="200")
ERRORS = [{"value": v, "detail": f"Could not find tweet with referenced_tweets.id: [{v}].",
           "title": "Not Found Error", "resource_type": "tweet",
           "parameter": "referenced_tweets.id", "resource_id": v,
           "type": "https://api.twitter.com/2/problems/resource-not-found"}
          for v in ("190", "191", "192")]
TWARC = {"url": "https://api.twitter.com/2/tweets/search/recent?query=kediri",
         "version": "2.14.0", "retrieved_at": "2024-11-28T02:15:41+00:00"}


def pages():
    """Two search pages, newest tweets first (as the API returns them)."""
    p1 = [T210, T209, T208, T207, T206, T205]
    p2 = [T204, T203, T202, T201, T200]
    every = {t["id"]: t for t in (R100, R101, *p1, *p2)}

    def page(data, users, refs, errors=()):
        out = {"data": data, "includes": {"users": [user(u) for u in users],
                                          "tweets": [every[i] for i in refs]},
               "meta": {"result_count": len(data)}, "__twarc": TWARC}
        if errors:
            out["errors"] = list(errors)
        return out

    return [page(p1, ["1", "2", "3", "4", "5", "6"], ["202", "200", "201", "101", "192"][:4],
                 ERRORS[1:]),
            page(p2, ["1", "2", "3", "4", "5", "7"], ["100", "200", "201"], ERRORS[:1])]


# --- twarc-csv 0.7.2, by its documented rules ----------------------------------------------
def flatten(page):
    """twarc's ``flatten``: expansions inlined into each data tweet."""
    inc = page.get("includes", {})
    users = {u["id"]: u for u in inc.get("users", [])}
    users.update({u["username"]: u for u in inc.get("users", [])})

    def expand(t, tweets):
        t = copy.deepcopy(t)
        if "author_id" in t:
            t["author"] = users.get(t["author_id"], {})
        if "in_reply_to_user_id" in t:
            t["in_reply_to_user"] = users.get(t["in_reply_to_user_id"], {})
        if "mentions" in t.get("entities", {}):
            t["entities"]["mentions"] = [{**m, **users.get(m["username"], {})}
                                         for m in t["entities"]["mentions"]]
        if "referenced_tweets" in t:
            t["referenced_tweets"] = [{**r, **tweets.get(r["id"], {})}
                                      for r in t["referenced_tweets"]]
        return t

    tweets = {}
    for t in inc.get("tweets", []):
        tweets[t["id"]] = expand(t, tweets)
    out = [expand(t, tweets) for t in page["data"]]
    for t in out:
        t["__twarc"] = page["__twarc"]
    return out


def format_tweet(t):
    """One twarc-csv row: referenced authors, merged retweets, processed entities."""
    t = copy.deepcopy(t)
    t.pop("in_reply_to_user", None)
    refs = t.get("referenced_tweets", [])
    last = {kind: [r for r in refs if r["type"] == kind][-1:] for kind in
            ("replied_to", "retweeted", "quoted")}
    reply, rt, qt = (last[k][0] if last[k] else None for k in ("replied_to", "retweeted",
                                                               "quoted"))
    if reply and "username" in reply.get("author", {}):
        t["in_reply_to_username"] = reply["author"]["username"]
    if rt and "author_id" in rt:
        t["retweeted_user_id"] = rt["author_id"]
        if "username" in rt.get("author", {}):
            t["retweeted_username"] = rt["author"]["username"]
    if qt and "author_id" in qt:
        t["quoted_user_id"] = qt["author_id"]
    if qt and "username" in qt.get("author", {}):
        t["quoted_username"] = qt["author"]["username"]
    if rt:  # merge_retweets: the original's text, entities and metrics
        for key in ("text", "entities", "attachments", "context_annotations", "public_metrics"):
            value = rt.get(key, t.get(key))
            t.pop(key, None)
            if value is not None:
                t[key] = value
    if refs:
        t["referenced_tweets"] = {r["type"]: {"id": r["id"]} for r in refs}
    ents = t.get("entities", {})
    if "mentions" in ents:
        ents["mentions"] = ["@" + m["username"] for m in ents["mentions"]]
    if "urls" in ents:
        ents["urls"] = [u["display_url"] if "media_key" in u else u["expanded_url"]
                        for u in ents["urls"]]
    return t


def to_twarc_csv(page_list, path, *, columns=COLUMNS, inline=False):
    rows, seen = [], set()
    for page in page_list:
        for t in flatten(page):
            batch = []
            if inline:
                batch += [format_tweet(r) for r in t.get("referenced_tweets", [])
                          if len(r) > 3]
            batch.append(format_tweet(t))
            for r in batch:
                if r["id"] not in seen:
                    seen.add(r["id"])
                    rows.append(r)
    df = pd.json_normalize(rows)
    df = df.reindex(columns=columns)

    def cell(x):
        if isinstance(x, str):
            return x.replace("\r", "").replace("\n", r"\n")
        if isinstance(x, list):
            return json.dumps(x)
        return x

    df = df.apply(lambda col: col.map(cell, na_action="ignore"))
    df.to_csv(path, index=False)
    return path


def write_jsonl(page_list, path):
    path.write_text("".join(json.dumps(p) + "\n" for p in page_list), encoding="utf-8")
    return path


def edge_set(c):
    """(post, kind, source, target) with accounts named by handle (ids where none)."""
    h = c.accounts["handle"]
    name = {a: (h[a] if isinstance(h[a], str) else a) for a in c.accounts.index}
    return {(p, k, name[s], name[t]) for s, t, k, p in
            c.interactions[["source_id", "target_id", "kind", "post_id"]]
            .itertuples(index=False)}


@pytest.mark.parametrize("keep", [True, False])
def test_twarc_csv_edges_equal_twarc2_edges(tmp_path, keep):
    pg = pages()
    a = read_twarc2(write_jsonl(pg, tmp_path / "search.jsonl"), reply_prefix_mentions=keep)
    b = read_twarc_csv(to_twarc_csv(pg, tmp_path / "search.csv"), reply_prefix_mentions=keep)
    assert edge_set(b) == edge_set(a)
    assert len(edge_set(a)) == len(a.interactions) >= 15
    assert set(b.posts.index) == set(a.posts.index)
    assert b.report.derived == a.report.derived
    for c in (a, b):
        assert c.accounts.loc["twitter:1", "location"] == "Kota Kediri, Jawa Timur"
        assert c.accounts.loc["twitter:1", "followers"] == 100
        assert c.posts.loc["twitter:202", "conversation_id"] == "twitter:200"
    cols = ["kind", "parent_post_id"]
    assert b.posts.loc[a.posts.index, cols].equals(a.posts[cols])
    kinds = set(a.interactions["kind"])
    assert kinds == {"reply", "repost", "quote", "mention"}
    # the traps are in the data: a repost and a quote of unavailable tweets
    e = edge_set(b)
    assert ("twitter:204", "repost", "warga_00044", "beritakdr_demo") in e
    assert ("twitter:206", "quote", "warga_00042", "warga_00045") in e
    assert ("twitter:207", "reply", "warga_00043", "warga_00044") in e
    assert not b.report.warnings


def test_reply_prefix_mentions_counted_and_dropped(tmp_path):
    pg = pages()
    keep = read_twarc2(write_jsonl(pg, tmp_path / "s.jsonl"))
    drop = read_twarc2(tmp_path / "s.jsonl", reply_prefix_mentions=False)
    # prefix-only mentions, worked by hand: 201 -> dinaspu_demo (its prefix is
    # "@KominfoKdr_Demo @DinasPU_Demo ", kominfokdr_demo is the reply target, warga_00043
    # comes after the prefix), 202 -> dinaspu_demo, 210 -> none (kominfokdr_demo is the
    # reply target), 207 -> none (warga_00044 is the reply target), 208 self-reply
    gone = edge_set(keep) - edge_set(drop)
    assert gone == {("twitter:201", "mention", "warga_00042", "dinaspu_demo"),
                    ("twitter:202", "mention", "kominfokdr_demo", "dinaspu_demo")}
    assert keep.report.derived["reply_prefix_mentions"] == 2
    assert "reply_prefix_mentions_dropped" not in keep.report.derived
    assert drop.report.derived == {"reply_prefix_mentions": 2,
                                   "reply_prefix_mentions_dropped": 2}
    assert ("twitter:201", "mention", "warga_00042", "warga_00043") in edge_set(drop)


def test_output_columns_without_user_ids_warn_and_recover_what_rows_give(tmp_path):
    pg = pages()
    full = read_twarc2(write_jsonl(pg, tmp_path / "s.jsonl"))
    cols = [c for c in COLUMNS if not c.endswith(("_user_id", "_username"))]
    c = read_twarc_csv(to_twarc_csv(pg, tmp_path / "cut.csv", columns=cols))
    lost = edge_set(full) - edge_set(c)
    # recovered: 209 retweets row 200 (its author is a row), 204 by its unmerged RT text,
    # 202/201/208/210 reply to rows, the quotes of 101 by their permalinks, 207 (reply to
    # an unavailable tweet) by its prefix; lost: the retweet of 100 (not a row of the crawl,
    # and merged text has no "RT @")
    assert lost == {("twitter:203", "repost", "warga_00043", "kominfokdr_demo")}
    assert edge_set(c) - edge_set(full) == set()
    problems = " ".join(w.problem for w in c.report.warnings)
    assert "1 repost rows have no target" in problems and "retweeted_user_id" in problems
    assert "1 reply rows name no replied-to account" in problems
    assert "quote rows" not in problems


def test_inline_referenced_tweets_are_not_posts(tmp_path):
    pg = pages()
    a = read_twarc2(write_jsonl(pg, tmp_path / "s.jsonl"))
    b = read_twarc_csv(to_twarc_csv(pg, tmp_path / "inline.csv", inline=True))
    raw = pd.read_csv(tmp_path / "inline.csv", dtype=str)
    assert {"100", "101"} <= set(raw["id"])  # the referenced tweets are rows of the file
    assert "twitter:100" not in b.posts.index and "twitter:101" not in b.posts.index
    # crawl tweets that other crawl tweets reference come first as inlined copies: twarc-csv
    # keeps one copy, so they cannot be told apart, and the report says so
    assert set(b.posts.index) <= set(a.posts.index)
    assert any("--inline-referenced-tweets" in w.problem for w in b.report.warnings)
    assert b.report.skipped and "inline" in b.report.skipped[0].reason
    assert b.report.is_consistent
    # without the option the same tweets give every post
    c = read_twarc_csv(to_twarc_csv(pg, tmp_path / "plain.csv"))
    assert set(c.posts.index) == set(a.posts.index) and not c.report.skipped


def test_csv_without_entities_column_takes_mentions_from_the_text(tmp_path):
    pg = pages()
    a = read_twarc2(write_jsonl(pg, tmp_path / "s.jsonl"))
    cols = [c for c in COLUMNS if c != "entities.mentions"]
    b = read_twarc_csv(to_twarc_csv(pg, tmp_path / "cut.csv", columns=cols))
    # the fixture's entities list every @handle of each text, so the edges agree
    assert edge_set(b) == edge_set(a)
