"""Benchmark: `make report` on the bundled data, per notebook, cold and warm numba cache.

    python benchmarks/bench_report.py            # cold, after `make install`, warm
    python benchmarks/bench_report.py --runs 1   # only the cold run

Runs `kopiresearch study --out DIR` (what `make report` runs after installing) in a
subprocess, three times: with an empty numba cache directory (`NUMBA_CACHE_DIR`: every kernel
compiles inside the notebooks), then with an empty one filled by `tools/warm_numba.py` first
(what `make install` does, timed on its own: the first `make report` after an install), then
with the cache the runs before wrote (every later `make report`). Records the wall time of
each notebook (printed by `kopiresearch study`; notebooks run two at a time, so they add up to
more than the wall time), the total, the CPU time of the subprocess tree, the numba cache
files the report itself wrote (kernels it compiled) and the machine's load before and after
each run: the machine is shared, and a 2-core machine with a load of 6 runs a job at a third
of its idle speed. From the executed notebooks it also lists where the time went: the slowest
cells (as papermill records them) and the time outside any cell (kernel start and stop).
Writes benchmarks/results/report.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LINE = re.compile(r"^\s*(\S+)\s+([0-9.]+) s\s+(\S+)$")


def cache_files(cache_dir: str) -> set:
    return {str(p) for p in Path(cache_dir).rglob("*.nbc")}


def warm_cache(cache_dir: str) -> dict:
    """`tools/warm_numba.py` into ``cache_dir`` (the step `make install` runs)."""
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir, KOPIRESEARCH_PROGRESS="0")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "tools" / "warm_numba.py")], check=True,
                   capture_output=True, env=env, cwd=ROOT)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": time.perf_counter() - t0,
            "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)}


def one_run(cache_dir: str, out: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir, KOPIRESEARCH_PROGRESS="0")
    cached = cache_files(cache_dir)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    load0 = os.getloadavg()
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kopiresearch.cli", "study", "--out", out,
                           "--overwrite"], capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    rows = []
    for line in proc.stdout.splitlines():
        m = LINE.match(line)
        if m:
            rows.append((m.group(3), m.group(1), float(m.group(2))))
    return {"wall": wall, "rc": proc.returncode, "rows": rows, "load_before": load0,
            "load_after": os.getloadavg(), "cells": cell_times(Path(out)),
            "compiled": len(cache_files(cache_dir) - cached),
            "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "stderr": proc.stderr[-2000:]}


def cell_times(out: Path) -> dict:
    """Per executed notebook of the report in ``out``: its papermill duration, the sum of its
    cells' durations and its cells as ``(seconds, index, first line)``."""
    found = {}
    for path in sorted((out / "notebooks").rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = []
        for i, cell in enumerate(nb["cells"]):
            seconds = cell.get("metadata", {}).get("papermill", {}).get("duration")
            if cell["cell_type"] == "code" and seconds is not None:
                source = "".join(cell["source"]).strip().splitlines() or [""]
                cells.append((float(seconds), i, source[0][:60]))
        found[str(path.relative_to(out / "notebooks"))] = {
            "duration": float(nb["metadata"].get("papermill", {}).get("duration") or 0),
            "cells": cells}
    return found


def where_time_goes(r: dict, top: int = 12) -> list:
    """Markdown lines: the slowest cells of a run and the time outside cells."""
    cells = [(s, name, i, src) for name, nb in r["cells"].items() for s, i, src in nb["cells"]]
    lines = [f"Slowest cells, {r['label']}:", "", "| s | notebook | cell | first line |",
             "|---:|---|---:|---|"]
    for s, name, i, src in sorted(cells, reverse=True)[:top]:
        lines.append(f"| {s:.1f} | {name} | {i} | `{src.replace('|', '/')}` |")
    outside = sum(nb["duration"] - sum(c[0] for c in nb["cells"]) for nb in r["cells"].values())
    first = sum(nb["cells"][0][0] for nb in r["cells"].values() if nb["cells"])
    lines += ["", f"Outside any cell (kernel start, papermill): {outside:.1f} s over "
              f"{len(r['cells'])} notebooks; first cells (the imports): {first:.1f} s.", ""]
    return lines


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3,
                    help="1: cold only; 2: and after make install; 3: and warm")
    ap.add_argument("--quick", action="store_true", help="same as --runs 1")
    ap.add_argument("--out", default=str(HERE / "results" / "report.md"))
    args = ap.parse_args(argv)
    runs = 1 if args.quick else args.runs
    results = []
    labels = ["cold numba cache (no compiled kernels)",
              "first run after `make install` (kernels compiled by it)",
              "warm numba cache (every later run)"]
    with tempfile.TemporaryDirectory() as cold, tempfile.TemporaryDirectory() as installed, \
            tempfile.TemporaryDirectory() as out:
        for i in range(runs):
            step = None
            if i == 1:
                step = warm_cache(installed)
                print(f"tools/warm_numba.py: {step['wall']:.1f} s wall, {step['cpu']:.1f} s CPU",
                      flush=True)
            r = one_run(cold if i != 1 else installed, out)
            r["label"], r["install_step"] = labels[i], step
            results.append(r)
            print(f"{r['label']}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, rc {r['rc']}, "
                  f"load {r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f}", flush=True)
    # rows come in the order the notebooks finished; the table lists them by name
    names = sorted({name for r in results for name, _, _ in r["rows"]})
    lines = ["# `make report` on the bundled data", "",
             f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
             f"{platform.python_version()}. Command: `.venv/bin/python benchmarks/"
             "bench_report.py` (runs `kopiresearch study`, the body of `make report`, in "
             "a subprocess; the first run with an empty `NUMBA_CACHE_DIR`, the second with "
             "an empty one that `tools/warm_numba.py` filled first, as `make install` does, "
             "the third with the cache the runs before wrote). Seconds are wall "
             "time per notebook as `kopiresearch study` prints it (two notebooks run at a "
             "time, so their sum exceeds the total); CPU is user + system time of "
             "the whole subprocess tree (kernels included; each kernel runs numba on "
             "cores // workers threads, `kopiresearch.report.kernel_threads`: 1 here). "
             "Load = 1-minute load average before -> after the run (2 cores; "
             "other jobs shared the machine).", "",
             "| notebook | " + " | ".join(r["label"] for r in results) + " |",
             "|---|" + "---:|" * len(results)]
    for name in names:
        cells = []
        for r in results:
            row = next((row for row in r["rows"] if row[0] == name), None)
            cells.append("-" if row is None else f"{row[2]:.1f} s" +
                         ("" if row[1] == "ok" else f" ({row[1]})"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| **total wall** | " + " | ".join(f"**{r['wall']:.1f} s**" for r in results)
                 + " |")
    lines.append("| CPU (all processes) | " + " | ".join(f"{r['cpu']:.1f} s" for r in results)
                 + " |")
    lines.append("| load before -> after | " + " | ".join(
        f"{r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f}" for r in results) + " |")
    lines.append("| kernels compiled by the report (cache files) | " + " | ".join(
        str(r["compiled"]) for r in results) + " |")
    lines.append("| `tools/warm_numba.py` before it (in `make install`) | " + " | ".join(
        "-" if r["install_step"] is None else
        f"{r['install_step']['wall']:.1f} s wall, {r['install_step']['cpu']:.1f} s CPU"
        for r in results) + " |")
    lines.append("")
    for r in results:
        lines += where_time_goes(r)
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return max(r["rc"] for r in results)


if __name__ == "__main__":
    sys.exit(main())
