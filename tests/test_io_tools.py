"""Generic interactions CSV, merge, labels, pseudonymisation, format detection and the CLI."""

import json

import pandas as pd
import pytest

from kopiresearch.errors import InputFormatError, KopiresearchError, MissingColumnError
from kopiresearch.io import (
    PseudonymKeyError,
    detect_format,
    example_path,
    label_accounts,
    load_any,
    merge,
    pseudonymize,
    read_corpus,
    read_instaloader,
    read_interactions_csv,
    read_snscrape,
    read_twarc2,
    read_twarc_csv,
    read_tweet_harvest,
)

FB_COLUMNS = {"source": "akun", "target": "halaman", "kind": "jenis", "created_at": "waktu",
              "post_id": "id_komentar", "text": "teks"}
KEY = "test-key-0123456789abcdef"


def all_examples():
    return [read_tweet_harvest(example_path("tweet_harvest_2.6.1.csv")),
            read_twarc2(example_path("twarc2_search.jsonl")),
            read_twarc_csv(example_path("twarc_csv.csv")),
            read_instaloader(example_path("instaloader")),
            read_interactions_csv(example_path("interactions_facebook.csv"),
                                  columns=FB_COLUMNS, tz="Asia/Jakarta")]


# --- generic -------------------------------------------------------------------------------
def test_generic_rows_rules_and_report():
    c = read_interactions_csv(example_path("interactions_facebook.csv"), columns=FB_COLUMNS,
                              tz="Asia/Jakarta")
    got = {(s, t, k) for s, t, k in c.interactions[["source_id", "target_id", "kind"]]
           .itertuples(index=False)}
    d = "facebook:@diskominfo.kediri.demo"
    assert got == {("facebook:@warga_201", d, "comment"), ("facebook:@warga_202", d, "comment"),
                   ("facebook:@warga_202", "facebook:@warga_201", "mention"),
                   ("facebook:@kuliner.kediri.demo", d, "repost")}  # self-comment: no edge
    r = c.report
    assert (r.rows_read, r.loaded, r.duplicates, len(r.malformed)) == (7, 5, 1, 1)
    assert r.malformed[0].line == 8
    # 10:15 WIB = 03:15 UTC (rule 8)
    t = c.interactions.set_index("post_id").loc["facebook:fb-c-0001", "created_at"]
    assert t == pd.Timestamp("2024-11-27T03:15:00Z")


def test_generic_needs_offset_or_tz_and_columns(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("source,target,kind,created_at\nA,b,mention,2024-11-27 10:00\n"
                 "a,b,mention,2024-11-27T10:00:00+07:00\n", encoding="utf-8")
    c = read_interactions_csv(p, platform="tiktok")
    assert c.report.loaded == 1 and "offset" in c.report.malformed[0].reason
    assert c.report.malformed[0].line == 2
    with pytest.raises(MissingColumnError) as err:
        read_interactions_csv(p, columns={"source": "akun"})
    assert "akun" in str(err.value) and str(p) in str(err.value)
    with pytest.raises(InputFormatError):
        read_interactions_csv(p, platform="myspace")


# --- merge ---------------------------------------------------------------------------------
def test_merge_counts_duplicates_and_resolves_handle_only_accounts():
    th = read_tweet_harvest(example_path("tweet_harvest_2.6.1.csv"))
    t2 = read_twarc2(example_path("twarc2_search.jsonl"))
    assert "twitter:@beritakdr_demo" in th.accounts.index
    m = merge(th, t2, t2)
    assert "twitter:@beritakdr_demo" not in m.accounts.index
    assert m.accounts.loc["twitter:1400000000000000301", "handle"] == "beritakdr_demo"
    assert (m.interactions["target_id"] == "twitter:1400000000000000301").sum() == \
        (th.interactions["target_id"] == "twitter:@beritakdr_demo").sum() + \
        (t2.interactions["target_id"] == "twitter:1400000000000000301").sum()
    r = m.report
    assert r.is_consistent and len(m.posts) == len(th.posts) + len(t2.posts)
    assert r.duplicates == th.report.duplicates + 2 * t2.report.duplicates + len(t2.posts)
    assert len(m.interactions) == len(th.interactions) + len(t2.interactions)
    with pytest.raises(KopiresearchError):
        merge()


# --- labels --------------------------------------------------------------------------------
def test_labels_apply_and_report_unlabelled():
    c = merge(*all_examples())
    out, unlabelled, unmatched = label_accounts(c, example_path("labels.csv"))
    a = out.accounts
    k = a[a["handle"] == "kominfokdr_demo"].iloc[0]
    assert (k["actor_type"], k["region_code"], bool(k["partnered"])) == \
        ("government_regency", "3506", False)
    j = a[(a["handle"] == "kuliner.kediri.demo")]
    assert set(j["platform"]) == {"instagram", "facebook"}  # no platform: every platform
    assert set(j["region_code"]) == {"3571"} and j["partnered"].all()
    assert set(unlabelled["actor_type"]) == {"unknown"}
    assert len(unlabelled) + (a["actor_type"] != "unknown").sum() == len(a)
    assert list(unmatched["handle"]) == ["jatimprov_demo"]
    assert c.accounts["actor_type"].eq("unknown").all()  # input unchanged


@pytest.mark.parametrize("row,column", [("warga_001,citizen_x,,", "actor_type"),
                                        ("warga_001,citizen,Kediri,", "region"),
                                        ("warga_001,citizen,Atlantis,", "region"),
                                        ("warga_001,citizen,,maybe", "partnered")])
def test_bad_label_names_file_line_and_column(tmp_path, row, column):
    p = tmp_path / "labels.csv"
    p.write_text("handle,actor_type,region,partnered\nkominfokdr_demo,media,,\n" + row + "\n",
                 encoding="utf-8")
    c = read_twarc2(example_path("twarc2_search.jsonl"))
    with pytest.raises(InputFormatError) as err:
        label_accounts(c, p)
    assert err.value.line == 3 and err.value.column == column and err.value.file == str(p)


# --- pseudonymisation ------------------------------------------------------------------------
def _dump(c, folder):
    from kopiresearch.io import write_corpus

    write_corpus(c, folder, format="csv")
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))


def test_no_original_handle_or_id_of_a_non_kept_account_survives(tmp_path):
    c, _, _ = label_accounts(merge(*all_examples()), example_path("labels.csv"))
    p = pseudonymize(c, KEY)
    kept = c.accounts[c.accounts["actor_type"].isin(
        ["government_regency", "government_province", "media"])
        | ((c.accounts["actor_type"] == "influencer") & c.accounts["partnered"])]
    gone = c.accounts.drop(kept.index)
    assert len(gone) >= 8 and len(kept) >= 4
    text = _dump(p, tmp_path / "out").lower()
    text += json.dumps(p.meta).lower() + repr(p.report).lower()
    for acc_id, row in gone.iterrows():
        raw = acc_id.split(":", 1)[1].lstrip("@")
        assert raw.lower() not in text, acc_id
        if isinstance(row["handle"], str):
            assert row["handle"] not in text, row["handle"]
    for acc_id, row in kept.iterrows():
        assert acc_id in set(p.accounts.index) and row["handle"] in text
    # posts of non-kept authors: ids and urls gone; structure preserved
    assert len(p.interactions) == len(c.interactions) and len(p.posts) == len(c.posts)
    assert p.report.summary() == c.report.summary()
    pd.testing.assert_series_equal(
        p.interactions["kind"].value_counts().sort_index(),
        c.interactions["kind"].value_counts().sort_index())


def test_pseudonyms_are_keyed_and_stable(monkeypatch, tmp_path):
    c, _, _ = label_accounts(read_twarc2(example_path("twarc2_search.jsonl")),
                             example_path("labels.csv"))
    a = pseudonymize(c, KEY)
    b = pseudonymize(c, KEY)
    other = pseudonymize(c, KEY + "x")
    assert list(a.accounts.index) == list(b.accounts.index)
    assert set(a.accounts.index) != set(other.accounts.index)
    monkeypatch.setenv("KOPIRESEARCH_PSEUDONYM_KEY", KEY)
    assert list(pseudonymize(c).accounts.index) == list(a.accounts.index)
    monkeypatch.delenv("KOPIRESEARCH_PSEUDONYM_KEY")
    kf = tmp_path / "key.txt"
    kf.write_text(KEY + "\n", encoding="utf-8")
    assert list(pseudonymize(c, key_file=kf).accounts.index) == list(a.accounts.index)
    # the same account in another crawl gets the same pseudonym
    t2 = pseudonymize(label_accounts(read_twarc_csv(example_path("twarc_csv.csv")),
                                     example_path("labels.csv")).corpus, KEY)
    assert set(a.accounts.index) & set(t2.accounts.index) - set(c.accounts.index)
    with pytest.raises(PseudonymKeyError):
        pseudonymize(c)
    with pytest.raises(PseudonymKeyError):
        pseudonymize(c, "short")
    # keep= as a list of handles
    k = pseudonymize(c, KEY, keep=["warga_001"])
    assert "warga_001" in set(k.accounts["handle"])
    assert "kominfokdr_demo" not in set(k.accounts["handle"])


# --- detection and CLI -------------------------------------------------------------------------
def test_detect_format():
    assert detect_format(example_path("tweet_harvest_2.6.1.csv")) == "tweet-harvest"
    assert detect_format(example_path("twarc2_search.jsonl")) == "twarc2"
    assert detect_format(example_path("interactions_facebook.csv"),
                         columns=FB_COLUMNS) == "interactions-csv"
    assert load_any(example_path("twarc_csv.csv")).report.loaded == 5


def test_cli_load_writes_tables_and_never_the_key(tmp_path, monkeypatch, capsys):
    from kopiresearch.cli import main

    monkeypatch.setenv("KOPIRESEARCH_PSEUDONYM_KEY", KEY)
    out = tmp_path / "out"
    args = ["load", str(example_path("tweet_harvest_2.6.1.csv")),
            str(example_path("twarc2_search.jsonl")), str(example_path("instaloader")),
            str(example_path("interactions_facebook.csv")), "--labels",
            str(example_path("labels.csv")), "--pseudonymize", "--out", str(out), "--csv",
            "--tz", "Asia/Jakarta"] + [f"--column={k}={v}" for k, v in FB_COLUMNS.items()]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "rows read" in printed and "malformed" in printed
    names = {p.name for p in out.iterdir()}
    assert {"accounts.parquet", "posts.csv", "interactions.parquet", "load_report.json"} <= names
    back = read_corpus(out)
    assert back.report.is_consistent
    assert not any(KEY in p.read_bytes().decode("utf-8", "replace") for p in out.iterdir())
    monkeypatch.delenv("KOPIRESEARCH_PSEUDONYM_KEY")
    assert main(["load", str(example_path("twarc_csv.csv")), "--pseudonymize", "--out",
                 str(tmp_path / "o2")]) == 2
    assert "key" in capsys.readouterr().err


def test_loaders_build_exactly_what_corpus_from_frames_builds():
    from kopiresearch.corpus import Corpus

    for c in all_examples():
        ref = Corpus.from_frames(c.accounts.reset_index(), c.posts.reset_index(),
                                 c.interactions, report=c.report)
        for name in ("accounts", "posts", "interactions"):
            pd.testing.assert_frame_equal(getattr(c, name), getattr(ref, name))


def test_detect_format_of_folders(tmp_path):
    import shutil

    d = tmp_path / "tweets-data"
    d.mkdir()
    shutil.copy(example_path("tweet_harvest_2.6.1.csv"), d / "a.csv")
    shutil.copy(example_path("tweet_harvest_2.6.1.csv"), d / "a.old.csv")
    assert detect_format(d) == "tweet-harvest"
    c = load_any(d)
    assert c.report.duplicates == 8 and c.report.loaded == 6  # 2 x (6 + 1 duplicate)
    e = tmp_path / "empty"
    e.mkdir()
    with pytest.raises(KopiresearchError):
        detect_format(e)


def test_act_rows_equal_the_pandas_rules():
    """act_rows (integer keys) keeps exactly what dropna/self-loop/drop_duplicates/stable sort
    keep, with one int64 key and with the wide fallback."""
    import numpy as np

    from kopiresearch.io._common import act_rows

    rng = np.random.default_rng(7)
    n = 5000
    for scale in (1, 2**50):  # 2**50: the mixed-radix key would overflow, fallback used
        post = rng.integers(0, 300, n) * scale
        src, tgt = rng.integers(-1, 20, n), rng.integers(-1, 20, n)
        kind = rng.integers(0, 3, n)
        t = rng.integers(0, 50, n)
        got = act_rows(src, tgt, post, kind, t)
        frame = pd.DataFrame({"p": post, "s": src, "t": tgt, "k": kind, "time": t})
        frame = frame[(frame.s >= 0) & (frame.t >= 0) & (frame.s != frame.t)]
        frame = frame.drop_duplicates(["p", "s", "t", "k"]).sort_values("time", kind="stable")
        assert got.tolist() == frame.index.tolist()
    assert act_rows([], [], [], [], []).tolist() == []


def test_expanded_urls_are_pseudonymised_like_texts():
    # snscrape keeps the quoted permalink of a private account's deleted tweet
    c = read_snscrape(example_path("snscrape_twitter.jsonl"))
    links = c.posts["expanded_urls"].dropna()
    assert links.str.contains("warga_00098/status/1600000000000000901").any()
    p = pseudonymize(c, KEY)
    out = " ".join(p.posts["expanded_urls"].dropna())
    assert "warga_00098" not in out.lower() and "1600000000000000901" not in out
    assert p.posts["expanded_urls"].notna().sum() == len(links)
