"""Monte-Carlo diffusion on interaction graphs: Independent Cascade, Linear Threshold and SIR.

Direction: interaction edges point from the account that acts to the account it engages
(``u -> v``: u replied to, reposted or mentioned v). Content travels the other way: what v
posts can reach u. The simulation therefore runs on the *information-flow* graph, the reverse
of the interaction graph (``direction="interaction"``, the default). Pass
``direction="flow"`` for a graph whose edges already point where information goes; undirected
graphs spread both ways.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from ._engine import (
    MODELS,
    PROBABILITIES,
    counted_regions,
    plan,
    region_thresholds,
    run_batches,
    seed_tuple,
)
from .errors import DiffusionError

if TYPE_CHECKING:  # the tables of a result are built, with pandas, when first read
    import pandas as pd

__all__ = ["simulate", "calibrated_graph", "SpreadResult", "DiffusionError", "MODELS",
           "PROBABILITIES"]


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
        Per account (index ``account_id``: the nodes), the share of runs in which it became
        active.
    region_reach : pandas.DataFrame
        Per region (index: ``region_code``): ``n_accounts``, ``share_reached`` (mean share of the
        region's accounts active at the end), ``p_reached`` (share of runs in which at least
        ``threshold`` of its accounts were active) and ``threshold``. The regions are those
        the seeding objectives count: the ``regions`` given to :func:`simulate`, by default
        every kabupaten/kota (:func:`kopiresearch.regions.is_kabkota`; province-wide
        ``"35"`` and ``"unknown"`` accounts are in no row).
    over_time : pandas.DataFrame
        Per time step (0 = the seeds): ``new`` (mean number of accounts activated at that
        step) and ``cumulative`` (mean number active by then).

    Notes
    -----
    :func:`simulate` builds the three tables from its counts when one of them is first read,
    so a script that only reads ``mean_spread``, ``ci`` or ``spreads`` never imports pandas.
    """

    model: str
    seeds: tuple
    spreads: np.ndarray = field(repr=False)
    activation: pd.Series = field(repr=False)
    region_reach: pd.DataFrame = field(repr=False)
    over_time: pd.DataFrame = field(repr=False)

    @classmethod
    def _deferred(cls, model, seeds, spreads, parts) -> SpreadResult:
        """A result whose tables :func:`_tables` builds from ``parts`` when first read."""
        res = object.__new__(cls)
        for name, value in (("model", model), ("seeds", seeds), ("spreads", spreads),
                            ("_parts", parts)):
            object.__setattr__(res, name, value)
        return res

    def __getattr__(self, name):
        # reached only for an attribute missing from the instance: a deferred table
        parts = self.__dict__.get("_parts")
        if parts is None or name not in _TABLES:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        for key, value in zip(_TABLES, _tables(*parts)):
            object.__setattr__(self, key, value)
        self.__dict__.pop("_parts", None)
        return self.__dict__[name]

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
             progress: bool | None = None, client=None,
             chunk_runs: int = 250) -> SpreadResult:
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
    client : distributed.Client, optional
        Spread the runs over the workers of this Dask client (``pip install
        kopiresearch[scale]``; :func:`kopiresearch.scale.dask_client` makes one). The result
        is identical to the in-process one for the same ``seed``, whatever the number of
        workers: the runs' streams are drawn here and cut into chunks of ``chunk_runs``,
        each worker runs its chunks with the same kernels, and the counts are added up in
        chunk order. Default: this process's numba threads.
    chunk_runs : int
        Runs per Dask task (with ``client``).

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
    job = plan(G, seeds, model, p=p, probability=probability, weight=weight,
               thresholds=thresholds, beta=beta, gamma=gamma, max_steps=max_steps, runs=runs,
               direction=direction, region=region, seed=seed)
    if client is None:
        out = run_batches(job.net, model, job.seed_idx, job.run_seeds, job.max_steps,
                          job.theta, job.gamma, progress)
    else:
        from .scale._runs import run_on_workers

        out = run_on_workers(client, job, model, chunk_runs)
    return _result(job.net, model, seed_tuple(job.net, job.seed_idx), out, q, regions)


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
    from .corpus import to_utc
    from .graph import build_interaction_graph

    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    G = build_interaction_graph(corpus, kinds=kinds, start=start, end=end)
    posts = corpus.posts
    keep = posts["kind"].astype(str).isin(["original", "repost", "quote"])
    if start is not None:
        keep &= posts["created_at"] >= to_utc(start)
    if end is not None:
        keep &= posts["created_at"] < to_utc(end)
    authored = posts.loc[keep, "author_id"].astype(object).value_counts()
    probs = {}
    for u, v, w in G.edges(data="weight"):
        probs[(u, v)] = w / max(int(authored.get(v, 0)), w)
    nx.set_edge_attributes(G, probs, attr)
    return G


def _result(net, model, seeds, out, q, regions=None):
    counts, spreads, tally, hist = out
    runs = spreads.size
    keep = counted_regions(net, regions)
    tally = tally[:, keep]
    sizes = np.bincount(net.region_of[net.region_of >= 0],
                        minlength=len(net.region_codes))[keep]
    thr = region_thresholds(sizes, q)
    share = (tally / np.maximum(sizes, 1)).mean(axis=0) if runs else sizes * 0.0
    reached = (tally >= thr).mean(axis=0)
    codes = [net.region_codes[i] for i in keep]
    last = np.flatnonzero(hist)
    hist = hist[: (last[-1] + 1 if last.size else 1)] / runs
    return SpreadResult._deferred(model, seeds, spreads, (net.nodes, counts / runs, codes, sizes,
                                                          share, reached, thr, hist))


#: The attributes of a :class:`SpreadResult` that :func:`_tables` builds.
_TABLES = ("activation", "region_reach", "over_time")


def _tables(nodes, active, codes, sizes, share, reached, thr, hist):
    """``activation``, ``region_reach`` and ``over_time`` of a :class:`SpreadResult`, from
    what :func:`_result` computed (pandas is imported here, not with the module)."""
    import pandas as pd

    activation = pd.Series(active, index=pd.Index(nodes, dtype=object, name="account_id"),
                           name="p_active")
    reach = pd.DataFrame({"n_accounts": sizes, "share_reached": share, "p_reached": reached,
                         "threshold": thr}, index=pd.Index(codes, name="region_code"))
    over_time = pd.DataFrame({"new": hist, "cumulative": np.cumsum(hist)},
                             index=pd.RangeIndex(hist.size, name="step"))
    return activation, reach, over_time
