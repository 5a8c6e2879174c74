"""tweet-harvest loader: every layout, the traps of FORMATS.md and the ten loader rules."""

import pandas as pd
import pytest

from kopiresearch.errors import InputFormatError, KopiresearchError, UnknownFormatError
from kopiresearch.io import example_path, read_tweet_harvest
from kopiresearch.io.tweet_harvest import TWEET_HARVEST_LAYOUTS

L11, L12S, L12C, L14, L15M, L15A, L15X = TWEET_HARVEST_LAYOUTS
TW = "Wed Nov 27 05:06:{:02d} +0000 2024"

# id, seconds, text, user_id, username, in_reply_to_screen_name
TWEETS = [
    ("100", 1, "Halo @Kominfo_Demo dan @warga_002 kontak humas@kediri.demo", "11", "Warga_001", ""),
    ("101", 2, "@warga_001 siap @warga_003 @warga_003", "12", "Kominfo_Demo", "warga_001"),
    ("102", 3, "RT @Kominfo_Demo: info @warga_004", "13", "warga_002", ""),
    ("103", 4, "@warga_002 lanjut", "13", "warga_002", "warga_002"),
    ("104", 5, "@WARGA_002 mantap", "11", "warga_001", "WARGA_002"),
]
WITH_REPLY = {
    ("warga_001", "kominfo_demo", "mention", "100"), ("warga_001", "warga_002", "mention", "100"),
    ("kominfo_demo", "warga_001", "reply", "101"), ("kominfo_demo", "warga_003", "mention", "101"),
    ("warga_002", "kominfo_demo", "repost", "102"),
    ("warga_001", "warga_002", "reply", "104"),
}
NO_REPLY = (WITH_REPLY - {("kominfo_demo", "warga_001", "reply", "101"),
                          ("warga_001", "warga_002", "reply", "104")}) | {
    ("kominfo_demo", "warga_001", "mention", "101"), ("warga_001", "warga_002", "mention", "104")}


def fields(t, iso=False):
    tid, sec, text, uid, user, reply = t
    created = f"2024-11-27T05:06:{sec:02d}.000Z" if iso else TW.format(sec)
    return {"created_at": created, "id_str": tid, "full_text": text, "quote_count": "0",
            "reply_count": "1", "retweet_count": "2", "favorite_count": "3", "lang": "in",
            "user_id_str": uid, "conversation_id_str": tid, "username": user,
            "tweet_url": f"https://x.com/{user}/status/{tid}", "image_url": "",
            "location": "Pare, Kediri", "in_reply_to_screen_name": reply}


def q(v):
    return '"' + v.replace('"', '""') + '"'


def write(path, layout, tweets=TWEETS, header=True, iso=False):
    delim, names = TWEET_HARVEST_LAYOUTS[layout]
    lines = []
    if layout in (L11, L12S):
        if header:
            lines.append(";".join(names))
        for t in tweets:
            f = fields(t)
            f["full_text"] = f["full_text"] if layout == L11 else q(f["full_text"])
            lines.append(";".join(f[n] for n in names))
        end = "\n"
    elif layout in (L12C, L14):
        if header:
            lines.append(",".join(names) if layout == L12C else ",".join(q(n) for n in names))
        for t in tweets:
            f = fields(t)
            lines.append(",".join(f'"{f[n]}"' for n in names))
        end = "\n"
    elif layout == L15M:
        if header:
            lines.append(",".join(q(n) for n in names))
        for t in tweets:
            f = fields(t)
            vals = [f[n] for n in names[:10]]
            if f["in_reply_to_screen_name"]:
                vals.append(f["in_reply_to_screen_name"])
            vals += [f["username"], f["tweet_url"], f["image_url"], f["location"],
                     f["in_reply_to_screen_name"]]
            lines.append(",".join(f'"{v}"' for v in vals))
        end = "\n"
    else:
        if header:
            lines.append(",".join(q(n) for n in names))
        for t in tweets:
            f = fields(t, iso=iso)
            lines.append(",".join(q(f[n]) for n in names))
        end = "\r\n"
    path.write_text(end.join(lines) + end, encoding="utf-8", newline="")
    return path


def edges(c):
    h = c.accounts["handle"]
    return {(h[s], h[t], k, p.split(":")[1]) for s, t, k, p in
            c.interactions[["source_id", "target_id", "kind", "post_id"]].itertuples(index=False)}


@pytest.mark.parametrize("layout,expected", [
    (L11, NO_REPLY), (L12S, NO_REPLY), (L12C, NO_REPLY), (L14, NO_REPLY),
    (L15M, WITH_REPLY), (L15A, WITH_REPLY)])
@pytest.mark.parametrize("header", [True, False])
def test_every_layout_gives_the_interactions_the_rules_imply(tmp_path, layout, expected,
                                                             header):
    c = read_tweet_harvest(write(tmp_path / "a.csv", layout, header=header))
    assert edges(c) == expected
    assert c.report.rows_read == 5 and c.report.loaded == 5 and c.report.is_consistent
    assert list(c.meta["layouts"].values()) == [layout]
    # ids stay strings, never floats
    assert c.posts.index.tolist() == [f"twitter:{i}" for i in range(100, 105)]
    assert c.accounts.loc["twitter:11", "handle"] == "warga_001"  # rule 2
    assert set(c.accounts["actor_type"]) == {"unknown"}
    assert c.accounts["region_code"].isna().all()


def test_iso_created_at_and_counts(tmp_path):
    c = read_tweet_harvest(write(tmp_path / "a.csv", L15A, iso=True))
    assert edges(c) == WITH_REPLY
    assert c.posts.loc["twitter:100", "created_at"] == pd.Timestamp("2024-11-27T05:06:01Z")
    assert c.posts.loc["twitter:100", "like_count"] == 3
    # rule 8: an interaction's time is its tweet's time
    i = c.interactions.set_index("post_id")
    assert (i.loc["twitter:101", "created_at"] == pd.Timestamp("2024-11-27T05:06:02Z")).all()


def test_xlsx_export(tmp_path):
    rows = [fields(t, iso=True) for t in TWEETS]
    frame = pd.DataFrame(rows)[TWEET_HARVEST_LAYOUTS[L15A][1]]
    path = tmp_path / "a.xlsx"
    frame.to_excel(path, sheet_name="Tweets", index=False)
    c = read_tweet_harvest(path)
    assert edges(c) == WITH_REPLY
    assert c.report.loaded == 5


def test_blank_lines_repeated_headers_duplicates_and_old_copy(tmp_path):
    a = write(tmp_path / "a.csv", L15A)
    text = a.read_bytes().decode("utf-8")
    header, *rows = text.split("\r\n")[:-1]
    # papaparse: a blank CRLF between batches; `cat` of two crawls: header mid-file
    text2 = "\r\n".join([header, rows[0], "", rows[1], header, rows[2], rows[0], rows[3],
                         rows[4]]) + "\r\n"
    (tmp_path / "b.csv").write_text(text2, encoding="utf-8", newline="")
    (tmp_path / "b.old.csv").write_text(text2, encoding="utf-8", newline="")
    a.unlink()
    c = read_tweet_harvest(str(tmp_path / "*.csv"))
    r = c.report
    assert r.blank_lines == 2 and r.repeated_headers == 2
    assert r.rows_read == 12 and r.loaded == 5 and r.duplicates == 7 and not r.malformed
    assert edges(c) == WITH_REPLY


def test_multiline_text_and_line_numbers_of_malformed_rows(tmp_path):
    names = TWEET_HARVEST_LAYOUTS[L15A][1]
    f1 = fields(TWEETS[0], iso=True)
    f1["full_text"] = 'baris satu, "kutip"\nbaris dua @warga_009'
    f2 = fields(TWEETS[1], iso=True)
    f2["id_str"] = "1.86155E+18"  # Excel destroyed the id
    f3 = fields(TWEETS[2], iso=True)
    f3["created_at"] = "27/11/2024 05:06"
    f4 = fields(TWEETS[4], iso=True)
    lines = [",".join(q(n) for n in names)] + [",".join(q(f[n]) for n in names)
                                               for f in (f1, f2, f3)]
    lines.append('"1","2"')  # wrong number of fields
    lines.append(",".join(q(f4[n]) for n in names))
    p = tmp_path / "a.csv"
    p.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    c = read_tweet_harvest(p)
    bad = {m.line: m.reason for m in c.report.malformed}
    # header line 1, row 1 spans lines 2-3, then lines 4, 5, 6, 7
    assert set(bad) == {4, 5, 6}
    assert "Excel" in bad[4] and "created_at" in bad[5] and "fields" in bad[6]
    assert c.report.loaded == 2 and c.report.rows_read == 5 and c.report.is_consistent
    assert all(m.file == str(p) for m in c.report.malformed)
    assert ("warga_001", "warga_009", "mention", "100") in edges(c)
    assert c.posts.loc["twitter:100", "text"].startswith('baris satu, "kutip"\n')


def test_misaligned_250_row_that_cannot_be_remapped_is_malformed(tmp_path):
    p = write(tmp_path / "a.csv", L15M, tweets=TWEETS[:2])
    text = p.read_text(encoding="utf-8").replace("https://x.com/Warga_001/status/100",
                                                 "https://x.com/Warga_001/status/999")
    p.write_text(text, encoding="utf-8")
    c = read_tweet_harvest(p)
    assert len(c.report.malformed) == 1 and "2.5.0-2.5.2" in c.report.malformed[0].reason
    assert c.report.malformed[0].line == 2


def test_bom_loads_and_latin1_is_refused_with_line(tmp_path):
    p = write(tmp_path / "a.csv", L15A)
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    assert edges(read_tweet_harvest(p)) == WITH_REPLY
    t = list(TWEETS)
    t[2] = ("102", 3, "Caf\u00e9 enak", "13", "warga_002", "")
    p2 = write(tmp_path / "b.csv", L15A, tweets=t)
    p2.write_bytes(p2.read_text(encoding="utf-8").encode("latin-1"))
    with pytest.raises(InputFormatError) as err:
        read_tweet_harvest(p2)
    assert "UTF-8" in str(err.value) and err.value.line == 4 and err.value.file == str(p2)


def test_unknown_format_names_file_and_layouts(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(UnknownFormatError) as err:
        read_tweet_harvest(p)
    assert str(p) in str(err.value) and "2.5.3-2.7.x" in str(err.value)
    with pytest.raises(KopiresearchError):
        read_tweet_harvest(tmp_path / "missing.csv")


def test_username_missing_falls_back_to_user_id(tmp_path):
    t = [("100", 1, "@kominfo_demo halo", "11", "", "")]
    c = read_tweet_harvest(write(tmp_path / "a.csv", L15A, tweets=t))
    assert c.posts.loc["twitter:100", "author_id"] == "twitter:11"
    assert set(c.accounts.index) == {"twitter:11", "twitter:@kominfo_demo"}


def test_example_file():
    c = read_tweet_harvest(example_path("tweet_harvest_2.6.1.csv"))
    assert c.report.duplicates == 1 and c.report.blank_lines == 1
    e = edges(c)
    # the e-mail humas@kediri.demo is not a mention; RT text mentions are not the retweeter's
    assert not any(t == "kediri" for _, t, _, _ in e)
    assert {k for s, t, k, _ in e if s == "warga_002"} == {"repost"}
    # self-reply of jajankdr_demo gives nothing
    assert not any(p == "1861500000000000006" for *_, p in e)


def test_oldest_layout_keeps_semicolons_and_newlines_of_the_text(tmp_path):
    header = ";".join(TWEET_HARVEST_LAYOUTS[L11][1])
    row1 = f"{TW.format(1)};100;halo; @warga_002\nbaris dua @warga_003;0;0;0;0;in;11;100;warga_001"
    row2 = f"{TW.format(2)};101;biasa;0;0;0;0;in;12;101;warga_002"
    p = tmp_path / "old.csv"
    p.write_text("\n".join([header, row1, row2]) + "\n", encoding="utf-8")
    c = read_tweet_harvest(p)
    assert c.posts.loc["twitter:100", "text"] == "halo; @warga_002\nbaris dua @warga_003"
    assert edges(c) == {("warga_001", "warga_002", "mention", "100"),
                        ("warga_001", "warga_003", "mention", "100")}
    assert c.report.loaded == 2 and c.report.is_consistent


@pytest.mark.parametrize("header", [True, False])
def test_leading_blank_lines(tmp_path, header):
    p = write(tmp_path / "a.csv", L15A, header=header)
    p.write_bytes(b"\r\n\r\n" + p.read_bytes())
    c = read_tweet_harvest(p)
    assert c.report.blank_lines == 2 and c.report.loaded == 5 and edges(c) == WITH_REPLY


# --- the vectorised fast paths give exactly what the reference (slow) paths give -------------

def _slow_path(monkeypatch):
    """Swap every fast path of the loader for its reference implementation."""
    import numpy as np

    from kopiresearch.io import tweet_harvest as th
    from kopiresearch.io._common import TWITTER_MENTION, mentions_long

    monkeypatch.setattr(th, "_twitter_time_ns",
                        lambda t: (np.zeros(len(t), np.int64), np.zeros(len(t), bool)))
    monkeypatch.setattr(th, "_retweeted", lambda t, scan=None: th._retweeted_slow(t))
    monkeypatch.setattr(th, "_authors", th._authors_slow)
    monkeypatch.setattr(th, "_last_of_each_pair",
                        lambda u, h, o, by_order=None, uid_codes=None: np.arange(len(u)))
    monkeypatch.setattr(th, "twitter_mentions",
                        lambda t, scan=None, is_reply=None: mentions_long(t, TWITTER_MENTION))


def _same_corpus(a, b):
    pd.testing.assert_frame_equal(a.accounts, b.accounts)
    pd.testing.assert_frame_equal(a.posts, b.posts)
    pd.testing.assert_frame_equal(a.interactions, b.interactions)
    assert a.report.rows_read == b.report.rows_read
    assert a.report.loaded == b.report.loaded
    assert a.report.duplicates == b.report.duplicates
    assert a.report.blank_lines == b.report.blank_lines
    assert a.report.repeated_headers == b.report.repeated_headers
    assert a.report.malformed == b.report.malformed


def _trap_file(tmp_path, seed=0, n=400):
    """A 2.5.3+ crawl with every trap: blank lines, repeated headers, duplicates, both
    created_at formats, odd counts, Excel ids, e-mails, RT rows, newlines and quotes in text."""
    import numpy as np

    rng = np.random.default_rng(seed)
    words = ["halo", "@Kominfo_Demo", "a@b.id", "RT", "@warga_0", "&amp;", 'say "hi"',
             "baris\nbaru", "@@x", "@", "é@é", "x@y", "@W_1@w_2", "🙌", ","]
    delim, names = TWEET_HARVEST_LAYOUTS[L15A]
    lines = [",".join(q(c) for c in names)]
    for _i in range(n):
        r = rng.random()
        if r < 0.03:
            lines.append("")
            continue
        if r < 0.05:
            lines.append(",".join(q(c) for c in names))
            continue
        tid = str(1000 + int(rng.integers(0, n * 0.9)))
        user = f"warga_{int(rng.integers(0, 30))}"
        text = " ".join(rng.choice(words, int(rng.integers(0, 7))))
        if rng.random() < 0.1:
            text = f"RT @warga_{int(rng.integers(0, 30))}: " + text
        sec = int(rng.integers(0, 86400 * 30 if rng.random() < 0.7 else 5))  # ties
        when = pd.Timestamp("2024-11-01", tz="UTC") + pd.Timedelta(seconds=sec)
        created = (when.strftime("%Y-%m-%dT%H:%M:%S.000Z") if rng.random() < 0.3
                   else when.strftime("%a %b %d %H:%M:%S +0000 %Y"))
        f = fields((tid, 0, text, str(11 + int(user[6:])), user,
                    f"warga_{int(rng.integers(0, 30))}" if rng.random() < 0.3 else ""))
        f["created_at"] = created
        f["favorite_count"] = str(int(rng.integers(0, 50)))
        if rng.random() < 0.02:
            f["id_str"] = "1.86155E+18"
        if rng.random() < 0.05:  # author whose id another row gives
            f["user_id_str"] = ""
        if rng.random() < 0.05:  # renamed account: same id, another handle
            f["username"] = f"baru_{int(rng.integers(0, 3))}"
        if rng.random() < 0.02:  # author known by handle only
            f["user_id_str"], f["username"] = "", "Solo_Akun"
        lines.append(",".join(q(f[c]) for c in names))
    path = tmp_path / f"trap{seed}.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fast_path_equals_reference_on_trap_files(tmp_path, monkeypatch, seed):
    path = _trap_file(tmp_path, seed=seed)
    fast = read_tweet_harvest(path)
    assert fast.report.blank_lines > 0 and fast.report.repeated_headers > 0
    assert fast.report.duplicates > 0 and fast.report.malformed
    assert (fast.posts["author_id"] == "twitter:@solo_akun").any()
    _slow_path(monkeypatch)
    _same_corpus(fast, read_tweet_harvest(path))


@pytest.mark.parametrize("name", ["tweet_harvest_2.6.1.csv"])
def test_fast_path_equals_reference_on_examples(monkeypatch, name):
    fast = read_tweet_harvest(example_path(name))
    _slow_path(monkeypatch)
    _same_corpus(fast, read_tweet_harvest(example_path(name)))


@pytest.mark.parametrize("layout", [L11, L12S, L12C, L14, L15M, L15A])
def test_fast_path_equals_reference_on_every_layout(tmp_path, monkeypatch, layout):
    path = write(tmp_path / "a.csv", layout)
    fast = read_tweet_harvest(path)
    _slow_path(monkeypatch)
    _same_corpus(fast, read_tweet_harvest(path))


def test_twitter_time_fast_equals_slow():
    import numpy as np

    from kopiresearch.io.tweet_harvest import _parse_twitter_time_slow, parse_twitter_time

    rng = np.random.default_rng(3)
    base = pd.to_datetime(rng.integers(0, 7_000_000_000, 3000), unit="s", utc=True)
    off = rng.integers(-14 * 60, 14 * 60 + 1, 3000)
    vals = []
    for t, o in zip(base, off, strict=True):
        local = t + pd.Timedelta(minutes=int(o))
        sign = "+" if o >= 0 else "-"
        vals.append(local.strftime("%a %b %d %H:%M:%S ") + f"{sign}{abs(o) // 60:02d}"
                    f"{abs(o) % 60:02d}" + local.strftime(" %Y"))
    s = pd.Series(vals + [None, "2024-11-27T05:06:26.000Z", "27/11/2024"], dtype="string")
    fast = parse_twitter_time(s)
    pd.testing.assert_series_equal(fast, _parse_twitter_time_slow(s))
    assert (fast[:3000].to_numpy() == base.to_numpy()).all()  # and both are right
    # values the fast path leaves to the slow one: impossible dates, odd offsets
    odd = pd.Series(["Fri Feb 30 05:06:26 +0000 2024", "Wed Nov 27 24:00:00 +0000 2024",
                     "Wed Nov 27 05:06:26 +1530 2024", "Wed Nov 27 05:06:26 +0000 2024",
                     "Wed Foo 27 05:06:26 +0000 2024"], dtype="string")
    pd.testing.assert_series_equal(parse_twitter_time(odd), _parse_twitter_time_slow(odd))
    assert parse_twitter_time(odd).isna().tolist() == [True, True, False, False, True]
    # every value plain: the byte-level path answers alone, exactly as the slow path
    plain = pd.Series(vals, dtype="string")
    pd.testing.assert_series_equal(parse_twitter_time(plain), _parse_twitter_time_slow(plain))


def test_twitter_time_bytes_check_the_whole_pattern():
    from kopiresearch.io.tweet_harvest import _twitter_time_ns

    good = "Wed Nov 27 05:06:26 +0000 2024"
    near = [good.replace("W", "w", 1), good.replace("ed", "eD", 1), good.replace(" ", "_", 1),
            good.replace(":", ".", 1), good.replace("+", "x"), good.replace("27", "2a"),
            good.replace("2024", "2o24"), good[:19] + "  0000 2024", good.replace("Nov", "NOV")]
    assert all(len(v) == len(good) for v in near)
    ns, fast = _twitter_time_ns(pd.Series([good, *near], dtype="string"))
    assert fast.tolist() == [True] + [False] * len(near)
    assert ns[0] == pd.Timestamp("2024-11-27 05:06:26", tz="UTC").value


def test_twitter_mentions_equal_the_regex():
    import numpy as np

    from kopiresearch.io._common import TWITTER_MENTION, mentions_long, twitter_mentions

    rng = np.random.default_rng(5)
    alpha = list("aZ_9@ .:\né,") + ["@Ab", "RT @", "humas@k", "🙌", "@@", "\r\n"]
    vals = ["".join(rng.choice(alpha, int(rng.integers(0, 25)))) for _ in range(3000)]
    s = pd.Series(vals + [None, "", "@a@b @c", "x@c @d", "@a@@b"], dtype="string")
    fast = twitter_mentions(s)
    pd.testing.assert_frame_equal(fast, mentions_long(s, TWITTER_MENTION))
    last = fast[fast["row"] >= len(vals) + 2]
    assert last["handle"].tolist() == ["a", "c", "d", "a", "b"]
    for odd in (["no mention", None, ""], ["x\x01@a\x02 @b", "@c"]):
        odd = pd.Series(odd, dtype="string")
        pd.testing.assert_frame_equal(twitter_mentions(odd), mentions_long(odd, TWITTER_MENTION))


def test_fast_paths_on_multi_chunk_columns():
    """Columns of big files (and of several files) are Arrow arrays in several chunks."""
    import numpy as np
    import pyarrow as pa

    from kopiresearch.io import tweet_harvest as th

    def chunked(values):
        half = len(values) // 2
        arr = pa.chunked_array([pa.array(values[:half], pa.large_string()),
                                pa.array(values[half:], pa.large_string())])
        return pd.Series(pd.arrays.ArrowStringArray(arr))

    texts = ["RT @Ab_1: halo @c", "@d x@e @D", None, "", "tanpa", "RT @z halo", "@f@g"] * 3
    one, two = pd.Series(texts, dtype="string"), chunked(texts)
    assert two.array._pa_array.num_chunks == 2
    pd.testing.assert_frame_equal(th.twitter_mentions(two), th.twitter_mentions(one))
    pd.testing.assert_series_equal(th._retweeted(two), th._retweeted(one))
    assert th._retweeted(one).fillna("-").tolist()[:7] == ["ab_1"] + ["-"] * 6
    ids = ["12", "7", "12", "0012", "7"]
    assert th._duplicated_ids(chunked(ids)).tolist() == [False, False, True, False, True]
    assert th._duplicated_ids(pd.Series(["1861000000000000000", "9999999999999999999",
                                         "1861000000000000000"], dtype="string")
                              ).tolist() == [False, False, True]
    codes = th._small_codes(chunked(["a", None, "b", "a"]))
    assert codes[0] == codes[3] and codes[1] == -1 and len(set(codes.tolist())) == 3
    for values in (["12", None, "7", "12", None], ["012", None, "12", "012", None]):
        codes = th._id_codes(chunked(values))  # integers, then strings (leading zero)
        assert codes[0] == codes[3] and codes[1] == codes[4]
        assert len(set(codes.tolist())) == 3
    times = ["Wed Nov 27 05:06:26 +0000 2024", "Thu Nov 28 06:00:00 +0700 2024"] * 2
    assert (th.parse_twitter_time(chunked(times)).to_numpy()
            == th.parse_twitter_time(pd.Series(times, dtype="string")).to_numpy()).all()
    from kopiresearch.io._common import parse_counts

    assert np.array_equal(parse_counts(chunked(["1", "", "3", "4"]))[0].fillna(-1).to_numpy(),
                          [1, -1, 3, 4])


def test_reply_prefix_flags_on_spans_equal_the_reference():
    import numpy as np

    from kopiresearch.io._common import prefix_only_mentions, twitter_mentions

    rng = np.random.default_rng(7)
    words = ["@a_demo", "@B_demo", "@c", "halo", ",", "@a_demo,", "\t", "\n", " ", "🙌",
             "x@b_demo", "@a_demo@c", "@", "@@c", "é@c", "RT", ":"]
    texts = ["".join(rng.choice(words, int(rng.integers(0, 9))).tolist()) for _ in range(3000)]
    texts += ["@a_demo @b_demo makasih @b_demo", "@a_demo\t@c\n@B_demo", "@a_demo", "",
              "@a_demo, @c", " @a_demo @c"]
    text = pd.Series(texts, dtype="string[pyarrow]")
    is_reply = np.random.default_rng(8).random(len(texts)) < 0.7
    fast = twitter_mentions(text, is_reply=is_reply)
    ref = prefix_only_mentions(text, is_reply, fast["row"], fast["handle"])
    assert fast["prefix_only"].sum() > 50
    np.testing.assert_array_equal(fast["prefix_only"].to_numpy(bool), ref)


def test_fast_path_equals_reference_without_reply_prefix_mentions(tmp_path, monkeypatch):
    path = _trap_file(tmp_path, seed=5)
    fast = read_tweet_harvest(path, reply_prefix_mentions=False)
    _slow_path(monkeypatch)
    slow = read_tweet_harvest(path, reply_prefix_mentions=False)
    _same_corpus(fast, slow)
    assert fast.report.derived == slow.report.derived
