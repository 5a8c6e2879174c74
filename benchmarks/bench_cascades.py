"""Benchmark: reconstruct and measure cascades from ~1,000,000 reposts.

Usage::

    .venv/bin/python benchmarks/bench_cascades.py          # full run (1M adopting posts)
    .venv/bin/python benchmarks/bench_cascades.py --quick  # small smoke run

The workload is generated here, vectorised and seeded: a heavy-tailed (Zipf) distribution of
cascade sizes plus two giant cascades of 150,000 and 110,000 adopters; each cascade is a
random recursive tree in time order; 85% of adopters are retweet-like reposts that name only
the root, 15% quotes that name their true parent; every adopter follows its true parent's
author with probability 0.8, plus random follows. Our code (kopiresearch.cascades,
``method="follows"`` and ``method="interactions"``) runs side by side with a naive reference
(per-node Python Goel inference, one NetworkX tree per cascade, ``nx.wiener_index`` for
structural virality, ``nx.shortest_path_length`` for depth and breadth) on a subset small
enough for the reference. Medians of repeats; peak RSS from ``resource.getrusage``.
Writes ``benchmarks/results/cascades.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

import kopiresearch as kr
from kopiresearch.cascades import cascade_table, reconstruct_cascades, time_to_region

T0 = pd.Timestamp("2024-10-01T00:00:00Z")


def make_workload(n_adopters, giants, n_accounts, seed=0, max_small=20_000):
    rng = np.random.default_rng(seed)
    rest = n_adopters - sum(giants)
    sizes = []
    total = 0
    while total < rest:
        s = rng.zipf(1.8, size=100_000)
        s = s[s <= max_small]
        c = np.cumsum(s)
        take = s[: np.searchsorted(c, rest - total, side="right")]
        if len(take) == 0:
            take = np.array([rest - total])
        sizes.append(take)
        total += int(take.sum())
    sizes = np.r_[np.array(giants, dtype=np.int64), np.concatenate(sizes)]
    n_casc = len(sizes)
    n_adopt = int(sizes.sum())
    # roots: posts 0..n_casc-1; adopters follow
    casc_of = np.repeat(np.arange(n_casc), sizes)
    start = np.r_[0, np.cumsum(sizes)[:-1]]
    local = np.arange(n_adopt) - start[casc_of] + 1  # 1..size within the cascade
    parent_local = np.floor(rng.random(n_adopt) * local).astype(np.int64)  # 0 = root
    root_time = rng.uniform(0, 50 * 86400, n_casc)
    gaps = rng.exponential(60.0, n_adopt)
    csum = np.cumsum(gaps)
    base = np.r_[0.0, csum][start]
    t_adopt = root_time[casc_of] + (csum - base[casc_of]) + 1.0
    post_of_local = lambda c, k: np.where(k == 0, c, n_casc + start[c] + k - 1)  # noqa: E731
    true_parent = post_of_local(casc_of, parent_local)
    authors = np.r_[rng.integers(0, n_accounts, n_casc), rng.integers(0, n_accounts, n_adopt)]
    quote = rng.random(n_adopt) < 0.15
    named = np.where(quote, true_parent, casc_of)
    n_posts = n_casc + n_adopt
    ids = np.char.add("b:p", np.arange(n_posts).astype(str)).astype(object)
    acc_ids = np.char.add("b:a", np.arange(n_accounts).astype(str)).astype(object)
    times = np.r_[root_time, t_adopt]
    types = np.where(rng.random(n_accounts) < 0.02, "influencer",
                     np.where(rng.random(n_accounts) < 0.01, "government_regency", "citizen"))
    codes = np.array(sorted(kr.regions.region_table().index), dtype=object)
    region = codes[rng.integers(0, 38, n_accounts)]
    region[rng.random(n_accounts) < 0.12] = None
    accounts = pd.DataFrame({"account_id": acc_ids, "platform": "synthetic",
                             "handle": acc_ids, "actor_type": types, "region_code": region,
                             "partnered": (types == "influencer") & (rng.random(n_accounts) < .2)})
    created = T0 + pd.to_timedelta(np.floor(times), unit="s")
    posts = pd.DataFrame({"post_id": ids, "platform": "synthetic",
                          "author_id": acc_ids[authors], "created_at": created,
                          "kind": np.r_[np.full(n_casc, "original"),
                                        np.where(quote, "quote", "repost")],
                          "parent_post_id": np.r_[np.full(n_casc, None, dtype=object),
                                                  ids[named]]})
    adopter_author = authors[n_casc:]
    inter = pd.DataFrame({"source_id": acc_ids[adopter_author],
                          "target_id": acc_ids[authors[named]],
                          "kind": np.where(quote, "quote", "repost"),
                          "created_at": created[n_casc:], "post_id": ids[n_casc:]})
    inter = inter[inter["source_id"] != inter["target_id"]]
    keep = rng.random(n_adopt) < 0.8
    f_src = np.r_[adopter_author[keep], np.repeat(np.arange(n_accounts), 10)]
    f_dst = np.r_[authors[true_parent[keep]], rng.integers(0, n_accounts, 10 * n_accounts)]
    ok = f_src != f_dst
    follows = pd.DataFrame({"follower_id": acc_ids[f_src[ok]], "followee_id": acc_ids[f_dst[ok]]})
    corpus = kr.Corpus.from_frames(accounts, posts, inter)
    truth = pd.DataFrame({"post_id": ids[n_casc:], "true_parent_post_id": ids[true_parent]})
    return corpus, follows, truth, sizes


def ours(corpus, follows, method):
    cas = reconstruct_cascades(corpus, method=method, follows=follows)
    table = cascade_table(cas)
    ttr = time_to_region(cas)
    return cas, table, ttr


def naive(corpus, follows):
    """Reference: per-node Python Goel inference and NetworkX measures per cascade."""
    posts = corpus.posts.sort_values(["created_at"], kind="stable")
    followees = follows.groupby("follower_id")["followee_id"].agg(set).to_dict()
    author = posts["author_id"].to_dict()
    kind = posts["kind"].astype(str).to_dict()
    parent_named = posts["parent_post_id"].to_dict()
    root_of, members = {}, {}
    for pid in sorted(posts.index[posts["kind"] != "original"],
                      key=lambda p: (posts.at[p, "created_at"], p)):
        r = parent_named[pid]
        while kind.get(r) in ("repost", "quote"):
            r = parent_named[r]
        root_of[pid] = r
        members.setdefault(r, []).append(pid)
    rows = []
    for r, adopters in members.items():
        T = nx.DiGraph()
        T.add_node(r)
        seen = [(r, author[r])]
        for pid in adopters:
            if kind[pid] != "repost" or parent_named[pid] != r:
                par = parent_named[pid]
            else:
                f = followees.get(author[pid], ())
                par = next((p for p, a in reversed(seen) if a in f), r)
            T.add_edge(par, pid)
            seen.append((pid, author[pid]))
        n = T.number_of_nodes()
        d = nx.single_source_shortest_path_length(T, r)
        rows.append((r, n, max(d.values()), int(np.bincount(list(d.values())).max()),
                     nx.wiener_index(T.to_undirected()) / (n * (n - 1) / 2)))
    return pd.DataFrame(rows, columns=["root", "size", "depth", "max_breadth", "sv"])


def timed(fn, repeats):
    out, times = None, []
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, statistics.median(times), times


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine():
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import numba
    return (f"{os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.machine()}, Python "
            f"{sys.version.split()[0]}, numpy {np.__version__}, pandas {pd.__version__}, "
            f"networkx {nx.__version__}, numba {numba.__version__}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small smoke run")
    ap.add_argument("--repeats", type=int, default=None)
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "cascades.md"))
    args = ap.parse_args(argv)
    if args.quick:
        n_adopt, giants, n_acc, repeats = 50_000, (8_000,), 20_000, args.repeats or 2
        sub_adopt, sub_giants = 5_000, (500,)
    else:
        n_adopt, giants, n_acc, repeats = 1_000_000, (150_000, 110_000), 300_000, \
            args.repeats or 3
        sub_adopt, sub_giants = 20_000, (2_000,)
    # warm the numba kernels (compilation is not part of the measurement)
    wc, wf, _, _ = make_workload(2_000, (200,), 1_000, seed=9, max_small=100)
    ours(wc, wf, "follows")
    ours(wc, wf, "interactions")

    rows = []
    t = time.perf_counter()
    corpus, follows, truth, sizes = make_workload(n_adopt, giants, n_acc, seed=1)
    gen = time.perf_counter() - t
    rss_before = peak_rss_mb()
    print(f"workload: {len(corpus.posts):,} posts, {int(sizes.sum()):,} adopting posts, "
          f"{len(sizes):,} cascades, largest {int(sizes.max()):,}, follows {len(follows):,} "
          f"(generated + validated in {gen:.1f} s)", flush=True)
    for method in ("follows", "interactions"):
        (cas, table, _), med, all_t = timed(lambda m=method: ours(corpus, follows, m), repeats)
        acc = float((cas.nodes.set_index("post_id")["parent_post_id"].reindex(truth["post_id"])
                     .to_numpy() == truth["true_parent_post_id"].to_numpy()).mean())
        rows.append(("kopiresearch", f"method={method}", f"{int(sizes.sum()):,}", len(table),
                     med, ", ".join(f"{x:.2f}" for x in all_t), peak_rss_mb(), acc))
        print(rows[-1], flush=True)
        del cas, table

    # the naive reference and ours on the same small workload
    sc, sf, st, ssz = make_workload(sub_adopt, sub_giants, max(2_000, sub_adopt // 5), seed=2,
                                    max_small=500)
    (ref, ref_t, ref_all) = timed(lambda: naive(sc, sf), 1)
    (mine, mine_t, mine_all) = timed(lambda: ours(sc, sf, "follows"), repeats)
    ref = ref.set_index("root").sort_index()
    tab = mine[1].sort_index()
    same = (np.array_equal(ref["size"].to_numpy(), tab["size"].to_numpy())
            and np.array_equal(ref["depth"].to_numpy(), tab["depth"].to_numpy())
            and np.array_equal(ref["max_breadth"].to_numpy(), tab["max_breadth"].to_numpy())
            and np.allclose(ref["sv"].to_numpy(), tab["structural_virality"].to_numpy()))
    n_sub = int(ssz.sum())
    rows.append(("naive Python + NetworkX (reference)", "follows", f"{n_sub:,}", len(ref),
                 ref_t, ", ".join(f"{x:.2f}" for x in ref_all), peak_rss_mb(), np.nan))
    rows.append(("kopiresearch", "method=follows", f"{n_sub:,}", len(tab), mine_t,
                 ", ".join(f"{x:.2f}" for x in mine_all), peak_rss_mb(), np.nan))
    print(rows[-2], rows[-1], "same results:", same, flush=True)

    lines = [
        "# Cascade reconstruction and measures",
        "",
        f"Machine: {machine()}.",
        "",
        f"Workload ({'quick' if args.quick else 'full'}): {int(sizes.sum()):,} adopting posts "
        f"(85% reposts naming only the root, 15% quotes naming their parent) in {len(sizes):,} "
        f"cascades, Zipf(1.8) sizes plus giants of {', '.join(f'{g:,}' for g in giants)}; "
        f"{n_acc:,} accounts, {len(follows):,} follow ties. Timed: `reconstruct_cascades` + "
        "`cascade_table` + `time_to_region` on a validated `Corpus` (numba kernels warmed "
        f"up first; corpus construction not timed). Median of {repeats} runs "
        "(all runs listed). Peak RSS is the process high-water mark so far, including the "
        f"data (it was {rss_before:,.0f} MB after building the corpus).",
        "",
        "| implementation | method | adopting posts | cascades | median s | runs s | "
        "peak RSS MB | parent accuracy |",
        "|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for r in rows:
        acc = "" if np.isnan(r[7]) else f"{r[7]:.3f}"
        lines.append(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]:,} | {r[4]:.2f} | {r[5]} | "
                     f"{r[6]:,.0f} | {acc} |")
    lines += ["", f"On the small workload the reference and kopiresearch give "
              f"{'identical' if same else 'DIFFERENT'} size, depth, maximum breadth and "
              f"structural virality for every cascade; speed-up "
              f"{ref_t / mine_t:,.0f}x.", ""]
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
