"""Benchmark: aggregate 5M / 20M / 50M interactions from partitioned Parquet with Dask.

    python benchmarks/bench_scale.py            # 5M, 20M, 50M rows; 1 and 2 workers
    python benchmarks/bench_scale.py --quick    # 1M rows, 2 workers

Generates interactions among 1,000,000 accounts (heavy-tailed activity and attention, so
pairs repeat as in real crawls) over twelve months, written in the layout of
kopiresearch.io.parquet (one part per 5M-row chunk), then times
kopiresearch.scale.aggregate_edges on a LocalCluster and records the peak memory of the
whole process tree (client + scheduler + workers, sampled every 0.2 s). Writes
benchmarks/results/scale.md. Goal: 50M rows with peak memory under 8 GiB on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

from kopiresearch import scale
from kopiresearch.io.parquet import _arrow_schema

HERE = Path(__file__).resolve().parent
N_ACCOUNTS = 1_000_000
CHUNK = 5_000_000
KINDS = np.array(["mention", "reply", "repost", "quote"])


def generate(folder: Path, rows: int, seed: int = 1) -> None:
    if (folder / "DONE").exists():
        return
    rng = np.random.default_rng(seed)
    ids = np.array([f"twitter:{i}" for i in range(N_ACCOUNTS)], dtype=object)
    acc = pd.DataFrame({"account_id": ids, "platform": "twitter",
                        "handle": [f"akun_{i}" for i in range(N_ACCOUNTS)],
                        "actor_type": "unknown", "region_code": None,
                        "followers": pd.array([None] * N_ACCOUNTS, dtype="Int64"),
                        "partnered": False})
    out = folder / "accounts" / "platform=twitter"
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(acc, schema=_arrow_schema("accounts"),
                                        preserve_index=False), out / "part-00000.parquet")
    posts = folder / "posts" / "platform=twitter" / "month=2024-01"
    posts.mkdir(parents=True, exist_ok=True)
    pq.write_table(_arrow_schema("posts").empty_table(), posts / "part-00000.parquet")
    start = pd.Timestamp("2024-01-01T00:00:00Z").value
    year = 366 * 86400 * 10**9
    # Zipf-like activity (sources) and attention (targets)
    src_w = 1.0 / np.arange(1, N_ACCOUNTS + 1) ** 0.8
    tgt_w = 1.0 / np.arange(1, N_ACCOUNTS + 1) ** 1.1
    src_c, tgt_c = np.cumsum(src_w / src_w.sum()), np.cumsum(tgt_w / tgt_w.sum())
    schema = _arrow_schema("interactions")
    for part, lo in enumerate(range(0, rows, CHUNK)):
        n = min(CHUNK, rows - lo)
        s = np.searchsorted(src_c, rng.random(n)).clip(0, N_ACCOUNTS - 1)
        t = np.searchsorted(tgt_c, rng.random(n)).clip(0, N_ACCOUNTS - 1)
        t = np.where(t == s, (t + 1) % N_ACCOUNTS, t)
        when = np.sort(start + rng.integers(0, year, size=n))
        kinds = KINDS[rng.integers(0, 4, size=n)]
        written = list((folder / "interactions").rglob(f"part-{part:05d}.parquet"))
        if len(written) == 12:  # chunk complete from an interrupted run (same draws)
            continue
        frame = pd.DataFrame({
            "source_id": ids[s], "target_id": ids[t],
            "kind": kinds,
            "created_at": pd.to_datetime(when, utc=True),
            "post_id": [f"twitter:p{lo + i}" for i in range(n)],
        })
        month = frame["created_at"].dt.strftime("%Y-%m")
        for m, group in frame.groupby(month, sort=True):
            sub = folder / "interactions" / "platform=twitter" / f"month={m}"
            sub.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.Table.from_pandas(group, schema=schema, preserve_index=False),
                           sub / f"part-{part:05d}.parquet")
        print(f"  generated {lo + n:,} rows", flush=True)
    (folder / "DONE").write_text("ok")


class PeakMemory:
    """Peak summed RSS of this process and all its children, sampled in a thread."""

    def __init__(self, interval=0.2):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()

    def _sample(self):
        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(self.interval)

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run(folder: Path, workers: int) -> tuple[float, float, int]:
    with PeakMemory() as mem:
        with scale.dask_client(n_workers=workers, threads_per_worker=1,
                               memory_limit="6GiB") as _:
            dc = scale.open_parquet_corpus(folder, count_duplicates=False, validate=False)
            t0 = time.perf_counter()
            edges = scale.aggregate_edges(dc)
            seconds = time.perf_counter() - t0
    return seconds, mem.peak / 2**30, len(edges)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    sizes = [1_000_000] if args.quick else [5_000_000, 20_000_000, 50_000_000]
    worker_counts = [2] if args.quick else [1, 2]
    rows = []
    for size in sizes:
        folder = HERE / "_data" / f"scale_{size // 1_000_000}M"
        print(f"generating {size:,} interactions in {folder}", flush=True)
        generate(folder, size)
        disk = sum(p.stat().st_size for p in folder.rglob("*.parquet")) / 2**20
        for w in worker_counts:
            if size == 50_000_000 or w == 2 or size == 5_000_000:
                seconds, peak, n_edges = run(folder, w)
                rows.append((size, w, seconds, size / seconds, peak, n_edges, disk))
                print(f"  {size:,} rows, {w} workers: {seconds:.1f} s, peak {peak:.2f} GiB, "
                      f"{n_edges:,} edges", flush=True)
    import dask

    lines = ["## Out-of-core aggregation with Dask (issue: scale past one machine)", "",
             f"`kopiresearch.scale.aggregate_edges` on partitioned Parquet (12 monthly "
             f"partitions, {N_ACCOUNTS:,} accounts, heavy-tailed activity), LocalCluster with "
             f"1 thread per worker, Dask {dask.__version__}, pandas {pd.__version__}. Peak "
             "memory is the summed RSS of client, scheduler and workers. Single run each "
             "(minutes-long runs; the machine's noise is a few percent).", "",
             "| interactions | workers | time (s) | rows/s | peak memory (GiB) | edges out "
             "| Parquet on disk (MiB) |", "|---|---|---|---|---|---|---|"]
    for size, w, seconds, rate, peak, n_edges, disk in rows:
        lines.append(f"| {size:,} | {w} | {seconds:.1f} | {rate:,.0f} | {peak:.2f} | "
                     f"{n_edges:,} | {disk:,.0f} |")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("wrote", HERE / "results" / "scale.md")


if __name__ == "__main__":
    main()
