"""tweet-harvest files as researchers really have them: the traps of real crawls.

Every fixture is invented (handles ``*_demo`` and ``warga_NNN``), written in the exact layouts
tweet-harvest writes (see FORMATS.md section 1).
"""

import pandas as pd
import pytest

import kopiresearch.metrics as km
from kopiresearch.corpus import Corpus
from kopiresearch.io import read_tweet_harvest
from kopiresearch.io.tweet_harvest import TWEET_HARVEST_LAYOUTS

L11, L12S, L12C, L14, L15M, L15A, L15X = TWEET_HARVEST_LAYOUTS
ALPHA = TWEET_HARVEST_LAYOUTS[L15A][1]
OLD12 = TWEET_HARVEST_LAYOUTS[L12S][1]
T0 = pd.Timestamp("2024-11-27T01:00:00Z")


def tw_time(minutes):
    return (T0 + pd.Timedelta(minutes=minutes)).strftime("%a %b %d %H:%M:%S +0000 %Y")


def row(tid, minutes, text, uid, user, reply="", conv=None, location="Pare, Kediri",
        url_user=None, **counts):
    url_user = user if url_user is None else url_user
    r = {"conversation_id_str": str(conv or tid), "created_at": tw_time(minutes),
         "favorite_count": "1", "full_text": text, "id_str": str(tid), "image_url": "",
         "in_reply_to_screen_name": reply, "lang": "in", "location": location,
         "quote_count": "0", "reply_count": "0", "retweet_count": "0",
         "tweet_url": f"https://x.com/{url_user}/status/{tid}", "user_id_str": str(uid),
         "username": user}
    r.update(counts)
    return r


def q(v):
    return '"' + str(v).replace('"', '""') + '"'


def write_alpha(path, rows, *, header=True):
    """tweet-harvest 2.5.3+: all fields quoted, CRLF (papaparse)."""
    lines = [",".join(q(c) for c in ALPHA)] if header else []
    lines += [",".join(q(r[c]) for c in ALPHA) for r in rows]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return path


def write_old(path, rows):
    """tweet-harvest 2.1-2.4.0: ';', only full_text quoted, no in_reply_to_screen_name."""
    lines = [";".join(OLD12)]
    for r in rows:
        lines.append(";".join(q(r[c]) if c == "full_text" else r[c] for c in OLD12))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    return path


def handles(c, ids):
    return [None if pd.isna(i) else c.accounts.at[c.posts.at[i, "author_id"], "handle"]
            for i in ids]


def edges(c):
    h = c.accounts["handle"]
    return {(h[s], h[t], k, p.split(":")[1]) for s, t, k, p in
            c.interactions[["source_id", "target_id", "kind", "post_id"]].itertuples(index=False)}


# --- 1. reply parents (2.5 and later) ----------------------------------------------------

THREAD = [  # conversation 10: an office announces, citizens ask, the office answers
    row(10, 0, "Info vaksinasi besok @beritakdr_demo", 1, "KominfoKdr_Demo"),
    row(11, 5, "@KominfoKdr_Demo jam berapa?", 2, "warga_001", "KominfoKdr_Demo", conv=10),
    row(12, 6, "@KominfoKdr_Demo lokasinya?", 3, "warga_002", "KominfoKdr_Demo", conv=10),
    row(13, 10, "@warga_001 jam 8 pagi kak", 1, "KominfoKdr_Demo", "warga_001", conv=10),
    row(14, 12, "@KominfoKdr_Demo @warga_001 terima kasih", 2, "warga_001", "KominfoKdr_Demo",
        conv=10),
    # a reply to someone not in the crawl: the conversation root
    row(15, 20, "@warga_009 setuju", 3, "warga_002", "warga_009", conv=10),
    # a reply in a conversation whose root was not crawled
    row(21, 30, "@jatimprov_demo mantap", 2, "warga_001", "jatimprov_demo", conv=20),
    # an office thread: the author continues its own post
    row(30, 40, "Jadwal posyandu 1/2", 1, "KominfoKdr_Demo"),
    row(31, 41, "@KominfoKdr_Demo 2/2 di balai desa", 1, "KominfoKdr_Demo", "KominfoKdr_Demo",
        conv=30),
]


def test_reply_parents_follow_the_documented_rule(tmp_path):
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", THREAD))
    p = c.posts
    parent = p["parent_post_id"]
    # latest earlier post by the replied-to account in the same conversation
    assert parent["twitter:11"] == "twitter:10"
    assert parent["twitter:12"] == "twitter:10"
    assert parent["twitter:13"] == "twitter:11"      # the office answers warga_001's question
    assert parent["twitter:14"] == "twitter:13"      # latest earlier post by the office
    assert parent["twitter:31"] == "twitter:30"      # thread continuation
    # nobody named: the conversation root, in the crawl or not
    assert parent["twitter:15"] == "twitter:10"
    assert parent["twitter:21"] == "twitter:20" and bool(p.at["twitter:21", "parent_missing"])
    # originals have none, and every reply's parent is marked as inferred
    assert parent[p["kind"] == "original"].isna().all()
    assert p["parent_inferred"].eq(p["kind"] == "reply").all()
    assert c.report.derived["parents_inferred"] == 7
    assert p.at["twitter:13", "conversation_id"] == "twitter:10"


def test_the_office_that_answered_is_seen_answering(tmp_path):
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", THREAD))
    kinds = pd.Series("citizen", index=c.accounts.index)
    kinds[c.accounts["handle"] == "kominfokdr_demo"] = "government_regency"
    acc = c.accounts.assign(actor_type=pd.Categorical(kinds, dtype=c.accounts["actor_type"].dtype))
    labelled = Corpus(acc, c.posts, c.interactions, c.report)
    r = km.responsiveness(labelled)
    office = r.loc["twitter:1"]
    # warga_001 (twice) and warga_002 addressed the office; it answered warga_001 after 5 min
    assert office["addressed"] == 3 and office["answered"] == 1
    assert office["naive_median_hours"] == pytest.approx(5 / 60)


def test_reply_parents_at_the_same_second_are_ordered_by_id(tmp_path):
    rows = [row(10, 0, "a", 1, "kominfo_demo"),
            row(11, 0, "@kominfo_demo b", 2, "warga_001", "kominfo_demo", conv=10),
            row(12, 0, "@warga_001 c", 1, "kominfo_demo", "warga_001", conv=10)]
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", rows[::-1]))
    assert c.posts.at["twitter:12", "parent_post_id"] == "twitter:11"
    assert c.posts.at["twitter:11", "parent_post_id"] == "twitter:10"


# --- 2. replies in the layouts before 2.5 -------------------------------------------------

def test_replies_of_the_semicolon_layouts_are_recovered(tmp_path):
    c = read_tweet_harvest(write_old(tmp_path / "old.csv", THREAD))
    kinds = c.posts["kind"]
    assert (kinds == "reply").sum() == 7 and c.report.derived["replies_inferred"] == 7
    e = edges(c)
    # the leading @handle is the reply target; the other handles are mentions
    assert ("warga_001", "kominfokdr_demo", "reply", "14") in e
    assert ("warga_001", "kominfokdr_demo", "mention", "14") not in e
    assert ("kominfokdr_demo", "warga_001", "reply", "13") in e
    assert ("kominfokdr_demo", "beritakdr_demo", "mention", "10") in e
    assert not any(s == t for s, t, _k, _p in e)  # the thread continuation is no self-loop
    assert c.posts.at["twitter:13", "parent_post_id"] == "twitter:11"


def test_old_reply_without_a_leading_handle_is_a_reply_without_a_target(tmp_path):
    rows = [row(10, 0, "Info", 1, "kominfo_demo"),
            row(11, 5, "kapan dibuka?", 2, "warga_001", conv=10)]
    c = read_tweet_harvest(write_old(tmp_path / "old.csv", rows))
    assert c.posts.at["twitter:11", "kind"] == "reply"
    assert c.posts.at["twitter:11", "parent_post_id"] == "twitter:10"
    assert c.interactions.empty


# --- 3. crawls without usernames ----------------------------------------------------------

def nameless(r):
    return {**r, "username": "", "location": "", "tweet_url":
            r["tweet_url"].replace(r["tweet_url"].split("/")[3], "undefined")}


def test_crawl_without_usernames_is_warned_about(tmp_path):
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", [nameless(r) for r in THREAD]))
    (w,) = c.report.warnings
    assert w.file.endswith("a.csv") and "9 of 9 rows have no author handle" in w.problem
    assert "responsiveness" in w.affects and "2.7" in w.fix
    assert c.accounts.loc["twitter:1", "handle"] is pd.NA
    # replies fall back to the conversation root: nothing can be matched by handle
    assert c.posts.at["twitter:13", "parent_post_id"] == "twitter:10"


def test_handles_are_linked_from_another_file_and_from_urls(tmp_path):
    a = write_alpha(tmp_path / "a.csv", [nameless(r) for r in THREAD])
    # a later crawl (2.7) names the office and warga_001
    b = write_alpha(tmp_path / "b.csv", [row(40, 50, "Halo", 1, "KominfoKdr_Demo"),
                                         row(41, 51, "Hai", 2, "warga_001")])
    # warga_002's url still names the handle (an older crawl whose username field is empty)
    c_rows = [{**nameless(THREAD[2]), "tweet_url": "https://twitter.com/warga_002/status/12"}]
    cfile = write_alpha(tmp_path / "c.csv", c_rows)
    c = read_tweet_harvest([a, b, cfile])
    h = c.accounts["handle"]
    assert h["twitter:1"] == "kominfokdr_demo" and h["twitter:2"] == "warga_001"
    assert h["twitter:3"] == "warga_002"
    assert not c.report.warnings
    assert c.report.derived["handles_linked"] >= 2
    # with the handles known, the office's answer is found again
    assert c.posts.at["twitter:13", "parent_post_id"] == "twitter:11"
    # and the thread continuation (author known by id in a.csv) is still no self-reply
    assert not ((c.interactions["source_id"] == c.interactions["target_id"]).any())
    assert ("kominfokdr_demo", "kominfokdr_demo", "reply", "31") not in edges(c)


# --- 4. reply-prefix mentions -------------------------------------------------------------

PREFIX = [
    row(10, 0, "Info banjir", 1, "kominfo_demo"),
    row(11, 1, "@kominfo_demo di mana?", 2, "warga_001", "kominfo_demo", conv=10),
    # X prefixes every participant; warga_002 also typed @warga_003 in the body
    row(12, 2, "@warga_001 @kominfo_demo di Pare, kata @warga_003", 3, "warga_002",
        "warga_001", conv=10),
    # @kominfo_demo is in the prefix and again in the body: typed, so kept
    row(13, 3, "@warga_002 @warga_001 tanya @kominfo_demo", 4, "warga_004", "warga_002",
        conv=10),
]


def test_reply_prefix_mentions_are_counted_and_can_be_left_out(tmp_path):
    path = write_alpha(tmp_path / "a.csv", PREFIX)
    full = read_tweet_harvest(path)
    e = edges(full)
    assert ("warga_002", "kominfo_demo", "mention", "12") in e
    assert ("warga_004", "warga_001", "mention", "13") in e
    assert full.report.derived["reply_prefix_mentions"] == 2
    lean = read_tweet_harvest(path, reply_prefix_mentions=False)
    assert edges(full) - edges(lean) == {("warga_002", "kominfo_demo", "mention", "12"),
                                         ("warga_004", "warga_001", "mention", "13")}
    assert ("warga_002", "warga_003", "mention", "12") in edges(lean)
    assert ("warga_004", "kominfo_demo", "mention", "13") in edges(lean)
    assert lean.report.derived["reply_prefix_mentions_dropped"] == 2


def test_a_leading_mention_of_an_original_is_not_a_reply_prefix(tmp_path):
    rows = [row(10, 0, "@kominfo_demo @warga_002 jalan rusak", 1, "warga_001")]
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", rows), reply_prefix_mentions=False)
    assert len(c.interactions) == 2 and c.report.derived["reply_prefix_mentions"] == 0


# --- 7. spreadsheets ----------------------------------------------------------------------

SIX = [row(1861555827635451270 + i, i, f"tweet {i}", 100 + i, f"warga_00{i}")
       for i in range(6)]


def write_excel_csv(path, rows, delim):
    """As Excel re-saves a CSV: bare header, quotes only where needed, ids as numbers with
    15 significant digits."""
    import csv
    import io

    def rounded(v):  # what a spreadsheet writes back: 15 significant digits
        return v[:15] + "0" * (len(v) - 15) if v.isdigit() and len(v) > 15 else v

    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim, lineterminator="\r\n")
    w.writerow(ALPHA)
    for r in rows:
        vals = dict(r)
        for c in ("id_str", "user_id_str", "conversation_id_str"):
            vals[c] = rounded(vals[c])
        w.writerow([vals[c] for c in ALPHA])
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("delim", [",", ";"])
def test_ids_rounded_by_a_spreadsheet_are_malformed_never_merged(tmp_path, delim):
    path = write_excel_csv(tmp_path / "excel.csv", SIX, delim)
    assert "1861555827635450000" in path.read_text()
    c = read_tweet_harvest(path)
    assert c.report.loaded == 0 and c.report.duplicates == 0
    assert len(c.report.malformed) == 6
    assert all("15 significant digits" in m.reason for m in c.report.malformed)
    assert [m.line for m in c.report.malformed] == [2, 3, 4, 5, 6, 7]
    assert c.report.warnings and "spreadsheet" in c.report.warnings[0].problem


@pytest.mark.parametrize("n_zero, rounded", [(35_001, True), (35_000, False)])
def test_share_of_zero_tailed_ids_decides_past_the_first_block(tmp_path, n_zero, rounded):
    # 70,000 long ids (more than one counting block), n_zero of them zero-tailed: rounded
    # only when they are more than half (the long ids are counted as far as that needs)
    n = 70_000
    base = 1861555827635451271
    ids = [base + 10_000 * i for i in range(n)]
    ids = [tid - tid % 10_000 if i < n_zero else tid for i, tid in enumerate(ids)]
    rows = [row(tid, 0, "x", 7, "warga_007", conv=base) for tid in ids]
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", rows))
    if rounded:
        assert c.report.loaded == n - n_zero and len(c.report.malformed) == n_zero
        assert f"{n_zero} of {n} long ids in id_str" in c.report.warnings[0].problem
    else:
        assert c.report.loaded == n and not c.report.malformed and not c.report.warnings


def test_exact_ids_in_a_semicolon_resave_load(tmp_path):
    rows = [row(100 + i, i, f"tweet; {i}", 10 + i, f"warga_00{i}") for i in range(3)]
    c = read_tweet_harvest(write_excel_csv(tmp_path / "excel.csv", rows, ";"))
    assert c.report.loaded == 3 and not c.report.malformed
    assert c.posts["text"].str.contains(";").all()
    assert c.meta["layouts"][str(tmp_path / "excel.csv")] == L15X


def test_colliding_ids_with_different_times_are_malformed(tmp_path):
    rows = [row(1861555827635451273, 0, "a", 1, "warga_001"),
            row(1861555827635451273, 9, "b", 2, "warga_002"),
            row(1861555827635451273, 0, "a", 1, "warga_001")]
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", rows))
    assert (c.report.loaded, c.report.duplicates, len(c.report.malformed)) == (1, 1, 1)
    assert "line 2" in c.report.malformed[0].reason and c.report.malformed[0].line == 3


def test_xlsx_number_ids_and_date_cells_are_malformed_rows(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Tweets"
    ws.append(ALPHA)
    good = row(1861555827635451273, 0, "ok", 1, "warga_001")
    ws.append([good[c] for c in ALPHA])
    as_number = dict(row(1861555827635451274, 1, "n", 1, "warga_001"))
    as_number["id_str"] = 1861555827635451274  # Excel keeps it as a (rounded) number
    ws.append([as_number[c] for c in ALPHA])
    as_date = dict(row(1861555827635451275, 2, "d", 1, "warga_001"))
    as_date["created_at"] = pd.Timestamp("2024-11-27 01:02:00").to_pydatetime()
    ws.append([as_date[c] for c in ALPHA])
    path = tmp_path / "crawl.xlsx"
    wb.save(path)
    c = read_tweet_harvest(path)
    assert c.report.loaded == 1
    (m1, m2) = c.report.malformed
    assert (m1.line, m2.line) == (3, 4)
    assert "id_str is stored as a number" in m1.reason
    assert "created_at was turned into a spreadsheet date" in m2.reason


# --- 8. what researchers need -------------------------------------------------------------

def test_profile_location_and_conversation_are_kept(tmp_path):
    rows = [row(10, 0, "a", 1, "kominfo_demo", location="Kab. Kediri"),
            row(11, 5, "@kominfo_demo b", 2, "warga_001", "kominfo_demo", conv=10,
                location="Sby"),
            row(12, 9, "c", 1, "kominfo_demo", location="Kediri, Jawa Timur")]
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", rows))
    assert c.accounts.at["twitter:1", "location"] == "Kediri, Jawa Timur"  # the latest
    assert c.accounts.at["twitter:2", "location"] == "Sby"
    assert c.posts.at["twitter:11", "conversation_id"] == "twitter:10"


# --- 9. several crawls at once ------------------------------------------------------------

def test_per_file_counts_show_overlapping_windows(tmp_path):
    a = write_alpha(tmp_path / "kopi 01-12-2024.csv", THREAD[:5])
    old = write_alpha(tmp_path / "kopi 01-12-2024.old.csv", THREAD[3:])
    c = read_tweet_harvest(tmp_path)
    f = c.report.files_frame().set_index("file")
    assert list(f.index) == [str(a), str(old)]  # sorted: "...csv" < "....old.csv"
    assert f.loc[str(a)].tolist()[:4] == [5, 5, 0, 0]
    assert f.loc[str(old)].tolist()[:4] == [6, 4, 2, 0]
    assert f.loc[str(a), "first"] == "2024-11-27T01:00:00Z"
    assert f.loc[str(old), "last"] == "2024-11-27T01:41:00Z"
    assert f["rows_read"].sum() == c.report.rows_read


# --- issue 14: one bad value never refuses a whole file ------------------------------------

@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "1e300", "inf", "2.5",
                                   "9223372036854775808"])
def test_counts_out_of_range_are_malformed_rows_naming_the_column(tmp_path, value):
    rows = [row(10, 0, "a", 1, "warga_001"), row(11, 1, "b", 2, "warga_002",
                                                  favorite_count=value)]
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", rows))
    assert c.report.loaded == 1
    (m,) = c.report.malformed
    assert m.line == 3 and "favorite_count" in m.reason and value in m.reason


def test_large_valid_counts_are_exact(tmp_path):
    rows = [row(10, 0, "a", 1, "warga_001", favorite_count="9223372036854775807")]
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", rows))
    assert c.posts["like_count"].iloc[0] == 9223372036854775807


def test_header_with_a_stray_space_and_cr_only_line_ends(tmp_path):
    path = write_alpha(tmp_path / "a.csv", THREAD[:3])
    text = path.read_text(encoding="utf-8").replace('"id_str"', '"id_str "', 1)
    path.write_bytes(text.replace("\r\n", "\r").encode("utf-8"))
    c = read_tweet_harvest(path)
    assert c.report.loaded == 3 and not c.report.malformed
    bad = write_alpha(tmp_path / "b.csv", [THREAD[0], {**THREAD[1], "created_at": "kemarin"}])
    bad.write_bytes(bad.read_bytes().replace(b"\r\n", b"\r"))
    (m,) = read_tweet_harvest(bad).report.malformed
    assert m.line == 3


def test_an_impossible_year_is_one_malformed_row(tmp_path):
    rows = [row(10, 0, "a", 1, "warga_001"),
            {**row(11, 1, "b", 2, "warga_002"), "created_at": "Wed Nov 27 05:06:26 +0000 3024"},
            {**row(12, 2, "c", 2, "warga_002"), "created_at": "3024-11-27T05:06:26.000Z"}]
    c = read_tweet_harvest(write_alpha(tmp_path / "a.csv", rows))
    assert c.report.loaded == 1
    assert [m.line for m in c.report.malformed] == [3, 4]
    assert all("created_at" in m.reason for m in c.report.malformed)


@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_latin1_byte_in_a_row_of_the_wrong_width_is_one_clean_error(tmp_path):
    # pyarrow decodes a rejected row before the loader's handler sees it: the encoding must
    # be checked first, or a traceback is printed and the row is lost from the report
    from kopiresearch.errors import InputFormatError

    path = write_alpha(tmp_path / "a.csv", THREAD[:3])
    lines = path.read_bytes().split(b"\r\n")
    lines[2] += b',"Caf\xe9"'
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(InputFormatError, match=r"line 3, column \d+: not UTF-8"):
        read_tweet_harvest(path)
