"""Influencer selection: which accounts to partner with so that content reaches people and regions.

Works on the information-flow direction like :mod:`kopiresearch.diffusion`: an interaction edge
``u -> v`` (u engaged v) lets v's content reach u.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import math
from dataclasses import dataclass, field
from statistics import NormalDist

import networkx as nx
import numba
import numpy as np
import pandas as pd
from numba import njit, prange

from ._docs import fill_doc
from ._engine import (
    check_int,
    counted_regions,
    fire,
    max_out_degree,
    prepare,
    push,
    rand,
    region_thresholds,
    run_batches,
    seed_indices,
    use_progress,
)
from ._random import resolve_rng, stream_seeds
from .errors import DiffusionError
from .regions import is_kabkota

__all__ = ["select_seeds", "select_seeds_robust", "evaluate_seeds", "SeedSelection",
           "RobustSelection", "METHODS", "OBJECTIVES", "METHOD_OPTIONS", "STRATEGIES",
           "StrategyComparison", "compare_strategies", "seed_labels"]

#: Seed-selection methods of :func:`select_seeds`.
METHODS = ("followers", "degree", "pagerank", "celf", "imm")
#: Objectives of :func:`select_seeds`.
OBJECTIVES = ("spread", "regions", "region_share", "fair")
#: The options of :func:`select_seeds` that one method reads, with their defaults.
METHOD_OPTIONS = {
    "followers": {"followers": "followers"},
    "imm": {"eps": 0.1, "ell": 1.0, "rr_per_region": 2000, "max_rr_sets": 20_000_000,
            "chunk_sets": 50_000},
}
_METHOD_DEFAULTS = {name: value for options in METHOD_OPTIONS.values()
                    for name, value in options.items()}

@dataclass(frozen=True)
class SeedSelection:
    """What :func:`select_seeds` returns.

    Attributes
    ----------
    method, objective : str
        As requested.
    seeds : list
        The chosen accounts in the order they were picked.
    table : pandas.DataFrame
        One row per seed (index ``rank`` from 1): ``node``, ``gain`` (estimated marginal gain
        of the objective when the seed is added to those above it and ``fixed``) and
        ``objective`` (estimated objective of the seeds up to this row plus ``fixed``).
    value : float
        Estimated objective of all seeds plus ``fixed``.
    base : float
        Estimated objective of ``fixed`` alone (0 without ``fixed`` for ``spread``).
    info : dict
        Estimator details: ``runs`` (Monte Carlo) or ``rr_sets`` and ``lower_bound`` (IMM).
    """

    method: str
    objective: str
    seeds: list
    table: pd.DataFrame = field(repr=False)
    value: float
    base: float
    info: dict = field(default_factory=dict, repr=False)


def select_seeds(G, k: int, method: str = "imm", *, candidates=None, fixed=None,
                 objective: str = "spread", q: float = 1, regions=None, model: str = "ic",
                 p: float | None = None, probability: str = "uniform", weight: str = "weight",
                 direction: str = "interaction", region: str = "region_code",
                 runs: int = 1000, seed=None, progress: bool | None = None, client=None,
                 **method_options) -> SeedSelection:
    """Choose ``k`` seed accounts that maximise reach, regional reach or the weakest region.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        Interaction graph (edges actor -> account engaged) or, with ``direction="flow"``, a
        graph whose edges point where content flows.
    k : int
        Number of seeds to choose (>= 1, at most the number of candidates).
    method : {"followers", "degree", "pagerank", "celf", "imm"}
        ``"followers"``: largest node attribute ``followers`` (missing last). ``"degree"``:
        most flow out-neighbours (accounts that engaged with the account). ``"pagerank"``:
        PageRank of the interaction graph (weights from ``weight``). ``"celf"``: lazy greedy
        on Monte-Carlo estimates (Leskovec et al. 2007). ``"imm"``: reverse-influence sampling
        (Tang, Shi & Xiao 2015).
    candidates : iterable of nodes, optional
        Only these accounts may be chosen (for example the influencers). Default: all.
    fixed : iterable of nodes, optional
        Accounts that post anyway (the government offices): they are seeded in every
        estimate, never chosen, and gains are measured on top of them.
    objective : {"spread", "regions", "region_share", "fair"}
        ``"spread"``: expected number of active accounts. ``"regions"``: expected number of
        regions with at least ``q`` active accounts. ``"region_share"``: mean over regions of
        the expected share of the region's accounts that are active. ``"fair"``: the smallest
        such expected share over regions (max-min).
    q : int or float
        Region threshold for ``"regions"`` (count >= 1, or share in (0, 1)).
    regions : iterable, optional
        Region codes that count; default every value of the node attribute ``region`` that
        names a kabupaten/kota (:func:`kopiresearch.regions.is_kabkota`: not the
        province-wide ``"35"``, not ``"unknown"``).
    model : {"ic", "lt"}
        Diffusion model (see :func:`kopiresearch.diffusion.simulate`).
    p, probability, weight, direction, region
        Edge probabilities and region attribute as in :func:`~kopiresearch.diffusion.simulate`.
    runs : int
        Monte-Carlo runs per estimate (CELF and the gains reported for the baselines).
    seed : int or numpy.random.Generator, optional
        Source of randomness (same seed, same seeds).
    progress : bool, optional
        Progress bar for CELF (see :func:`~kopiresearch.diffusion.simulate`).
    client : distributed.Client, optional
        IMM only: generate the reverse-reachable sets on the workers of this Dask client
        (``pip install kopiresearch[scale]``). The client draws every set's root and random
        stream in the in-process order and the workers build the sets from them, so the
        selection is identical to the in-process one for the same ``seed``, whatever the
        number of workers or ``chunk_sets``.
    **method_options
        Options that one method reads (:data:`METHOD_OPTIONS` has their defaults; another
        method ignores them, so one set of options can serve several methods):

        - ``followers`` (str, ``method="followers"``): the node attribute to rank by.
        - ``eps``, ``ell`` (float, IMM): the result is within ``1 - 1/e - eps`` of the
          optimum with probability at least ``1 - 1/n**ell``.
        - ``rr_per_region`` (int, IMM with ``objective="fair"``): reverse-reachable sets per
          region.
        - ``max_rr_sets`` (int, IMM): upper limit on the sample; when reached,
          ``info["capped"]`` is True and the guarantee no longer holds.
        - ``chunk_sets`` (int, IMM with ``client``): RR sets per Dask task (>= 1).

    Returns
    -------
    SeedSelection
        ``.seeds`` in order, ``.table`` with each seed's marginal gain, ``.value``.

    Raises
    ------
    DiffusionError
        Unknown method or objective, ``k`` out of range, candidates or fixed nodes not in
        ``G``, an objective/method combination that is not supported (IMM with ``q > 1``,
        the SIR model), no region to count.

    See Also
    --------
    select_seeds_robust : replicate selections, a stability table and a recommendation with
        confidence intervals from independent evaluation runs.
    evaluate_seeds : any seed sets on common Monte-Carlo runs, with confidence intervals.

    Notes
    -----
    Submodularity and guarantees. Under IC and LT, ``spread`` is monotone and submodular
    (Kempe et al. 2003), and so are ``region_share`` (a spread with node weights
    1 / size of the node's region) and ``regions`` with ``q = 1`` (a region is reached when
    any live-edge path from the seeds enters it: a coverage function in every live-edge
    world). For these, CELF keeps greedy's ``1 - 1/e`` factor up to Monte-Carlo error, and
    IMM gives ``1 - 1/e - eps`` with probability ``1 - 1/n**ell``; with ``fixed`` the
    guarantee is on the total objective ``f(S + fixed)``. The final IMM sample is drawn afresh,
    independent of the sample that estimated the lower bound (the correction of Chen 2018).

    IMM's sample sizes (lambda' of the lower-bound phase and lambda* of the final sample in
    Tang et al. 2015) use ``log C(c, k)``, with ``c`` the number of candidates left after
    removing ``fixed``, where the paper has ``log C(n, k)``. This is a valid tightening, not
    an approximation: the term comes from a union bound over every size-``k`` set the greedy
    step could return, so that all their RR-set estimates are accurate at once. Restricted to
    the candidates (``fixed`` is added to every set), only the ``C(c, k) <= C(n, k)`` subsets
    of the candidates can be returned, and the optimum the guarantee refers to is the best of
    them; the same analysis over this smaller family gives the same ``1 - 1/e - eps``
    guarantee with probability ``1 - 1/n**ell`` from fewer RR sets. With every node a
    candidate it is the paper's bound.

    ``regions`` with ``q > 1`` is not submodular: CELF then runs as a lazy greedy heuristic
    without guarantee, and IMM refuses it. ``fair`` (max-min) is not submodular either: IMM
    draws ``rr_per_region`` reverse-reachable sets rooted uniformly in each region and runs the
    saturation heuristic of Krause et al. (2008) with the budget ``k`` (binary search on the
    target share c, lazy greedy on the submodular ``sum_R min(share_R, c)``, which counts
    coverage only in regions still below c); CELF runs a plain greedy on the Monte-Carlo
    minimum and breaks ties in it in leximin order (the candidate that most raises the
    regions that are behind, so that steps which cannot yet move the minimum, while some
    region is unreached, go to new regions). Neither has a guarantee with exactly ``k`` seeds.
    The baselines have no guarantee. Reported gains and values are estimates from the method's
    own sample (RR-set coverage or ``runs`` Monte-Carlo runs; for IMM's ``fair``, a fresh
    RR sample).

    References
    ----------
    Kempe, D., Kleinberg, J. & Tardos, E. (2003). Maximizing the spread of influence through a
    social network. KDD '03. doi:10.1145/956750.956769.
    Leskovec, J., Krause, A., Guestrin, C., Faloutsos, C., VanBriesen, J. & Glance, N. (2007).
    Cost-effective outbreak detection in networks. KDD '07. doi:10.1145/1281192.1281239.
    Tang, Y., Shi, Y. & Xiao, X. (2015). Influence maximization in near-linear time: a
    martingale approach. SIGMOD '15. doi:10.1145/2723372.2723734.
    Chen, W. (2018). An issue in the martingale analysis of the influence maximization
    algorithm IMM. CSoNet 2018. doi:10.1007/978-3-030-04648-4_24.
    Krause, A., McMahan, H. B., Guestrin, C. & Gupta, A. (2008). Robust submodular observation
    selection. JMLR 9, 2761-2801.

    Examples
    --------
    Two stars in the flow direction: the hubs are the best pair.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("h1", i) for i in range(5)] + [("h2", i) for i in range(5, 8)])
    >>> sel = select_seeds(G, 2, "imm", p=1.0, direction="flow", seed=1)
    >>> sel.seeds, round(sel.value, 1)
    (['h1', 'h2'], 10.0)
    >>> sel.table.round(0)
         node  gain  objective
    rank
    1      h1   6.0        6.0
    2      h2   4.0       10.0
    """
    unknown = [name for name in method_options if name not in _METHOD_DEFAULTS]
    if unknown:
        raise TypeError(f"select_seeds() got an unexpected keyword argument {unknown[0]!r}")
    options = {**_METHOD_DEFAULTS, **method_options}
    return _select_seeds(G, k, method, candidates=candidates, fixed=fixed, objective=objective,
                         q=q, regions=regions, model=model, p=p, probability=probability,
                         weight=weight, direction=direction, region=region, runs=runs,
                         seed=seed, progress=progress, client=client, **options)


@dataclass(frozen=True)
class RobustSelection:
    """What :func:`select_seeds_robust` returns: a recommendation with its uncertainty.

    Attributes
    ----------
    method, objective : str
        As requested.
    seeds : list
        The recommended accounts, most often chosen first: of the consensus (the ``k``
        accounts chosen in most replicates) and the replicates' own sets, the one with the
        best objective on the screening runs (``info["source"]`` says which).
    value : float
        Objective of ``seeds`` plus ``fixed`` on the evaluation runs (independent of the
        selections' samples and of the screening runs).
    ci : tuple of float
        Confidence interval of ``value`` at ``level``.
    base, base_ci : float, tuple of float
        The same for ``fixed`` alone (0 without ``fixed`` for ``spread``).
    level : float
        Confidence level of every interval.
    picks : pandas.DataFrame
        One row per recommended seed (index ``rank`` from 1): ``node``; ``frequency`` (share
        of replicates that chose it); ``gain``, ``gain_low``, ``gain_high`` (what the
        objective loses when the seed is left out of the recommendation, with its interval);
        ``alternative`` (the runner-up that replaces it best, or None), ``swap_loss``,
        ``swap_low``, ``swap_high`` (what the objective loses with that replacement;
        negative when the alternative does better);
        ``interchangeable`` (True when ``gain_low <= 0`` or ``swap_low <= 0``: leaving the
        seed out, or swapping it for the alternative, makes no difference the evaluation
        can detect).
    stability : pandas.DataFrame
        One row per account chosen in at least one replicate (index ``node``), most often
        chosen first: ``chosen`` (number of replicates), ``frequency`` (share of
        replicates), ``mean_rank`` (mean position in the replicates that chose it) and
        ``recommended``.
    replicates : pandas.DataFrame
        One row per replicate selection (index ``replicate`` from 1): ``seed`` (its random
        seed), ``estimate`` (the selection's own estimate of its objective), ``screening``
        (its objective on the screening runs), ``value``, ``low``, ``high`` (its objective on
        the evaluation runs) and ``shared`` (seeds in common with the recommendation).
    selections : tuple of SeedSelection
        The replicate selections.
    info : dict
        ``replicates``, ``eval_runs``, ``source`` (``"consensus"`` or ``"replicate i"``),
        ``consensus`` (the ``k`` most frequent accounts) and ``consensus_screening`` (their
        objective on the screening runs), ``alternatives`` (runners-up tried as swaps) and
        ``interval`` (``"normal"`` or ``"bootstrap"``).
    """

    method: str
    objective: str
    seeds: list
    value: float
    ci: tuple
    base: float
    base_ci: tuple
    level: float
    picks: pd.DataFrame = field(repr=False)
    stability: pd.DataFrame = field(repr=False)
    replicates: pd.DataFrame = field(repr=False)
    selections: tuple = field(repr=False)
    info: dict = field(default_factory=dict, repr=False)

    def summary(self) -> pd.Series:
        """The recommendation in one row.

        Returns
        -------
        pandas.Series
            ``value``, ``low``, ``high``; ``replicates``; ``source``; ``always`` (picks
            chosen in every replicate); ``interchangeable`` (picks marked so);
            ``shared_min`` and ``shared_median`` (accounts a replicate's set has in common
            with the recommendation, over replicates).
        """
        shared = self.replicates["shared"]
        return pd.Series({"value": self.value, "low": self.ci[0], "high": self.ci[1],
                         "replicates": len(self.replicates), "source": self.info["source"],
                         "always": int((self.picks["frequency"] == 1).sum()),
                         "interchangeable": int(self.picks["interchangeable"].sum()),
                         "shared_min": int(shared.min()),
                         "shared_median": float(shared.median())}, dtype=object)


#: Inside :func:`_one_graph`: the network arrays of every (graph, options) prepared so far.
_PREPARED = contextvars.ContextVar("kopiresearch_seeding_prepared", default=None)


def _prepare(G, **options):
    """:func:`~kopiresearch._engine.prepare`, once per graph and options inside
    :func:`_one_graph` (every call of ``prepare`` re-reads the edge and node attributes, in
    case they were edited in place: ~10 ms on the bundled graph, 60 times in notebook 04)."""
    memo = _PREPARED.get()
    if memo is None:
        return prepare(G, **options)
    key = (id(G), tuple(sorted(options.items())))
    hit = memo.get(key)
    if hit is None or hit[0] is not G:
        hit = memo[key] = (G, prepare(G, **options))
    return hit[1]


@contextlib.contextmanager
def _one_graph():
    """The graph cannot change during one call of :func:`select_seeds_robust` or
    :func:`compare_strategies` (their replicates and evaluations all prepare it): convert it
    once (:func:`_prepare`)."""
    token = _PREPARED.set({}) if _PREPARED.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _PREPARED.reset(token)


@fill_doc
@_one_graph()
def select_seeds_robust(G, k: int, method: str = "imm", *, replicates: int = 10,
                        eval_runs: int = 5000, level: float = 0.95, alternatives: int = 5,
                        seed=None, **options) -> RobustSelection:
    """Choose ``k`` seeds that hold up across replicate selections, with confidence intervals.

    Runs :func:`select_seeds` ``replicates`` times with independent random seeds, counts how
    often each candidate is chosen (the stability table), screens the consensus (the ``k``
    chosen most often) against every replicate's set on one batch of Monte-Carlo runs,
    recommends the best, and reports its value, each replicate's value and every pick's
    contribution, with confidence intervals, on a second, independent batch of runs.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        As in :func:`select_seeds`.
    k : int
        Number of seeds.
    method : {"followers", "degree", "pagerank", "celf", "imm"}
        As in :func:`select_seeds`; the baselines do not depend on the seed, so one
        selection stands for every replicate and only the evaluation is added.
    replicates : int
        Number of replicate selections (>= 1).
    eval_runs : int
        Monte-Carlo runs of the screening and of the evaluation, each (>= 2); within each,
        every set is evaluated on the same runs.
    level : float
        Confidence level of the intervals, in (0, 1).
    alternatives : int
        How many runners-up (the accounts chosen most often after the recommendation) are
        tried as replacements of each pick (>= 0).
    seed : int or numpy.random.Generator, optional
        Source of randomness: it draws one seed per replicate, one for the screening runs
        and one for the evaluation runs (same seed, same result).
    **options
        Keyword arguments of :func:`select_seeds` (``objective``, ``candidates``, ``fixed``,
        ``q``, ``regions``, ``model``, ``p``, ``probability``, ``weight``, ``direction``,
        ``region``, ``eps``, ``runs``, ``rr_per_region``, ...). The evaluation uses the same
        objective, fixed accounts, diffusion model and probabilities.

    Returns
    -------
    RobustSelection
        ``.seeds``, ``.value`` with ``.ci``, and the tables ``.picks``, ``.stability`` and
        ``.replicates``.

    Raises
    ------
    DiffusionError
        ``replicates``, ``eval_runs``, ``alternatives`` or ``level`` out of range, an
        unknown option, and every error of :func:`select_seeds`.

    See Also
    --------
    select_seeds : one selection.
    evaluate_seeds : the evaluation used here, for any named seed sets.

    Notes
    -----
    A single run of a randomised selection (IMM's reverse-reachable sets, CELF's Monte-Carlo
    estimates) is one draw: near-tied candidates swap places from seed to seed, and the
    selection's own estimates of its gains reuse the sample that chose them, so they are
    optimistic (the winner's curse). Here the replicates use seeds drawn from ``seed``, and
    the screening and the evaluation draw their own runs from two further seeds.

    The consensus, the ``k`` accounts chosen in most replicates (ties: better mean rank, then
    graph order), is a bagging-style majority vote (Breiman 1996) and is robust to the
    run-to-run noise of one selection when the objective adds up over accounts (``spread``,
    ``region_share``). For ``fair`` it need not be: the weakest region depends on the
    combination, and the most frequent accounts can come from different combinations. So the
    consensus competes with every replicate's own set on the screening runs, and the best
    point estimate wins (the consensus wins ties). Choosing on the screening runs biases
    their estimates upwards; the reported value and intervals therefore come from the
    evaluation runs, which played no part in the choice. Every interval is computed on
    common random numbers (the same run seeds for every set, as
    :func:`kopiresearch.diffusion.simulate` with one ``seed``; a set's seeds are taken in
    graph order, so a set gets the same runs whichever replicate named it), so differences
    between sets are paired: ``gain`` is ``f(R) - f(R without the pick)`` and ``swap_loss`` is
    ``f(R) - f(R with the pick replaced by the alternative)``, where R is the
    recommendation plus ``fixed``. For ``spread``, ``regions`` and ``region_share`` the
    objective is a mean over runs and the interval is the normal one, mean +- z s / sqrt(runs)
    (of the per-run differences for gains). For ``fair`` (the smallest mean share over
    regions, not a mean over runs) it is the percentile bootstrap over runs (Efron &
    Tibshirani 1993; 1000 resamples, the same resamples for every set). The alternative of a
    pick is the runner-up with the best point estimate, so ``swap_loss`` is biased low (a
    maximum of noisy estimates): ``interchangeable`` errs towards saying a pick could be
    replaced.

    References
    ----------
    {{kempe2003_tang2015}}
    Breiman, L. (1996). Bagging predictors. Machine Learning 24, 123-140.
    doi:10.1007/BF00058655.
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
    doi:10.1201/9780429246593.

    Examples
    --------
    Three stars in the flow direction: h1 reaches five accounts, h2 and h3 three each. h1 is
    chosen in every replicate; h2 and h3 are equally good, so the replicates split between
    them and the second pick is marked interchangeable (swapping it for h3 loses nothing).

    >>> import networkx as nx
    >>> G = nx.DiGraph([("h1", i) for i in range(5)] + [("h2", i) for i in range(5, 8)]
    ...                + [("h3", i) for i in range(8, 11)])
    >>> rob = select_seeds_robust(G, 2, p=0.5, direction="flow", replicates=6,
    ...                           eval_runs=4000, seed=1)
    >>> rob.seeds, round(rob.value, 1), [round(x, 1) for x in rob.ci]
    (['h1', 'h2'], 6.0, [6.0, 6.1])
    >>> rob.stability.round(2)
          chosen  frequency  mean_rank  recommended
    node
    h1         6       1.00        1.0         True
    h2         4       0.67        2.0         True
    h3         2       0.33        2.0        False
    >>> rob.picks[["node", "gain", "gain_low", "alternative", "swap_loss",
    ...            "interchangeable"]].round(1)
         node  gain  gain_low alternative  swap_loss  interchangeable
    rank
    1      h1   3.5       3.5          h3        1.0            False
    2      h2   2.5       2.5          h3        0.0             True
    >>> rob.summary()[["source", "always", "interchangeable", "shared_min"]].to_dict()
    {'source': 'consensus', 'always': 1, 'interchangeable': 1, 'shared_min': 1}
    """
    replicates = check_int(replicates, "replicates", 1)
    eval_runs = check_int(eval_runs, "eval_runs", 2)
    alternatives = check_int(alternatives, "alternatives", 0)
    level = _check_level(level)
    opts = _select_options(options)
    rng = resolve_rng(seed, error=DiffusionError)
    streams = rng.integers(0, 2**63 - 1, size=replicates + 2, dtype=np.int64)
    used = [int(s) for s in streams[:-2]]
    if method in ("followers", "degree", "pagerank"):  # the order does not depend on seed
        used = used[:1] * replicates
        sels = (select_seeds(G, k, method, seed=used[0], **options),) * replicates
    else:
        sels = tuple(select_seeds(G, k, method, seed=s, **options) for s in used)
    objective = opts["objective"]
    # screening runs choose between the consensus and the replicate sets ...
    screen = _Evaluator(G, opts, eval_runs, level, np.random.default_rng(int(streams[-2])))
    stab = _stability(sels, screen.net)
    consensus = list(stab.index[:k])
    options_sets = [consensus] + [list(sel.seeds) for sel in sels]
    keys = [screen.key(c, canonical=True) for c in options_sets]
    screen.run(keys)
    if objective == "fair":
        screen.resample(keys)
    screened = [screen.estimate(key, objective)[0] for key in keys]
    chosen = int(np.argmax(screened))  # first maximum: the consensus wins ties
    position = {u: i for i, u in enumerate(stab.index)}
    rec = sorted(options_sets[chosen], key=position.__getitem__)
    stab["recommended"] = stab.index.isin(rec)
    del screen
    # ... and independent evaluation runs report on the choice
    ev = _Evaluator(G, opts, eval_runs, level, np.random.default_rng(int(streams[-1])))
    full = ev.key(rec, canonical=True)
    alts = [u for u in stab.index if u not in set(rec)][:alternatives]
    swaps = {(i, c): ev.key([c if j == i else u for j, u in enumerate(rec)], canonical=True)
             for i in range(k) for c in alts}
    drops = [ev.key(rec[:i] + rec[i + 1:], canonical=True) for i in range(k)]
    reps = [ev.key(s.seeds, canonical=True) for s in sels]
    todo = [full, ev.key([]), *drops, *swaps.values(), *reps]
    ev.run(todo)
    if objective == "fair":
        ev.resample(todo)
    rows = []
    for i, u in enumerate(rec):
        gain = ev.difference(full, drops[i], objective)
        best = None
        for c in alts:
            v = ev.estimate(swaps[i, c], objective)[0]
            if best is None or v > best[1]:
                best = (c, v)
        swap = ev.difference(full, swaps[i, best[0]], objective) if best else (np.nan,) * 3
        rows.append({"node": u, "frequency": stab.at[u, "frequency"], "gain": gain[0],
                    "gain_low": gain[1], "gain_high": gain[2],
                    "alternative": best[0] if best else None, "swap_loss": swap[0],
                    "swap_low": swap[1], "swap_high": swap[2],
                    "interchangeable": bool(gain[1] <= 0 or swap[1] <= 0)})
    picks = pd.DataFrame(rows, index=pd.RangeIndex(1, k + 1, name="rank"))
    picks["node"] = picks["node"].astype(object)
    picks["alternative"] = picks["alternative"].astype(object)
    rep = pd.DataFrame(
        [{"seed": s, "estimate": sel.value, "screening": screened[i + 1],
         **dict(zip(("value", "low", "high"), ev.estimate(key, objective))),
         "shared": len(set(sel.seeds) & set(rec))}
         for i, (s, sel, key) in enumerate(zip(used, sels, reps))],
        index=pd.RangeIndex(1, replicates + 1, name="replicate"))
    value, lo, hi = ev.estimate(full, objective)
    base, blo, bhi = ev.estimate(ev.key([]), objective)
    return RobustSelection(method, objective, rec, value, (lo, hi), base, (blo, bhi), level,
                           picks, stab, rep, sels,
                           {"replicates": replicates, "eval_runs": eval_runs,
                            "source": "consensus" if chosen == 0 else f"replicate {chosen}",
                            "consensus": consensus, "consensus_screening": screened[0],
                            "alternatives": alts,
                            "interval": "bootstrap" if objective == "fair" else "normal"})


def evaluate_seeds(G, seed_sets, *, fixed=None, baseline: str | None = "fixed alone",
                   q: float = 1, regions=None, left_behind: float | None = None,
                   model: str = "ic", p: float | None = None, probability: str = "uniform",
                   weight: str = "weight", direction: str = "interaction",
                   region: str = "region_code", runs: int = 5000, level: float = 0.95,
                   seed=None) -> pd.DataFrame:
    """Evaluate named seed sets on the same Monte-Carlo runs, every objective with its interval.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        As in :func:`select_seeds`.
    seed_sets : mapping
        Name -> seeds (an iterable of nodes, a :class:`SeedSelection` or a
        :class:`RobustSelection`). Each is evaluated together with ``fixed``.
    fixed : iterable of nodes, optional
        Accounts that post in every set (the government offices).
    baseline : str or None
        Name of an added first row for ``fixed`` alone; None leaves it out.
    q, regions
        Region threshold and the regions that count, as in :func:`select_seeds`.
    left_behind : float, optional
        Also count the regions whose expected share reached is below this share.
    model, p, probability, weight, direction, region
        As in :func:`kopiresearch.diffusion.simulate`.
    runs : int
        Monte-Carlo runs (>= 2), the same for every set.
    level : float
        Confidence level of the intervals, in (0, 1).
    seed : int or numpy.random.Generator, optional
        Source of randomness. The runs are those of
        ``simulate(G, fixed + seeds, seed=seed, runs=runs, ...)`` for every set.

    Returns
    -------
    pandas.DataFrame
        One row per set (index ``set``), each objective of :func:`select_seeds` with its
        interval: ``spread``, ``spread_low``, ``spread_high``; ``extra``, ``extra_low``,
        ``extra_high`` (spread minus that of ``fixed`` alone, paired over runs);
        ``regions``, ``region_share`` and ``fair`` (the weakest region's share) with their
        ``_low`` and ``_high``; ``weakest`` (the region with the smallest share); with
        ``left_behind``, ``left_behind`` (regions under that share). Region columns are
        missing values when no node has a region.

    Raises
    ------
    DiffusionError
        ``seed_sets`` not a mapping, a name equal to ``baseline``, a seed or fixed account
        not in ``G``, ``runs`` or ``level`` out of range, and the errors of
        :func:`~kopiresearch.diffusion.simulate`.

    See Also
    --------
    select_seeds_robust : recommendation from replicate selections, evaluated this way.
    kopiresearch.diffusion.simulate : one set, with per-account and per-step results.

    Notes
    -----
    Means over runs (``spread``, ``extra``, ``regions``, ``region_share``) get the normal
    interval, mean +- z s / sqrt(runs); ``fair``, the minimum over regions of the mean share,
    gets the percentile bootstrap over runs (Efron & Tibshirani 1993; 1000 resamples, the
    same resamples for every set, regions more than 6 standard errors above the minimum left
    out of the resampled minimum). The plug-in minimum of noisy regional means is biased
    low by a little when several regions are close to the weakest. Sets whose intervals do not
    overlap differ at least at the given level; the paired ``extra`` is sharper than
    comparing two ``spread`` intervals.

    References
    ----------
    Kempe, D., Kleinberg, J. & Tardos, E. (2003). Maximizing the spread of influence through a
    social network. KDD '03. doi:10.1145/956750.956769.
    Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
    doi:10.1201/9780429246593.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("h1", i) for i in range(5)] + [("h2", i) for i in range(5, 8)])
    >>> t = evaluate_seeds(G, {"hub": ["h1"], "both": ["h1", "h2"]}, baseline=None, p=0.5,
    ...                    direction="flow", runs=4000, seed=1)
    >>> t[["spread", "spread_low", "spread_high"]].round(1)
          spread  spread_low  spread_high
    set
    hub      3.5         3.4          3.5
    both     6.0         5.9          6.0
    """
    if not hasattr(seed_sets, "items"):
        raise DiffusionError("seed_sets must be a mapping: name -> seeds")
    if baseline is not None and baseline in seed_sets:
        raise DiffusionError(f"seed_sets: {baseline!r} is the name of the baseline row")
    runs = check_int(runs, "runs", 2)
    level = _check_level(level)
    opts = {"fixed": fixed, "q": q, "regions": regions, "model": model, "p": p,
            "probability": probability, "weight": weight, "direction": direction,
            "region": region, "objective": "spread"}
    ev = _Evaluator(G, opts, runs, level, resolve_rng(seed, error=DiffusionError))
    names = ([] if baseline is None else [baseline]) + list(seed_sets)
    keys = {name: ev.key([]) for name in names[:1] if baseline is not None}
    for name, value in seed_sets.items():
        seeds = getattr(value, "seeds", value)
        keys[name] = ev.key(seed_indices(ev.net, seeds, f"seed_sets[{name!r}]",
                                         allow_empty=True), nodes=False)
    ev.run([*keys.values(), ev.key([])])
    has_regions = bool(ev.obj.codes)
    if has_regions:
        ev.resample([*keys.values(), ev.key([])])
    rows = []
    for name in names:
        key = keys[name]
        row = dict(zip(("spread", "spread_low", "spread_high"), ev.estimate(key, "spread")))
        row.update(zip(("extra", "extra_low", "extra_high"),
                   ev.difference(key, ev.key([]), "spread")))
        for obj in ("regions", "region_share", "fair"):
            est = ev.estimate(key, obj) if has_regions else (np.nan,) * 3
            row.update(zip((obj, f"{obj}_low", f"{obj}_high"), est))
        shares = ev.shares(key)
        row["weakest"] = ev.obj.codes[int(np.argmin(shares))] if has_regions else None
        if left_behind is not None:
            row["left_behind"] = int((shares < float(left_behind)).sum())
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(names, name="set", dtype=object))


def _select_seeds(G, k, method, *, candidates, fixed, objective, q, regions, model, p,
                  probability, weight, direction, region, followers, eps, ell, runs,
                  rr_per_region, max_rr_sets, seed, progress, client, chunk_sets):
    """:func:`select_seeds`; with ``client``, IMM's reverse-reachable sets are generated on
    Dask workers (the backend of :class:`_RRSampler`)."""
    if method not in METHODS:
        raise DiffusionError(f"method must be one of {METHODS}, not {method!r}")
    rr_backend = None
    if client is not None:
        if method != "imm":
            raise DiffusionError(f"client= generates IMM's reverse-reachable sets; "
                                 f"method={method!r} runs in this process (omit client)")
        from .scale._runs import DaskRR

        rr_backend = functools.partial(DaskRR, client, check_int(chunk_sets, "chunk_sets", 1))
    if objective not in OBJECTIVES:
        raise DiffusionError(f"objective must be one of {OBJECTIVES}, not {objective!r}")
    if model not in ("ic", "lt"):
        raise DiffusionError(f"model must be 'ic' or 'lt' for seed selection, not {model!r}")
    net = _prepare(G, model=model, p=p, probability=probability, weight=weight,
                   direction=direction, region=region)
    n = len(net.nodes)
    fixed_idx = seed_indices(net, [] if fixed is None else fixed, "fixed", allow_empty=True)
    if candidates is None:
        cand = np.ones(n, dtype=bool)
    else:
        cand = np.zeros(n, dtype=bool)
        cand[seed_indices(net, candidates, "candidates")] = True
    cand[fixed_idx] = False
    k = check_int(k, "k", 1)
    if k > cand.sum():
        raise DiffusionError(f"k = {k} exceeds the {int(cand.sum())} candidates left")
    eps = float(eps)
    if not 0 < eps < 1:
        raise DiffusionError(f"eps must be in (0, 1), not {eps!r}")
    if not ell > 0:
        raise DiffusionError(f"ell must be > 0, not {ell!r}")
    runs = check_int(runs, "runs", 1)
    rng = resolve_rng(seed, error=DiffusionError)
    obj = _Objective(net, objective, q, regions)
    if method in ("followers", "degree", "pagerank"):
        order = _baseline_order(G, net, method, cand, followers=followers, weight=weight,
                                direction=direction)
        chosen = list(order[:k])
        mc = _MonteCarlo(net, model, obj, fixed_idx, runs, rng)
        values = [mc.value(chosen[:i]) for i in range(k + 1)]
        info = {"runs": runs}
    elif method == "celf":
        mc = _MonteCarlo(net, model, obj, fixed_idx, runs, rng)
        chosen, values = _celf(mc, cand, k, lazy=obj.submodular, progress=progress)
        info = {"runs": runs}
    else:
        if not obj.submodular and objective != "fair":
            raise DiffusionError("IMM needs a submodular objective: use q = 1 or method='celf'")
        check_int(rr_per_region, "rr_per_region", 1)
        chosen, values, info = _imm(net, model, obj, cand, fixed_idx, k, eps, float(ell), rng,
                                    rr_per_region, check_int(max_rr_sets, "max_rr_sets", 1),
                                    rr_backend)
    seeds = [net.nodes[i] for i in chosen]
    vals = np.asarray(values, dtype=float)
    node_col = np.array([*seeds, None], dtype=object)[:-1]
    table = pd.DataFrame({"node": node_col, "gain": np.diff(vals), "objective": vals[1:]},
                         index=pd.RangeIndex(1, k + 1, name="rank"))
    return SeedSelection(method, objective, seeds, table, float(vals[-1]), float(vals[0]),
                         {"model": model, **info})


# ----------------------------------------------------------------------------------------
# objectives


class _Objective:
    def __init__(self, net, name, q, regions):
        self.name = name
        n = len(net.nodes)
        keep = [int(i) for i in counted_regions(net, regions)]
        self.codes = [net.region_codes[i] for i in keep]
        remap = np.full(max(len(net.region_codes), 1), -1, dtype=np.int32)
        remap[keep] = np.arange(len(keep), dtype=np.int32)
        self.region_of = np.where(net.region_of >= 0, remap[np.maximum(net.region_of, 0)], -1)
        self.region_of = self.region_of.astype(np.int32)
        self.keep = np.array(keep, dtype=np.int64)
        if name != "spread" and not self.codes:
            raise DiffusionError(f"objective {name!r} needs nodes with attribute regions")
        self.sizes = np.bincount(self.region_of[self.region_of >= 0], minlength=len(keep))
        self.thr = region_thresholds(self.sizes, q) if len(keep) else np.zeros(0, int)
        self.submodular = name in ("spread", "region_share") or (
            name == "regions" and bool((self.thr == 1).all()))
        self.n = n

    def from_runs(self, spreads, reg):
        """Objective from Monte-Carlo output (per-run spreads and region counts)."""
        if self.name == "spread":
            return float(spreads.mean())
        counts = reg[:, self.keep]
        if self.name == "regions":
            return float((counts >= self.thr).sum(axis=1).mean())
        share = counts / self.sizes
        if self.name == "region_share":
            return float(share.mean())
        return float(share.mean(axis=0).min())


class _MonteCarlo:
    def __init__(self, net, model, obj, fixed_idx, runs, rng):
        self.net, self.model, self.obj, self.fixed = net, model, obj, fixed_idx
        self.run_seeds = stream_seeds(rng, runs)
        self.evaluations = 0

    def value(self, chosen):
        return self.values([chosen])[0]

    def values(self, sets, batch=64, shares=False):
        """Objective of fixed + each set (same random streams for every set); with ``shares``
        also the mean share reached in each counted region (array sets x regions)."""
        out = []
        runs = self.run_seeds.size
        n_reg = len(self.obj.codes)
        share_rows = np.zeros((len(sets), n_reg))
        for b in range(0, len(sets), batch):
            idx = [np.concatenate([self.fixed, np.asarray(c, dtype=np.int32)]).astype(np.int32)
                   for c in sets[b:b + batch]]
            todo = [i for i, x in enumerate(idx) if x.size]
            res = [0.0] * len(idx)
            if todo:
                self.evaluations += len(todo)
                _, spreads, reg, _ = run_batches(
                    self.net, self.model, None, self.run_seeds, -1, None, None, False,
                    sets=[idx[i] for i in todo], want_counts=False)
                for j, i in enumerate(todo):
                    part = reg[j * runs:(j + 1) * runs]
                    res[i] = self.obj.from_runs(spreads[j * runs:(j + 1) * runs], part)
                    if shares and n_reg:
                        share_rows[b + i] = (part[:, self.obj.keep] / self.obj.sizes).mean(0)
            out.extend(res)
        return (out, share_rows) if shares else out


# ----------------------------------------------------------------------------------------
# evaluation with intervals (select_seeds_robust, evaluate_seeds)

_N_BOOT = 1000  # bootstrap resamples of the fair objective's interval
_PRUNE_SE = 6.0  # regions this many standard errors above the weakest cannot be the minimum


def _check_level(level):
    try:
        v = float(level)
    except (TypeError, ValueError):
        raise DiffusionError(f"level must be in (0, 1), not {level!r}") from None
    if not 0 < v < 1:
        raise DiffusionError(f"level must be in (0, 1), not {level!r}")
    return v


def _select_options(options):
    """The keyword arguments of :func:`select_seeds` that ``options`` sets, checked, and the
    ones the evaluation needs with select_seeds' own defaults."""
    import inspect

    params = inspect.signature(select_seeds).parameters
    allowed = [name for name, prm in params.items()
               if prm.kind is inspect.Parameter.KEYWORD_ONLY and name != "seed"]
    allowed += list(_METHOD_DEFAULTS)
    for name in options:
        if name not in allowed:
            raise DiffusionError(f"{name!r} is not an option of select_seeds "
                                 f"(expected one of {', '.join(allowed)})")
    needed = ("objective", "fixed", "q", "regions", "model", "p", "probability", "weight",
              "direction", "region")
    return {name: options.get(name, params[name].default) for name in needed}


def _stability(sels, net):
    chosen, ranks = {}, {}
    for sel in sels:
        for r, u in enumerate(sel.seeds, 1):
            chosen[u] = chosen.get(u, 0) + 1
            ranks.setdefault(u, []).append(r)
    mean_rank = {u: float(np.mean(r)) for u, r in ranks.items()}
    nodes = sorted(chosen, key=lambda u: (-chosen[u], mean_rank[u], net.index[u]))
    return pd.DataFrame({"chosen": [chosen[u] for u in nodes],
                        "frequency": [chosen[u] / len(sels) for u in nodes],
                        "mean_rank": [mean_rank[u] for u in nodes]},
                        index=pd.Index(nodes, name="node", dtype=object))


class _Evaluator:
    """Monte-Carlo runs of seed sets on common random numbers, with intervals.

    The run seeds are drawn from ``rng`` exactly as :func:`kopiresearch.diffusion.simulate`
    draws them, so a set's runs are those of ``simulate(G, fixed + set, seed=...)``; the
    bootstrap resamples (for ``fair``) are drawn afterwards from the same generator.
    """

    def __init__(self, G, opts, runs, level, rng):
        if opts["model"] not in ("ic", "lt"):
            raise DiffusionError(f"model must be 'ic' or 'lt' for seed selection, not "
                                 f"{opts['model']!r}")
        self.net = _prepare(G, model=opts["model"], p=opts["p"],
                            probability=opts["probability"], weight=opts["weight"],
                            direction=opts["direction"], region=opts["region"])
        self.model = opts["model"]
        fixed = opts["fixed"]
        self.fixed = seed_indices(self.net, [] if fixed is None else fixed, "fixed",
                                  allow_empty=True)
        self.obj = _Objective(self.net, "spread", opts["q"], opts["regions"])
        self.run_seeds = stream_seeds(rng, runs)
        self.rng = rng
        self.level = level
        self.z = NormalDist().inv_cdf(0.5 + level / 2)
        self._runs = {}
        self._boot = None
        self._boot_min = {}

    def key(self, seeds, nodes=True, canonical=False):
        """Fixed accounts then ``seeds`` (nodes or, with ``nodes=False``, indices), without
        repeats, in that order: the seed order of ``simulate(G, fixed + seeds)``. With
        ``canonical``, ``seeds`` in graph order, so that a set has the same runs whatever
        order it was listed in."""
        idx = [self.net.index[u] for u in seeds] if nodes else [int(i) for i in seeds]
        if canonical:
            idx = sorted(idx)
        return tuple(dict.fromkeys([*map(int, self.fixed), *idx]))

    def run(self, keys, batch=64):
        todo = [key for key in dict.fromkeys(keys) if key not in self._runs]
        runs = self.run_seeds.size
        n_reg = self.obj.keep.size
        for b in range(0, len(todo), batch):
            part = todo[b:b + batch]
            for key in part:
                if not key:
                    self._runs[key] = (np.zeros(runs, np.int64), np.zeros((runs, n_reg), np.int32))
            part = [key for key in part if key]
            if not part:
                continue
            _, spreads, reg, _ = run_batches(
                self.net, self.model, None, self.run_seeds, -1, None, None, False,
                sets=[np.array(key, np.int32) for key in part], want_counts=False)
            for j, key in enumerate(part):
                rows = slice(j * runs, (j + 1) * runs)
                self._runs[key] = (spreads[rows].copy(), reg[rows][:, self.obj.keep].copy())

    def per_run(self, key, name):
        spreads, counts = self._runs[key]
        if name == "spread":
            return spreads.astype(float)
        if name == "regions":
            return (counts >= self.obj.thr).sum(axis=1).astype(float)
        return (counts / self.obj.sizes).mean(axis=1)  # region_share

    def shares(self, key):
        counts = self._runs[key][1]
        return (counts / self.obj.sizes).mean(axis=0)

    def estimate(self, key, name):
        if name == "fair":
            return self._interval(self.shares(key).min(), self._resampled_min(key))
        return self._normal(self.per_run(key, name))

    def difference(self, a, b, name):
        if name == "fair":
            return self._interval(self.shares(a).min() - self.shares(b).min(),
                                  self._resampled_min(a) - self._resampled_min(b))
        return self._normal(self.per_run(a, name) - self.per_run(b, name))

    def _normal(self, x):
        m = float(x.mean())
        half = self.z * float(x.std(ddof=1)) / math.sqrt(x.size)
        return m, m - half, m + half

    def _interval(self, point, boot):
        lo, hi = np.quantile(boot, [(1 - self.level) / 2, (1 + self.level) / 2])
        return float(point), float(lo), float(hi)

    def resample(self, keys):
        """Bootstrap the minimum regional share of every set in ``keys`` (one pass over the
        resample matrix for all of them)."""
        todo = [key for key in dict.fromkeys(keys) if key not in self._boot_min]
        if not todo:
            return
        runs = self.run_seeds.size
        if self._boot is None:  # resample counts of each run, one row per resample
            pick = self.rng.integers(0, runs, size=(_N_BOOT, runs))
            flat = (np.arange(_N_BOOT)[:, None] * runs + pick).ravel()
            self._boot = (np.bincount(flat, minlength=_N_BOOT * runs)
                          .reshape(_N_BOOT, runs).astype(np.float32) / runs)
        columns, widths = [], []
        for key in todo:
            share = self._runs[key][1] / self.obj.sizes
            mean = share.mean(axis=0)
            se = share.std(axis=0, ddof=1) / math.sqrt(runs)
            j = int(np.argmin(mean))
            near = mean - _PRUNE_SE * se <= mean[j] + _PRUNE_SE * se[j]
            columns.append(share[:, near].astype(np.float32))
            widths.append(int(near.sum()))
        boot = self._boot @ np.concatenate(columns, axis=1)
        ends = np.cumsum(widths)
        for key, end, width in zip(todo, ends, widths):
            self._boot_min[key] = boot[:, end - width:end].min(axis=1).astype(float)

    def _resampled_min(self, key):
        """Minimum regional share in each bootstrap resample of the runs."""
        self.resample([key])
        return self._boot_min[key]


def _baseline_order(G, net, method, cand, *, followers, weight, direction):
    n = len(net.nodes)
    if method == "followers":
        raw = [G.nodes[u].get(followers) for u in net.nodes]
        score = np.array([-1.0 if v is None or pd.isna(v) else float(v) for v in raw])
    elif method == "degree":
        score = np.diff(net.indptr).astype(float)
    else:
        H = G
        if G.is_directed() and direction == "flow":
            H = G.reverse(copy=False)
        pr = nx.pagerank(H, weight=weight)
        score = np.array([pr[u] for u in net.nodes])
    idx = np.arange(n)[cand]
    order = idx[np.lexsort((idx, -score[cand]))]
    return order


def _celf(mc, cand, k, *, lazy, progress):
    """Lazy greedy (CELF) or, with ``lazy=False``, plain greedy on Monte-Carlo estimates.

    For ``fair``, ties in the gain of the minimum (every step that cannot move the weakest
    region, e.g. while some region is still unreached) are broken in leximin order: the
    candidate whose sorted vector of regional shares is lexicographically largest, i.e. the one
    that most raises the regions that are behind (IMM's saturation step has the same preference
    through its capped coverage). Remaining ties: lowest node index.
    """
    leximin = mc.obj.name == "fair"
    base = mc.value([])
    idx = np.flatnonzero(cand)
    bar = None
    if use_progress(progress) and idx.size * mc.run_seeds.size > 2_000_000:
        from tqdm.auto import tqdm
        bar = tqdm(total=idx.size, desc="celf first pass", unit="cand", delay=1.0)
    gains = np.empty(idx.size)
    keys = np.zeros((idx.size, len(mc.obj.codes))) if leximin else None
    step = 64
    for a in range(0, idx.size, step):
        part = idx[a:a + step]
        vals = mc.values([[v] for v in part], shares=leximin)
        if leximin:
            vals, share_rows = vals
            keys[a:a + part.size] = np.sort(share_rows, axis=1)
        gains[a:a + part.size] = np.array(vals) - base
        if bar is not None:
            bar.update(part.size)
    if bar is not None:
        bar.close()
    fresh = np.zeros(idx.size, dtype=np.int64)  # round in which gains[j] was computed
    alive = np.ones(idx.size, dtype=bool)
    chosen, values, current = [], [base], base
    for rnd in range(k):
        while True:
            j = _best(gains, alive, keys)
            if fresh[j] == rnd or (not lazy and rnd == 0):
                break
            if not lazy:  # plain greedy: refresh everyone this round
                live = np.flatnonzero(alive)
                vals = mc.values([[*chosen, idx[jj]] for jj in live], shares=leximin)
                if leximin:
                    vals, share_rows = vals
                    keys[live] = np.sort(share_rows, axis=1)
                gains[live] = np.array(vals) - current
                fresh[live] = rnd
                continue
            gains[j] = mc.value([*chosen, idx[j]]) - current
            fresh[j] = rnd
        chosen.append(int(idx[j]))
        alive[j] = False
        current = current + gains[j]
        values.append(current)
    return chosen, values


def _best(gains, alive, keys=None):
    """Position of the largest gain among ``alive``; ties by ``keys`` (rows of ascending
    regional shares, lexicographically largest first), then lowest position."""
    masked = np.where(alive, gains, -np.inf)
    j = int(np.argmax(masked))  # ties: lowest node index
    if keys is None or keys.shape[1] == 0:
        return j
    tied = np.flatnonzero(alive & (gains >= masked[j] - 1e-12))
    if tied.size == 1:
        return j
    rows = keys[tied]
    order = np.lexsort((tied, *(-rows[:, c] for c in reversed(range(rows.shape[1])))))
    return int(tied[order[0]])


# ----------------------------------------------------------------------------------------
# IMM


def _log_binom(n, k):
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


@dataclass(frozen=True)
class RRGraph:
    """What generating RR sets needs: the reversed CSR graph and the root groups (picklable, so
    that it can be scattered to Dask workers once)."""

    rindptr: np.ndarray
    rindices: np.ndarray
    rprob: np.ndarray
    rlogq: np.ndarray
    lt: bool
    gptr: np.ndarray
    gnodes: np.ndarray

    @property
    def n(self):
        return self.rindptr.size - 1


def rr_generate(graph, groups, seeds, avg=4.0):
    """RR sets ``r`` rooted at group ``groups[r]`` and drawn with stream ``seeds[r]``.

    Set r depends on ``groups[r]`` and ``seeds[r]`` only, so any split of the sets into chunks
    gives the same sets. Returns (flat nodes int32, lengths int64, mean set size seen); ``avg``
    only sizes the buffers.
    """
    count = groups.size
    n = graph.n
    pieces = []  # (start, lens, flat)
    todo = [(0, count)] if count else []
    nthreads = numba.get_num_threads()
    while todo:
        nxt = []
        for lo, hi in todo:
            m = hi - lo
            nch = max(1, min(8 * nthreads, m // 64 + 1))
            bounds = np.linspace(lo, hi, nch + 1).astype(np.int64)
            per = int(avg * 1.3 * (m / nch)) + 4 * n + 1024
            buf = np.empty(nch * per, dtype=np.int32)
            lens = np.zeros(m, dtype=np.int64)
            done = np.zeros(nch, dtype=np.int64)
            with numba.parallel_chunksize(1):
                _rr_kernel(graph.rindptr, graph.rindices, graph.rprob, graph.rlogq, graph.lt,
                           graph.gptr, graph.gnodes, groups, seeds, bounds, lo, per, buf,
                           lens, done)
            for c in range(nch):
                a, b = bounds[c], bounds[c + 1]
                stop = a + done[c]
                ln = lens[a - lo:stop - lo]
                pieces.append((a, ln, buf[c * per:c * per + int(ln.sum())].copy()))
                if stop < b:
                    nxt.append((int(stop), int(b)))
            del buf
        total_len = sum(int(x[1].sum()) for x in pieces)
        total_sets = sum(x[1].size for x in pieces)
        avg = max(1.0, total_len / max(total_sets, 1))
        todo = nxt
    pieces.sort(key=lambda x: x[0])
    flat = np.concatenate([x[2] for x in pieces]) if pieces else np.zeros(0, np.int32)
    lens = np.concatenate([x[1] for x in pieces]) if pieces else np.zeros(0, np.int64)
    return flat, lens, avg


class _LocalRR:
    """RR-set backend of the in-memory path: numba threads of this process."""

    def __init__(self, graph):
        self.graph = graph
        self.avg = 4.0

    def __call__(self, groups, seeds):
        flat, lens, self.avg = rr_generate(self.graph, groups, seeds, self.avg)
        return flat, lens


class _RRSampler:
    """Draws reverse-reachable sets rooted at groups of nodes chosen with given weights.

    The random draws (a group and a uint64 stream seed per set) all come from ``rng`` here, in
    the same order whatever generates the sets; ``backend(graph)`` returns the callable
    ``(groups, seeds) -> (flat, lengths)`` that generates them (default :class:`_LocalRR`;
    :class:`kopiresearch.scale._runs.DaskRR` generates them on Dask workers).
    """

    def __init__(self, net, model, obj, rng, backend=None):
        n = len(net.nodes)
        rows = np.repeat(np.arange(n), np.diff(net.indptr))
        edges = np.lexsort((rows, -net.prob, net.indices))
        rindices = rows[edges].astype(np.int32)
        rindptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(net.indices, minlength=n), out=rindptr[1:])
        self.rng = rng
        self.n = n
        if obj.name == "spread":
            gptr = np.arange(n + 1, dtype=np.int64)
            gnodes = np.arange(n, dtype=np.int32)
            self.gweights = None
            self.total = float(n)
        elif obj.name == "regions":
            members = np.flatnonzero(obj.region_of >= 0)
            order = members[np.argsort(obj.region_of[members], kind="stable")]
            gnodes = order.astype(np.int32)
            gptr = np.zeros(len(obj.codes) + 1, dtype=np.int64)
            np.cumsum(obj.sizes, out=gptr[1:])
            self.gweights = None
            self.total = float(len(obj.codes))
        else:  # region_share: node v in region R drawn with probability 1 / (|regions| |R|)
            members = np.flatnonzero(obj.region_of >= 0)
            gptr = np.arange(members.size + 1, dtype=np.int64)
            gnodes = members.astype(np.int32)
            w = 1.0 / obj.sizes[obj.region_of[members]]
            self.gweights = w / w.sum()
            self.total = 1.0
        self.n_groups = gptr.size - 1
        graph = RRGraph(rindptr, rindices, net.prob[edges], net.logq[edges], model == "lt",
                        gptr, gnodes)
        self.generate = (backend or _LocalRR)(graph)

    def draw(self, count, groups=None):
        """``count`` RR sets: (flat nodes, offsets, group of each set)."""
        rng = self.rng
        if groups is None:
            if self.gweights is None:
                groups = rng.integers(0, self.n_groups, size=count)
            else:
                groups = rng.choice(self.n_groups, size=count, p=self.gweights)
        groups = np.asarray(groups, dtype=np.int64)
        seeds = stream_seeds(rng, count)
        flat, lens = self.generate(groups, seeds)
        offsets = np.zeros(lens.size + 1, dtype=np.int64)
        np.cumsum(lens, out=offsets[1:])
        return flat, offsets, groups


class _RRStore:
    def __init__(self):
        self.flat, self.offsets, self.groups = [], [], []
        self.count = 0

    def add(self, flat, offsets, groups):
        self.flat.append(flat)
        self.offsets.append(offsets)
        self.groups.append(groups)
        self.count += offsets.size - 1

    def arrays(self):
        flat = np.concatenate(self.flat) if self.flat else np.zeros(0, np.int32)
        lens = np.concatenate([np.diff(o) for o in self.offsets]) if self.offsets \
            else np.zeros(0, np.int64)
        offsets = np.zeros(lens.size + 1, dtype=np.int64)
        np.cumsum(lens, out=offsets[1:])
        groups = np.concatenate(self.groups) if self.groups else np.zeros(0, np.int64)
        self.flat, self.offsets, self.groups = [flat], [offsets], [groups]
        return flat, offsets, groups


def _imm(net, model, obj, cand, fixed_idx, k, eps, ell, rng, rr_per_region, max_rr,
         backend=None):
    if obj.name == "fair":
        return _fair(net, model, obj, cand, fixed_idx, k, rng, rr_per_region, backend)
    sampler = _RRSampler(net, model, obj, rng, backend)
    n = net.indptr.size - 1
    N = sampler.total
    n_cand = int(cand.sum())
    ell = ell * (1 + math.log(2) / math.log(max(n, 2)))
    logn = math.log(max(n, 2))
    lcb = _log_binom(n_cand, k)  # Tang et al. have log C(n, k): a valid tightening (Notes)
    eps_p = math.sqrt(2) * eps
    lam_p = (2 + 2 / 3 * eps_p) * (lcb + ell * logn + math.log(max(math.log2(max(n, 2)), 1.0)))
    lam_p *= N / eps_p**2
    alpha = math.sqrt(ell * logn + math.log(2))
    beta = math.sqrt((1 - 1 / math.e) * (lcb + ell * logn + math.log(2)))
    lam_star = 2 * N * ((1 - 1 / math.e) * alpha + beta) ** 2 / eps**2
    floor = N / n
    store = _RRStore()
    lb = floor
    capped = False
    for i in range(1, max(2, math.ceil(math.log2(n)))):
        x = N / 2**i
        theta_i = min(math.ceil(lam_p / x), max_rr)
        if theta_i > store.count:
            store.add(*sampler.draw(theta_i - store.count))
        flat, offsets, _ = store.arrays()
        _, gains, base = _greedy_cover(flat, offsets, n, cand, fixed_idx, k)
        est = N * (base + gains.sum()) / store.count
        if est >= (1 + eps_p) * x:
            lb = est / (1 + eps_p)
            break
        if theta_i >= max_rr:
            capped = True
            break
    theta = math.ceil(lam_star / lb)
    if theta > max_rr:
        theta, capped = max_rr, True
    del store
    flat, offsets, _ = sampler.draw(theta)  # fresh sample (Chen 2018)
    chosen, gains, base = _greedy_cover(flat, offsets, n, cand, fixed_idx, k)
    values = N * (base + np.concatenate([[0], np.cumsum(gains)])) / theta
    info = {"rr_sets": int(theta), "lower_bound": float(lb), "capped": capped,
            "mean_rr_size": float(offsets[-1] / max(theta, 1))}
    return list(chosen), values, info


def _fair(net, model, obj, cand, fixed_idx, k, rng, per_region, backend=None):
    sampler = _RRSampler(net, model, _share_objective(obj), rng, backend)
    n_reg = len(obj.codes)
    members = np.flatnonzero(obj.region_of >= 0)
    reg_of_group = obj.region_of[members]
    # per_region sets rooted uniformly in each region: groups are member positions
    groups = []
    for r in range(n_reg):
        pos = np.flatnonzero(reg_of_group == r)
        groups.append(rng.choice(pos, size=per_region))
    groups = np.concatenate(groups)
    flat, offsets, _ = sampler.draw(groups.size, groups=groups)
    region_of_set = np.repeat(np.arange(n_reg), per_region).astype(np.int64)
    n = net.indptr.size - 1
    best = None
    inv = _invert(flat, offsets, n)
    lo, hi = 0.0, 1.0
    for _ in range(14):
        c = (lo + hi) / 2
        cap = np.full(n_reg, math.ceil(c * per_region), dtype=np.int64)
        chosen, gains = _saturate(flat, offsets, region_of_set, n_reg, cap, n, cand, fixed_idx,
                                  k, inv)
        cov = _coverage_by_region(flat, offsets, region_of_set, n_reg, n,
                                  np.concatenate([fixed_idx, chosen]).astype(np.int32))
        worst = cov.min() / per_region
        if best is None or (worst, cov.sum()) > (best[0], best[1]):
            best = (worst, cov.sum(), chosen)
        if (cov >= cap).all():
            lo = c
        else:
            hi = c
    chosen = [int(v) for v in best[2]]
    # report the objective on a fresh, independent sample
    flat2, offsets2, _ = sampler.draw(groups.size, groups=groups)
    values = []
    for i in range(k + 1):
        cov = _coverage_by_region(flat2, offsets2, region_of_set, n_reg, n,
                                  np.concatenate([fixed_idx, chosen[:i]]).astype(np.int32))
        values.append(cov.min() / per_region)
    info = {"rr_sets": int(groups.size), "rr_per_region": per_region,
            "target_share": float(lo)}
    return chosen, values, info


def _share_objective(obj):
    share = _Objective.__new__(_Objective)
    share.__dict__.update(obj.__dict__)
    share.name = "region_share"
    return share


# ----------------------------------------------------------------------------------------
# numba kernels


@njit(cache=True, parallel=True)
def _rr_kernel(rindptr, rindices, rprob, rlogq, lt, gptr, gnodes, groups, seeds, bounds, lo,
               per, buf, lens, done):
    """Reverse-reachable sets: a breadth-first search from the root group over the reversed
    graph, each edge fired with the engine's geometric skips (:func:`~kopiresearch._engine.fire`
    without its one-probability shortcut, so the draws are those of a per-edge scan)."""
    n = rindptr.size - 1
    nch = bounds.size - 1
    general = np.full(n, -1.0)  # no row shortcut in fire
    unused = np.zeros(n)
    maxdeg = max_out_degree(rindptr)
    for c in prange(nch):
        mark = np.zeros(n, dtype=np.int32)
        out = buf[c * per:(c + 1) * per]
        fired = np.empty(maxdeg, dtype=np.int32)
        pos = 0
        stamp = 0
        for r in range(bounds[c], bounds[c + 1]):
            g = groups[r]
            need = gptr[g + 1] - gptr[g]
            if pos + need + n > per:  # a set may hold up to n nodes: stop, caller resumes
                break
            stamp += 1
            s = seeds[r]
            start = pos
            for t in range(gptr[g], gptr[g + 1]):
                pos = push(gnodes[t], mark, stamp, out, pos)
            head = start
            while head < pos:
                v = out[head]
                head += 1
                i = rindptr[v]
                end = rindptr[v + 1]
                if lt:  # live-edge: v keeps in-edge (u, v) with probability b_uv, or none
                    if i == end:
                        continue
                    s, x = rand(s)
                    acc = 0.0
                    for e in range(i, end):
                        acc += rprob[e]
                        if x <= acc:
                            pos = push(rindices[e], mark, stamp, out, pos)
                            break
                    continue
                s, m = fire(rindptr, rindices, rprob, rlogq, general, unused, v, s, fired)
                for t in range(m):
                    pos = push(fired[t], mark, stamp, out, pos)
            lens[r - lo] = pos - start
            done[c] += 1


@njit(cache=True)
def _invert(flat, offsets, n):
    deg = np.zeros(n + 1, dtype=np.int64)
    for t in range(flat.size):
        deg[flat[t] + 1] += 1
    ptr = np.cumsum(deg)
    fill = ptr[:-1].copy()
    ids = np.empty(flat.size, dtype=np.int32)  # max_rr_sets < 2**31
    for r in range(offsets.size - 1):
        for t in range(offsets[r], offsets[r + 1]):
            v = flat[t]
            ids[fill[v]] = r
            fill[v] += 1
    return ptr, ids


@njit(cache=True, inline="always")
def _cover(v, ptr, ids, covered, newly):
    """Mark the RR sets that contain ``v`` covered; write the ones not covered before to
    ``newly`` and return their number (what choosing or fixing ``v`` adds)."""
    m = 0
    for t in range(ptr[v], ptr[v + 1]):
        r = ids[t]
        if not covered[r]:
            covered[r] = True
            newly[m] = r
            m += 1
    return m


@njit(cache=True)
def _greedy_cover_kernel(flat, offsets, ptr, ids, cand, fixed_idx, k):
    n = ptr.size - 1
    m = offsets.size - 1
    covered = np.zeros(m, dtype=np.bool_)
    newly = np.empty(max_out_degree(ptr), dtype=np.int32)  # most sets of one node
    count = np.zeros(n, dtype=np.int64)
    for v in range(n):
        count[v] = ptr[v + 1] - ptr[v]
    base = 0
    for a in range(fixed_idx.size):
        got = _cover(fixed_idx[a], ptr, ids, covered, newly)
        base += got
        for j in range(got):
            r = newly[j]
            for e in range(offsets[r], offsets[r + 1]):
                count[flat[e]] -= 1
    chosen = np.empty(k, dtype=np.int64)
    gains = np.empty(k, dtype=np.int64)
    taken = np.zeros(n, dtype=np.bool_)
    for step in range(k):
        best = -1
        bestc = -1
        for v in range(n):
            if cand[v] and not taken[v] and count[v] > bestc:
                best = v
                bestc = count[v]
        chosen[step] = best
        gains[step] = bestc
        taken[best] = True
        got = _cover(best, ptr, ids, covered, newly)
        for j in range(got):
            r = newly[j]
            for e in range(offsets[r], offsets[r + 1]):
                count[flat[e]] -= 1
    return chosen, gains, base


def _greedy_cover(flat, offsets, n, cand, fixed_idx, k):
    ptr, ids = _invert(flat, offsets, n)
    chosen, gains, base = _greedy_cover_kernel(flat, offsets, ptr, ids, cand,
                                               fixed_idx.astype(np.int64), k)
    return chosen, gains, base


@njit(cache=True)
def _saturate_kernel(flat, offsets, ptr, ids, region_of_set, n_reg, cap, cand, fixed_idx, k):
    n = ptr.size - 1
    m = offsets.size - 1
    covered = np.zeros(m, dtype=np.bool_)
    newly = np.empty(max_out_degree(ptr), dtype=np.int32)  # most sets of one node
    cov = np.zeros(n_reg, dtype=np.int64)
    for a in range(fixed_idx.size):
        got = _cover(fixed_idx[a], ptr, ids, covered, newly)
        for j in range(got):
            cov[region_of_set[newly[j]]] += 1
    tally = np.zeros(n_reg, dtype=np.int64)
    ub = np.full(n, np.inf)
    stamp = np.full(n, -1, dtype=np.int64)
    taken = np.zeros(n, dtype=np.bool_)
    chosen = np.empty(k, dtype=np.int64)
    gains = np.empty(k, dtype=np.float64)
    for step in range(k):
        while True:
            best = -1
            bestv = -1.0
            for v in range(n):
                if cand[v] and not taken[v] and ub[v] > bestv:
                    best = v
                    bestv = ub[v]
            if stamp[best] == step:
                break
            tally[:] = 0
            for t in range(ptr[best], ptr[best + 1]):
                r = ids[t]
                if not covered[r]:
                    tally[region_of_set[r]] += 1
            g = 0.0
            for R in range(n_reg):
                g += min(tally[R], max(cap[R] - cov[R], 0))
            # tie-break towards raw coverage so that saturated steps still add reach
            g += 1e-6 * tally.sum()
            ub[best] = g
            stamp[best] = step
        chosen[step] = best
        gains[step] = ub[best]
        taken[best] = True
        got = _cover(best, ptr, ids, covered, newly)
        for j in range(got):
            cov[region_of_set[newly[j]]] += 1
    return chosen, gains


def _saturate(flat, offsets, region_of_set, n_reg, cap, n, cand, fixed_idx, k, inv):
    ptr, ids = inv
    return _saturate_kernel(flat, offsets, ptr, ids, region_of_set, n_reg, cap, cand,
                            fixed_idx.astype(np.int64), k)


@njit(cache=True)
def _coverage_kernel(flat, offsets, region_of_set, n_reg, inset):
    cov = np.zeros(n_reg, dtype=np.int64)
    for r in range(offsets.size - 1):
        for t in range(offsets[r], offsets[r + 1]):
            if inset[flat[t]]:
                cov[region_of_set[r]] += 1
                break
    return cov


def _coverage_by_region(flat, offsets, region_of_set, n_reg, n, nodes):
    inset = np.zeros(n, dtype=np.bool_)
    inset[nodes] = True
    return _coverage_kernel(flat, offsets, region_of_set, n_reg, inset)


# ----------------------------------------------------------------------------------------
# strategy comparison and labels shared by notebook 04 and the labs

#: The strategies notebook 04 compares: two rules of thumb and three IMM goals, name ->
#: options of :func:`select_seeds` (``method`` and ``objective``).
STRATEGIES = {
    "most followers": {"method": "followers"},
    "most engaged-with": {"method": "degree"},
    "IMM spread": {"method": "imm", "objective": "spread"},
    "IMM region share": {"method": "imm", "objective": "region_share"},
    "IMM weakest region": {"method": "imm", "objective": "fair"},
}

#: Objectives that need accounts with a kabupaten/kota.
_REGION_OBJECTIVES = ("regions", "region_share", "fair")


@dataclass
class StrategyComparison:
    """What :func:`compare_strategies` returns.

    Attributes
    ----------
    k : int
        Seeds per strategy: the ``k`` asked for, or fewer when fewer candidates were left.
    requested : int
        The ``k`` asked for.
    candidates : list
        The candidates that could be chosen (in ``G``, not fixed), in graph order.
    selections : dict
        Strategy name -> :class:`RobustSelection`, for the strategies that ran.
    skipped : dict
        Strategy name -> why it did not run (e.g. a regional goal without regions).
    table : pandas.DataFrame
        :func:`evaluate_seeds` of every selection (and the baseline row first): every
        objective with its interval, on the same Monte-Carlo runs. Computed when first read,
        so that a comparison built up over several calls (``previous``) is evaluated once.
    stability : pandas.DataFrame
        One row per strategy that ran: :meth:`RobustSelection.summary`.
    level : float
        Confidence level of every interval.
    baseline : str or None
        Name of the row of the fixed accounts alone.
    """

    k: int
    requested: int
    candidates: list
    selections: dict
    skipped: dict
    level: float
    baseline: str | None = None
    _evaluation: dict = field(default_factory=dict, repr=False)

    @functools.cached_property
    def table(self) -> pd.DataFrame:
        """:func:`evaluate_seeds` of every selection (computed when first read)."""
        opts = dict(self._evaluation)
        G = opts.pop("G")
        return evaluate_seeds(G, self.selections, baseline=self.baseline, level=self.level,
                              **opts)

    @functools.cached_property
    def stability(self) -> pd.DataFrame:
        """:meth:`RobustSelection.summary` of every selection, one row per strategy."""
        return pd.DataFrame({name: r.summary() for name, r in self.selections.items()}).T

    @property
    def strategies(self) -> pd.DataFrame:
        """:attr:`table` without the baseline row."""
        if self.baseline is None:
            return self.table
        return self.table.drop(index=self.baseline, errors="ignore")

    def summary(self) -> pd.DataFrame:
        """The comparison as text: every estimate with its interval, ``"v [low, high]"``.

        Returns
        -------
        pandas.DataFrame
            Index ``set``; columns ``accounts reached``, ``extra vs fixed`` and, where the
            graph has regions, ``mean region share`` and ``weakest region share``, plus
            ``regions left behind`` when :func:`compare_strategies` counted them.
        """
        t = self.table

        def with_ci(column, digits):
            cols = t[[column, f"{column}_low", f"{column}_high"]].to_numpy(dtype=float)
            return [f"{v:.{digits}f} [{lo:.{digits}f}, {hi:.{digits}f}]" for v, lo, hi in cols]

        out = {"accounts reached": with_ci("spread", 1), "extra vs fixed": with_ci("extra", 1)}
        if t["region_share"].notna().any():
            out["mean region share"] = with_ci("region_share", 4)
            out["weakest region share"] = with_ci("fair", 4)
        if "left_behind" in t:
            out["regions left behind"] = t["left_behind"]
        return pd.DataFrame(out, index=t.index)

    def leader(self, column: str = "spread"):
        """The strategy with the highest ``column`` and whether it leads clearly.

        Parameters
        ----------
        column : {"spread", "extra", "regions", "region_share", "fair"}

        Returns
        -------
        tuple
            ``(name, clear)``: the strategy with the largest estimate (first in table order
            on ties), and whether its interval lies above every other strategy's (``low >``
            every other ``high``: a lead the Monte-Carlo noise cannot explain). ``(None,
            False)`` when no strategy has a value.
        """
        s = self.strategies
        if column not in s or s[column].isna().all():
            return None, False
        best = s[column].astype(float).idxmax()
        others = s.drop(index=best)
        clear = bool(len(others) == 0 or s.at[best, f"{column}_low"]
                     > others[f"{column}_high"].astype(float).max())
        return best, clear


@fill_doc
@_one_graph()
def compare_strategies(G, k: int, strategies=None, *, candidates=None, fixed=None,
                       baseline: str | None = "fixed alone", left_behind: float | None = None,
                       replicates: int = 10, eval_runs: int = 5000, level: float = 0.95,
                       alternatives: int = 5, seed=None, previous=None,
                       **options) -> StrategyComparison:
    """Choose ``k`` seeds by several strategies and measure them all on one yardstick.

    The strategy comparison of notebook 04: every strategy's recommendation by
    :func:`select_seeds_robust` (replicate selections, a stability table, intervals on
    independent runs), then every recommendation together with ``fixed`` on the same
    Monte-Carlo runs by :func:`evaluate_seeds`. It runs on any graph: ``k`` is capped at the
    number of candidates left, and regional goals are skipped, with the reason, when no
    node has a kabupaten/kota.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        As in :func:`select_seeds` (e.g. :func:`kopiresearch.diffusion.calibrated_graph`).
    k : int
        Seeds per strategy (>= 1); capped at the number of candidates in ``G`` that are not
        ``fixed``.
    strategies : mapping, optional
        Name -> options of :func:`select_seeds` (``method``, ``objective``, ...); default
        :data:`STRATEGIES`.
    candidates : iterable of nodes, optional
        Accounts that may be chosen (default every node); those not in ``G`` are left out.
    fixed : iterable of nodes, optional
        Accounts that post anyway (the government offices), in every estimate.
    baseline : str or None
        Name of the row for ``fixed`` alone; None leaves it out.
    left_behind : float, optional
        Also count, per strategy, the regions whose expected share reached is below this
        (not counted when no node has a kabupaten/kota).
    replicates, eval_runs, level, alternatives
        As in :func:`select_seeds_robust` (``eval_runs`` are also the runs of the common
        evaluation).
    seed : int or numpy.random.Generator, optional
        Source of randomness: the same seed goes to every strategy's selection and to the
        evaluation, as a notebook with one ``SEED`` does.
    previous : StrategyComparison, optional
        A comparison made with the same ``k`` whose selections are kept (not re-run), so that
        slow strategies can run in calls of their own; the evaluation covers all of them.
    **options
        Further options of :func:`select_seeds` for every strategy (``probability``,
        ``weight``, ``runs``, ``eps``, ``rr_per_region``, ``progress``, ...).

    Returns
    -------
    StrategyComparison
        ``.selections``, ``.table``, ``.stability``, ``.summary()``, ``.leader(column)``.

    Raises
    ------
    DiffusionError
        No candidate left to choose, a strategy that is not a mapping, a strategy already in
        ``previous`` or a ``previous`` made with another ``k``, and the errors of
        :func:`select_seeds_robust` and :func:`evaluate_seeds`.

    See Also
    --------
    select_seeds_robust, evaluate_seeds, seed_labels

    Notes
    -----
    A strategy that involves no chance (``followers``, ``degree``, ``pagerank``) gives one
    list whatever the replicate. Comparing intervals: two strategies differ at least at
    ``level`` when their intervals do not overlap; :meth:`StrategyComparison.leader` says
    whether the best one leads in that sense.

    References
    ----------
    {{kempe2003_tang2015}}

    Examples
    --------
    Two stars in the flow direction and one candidate more than seeds allowed; the graph has
    no regions, so the regional goals are skipped:

    >>> import networkx as nx
    >>> G = nx.DiGraph([("h1", i) for i in range(5)] + [("h2", i) for i in range(5, 8)])
    >>> cmp = compare_strategies(G, 5, candidates=["h1", "h2"], p=1.0, direction="flow",
    ...                          replicates=2, eval_runs=100, seed=1, baseline=None)
    >>> cmp.k, sorted(cmp.skipped)
    (2, ['IMM region share', 'IMM weakest region'])
    >>> list(cmp.selections)
    ['most followers', 'most engaged-with', 'IMM spread']
    >>> cmp.table["spread"].tolist()
    [10.0, 10.0, 10.0]
    >>> cmp.leader("spread")
    ('most followers', False)
    """
    k = check_int(k, "k", 1)
    strategies = dict(STRATEGIES if strategies is None else strategies)
    fixed = [] if fixed is None else list(fixed)
    fixed_set = set(fixed)
    pool = list(G.nodes) if candidates is None else [u for u in candidates if u in G]
    seen = set()
    left = [u for u in pool if not (u in fixed_set or u in seen or seen.add(u))]
    if not left:
        raise DiffusionError("compare_strategies: no candidate left to choose (candidates "
                             "empty, not in G, or all fixed)")
    order = {u: i for i, u in enumerate(G.nodes)}
    left.sort(key=order.__getitem__)
    k_used = min(k, len(left))
    region = options.get("region", "region_code")
    has_regions = options.get("regions") is not None or any(
        is_kabkota(d.get(region)) for _, d in G.nodes(data=True))
    selections, skipped = {}, {}
    if previous is not None:
        if previous.requested != k:
            raise DiffusionError(f"previous: made with k = {previous.requested}, not {k}")
        selections, skipped = dict(previous.selections), dict(previous.skipped)
    for name, plan in strategies.items():
        if name in selections or name in skipped:
            raise DiffusionError(f"strategies: {name!r} is already in previous")
        if not hasattr(plan, "items"):
            raise DiffusionError(f"strategies[{name!r}] must be a mapping of select_seeds "
                                 "options")
        plan = dict(plan)
        if plan.get("objective", "spread") in _REGION_OBJECTIVES and not has_regions:
            skipped[name] = "no account has a kabupaten/kota"
            continue
        selections[name] = select_seeds_robust(
            G, k_used, **plan, candidates=left, fixed=fixed, replicates=replicates,
            eval_runs=eval_runs, level=level, alternatives=alternatives, seed=seed,
            **options)
    eval_opts = {name: options[name] for name in ("q", "regions", "model", "p", "probability",
                                                  "weight", "direction", "region")
                 if name in options}
    evaluation = {"G": G, "fixed": fixed, "left_behind": left_behind if has_regions else None,
                  "runs": eval_runs,
                  "seed": seed, **eval_opts}
    return StrategyComparison(k_used, k, left, selections, skipped, level, baseline, evaluation)


def seed_labels(corpus, nodes, *, short: bool = True) -> pd.Series:
    """``"handle (region)"`` labels of seed accounts, for tables a planner reads.

    Parameters
    ----------
    corpus : Corpus or pandas.DataFrame
        The corpus (or its ``accounts`` table, indexed by ``account_id``, with ``handle``
        and ``region_code``).
    nodes : iterable of account ids
        The seeds (e.g. ``RobustSelection.seeds`` or ``picks["node"]``).
    short : bool, default True
        ``"Kab. Kediri"`` instead of ``"Kabupaten Kediri"``.

    Returns
    -------
    pandas.Series
        Indexed by the nodes (``account_id``), in the order given:
        ``"handle (Kab. Kediri)"``; the province code ``"35"`` gives ``"(Jawa Timur)"``; an
        account of unknown region is its handle alone; an account without handle, or not
        in the corpus, its id.

    Examples
    --------
    >>> import pandas as pd
    >>> acc = pd.DataFrame({"handle": ["a", "b", None, "d"],
    ...                     "region_code": ["3506", "35", "3578", None]},
    ...                    index=["x:1", "x:2", "x:3", "x:4"])
    >>> seed_labels(acc, ["x:1", "x:2", "x:3", "x:4", "x:9"]).tolist()
    ['a (Kab. Kediri)', 'b (Jawa Timur)', 'x:3 (Kota Surabaya)', 'd', 'x:9']
    """
    from .regions import PROVINCE_CODE, region_table

    accounts = getattr(corpus, "accounts", corpus)
    nodes = list(nodes)
    names = region_table()["name"]
    if short:
        names = names.str.replace(r"^Kabupaten ", "Kab. ", regex=True)
    names = pd.concat([names, pd.Series({PROVINCE_CODE: "Jawa Timur"})])
    known = pd.Index(nodes).isin(accounts.index)
    labels = []
    for u, ok in zip(nodes, known):
        if not ok:
            labels.append(str(u))
            continue
        handle = accounts.at[u, "handle"] if "handle" in accounts else None
        text = str(u) if handle is None or pd.isna(handle) or not str(handle) else str(handle)
        code = accounts.at[u, "region_code"] if "region_code" in accounts else None
        code = None if code is None or pd.isna(code) else str(code)
        labels.append(f"{text} ({names[code]})" if code in names.index else text)
    return pd.Series(labels, index=pd.Index(nodes, dtype=object, name="account_id"),
                     name="label", dtype=object)
