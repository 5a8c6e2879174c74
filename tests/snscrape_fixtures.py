"""Invented snscrape Twitter items in the exact shape ``snscrape --jsonl`` writes.

snscrape (``snscrape/base.py``, ``_json_dataclass_to_dict``) writes ``_type``, then the
dataclass fields in order, then the properties (deprecated aliases included) in ``dir()``
order, nested items the same way, and ``_snscrape`` (its version) on the top-level item;
``json.dumps`` with default separators, ASCII-escaped, datetimes as ``isoformat()``. With
``--jsonl-for-buggy-int-parser`` every integer above 2**53 also gets a ``<key>.str`` field.
"""

import json

TW = "snscrape.modules.twitter."


def text_link(url, tco="https://t.co/ab12", start=0):
    return {"_type": TW + "TextLink", "text": url.split("//")[1][:24], "url": url,
            "tcourl": tco, "indices": [start, start + 23]}


def user(uid, username, followers=10, location="", buggy=False):
    u = {"_type": TW + "User", "username": username, "id": uid,
         "displayname": username.replace("_", " ").title(), "rawDescription": "",
         "renderedDescription": "", "descriptionLinks": None, "verified": False,
         "created": "2019-05-01T02:00:00+00:00", "followersCount": followers,
         "friendsCount": 50, "statusesCount": 1200, "favouritesCount": 300, "listedCount": 1,
         "mediaCount": 20, "location": location, "protected": False, "link": None,
         "profileImageUrl": "https://pbs.twimg.com/profile_images/1/a_normal.jpg",
         "profileBannerUrl": None, "label": None, "blue": False, "blueType": None,
         "profileImageShape": None, "description": "", "descriptionUrls": None,
         "linkTcourl": None, "linkUrl": None, "url": f"https://twitter.com/{username}"}
    if buggy and uid > 2**53:
        u["id.str"] = str(uid)
    return u


def tweet(tid, author, text, date, *, mentioned=(), reply_to=None, reply_user=None,
          retweeted=None, quoted=None, links=(), conv=None, likes=0, replies=0, rts=0,
          quotes=0, top=True, buggy=False):
    t = {"_type": TW + "Tweet", "url": f"https://twitter.com/{author['username']}/status/{tid}",
         "date": date, "rawContent": text, "renderedContent": text, "id": tid, "user": author,
         "replyCount": replies, "retweetCount": rts, "likeCount": likes, "quoteCount": quotes,
         "conversationId": conv or tid, "lang": "in",
         "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
         "sourceUrl": "https://mobile.twitter.com", "sourceLabel": "Twitter Web App",
         "links": [text_link(u) for u in links] or None, "media": None,
         "retweetedTweet": retweeted, "quotedTweet": quoted, "inReplyToTweetId": reply_to,
         "inReplyToUser": reply_user, "mentionedUsers": list(mentioned) or None,
         "coordinates": None, "place": None, "hashtags": None, "cashtags": None, "card": None,
         "viewCount": 120, "vibe": None, "bookmarkCount": 0, "pinned": None,
         "editState": None, "conversationControlPolicy": None, "content": text,
         "outlinks": list(links), "outlinksss": " ".join(links),
         "tcooutlinks": ["https://t.co/ab12" for _ in links],
         "tcooutlinksss": " ".join("https://t.co/ab12" for _ in links),
         "username": author["username"]}
    if buggy:
        for key in ("id", "conversationId", "inReplyToTweetId"):
            if isinstance(t.get(key), int) and t[key] > 2**53:
                t[f"{key}.str"] = str(t[key])
    if top:
        t["_snscrape"] = "0.7.0.20230622"
    return t


def line(item):
    return json.dumps(item) + "\n"


BASE = 1600000000000000000
KOMINFO = lambda: user(1141900000000000001, "KominfoKdr_Demo", 15000, "Kediri, Jawa Timur")  # noqa: E731
WARGA = lambda: user(1500000000000000042, "warga_00042", 35, "Pare")  # noqa: E731
WARGA2 = lambda: user(1500000000000000043, "warga_00043", 12)  # noqa: E731
BERITA = lambda: user(1400000000000000301, "BeritaKdr_Demo", 9100, "Kediri")  # noqa: E731


def search_items():
    """A ``twitter-search`` crawl: original, reply, retweet, quote, retweet of a deleted
    tweet (TweetRef), quote of a Tombstone, self-reply."""
    orig = tweet(BASE + 1, KOMINFO(), "Jalan Pare diperbaiki pekan ini, lapor @warga_00043",
                 "2023-01-05T03:00:00+00:00", mentioned=[WARGA2()], likes=41, replies=2, rts=3)
    reply = tweet(BASE + 2, WARGA(), "@KominfoKdr_Demo @warga_00043 terima kasih &amp; "
                  "semoga cepat @BeritaKdr_Demo", "2023-01-05T03:10:00+00:00",
                  mentioned=[KOMINFO(), WARGA2(), BERITA()], reply_to=BASE + 1,
                  reply_user=KOMINFO(), conv=BASE + 1, likes=2)
    nested = dict(orig)
    nested.pop("_snscrape")
    rt = tweet(BASE + 3, WARGA2(), "RT @KominfoKdr_Demo: Jalan Pare diperbaiki pekan ini, "
               "lapor @warga_00043", "2023-01-05T03:20:00+00:00", mentioned=[KOMINFO(),
                                                                           WARGA2()],
               retweeted=nested, rts=3)
    quote = tweet(BASE + 4, BERITA(), "Kata @KominfoKdr_Demo jalan diperbaiki "
                  f"https://twitter.com/KominfoKdr_Demo/status/{BASE + 1}",
                  "2023-01-05T04:00:00+00:00", mentioned=[KOMINFO()], quoted=nested,
                  links=[f"https://twitter.com/KominfoKdr_Demo/status/{BASE + 1}"], likes=7)
    gone = tweet(BASE + 5, WARGA(), "RT @warga_00099: jalan rusak parah",
                 "2023-01-05T05:00:00+00:00",
                 retweeted={"_type": TW + "TweetRef", "id": BASE + 900})
    tomb = tweet(BASE + 6, WARGA2(), "Lihat ini https://t.co/ab12",
                 "2023-01-05T06:00:00+00:00",
                 quoted={"_type": TW + "Tombstone", "id": BASE + 901,
                         "text": "This Tweet was deleted by the Tweet author.",
                         "textLinks": None},
                 links=[f"https://twitter.com/warga_00098/status/{BASE + 901}"])
    self_reply = tweet(BASE + 7, KOMINFO(), "Update: aspal sudah datang",
                       "2023-01-05T07:00:00+00:00", reply_to=BASE + 1, reply_user=KOMINFO(),
                       conv=BASE + 1)
    return [orig, reply, rt, quote, gone, tomb, self_reply]
