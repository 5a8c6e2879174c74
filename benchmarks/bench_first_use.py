"""Benchmark: the first IC result from a fresh Python process, and repeated simulate() calls.

    python benchmarks/bench_first_use.py            # 5 warm starts, 100k-node graph
    python benchmarks/bench_first_use.py --quick    # 1 warm start, 10k-node graph

First use (issue 19, item 4): with an empty numba cache directory (`NUMBA_CACHE_DIR`, as on a
new machine) a fresh process imports kopiresearch and runs `simulate()` once: every kernel it
needs compiles. Then the doctests of `kopiresearch/diffusion.py` run once with that cache
(a part of `make test`), and fresh processes run the same first call again: the kernels load
from the cache. Times are measured by the parent around the whole subprocess (interpreter
start included) and, inside it, as wall and CPU time of the import and of the first call.
cynetdiff, when installed, is timed the same way (a fresh process to its first IC result).

Repeated calls (item 4): `simulate()` on one graph twice, and on a copy of it (a graph with
no cached conversion), interleaved; the difference is the graph-to-CSR conversion that the
per-graph cache saves. Writes benchmarks/results/first_use.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

CHILD = r"""
import json, resource, sys, time
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t0, c0 = time.perf_counter(), cpu()
import networkx as nx
tn = time.perf_counter()
import kopiresearch
from kopiresearch.diffusion import simulate
t1, c1 = time.perf_counter(), cpu()
G = nx.DiGraph([(1, 2), (2, 3), (3, 4)])
r = simulate(G, [1], p=0.5, runs=1000, seed=1, progress=False)
t2, c2, at = time.perf_counter(), cpu(), time.time()
print(json.dumps({"import": t1 - t0, "import_cpu": c1 - c0, "import_nx": tn - t0,
                  "first": t2 - t1, "first_cpu": c2 - c1, "at": at,
                  "heavy": [m for m in ("pandas", "pyarrow", "matplotlib") if m in sys.modules]}))
"""

#: The same first call with numba's registry refresh (what loading any cached kernel
#: starts with) timed on its own, just before it; and the objects of the process frozen out
#: of the garbage collector's reach before it exits, to see what the collector's passes at
#: shutdown cost.
CHILD_SPLIT = "import gc, atexit\natexit.register(gc.freeze)\n" + CHILD.replace(
    "G = nx.DiGraph", """from numba.core.registry import cpu_target
tr, cr = time.perf_counter(), cpu()
cpu_target.target_context.refresh()
refresh, refresh_cpu = time.perf_counter() - tr, cpu() - cr
G = nx.DiGraph""").replace('"first": t2 - t1,',
                           '"first": t2 - t1, "refresh": refresh, "refresh_cpu": refresh_cpu,')

CHILD_CYNETDIFF = r"""
import json, resource, time
t0 = time.perf_counter()
import networkx as nx
from cynetdiff.utils import networkx_to_ic_model
G = nx.DiGraph([(1, 2), (2, 3), (3, 4)])
nx.set_edge_attributes(G, 0.5, "activation_prob")
model, _ = networkx_to_ic_model(G)
model.set_seeds([1])
model.advance_until_completion()
print(json.dumps({"first": time.perf_counter() - t0, "at": time.time()}))
"""


def fresh(code: str, cache: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache, KOPIRESEARCH_PROGRESS="0")
    load = os.getloadavg()[0]
    t0, spawn = time.perf_counter(), time.time()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True, cwd=ROOT)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    res["process"] = time.perf_counter() - t0
    res["result"] = res["at"] - spawn  # from starting the process to holding the result
    res["exit"] = res["process"] - res["result"]  # the interpreter's shutdown, mostly
    res["load"] = load
    return res


def repeated(n: int, rounds: int) -> list[dict]:
    import networkx as nx

    from kopiresearch.diffusion import simulate

    G = nx.barabasi_albert_graph(n, 5, seed=1).to_directed()
    seeds = list(range(10))
    simulate(G.copy(), seeds, p=0.01, runs=100, seed=1, progress=False)  # compile
    rows = []
    for _ in range(rounds):
        H = G.copy()  # no cached conversion yet
        load = os.getloadavg()[0]
        t0 = time.perf_counter()
        simulate(H, seeds, p=0.01, runs=2000, seed=1, progress=False)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        simulate(H, seeds, p=0.01, runs=2000, seed=2, progress=False)
        second = time.perf_counter() - t0
        rows.append({"first": first, "second": second, "load": load,
                     "edges": H.number_of_edges()})
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    warm_runs, n = (1, 10_000) if args.quick else (5, 100_000)
    with tempfile.TemporaryDirectory() as cache:
        cold = fresh(CHILD, cache)
        subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        "kopiresearch/diffusion.py"], cwd=ROOT, check=True,
                       capture_output=True, env=dict(os.environ, NUMBA_CACHE_DIR=cache))
        warm = [fresh(CHILD, cache) for _ in range(warm_runs)]
        split = [fresh(CHILD_SPLIT, cache) for _ in range(warm_runs)]
    for r in split:
        r["after"] = r["first"] - r["refresh"]  # the call itself, after the refresh
    try:
        import cynetdiff  # noqa: F401

        peer = [fresh(CHILD_CYNETDIFF, "/tmp") for _ in range(warm_runs)]
    except ImportError:
        peer = []
    rep = repeated(n, 3)

    def fmt(rows, key):
        return f"{statistics.median(r[key] for r in rows):.2f}"

    def each(rows, key, digits=2):
        return ", ".join(f"{r[key]:.{digits}f}" for r in rows)

    lines = ["## First use and repeated calls of `simulate`", "",
             f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
             f"{platform.python_version()}. `benchmarks/bench_first_use.py`. Load = "
             "1-minute load average of the 2 cores before each run (other jobs shared the "
             "machine: wall times scale with it, CPU times much less).", "",
             "| first IC result from a fresh process | runs | result in hand (s) | process wall "
             "(s) | import wall / CPU (s) (of it `networkx`) | first `simulate` wall / CPU (s) | "
             "load |",
             "|---|---:|---:|---:|---|---|---|",
             f"| cold numba cache (new machine) | 1 | {cold['result']:.2f} | "
             f"{cold['process']:.2f} | "
             f"{cold['import']:.2f} / {cold['import_cpu']:.2f} ({cold['import_nx']:.2f}) | "
             f"{cold['first']:.2f} / {cold['first_cpu']:.2f} | {cold['load']:.1f} |",
             f"| cache written by the diffusion doctests (part of `make test`) | "
             f"{len(warm)} | {fmt(warm, 'result')} | {fmt(warm, 'process')} | "
             f"{fmt(warm, 'import')} / "
             f"{fmt(warm, 'import_cpu')} ({fmt(warm, 'import_nx')}) | {fmt(warm, 'first')} / "
             f"{fmt(warm, 'first_cpu')} | {each(warm, 'load', 1)} |"]
    if peer:
        lines.append(f"| cynetdiff (compiled extension), same graph | {len(peer)} | "
                     f"{fmt(peer, 'result')} | {fmt(peer, 'process')} | - | - | "
                     f"{each(peer, 'load', 1)} |")
    heavy = sorted({m for r in [cold, *warm] for m in r["heavy"]})
    lines += ["", "Result in hand: from starting the process to the moment `simulate` has "
              "returned (the child's clock at that moment minus the parent's at the start). "
              "Process wall adds the interpreter's shutdown, in the warm starts "
              f"{each(warm, 'exit')} s; with `gc.freeze()` at exit (the processes below) "
              f"{each(split, 'exit')} s: it is the garbage collector's passes over the "
              "imported modules' objects as they are torn down (a library must not freeze its "
              "user's heap, so this stays). Process walls of the warm starts: "
              f"{each(warm, 'process')} s; results in hand: {each(warm, 'result')} s."]
    lines += ["", "Loaded by the time of the first result, of pandas, pyarrow and matplotlib: "
              + (", ".join(heavy) if heavy else "none") + " (`kopiresearch.diffusion` "
              "imports pandas when a result's tables are first read). The first call's time is "
              "mostly numba's registry refresh, which loading any cached kernel starts with (it "
              "imports `numba.np.linalg`, `arraymath` and through them `scipy.linalg`): "
              f"timed alone just before the first call in {len(split)} more fresh processes, "
              f"it took {each(split, 'refresh')} s (CPU {each(split, 'refresh_cpu')} s) and the "
              "call after it "
              f"{each(split, 'after')} s (load {each(split, 'load', 1)})."]
    lines += ["", f"Repeated calls on one graph (`barabasi_albert_graph({n:,}, 5)` as a "
              f"DiGraph, {rep[0]['edges']:,} edges, IC p = 0.01, 2,000 runs, 10 seeds; "
              "medians of 3 rounds): the first call on a graph converts it to CSR arrays, "
              "the second finds the conversion in the graph's cache.", "",
              "| call | median (s) | runs (s) |", "|---|---:|---|",
              f"| first call on the graph | {fmt(rep, 'first')} | "
              f"{each(rep, 'first')} |",
              f"| second call (cached conversion) | {fmt(rep, 'second')} | "
              f"{each(rep, 'second')} |", "",
              f"Load before each round: {each(rep, 'load', 1)}.", ""]
    out = HERE / "results" / "first_use.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
