"""Louvain communities, their stability over seeds, and agreement with a given partition."""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._docs import fill_doc
from .._random import resolve_rng
from ..errors import KopiresearchError
from ._common import check_graph

__all__ = ["communities", "community_stability", "StabilityResult", "Partition",
           "partition_agreement",
           "normalized_mutual_info", "adjusted_rand_index", "undirected_weighted"]


def undirected_weighted(G: nx.Graph, *, weight: str | None = "weight") -> nx.Graph:
    """The undirected graph of ``G`` with ``weight = w_uv + w_vu`` (1 per edge if ``None``).

    Self-loops are dropped. Node attributes are copied.

    Examples
    --------
    >>> import networkx as nx
    >>> H = undirected_weighted(nx.DiGraph([(1, 2), (2, 1), (2, 3)]), weight=None)
    >>> sorted(H.edges(data="weight"))
    [(1, 2, 2), (2, 3, 1)]
    """
    check_graph(G)
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        w = 1 if weight is None else d.get(weight, 1)
        if H.has_edge(u, v):
            H[u][v]["weight"] += w
        else:
            H.add_edge(u, v, weight=w)
    return H


def communities(G: nx.Graph, *, weight: str | None = "weight", resolution: float = 1.0,
                seed=None) -> pd.Series:
    """Louvain communities of the undirected, weighted version of ``G``.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The graph; a directed graph is made undirected with summed weights
        (:func:`undirected_weighted`).
    weight : str or None, default "weight"
        Edge attribute holding the tie strength.
    resolution : float, default 1.0
        Louvain resolution (larger gives smaller communities).
    seed : int or numpy.random.Generator, optional
        Seed of the node order Louvain visits; the same seed gives the same partition.

    Returns
    -------
    Partition
        A pandas Series: node -> community number, sorted by node; community 0 is the
        largest (ties broken by the smallest node label as a string). ``.modularity`` holds
        Q (also in ``attrs["modularity"]``, the older spelling).

    Notes
    -----
    ``nx.community.louvain_communities`` (Blondel et al. 2008) maximising modularity
    ``Q = (1/2m) sum_ij [A_ij - k_i k_j / 2m] delta(c_i, c_j)`` (Newman & Girvan 2004) on
    ``A_ij = w_ij + w_ji``. Louvain's result depends on the seed: check it with
    :func:`community_stability`.

    References
    ----------
    .. [1] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. J. Stat. Mech. P10008.
       doi:10.1088/1742-5468/2008/10/P10008
    .. [2] Newman, M. E. J., & Girvan, M. (2004). Finding and evaluating community
       structure in networks. Physical Review E 69:026113. doi:10.1103/PhysRevE.69.026113

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(4, 0)
    >>> c = communities(G, seed=1)
    >>> c.tolist()
    [0, 0, 0, 0, 1, 1, 1, 1]
    >>> round(c.modularity, 3)
    0.423
    """
    H = undirected_weighted(G, weight=weight) if G.is_directed() else G
    w = "weight" if G.is_directed() else weight
    s = None if seed is None else int(resolve_rng(seed).integers(2**31 - 1))
    parts = nx.community.louvain_communities(H, weight=w, resolution=resolution, seed=s)
    parts = sorted(parts, key=lambda c: (-len(c), min(str(v) for v in c)))
    label = {v: i for i, part in enumerate(parts) for v in part}
    out = pd.Series(label, name="community").sort_index()
    out.index.name = "account_id"
    out = Partition(out)
    out.modularity = (nx.community.modularity(H, parts, weight=w, resolution=resolution)
                      if H.number_of_edges() else float("nan"))
    out.attrs["modularity"] = out.modularity
    return out


class Partition(pd.Series):
    """What :func:`communities` returns: node -> community number (a pandas Series) whose
    ``modularity`` attribute holds the partition's modularity Q.

    Q is part of the result, not of ``Series.attrs`` (which pandas documents as
    experimental and drops in some operations); ``attrs["modularity"]`` is kept as well for
    code written before. Anything computed from the partition (``partition.map(...)``,
    ``partition[mask]``) is a plain Series.
    """

    _metadata = ["modularity"]

    @property
    def _constructor(self):
        return pd.Series


@dataclass
class StabilityResult:
    """Louvain partitions over several seeds and how much they agree.

    Attributes: ``seeds`` (the Louvain seeds used), ``partitions`` (DataFrame node x seed),
    ``modularity`` and ``n_communities`` (Series by seed), ``pairwise_nmi`` (DataFrame seed
    x seed) and ``mean_nmi`` (the mean over distinct pairs).
    """

    seeds: list
    partitions: pd.DataFrame
    modularity: pd.Series
    n_communities: pd.Series
    pairwise_nmi: pd.DataFrame
    mean_nmi: float


def community_stability(G: nx.Graph, *, n_seeds: int = 20, seed=None,
                        weight: str | None = "weight",
                        resolution: float = 1.0) -> StabilityResult:
    """Run Louvain with ``n_seeds`` seeds and measure how much the partitions agree.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The graph (see :func:`communities`).
    n_seeds : int, default 20
        Number of Louvain runs (at least 2; 20 or more for a report).
    seed : int or numpy.random.Generator, optional
        Draws the Louvain seeds; the same seed gives the same result.
    weight, resolution
        As in :func:`communities`.

    Returns
    -------
    StabilityResult

    Raises
    ------
    KopiresearchError
        ``n_seeds < 2``.

    Notes
    -----
    Stability is the mean of :func:`normalized_mutual_info` over all
    ``n_seeds (n_seeds - 1) / 2`` pairs of runs: 1 when every run finds the same
    partition. Louvain varies between runs by design, so a single run can mislead.

    Examples
    --------
    >>> import networkx as nx
    >>> res = community_stability(nx.barbell_graph(5, 0), n_seeds=3, seed=0)
    >>> res.mean_nmi
    1.0
    """
    if not isinstance(n_seeds, (int, np.integer)) or n_seeds < 2:
        raise KopiresearchError(f"n_seeds must be an int >= 2, not {n_seeds!r}")
    H = undirected_weighted(G, weight=weight) if G.is_directed() else G
    w = "weight" if G.is_directed() else weight
    rng = resolve_rng(seed)
    seeds = [int(s) for s in rng.integers(0, 2**31 - 1, size=int(n_seeds))]
    cols, mods, ncom = {}, {}, {}
    for s in seeds:
        c = communities(H, weight=w, resolution=resolution, seed=s)
        cols[s], mods[s], ncom[s] = c, c.modularity, int(c.max()) + 1 if len(c) else 0
    parts = pd.DataFrame(cols)
    k = len(seeds)
    M = np.eye(k)
    for i in range(k):
        for j in range(i + 1, k):
            M[i, j] = M[j, i] = normalized_mutual_info(parts.iloc[:, i], parts.iloc[:, j])
    iu = np.triu_indices(k, 1)
    return StabilityResult(seeds, parts, pd.Series(mods, name="modularity"),
                           pd.Series(ncom, name="n_communities"),
                           pd.DataFrame(M, index=seeds, columns=seeds), float(M[iu].mean()))


def partition_agreement(a, b) -> dict:
    """NMI and ARI between two partitions of the same items.

    Parameters
    ----------
    a, b : pandas.Series or mapping
        Item -> label. Only items present with a label in both are compared (e.g. accounts
        of known region).

    Returns
    -------
    dict
        ``n`` (items compared), ``nmi`` (:func:`normalized_mutual_info`) and ``ari``
        (:func:`adjusted_rand_index`).

    Examples
    --------
    >>> partition_agreement({1: "x", 2: "x", 3: "y"}, {1: 0, 2: 0, 3: 1, 4: 1})
    {'n': 3, 'nmi': 1.0, 'ari': 1.0}
    """
    sa, sb = pd.Series(a, dtype=object), pd.Series(b, dtype=object)
    frame = pd.concat([sa.rename("a"), sb.rename("b")], axis=1, join="inner").dropna()
    return {"n": len(frame), "nmi": normalized_mutual_info(frame["a"], frame["b"]),
            "ari": adjusted_rand_index(frame["a"], frame["b"])}


def _contingency(a, b) -> np.ndarray:
    a = np.asarray(a, dtype=object)
    b = np.asarray(b, dtype=object)
    if a.shape != b.shape:
        raise KopiresearchError("the two labelings must have the same length")
    _, ia = np.unique(a.astype(str), return_inverse=True)
    _, ib = np.unique(b.astype(str), return_inverse=True)
    C = sp.coo_array((np.ones(len(a)), (ia, ib))).toarray() if len(a) else np.zeros((0, 0))
    return C


@fill_doc
def normalized_mutual_info(a, b) -> float:
    """Normalised mutual information of two labelings (arithmetic-mean normalisation).

    Parameters
    ----------
    {{labelings}}

    Returns
    -------
    float
        ``NMI = 2 I(A; B) / (H(A) + H(B))`` from the contingency table (natural logs);
        1.0 when both labelings put every item in one cluster.

    Notes
    -----
    ``I = sum_ij (n_ij / n) log(n n_ij / (a_i b_j))``, ``H(A) = -sum_i (a_i / n)
    log(a_i / n)``. This is the NMI of Danon et al. (2005), which equals scikit-learn's
    default (``average_method="arithmetic"``).

    References
    ----------
    .. [1] Danon, L., Diaz-Guilera, A., Duch, J., & Arenas, A. (2005). Comparing community
       structure identification. J. Stat. Mech. P09008. doi:10.1088/1742-5468/2005/09/P09008

    Examples
    --------
    >>> round(normalized_mutual_info([0, 0, 1, 1], [0, 0, 0, 1]), 4)
    0.3437
    """
    C = _contingency(a, b)
    n = C.sum()
    if n == 0:
        return float("nan")
    pa, pb = C.sum(axis=1) / n, C.sum(axis=0) / n
    ha = -np.sum(pa[pa > 0] * np.log(pa[pa > 0]))
    hb = -np.sum(pb[pb > 0] * np.log(pb[pb > 0]))
    if ha == 0 and hb == 0:
        return 1.0
    nz = C > 0
    pij = C[nz] / n
    mi = np.sum(pij * np.log(pij / np.outer(pa, pb)[nz]))
    return float(max(0.0, 2 * mi / (ha + hb)))


@fill_doc
def adjusted_rand_index(a, b) -> float:
    """Adjusted Rand index of two labelings (Hubert & Arabie 1985).

    Parameters
    ----------
    {{labelings}}

    Returns
    -------
    float
        ``ARI = (sum_ij C(n_ij, 2) - E) / (0.5 (sum_i C(a_i, 2) + sum_j C(b_j, 2)) - E)``
        with ``E = sum_i C(a_i, 2) sum_j C(b_j, 2) / C(n, 2)``; 1.0 for identical
        partitions, about 0 for independent ones, and 1.0 when the denominator is 0
        (both labelings trivial and equal).

    References
    ----------
    .. [1] Hubert, L., & Arabie, P. (1985). Comparing partitions. Journal of
       Classification 2:193-218. doi:10.1007/BF01908075

    Examples
    --------
    >>> round(adjusted_rand_index([0, 0, 1, 1], [0, 0, 0, 1]), 4)
    0.0
    """
    C = _contingency(a, b)
    n = C.sum()

    def comb2(x):
        return x * (x - 1) / 2.0

    sum_ij = comb2(C).sum()
    sa, sb = comb2(C.sum(axis=1)).sum(), comb2(C.sum(axis=0)).sum()
    total = comb2(n)
    if total == 0:
        return float("nan")
    expected = sa * sb / total
    denom = 0.5 * (sa + sb) - expected
    if denom == 0:
        return 1.0
    return float((sum_ij - expected) / denom)
