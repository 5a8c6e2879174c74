"""Reciprocity of the interaction graph, overall and by pair of actor groups."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ._common import check_graph, group_labels

__all__ = ["reciprocity"]


def reciprocity(G: nx.DiGraph, by=None):
    """Reciprocity of a directed graph, overall or by pair of groups (the dialogic loop).

    Parameters
    ----------
    G : networkx.DiGraph
        An interaction graph (actor -> account engaged).
    by : None, str, mapping or callable, optional
        ``None`` returns the overall edge reciprocity. Otherwise the group of each node: a
        node attribute (``"actor_type"``, ``"region_code"``, ``"bakorwil"``), a mapping node ->
        group (e.g. :func:`actor_groups`) or a callable.

    Returns
    -------
    float or pandas.DataFrame
        Without ``by``: the share of edges between two distinct accounts whose reverse
        edge also exists, ``|{(u, v) in E' : (v, u) in E'}| / |E'|`` with ``E'`` the edges
        that are not self-loops (``NaN`` when there is none). With ``by``: one row per
        unordered pair of groups (``group_a <= group_b`` as strings), sorted, with
        ``dyads`` (connected unordered pairs of accounts), ``mutual_dyads``,
        ``dyad_reciprocity = mutual_dyads / dyads``, ``edges``, ``reciprocated_edges`` and
        ``edge_reciprocity = reciprocated_edges / edges``.

    Raises
    ------
    KopiresearchError
        ``G`` is not directed.

    Notes
    -----
    A dyad is an unordered pair of distinct accounts with at least one edge between them;
    it is mutual when both directions exist (each account has acted on the other).
    ``edge_reciprocity = 2 * mutual / (2 * mutual + asymmetric)`` is NodeXL's
    "reciprocated edge ratio"; ``dyad_reciprocity`` is NodeXL's "reciprocated vertex pair
    ratio", the share of conversations that went both ways. A government-citizen row covers
    edges in both directions.

    Self-loops (an account replying to itself) are left out of numerator and denominator:
    they are not conversations between two accounts. ``nx.reciprocity(G)`` instead counts a
    self-loop as an edge that is not reciprocated, so the two agree exactly on graphs
    without self-loops and differ when there are some (``[(a, b), (b, a), (a, a)]``: 1.0
    here, 2/3 in NetworkX).

    References
    ----------
    .. [1] Kent, M. L., & Taylor, M. (1998). Building dialogic relationships through the
       World Wide Web. Public Relations Review 24(3):321-334.
       doi:10.1016/S0363-8111(99)80143-X
    .. [2] Newman, M. E. J., Forrest, S., & Balthrop, J. (2002). Email networks and the
       spread of computer viruses. Physical Review E 66:035101.
       doi:10.1103/PhysRevE.66.035101
    .. [3] Rybalko, S., & Seltzer, T. (2010). Dialogic communication in 140 characters or
       less. Public Relations Review 36(4):336-341. doi:10.1016/j.pubrev.2010.08.004

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("c1", "gov"), ("gov", "c1"), ("c2", "gov"), ("c3", "inf")])
    >>> reciprocity(G)
    0.5
    >>> G.add_edge("c3", "c3")  # a self-loop changes nx.reciprocity, not this measure
    >>> reciprocity(G), round(nx.reciprocity(G), 3)
    (0.5, 0.4)
    >>> groups = {"c1": "citizen", "c2": "citizen", "c3": "citizen", "gov": "government",
    ...           "inf": "influencer"}
    >>> reciprocity(G, by=groups)[["dyads", "mutual_dyads", "dyad_reciprocity"]]
                           dyads  mutual_dyads  dyad_reciprocity
    group_a group_b
    citizen government         2             1               0.5
            influencer         1             0               0.0
    """
    check_graph(G, directed=True)
    edges = [(u, v) for u, v in G.edges() if u != v]
    if by is None:
        if not edges:
            return float("nan")
        recip = sum(1 for u, v in edges if G.has_edge(v, u))
        return recip / len(edges)
    labels = dict(zip(G, group_labels(G, by)))
    if not edges:
        return pd.DataFrame(columns=["dyads", "mutual_dyads", "dyad_reciprocity", "edges",
                                     "reciprocated_edges", "edge_reciprocity"],
                            index=pd.MultiIndex.from_tuples([], names=["group_a", "group_b"]))
    frame = pd.DataFrame(edges, columns=["u", "v"])
    frame["mutual"] = [G.has_edge(v, u) for u, v in edges]
    ga = frame["u"].map(labels).astype(str)
    gb = frame["v"].map(labels).astype(str)
    frame["group_a"] = np.where(ga <= gb, ga, gb)
    frame["group_b"] = np.where(ga <= gb, gb, ga)
    # a mutual dyad contributes two edges, an asymmetric dyad one
    frame["dyad"] = np.where(frame["mutual"], 0.5, 1.0)
    frame["mutual_dyad"] = np.where(frame["mutual"], 0.5, 0.0)
    out = frame.groupby(["group_a", "group_b"], sort=True).agg(
        dyads=("dyad", "sum"), mutual_dyads=("mutual_dyad", "sum"),
        edges=("u", "size"), reciprocated_edges=("mutual", "sum"))
    out["dyads"] = out["dyads"].round().astype(np.int64)
    out["mutual_dyads"] = out["mutual_dyads"].round().astype(np.int64)
    out["reciprocated_edges"] = out["reciprocated_edges"].astype(np.int64)
    out.insert(2, "dyad_reciprocity", out["mutual_dyads"] / out["dyads"])
    out["edge_reciprocity"] = out["reciprocated_edges"] / out["edges"]
    return out
