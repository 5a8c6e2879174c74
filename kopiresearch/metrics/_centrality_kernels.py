"""Compiled kernels of the account table: Brandes betweenness, k-core peeling, Burt's measures.

Private to :mod:`kopiresearch.metrics._centrality`; every kernel works on CSR arrays
(``indptr``, ``indices``) of node positions ``0 .. n-1`` and is checked against NetworkX and
igraph in ``tests/test_metrics.py``.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import njit, prange


def n_chunks(n_items: int, n_nodes: int, per_chunk_bytes: int) -> int:
    """Number of work chunks: a few per thread for balance, bounded by memory (~1 GiB)."""
    nthreads = numba.get_num_threads()
    cap = max(1, (1 << 30) // max(1, per_chunk_bytes * max(n_nodes, 1)))
    return int(max(1, min(4 * nthreads, n_items, max(nthreads, cap))))


@njit(cache=True, parallel=True)
def brandes_moments(indptr, indices, sources, nch):
    """Sum and sum of squares over ``sources`` of Brandes' dependencies ``delta_s(v)``.

    ``delta_s(v) = sum_t sigma_st(v) / sigma_st`` over targets ``t`` (Brandes 2001), shortest
    paths counted in hops along the CSR's directed edges; ``delta_s(s) = 0``. Returns two
    ``(n,)`` arrays. Sources are dealt round-robin to ``nch`` chunks that run in parallel,
    each with its own work arrays; only the nodes a source reaches are reset.
    """
    n = indptr.size - 1
    part1 = np.zeros((nch, n))
    part2 = np.zeros((nch, n))
    for c in prange(nch):
        sigma = np.zeros(n)
        delta = np.zeros(n)
        dist = np.full(n, -1, dtype=np.int64)
        order = np.empty(n, dtype=np.int64)  # BFS order: the queue and, reversed, the stack
        acc1 = part1[c]
        acc2 = part2[c]
        for j in range(c, sources.size, nch):
            s = sources[j]
            sigma[s] = 1.0
            dist[s] = 0
            order[0] = s
            head = 0
            tail = 1
            while head < tail:
                v = order[head]
                head += 1
                dv = dist[v] + 1
                sv = sigma[v]
                for e in range(indptr[v], indptr[v + 1]):
                    w = indices[e]
                    if dist[w] < 0:
                        dist[w] = dv
                        order[tail] = w
                        tail += 1
                    if dist[w] == dv:
                        sigma[w] += sv
            # dependencies in reverse BFS order: successors on shortest paths are final
            for i in range(tail - 1, -1, -1):
                v = order[i]
                dv = dist[v] + 1
                d = 0.0
                for e in range(indptr[v], indptr[v + 1]):
                    w = indices[e]
                    if dist[w] == dv:
                        d += (1.0 + delta[w]) / sigma[w]
                d *= sigma[v]
                delta[v] = d
                if v != s:
                    acc1[v] += d
                    acc2[v] += d * d
            for i in range(tail):
                v = order[i]
                sigma[v] = 0.0
                delta[v] = 0.0
                dist[v] = -1
    return part1.sum(axis=0), part2.sum(axis=0)


@njit(cache=True)
def core_numbers(indptr, indices):
    """Core number of every node of a symmetric (multi-)adjacency in CSR form.

    Batagelj & Zaversnik's O(m) bin-sort peeling; a neighbour listed twice (a mutual tie of
    a directed graph) counts twice, as in ``nx.core_number``.
    """
    n = indptr.size - 1
    deg = np.empty(n, dtype=np.int64)
    md = 0
    for v in range(n):
        deg[v] = indptr[v + 1] - indptr[v]
        if deg[v] > md:
            md = deg[v]
    bins = np.zeros(md + 1, dtype=np.int64)
    for v in range(n):
        bins[deg[v]] += 1
    start = 0
    for d in range(md + 1):
        num = bins[d]
        bins[d] = start
        start += num
    pos = np.empty(n, dtype=np.int64)
    vert = np.empty(n, dtype=np.int64)
    for v in range(n):
        pos[v] = bins[deg[v]]
        vert[pos[v]] = v
        bins[deg[v]] += 1
    for d in range(md, 0, -1):
        bins[d] = bins[d - 1]
    if md >= 0:
        bins[0] = 0
    for i in range(n):
        v = vert[i]
        for e in range(indptr[v], indptr[v + 1]):
            u = indices[e]
            if deg[u] > deg[v]:
                du = deg[u]
                pu = pos[u]
                pw = bins[du]
                w = vert[pw]
                if u != w:
                    pos[u] = pw
                    vert[pu] = w
                    pos[w] = pu
                    vert[pw] = u
                bins[du] += 1
                deg[u] -= 1
    return deg


@njit(cache=True, inline="always")
def _find(indices, lo, hi, x):
    """Position of ``x`` in the sorted slice ``indices[lo:hi]``, or -1."""
    while lo < hi:
        mid = (lo + hi) >> 1
        y = indices[mid]
        if y < x:
            lo = mid + 1
        elif y > x:
            hi = mid
        else:
            return mid
    return -1


@njit(cache=True, parallel=True)
def burt_measures(indptr, indices, data, nch):
    """Burt's constraint and effective size on a symmetric weighted CSR without diagonal.

    With ``M`` the matrix (sorted column indices), ``s_v`` its row sums and ``x_v`` its row
    maxima: ``p_vu = M_vu / s_v``, indirect ``sum_w p_vw p_wu`` and redundancy
    ``sum_w p_vw M_uw / x_u`` over the common neighbours ``w`` of ``v`` and ``u``. Each
    edge's common neighbours are found by scanning the shorter neighbour list against the
    longer one (a dense mark of ``v``'s row, or a binary search in ``u``'s), so the cost is
    the sum over edges of the smaller degree. NaN for isolated nodes.
    """
    n = indptr.size - 1
    rowsum = np.zeros(n)
    rowmax = np.zeros(n)
    for v in range(n):
        for e in range(indptr[v], indptr[v + 1]):
            rowsum[v] += data[e]
            if data[e] > rowmax[v]:
                rowmax[v] = data[e]
    constraint = np.full(n, np.nan)
    eff = np.full(n, np.nan)
    for c in prange(nch):
        mark = np.zeros(n)  # M_vw for the neighbours w of the current v, else 0
        for v in range(c, n, nch):
            a, b = indptr[v], indptr[v + 1]
            if a == b:
                continue
            for e in range(a, b):
                mark[indices[e]] = data[e]
            cons = 0.0
            red = 0.0
            for e in range(a, b):
                u = indices[e]
                ua, ub = indptr[u], indptr[u + 1]
                t_sum = 0.0  # sum_w M_vw M_wu
                u_sum = 0.0  # sum_w M_vw M_wu / s_w
                if ub - ua <= b - a:
                    for f in range(ua, ub):
                        w = indices[f]
                        mv = mark[w]
                        if mv != 0.0:
                            prod = mv * data[f]
                            t_sum += prod
                            u_sum += prod / rowsum[w]
                else:
                    for f in range(a, b):
                        w = indices[f]
                        g = _find(indices, ua, ub, w)
                        if g >= 0:
                            prod = data[f] * data[g]
                            t_sum += prod
                            u_sum += prod / rowsum[w]
                x = (data[e] + u_sum) / rowsum[v]
                cons += x * x
                red += t_sum / (rowsum[v] * rowmax[u])
            constraint[v] = cons
            eff[v] = (b - a) - red
            for e in range(a, b):
                mark[indices[e]] = 0.0
    return constraint, eff
