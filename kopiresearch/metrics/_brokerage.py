"""Gould-Fernandez brokerage roles, counted with sparse matrix products."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._compat import renamed_keyword
from .._random import resolve_rng as _rng
from ..errors import KopiresearchError
from ._common import MISSING_GROUP, binary_adjacency, check_graph, codes_of, group_labels

__all__ = ["BROKERAGE_ROLES", "brokerage", "brokerage_summary", "brokerage_null"]

#: The five Gould-Fernandez roles, in the order of the output columns.
BROKERAGE_ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


def brokerage(G: nx.DiGraph, by="actor_type", *, n_permutations: int = 0, seed=None,
              exclude_missing: bool = False, n_perm: int | None = None) -> pd.DataFrame:
    """Gould-Fernandez brokerage roles of every account, with a permutation baseline.

    Parameters
    ----------
    G : networkx.DiGraph
        The graph; edge direction is the direction of the relation (see Notes).
    by : str, mapping or callable, default "actor_type"
        The group of each node: a node attribute name (``"actor_type"``, ``"region_code"``,
        ``"bakorwil"``), a mapping node -> group (e.g. :func:`actor_groups`) or a callable.
    n_permutations : int, default 0
        Number of random relabellings for the expected counts (0 = none); the package's one
        name for a permutation count (as in
        :func:`kopiresearch.cascades.size_matched_comparison`).
    seed : int or numpy.random.Generator, optional
        Seed of the relabellings; the same seed gives the same expected counts.
    exclude_missing : bool, default False
        Drop nodes whose group is missing before counting (they then take part in no
        two-path). By default they form one group, ``"unknown"``.
    n_perm : int, optional
        The former name of ``n_permutations``: deprecated (a DeprecationWarning), removed in
        the next release.

    Returns
    -------
    pandas.DataFrame
        Indexed by node (``account_id``, ``list(G)`` order) with ``group``, the five role counts
        ``coordinator``, ``itinerant``, ``gatekeeper``, ``representative``, ``liaison``
        (int), ``total`` (open two-paths through the node) and, when ``n_permutations > 0``,
        ``expected_<role>``: the mean count over the relabellings.

    Raises
    ------
    KopiresearchError
        ``G`` is not directed, ``by`` names no attribute, ``n_permutations`` is negative.

    Notes
    -----
    A *brokered pair* of ``v`` is an ordered pair ``(a, b)`` with edges ``a -> v`` and
    ``v -> b``, ``a``, ``v``, ``b`` distinct and **no edge a -> b** (Gould & Fernandez
    1989 count open directed two-paths; an edge ``b -> a`` does not close the path, and a
    mutual tie ``a <-> v`` never gives the pair ``(a, a)``). With groups ``g``:

    ============== ===============================================
    coordinator    ``g(a) = g(v) = g(b)``
    itinerant      ``g(a) = g(b) != g(v)`` (consultant)
    gatekeeper     ``g(v) = g(b) != g(a)``: v controls what enters its group
    representative ``g(a) = g(v) != g(b)``: v speaks for its group outwards
    liaison        ``g(a)``, ``g(v)``, ``g(b)`` all different
    ============== ===============================================

    On an interaction graph the edges point from the actor to the account engaged, so a
    gatekeeper there *engages* into its group; information flows against the edges. Pass
    ``G.reverse(copy=False)`` to count roles in the direction of information flow, where
    gatekeeper and representative swap.

    Counts use sparse products, not loops over two-paths. With ``A`` the 0/1 adjacency,
    ``I[v, g]`` the in-neighbours and ``O[v, g]`` the out-neighbours of ``v`` in group
    ``g``, the pairs of a role are products of ``I`` and ``O`` minus the mutual ties
    ``a <-> v`` (for ``a = b``) minus the closed two-paths. The closed ones are counted by
    splitting ``A`` into within-group edges ``A_s`` and between-group edges ``A_d``: e.g.
    the closed coordinator paths of ``v`` are ``sum_b ((A_s^T A) * A_s)[v, b]``. Three
    sparse products per labelling, whatever the number of groups.

    The baseline permutes the group labels over the nodes (group sizes fixed, network
    fixed) ``n_permutations`` times and averages each node's counts, the "random assignment"
    comparison of Gould & Fernandez; ``observed / expected`` > 1 means more brokerage of
    that kind than the group sizes alone explain.

    References
    ----------
    .. [1] Gould, R. V., & Fernandez, R. M. (1989). Structures of mediation: a formal
       approach to brokerage in transaction networks. Sociological Methodology 19:89-126.
       doi:10.2307/270949
    .. [2] Long, J. C., Cunningham, F. C., & Braithwaite, J. (2013). Bridges, brokers and
       boundary spanners in collaborative networks: a systematic review. BMC Health
       Services Research 13:158. doi:10.1186/1472-6963-13-158

    Examples
    --------
    A citizen asks an influencer, who engages a government office; the citizen does not
    engage the office directly:

    >>> import networkx as nx
    >>> G = nx.DiGraph([("warga", "influencer"), ("influencer", "kominfo")])
    >>> groups = {"warga": "citizen", "influencer": "influencer", "kominfo": "government"}
    >>> brokerage(G, by=groups).loc["influencer", list(BROKERAGE_ROLES)].tolist()
    [0, 0, 0, 0, 1]
    """
    check_graph(G, directed=True)
    n_perm = renamed_keyword(n_permutations, n_perm, name="n_permutations", former="n_perm",
                             default=0)
    if not isinstance(n_perm, (int, np.integer)) or n_perm < 0:
        raise KopiresearchError(f"n_permutations must be a non-negative int, not {n_perm!r}")
    nodes = list(G)
    labels, A, keep, codes = _grouped_adjacency(G, by, exclude_missing)
    counts = _role_counts(A, codes)
    out = pd.DataFrame(index=pd.Index(nodes, dtype=object, name="account_id"))
    out["group"] = labels
    for j, role in enumerate(BROKERAGE_ROLES):
        col = np.zeros(len(nodes), dtype=np.int64)
        col[keep] = counts[:, j]
        out[role] = col
    out["total"] = out[list(BROKERAGE_ROLES)].sum(axis=1)
    if n_perm:
        rng = _rng(seed)
        acc = np.zeros_like(counts, dtype=np.float64)
        for _ in range(int(n_perm)):
            acc += _role_counts(A, rng.permutation(codes))
        for j, role in enumerate(BROKERAGE_ROLES):
            col = np.zeros(len(nodes))
            col[keep] = acc[:, j] / n_perm
            out[f"expected_{role}"] = col
    return out


def brokerage_summary(table: pd.DataFrame, by: str = "group") -> pd.DataFrame:
    """Role counts of a :func:`brokerage` table summed by group (or another column).

    Parameters
    ----------
    table : pandas.DataFrame
        The result of :func:`brokerage` (optionally with more columns joined on).
    by : str, default "group"
        Column to sum by.

    Returns
    -------
    pandas.DataFrame
        One row per group and role (MultiIndex ``(by, role)``) with ``observed``,
        ``expected`` and ``ratio = observed / expected`` (the last two only when the table
        has expected counts), sorted.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "v"), ("v", "b")])
    >>> t = brokerage(G, by={"a": "x", "v": "y", "b": "x"})
    >>> brokerage_summary(t).loc[("y", "itinerant"), "observed"]
    np.int64(1)
    """
    if by not in table.columns:
        raise KopiresearchError(f"by={by!r} is not a column of the table")
    obs = table.groupby(by, sort=True)[list(BROKERAGE_ROLES)].sum()
    out = obs.stack().rename("observed").to_frame()
    out.index.names = [by, "role"]
    exp_cols = [f"expected_{r}" for r in BROKERAGE_ROLES]
    if all(c in table.columns for c in exp_cols):
        exp = table.groupby(by, sort=True)[exp_cols].sum()
        exp.columns = list(BROKERAGE_ROLES)
        out["expected"] = exp.stack().to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            out["ratio"] = out["observed"] / out["expected"]
    return out


def brokerage_null(G: nx.DiGraph, by="actor_type", *, n_permutations: int = 100, seed=None,
                   level: float = 0.95, exclude_missing: bool = False,
                   n_perm: int | None = None) -> pd.DataFrame:
    """Permutation interval of each group's brokerage counts under random relabelling.

    The same relabellings as :func:`brokerage` (same ``seed`` and ``n_permutations`` give the
    same ``expected``), but keeping the distribution: for each relabelling ``k`` the counts of
    the nodes of observed group ``g`` are summed, ``T_k(g, role)``; the interval is the
    central ``level`` quantile range of ``T_k``. An observed count outside it is more (or
    less) brokerage than the group sizes alone give in ``level`` of relabellings.

    Parameters
    ----------
    G, by, n_permutations, seed, exclude_missing, n_perm
        As in :func:`brokerage` (``n_permutations`` must be positive).
    level : float, default 0.95

    Returns
    -------
    pandas.DataFrame
        MultiIndex ``(group, role)`` as :func:`brokerage_summary`, with ``expected`` (mean
        of ``T_k``), ``null_low``, ``null_high`` (quantiles of ``T_k``) and
        ``ratio_low = null_low / expected``, ``ratio_high = null_high / expected``: the
        band of observed/expected ratios that chance alone gives.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.gnp_random_graph(30, 0.15, seed=1, directed=True)
    >>> groups = {n: "ab"[n % 2] for n in G}
    >>> null = brokerage_null(G, by=groups, n_permutations=50, seed=1)
    >>> summary = brokerage_summary(brokerage(G, by=groups, n_permutations=50, seed=1))
    >>> bool(np.allclose(null["expected"], summary["expected"]))
    True
    >>> bool((null["null_low"] <= null["expected"]).all())
    True
    """
    check_graph(G, directed=True)
    n_perm = renamed_keyword(n_permutations, n_perm, name="n_permutations", former="n_perm",
                             default=100)
    if not isinstance(n_perm, (int, np.integer)) or n_perm < 1:
        raise KopiresearchError(f"n_permutations must be a positive int, not {n_perm!r}")
    if not 0 < level < 1:
        raise KopiresearchError(f"level must be in (0, 1), not {level!r}")
    labels, A, keep, codes = _grouped_adjacency(G, by, exclude_missing)
    names = pd.Index(labels[keep]).astype(str)
    order = sorted(set(names))
    member = np.array([[n == g for n in names] for g in order], dtype=float)  # (k, n)
    rng = _rng(seed)
    totals = np.empty((int(n_perm), len(order), len(BROKERAGE_ROLES)))
    for k in range(int(n_perm)):
        totals[k] = member @ _role_counts(A, rng.permutation(codes))
    lo, hi = np.quantile(totals, [(1 - level) / 2, (1 + level) / 2], axis=0)
    idx = pd.MultiIndex.from_product([order, list(BROKERAGE_ROLES)], names=["group", "role"])
    out = pd.DataFrame({"expected": totals.mean(axis=0).ravel(), "null_low": lo.ravel(),
                        "null_high": hi.ravel()}, index=idx)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ratio_low"] = out["null_low"] / out["expected"]
        out["ratio_high"] = out["null_high"] / out["expected"]
    return out


def _grouped_adjacency(G, by, exclude_missing):
    """Group labels of every node, the binary adjacency, the nodes kept (all, or those with
    a group when ``exclude_missing``) and the group codes of the kept nodes; the adjacency
    is restricted to the kept nodes."""
    labels = group_labels(G, by)
    A = binary_adjacency(G)
    keep = np.ones(len(labels), dtype=bool)
    if exclude_missing:
        keep = labels != MISSING_GROUP
        idx = np.flatnonzero(keep)
        A = A[idx][:, idx].tocsr()
    codes, _ = codes_of(labels[keep])
    return labels, A, keep, codes


def _role_counts(A: sp.csr_array, codes: np.ndarray) -> np.ndarray:
    """(n, 5) int array of role counts for 0/1 adjacency ``A`` and group codes."""
    n = A.shape[0]
    if n == 0:
        return np.zeros((0, 5), dtype=np.int64)
    k = int(codes.max()) + 1
    Hg = sp.csr_array((np.ones(n), (np.arange(n), codes)), shape=(n, k))
    AT = A.T.tocsr()
    I = (AT @ Hg).tocsr()  # noqa: E741 -- in-neighbours of v by group
    O = (A @ Hg).tocsr()  # noqa: E741 -- out-neighbours of v by group
    rows = np.arange(n)
    Is = np.asarray(I[rows, codes]).ravel()
    Os = np.asarray(O[rows, codes]).ravel()
    indeg = np.asarray(A.sum(axis=0)).ravel()
    outdeg = np.asarray(A.sum(axis=1)).ravel()
    io_all = np.asarray(I.multiply(O).sum(axis=1)).ravel()
    coo = A.tocoo()
    same = codes[coo.row] == codes[coo.col]
    As = sp.csr_array((coo.data[same], (coo.row[same], coo.col[same])), shape=A.shape)
    Ad = sp.csr_array((coo.data[~same], (coo.row[~same], coo.col[~same])), shape=A.shape)
    mutual = A.multiply(AT).tocsr()  # mutual[a, v] = 1 when a <-> v
    mut_s = np.asarray(mutual.multiply(As).sum(axis=0)).ravel()
    mut_d = np.asarray(mutual.multiply(Ad).sum(axis=0)).ravel()
    AsT, AdT = As.T.tocsr(), Ad.T.tocsr()
    Y_s = AsT @ A  # Y_s[v, b] = #a in g(v) with a -> v and a -> b
    Y_ds = AdT @ As  # a outside g(v), a -> b within g(a)
    Y_dd = AdT @ Ad

    def rowsum(Y, mask):
        return np.asarray(Y.multiply(mask).sum(axis=1)).ravel()

    c_coord = rowsum(Y_s, As)
    c_rep = rowsum(Y_s, Ad)
    c_gate = rowsum(Y_ds, As) + rowsum(Y_dd, As)
    c_itin = rowsum(Y_ds, Ad)
    c_liai = rowsum(Y_dd, Ad)
    io_other = io_all - Is * Os
    coord = Is * Os - mut_s - c_coord
    rep = Is * (outdeg - Os) - c_rep
    gate = (indeg - Is) * Os - c_gate
    itin = io_other - mut_d - c_itin
    liai = (indeg - Is) * (outdeg - Os) - io_other - c_liai
    return np.rint(np.column_stack([coord, itin, gate, rep, liai])).astype(np.int64)
