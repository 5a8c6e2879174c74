"""Benchmark the crawl loaders on a generated 1,000,000-row tweet-harvest file and twarc2 file.

Usage::

    .venv/bin/python benchmarks/bench_loaders.py           # 1M rows, 3 repeats
    .venv/bin/python benchmarks/bench_loaders.py --quick   # 20k rows, 1 repeat (smoke run)

The inputs are generated once under ``benchmarks/_data/`` (git-ignored). Each measurement
runs in a fresh subprocess, so the peak resident memory (``VmHWM``, see ``_PEAK``) is that of
the load alone. Peers, run side by side on the same files:

* ``pandas.read_csv(dtype=str)`` of the tweet-harvest file plus tweet-harvest's own Gephi
  helper logic (``convert-source-target.ts``: ``username -> in_reply_to_screen_name``) in
  pandas: the lower bound of reading the file, giving reply edges only;
* ``json.loads`` of every twarc2 line, and ``msgspec.json.decode`` of every line (the parser
  the loader uses, decoding every field): the lower bounds of reading the JSONL.

``--baseline-src DIR`` adds the loaders of another checkout of kopiresearch (``DIR`` is put
first on ``sys.path``; e.g. the main branch before a change), run in the same interleaved
rounds, so that before and after are measured under the same machine load.

Runs are interleaved: each round runs every loader and peer once, so that a change of the
machine's load falls on all of them alike. Writes the Markdown table to
``benchmarks/results/loaders.md``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATA = HERE / "_data"
RESULTS = HERE / "results" / "loaders.md"

_ALPHA = ["conversation_id_str", "created_at", "favorite_count", "full_text", "id_str",
          "image_url", "in_reply_to_screen_name", "lang", "location", "quote_count",
          "reply_count", "retweet_count", "tweet_url", "user_id_str", "username"]
_WORDS = np.array(["Kopilaborasi", "Kediri", "jalan", "rusak", "mantap", "info", "siap",
                   "terima", "kasih", "acara", "Pare", "kuliner", "enak", "banjir", "lapor"])


def make_tweets(n: int, seed: int = 1):
    """A synthetic crawl: n tweets by 50,000 accounts (replies, retweets, mentions)."""
    rng = np.random.default_rng(seed)
    n_acc = 50_000
    handles = np.array([f"warga_{i:05d}" for i in range(n_acc)], dtype=object)
    uids = (1_500_000_000_000_000_000 + np.arange(n_acc)).astype(str).astype(object)
    author = rng.integers(0, n_acc, n)
    tid = (1_861_000_000_000_000_000 + np.arange(n)).astype(str).astype(object)
    t0 = np.datetime64("2024-11-01T00:00:00")
    when = t0 + rng.integers(0, 30 * 86400, n).astype("timedelta64[s]")
    kind = rng.choice(3, n, p=[0.6, 0.3, 0.1])  # original, reply, retweet
    target = rng.integers(0, n_acc, n)
    m1 = rng.integers(0, n_acc, n)
    words = _WORDS[rng.integers(0, len(_WORDS), (n, 6))]
    body = pd.Series([" ".join(w) for w in words], dtype=object)
    has_m = rng.random(n) < 0.5
    text = np.where(has_m, body + " @" + pd.Series(handles[m1]), body).astype(object)
    reply = np.where(kind == 1, handles[target], "").astype(object)
    text = np.where(kind == 1, "@" + pd.Series(reply) + " " + pd.Series(text), text)
    text = np.where(kind == 2, "RT @" + pd.Series(handles[target]) + ": " + pd.Series(text),
                    text)
    return {"id": tid, "when": when, "author": author, "kind": kind, "target": target,
            "m1": m1, "has_m": has_m, "text": text.astype(object), "reply": reply,
            "handles": handles, "uids": uids}


def write_tweet_harvest(t, path: Path):
    n = len(t["id"])
    tw = pd.Series(t["when"]).dt.strftime("%a %b %d %H:%M:%S +0000 %Y")
    user = t["handles"][t["author"]]
    frame = pd.DataFrame({
        "conversation_id_str": t["id"], "created_at": tw, "favorite_count": "3",
        "full_text": t["text"], "id_str": t["id"], "image_url": "",
        "in_reply_to_screen_name": t["reply"], "lang": "in", "location": "Kediri",
        "quote_count": "0", "reply_count": "0", "retweet_count": "1",
        "tweet_url": "https://x.com/" + pd.Series(user) + "/status/" + pd.Series(t["id"]),
        "user_id_str": t["uids"][t["author"]], "username": user})
    assert len(frame) == n
    frame[_ALPHA].to_csv(path, index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n")


def write_twarc2(t, path: Path, page: int = 100):
    n = len(t["id"])
    iso = pd.Series(t["when"]).dt.strftime("%Y-%m-%dT%H:%M:%S.000Z").to_numpy()
    with open(path, "w", encoding="utf-8") as fh:
        for s in range(0, n, page):
            data, users = [], {}
            for i in range(s, min(n, s + page)):
                a = int(t["author"][i])
                users[a] = None
                tw = {"id": t["id"][i], "author_id": t["uids"][a], "created_at": iso[i],
                      "text": t["text"][i], "conversation_id": t["id"][i],
                      "public_metrics": {"retweet_count": 1, "reply_count": 0, "like_count": 3,
                                         "quote_count": 0}}
                ments = []
                k = int(t["kind"][i])
                tg = int(t["target"][i])
                if k == 1:
                    tw["in_reply_to_user_id"] = t["uids"][tg]
                    tw["referenced_tweets"] = [{"type": "replied_to", "id": "1"}]
                    ments.append(tg)
                if k == 2:
                    tw["referenced_tweets"] = [{"type": "retweeted", "id": "2"}]
                    ments.append(tg)
                if t["has_m"][i]:
                    ments.append(int(t["m1"][i]))
                if ments:
                    tw["entities"] = {"mentions": [{"start": 0, "end": 5, "username":
                                                    t["handles"][m], "id": t["uids"][m]}
                                                   for m in ments]}
                    users.update(dict.fromkeys(ments))
                data.append(tw)
            inc = {"users": [{"id": t["uids"][u], "username": t["handles"][u],
                              "public_metrics": {"followers_count": 10}} for u in users],
                   "tweets": data}
            fh.write(json.dumps({"data": data, "includes": inc,
                                 "meta": {"result_count": len(data)}}) + "\n")


_RUNNERS = {  # name: (imports, not timed; the timed load)
    "kopiresearch read_tweet_harvest": (
        "from kopiresearch.io import read_tweet_harvest as f",
        "c = f(P); out = (c.report.rows_read, len(c.interactions))"),
    "kopiresearch read_tweet_harvest(validate=False)": (
        "from kopiresearch.io import read_tweet_harvest as f",
        "c = f(P, validate=False); out = (c.report.rows_read, len(c.interactions))"),
    "peer: pyarrow.csv.read_csv (all columns strings)": (
        "import pyarrow as pa, pyarrow.csv as pcsv",
        "tab = pcsv.read_csv(P, convert_options=pcsv.ConvertOptions(column_types={c: pa.string() "
        "for c in open(P, encoding='utf-8').readline().strip().replace('\"', '').split(',')}));"
        " out = (tab.num_rows, 0)"),
    "peer: pandas.read_csv (default C engine, default options)": (
        "import pandas as pd",
        "d = pd.read_csv(P); out = (len(d), 0)"),
    "peer: pandas.read_csv(engine='pyarrow')": (
        "import pandas as pd",
        "d = pd.read_csv(P, engine='pyarrow'); out = (len(d), 0)"),
    "peer: pandas read_csv(dtype=str) + reply edges": (
        "import pandas as pd",
        "d = pd.read_csv(P, dtype=str, keep_default_na=False); "
        "e = d.loc[d.in_reply_to_screen_name != '', ['username', 'in_reply_to_screen_name']]; "
        "out = (len(d), len(e))"),
    "kopiresearch read_twarc2": (
        "from kopiresearch.io import read_twarc2 as f",
        "c = f(P); out = (c.report.rows_read, len(c.interactions))"),
    "peer: json.loads per line": (
        "import json",
        "pages = [json.loads(l) for l in open(P, 'rb')]; "
        "out = (sum(len(p['data']) for p in pages), 0)"),
    "peer: msgspec.json.decode per line": (
        "import msgspec",
        "d = msgspec.json.decode; pages = [d(l) for l in open(P, 'rb')]; "
        "out = (sum(len(p['data']) for p in pages), 0)"),
}
_BASELINE = " (baseline checkout)"


NOTES = """How the tweet-harvest loader reaches this speed (each step checked to give output
identical to the reference pandas/regex paths, see `tests/test_io_tweet_harvest.py`):
`pyarrow.csv` parses the file on both cores and checks UTF-8 as it converts; row line
numbers come from one count of the newlines when no value spans lines; `created_at` is
checked against its byte pattern and parsed from the fixed-width bytes in NumPy; tweet ids
are de-duplicated as int64; mentions and `RT @` are found in one scan of the texts' UTF-8
buffer; each distinct handle is resolved once; the act rules (no self-loops, one act per
post, target and kind) and the time order run on integer codes, so every string column is
built once, in its final order; the posts' own columns (text, url, counts) are cleaned and
put in time order in a second thread while the main thread resolves accounts and acts;
reply parents are one sort of candidates and replies by (conversation and account, rank)
and a running maximum, not `merge_asof`; the id columns are stripped once;
`Corpus.validate` hashes each table's ids once (`pyarrow.compute.dictionary_encode` of the
index followed by every reference to it: uniqueness and every look-up in one pass), the
posts' in a thread beside the accounts'.
The twarc2 loader decodes each page line with `msgspec` into typed structs of only the
fields it reads (strict types: a line of another shape, or one `msgspec` refuses, goes
through `json.loads` and the dict path, which gives the same result; see
`tests/test_io_twarc_fast.py`); users are taken inline and tweets collected column by
column, not as a dict each; the edges are built column by column, rule 6 and the
reply-prefix mentions work on integer keys and the mention spans of the texts' bytes.
"""


# The peak resident set of the measured process itself. Linux's ``ru_maxrss`` of a process
# started by ``subprocess`` is at least the high-water mark of the parent's memory when it
# was started (the kernel keeps the old image's mark at ``exec``), so a large parent would
# inflate every child's figure; ``VmHWM`` in ``/proc/self/status`` belongs to the new image
# alone. ``ru_maxrss`` is the fallback where there is no ``/proc``.
_PEAK = """
def peak_kib():
    try:
        with open('/proc/self/status') as fh:
            for line in fh:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
"""


def run_once(name: str, path: Path, baseline_src=None) -> dict:
    setup, body = _RUNNERS[name.removesuffix(_BASELINE)]
    if name.endswith(_BASELINE):
        setup = (f"sys.path.insert(0, {str(baseline_src)!r})\n" + setup
                 + f"\nimport kopiresearch; assert kopiresearch.__file__.startswith("
                 f"{str(baseline_src)!r})")
    code = ("import json, resource, sys, time\nP = sys.argv[1]\n" + setup + "\n"
            "t = time.perf_counter(); c0 = time.process_time()\n" + body + "\n"
            "el = time.perf_counter() - t; cpu = time.process_time() - c0\n"
            + _PEAK +
            "print(json.dumps({'seconds': el, 'cpu': cpu, 'peak_kib': peak_kib(), "
            "'ru_maxrss_kib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
            "'out': out}))\n")
    res = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


_DUMP = """
import pickle, sys
if sys.argv[3]:
    sys.path.insert(0, sys.argv[3])
import kopiresearch
from kopiresearch.io import read_tweet_harvest
if sys.argv[3]:
    assert kopiresearch.__file__.startswith(sys.argv[3]), kopiresearch.__file__
try:
    c = read_tweet_harvest(sys.argv[1])
    out = {"accounts": c.accounts, "posts": c.posts, "interactions": c.interactions,
           "report": c.report.to_dict(), "meta": c.meta}
except Exception as exc:  # the error must be the same too
    out = {"error": f"{type(exc).__name__}: {exc}"}
with open(sys.argv[2], "wb") as fh:
    pickle.dump(out, fh)
"""


def equivalence(paths, baseline_src: Path) -> list[str]:
    """Load each file with this checkout and with ``baseline_src`` (each in a fresh
    process) and compare the corpora: every table exactly (values, dtypes, index, column
    order), the load report and meta; or the error, when the load fails. Returns one
    Markdown line per file."""
    import pickle
    import tempfile

    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            got = []
            for label, src in (("new", ""), ("baseline", str(baseline_src))):
                dump = Path(tmp) / f"{label}.pkl"
                subprocess.run([sys.executable, "-c", _DUMP, str(path), str(dump), src],
                               check=True)
                with open(dump, "rb") as fh:
                    got.append(pickle.load(fh))
            new, old = got
            problems = []
            if "error" in new or "error" in old:
                if new.get("error") != old.get("error"):
                    problems.append(f"errors differ: {new.get('error')!r} vs {old.get('error')!r}")
            else:
                for key in ("accounts", "posts", "interactions"):
                    try:
                        pd.testing.assert_frame_equal(new[key], old[key], check_exact=True,
                                                      check_index_type=True)
                    except AssertionError as exc:
                        problems.append(f"{key}: {str(exc).splitlines()[0]}")
                for key in ("report", "meta"):
                    if new[key] != old[key]:
                        problems.append(f"{key} differs")
            what = (new.get("error") or f"{len(new['posts']):,} posts, "
                    f"{len(new['interactions']):,} interactions, "
                    f"{len(new['report']['malformed']):,} malformed rows")
            verdict = "identical" if not problems else "**differs**: " + "; ".join(problems)
            lines.append(f"* `{Path(path).name}` ({what}): {verdict}")
            print(lines[-1], flush=True)
    return lines


def with_bad_rows(src: Path, dst: Path) -> Path:
    """``src`` (a generated 2.5.3+ file) with rows a crawl can hold spliced in: an id an
    Excel re-save rounded, a bad ``created_at``, a wrong field count, a blank line, a
    repeated header, a duplicate and a colliding copy, a bad count and a row without an
    author, so that the malformed-row accounting is compared too."""
    lines = src.read_bytes().split(b"\r\n")
    header, body = lines[0], [ln for ln in lines[1:] if ln]
    row = body[5].decode()[1:-1].split('","')

    def edit(**values):  # the row with some columns changed, quoted as tweet-harvest does
        r = list(row)
        for name, value in values.items():
            r[_ALPHA.index(name)] = value
        return ('"' + '","'.join(r) + '"').encode()

    extra = [edit(id_str="1.86155E+18"), edit(created_at="27/11/2024 05:06"), b'"1","2"',
             b"", header, body[7], edit(created_at="Wed Nov 27 05:06:26 +0000 2024"),
             edit(id_str="1", favorite_count="-3"),
             edit(id_str="2", user_id_str="", username="", tweet_url="")]
    dst.write_bytes(b"\r\n".join([header] + body[:10] + extra + body[10:]) + b"\r\n")
    return dst


def newest_first(src: Path, dst: Path) -> Path:
    """``src`` with its rows in reverse order, newest first as tweet-harvest writes them
    (ties in time then come with decreasing ids)."""
    lines = src.read_bytes().split(b"\r\n")
    body = [ln for ln in lines[1:] if ln]
    dst.write_bytes(b"\r\n".join([lines[0]] + body[::-1]) + b"\r\n")
    return dst


def machine() -> str:
    import pyarrow

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores, {mem:.1f} GiB RAM, Python {platform.python_version()}, "
            f"pandas {pd.__version__}, pyarrow {pyarrow.__version__}, numpy {np.__version__}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="20k rows, 1 repeat")
    ap.add_argument("--rows", type=int, default=None)
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--twarc2-repeats", type=int, default=1,
                    help="repeats of the (slow) twarc2 rows (default 1)")
    ap.add_argument("--only", choices=["all", "tweet-harvest", "twarc2"], default="all",
                    help="run only the loaders (and peers) of one tool")
    ap.add_argument("--baseline-src", type=Path, default=None,
                    help="another kopiresearch checkout whose loaders run beside these")
    ap.add_argument("--out", type=Path, default=RESULTS,
                    help=f"where the Markdown table goes (default {RESULTS.relative_to(HERE)})")
    ap.add_argument("--equivalence", action="store_true",
                    help="only compare the corpora read_tweet_harvest gives here and in "
                         "--baseline-src, on the bundled examples and the generated files")
    args = ap.parse_args(argv)
    if args.equivalence:
        if args.baseline_src is None:
            ap.error("--equivalence needs --baseline-src")
        examples = sorted((HERE.parent / "data" / "examples").glob("tweet_harvest_*.csv"))
        generated = sorted(DATA.glob("tweet_harvest_*.csv"))
        generated = [g for g in generated if not g.name.startswith(("bad_rows_", "newest_"))]
        variants = [f(g, DATA / f"{prefix}{g.name}") for g in generated[:1]
                    for prefix, f in (("bad_rows_", with_bad_rows),
                                      ("newest_first_", newest_first))]
        lines = equivalence(examples + generated + variants, args.baseline_src)
        out = HERE / "results" / "loaders_equivalence.md"
        rev = subprocess.run(["git", "-C", str(args.baseline_src), "rev-parse", "--short",
                              "HEAD"], capture_output=True, text=True).stdout.strip()
        out.write_text("# read_tweet_harvest: this checkout against the baseline checkout "
                       f"({'commit ' + rev if rev else args.baseline_src.name})\n\n"
                       + "\n".join(lines) + "\n", encoding="utf-8")
        print(f"wrote {out}")
        return
    n = args.rows or (20_000 if args.quick else 1_000_000)
    repeats = args.repeats or (1 if args.quick else 3)
    DATA.mkdir(parents=True, exist_ok=True)
    th, tw = DATA / f"tweet_harvest_{n}.csv", DATA / f"twarc2_{n}.jsonl"
    need = [p for p, tool in ((th, "tweet-harvest"), (tw, "twarc2"))
            if args.only in ("all", tool) and not p.exists()]
    if need:  # only the inputs of the selected loaders (the twarc2 file is 1 GiB)
        print(f"generating {n:,} tweets ...", flush=True)
        t = make_tweets(n)
        if th in need:
            write_tweet_harvest(t, th)
        if tw in need:
            write_twarc2(t, tw)
    rows = []
    loads = []
    jobs = [("kopiresearch read_tweet_harvest", th),
            ("kopiresearch read_tweet_harvest(validate=False)", th),
            ("peer: pyarrow.csv.read_csv (all columns strings)", th),
            ("peer: pandas.read_csv (default C engine, default options)", th),
            ("peer: pandas read_csv(dtype=str) + reply edges", th),
            ("peer: pandas.read_csv(engine='pyarrow')", th),
            ("kopiresearch read_twarc2", tw), ("peer: json.loads per line", tw),
            ("peer: msgspec.json.decode per line", tw)]
    if args.baseline_src is not None:
        jobs.insert(2, ("kopiresearch read_tweet_harvest" + _BASELINE, th))
        jobs.insert(-2, ("kopiresearch read_twarc2" + _BASELINE, tw))
    if args.only != "all":
        jobs = [(name, p) for name, p in jobs if (p == th) == (args.only == "tweet-harvest")]
    results = {name: [] for name, _p in jobs}
    for r in range(repeats):  # interleaved rounds: every job once per round
        for name, path in jobs:
            if path == tw and r >= args.twarc2_repeats:
                continue
            loads.append(os.getloadavg()[0])
            results[name].append(run_once(name, path, args.baseline_src))
            last = results[name][-1]
            print(f"  round {r + 1}: {name:60s} {last['seconds']:7.2f} s "
                  f"cpu {last['cpu']:6.2f} s  peak {last['peak_kib'] / 2**20:5.2f} GiB "
                  f"(ru_maxrss {last['ru_maxrss_kib'] / 2**20:5.2f})", flush=True)
    for name, path in jobs:
        runs = results[name]
        sec = statistics.median(r["seconds"] for r in runs)
        cpu = statistics.median(r["cpu"] for r in runs)
        rss = max(r["peak_kib"] for r in runs) / 2**20
        rows.append((name, path.name, runs[0]["out"][0], sec, runs[0]["out"][0] / sec, cpu,
                     rss, runs[0]["out"][1], len(runs)))
        print(f"{name:56s} {sec:7.2f} s  {runs[0]['out'][0] / sec:10,.0f} rows/s  "
              f"cpu {cpu:6.2f} s  peak {rss:5.2f} GiB", flush=True)
    lines = [
        "# Loader benchmark", "",
        f"Machine: {machine()}.", "",
        f"Input: generated crawl of {n:,} tweets by 50,000 accounts (60% originals, 30% "
        "replies, 10% retweets, half with a mention), as a tweet-harvest 2.5.3+ CSV "
        f"({th.stat().st_size / 2**20:.0f} MiB) and twarc2 JSONL pages of 100 tweets "
        f"({tw.stat().st_size / 2**20 if tw.exists() else 0:.0f} MiB). Median of the runs "
        "counted in the table, each in a fresh process; peak = the highest peak resident "
        "set (`VmHWM`) of those runs (includes the Python interpreter and imports; the "
        "time excludes imports).", "",
        f"Machine load (1-minute load average of the 2 cores, sampled before each run): "
        f"median {statistics.median(loads):.1f}, range {min(loads):.1f}-{max(loads):.1f}. "
        "CPU seconds = user + system time of the process during the load (pyarrow uses "
        "both cores, so it can exceed the wall time).", "",
    ]
    if args.baseline_src is not None:
        rev = subprocess.run(["git", "-C", str(args.baseline_src), "rev-parse", "--short",
                              "HEAD"], capture_output=True, text=True).stdout.strip()
        lines += [f"Baseline checkout (rows marked so): kopiresearch at commit {rev or '?'}, "
                  "run in the same interleaved rounds.", ""]
    lines += [
        "| loader | file | rows | runs | seconds (median) | rows/s | CPU seconds (median) | "
        "peak memory (GiB) | edges |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, f, r, sec, rps, cpu, rss, e, k in rows:
        lines.append(f"| {name} | {f} | {r:,} | {k} | {sec:.2f} | {rps:,.0f} | {cpu:.2f} | "
                     f"{rss:.2f} | {e:,} |")
    lines += ["", "Goals (issue 19, item 3): `read_tweet_harvest` at least as fast as "
              "`pandas.read_csv` of the same file, `read_twarc2` at least 2x faster than "
              "before (the issue's 48.5 s for 1M tweets; the baseline checkout's time in the "
              "same run where measured), peak memory of both under 1.5 GiB for 1M rows. The "
              "peers do less work (no validation, no mentions, no dedupe).", ""]
    by_name = {row[0]: row for row in rows}
    # like for like: pandas.read_csv of the same file with its default (C) engine, plain
    # and as strings with the reply edges; the pyarrow engine is reported beside them
    pandas_rows = [by_name[p] for p in (
        "peer: pandas.read_csv (default C engine, default options)",
        "peer: pandas read_csv(dtype=str) + reply edges") if p in by_name]
    pyarrow_row = by_name.get("peer: pandas.read_csv(engine='pyarrow')")
    for name, _f, r, sec, _rps, _cpu, rss, _e, _k in rows:
        if not name.startswith("kopiresearch") or "validate=False" in name or (
                name.endswith(_BASELINE)):
            continue
        checks = [f"peak {rss:.2f} GiB {'<' if rss < 1.5 else '>='} 1.5 GiB"]
        met = rss < 1.5
        if "tweet_harvest" in name and pandas_rows:
            for prow in reversed(pandas_rows):
                ok = sec <= prow[3]
                checks.insert(0, f"{sec:.2f} s {'<=' if ok else '>'} `{prow[0][6:]}` "
                                 f"{prow[3]:.2f} s ({sec / prow[3]:.2f}x its time)")
                met &= ok
            if pyarrow_row is not None:
                checks.insert(len(pandas_rows), f"(not a goal: {sec / pyarrow_row[3]:.2f}x "
                              f"the time of `{pyarrow_row[0][6:]}`, {pyarrow_row[3]:.2f} s)")
        if "twarc2" in name:
            base = by_name.get(name + _BASELINE)
            ref = base[3] if base is not None else 48.5
            ok = 2 * sec <= ref
            checks.insert(0, f"{sec:.2f} s, {ref / sec:.2f}x faster than "
                             + ("the baseline checkout's " if base is not None
                                else "the issue's ") + f"{ref:.2f} s")
            met &= ok
        lines.append(f"* `{name}` on {r:,} rows: {', '.join(checks)}: goal "
                     f"{'met' if met else '**not met**'}.")
    lines += ["", NOTES]
    if not args.quick:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines), encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print("\n".join(lines))


if __name__ == "__main__":
    main()
