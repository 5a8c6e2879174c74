"""Compile the package's numba kernels into numba's on-disk cache (``make install`` runs it).

Every kernel is ``@njit(cache=True)``: compiled at its first call, then loaded from the cache
(``__pycache__`` beside the sources, or ``NUMBA_CACHE_DIR``) by every later process. Without
this step the first ``make report`` after an install compiles them inside its notebooks, which
costs about a quarter of that report's CPU time (benchmarks/RESULTS.md, "`make report` on the
bundled data"). This script calls, once and on the bundled data, the public functions through
which the notebooks reach each kernel, so that the compiled signatures are the notebooks'.

    python tools/warm_numba.py
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def warm() -> None:
    """Call every kernel the bundled study's notebooks use, on the bundled data."""
    import kopiresearch as kr
    from kopiresearch import coordination as kc
    from kopiresearch import metrics as km
    from kopiresearch.cascades import cascade_table, reconstruct_cascades
    from kopiresearch.diffusion import calibrated_graph, simulate
    from kopiresearch.seeding import select_seeds
    from kopiresearch.study import open_study

    os.environ.setdefault("KOPIRESEARCH_PROGRESS", "0")
    study = open_study(None, seed=1)
    corpus = study.corpus
    km.account_table(kr.build_interaction_graph(corpus), seed=1)  # betweenness, cores, Burt
    cascade_table(reconstruct_cascades(corpus, method="follows", follows=study.follows))
    reconstruct_cascades(corpus, method="interactions")
    for action in ("repost", "text"):
        kc.coordination(corpus, action=action, n_null=2, seed=1)
    G = calibrated_graph(corpus, kinds=("repost", "quote"))
    simulate(G, [next(iter(G))], runs=10, probability="attribute", weight="p", seed=1,
             progress=False)
    for objective in ("spread", "region_share", "fair"):
        select_seeds(G, 2, "imm", objective=objective, probability="attribute", weight="p",
                     eps=0.5, rr_per_region=100, seed=1, progress=False)


def main(argv=None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    t0 = time.perf_counter()
    warm()
    print(f"numba kernels compiled or loaded from the cache in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
