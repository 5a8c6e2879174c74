"""tweet-harvest loader: every layout, the traps of FORMATS.md and the ten loader rules."""

import pandas as pd
import pytest

from kopiresearch.errors import InputFormatError, KopiresearchError, UnknownFormatError
from kopiresearch.io import example_path, read_tweet_harvest
from kopiresearch.io.tweet_harvest import TWEET_HARVEST_LAYOUTS

L11, L12S, L12C, L14, L15M, L15A = TWEET_HARVEST_LAYOUTS
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
