"""Property tests: mutated crawl files give a KopiresearchError or a report that adds up."""

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kopiresearch.errors import KopiresearchError
from kopiresearch.io import (
    example_path,
    read_instaloader,
    read_interactions_csv,
    read_twarc2,
    read_twarc_csv,
    read_tweet_harvest,
)

SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

NOISE = st.sampled_from([b"", b"\n", b"\r\n", b'"', b",", b";", b"\xe9", b"\xef\xbb\xbf", b"{",
                         b"}", b"@", b"@warga_001", b"1.86E+18", b'""', b"\x00", b"NaN",
                         b"Wed Nov 27 05:06:26 +0000 2024", b'"id_str"', b"\n\n\n"])


@st.composite
def mutations(draw):
    """A list of (operation, position fraction, payload) edits."""
    ops = st.tuples(st.sampled_from(["insert", "delete", "replace", "truncate", "dupline",
                                     "dropline"]),
                    st.floats(0, 1), NOISE, st.integers(1, 40))
    return draw(st.lists(ops, min_size=1, max_size=4))


def mutate(data: bytes, edits) -> bytes:
    for op, frac, payload, width in edits:
        pos = int(frac * len(data))
        if op == "insert":
            data = data[:pos] + payload + data[pos:]
        elif op == "delete":
            data = data[:pos] + data[pos + width:]
        elif op == "replace":
            data = data[:pos] + payload + data[pos + len(payload):]
        elif op == "truncate":
            data = data[:pos]
        else:
            lines = data.split(b"\n")
            i = min(int(frac * len(lines)), len(lines) - 1)
            if op == "dupline":
                lines.insert(i, lines[i])
            elif len(lines) > 1:
                del lines[i]
            data = b"\n".join(lines)
    return data


def check(load, path):
    try:
        c = load(path)
    except KopiresearchError:
        return
    r = c.report
    assert r.rows_read == r.loaded + r.duplicates + len(r.malformed)
    assert r.loaded == len(c.posts) or load is _generic
    assert min(r.rows_read, r.loaded, r.duplicates, r.blank_lines, r.repeated_headers) >= 0
    assert all(m.file for m in r.malformed)


def _generic(path):
    return read_interactions_csv(path, columns={"source": "akun", "target": "halaman",
                                                "kind": "jenis", "created_at": "waktu",
                                                "post_id": "id_komentar"}, tz="Asia/Jakarta")


@pytest.mark.parametrize("name,load", [
    ("tweet_harvest_2.6.1.csv", read_tweet_harvest),
    ("twarc2_search.jsonl", read_twarc2),
    ("twarc_csv.csv", read_twarc_csv),
    ("interactions_facebook.csv", _generic),
])
@SETTINGS
@given(edits=mutations())
def test_mutated_files_fail_cleanly_or_add_up(name, load, edits):
    original = example_path(name).read_bytes()
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(mutate(original, edits))
        check(load, p)


@SETTINGS
@given(edits=mutations(), which=st.integers(0, 50))
def test_mutated_instaloader_folders_fail_cleanly_or_add_up(edits, which):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "crawl"
        shutil.copytree(example_path("instaloader"), folder)
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        target = files[which % len(files)]
        data = target.read_bytes()
        if target.name.endswith(".xz"):
            import lzma

            try:
                data = lzma.decompress(data)
                target.write_bytes(lzma.compress(mutate(data, edits)))
            except lzma.LZMAError:
                target.write_bytes(mutate(data, edits))
        else:
            target.write_bytes(mutate(data, edits))
        check(read_instaloader, folder)


@SETTINGS
@given(n_blank=st.integers(0, 3), n_headers=st.integers(0, 3), n_dups=st.integers(0, 3))
def test_blank_lines_headers_and_duplicates_are_counted_exactly(n_blank, n_headers, n_dups):
    raw = example_path("tweet_harvest_2.6.1.csv").read_bytes().decode("utf-8")
    lines = [ln for ln in raw.split("\r\n") if ln]
    header, rows = lines[0], lines[1:]
    body = rows + [header] * n_headers + [""] * n_blank + rows[:n_dups]
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "a.csv"
        p.write_bytes(("\r\n".join([header] + body) + "\r\n").encode("utf-8"))
        c = read_tweet_harvest(p)
    base = read_tweet_harvest(example_path("tweet_harvest_2.6.1.csv")).report
    r = c.report
    assert r.repeated_headers == n_headers
    assert r.blank_lines == n_blank
    assert r.duplicates == base.duplicates + n_dups
    assert r.loaded == base.loaded and r.is_consistent
