"""Generic interactions CSV: platform, column-naming errors, acts without post ids, counts."""

import pandas as pd
import pytest

from kopiresearch.errors import MissingColumnError
from kopiresearch.io import load_any, read_interactions_csv
from kopiresearch.io._common import cr_line_ends, epoch_seconds, parse_counts

HEAD = "source,target,kind,created_at\n"


def write(tmp_path, text, name="acts.csv", mode="w"):
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_repeated_acts_without_post_id_are_separate_interactions(tmp_path):
    # issue 14 item 10: same pair and kind at three times = three acts
    p = write(tmp_path, HEAD + "".join(
        f"warga_00042,kominfo_demo,mention,2024-11-27T0{h}:00:00Z\n" for h in (1, 2, 3, 3)))
    c = read_interactions_csv(p)
    assert (c.report.loaded, c.report.duplicates) == (3, 1)
    assert len(c.interactions) == 3
    assert sorted(c.interactions["created_at"].dt.hour) == [1, 2, 3]


def test_platform_option_and_load_any_pass_it(tmp_path):
    p = write(tmp_path, HEAD + "warga_00042,tiktok_demo,comment,2024-11-27T01:00:00Z\n")
    assert read_interactions_csv(p).accounts["platform"].unique().tolist() == ["facebook"]
    for c in (read_interactions_csv(p, platform="tiktok"), load_any(p, platform="tiktok")):
        assert c.accounts["platform"].unique().tolist() == ["tiktok"]
        assert c.accounts.index.str.startswith("tiktok:").all()


def test_malformed_rows_name_the_files_column(tmp_path):
    p = write(tmp_path, "akun,halaman,jenis,waktu\n"
              "warga_00042,,comment,2024-11-27T01:00:00Z\n"
              ",kominfo_demo,comment,2024-11-27T01:00:00Z\n"
              "warga_00042,kominfo_demo,like,2024-11-27T01:00:00Z\n"
              "warga_00042,kominfo_demo,comment,27/11/2024\n"
              "warga_00042,kominfo_demo,comment,3024-11-27T01:00:00Z\n")
    c = read_interactions_csv(p, columns={"source": "akun", "target": "halaman",
                                          "kind": "jenis", "created_at": "waktu"})
    m = c.report.malformed_frame()
    assert m["line"].tolist() == [2, 3, 4, 5, 6]
    assert m["reason"].str.startswith("column ").all()
    for line, col in ((2, "'halaman'"), (3, "'akun'"), (4, "'jenis'"), (5, "'waktu'"),
                      (6, "'waktu'")):
        assert col in m.loc[m["line"] == line, "reason"].iloc[0]
    assert "1677" in m.loc[m["line"] == 6, "reason"].iloc[0]
    assert c.report.is_consistent and c.report.loaded == 0


def test_stray_space_in_header_and_cr_only_line_ends(tmp_path):
    p = write(tmp_path, b" source,target ,kind,created_at\r"
              b"warga_00042,kominfo_demo,mention,2024-11-27T01:00:00Z\r"
              b"warga_00042,kominfo_demo,mention,bukan waktu\r")
    c = read_interactions_csv(p)
    assert (c.report.loaded, len(c.report.malformed)) == (1, 1)
    assert c.report.malformed[0].line == 3
    q = write(tmp_path, "sumber,target,kind,created_at\n", name="b.csv")
    with pytest.raises(MissingColumnError, match=r"b\.csv, header line.*'sumber'"):
        read_interactions_csv(q)
    assert cr_line_ends(b"a\rb\r") == b"a\nb\n"


def test_file_counts(tmp_path):
    a = write(tmp_path, HEAD + "warga_00042,kominfo_demo,mention,2024-11-27T01:00:00Z\n"
              "warga_00042,kominfo_demo,mention,bad\n", name="a.csv")
    b = write(tmp_path, HEAD + "warga_00042,kominfo_demo,mention,2024-11-27T01:00:00Z\n"
              "warga_00043,kominfo_demo,mention,2024-11-28T01:00:00Z\n", name="b.csv")
    f = read_interactions_csv([a, b]).report.files_frame()
    assert f[["rows_read", "loaded", "duplicates", "malformed"]].values.tolist() == [
        [2, 1, 0, 1], [2, 1, 1, 0]]
    assert f["first"].tolist() == ["2024-11-27T01:00:00Z", "2024-11-27T01:00:00Z"]
    assert f["last"].tolist() == ["2024-11-27T01:00:00Z", "2024-11-28T01:00:00Z"]


@pytest.mark.parametrize("value,count", [
    ("0", 0), ("57", 57), (" 7 ", 7), ("41.0", 41), ("9223372036854775807", 2**63 - 1),
    (12, 12), (3.0, 3)])
def test_count_parser_accepts_whole_numbers(value, count):
    v, bad = parse_counts(pd.Series([value], dtype=object))
    assert v.tolist() == [count] and not bad.any()


@pytest.mark.parametrize("value", [
    "99999999999999999999", "9223372036854775808", "-1", "1e300", "inf", "-inf", "1.5",
    "NaN", "abc", -1, 2**63, float("inf"), 1e300, True, 0.5])
def test_count_parser_refuses_everything_else(value):
    v, bad = parse_counts(pd.Series([value], dtype=object))
    assert bad.tolist() == [True] and v.isna().all()


def test_count_parser_fast_path_equals_slow_path():
    s = pd.Series(["1", "", None, "123456789012345678", "5"], dtype="string")
    fast = parse_counts(s)
    slow = parse_counts(s.astype(object))
    assert fast[0].tolist() == slow[0].tolist() and (fast[1] == slow[1]).all()


def test_epoch_seconds_out_of_range_is_bad_not_fatal():
    t, bad = epoch_seconds([0, -1e11, 1e11, float("nan"), True, 1732677300])
    assert bad.tolist() == [False, True, True, True, True, False]
    assert str(t.iloc[-1]) == "2024-11-27 03:15:00+00:00"


def test_count_parser_numeric_fast_path_equals_the_exact_check():
    from kopiresearch.io._common import one_count

    values = [3, None, 2.0, 0, 7, float("nan"), 12]
    fast = parse_counts(pd.Series(values, dtype=object))
    assert [None if pd.isna(x) else int(x) for x in fast[0]] == [
        None if one_count(v) is None else one_count(v) for v in values]
    big, b = parse_counts(pd.Series([1, 2**60 + 1], dtype=object))  # beyond 2**53: exact
    assert big.tolist() == [1, 2**60 + 1] and not b.any()
    for bad in ([1, -2], [1, 2.5], [1, 2**63], [1, float("inf")], [1, True]):
        v, b = parse_counts(pd.Series(bad, dtype=object))
        assert b.tolist() == [False, True], bad
