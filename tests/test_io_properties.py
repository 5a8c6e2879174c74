"""Property tests of the loaders on mutated crawl files.

Each mutated input must either load into a valid corpus whose report adds up, or be refused
by a :class:`KopiresearchError` that names the file; a bug (any other exception) fails the
test, because ``$KOPIRESEARCH_RAISE_BUGS`` (set in ``conftest.py``) makes the loaders'
safety net re-raise it. The loaders run with ``validate=False`` and the checks are made
here, so that a report that does not add up is an assertion failure, not a clean
``KopiresearchError``. A fixed set of mild mutations must still load in most cases (a test
that always sees refusals would prove nothing), and corrupting one row of a CSV loses that
row only.
"""

import lzma
import random
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kopiresearch.errors import InternalError, KopiresearchError
from kopiresearch.io import (
    example_path,
    read_instaloader,
    read_interactions_csv,
    read_twarc2,
    read_twarc_csv,
    read_tweet_harvest,
)
from kopiresearch.io._common import RAISE_BUGS_ENV, guard, raise_bugs

SETTINGS = settings(max_examples=12, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

NOISE = [b"", b"\n", b"\r\n", b'"', b",", b";", b"\xe9", b"\xef\xbb\xbf", b"{", b"}", b"@",
         b"@warga_001", b"1.86E+18", b'""', b"\x00", b"NaN", b"Wed Nov 27 05:06:26 +0000 2024",
         b'"id_str"', b"\n\n\n"]
OPS = ["insert", "delete", "replace", "truncate", "dupline", "dropline"]


def _generic(path, validate=True):
    return read_interactions_csv(path, columns={"source": "akun", "target": "halaman",
                                                "kind": "jenis", "created_at": "waktu",
                                                "post_id": "id_komentar"}, tz="Asia/Jakarta",
                                 validate=validate)


FILES = [("tweet_harvest_2.6.1.csv", read_tweet_harvest), ("twarc2_search.jsonl", read_twarc2),
         ("twarc_csv.csv", read_twarc_csv), ("interactions_facebook.csv", _generic)]


@st.composite
def mutations(draw):
    """A list of (operation, position fraction, payload, width) edits."""
    ops = st.tuples(st.sampled_from(OPS), st.floats(0, 1), st.sampled_from(NOISE),
                    st.integers(1, 40))
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


def load_checked(load, path):
    """The corpus ``load(path)`` gives, checked; ``None`` if the file was refused cleanly.

    Fails on a bug (any exception but a KopiresearchError: the guard re-raises it here), on a
    refusal that does not name the file, on a report that does not add up and on a corpus
    that does not validate.
    """
    assert raise_bugs(), f"${RAISE_BUGS_ENV} must be set (conftest.py) for these tests"
    try:
        c = load(path, validate=False)
    except InternalError as exc:  # pragma: no cover - only without $KOPIRESEARCH_RAISE_BUGS
        raise AssertionError(f"a bug was reported as an error: {exc}") from exc
    except KopiresearchError as exc:
        assert str(path) in str(exc), f"the message does not name the file: {exc}"
        return None
    r = c.report
    assert r.rows_read == r.loaded + r.duplicates + len(r.malformed), r.summary()
    assert min(r.rows_read, r.loaded, r.duplicates, r.blank_lines, r.repeated_headers) >= 0
    if load is not _generic:  # generic: one post per post_id, several acts per post
        assert r.loaded == len(c.posts), (r.summary(), len(c.posts))
    assert all(m.file and (m.line is None or m.line >= 1) for m in r.malformed)
    c.validate()  # the loader's corpus is valid (raises on any schema or reference error)
    return c


@pytest.mark.parametrize("name,load", FILES)
@SETTINGS
@given(edits=mutations())
def test_mutated_files_load_consistently_or_fail_cleanly(name, load, edits):
    original = example_path(name).read_bytes()
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(mutate(original, edits))
        load_checked(load, p)


@SETTINGS
@given(edits=mutations(), which=st.integers(0, 50))
def test_mutated_instaloader_folders_load_consistently_or_fail_cleanly(edits, which):
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "crawl"
        shutil.copytree(example_path("instaloader"), folder)
        files = sorted(p for p in folder.rglob("*") if p.is_file())
        target = files[which % len(files)]
        data = target.read_bytes()
        if target.name.endswith(".xz"):
            try:
                data = lzma.decompress(data)
                target.write_bytes(lzma.compress(mutate(data, edits)))
            except lzma.LZMAError:
                target.write_bytes(mutate(data, edits))
        else:
            target.write_bytes(mutate(data, edits))
        try:
            c = read_instaloader(folder, validate=False)
        except InternalError as exc:  # pragma: no cover
            raise AssertionError(str(exc)) from exc
        except KopiresearchError as exc:
            assert str(folder) in str(exc), f"the message does not name the input: {exc}"
            return
        assert c.report.is_consistent, c.report.summary()
        c.validate()


@pytest.mark.parametrize("name,load", FILES)
def test_most_mild_mutations_still_load(name, load, tmp_path):
    """40 single edits per format, drawn with a fixed seed: every one is checked, at least
    half load (the others are refused cleanly), and duplicated lines are counted."""
    rng = random.Random(f"mild-{name}")
    original = example_path(name).read_bytes()
    base = load_checked(load, example_path(name)).report
    loaded = dupl = 0
    for i in range(40):
        op = OPS[i % len(OPS)] if i % len(OPS) != 3 else "dupline"  # no truncation
        edit = (op, rng.uniform(0.3, 0.95), rng.choice(NOISE[4:]), rng.randint(1, 3))
        p = tmp_path / f"{i:02d}-{name}"
        p.write_bytes(mutate(original, [edit]))
        c = load_checked(load, p)
        loaded += c is not None
        if c is not None and op == "dupline" and c.report.rows_read > base.rows_read:
            dupl += 1
            assert c.report.duplicates > base.duplicates or c.report.malformed, edit
    assert loaded >= 20, f"only {loaded} of 40 mild mutations of {name} loaded"
    assert dupl >= 1  # some duplicated row was read (so add_duplicate was exercised)


@pytest.mark.parametrize("name,load", [f for f in FILES if f[0].endswith(".csv")])
def test_one_corrupted_row_loses_that_row_only(name, load, tmp_path):
    """Replacing one whole record of a CSV by garbage keeps every other row: rows read are
    unchanged, at most one post is missing and the garbage row is malformed or a post."""
    original = example_path(name).read_bytes()
    base = load_checked(load, example_path(name))
    lines = original.split(b"\n")
    quotes = 0
    checked = 0
    for i, line in enumerate(lines):
        whole = quotes % 2 == 0 and line.count(b'"') % 2 == 0
        quotes += line.count(b'"')
        if i == 0 or not whole or not line.strip(b"\r"):
            continue
        bad = lines[:i] + [b"garbage;@;1e400" + (b"\r" if line.endswith(b"\r") else b"")] \
            + lines[i + 1:]
        p = tmp_path / f"{i:03d}-{name}"
        p.write_bytes(b"\n".join(bad))
        c = load_checked(load, p)
        assert c is not None, f"one bad line {i} refused the whole file"
        assert c.report.rows_read == base.report.rows_read, (i, c.report.summary())
        assert len(set(base.posts.index) - set(c.posts.index)) <= 1, i
        assert any(m.line == i + 1 for m in c.report.malformed), (i, c.report.malformed)
        checked += 1
    assert checked >= 3


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
        c = read_tweet_harvest(p, validate=False)
    base = read_tweet_harvest(example_path("tweet_harvest_2.6.1.csv")).report
    r = c.report
    assert r.repeated_headers == n_headers
    assert r.blank_lines == n_blank
    assert r.duplicates == base.duplicates + n_dups
    assert r.rows_read == base.rows_read + n_dups
    assert r.loaded == base.loaded and r.is_consistent


# --- the guard: a bug is reported as a bug to users, and fails tests -------------------------
@guard
def _buggy_loader(path, validate=True):
    return [][1]  # an IndexError, as a bug in a loader would raise


def test_guard_reports_a_bug_as_a_bug_and_chains_it(monkeypatch, tmp_path):
    p = tmp_path / "crawl.csv"
    with pytest.raises(IndexError):  # in tests: the original, so the test fails
        _buggy_loader(p)
    monkeypatch.delenv(RAISE_BUGS_ENV)
    with pytest.raises(InternalError) as err:  # for users: one clear message
        _buggy_loader(p)
    assert isinstance(err.value, KopiresearchError)
    assert isinstance(err.value.__cause__, IndexError)
    assert "bug" in str(err.value) and "report" in str(err.value)
    assert str(p) in str(err.value) and err.value.file == str(p)
    assert "IndexError" in str(err.value)
