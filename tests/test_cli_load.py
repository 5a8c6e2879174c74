"""`kopiresearch load` on real-crawl traps: warnings, per-file counts, options, failures."""

import re
import shutil

from kopiresearch.cli import main
from kopiresearch.io import example_path, read_corpus


def test_warnings_and_per_file_counts_are_printed(tmp_path, capsys):
    out = tmp_path / "corpus"
    assert main(["load", str(example_path("tweet_harvest_2.6.1.csv")),
                 str(example_path("tweet_harvest_2.6.1_2025.csv")), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "file " + str(example_path("tweet_harvest_2.6.1.csv")) + ": rows 7 = loaded 6" \
        in captured.out
    assert "2025-06-02T01:00:00Z to 2025-06-02T02:00:00Z" in captured.out
    assert "WARNING" in captured.out and "no author handle" in captured.out
    assert "kopiresearch: warning:" in captured.err and "tweet-harvest 2.7" in captured.err
    report = read_corpus(out).report
    assert report.warnings and report.file_counts and report.derived["parents_inferred"] > 0


def test_no_reply_prefix_mentions_option(tmp_path, capsys):
    args = ["load", str(example_path("tweet_harvest_2.4.0.csv"))]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    assert main(args + ["--no-reply-prefix-mentions", "--out", str(tmp_path / "b")]) == 0
    a, b = read_corpus(tmp_path / "a"), read_corpus(tmp_path / "b")
    assert a.report.derived["reply_prefix_mentions"] == 1
    assert b.report.derived["reply_prefix_mentions_dropped"] == 1
    assert len(a.interactions) == len(b.interactions) + 1


def test_platform_option_for_generic_tables(tmp_path, capsys):
    src = tmp_path / "tiktok.csv"
    src.write_text("source,target,kind,created_at,post_id\n"
                   "warga_001,pemkab_demo,comment,2024-11-27T01:00:00Z,c1\n", encoding="utf-8")
    assert main(["load", str(src), "--platform", "tiktok", "--out", str(tmp_path / "o")]) == 0
    acc = read_corpus(tmp_path / "o").accounts
    assert set(acc["platform"].astype(str)) == {"tiktok"}
    assert acc.index.str.startswith("tiktok:").all()


def test_a_folder_with_one_non_crawl_file_loads_and_lists_it(tmp_path, capsys):
    folder = tmp_path / "tweets-data"
    folder.mkdir()
    shutil.copy(example_path("tweet_harvest_2.6.1.csv"), folder / "kopi.csv")
    (folder / "catatan.csv").write_text("tanggal,catatan\n2024-11-27,rapat\n", encoding="utf-8")
    assert main(["load", str(folder), "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    assert "skipped: " + str(folder / "catatan.csv") in out


def test_nothing_loads_exits_non_zero_and_writes_nothing(tmp_path, capsys):
    src = tmp_path / "catatan.csv"
    src.write_text("tanggal,catatan\n2024-11-27,rapat\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["load", str(src), "--out", str(out)]) != 0
    assert "error" in capsys.readouterr().err
    assert not out.exists() or not any(out.iterdir())


def test_a_file_whose_every_row_is_malformed_fails_the_load(tmp_path, capsys):
    # every id rounded by a spreadsheet: the file gives nothing the tool can trust
    text = example_path("tweet_harvest_2.6.1.csv").read_text(encoding="utf-8")
    rounded = re.sub(r"\b(\d{15})\d{4}\b", r"\g<1>0000", text)
    lines = rounded.splitlines()
    lines[0] = lines[0].replace('"', "")  # a spreadsheet writes a bare header
    src = tmp_path / "excel.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["load", str(src), "--out", str(out)]) != 0
    err = capsys.readouterr().err
    assert "every row of the file is malformed" in err and "15 significant digits" in err
    assert not out.exists() or not any(out.iterdir())
