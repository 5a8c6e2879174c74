"""Benchmark: `make report` on the bundled data, per notebook, cold and warm numba cache.

    python benchmarks/bench_report.py            # cold cache run, then a warm one
    python benchmarks/bench_report.py --runs 1   # only the cold run

Runs `kopiresearch study --out DIR` (what `make report` runs after installing) in a
subprocess, first with an empty numba cache directory (`NUMBA_CACHE_DIR`, as on a fresh
install: every kernel compiles) and then again with the cache the first run wrote (as every
later `make report`). Records the wall time of each notebook (printed by `kopiresearch
study`; notebooks run two at a time, so they add up to more than the wall time), the total,
the CPU time of the subprocess tree and the machine's load before and after each run: the
machine is shared, and a 2-core machine with a load of 6 runs a job at a third of its idle
speed. From the executed notebooks it also lists where the time went: the slowest cells (as
papermill records them) and, per notebook, the time outside any cell (the kernel's start).
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


def one_run(cache_dir: str, out: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache_dir, KOPIRESEARCH_PROGRESS="0")
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
    ap.add_argument("--runs", type=int, default=2, help="1: cold only; 2: cold then warm")
    ap.add_argument("--quick", action="store_true", help="same as --runs 1")
    ap.add_argument("--out", default=str(HERE / "results" / "report.md"))
    args = ap.parse_args(argv)
    runs = 1 if args.quick else args.runs
    results = []
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
        for i in range(runs):
            r = one_run(cache, out)
            r["label"] = "cold numba cache (fresh install)" if i == 0 else \
                "warm numba cache (every later run)"
            results.append(r)
            print(f"{r['label']}: {r['wall']:.1f} s wall, {r['cpu']:.1f} s CPU, rc {r['rc']}, "
                  f"load {r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f}", flush=True)
    names = [name for name, _, _ in results[0]["rows"]]
    lines = ["# `make report` on the bundled data", "",
             f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
             f"{platform.python_version()}. Command: `.venv/bin/python benchmarks/"
             "bench_report.py` (runs `kopiresearch study`, the body of `make report`, in "
             "a subprocess; the first run with an empty `NUMBA_CACHE_DIR`, as after a fresh "
             "install, the second with the cache the first one wrote). Seconds are wall "
             "time per notebook as `kopiresearch study` prints it (two notebooks run at a "
             "time, so their sum exceeds the total); CPU is user + system time of "
             "the whole subprocess tree (kernels included; numba uses 2 threads, so CPU can "
             "exceed wall). Load = 1-minute load average before -> after the run (2 cores; "
             "other jobs shared the machine).", "",
             "| notebook | " + " | ".join(r["label"] for r in results) + " |",
             "|---|" + "---:|" * len(results)]
    for j, name in enumerate(names):
        cells = []
        for r in results:
            row = r["rows"][j] if j < len(r["rows"]) else None
            cells.append("-" if row is None else f"{row[2]:.1f} s" +
                         ("" if row[1] == "ok" else f" ({row[1]})"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| **total wall** | " + " | ".join(f"**{r['wall']:.1f} s**" for r in results)
                 + " |")
    lines.append("| CPU (all processes) | " + " | ".join(f"{r['cpu']:.1f} s" for r in results)
                 + " |")
    lines.append("| load before -> after | " + " | ".join(
        f"{r['load_before'][0]:.1f} -> {r['load_after'][0]:.1f}" for r in results) + " |")
    lines.append("")
    for r in results:
        lines += where_time_goes(r)
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return max(r["rc"] for r in results)


if __name__ == "__main__":
    sys.exit(main())
