"""Benchmark of kopiresearch.metrics: account table and brokerage on a large generated graph.

Run ``.venv/bin/python benchmarks/bench_metrics.py`` (full: 100,000 accounts and 1,000,000
interactions) or ``--quick`` (a small smoke run). Every measurement runs in a fresh
subprocess so that its peak memory (``ru_maxrss``, graph included) is its own. Writes
``benchmarks/results/metrics.md``.

Peers, run side by side on a smaller graph (they do not finish, or need a dense n x n
array, at full size): NetworkX's per-node ``nx.constraint`` / ``nx.effective_size`` for
Burt's measures, and a pure-Python enumeration of two-paths for brokerage.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ACTOR_MIX = {"citizen": 0.90, "influencer": 0.04, "community": 0.02, "media": 0.015,
             "academic": 0.005, "government_regency": 0.0004, "government_other": 0.0001,
             "government_province": 0.00001}


def make_graph(n: int, m: int, seed: int = 1):
    """A directed interaction graph with n accounts and about m edges (actor -> engaged).

    Heavy-tailed activity (lognormal out-propensity) and attention (lognormal, larger for
    government, media and influencers), 55% of ties within the actor's region, 38 regions
    plus 12% unknown; edge attributes ``weight``, ``n_reply``, ``n_mention``, ``n_repost``.
    """
    import networkx as nx

    from kopiresearch.regions import bakorwil_of, region_table

    rng = np.random.default_rng(seed)
    types = np.array(list(ACTOR_MIX))
    p = np.array(list(ACTOR_MIX.values()))
    actor = rng.choice(types, size=n, p=p / p.sum())
    codes = region_table().index.to_numpy()
    region = rng.choice(codes, size=n).astype(object)
    region[rng.random(n) < 0.12] = None
    out_w = rng.lognormal(0, 1.0, n)
    boost = np.where(np.char.startswith(actor.astype(str), "government"), 30.0,
                     np.where(np.isin(actor, ["media", "influencer"]), 10.0, 1.0))
    in_w = rng.lognormal(0, 1.2, n) * boost
    k = int(m * 1.3)
    src = rng.choice(n, size=k, p=out_w / out_w.sum())
    dst = rng.choice(n, size=k, p=in_w / in_w.sum())
    # same-region ties: redraw 55% of targets among the source's region
    reg_codes = np.array([-1 if r is None else int(r) for r in region])
    local = (rng.random(k) < 0.55) & (reg_codes[src] >= 0)
    order = np.argsort(reg_codes, kind="stable")
    sorted_codes = reg_codes[order]
    for code in np.unique(reg_codes[reg_codes >= 0]):
        members = order[np.searchsorted(sorted_codes, code):
                        np.searchsorted(sorted_codes, code, side="right")]
        sel = np.flatnonzero(local & (reg_codes[src] == code))
        w = in_w[members]
        dst[sel] = members[np.searchsorted(np.cumsum(w) / w.sum(), rng.random(len(sel)))
                           .clip(0, len(members) - 1)]
    keep = src != dst
    pairs = np.unique(np.stack([src[keep], dst[keep]], axis=1), axis=0)
    if len(pairs) > m:
        pairs = pairs[np.sort(rng.choice(len(pairs), size=m, replace=False))]
    weight = 1 + rng.geometric(0.6, size=len(pairs)) - 1
    kind = rng.choice(3, size=len(pairs), p=[0.2, 0.3, 0.5])
    G = nx.DiGraph()
    names = [f"a{i:06d}" for i in range(n)]
    for i in range(n):
        r = region[i]
        G.add_node(names[i], actor_type=str(actor[i]), region_code=r,
                   bakorwil=None if r is None else bakorwil_of(r))
    G.add_edges_from(
        (names[u], names[v], {"weight": int(w), "n_reply": int(w) * (c == 0),
                              "n_mention": int(w) * (c == 1), "n_repost": int(w) * (c == 2)})
        for (u, v), w, c in zip(pairs.tolist(), weight.tolist(), kind.tolist()))
    return G


def _brute_brokerage(G, by):
    labels = dict(G.nodes(data=by))
    counts = {}
    for v in G:
        c = [0, 0, 0, 0, 0]
        gv = labels[v]
        for a in G.predecessors(v):
            ga = labels[a]
            for b in G.successors(v):
                if a == b or G.has_edge(a, b):
                    continue
                gb = labels[b]
                if ga == gv == gb:
                    c[0] += 1
                elif ga == gb:
                    c[1] += 1
                elif gv == gb:
                    c[2] += 1
                elif ga == gv:
                    c[3] += 1
                else:
                    c[4] += 1
        counts[v] = c
    return counts


def run_task(task: str, n: int, m: int, repeats: int, k: int, n_perm: int) -> dict:
    """Run one measurement in this process; return timings (s) and peak RSS (MiB)."""
    import networkx as nx

    from kopiresearch.metrics import account_table, brokerage, structural_holes

    t0 = time.perf_counter()
    G = make_graph(n, m)
    build = time.perf_counter() - t0
    rss_graph = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    calls = {
        "account_table": lambda: account_table(G, k=k, seed=1, structural_holes=None),
        "account_table_with_structural_holes": lambda: account_table(G, k=k, seed=1),
        "account_table_no_betweenness": lambda: account_table(G, betweenness=False),
        "brokerage_actor_type": lambda: brokerage(G, by="actor_type", n_permutations=n_perm,
                                                  seed=1),
        "brokerage_region": lambda: brokerage(G, by="region_code", n_permutations=n_perm, seed=1),
        "structural_holes": lambda: structural_holes(G),
        "nx_structural_holes": lambda: (nx.constraint(G, nodes=list(G), weight="weight"),
                                        nx.effective_size(G, nodes=list(G), weight="weight")),
        "nx_constraint_dense": lambda: nx.constraint(G, weight="weight"),
        "brokerage_bruteforce": lambda: _brute_brokerage(G, "actor_type"),
        "brokerage_no_perm": lambda: brokerage(G, by="actor_type"),
    }
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        calls[task]()
        times.append(time.perf_counter() - t0)
    return {"task": task, "n": G.number_of_nodes(), "m": G.number_of_edges(),
            "build_s": build, "times": times, "median_s": float(np.median(times)),
            "graph_rss_mib": rss_graph,
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _subprocess(task, n, m, repeats, k, n_perm):
    cmd = [sys.executable, __file__, "--task", task, "--n", str(n), "--m", str(m),
           "--repeats", str(repeats), "--k", str(k), "--n-perm", str(n_perm)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _machine():
    import networkx
    import pandas
    import scipy

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.machine()}, "
            f"Python {platform.python_version()}, NetworkX {networkx.__version__}, "
            f"NumPy {np.__version__}, SciPy {scipy.__version__}, pandas {pandas.__version__}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small smoke run")
    ap.add_argument("--task")
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--m", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--k", type=int, default=8, help="betweenness pivots")
    ap.add_argument("--n-perm", type=int, default=5, help="brokerage relabellings")
    ap.add_argument("--out", default=str(HERE / "results" / "metrics.md"))
    args = ap.parse_args(argv)
    if args.task:
        print(json.dumps(run_task(args.task, args.n, args.m, args.repeats, args.k,
                                  args.n_perm)))
        return
    if args.quick:
        big, medium, small, repeats = (5_000, 50_000), (2_000, 20_000), (300, 2_000), 1
    else:
        big, medium, small = (args.n, args.m), (10_000, 100_000), (500, 4_000)
        repeats = args.repeats
    plan = [("account_table", big, repeats), ("account_table_with_structural_holes", big, 1),
            ("brokerage_actor_type", big, repeats), ("brokerage_region", big, repeats),
            ("brokerage_no_perm", big, repeats), ("brokerage_bruteforce", big, 1),
            ("structural_holes", medium, repeats), ("nx_constraint_dense", medium, 1),
            ("brokerage_no_perm", medium, repeats), ("brokerage_bruteforce", medium, 1),
            ("structural_holes", small, repeats), ("nx_structural_holes", small, 1)]
    rows = []
    for task, (n, m), rep in plan:
        res = _subprocess(task, n, m, rep, args.k, args.n_perm)
        rows.append(res)
        print(f"{task:28s} n={res['n']:>7,} m={res['m']:>9,} median {res['median_s']:7.2f} s "
              f"peak {res['peak_rss_mib']:7.0f} MiB (graph {res['graph_rss_mib']:.0f})",
              flush=True)
    lines = ["# Benchmark: kopiresearch.metrics", "",
             f"Machine: {_machine()}.", "",
             "Command: `.venv/bin/python benchmarks/bench_metrics.py"
             + (" --quick" if args.quick else "") + "`"
             f" (betweenness k={args.k} pivots, brokerage with {args.n_perm} relabellings). "
             "Each row runs in a fresh subprocess on a generated interaction graph "
             "(`make_graph`: lognormal activity and attention, 55% same-region ties); "
             "times are medians over the repeats; peak memory is the subprocess's maximum "
             "resident set size, the graph itself included.", "",
             "| task | accounts | edges | repeats | median (s) | peak RSS (MiB) | "
             "graph alone (MiB) |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['task']} | {r['n']:,} | {r['m']:,} | {len(r['times'])} | "
                     f"{r['median_s']:.2f} | {r['peak_rss_mib']:.0f} | "
                     f"{r['graph_rss_mib']:.0f} |")
    lines += ["", "Peers, each beside our function on the same graph: "
              "`nx_structural_holes` is NetworkX's per-node `nx.constraint` + "
              "`nx.effective_size` (cubic in the degree); `nx_constraint_dense` is "
              "NetworkX's all-nodes `nx.constraint`, which forms dense n x n arrays "
              "(80 GB at 100,000 accounts); `brokerage_bruteforce` enumerates every "
              "two-path in Python (compare with `brokerage_no_perm`, one labelling, no "
              "relabellings). The Python enumeration costs one step per two-path "
              "(sum of in-degree x out-degree), the sparse version one pass over the edges "
              "plus three sparse products per labelling; this generated graph's hubs "
              "receive much and act little, so two-paths are relatively few and the gap "
              "is small; it grows with hubs that both receive and act.", ""]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
