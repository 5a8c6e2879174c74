"""The Monte-Carlo diffusion engine shared by :mod:`~kopiresearch.diffusion`,
:mod:`~kopiresearch.seeding` and :mod:`~kopiresearch.scale`.

One place for the machinery behind every simulation and every seed selection, with public
names inside a private module (as :mod:`kopiresearch.metrics._common`): the checks of the
arguments, the conversion of a graph to network arrays (:func:`prepare`: options,
probabilities, region ids), the random streams (:func:`stream_seeds`, :func:`rand`), edge
firing (:func:`fire`), the seed queue and the tally of a run (:func:`queue_seeds`,
:func:`tally_run`), one numba kernel for IC, LT and SIR (:func:`make_kernel`), and the
batch driver (:func:`run_batches`). Users call :func:`kopiresearch.diffusion.simulate` and
:func:`kopiresearch.seeding.select_seeds`; nothing here is part of the public API.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass

import networkx as nx
import numba
import numpy as np
from numba import njit, prange

from ._random import resolve_rng, stream_seeds
from .errors import DiffusionError

#: Diffusion models understood by :func:`kopiresearch.diffusion.simulate`.
MODELS = ("ic", "lt", "sir")
#: Ways to turn a graph into edge probabilities (see :func:`kopiresearch.diffusion.simulate`).
PROBABILITIES = ("uniform", "weighted_cascade", "weights", "attribute")




@dataclass
class Net:
    nodes: list
    index: dict
    indptr: np.ndarray      # flow CSR, rows sorted by decreasing probability
    indices: np.ndarray
    prob: np.ndarray
    logq: np.ndarray
    region_of: np.ndarray   # int32 region id per node, -1 none
    region_codes: list
    model: str
    rowp: np.ndarray = None   # per node: the common probability of its out-edges, or -1
    rowlq: np.ndarray = None  # log(1 - rowp)
    region_key: tuple = None  # (attribute, codes) that region_of was computed from


def seed_tuple(net, seed_idx):
    return tuple(net.nodes[i] for i in seed_idx)


def check_int(value, name, low, *, error=None):
    """``value`` as an int when it is an integer (not a bool) >= ``low``; else ``error``
    (default :class:`DiffusionError`) naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise (error or DiffusionError)(f"{name} must be an integer >= {low}, not {value!r}")
    return int(value)


def check_prob(value, name, *, required=False, default=None):
    if value is None:
        if required:
            raise DiffusionError(f"{name} is required")
        return default
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise DiffusionError(f"{name} must be a probability in [0, 1], not {value!r}") from None
    if not 0.0 <= v <= 1.0 or math.isnan(v):
        raise DiffusionError(f"{name} must be a probability in [0, 1], not {value!r}")
    return v


def prepare(G, *, model="ic", p=None, probability="uniform", weight="weight", beta=None,
            direction="interaction", region="region_code") -> Net:
    """The network arrays of ``G`` for one model and probability rule, with region ids.

    Three steps: :func:`check_options` (the arguments), :func:`edge_probabilities` (the
    flow CSR with its probabilities, kept with the graph) and :func:`with_region_ids` (the
    region of every node, read again on every call).
    """
    p_val = check_options(G, model=model, p=p, probability=probability, beta=beta,
                          direction=direction)
    cache = graph_cache(G)
    net, key = edge_probabilities(G, cache, model=model, probability=probability, p_val=p_val,
                                  weight=weight, direction=direction)
    return with_region_ids(G, net, region, cache, key)


def check_options(G, *, model, p, probability, beta, direction) -> float:
    """Check the graph and the diffusion options; return the probability parameter (``p``,
    default 0.1, or SIR's ``beta``)."""
    if not isinstance(G, nx.Graph):
        raise DiffusionError(f"G must be a networkx graph, not {type(G).__name__}")
    if G.is_multigraph():
        raise DiffusionError("G must not be a multigraph; aggregate parallel edges first")
    if model not in MODELS:
        raise DiffusionError(f"model must be one of {MODELS}, not {model!r}")
    if probability not in PROBABILITIES:
        raise DiffusionError(f"probability must be one of {PROBABILITIES}, not {probability!r}")
    if direction not in ("interaction", "flow"):
        raise DiffusionError(f"direction must be 'interaction' or 'flow', not {direction!r}")
    if G.number_of_nodes() == 0:
        raise DiffusionError("G has no nodes")
    if model == "sir":
        beta = check_prob(beta, "beta", required=True)
        if p is not None:
            raise DiffusionError("model='sir' takes beta (and gamma), not p")
        return beta
    if beta is not None:
        raise DiffusionError("beta applies to model='sir' only")
    return check_prob(p, "p", default=0.1)


def edge_probabilities(G, cache, *, model, probability, p_val, weight, direction):
    """The flow CSR of ``G`` with edge probabilities (:func:`build_net`), from the graph's
    cache when its edges and the attribute they come from are unchanged; and its cache key."""
    attr = weight if probability in ("weights", "attribute") else None
    raw, fresh = raw_edges(G, attr, cache)
    key = (model, probability, p_val, attr, direction)
    net = None if cache is None or fresh else cache["nets"].get(key)
    if net is None:
        net = build_net(G, raw, model=model, probability=probability, p_val=p_val,
                        weight=weight, attr=attr, direction=direction)
        if cache is not None:
            nets = cache["nets"]
            nets.pop(key, None)
            while len(nets) >= CACHED_NETS:
                nets.pop(next(iter(nets)))  # the oldest
            nets[key] = net
    return net, key


def with_region_ids(G, net, region, cache=None, key=None) -> Net:
    """``net`` with ``region_of`` (an int32 id per node, -1 for none) and ``region_codes``
    from the node attribute ``region``, read on every call (O(n)): an edited region is never
    stale."""
    codes = [d.get(region) for _, d in G.nodes(data=True)]
    if net.region_key != (region, codes):
        present = sorted({c for c in codes if c is not None and not isna(c)}, key=str)
        pos = {c: i for i, c in enumerate(present)}
        region_of = np.array([pos.get(c, -1) if c is not None and not isna(c) else -1
                             for c in codes], dtype=np.int32)
        net = dataclasses.replace(net, region_of=region_of, region_codes=present,
                                  region_key=(region, codes))
        if cache is not None:
            cache["nets"][key] = net
    return net


#: The conversions of a graph that :func:`prepare` keeps (one per model, probability rule,
#: p and direction); older ones are dropped first.
CACHED_NETS = 4
CACHE_KEY = "kopiresearch.diffusion"


def graph_cache(G):
    """The per-graph cache of CSR conversions, or None for graph views.

    It lives in ``G.__networkx_cache__``, the dictionary that NetworkX empties whenever the
    graph changes through its methods (``add_edge``, ``remove_node``, ``update``,
    ``nx.set_edge_attributes``, ...), so a structural change is never served stale arrays.
    Edge attributes edited in place (``G.edges[u, v]["p"] = 0.5``) bypass those methods:
    :func:`raw_edges` therefore re-reads the attribute that the probabilities come from
    on every call, and :func:`prepare` the region of every node. Views (frozen graphs such
    as ``G.subgraph(nodes)`` or ``G.reverse(copy=False)``) change when the graph under them
    does, which their own cache never learns: they are converted on every call.
    """
    store = getattr(G, "__networkx_cache__", None)
    if store is None or nx.is_frozen(G):
        return None
    return store.setdefault(CACHE_KEY, {"raw": {}, "nets": {}})


@dataclass
class RawEdges:
    nodes: list
    index: dict
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    read: np.ndarray  # the values of the attribute as G.edges lists them (once per edge)


def raw_edges(G, attr, cache):
    """Nodes, positions and edge arrays of ``G`` (see :func:`edge_arrays`), from the cache
    when the node count and the values of ``attr`` are unchanged; ``fresh`` is True when
    they were converted anew."""
    entry = None if cache is None else cache["raw"].get(attr)
    if entry is not None and len(entry.nodes) == G.number_of_nodes():
        if attr is None:
            return entry, False
        try:
            vals = np.fromiter((d for _, _, d in G.edges(data=attr, default=np.nan)),
                               dtype=float)
        except (TypeError, ValueError):
            vals = None  # the conversion below raises the error
        if vals is not None and np.array_equal(vals, entry.read, equal_nan=True):
            return entry, False
    nodes = list(G)
    index = {u: i for i, u in enumerate(nodes)}
    rows, cols, vals = edge_arrays(G, index, attr)
    read = vals if G.is_directed() else vals[: vals.size // 2]
    entry = RawEdges(nodes, index, rows, cols, vals, read)
    if cache is not None:
        cache["raw"][attr] = entry
        for key in [k for k in cache["nets"] if k[3] == attr]:
            del cache["nets"][key]
    return entry, True


def build_net(G, raw, *, model, probability, p_val, weight, attr, direction) -> Net:
    nodes, index = raw.nodes, raw.index
    n = len(nodes)
    rows, cols, vals = raw.rows, raw.cols, raw.vals
    if probability == "attribute" and np.isnan(vals).any():
        e = int(np.flatnonzero(np.isnan(vals))[0])
        raise DiffusionError(f"edge {(nodes[rows[e]], nodes[cols[e]])!r} has no attribute "
                             f"{weight!r}")
    if G.is_directed() and direction == "interaction":
        rows, cols = cols, rows
    keep = rows != cols
    rows, cols, vals = rows[keep], cols[keep], vals[keep]
    if probability == "weights":
        vals = np.where(np.isnan(vals), 1.0, vals)
    if probability == "weights" and (vals < 0).any():
        raise DiffusionError(f"edge attribute {weight!r} must be >= 0")
    indeg = np.bincount(cols, minlength=n).astype(float)
    if model == "lt":
        if probability == "uniform":
            prob = np.full(vals.size, p_val)
        elif probability == "weighted_cascade":
            prob = 1.0 / indeg[cols]
        elif probability == "weights":
            tot = np.bincount(cols, weights=vals, minlength=n)
            with np.errstate(invalid="ignore", divide="ignore"):
                prob = np.where(tot[cols] > 0, vals / tot[cols], 0.0)
        else:
            prob = vals
        insum = np.bincount(cols, weights=prob, minlength=n)
        if (insum > 1 + 1e-9).any():
            bad = nodes[int(np.argmax(insum))]
            raise DiffusionError(
                f"LT weights into node {bad!r} sum to {insum.max():.3g} > 1; lower p or use "
                "probability='weighted_cascade'")
    else:
        if probability == "uniform":
            prob = np.full(vals.size, p_val)
        elif probability == "weighted_cascade":
            prob = 1.0 / indeg[cols]
        elif probability == "weights":
            prob = -np.expm1(vals * np.log1p(-p_val)) if p_val < 1 else (vals > 0) * 1.0
        else:
            prob = vals
    if prob.size and (np.isnan(prob).any() or prob.min() < 0 or prob.max() > 1):
        raise DiffusionError(f"edge probabilities must lie in [0, 1] (check {weight!r})")
    live = prob > 0
    rows, cols, prob = rows[live], cols[live], prob[live]
    order = np.lexsort((cols, -prob, rows))
    rows, cols, prob = rows[order], cols[order], prob[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    with np.errstate(divide="ignore"):
        logq = np.log1p(-prob)
    rowp = np.full(n, -1.0)
    has = np.diff(indptr) > 0
    if prob.size:
        first = indptr[:-1][has]
        pmax = np.maximum.reduceat(prob, first)
        pmin = np.minimum.reduceat(prob, first)
        rows_has = np.flatnonzero(has)
        same = pmax == pmin
        rowp[rows_has[same]] = pmax[same]
    with np.errstate(divide="ignore", invalid="ignore"):
        rowlq = np.where(rowp >= 0, np.log1p(-np.clip(rowp, 0, 1)), 0.0)
    return Net(nodes, index, indptr, cols.astype(np.int32), prob.astype(np.float64),
               logq.astype(np.float64), None, None, model, rowp, rowlq)


def edge_arrays(G, index, attr):
    """Edges as index arrays (both directions for undirected graphs) and attribute values
    (1 when ``attr`` is None, missing values as 1 for weights and NaN for probabilities)."""
    m = G.number_of_edges()
    if attr is None:
        pairs = G.edges()
        vals = np.ones(m)
    else:
        data = list(G.edges(data=attr, default=np.nan))
        pairs = ((u, v) for u, v, _ in data)
        vals = np.fromiter((d for _, _, d in data), dtype=float, count=m)
    flat = np.fromiter((index[x] for e in pairs for x in e), dtype=np.int64, count=2 * m)
    rows, cols = flat[0::2], flat[1::2]
    if not G.is_directed():
        rows, cols, vals = (np.concatenate([rows, cols]), np.concatenate([cols, rows]),
                            np.concatenate([vals, vals]))
    return rows, cols, vals


def isna(value):
    if isinstance(value, str):
        return False  # what pd.isna says of every str, without importing pandas
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def seed_indices(net, seeds, name="seeds", allow_empty=False):
    if seeds is None:
        raise DiffusionError(f"{name} are required (no random default)")
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        seeds = [seeds]
    out, seen = [], set()
    for s in seeds:
        try:
            i = net.index[s]
        except (KeyError, TypeError):
            raise DiffusionError(f"{name}: {s!r} is not a node of G") from None
        if i not in seen:
            seen.add(i)
            out.append(i)
    if not out and not allow_empty:
        raise DiffusionError(f"{name} must name at least one node of G")
    return np.array(out, dtype=np.int32)


def lt_thresholds(net, thresholds):
    import pandas as pd

    s = pd.Series(thresholds, dtype=float) if not isinstance(thresholds, pd.Series) \
        else thresholds.astype(float)
    missing = [u for u in net.nodes if u not in s.index]
    if missing:
        raise DiffusionError(f"thresholds: node {missing[0]!r} has no threshold")
    theta = s.reindex(pd.Index(net.nodes, dtype=object)).to_numpy(dtype=float)
    if np.isnan(theta).any() or theta.min() < 0 or theta.max() > 1:
        raise DiffusionError("thresholds must lie in [0, 1]")
    return theta


def use_progress(progress):
    if progress is None:
        return os.environ.get("KOPIRESEARCH_PROGRESS", "1").lower() not in (
            "0", "false", "no", "off")
    return bool(progress)


def run_batches(net, model, seed_idx, run_seeds, max_steps, theta, gamma, progress, *, sets=None,
                want_counts=True):
    """Run the kernel. With ``sets`` (list of index arrays) every set gets the same
    ``run_seeds`` (common random numbers) and spreads/regions have runs x sets rows, set-major."""
    n = len(net.nodes)
    if sets is None:
        sets = [seed_idx]
    set_ptr = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in sets], out=set_ptr[1:])
    set_nodes = (np.concatenate([np.asarray(x, dtype=np.int32) for x in sets])
                 .astype(np.int32))
    runs = run_seeds.size * len(sets)
    n_reg = len(net.region_codes)
    nthreads = numba.get_num_threads()
    counts = np.zeros(n, dtype=np.int64)
    spreads = np.zeros(runs, dtype=np.int64)
    regions = np.zeros((runs, max(n_reg, 1)), dtype=np.int32)
    hlen = n + 2 if model != "sir" else max(n + 2, 4096)
    hist = np.zeros(hlen if max_steps < 0 else max_steps + 2, dtype=np.int64)
    show = use_progress(progress) and runs > 20000 and len(sets) == 1
    batch = max(10000, -(-runs // 50)) if show else runs
    starts = list(range(0, runs, batch))
    bar = None
    if show:
        from tqdm.auto import tqdm
        bar = tqdm(total=runs, desc=f"simulate {model}", unit="run", delay=1.0)
    fixed_theta = theta is not None
    theta_arr = theta if fixed_theta else np.zeros(1)
    for b in starts:
        rs = run_seeds if len(sets) > 1 else run_seeds[b:b + batch]
        sp, sn = set_ptr, set_nodes
        m = rs.size * (sp.size - 1)
        # more chunks than threads for dynamic balancing, but each chunk holds ~4 arrays of n
        nch = min(8 * nthreads, m, max(nthreads, 50_000_000 // (n + 2)))
        c_out = np.zeros((nch, n if want_counts else 1), dtype=np.int64)
        h_out = np.zeros((nch, hist.size), dtype=np.int64)
        with numba.parallel_chunksize(1):
            run_kernel(net, model, sp, sn, rs, max_steps, fixed_theta, theta_arr, gamma,
                       want_counts, c_out, h_out, spreads[b:b + m], regions[b:b + m])
        if want_counts:
            counts += c_out.sum(axis=0)
        hist += h_out.sum(axis=0)
        if bar is not None:
            bar.update(rs.size)
    if bar is not None:
        bar.close()
    return counts, spreads, regions[:, :n_reg], hist


def run_kernel(net, model, sp, sn, rs, max_steps, fixed_theta, theta_arr, gamma, want_counts,
               c_out, h_out, spreads, regions):
    kind = {"ic": IC, "sir": SIR}.get(model, LT if fixed_theta else LT_LIVE)
    live = live_edge_arrays(net) if kind == LT_LIVE else NO_LIVE
    KERNELS[kind]((net.indptr, net.indices, net.prob, net.logq, net.rowp, net.rowlq), live,
                  0.0 if gamma is None else float(gamma), theta_arr, sp, sn, rs,
                  net.region_of, max_steps, want_counts, c_out, h_out, spreads, regions)


#: The ``live`` argument of a kernel for the models that have none.
NO_LIVE = (np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0), np.zeros(0))


def live_edge_arrays(net):
    """Reverse CSR with cumulative in-weights for the live-edge LT kernel (cached on net)."""
    if getattr(net, "_live", None) is None:
        n = net.indptr.size - 1
        rows = np.repeat(np.arange(n), np.diff(net.indptr))
        order = np.lexsort((rows, net.indices))
        rsrc = rows[order].astype(np.int32)
        w = net.prob[order]
        rindptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(net.indices, minlength=n), out=rindptr[1:])
        cum = np.cumsum(w)
        start = np.repeat(np.concatenate([[0.0], cum])[rindptr[:-1]], np.diff(rindptr))
        deg = np.diff(rindptr)
        uni = np.full(n, -1.0)
        if w.size:
            has = deg > 0
            first = rindptr[:-1][has]
            wmax = np.maximum.reduceat(w, first)
            wmin = np.minimum.reduceat(w, first)
            idx = np.flatnonzero(has)[wmax == wmin]
            uni[idx] = wmax[wmax == wmin]  # all in-weights equal: pick the parent in O(1)
        net._live = (rindptr, rsrc, cum - start, uni)
    return net._live


def counted_regions(net, regions=None) -> np.ndarray:
    """Positions in ``net.region_codes`` of the regions that count: ``regions`` (each must
    have an account in the graph) or, by default, every kabupaten/kota."""
    if regions is None:
        if not net.region_codes:  # no region to count: no need to import .regions (pandas)
            return np.array([], dtype=np.int64)
        from .regions import is_kabkota

        return np.array([i for i, c in enumerate(net.region_codes) if is_kabkota(c)],
                        dtype=np.int64)
    pos = {c: i for i, c in enumerate(net.region_codes)}
    wanted = list(regions)
    missing = [c for c in wanted if c not in pos]
    if missing:
        raise DiffusionError(f"regions: {missing[0]!r} has no account in G")
    return np.array([pos[c] for c in wanted], dtype=np.int64)


def region_thresholds(sizes, q):
    ok = not isinstance(q, bool) and isinstance(q, (int, float, np.integer, np.floating))
    if not ok or not q > 0 or (q > 1 and q != int(q)):
        raise DiffusionError(f"q must be an integer >= 1 or a share in (0, 1), not {q!r}")
    if q < 1:
        return np.maximum(1, np.ceil(q * np.asarray(sizes) - 1e-12)).astype(np.int64)
    return np.full(len(sizes), int(q), dtype=np.int64)



@dataclass
class Job:
    """Everything a batch of runs needs; picklable, so :mod:`kopiresearch.scale` can send
    slices of ``run_seeds`` to other processes and get exactly the in-process result."""

    net: object
    seed_idx: np.ndarray
    run_seeds: np.ndarray
    max_steps: int
    theta: object
    gamma: object


def plan(G, seeds, model, *, p, probability, weight, thresholds, beta, gamma, max_steps,
         runs, direction, region, seed) -> Job:
    """Check the arguments of :func:`simulate` and draw one random stream seed per run."""
    net = prepare(G, model=model, p=p, probability=probability, weight=weight, beta=beta,
                  direction=direction, region=region)
    seed_idx = seed_indices(net, seeds)
    runs = check_int(runs, "runs", 1)
    max_steps = -1 if max_steps is None else check_int(max_steps, "max_steps", 0)
    rng = resolve_rng(seed, error=DiffusionError)
    if model == "sir":
        gamma = check_prob(gamma, "gamma", required=True)
        if gamma == 0 and max_steps < 0:
            raise DiffusionError("gamma = 0 never ends an SIR run: give gamma > 0 or max_steps")
    elif gamma is not None:
        raise DiffusionError("gamma applies to model='sir' only")
    theta = None
    if thresholds is not None:
        if model != "lt":
            raise DiffusionError("thresholds apply to model='lt' only")
        theta = lt_thresholds(net, thresholds)
    run_seeds = stream_seeds(rng, runs)
    return Job(net, seed_idx, run_seeds, max_steps, theta, gamma)



# ----------------------------------------------------------------------------------------
# numba kernels

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_INV53 = 1.0 / 9007199254740992.0


@njit(cache=True, inline="always")
def rand(s):
    """splitmix64 step: new state and a uniform double in (0, 1]."""
    s = s + _GOLDEN
    z = s
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    z = z ^ (z >> np.uint64(31))
    return s, float((z >> np.uint64(11)) + np.uint64(1)) * _INV53


@njit(cache=True, inline="always")
def fire(indptr, indices, prob, logq, rowp, rowlq, u, s, buf):
    """Edge trials out of u: write the targets of successful edges to buf, return count."""
    i = indptr[u]
    end = indptr[u + 1]
    m = 0
    q = rowp[u]
    if q >= 0.0:  # all out-edges share one probability: pure geometric skips
        if q >= 1.0:
            for j in range(i, end):
                buf[m] = indices[j]
                m += 1
            return s, m
        lq = rowlq[u]
        while i < end:
            s, x = rand(s)
            skip = math.log(x) / lq
            if skip >= end - i:
                break
            j = i + int(skip)
            buf[m] = indices[j]
            m += 1
            i = j + 1
        return s, m
    while i < end:
        qi = prob[i]
        if qi < 1.0:
            s, x = rand(s)
            skip = math.log(x) / logq[i]
            if skip >= end - i:
                break
            j = i + int(skip)
        else:
            j = i
        if prob[j] < qi:
            s, x = rand(s)
            if x * qi > prob[j]:
                i = j + 1
                continue
        buf[m] = indices[j]
        m += 1
        i = j + 1
    return s, m


# The engine: a kernel (:func:`make_kernel`) sends chunks of runs to numba threads
# (chunk_bounds); every chunk has its own scratch arrays, and ``stamp`` (the run's number
# within the chunk) marks the nodes of the current run without clearing. One run takes its
# stream and seed set (run_start), spreads (:func:`bfs_run` for IC and LT, :func:`sir_run` for
# SIR) and tallies who was reached (tally_run).

#: Model kinds of :func:`make_kernel` (LT_LIVE: LT with random thresholds, by live edges).
IC, LT, LT_LIVE, SIR = 0, 1, 2, 3


@njit(cache=True, inline="always")
def max_out_degree(indptr):
    """Largest row length of a CSR (at least 1): the size of :func:`fire`'s buffer."""
    maxdeg = 1
    for u in range(indptr.size - 1):
        maxdeg = max(maxdeg, indptr[u + 1] - indptr[u])
    return maxdeg


@njit(cache=True, inline="always")
def chunk_bounds(c, nch, runs):
    """Runs ``lo:hi`` of chunk ``c`` out of ``nch``."""
    return c * runs // nch, (c + 1) * runs // nch


@njit(cache=True, inline="always")
def run_start(r, run_seeds, set_ptr, set_nodes):
    """Stream seed and seed set of run ``r``: sets are set-major and share the streams
    (common random numbers)."""
    per_set = run_seeds.size
    k = r // per_set
    return run_seeds[r % per_set], set_nodes[set_ptr[k]:set_ptr[k + 1]]


@njit(cache=True, inline="always")
def push(v, mark, value, queue, tail):
    """Append ``v`` to ``queue`` unless marked ``value`` already; the new tail."""
    if mark[v] != value:
        mark[v] = value
        queue[tail] = v
        tail += 1
    return tail


@njit(cache=True, inline="always")
def queue_seeds(seeds, mark, value, queue):
    """Mark the seeds ``value`` and queue them (each once); their number."""
    tail = 0
    for k in range(seeds.size):
        tail = push(seeds[k], mark, value, queue, tail)
    return tail


@njit(cache=True, inline="always")
def tally_run(r, reached, count, want_counts, counts, region_of, spreads, regions):
    """Record run ``r``: its spread, the accounts reached (``reached[:count]``) and the
    number reached in each region."""
    spreads[r] = count
    for t in range(count):
        v = reached[t]
        if want_counts:
            counts[v] += 1
        g = region_of[v]
        if g >= 0:
            regions[r, g] += 1


def make_kernel(kind):
    """The parallel kernel of one model ``kind`` (IC, LT, LT_LIVE or SIR): every run of a
    batch. ``kind`` is a constant of the compiled code, so numba compiles (and caches) each
    model's kernel with the other models' branches pruned."""

    @njit(cache=True, parallel=True)
    def spread_kernel(csr, live, gamma, theta, set_ptr, set_nodes, run_seeds, region_of,
                      max_steps, want_counts, c_out, h_out, spreads, regions):
        """``csr`` is the flow CSR ``(indptr, indices, prob, logq, rowp, rowlq)``, ``live``
        the reverse CSR of :func:`live_edge_arrays` (LT_LIVE), ``theta`` the thresholds (LT)
        and ``gamma`` the recovery probability (SIR)."""
        indptr = csr[0]
        n = indptr.size - 1
        nch = c_out.shape[0]
        runs = run_seeds.size * (set_ptr.size - 1)
        maxdeg = max_out_degree(indptr) if kind == IC or kind == SIR else 1
        two = n if kind == LT_LIVE or kind == SIR else 0  # size of the two extra node arrays
        for c in prange(nch):
            mark = np.zeros(n, dtype=np.int32)
            queue = np.empty(n, dtype=np.int32)
            buf = np.empty(maxdeg, dtype=np.int32)
            # LT: the threshold minus the weight received so far; LT_LIVE: parents, children
            # and the children's CSR pointers; SIR: the infected of this step and the next
            rem = np.zeros(n if kind == LT else 0, dtype=np.float64)
            aux = np.empty(two, dtype=np.int32)
            aux2 = np.empty(two, dtype=np.int32)
            cptr = np.empty(n + 2 if kind == LT_LIVE else 0, dtype=np.int64)
            counts = c_out[c]
            hist = h_out[c]
            lo, hi = chunk_bounds(c, nch, runs)
            for r in range(lo, hi):
                stamp = r - lo + 1
                s, seeds = run_start(r, run_seeds, set_ptr, set_nodes)
                if kind == SIR:
                    tail = sir_run(csr, gamma, s, seeds, mark, stamp, queue, aux, aux2, buf,
                                   max_steps, hist)
                else:
                    if kind == LT_LIVE:
                        s = sample_live_edges(live, s, aux, cptr, aux2)
                    tail = bfs_run(kind, csr, theta, cptr, aux2, s, seeds, mark, stamp, queue,
                                   rem, buf, max_steps, hist)
                tally_run(r, queue, tail, want_counts, counts, region_of, spreads, regions)

    return spread_kernel


#: The kernel of each model kind.
KERNELS = {kind: make_kernel(kind) for kind in (IC, LT, LT_LIVE, SIR)}

@njit(cache=True, inline="always")
def bfs_run(kind, csr, theta, cptr, child, s, seeds, mark, stamp, queue, rem, buf, max_steps,
            hist):
    """One run of IC or LT, level by level from the seeds (at most ``max_steps`` levels);
    the number reached, who in ``queue[:tail]``.

    IC fires the out-edges of each new account (:func:`fire`); LT_LIVE follows the kept
    edges (children of ``u`` in ``child[cptr[u]:cptr[u + 1]]``); LT (fixed thresholds)
    subtracts each edge's weight from the threshold of its target, which is active at
    (nearly) zero: ``mark[v]`` is ``2 * stamp`` once touched, ``2 * stamp + 1`` once active.
    """
    indptr, indices, prob, logq, rowp, rowlq = csr
    active = 2 * stamp + 1 if kind == LT else stamp
    tail = queue_seeds(seeds, mark, active, queue)
    hist[0] += tail
    head = 0
    step = 0
    while head < tail and (max_steps < 0 or step < max_steps):
        level_end = tail
        step += 1
        while head < level_end:
            u = queue[head]
            head += 1
            if kind == IC:
                s, m = fire(indptr, indices, prob, logq, rowp, rowlq, u, s, buf)
                for t in range(m):
                    tail = push(buf[t], mark, active, queue, tail)
            elif kind == LT_LIVE:
                for t in range(cptr[u], cptr[u + 1]):
                    tail = push(child[t], mark, active, queue, tail)
            else:
                tail = lt_step(indptr, indices, prob, theta, u, mark, active, rem, queue, tail)
        hist[step] += tail - level_end
    return tail


@njit(cache=True, inline="always")
def lt_step(indptr, indices, weights, theta, u, state, active, rem, queue, tail):
    """LT with fixed thresholds: the weights of ``u``'s out-edges reach their targets."""
    touched = active - 1
    for e in range(indptr[u], indptr[u + 1]):
        v = indices[e]
        st = state[v]
        if st == active:
            continue
        rv = rem[v] if st == touched else theta[v]
        rv -= weights[e]
        if rv <= 1e-12:
            state[v] = active
            queue[tail] = v
            tail += 1
        else:
            state[v] = touched
            rem[v] = rv
    return tail


@njit(cache=True, inline="always")
def sample_live_edges(live, s, parent, cptr, child):
    """LT through Kempe et al.'s live-edge equivalent: every account keeps in-edge (u, v)
    with probability b_uv (none with 1 - sum b); v is active at step t when the kept edges
    lead from a seed to v in t hops. Sample every parent and bucket the children: those of
    ``u`` in ``child[cptr[u]:cptr[u + 1]]``. The new stream state."""
    rindptr, rsrc, rcum, uni = live
    n = rindptr.size - 1
    cptr[:] = 0
    for v in range(n):
        a = rindptr[v]
        b = rindptr[v + 1]
        p = -1
        if a < b:
            s, x = rand(s)
            x = 1.0 - x  # [0, 1)
            if x < rcum[b - 1]:
                if uni[v] > 0:
                    a = min(a + int(x / uni[v]), b - 1)
                else:
                    while b - a > 1:  # first e with x < rcum[e]
                        mid = (a + b - 1) // 2
                        if x < rcum[mid]:
                            b = mid + 1
                        else:
                            a = mid + 1
                p = rsrc[a]
        parent[v] = p
        if p >= 0:
            cptr[p + 2] += 1
    for v in range(2, n + 2):
        cptr[v] += cptr[v - 1]
    for v in range(n):  # counting sort: children of u in child[cptr[u+1]:cptr[u+2]]
        p = parent[v]
        if p >= 0:
            child[cptr[p + 1]] = v
            cptr[p + 1] += 1
    return s


@njit(cache=True, inline="always")
def sir_run(csr, gamma, s, seeds, mark, stamp, ever, cur, nxt, buf, max_steps, hist):
    """One SIR run in discrete steps: every infected account fires its out-edges, then
    recovers with probability ``gamma``; the number ever infected, who in ``ever``."""
    indptr, indices, prob, logq, rowp, rowlq = csr
    n_ever = queue_seeds(seeds, mark, stamp, ever)
    for t in range(n_ever):
        cur[t] = ever[t]
    n_cur = n_ever
    hist[0] += n_ever
    step = 0
    while n_cur > 0 and (max_steps < 0 or step < max_steps):
        step += 1
        n_nxt = 0
        before = n_ever
        for a in range(n_cur):
            u = cur[a]
            s, m = fire(indptr, indices, prob, logq, rowp, rowlq, u, s, buf)
            for t in range(m):
                n_ever = push(buf[t], mark, stamp, ever, n_ever)
            s, x = rand(s)
            if x > gamma:  # stays infected (P = 1 - gamma)
                nxt[n_nxt] = u
                n_nxt += 1
        for t in range(before, n_ever):
            nxt[n_nxt] = ever[t]
            n_nxt += 1
        hist[min(step, hist.size - 1)] += n_ever - before
        cur, nxt = nxt, cur
        n_cur = n_nxt
    return n_ever
