"""Outputs are complete or absent, and the command line fails cleanly (issue 14, items 6-9, 13).

Every writer goes through :func:`kopiresearch.io._output.output_folder`; partitioned loads
end with a completion record that :func:`open_parquet_corpus`, :func:`read_partitioned` and
``kopiresearch aggregate`` check.
"""

import errno
import json
import shutil

import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import scale
from kopiresearch.cli import main
from kopiresearch.errors import InputFormatError, OutputError
from kopiresearch.io import example_path, read_corpus, read_interactions_csv, write_corpus
from kopiresearch.io.parquet import (
    check_complete,
    read_partitioned,
    stream_to_parquet,
    write_partitioned,
)

TWARC = str(example_path("twarc2_search.jsonl"))


def _leftovers(parent):
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


# --- item 6: refuse a non-empty --out, never leave stale files --------------------------------
def test_load_refuses_a_folder_that_holds_files(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["load", TWARC, "--out", str(out), "--csv"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    capsys.readouterr()
    assert main(["load", TWARC, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--overwrite" in err and str(out) in err and "Traceback" not in err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched


def test_overwrite_replaces_the_whole_folder(tmp_path):
    out = tmp_path / "out"
    assert main(["load", TWARC, "--out", str(out), "--csv"]) == 0
    assert (out / "posts.csv").exists()
    assert main(["load", str(example_path("twarc_csv.csv")), "--out", str(out),
                 "--overwrite"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["accounts.parquet", "interactions.parquet", "load_report.json",
                     "posts.parquet"]  # no stale CSV of the first run
    assert read_corpus(out).report.loaded == 5
    assert _leftovers(tmp_path) == []


def test_overwrite_never_deletes_a_folder_kopiresearch_did_not_write(tmp_path, capsys):
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.docx").write_text("years of work")
    assert main(["load", TWARC, "--out", str(home), "--overwrite"]) == 2
    assert "did not write" in capsys.readouterr().err
    assert (home / "thesis.docx").read_text() == "years of work"


def test_out_naming_a_file_is_a_clean_error(tmp_path, capsys):
    f = tmp_path / "corpus.parquet"
    f.write_text("x")
    for args in (["load", TWARC, "--out", str(f)], ["load", TWARC, "--out", str(f / "sub")],
                 ["load", TWARC, "--partitioned", "--out", str(f)]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert err.startswith("kopiresearch load: error:") and str(f) in err, err
    with pytest.raises(OutputError):
        write_corpus(kr.load_bundled(), f)


# --- item 7: atomic writes ---------------------------------------------------------------
def test_disk_full_leaves_the_old_corpus(tmp_path, monkeypatch):
    out = tmp_path / "out"
    small = read_interactions_csv(example_path("interactions_facebook.csv"), columns={
        "source": "akun", "target": "halaman", "kind": "jenis", "created_at": "waktu",
        "post_id": "id_komentar"}, tz="Asia/Jakarta")
    write_corpus(small, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = []
    real = pd.DataFrame.to_parquet

    def full(self, path, *a, **kw):
        calls.append(path)
        if len(calls) == 2:  # accounts written, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, path, *a, **kw)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    with pytest.raises(OutputError, match="No space left") as err:
        write_corpus(kr.load_bundled(), out, overwrite=True)
    assert isinstance(err.value.__cause__, OSError)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert _leftovers(tmp_path) == []


def test_disk_full_in_the_cli_is_one_line(tmp_path, monkeypatch, capsys):
    def full(self, path, *a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    assert main(["load", TWARC, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "No space left" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists() and _leftovers(tmp_path) == []


def test_an_arrow_error_at_write_time_leaves_nothing(tmp_path, monkeypatch):
    from pathlib import Path

    import pyarrow as pa

    def too_big(self, path, *a, **kw):
        Path(path).write_bytes(b"PAR1 truncated")  # what a failing writer leaves behind
        raise pa.ArrowCapacityError("array cannot contain more than 2147483646 bytes")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", too_big)
    with pytest.raises(OutputError, match="ArrowCapacityError"):
        write_corpus(kr.load_bundled(), tmp_path / "out")
    assert not (tmp_path / "out").exists() and _leftovers(tmp_path) == []


# --- item 8: completion record of partitioned loads -----------------------------------------
def test_interrupted_partitioned_load_leaves_nothing(tmp_path):
    out = tmp_path / "corpus"

    def reader(i):
        if i == 2:
            raise KeyboardInterrupt  # killed after 2 of 5 inputs
        return kr.load_bundled()

    with pytest.raises(KeyboardInterrupt):
        stream_to_parquet(range(5), reader, out)
    assert not out.exists() and _leftovers(tmp_path) == []


def test_folders_that_are_not_a_finished_load_are_refused(tmp_path, capsys):
    bundled = kr.load_bundled()
    out = tmp_path / "corpus"
    stream_to_parquet([0, 1], lambda _: bundled, out)
    record = check_complete(out)
    assert record["complete"] and len(record["parts"]) > 6
    assert read_partitioned(out).report.is_consistent
    # a second load written into the same folder by hand (parts the record does not list)
    broken = tmp_path / "mixed"
    shutil.copytree(out, broken)
    write_partitioned(bundled, broken, part=7)
    with pytest.raises(InputFormatError, match="does not list"):
        scale.open_parquet_corpus(broken)
    with pytest.raises(InputFormatError, match="does not list"):
        read_partitioned(broken)
    # a load killed before its record
    unfinished = tmp_path / "unfinished"
    write_partitioned(bundled, unfinished, part=0)
    with pytest.raises(InputFormatError, match="completion record"):
        scale.open_parquet_corpus(unfinished)
    assert main(["aggregate", str(unfinished), "--out", str(tmp_path / "agg")]) == 2
    err = capsys.readouterr().err
    assert "completion record" in err and not (tmp_path / "agg").exists()
    # a truncated part file
    truncated = tmp_path / "truncated"
    shutil.copytree(out, truncated)
    victim = next((truncated / "interactions").rglob("part-*.parquet"))
    victim.write_bytes(victim.read_bytes()[:100])
    with pytest.raises(InputFormatError, match="size"):
        scale.open_parquet_corpus(truncated)
    # a record that is not one
    (truncated / "load_report.json").write_text(json.dumps({"rows_read": 1}))
    with pytest.raises(InputFormatError, match="completion record"):
        check_complete(truncated)


def test_a_damaged_part_named_in_the_error(tmp_path):
    from kopiresearch.io.parquet import complete_partitioned

    out = tmp_path / "corpus"
    write_partitioned(kr.load_bundled(), out)
    victim = next((out / "posts").rglob("part-*.parquet"))
    victim.write_bytes(victim.read_bytes()[:-50])  # half-written, then recorded as is
    complete_partitioned(out)
    with pytest.raises(InputFormatError, match=victim.name):
        read_partitioned(out)
    with pytest.raises(InputFormatError, match=victim.name):
        scale.open_parquet_corpus(out)


def test_an_empty_input_gives_a_folder_that_opens(tmp_path):
    out = tmp_path / "empty"
    report = stream_to_parquet([0], lambda _: kr.Corpus.from_frames(), out)
    assert report.rows_read == 0
    back = read_partitioned(out)
    assert (len(back.accounts), len(back.posts), len(back.interactions)) == (0, 0, 0)
    dc = scale.open_parquet_corpus(out, count_duplicates=False)
    assert len(dc.accounts) == 0


# --- item 9: partitioned loads keep acts without a post_id --------------------------------------
def test_partitioned_keeps_acts_without_post_id(tmp_path):
    p = tmp_path / "acts.csv"
    p.write_text("source,target,kind,created_at\n"
                 "warga_1,pemkab_demo,comment,2024-11-27T10:00:00Z\n"
                 "warga_2,pemkab_demo,comment,2024-11-27T11:00:00Z\n"
                 "warga_1,warga_2,mention,2024-11-28T10:00:00Z\n"
                 "warga_2,warga_1,mention,2024-12-01T10:00:00Z\n", encoding="utf-8")
    c = read_interactions_csv(p)
    assert len(c.interactions) == 4 and c.interactions["post_id"].isna().all()
    out = tmp_path / "corpus"
    stream_to_parquet([p], read_interactions_csv, out)
    back = read_partitioned(out)
    assert len(back.interactions) == 4 == back.report.loaded
    pd.testing.assert_frame_equal(kr.graph.aggregate_interactions(back.interactions),
                                  kr.graph.aggregate_interactions(c.interactions))


# --- item 13: clean errors of the command line ------------------------------------------------
@pytest.mark.parametrize("flag", ["--start", "--end"])
def test_aggregate_bad_time_is_one_line(tmp_path, capsys, flag):
    out = tmp_path / "corpus"
    stream_to_parquet([0], lambda _: kr.load_bundled(), out)
    assert main(["aggregate", str(out), "--out", str(tmp_path / "agg"), flag,
                 "yesterday"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and flag in err and "yesterday" in err


def test_messages_name_flags_not_keyword_arguments(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KOPIRESEARCH_PSEUDONYM_KEY", raising=False)
    assert main(["load", TWARC, "--pseudonymize", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "--key-file" in err and "key=" not in err
    p = tmp_path / "local.csv"
    p.write_text("source,target,kind,created_at\nwarga_1,pemkab_demo,comment,"
                 "2024-11-27 10:00:00\n", encoding="utf-8")
    # its only row is malformed, so the load fails (issue 12); the reason names the flag
    assert main(["load", str(p), "--out", str(tmp_path / "o2")]) == 2
    err = capsys.readouterr().err
    assert "--tz" in err and "tz=" not in err


def test_labels_field_over_the_csv_limit_names_file_and_line(tmp_path, capsys):
    labels = tmp_path / "labels.csv"
    labels.write_text('handle,actor_type\nwarga_001,citizen\n"' + "x" * 200_000
                      + '",citizen\n', encoding="utf-8")
    assert main(["load", TWARC, "--labels", str(labels), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"file {labels}, line 3" in err and "Traceback" not in err


# --- item 16: progress of long loads ------------------------------------------------------------
def test_load_shows_progress_per_file_and_rows_unless_switched_off(tmp_path, capsys,
                                                                     monkeypatch):
    inputs = [TWARC, str(example_path("twarc_csv.csv"))]
    monkeypatch.setenv("KOPIRESEARCH_PROGRESS", "1")
    assert main(["load", *inputs, "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err
    assert "2/2" in err and "rows=" in err and "twarc_csv.csv" in err
    monkeypatch.setenv("KOPIRESEARCH_PROGRESS", "0")
    assert main(["load", *inputs, "--partitioned", "--out", str(tmp_path / "b")]) == 0
    assert capsys.readouterr().err == ""


def test_progress_names_each_file_of_one_loader_call(tmp_path, capsys, monkeypatch):
    # two tweet-harvest files are read by one loader call (parents across files), and the
    # bar still moves per file, with its rows
    import shutil

    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    shutil.copy(example_path("tweet_harvest_2.6.1.csv"), a)
    shutil.copy(example_path("tweet_harvest_2.6.1_2025.csv"), b)
    monkeypatch.setenv("KOPIRESEARCH_PROGRESS", "1")
    assert main(["load", str(a), str(b), "--out", str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err
    assert "1/2" in err and "2/2" in err and "rows=12" in err
    assert "building the corpus of 2 tweet-harvest files" in err
