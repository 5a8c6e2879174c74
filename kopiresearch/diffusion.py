"""Monte-Carlo diffusion on interaction graphs: Independent Cascade, Linear Threshold and SIR.

Direction: interaction edges point from the account that acts to the account it engages
(``u -> v``: u replied to, reposted or mentioned v). Content travels the other way: what v
posts can reach u. The simulation therefore runs on the *information-flow* graph, the reverse
of the interaction graph (``direction="interaction"``, the default). Pass
``direction="flow"`` for a graph whose edges already point where information goes; undirected
graphs spread both ways.
"""

from __future__ import annotations

import dataclasses
import math
import os
from dataclasses import dataclass, field

import networkx as nx
import numba
import numpy as np
import pandas as pd
from numba import njit, prange

from .errors import KopiresearchError
from .regions import is_kabkota

__all__ = ["simulate", "calibrated_graph", "SpreadResult", "DiffusionError", "MODELS",
           "PROBABILITIES"]

#: Diffusion models understood by :func:`simulate`.
MODELS = ("ic", "lt", "sir")
#: Ways to turn a graph into edge probabilities (see :func:`simulate`).
PROBABILITIES = ("uniform", "weighted_cascade", "weights", "attribute")


class DiffusionError(KopiresearchError, ValueError):
    """A diffusion or seeding argument is out of range, missing or not in the graph."""


@dataclass(frozen=True)
class SpreadResult:
    """What :func:`simulate` returns.

    Attributes
    ----------
    model : str
        ``"ic"``, ``"lt"`` or ``"sir"``.
    seeds : tuple
        The seed accounts (duplicates removed, in the order given).
    spreads : numpy.ndarray
        Number of accounts active at the end (seeds included) in each run; for SIR, the number
        ever infected.
    activation : pandas.Series
        Per account (index: node), the share of runs in which it became active.
    region_reach : pandas.DataFrame
        Per region (index: region code): ``n_accounts``, ``share_reached`` (mean share of the
        region's accounts active at the end), ``p_reached`` (share of runs in which at least
        ``threshold`` of its accounts were active) and ``threshold``. The regions are those
        the seeding objectives count: the ``regions`` given to :func:`simulate`, by default
        every kabupaten/kota (:func:`kopiresearch.regions.is_kabkota`; province-wide
        ``"35"`` and ``"unknown"`` accounts are in no row).
    over_time : pandas.DataFrame
        Per time step (0 = the seeds): ``new`` (mean number of accounts activated at that
        step) and ``cumulative`` (mean number active by then).
    """

    model: str
    seeds: tuple
    spreads: np.ndarray = field(repr=False)
    activation: pd.Series = field(repr=False)
    region_reach: pd.DataFrame = field(repr=False)
    over_time: pd.DataFrame = field(repr=False)

    @property
    def runs(self) -> int:
        """Number of Monte-Carlo runs."""
        return int(self.spreads.size)

    @property
    def mean_spread(self) -> float:
        """Mean number of accounts active at the end (seeds included)."""
        return float(self.spreads.mean())

    @property
    def std_error(self) -> float:
        """Standard error of :attr:`mean_spread` (sample standard deviation / sqrt(runs))."""
        if self.spreads.size < 2:
            return float("nan")
        return float(self.spreads.std(ddof=1) / math.sqrt(self.spreads.size))

    @property
    def ci(self) -> tuple[float, float]:
        """Normal-approximation 95% confidence interval of :attr:`mean_spread`."""
        return self.confidence_interval(0.95)

    def confidence_interval(self, level: float = 0.95) -> tuple[float, float]:
        """Normal-approximation confidence interval of :attr:`mean_spread` at ``level``."""
        if not 0 < level < 1:
            raise DiffusionError(f"level must be in (0, 1), not {level!r}")
        from scipy.stats import norm

        half = float(norm.ppf(0.5 + level / 2)) * self.std_error
        return (self.mean_spread - half, self.mean_spread + half)

    def __repr__(self):
        lo, hi = self.ci
        return (f"SpreadResult(model={self.model!r}, seeds={len(self.seeds)}, runs={self.runs}, "
                f"mean_spread={self.mean_spread:.2f}, ci=({lo:.2f}, {hi:.2f}))")


def simulate(G, seeds, model: str = "ic", *, p: float | None = None,
             probability: str = "uniform", weight: str = "weight", thresholds=None,
             beta: float | None = None, gamma: float | None = None,
             max_steps: int | None = None, runs: int = 1000, direction: str = "interaction",
             region: str = "region_code", q: float = 1, regions=None, seed=None,
             progress: bool | None = None) -> SpreadResult:
    """Simulate diffusion from ``seeds`` many times and summarise reach.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        An interaction graph (edges actor -> account engaged; content flows the other way) or,
        with ``direction="flow"``, a graph whose edges point where content flows.
    seeds : iterable of nodes
        The accounts that post at step 0. Required; every one must be a node of ``G``.
    model : {"ic", "lt", "sir"}
        Independent Cascade, Linear Threshold or discrete-time SIR.
    p : float, optional
        Edge probability for ``probability="uniform"`` (IC, LT) and the per-act probability
        for ``probability="weights"``. Default 0.1 (IC) or unused.
    probability : {"uniform", "weighted_cascade", "weights", "attribute"}
        How edge probabilities (IC), influence weights (LT) or per-step transmission
        probabilities (SIR) are set. ``"uniform"``: ``p`` on every edge (``beta`` for SIR).
        ``"weighted_cascade"``: 1 / in-degree of the receiving account in the flow graph.
        ``"weights"``: IC and SIR use ``1 - (1 - p) ** w`` with ``w`` the edge attribute
        ``weight`` (missing counts 1; each act is an independent chance), LT uses
        ``w / (sum of w into the receiving account)``. ``"attribute"``: the edge attribute
        named by ``weight`` holds the probability itself.
    weight : str
        Edge attribute for ``"weights"`` and ``"attribute"``.
    thresholds : mapping or pandas.Series, optional
        LT only: fixed thresholds in [0, 1] per node (all nodes). Default: drawn uniformly
        from [0, 1] anew in each run (Kempe et al. 2003).
    beta, gamma : float
        SIR only (both required): per-step transmission probability along each edge and
        per-step recovery probability.
    max_steps : int, optional
        Stop after this many time steps (reach "within tau steps"); default: until no change.
    runs : int
        Number of Monte-Carlo runs (>= 1).
    direction : {"interaction", "flow"}
        Whether the edges of a directed ``G`` are interaction edges (content flows from target
        to source) or already flow edges. Ignored for undirected graphs.
    region : str
        Node attribute with the region code; nodes without it count in no region.
    q : int or float
        A region counts as reached in a run when at least ``q`` of its accounts are active
        (``q >= 1``) or at least the share ``q`` of them (``0 < q < 1``, rounded up).
    regions : iterable, optional
        Region codes reported in ``region_reach``, as in
        :func:`kopiresearch.seeding.select_seeds`; default every value of ``region`` that
        names a kabupaten/kota (not the province-wide ``"35"``, not ``"unknown"``).
    seed : int or numpy.random.Generator, optional
        Source of randomness; the same seed gives the same result on any number of threads.
    progress : bool, optional
        Show a tqdm progress bar on stderr for runs that take more than a second. Default: on
        unless the environment variable ``KOPIRESEARCH_PROGRESS`` is ``0``; notebooks pass
        ``False``.

    Returns
    -------
    SpreadResult
        ``.mean_spread``, ``.ci``, ``.spreads``, ``.activation``, ``.region_reach``,
        ``.over_time``.

    Raises
    ------
    DiffusionError
        Unknown model or probability mode, a parameter out of range, LT in-weights summing to
        more than 1, seeds missing or not in ``G``, a missing edge attribute.

    Notes
    -----
    IC: when u becomes active at step t it has one chance, at step t + 1, to activate each
    inactive flow-neighbour v, with probability p_uv. LT: every account draws a threshold
    theta_v; v becomes active at step t + 1 when the summed weights b_uv of its active
    in-neighbours reach theta_v (sum of b_uv into v must be at most 1). SIR: at every step each
    infected account infects each susceptible flow-neighbour with probability beta, then
    recovers with probability gamma; the spread is the number ever infected (matches NDlib's
    ``SIRModel`` with ``tp_rate=1``). Seeds count in the spread.

    Runs are independent: each has its own random stream (splitmix64 seeded from ``seed``),
    runs are split over all numba threads, and the whole batch works on CSR arrays. Edge trials
    of IC and SIR draw geometric skips over the out-edges of an account sorted by decreasing
    probability (thinning when probabilities differ), so an account with d edges of
    probability p costs about 1 + d p random numbers instead of d.

    The conversion of ``G`` to CSR arrays is kept with the graph (in
    ``G.__networkx_cache__``, which NetworkX empties whenever the graph changes through its
    methods), so repeated calls on one graph pay it once; the edge attribute that the
    probabilities come from and every node's ``region`` are read again on each call, so
    values edited in place are never stale either. Graph views are converted every time.

    References
    ----------
    Kempe, D., Kleinberg, J. & Tardos, E. (2003). Maximizing the spread of influence through a
    social network. KDD '03, 137-146. doi:10.1145/956750.956769.
    Kermack, W. O. & McKendrick, A. G. (1927). A contribution to the mathematical theory of
    epidemics. Proc. R. Soc. A 115, 700-721. doi:10.1098/rspa.1927.0118.

    Examples
    --------
    A path a -> b -> c in the flow direction with p = 0.5: expected spread 1 + 0.5 + 0.25.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> res = simulate(G, ["a"], p=0.5, direction="flow", runs=20000, seed=1, progress=False)
    >>> round(res.mean_spread, 1)
    1.8
    >>> res.activation.round(2).to_dict()
    {'a': 1.0, 'b': 0.5, 'c': 0.25}
    """
    job = _plan(G, seeds, model, p=p, probability=probability, weight=weight,
                thresholds=thresholds, beta=beta, gamma=gamma, max_steps=max_steps, runs=runs,
                direction=direction, region=region, seed=seed)
    out = _run(job.net, model, job.seed_idx, job.run_seeds, job.max_steps, job.theta,
               job.gamma, progress)
    return _result(job.net, model, _seeds_tuple(job.net, job.seed_idx), out, q, regions)


@dataclass
class _Job:
    """Everything a batch of runs needs; picklable, so :mod:`kopiresearch.scale` can send
    slices of ``run_seeds`` to other processes and get exactly the in-process result."""

    net: object
    seed_idx: np.ndarray
    run_seeds: np.ndarray
    max_steps: int
    theta: object
    gamma: object


def _plan(G, seeds, model, *, p, probability, weight, thresholds, beta, gamma, max_steps,
          runs, direction, region, seed) -> _Job:
    """Check the arguments of :func:`simulate` and draw one random stream seed per run."""
    net = _prepare(G, model=model, p=p, probability=probability, weight=weight, beta=beta,
                   direction=direction, region=region)
    seed_idx = _seed_indices(net, seeds)
    runs = _check_int(runs, "runs", 1)
    max_steps = -1 if max_steps is None else _check_int(max_steps, "max_steps", 0)
    rng = _rng(seed)
    if model == "sir":
        gamma = _check_prob(gamma, "gamma", required=True)
        if gamma == 0 and max_steps < 0:
            raise DiffusionError("gamma = 0 never ends an SIR run: give gamma > 0 or max_steps")
    elif gamma is not None:
        raise DiffusionError("gamma applies to model='sir' only")
    theta = None
    if thresholds is not None:
        if model != "lt":
            raise DiffusionError("thresholds apply to model='lt' only")
        theta = _thresholds(net, thresholds)
    run_seeds = rng.integers(0, 2**63 - 1, size=runs, dtype=np.int64).astype(np.uint64)
    return _Job(net, seed_idx, run_seeds, max_steps, theta, gamma)


def calibrated_graph(corpus, *, kinds=("repost", "quote"), start=None, end=None,
                     attr: str = "p") -> nx.DiGraph:
    """The interaction graph of adoptions with edge probabilities estimated from the data.

    Parameters
    ----------
    corpus : Corpus
        The canonical tables.
    kinds : iterable of str
        Interaction kinds that pass content on (default reposts and quotes).
    start, end : timestamp-like, optional
        Window of acts and posts (``start <= created_at < end``).
    attr : str
        Edge attribute that receives the probability.

    Returns
    -------
    networkx.DiGraph
        :func:`kopiresearch.graph.build_interaction_graph` for ``kinds`` (every account a
        node; edges actor -> account engaged) with edge attribute ``attr``; use it as
        ``simulate(G, seeds, probability="attribute", weight=attr)``.

    Notes
    -----
    Bernoulli estimate of Goyal et al. (2010): for an edge u -> v (u reposted or quoted v),
    ``p = A / N`` where A is the number of u's reposts and quotes of v in the window and N the
    number of posts v authored in the window (originals, reposts and quotes; at least A). It is
    the share of v's posts that u passed on, i.e. the chance that a post of v travels to u.
    Pairs that never passed content on get no edge (probability 0).

    References
    ----------
    Goyal, A., Bonchi, F. & Lakshmanan, L. V. S. (2010). Learning influence probabilities in
    social networks. WSDM '10, 241-250. doi:10.1145/1718487.1718518.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> G = calibrated_graph(kr.load_bundled())
    >>> all(0 < d["p"] <= 1 for _, _, d in G.edges(data=True))
    True
    """
    from .corpus import _utc
    from .graph import build_interaction_graph

    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    G = build_interaction_graph(corpus, kinds=kinds, start=start, end=end)
    posts = corpus.posts
    keep = posts["kind"].astype(str).isin(["original", "repost", "quote"])
    if start is not None:
        keep &= posts["created_at"] >= _utc(start)
    if end is not None:
        keep &= posts["created_at"] < _utc(end)
    authored = posts.loc[keep, "author_id"].astype(object).value_counts()
    probs = {}
    for u, v, w in G.edges(data="weight"):
        probs[(u, v)] = w / max(int(authored.get(v, 0)), w)
    nx.set_edge_attributes(G, probs, attr)
    return G


# ----------------------------------------------------------------------------------------
# preparation (shared with kopiresearch.seeding)


@dataclass
class _Net:
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


def _seeds_tuple(net, seed_idx):
    return tuple(net.nodes[i] for i in seed_idx)


def _rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (int, np.integer)):
        return np.random.default_rng(seed)
    raise DiffusionError(f"seed must be an int or a numpy.random.Generator, not {seed!r}")


def _check_int(value, name, low):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        raise DiffusionError(f"{name} must be an integer >= {low}, not {value!r}")
    return int(value)


def _check_prob(value, name, *, required=False, default=None):
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


def _prepare(G, *, model="ic", p=None, probability="uniform", weight="weight", beta=None,
             direction="interaction", region="region_code") -> _Net:
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
        beta = _check_prob(beta, "beta", required=True)
        if p is not None:
            raise DiffusionError("model='sir' takes beta (and gamma), not p")
        p_val = beta
    else:
        if beta is not None:
            raise DiffusionError("beta applies to model='sir' only")
        p_val = _check_prob(p, "p", default=0.1)
    attr = weight if probability in ("weights", "attribute") else None
    cache = _graph_cache(G)
    raw, fresh = _raw_edges(G, attr, cache)
    key = (model, probability, p_val, attr, direction)
    net = None if cache is None or fresh else cache["nets"].get(key)
    if net is None:
        net = _build_net(G, raw, model=model, probability=probability, p_val=p_val,
                         weight=weight, attr=attr, direction=direction)
        if cache is not None:
            nets = cache["nets"]
            nets.pop(key, None)
            while len(nets) >= _CACHED_NETS:
                nets.pop(next(iter(nets)))  # the oldest
            nets[key] = net
    # node attributes are read on every call (O(n)): an edited region is never stale
    codes = [d.get(region) for _, d in G.nodes(data=True)]
    if net.region_key != (region, codes):
        present = sorted({c for c in codes if c is not None and not _isna(c)}, key=str)
        pos = {c: i for i, c in enumerate(present)}
        region_of = np.array([pos.get(c, -1) if c is not None and not _isna(c) else -1
                              for c in codes], dtype=np.int32)
        net = dataclasses.replace(net, region_of=region_of, region_codes=present,
                                  region_key=(region, codes))
        if cache is not None:
            cache["nets"][key] = net
    return net


#: The conversions of a graph that :func:`_prepare` keeps (one per model, probability rule,
#: p and direction); older ones are dropped first.
_CACHED_NETS = 4
_CACHE_KEY = "kopiresearch.diffusion"


def _graph_cache(G):
    """The per-graph cache of CSR conversions, or None for graph views.

    It lives in ``G.__networkx_cache__``, the dictionary that NetworkX empties whenever the
    graph changes through its methods (``add_edge``, ``remove_node``, ``update``,
    ``nx.set_edge_attributes``, ...), so a structural change is never served stale arrays.
    Edge attributes edited in place (``G.edges[u, v]["p"] = 0.5``) bypass those methods:
    :func:`_raw_edges` therefore re-reads the attribute that the probabilities come from
    on every call, and :func:`_prepare` the region of every node. Views (frozen graphs such
    as ``G.subgraph(nodes)`` or ``G.reverse(copy=False)``) change when the graph under them
    does, which their own cache never learns: they are converted on every call.
    """
    store = getattr(G, "__networkx_cache__", None)
    if store is None or nx.is_frozen(G):
        return None
    return store.setdefault(_CACHE_KEY, {"raw": {}, "nets": {}})


@dataclass
class _Raw:
    nodes: list
    index: dict
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray
    read: np.ndarray  # the values of the attribute as G.edges lists them (once per edge)


def _raw_edges(G, attr, cache):
    """Nodes, positions and edge arrays of ``G`` (see :func:`_edge_arrays`), from the cache
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
    rows, cols, vals = _edge_arrays(G, index, attr)
    read = vals if G.is_directed() else vals[: vals.size // 2]
    entry = _Raw(nodes, index, rows, cols, vals, read)
    if cache is not None:
        cache["raw"][attr] = entry
        for key in [k for k in cache["nets"] if k[3] == attr]:
            del cache["nets"][key]
    return entry, True


def _build_net(G, raw, *, model, probability, p_val, weight, attr, direction) -> _Net:
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
    return _Net(nodes, index, indptr, cols.astype(np.int32), prob.astype(np.float64),
                logq.astype(np.float64), None, None, model, rowp, rowlq)


def _edge_arrays(G, index, attr):
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


def _isna(value):
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _seed_indices(net, seeds, name="seeds", allow_empty=False):
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


def _thresholds(net, thresholds):
    s = pd.Series(thresholds, dtype=float) if not isinstance(thresholds, pd.Series) \
        else thresholds.astype(float)
    missing = [u for u in net.nodes if u not in s.index]
    if missing:
        raise DiffusionError(f"thresholds: node {missing[0]!r} has no threshold")
    theta = s.reindex(pd.Index(net.nodes, dtype=object)).to_numpy(dtype=float)
    if np.isnan(theta).any() or theta.min() < 0 or theta.max() > 1:
        raise DiffusionError("thresholds must lie in [0, 1]")
    return theta


def _use_progress(progress):
    if progress is None:
        return os.environ.get("KOPIRESEARCH_PROGRESS", "1").lower() not in (
            "0", "false", "no", "off")
    return bool(progress)


def _run(net, model, seed_idx, run_seeds, max_steps, theta, gamma, progress, *, sets=None,
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
    show = _use_progress(progress) and runs > 20000 and len(sets) == 1
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
            _kernel(net, model, sp, sn, rs, max_steps, fixed_theta, theta_arr, gamma,
                    want_counts, c_out, h_out, spreads[b:b + m], regions[b:b + m])
        if want_counts:
            counts += c_out.sum(axis=0)
        hist += h_out.sum(axis=0)
        if bar is not None:
            bar.update(rs.size)
    if bar is not None:
        bar.close()
    return counts, spreads, regions[:, :n_reg], hist


def _kernel(net, model, sp, sn, rs, max_steps, fixed_theta, theta_arr, gamma, want_counts,
            c_out, h_out, spreads, regions):
    if model == "ic":
        _ic_kernel(net.indptr, net.indices, net.prob, net.logq, net.rowp, net.rowlq, sp, sn, rs,
                   net.region_of, max_steps, want_counts, c_out, h_out, spreads, regions)
    elif model == "lt" and not fixed_theta:
        rindptr, rsrc, rcum, uni = _lt_live(net)
        _lt_live_kernel(rindptr, rsrc, rcum, uni, sp, sn, rs, net.region_of, max_steps,
                        want_counts, c_out, h_out, spreads, regions)
    elif model == "lt":
        _lt_kernel(net.indptr, net.indices, net.prob, sp, sn, rs, net.region_of, max_steps,
                   fixed_theta, theta_arr, want_counts, c_out, h_out, spreads, regions)
    else:
        _sir_kernel(net.indptr, net.indices, net.prob, net.logq, net.rowp, net.rowlq,
                    float(gamma), sp, sn, rs, net.region_of, max_steps, want_counts, c_out,
                    h_out, spreads, regions)


def _lt_live(net):
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


def _counted_regions(net, regions=None) -> np.ndarray:
    """Positions in ``net.region_codes`` of the regions that count: ``regions`` (each must
    have an account in the graph) or, by default, every kabupaten/kota."""
    if regions is None:
        return np.array([i for i, c in enumerate(net.region_codes) if is_kabkota(c)],
                        dtype=np.int64)
    pos = {c: i for i, c in enumerate(net.region_codes)}
    wanted = list(regions)
    missing = [c for c in wanted if c not in pos]
    if missing:
        raise DiffusionError(f"regions: {missing[0]!r} has no account in G")
    return np.array([pos[c] for c in wanted], dtype=np.int64)


def _region_thresholds(sizes, q):
    ok = not isinstance(q, bool) and isinstance(q, (int, float, np.integer, np.floating))
    if not ok or not q > 0 or (q > 1 and q != int(q)):
        raise DiffusionError(f"q must be an integer >= 1 or a share in (0, 1), not {q!r}")
    if q < 1:
        return np.maximum(1, np.ceil(q * np.asarray(sizes) - 1e-12)).astype(np.int64)
    return np.full(len(sizes), int(q), dtype=np.int64)


def _result(net, model, seeds, out, q, regions=None):
    counts, spreads, tally, hist = out
    runs = spreads.size
    keep = _counted_regions(net, regions)
    tally = tally[:, keep]
    sizes = np.bincount(net.region_of[net.region_of >= 0],
                        minlength=len(net.region_codes))[keep]
    thr = _region_thresholds(sizes, q)
    activation = pd.Series(counts / runs, index=pd.Index(net.nodes, dtype=object),
                           name="p_active")
    share = (tally / np.maximum(sizes, 1)).mean(axis=0) if runs else sizes * 0.0
    reached = (tally >= thr).mean(axis=0)
    codes = [net.region_codes[i] for i in keep]
    reach = pd.DataFrame({"n_accounts": sizes, "share_reached": share, "p_reached": reached,
                          "threshold": thr}, index=pd.Index(codes, name="region"))
    last = np.flatnonzero(hist)
    hist = hist[: (last[-1] + 1 if last.size else 1)] / runs
    over_time = pd.DataFrame({"new": hist, "cumulative": np.cumsum(hist)},
                             index=pd.RangeIndex(hist.size, name="step"))
    return SpreadResult(model, seeds, spreads, activation, reach, over_time)


# ----------------------------------------------------------------------------------------
# numba kernels

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_INV53 = 1.0 / 9007199254740992.0


@njit(cache=True, inline="always")
def _rand(s):
    """splitmix64 step: new state and a uniform double in (0, 1]."""
    s = s + _GOLDEN
    z = s
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    z = z ^ (z >> np.uint64(31))
    return s, float((z >> np.uint64(11)) + np.uint64(1)) * _INV53


@njit(cache=True, inline="always")
def _fire(indptr, indices, prob, logq, rowp, rowlq, u, s, buf):
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
            s, x = _rand(s)
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
            s, x = _rand(s)
            skip = math.log(x) / logq[i]
            if skip >= end - i:
                break
            j = i + int(skip)
        else:
            j = i
        if prob[j] < qi:
            s, x = _rand(s)
            if x * qi > prob[j]:
                i = j + 1
                continue
        buf[m] = indices[j]
        m += 1
        i = j + 1
    return s, m


@njit(cache=True, parallel=True)
def _ic_kernel(indptr, indices, prob, logq, rowp, rowlq, set_ptr, set_nodes, run_seeds,
               region_of, max_steps, want_counts, c_out, h_out, spreads, regions):
    n = indptr.size - 1
    nch = c_out.shape[0]
    per_set = run_seeds.size
    runs = per_set * (set_ptr.size - 1)
    maxdeg = 1
    for u in range(n):
        maxdeg = max(maxdeg, indptr[u + 1] - indptr[u])
    for c in prange(nch):
        mark = np.zeros(n, dtype=np.int32)
        queue = np.empty(n, dtype=np.int32)
        buf = np.empty(maxdeg, dtype=np.int32)
        counts = c_out[c]
        hist = h_out[c]
        lo = c * runs // nch
        hi = (c + 1) * runs // nch
        for r in range(lo, hi):
            stamp = r - lo + 1
            s = run_seeds[r % per_set]
            seeds = set_nodes[set_ptr[r // per_set]:set_ptr[r // per_set + 1]]
            tail = 0
            for k in range(seeds.size):
                v = seeds[k]
                mark[v] = stamp
                queue[tail] = v
                tail += 1
            hist[0] += tail
            head = 0
            step = 0
            while head < tail and (max_steps < 0 or step < max_steps):
                level_end = tail
                step += 1
                while head < level_end:
                    u = queue[head]
                    head += 1
                    s, m = _fire(indptr, indices, prob, logq, rowp, rowlq, u, s, buf)
                    for t in range(m):
                        v = buf[t]
                        if mark[v] != stamp:
                            mark[v] = stamp
                            queue[tail] = v
                            tail += 1
                hist[step] += tail - level_end
            spreads[r] = tail
            for t in range(tail):
                v = queue[t]
                if want_counts:
                    counts[v] += 1
                g = region_of[v]
                if g >= 0:
                    regions[r, g] += 1


@njit(cache=True, parallel=True)
def _lt_kernel(indptr, indices, weights, set_ptr, set_nodes, run_seeds, region_of, max_steps,
               fixed_theta, theta_in, want_counts, c_out, h_out, spreads, regions):
    n = indptr.size - 1
    nch = c_out.shape[0]
    per_set = run_seeds.size
    runs = per_set * (set_ptr.size - 1)
    for c in prange(nch):
        # state[v] == 2 * stamp: touched in this run; 2 * stamp + 1: active. rem[v] is the
        # threshold minus the weight received so far (two arrays: fewer cache misses).
        state = np.zeros(n, dtype=np.int32)
        rem = np.zeros(n, dtype=np.float64)
        queue = np.empty(n, dtype=np.int32)
        counts = c_out[c]
        hist = h_out[c]
        lo = c * runs // nch
        hi = (c + 1) * runs // nch
        for r in range(lo, hi):
            touched = np.int32(2 * (r - lo + 1))
            active = np.int32(touched + 1)
            s = run_seeds[r % per_set]
            seeds = set_nodes[set_ptr[r // per_set]:set_ptr[r // per_set + 1]]
            tail = 0
            for k in range(seeds.size):
                v = seeds[k]
                if state[v] != active:
                    state[v] = active
                    queue[tail] = v
                    tail += 1
            hist[0] += tail
            head = 0
            step = 0
            while head < tail and (max_steps < 0 or step < max_steps):
                level_end = tail
                step += 1
                while head < level_end:
                    u = queue[head]
                    head += 1
                    for e in range(indptr[u], indptr[u + 1]):
                        v = indices[e]
                        st = state[v]
                        if st == active:
                            continue
                        if st != touched:
                            if fixed_theta:
                                rv = theta_in[v]
                            else:
                                s, x = _rand(s)
                                rv = 1.0 - x  # uniform on [0, 1)
                        else:
                            rv = rem[v]
                        rv -= weights[e]
                        if rv <= 1e-12:
                            state[v] = active
                            queue[tail] = v
                            tail += 1
                        else:
                            state[v] = touched
                            rem[v] = rv
                hist[step] += tail - level_end
            spreads[r] = tail
            for t in range(tail):
                v = queue[t]
                if want_counts:
                    counts[v] += 1
                g = region_of[v]
                if g >= 0:
                    regions[r, g] += 1


@njit(cache=True, parallel=True)
def _lt_live_kernel(rindptr, rsrc, rcum, uni, set_ptr, set_nodes, run_seeds, region_of,
                    max_steps, want_counts, c_out, h_out, spreads, regions):
    """LT through Kempe et al.'s live-edge equivalent: every account keeps in-edge (u, v) with
    probability b_uv (none with 1 - sum b); v is active at step t when the kept edges lead from
    a seed to v in t hops. Per run: sample all parents, bucket children, BFS from the seeds."""
    n = rindptr.size - 1
    nch = c_out.shape[0]
    per_set = run_seeds.size
    runs = per_set * (set_ptr.size - 1)
    for c in prange(nch):
        parent = np.empty(n, dtype=np.int32)
        cptr = np.empty(n + 2, dtype=np.int64)
        child = np.empty(n, dtype=np.int32)
        mark = np.zeros(n, dtype=np.int32)
        queue = np.empty(n, dtype=np.int32)
        counts = c_out[c]
        hist = h_out[c]
        lo = c * runs // nch
        hi = (c + 1) * runs // nch
        for r in range(lo, hi):
            stamp = r - lo + 1
            s = run_seeds[r % per_set]
            seeds = set_nodes[set_ptr[r // per_set]:set_ptr[r // per_set + 1]]
            cptr[:] = 0
            for v in range(n):
                a = rindptr[v]
                b = rindptr[v + 1]
                p = -1
                if a < b:
                    s, x = _rand(s)
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
            # now children of u are child[cptr[u]:cptr[u + 1]]
            tail = 0
            for k in range(seeds.size):
                v = seeds[k]
                if mark[v] != stamp:
                    mark[v] = stamp
                    queue[tail] = v
                    tail += 1
            hist[0] += tail
            head = 0
            step = 0
            while head < tail and (max_steps < 0 or step < max_steps):
                level_end = tail
                step += 1
                while head < level_end:
                    u = queue[head]
                    head += 1
                    for t in range(cptr[u], cptr[u + 1]):
                        v = child[t]
                        if mark[v] != stamp:
                            mark[v] = stamp
                            queue[tail] = v
                            tail += 1
                hist[step] += tail - level_end
            spreads[r] = tail
            for t in range(tail):
                v = queue[t]
                if want_counts:
                    counts[v] += 1
                g = region_of[v]
                if g >= 0:
                    regions[r, g] += 1


@njit(cache=True, parallel=True)
def _sir_kernel(indptr, indices, prob, logq, rowp, rowlq, gamma, set_ptr, set_nodes, run_seeds,
                region_of, max_steps, want_counts, c_out, h_out, spreads, regions):
    n = indptr.size - 1
    nch = c_out.shape[0]
    per_set = run_seeds.size
    runs = per_set * (set_ptr.size - 1)
    maxdeg = 1
    for u in range(n):
        maxdeg = max(maxdeg, indptr[u + 1] - indptr[u])
    for c in prange(nch):
        mark = np.zeros(n, dtype=np.int32)
        ever = np.empty(n, dtype=np.int32)
        cur = np.empty(n, dtype=np.int32)
        nxt = np.empty(n, dtype=np.int32)
        buf = np.empty(maxdeg, dtype=np.int32)
        counts = c_out[c]
        hist = h_out[c]
        lo = c * runs // nch
        hi = (c + 1) * runs // nch
        for r in range(lo, hi):
            stamp = r - lo + 1
            s = run_seeds[r % per_set]
            seeds = set_nodes[set_ptr[r // per_set]:set_ptr[r // per_set + 1]]
            n_ever = 0
            n_cur = 0
            for k in range(seeds.size):
                v = seeds[k]
                mark[v] = stamp
                ever[n_ever] = v
                n_ever += 1
                cur[n_cur] = v
                n_cur += 1
            hist[0] += n_ever
            step = 0
            while n_cur > 0 and (max_steps < 0 or step < max_steps):
                step += 1
                n_nxt = 0
                before = n_ever
                for a in range(n_cur):
                    u = cur[a]
                    s, m = _fire(indptr, indices, prob, logq, rowp, rowlq, u, s, buf)
                    for t in range(m):
                        v = buf[t]
                        if mark[v] != stamp:
                            mark[v] = stamp
                            ever[n_ever] = v
                            n_ever += 1
                    s, x = _rand(s)
                    if x > gamma:  # stays infected (P = 1 - gamma)
                        nxt[n_nxt] = u
                        n_nxt += 1
                for t in range(before, n_ever):
                    nxt[n_nxt] = ever[t]
                    n_nxt += 1
                hist[min(step, hist.size - 1)] += n_ever - before
                cur, nxt = nxt, cur
                n_cur = n_nxt
            spreads[r] = n_ever
            for t in range(n_ever):
                v = ever[t]
                if want_counts:
                    counts[v] += 1
                g = region_of[v]
                if g >= 0:
                    regions[r, g] += 1
