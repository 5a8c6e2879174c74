"""Accuracy of the reply parents inferred for tweet-harvest crawls, where the truth is known.

tweet-harvest names no replied-to tweet; :func:`kopiresearch.io.read_tweet_harvest` infers
it (the latest earlier post of the replied-to account in the same conversation, else the
conversation root). twarc2 pages state it (``referenced_tweets[type=replied_to]``). Writing
twarc2 pages into the tweet-harvest 2.6.1 layout, exactly as tweet-harvest would have written
the same tweets (username, ``in_reply_to_screen_name``, ``conversation_id_str``, no parent id),
and loading them back measures the share of parents the rule recovers.

Usage::

    .venv/bin/python benchmarks/bench_parents.py                 # the bundled data as twarc2
    .venv/bin/python benchmarks/bench_parents.py crawl.jsonl ... # also your own twarc2 files

The bundled synthetic corpus is turned into twarc2 search pages first (invented accounts;
ids numbered in time order like snowflake ids). Your own files are read, converted and
measured in memory; nothing of them is written. Writes ``benchmarks/results/parents.md``;
its rows for public twarc2 search pages came from ``LABEL=FILE`` arguments naming copies of
those pages reduced to the id fields (kept out of the repository).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "parents.md"
ALPHA = ["conversation_id_str", "created_at", "favorite_count", "full_text", "id_str",
         "image_url", "in_reply_to_screen_name", "lang", "location", "quote_count",
         "reply_count", "retweet_count", "tweet_url", "user_id_str", "username"]


def synthetic_twarc2_pages(corpus, page_size: int = 100) -> list[dict]:
    """The posts of ``corpus`` as twarc2 search pages (``data`` + ``includes.users``).

    Post and account ids become 19-digit numbers in time order; a reply carries
    ``referenced_tweets`` ``replied_to`` its parent, ``in_reply_to_user_id`` and the
    ``conversation_id`` of its root; reposts and quotes reference their parent.
    """
    posts = corpus.posts.sort_values("created_at", kind="stable")
    pid = {p: str(1861000000000000000 + i) for i, p in enumerate(posts.index)}
    uid = {a: str(1500000000000000000 + i) for i, a in enumerate(corpus.accounts.index)}
    parent = posts["parent_post_id"]
    root = {}
    for p in posts.index:  # in time order: a parent comes before its replies
        q = parent[p]
        root[p] = root.get(q, q) if pd.notna(q) and q in root else p
    users = [{"id": uid[a], "username": h, "name": h, "location": "Jawa Timur"}
             for a, h in corpus.accounts["handle"].items()]
    tweets = []
    for p, r in posts.iterrows():
        t = {"id": pid[p], "author_id": uid[r["author_id"]], "conversation_id": pid[root[p]],
             "created_at": r["created_at"].strftime("%Y-%m-%dT%H:%M:%S.000Z"),
             "text": r["text"] if pd.notna(r["text"]) else "", "lang": "in",
             "public_metrics": {"retweet_count": 0, "reply_count": 0, "like_count": 0,
                                "quote_count": 0}}
        q = parent[p]
        if pd.notna(q) and q in pid:
            kind = {"reply": "replied_to", "repost": "retweeted", "quote": "quoted"}.get(
                r["kind"])
            if kind:
                t["referenced_tweets"] = [{"type": kind, "id": pid[q]}]
            if r["kind"] == "reply":
                t["in_reply_to_user_id"] = uid[posts.at[q, "author_id"]]
            if r["kind"] == "repost":
                t["conversation_id"] = pid[p]
        tweets.append(t)
    return [{"data": tweets[i:i + page_size], "includes": {"users": users},
             "meta": {"result_count": len(tweets[i:i + page_size])}}
            for i in range(0, len(tweets), page_size)]


def twarc2_to_tweet_harvest(pages) -> tuple[str, dict]:
    """``(csv_text, truth)``: the tweets of twarc2 ``pages`` as tweet-harvest 2.6.1 writes
    them, and the stated parent of each reply (``{id: replied_to id}``)."""
    users = {}
    for page in pages:
        for u in page.get("includes", {}).get("users", []):
            users[u["id"]] = u
    rows, truth, seen = [], {}, set()
    for page in pages:
        for t in page.get("data", []):
            if t["id"] in seen:
                continue
            seen.add(t["id"])
            author = users.get(t["author_id"], {})
            refs = {r["type"]: r["id"] for r in t.get("referenced_tweets", [])}
            reply_to = ""
            if "replied_to" in refs:
                truth[t["id"]] = refs["replied_to"]
                target = t.get("in_reply_to_user_id")
                reply_to = users.get(target, {}).get("username", "")
                if not reply_to:  # as the API gives it: the mention with the same id
                    reply_to = next((m["username"] for m in t.get("entities", {}).get(
                        "mentions", []) if m.get("id") == target), "")
            when = pd.Timestamp(t["created_at"])
            m = t.get("public_metrics", {})
            user = author.get("username", "")
            rows.append({
                "conversation_id_str": t.get("conversation_id", t["id"]),
                "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                "favorite_count": str(m.get("like_count", 0)), "full_text": t.get("text", ""),
                "id_str": t["id"], "image_url": "", "in_reply_to_screen_name": reply_to,
                "lang": t.get("lang", ""), "location": author.get("location", ""),
                "quote_count": str(m.get("quote_count", 0)),
                "reply_count": str(m.get("reply_count", 0)),
                "retweet_count": str(m.get("retweet_count", 0)),
                "tweet_url": f"https://x.com/{user}/status/{t['id']}",
                "user_id_str": t["author_id"], "username": user})
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(ALPHA)
    for r in rows:
        w.writerow([r[c] for c in ALPHA])
    return buf.getvalue(), truth


def parent_accuracy(pages) -> dict:
    """Load ``pages`` written as tweet-harvest and compare inferred with stated parents.

    Returns counts: replies with a stated parent, recovered exactly, the same for replies
    whose stated parent is itself in the crawl, and ``recoverable``: replies whose parent is
    in the crawl or is the conversation root (no rule can find any other parent).
    """
    from kopiresearch.io import read_tweet_harvest

    text, truth = twarc2_to_tweet_harvest(pages)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "crawl.csv"
        path.write_text(text, encoding="utf-8", newline="")
        c = read_tweet_harvest(path)
    got = c.posts["parent_post_id"]
    conv = c.posts["conversation_id"]
    crawled = {p.split(":", 1)[1] for p in c.posts.index}
    out = {"replies": 0, "recovered": 0, "in_crawl": 0, "in_crawl_recovered": 0,
           "recoverable": 0}
    for tid, parent in truth.items():
        inferred = got.get("twitter:" + tid)
        ok = pd.notna(inferred) and inferred == "twitter:" + parent
        out["replies"] += 1
        out["recovered"] += ok
        # what any rule can know: the parent is in the crawl or is the conversation root
        out["recoverable"] += parent in crawled or conv.get("twitter:" + tid) == (
            "twitter:" + parent)
        if parent in crawled:
            out["in_crawl"] += 1
            out["in_crawl_recovered"] += ok
    return out


def _pages(path) -> list[dict]:
    """The pages of a twarc2 JSONL file; a truncated last line (a killed crawl) is left out."""
    pages = []
    with open(path, encoding="utf-8") as fh:
        for ln in fh:
            try:
                obj = json.loads(ln)
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict) and "data" in obj:
                pages.append(obj)
            elif isinstance(obj, dict) and "id" in obj:  # twarc2 flatten: one tweet a line
                pages.append({"data": [obj], "includes": {"users": [obj["author"]]
                                                          if "author" in obj else []}})
    return pages


def _share(a, b):
    return f"{a / b:.3f}" if b else "n/a"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", metavar="[LABEL=]FILE",
                        help="twarc2 JSONL files (pages) to measure too")
    parser.add_argument("--quick", action="store_true", help="(accepted; the run is small)")
    args = parser.parse_args(argv)
    import kopiresearch as kr

    cases = [("bundled synthetic corpus as twarc2 pages", synthetic_twarc2_pages(
        kr.load_bundled()))]
    for f in args.files:
        label, sep, path = f.partition("=")
        if not sep:
            label, path = f"a researcher's twarc2 file ({os.path.basename(f)})", f
        cases.append((label, _pages(path)))
    lines = ["# Reply parents inferred for tweet-harvest (issue 12)", "",
             "twarc2 pages written into the tweet-harvest 2.6.1 layout (no parent id) and "
             "loaded with `read_tweet_harvest`; the inferred `parent_post_id` is compared with "
             "twarc2's `referenced_tweets.replied_to`. Rule: within the reply's conversation, "
             "the latest earlier post of the replied-to account, else the conversation root.",
             "'recoverable': replies whose parent is in the crawl or is the conversation root "
             "(no rule can know any other parent from a tweet-harvest file).",
             "", "| input | replies | recovered | share | recoverable | parent in crawl | "
             "recovered | share |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, pages in cases:
        r = parent_accuracy(pages)
        lines.append(f"| {name} | {r['replies']:,} | {r['recovered']:,} | "
                     f"{_share(r['recovered'], r['replies'])} | {r['recoverable']:,} | "
                     f"{r['in_crawl']:,} | "
                     f"{r['in_crawl_recovered']:,} | "
                     f"{_share(r['in_crawl_recovered'], r['in_crawl'])} |")
        print(lines[-1])
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
