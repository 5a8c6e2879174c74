"""Run every benchmark (benchmarks/bench_*.py) and collect their tables in RESULTS.md.

    python benchmarks/run.py            # full runs
    python benchmarks/run.py --quick    # smoke runs with small sizes

Each bench_<topic>.py runs our code and its peers side by side and writes
benchmarks/results/<topic>.md; this script concatenates them under a machine header.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> str:
    try:
        mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError):
        mem = float("nan")
    return (f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.machine()}, "
            f"Python {platform.python_version()}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--collect", action="store_true",
                        help="only rebuild RESULTS.md from benchmarks/results/*.md")
    parser.add_argument("only", nargs="*", help="topics to run (default: all)")
    args = parser.parse_args(argv)
    scripts = [] if args.collect else sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in args.only]
    failed = []
    for script in scripts:
        print(f"== {script.name}", flush=True)
        cmd = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        if subprocess.call(cmd) != 0:
            failed.append(script.name)
    parts = [f"# Benchmark results\n\nMachine: {machine()}.\n\n"
             "Produced by `make bench` (`python benchmarks/run.py`); each section comes from "
             "`benchmarks/results/<topic>.md`, written by `benchmarks/bench_<topic>.py`.\n"]
    for result in sorted((HERE / "results").glob("*.md")):
        parts.append(result.read_text(encoding="utf-8"))
    (HERE / "RESULTS.md").write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
