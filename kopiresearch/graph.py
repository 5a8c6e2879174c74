"""Interaction graphs: accounts as nodes, directed acts between them as weighted edges.

Direction convention: an edge points from the account that acts to the account it engages
(replier -> replied-to, reposter -> reposted author, mentioner -> mentioned, commenter -> post
owner, owner -> tagged user). This is the NodeXL/Gephi convention. Information flows the other
way; :mod:`kopiresearch.diffusion` works on the flow direction and says so.
"""

from __future__ import annotations

import functools
import gc

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .corpus import INTERACTION_KINDS, Corpus, to_utc
from .errors import KopiresearchError
from .regions import (
    BAKORWIL,
    LEVELS,
    PROVINCE_CODE,
    PROVINCE_GROUP,
    UNKNOWN_REGION,
    region_group,
    region_table,
)

__all__ = ["build_interaction_graph", "region_graph", "node_table", "edge_table",
           "graph_from_edge_table", "aggregate_interactions", "pair_counts",
           "KIND_ATTRIBUTES"]

#: Edge attribute holding the number of acts of each kind, e.g. ``n_reply``.
KIND_ATTRIBUTES = {kind: f"n_{kind}" for kind in INTERACTION_KINDS}


def build_interaction_graph(corpus: Corpus, kinds=None, start=None, end=None, *,
                            include_isolates: bool = True, client=None) -> nx.DiGraph:
    """Build the directed, weighted interaction graph of a corpus.

    Parameters
    ----------
    corpus : Corpus or kopiresearch.scale.DaskCorpus
        The canonical tables, or a partitioned corpus opened with
        :func:`kopiresearch.scale.open_parquet_corpus` (the acts are then aggregated on Dask
        workers by :func:`kopiresearch.scale.aggregate_edges`; the graph is identical).
    kinds : iterable of str, optional
        Interaction kinds to keep (``"reply"``, ``"mention"``, ``"repost"``, ``"quote"``,
        ``"comment"``, ``"tag"``); all by default.
    start, end : timestamp-like, optional
        Keep acts with ``start <= created_at < end`` (naive values are taken as UTC).
    include_isolates : bool, default True
        Keep every account of ``corpus.accounts`` as a node, also those without an edge in
        the selection (needed for reach and coverage analyses). ``False`` keeps only
        accounts with at least one edge.
    client : distributed.Client, optional
        With a ``DaskCorpus``: the Dask client to use (default: the current one, or a
        ``LocalCluster`` for this call).

    Returns
    -------
    networkx.DiGraph
        Nodes are ``account_id`` with attributes ``handle``, ``actor_type``, ``region_code``
        (``None`` when unknown), ``bakorwil`` (``None`` for province-wide or unknown),
        ``partnered`` and ``followers`` (``None`` when unknown). Edges point from actor to the
        account engaged and carry ``weight`` (number of acts), ``n_<kind>`` for every kind
        (e.g. ``n_reply``), ``first_time`` and ``last_time`` (UTC timestamps).

    Raises
    ------
    KopiresearchError
        An unknown interaction kind.

    Notes
    -----
    Acts are aggregated on integer codes (Arrow dictionary encoding of the ids, one NumPy
    sort of the pair keys, ``bincount``), not a Python loop over rows; the graph is then
    filled by one ``add_nodes_from`` and one ``add_edges_from`` in (source, target) order,
    and ``last_time`` is the same Timestamp object as ``first_time`` where the two are
    equal (Timestamps are immutable). Self-loops never occur because the loaders drop
    self-acts.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> G = kr.build_interaction_graph(kr.load_bundled(), kinds=["reply"])
    >>> G.is_directed(), all(d["weight"] == d["n_reply"] for _, _, d in G.edges(data=True))
    (True, True)
    """
    if not isinstance(corpus, Corpus) and type(corpus).__name__ == "DaskCorpus":
        from .scale._edges import aggregate_edges

        edges = aggregate_edges(corpus, kinds, start, end, client=client)
        return graph_from_edge_table(corpus.accounts, edges, include_isolates=include_isolates)
    if client is not None:
        raise KopiresearchError("client= applies to a partitioned corpus (a DaskCorpus from "
                                "kopiresearch.scale.open_parquet_corpus); an in-memory "
                                "Corpus is built in this process")
    inter = corpus.interactions
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else list(kinds)
        unknown = sorted(set(kinds) - set(INTERACTION_KINDS))
        if unknown:
            raise KopiresearchError(f"unknown interaction kind(s) {unknown}; known: "
                                    f"{', '.join(INTERACTION_KINDS)}")
        inter = inter[inter["kind"].isin(kinds)]
    if start is not None:
        inter = inter[inter["created_at"] >= to_utc(start)]
    if end is not None:
        inter = inter[inter["created_at"] < to_utc(end)]

    return _graph_of_acts(corpus.accounts, inter, include_isolates)


def graph_from_edge_table(accounts: pd.DataFrame, edges: pd.DataFrame, *,
                          include_isolates: bool = True) -> nx.DiGraph:
    """Assemble the interaction graph from ``accounts`` and an aggregated edge table.

    ``edges`` has columns ``source_id``, ``target_id``, ``weight``, ``n_<kind>``,
    ``first_time`` and ``last_time``, one row per account pair, as computed in memory by
    :func:`build_interaction_graph` or out of core by :mod:`kopiresearch.scale`; both paths
    share this function, so they give the same graph.
    """
    edges = edges.sort_values(["source_id", "target_id"], kind="stable")
    attrs = _edge_values(edges[[c for c in edges.columns if c not in ("source_id",
                                                                      "target_id")]])
    return _assemble(accounts, edges["source_id"].tolist(), edges["target_id"].tolist(),
                     attrs, include_isolates)


def _assemble(accounts: pd.DataFrame, sources: list, targets: list, attrs: dict,
              include_isolates: bool) -> nx.DiGraph:
    """The graph from node attributes and edge lists already sorted by pair (``attrs``:
    edge attribute name -> list of values)."""
    G = nx.DiGraph()
    nodes = _node_attributes(accounts)
    if not include_isolates:
        keep = pd.Index(sources, dtype=object).union(pd.Index(targets, dtype=object))
        nodes = nodes.loc[nodes.index.isin(keep)]
    cols = tuple(nodes.columns)
    # a million new dicts would trigger the cyclic garbage collector over and over (about a
    # third of the time); they form no cycles, so it is paused while the graph is filled
    enabled = gc.isenabled()
    gc.disable()
    try:
        G.add_nodes_from(zip(nodes.index,
                             _row_dicts(cols)([nodes[c].tolist() for c in cols])))
        G.add_edges_from(zip(sources, targets,
                             _row_dicts(tuple(attrs))(list(attrs.values()))))
    finally:
        if enabled:
            gc.enable()
    return G


def _edge_values(frame: pd.DataFrame) -> dict:
    """Columns as lists of Python values (ints, bools, str, Timestamps, None), fast; a
    ``last_time`` equal to the row's ``first_time`` is the same Timestamp (see
    :func:`_timestamps`)."""
    cols = list(frame.columns)
    share = ("first_time" in cols and "last_time" in cols
             and isinstance(frame["first_time"].dtype, pd.DatetimeTZDtype)
             and frame["first_time"].dtype == frame["last_time"].dtype)
    values = {c: None if share and c == "last_time" else frame[c].tolist() for c in cols}
    if share:
        first, last = frame["first_time"], frame["last_time"]
        differ = np.flatnonzero((first != last).to_numpy(bool))
        values["last_time"] = _shared(values["first_time"], differ,
                                      last.iloc[differ].tolist())
    return values


def _timestamps(first: np.ndarray, last: np.ndarray) -> tuple[list, list]:
    """UTC Timestamps of int64 nanoseconds. Making a Timestamp is the slowest step of
    building the graph and most pairs act once, so where ``last == first`` the two
    attributes hold the same (immutable) Timestamp object."""
    def utc(ns):
        return pd.DatetimeIndex(ns.view("datetime64[ns]")).tz_localize("UTC").tolist()

    firsts = utc(first)
    differ = np.flatnonzero(first != last)
    return firsts, _shared(firsts, differ, utc(last[differ]))


def _shared(values: list, where: np.ndarray, replacements: list) -> list:
    out = list(values)
    for k, t in zip(where.tolist(), replacements):
        out[k] = t
    return out


@functools.lru_cache(maxsize=32)
def _row_dicts(cols: tuple):
    """A function turning column value lists into row dicts with ``cols`` as keys.

    For string column names it is a generated dict display (one ``BUILD_MAP`` per row,
    twice as fast as ``dict(zip(cols, row))``, as ``collections.namedtuple`` generates its
    code); other names fall back to ``dict(zip(...))``.
    """
    if not cols or not all(isinstance(c, str) for c in cols):
        return lambda values: [dict(zip(cols, row)) for row in zip(*values)]
    names = [f"v{i}" for i in range(len(cols))]
    display = ", ".join(f"{c!r}: {v}" for c, v in zip(cols, names))
    code = f"lambda values: [{{{display}}} for {', '.join(names)}, in zip(*values)]"
    return eval(code, {"zip": zip})


def aggregate_interactions(interactions: pd.DataFrame) -> pd.DataFrame:
    """One row per (source, target) pair: ``weight``, ``n_<kind>``, ``first_time``,
    ``last_time``, sorted by pair (the edge table of the interaction graph).

    Examples
    --------
    >>> import kopiresearch as kr
    >>> edges = aggregate_interactions(kr.load_bundled().interactions)
    >>> int(edges["weight"].sum()) == len(kr.load_bundled().interactions)
    True
    """
    return _aggregate(interactions)


def _aggregate(inter: pd.DataFrame) -> pd.DataFrame:
    cols = ["source_id", "target_id"]
    if inter.empty:
        return pd.DataFrame(columns=cols + ["weight", *KIND_ATTRIBUTES.values(),
                                            "first_time", "last_time"])
    ids, key, counts, first, last = _pairs(inter)
    out = pd.DataFrame({"source_id": pd.Series(ids[key // len(ids)], dtype=object),
                        "target_id": pd.Series(ids[key % len(ids)], dtype=object),
                        "weight": counts.sum(axis=1)})
    for j, k in enumerate(INTERACTION_KINDS):
        out[KIND_ATTRIBUTES[k]] = counts[:, j]
    out["first_time"] = pd.DatetimeIndex(first.view("datetime64[ns]")).tz_localize("UTC")
    out["last_time"] = pd.DatetimeIndex(last.view("datetime64[ns]")).tz_localize("UTC")
    return out


def _graph_of_acts(accounts: pd.DataFrame, inter: pd.DataFrame,
                   include_isolates: bool) -> nx.DiGraph:
    """:func:`graph_from_edge_table` of :func:`_aggregate` without the intermediate table."""
    if inter.empty:
        return _assemble(accounts, [], [], {}, include_isolates)
    ids, key, counts, first, last = _pairs(inter)
    attrs = {"weight": counts.sum(axis=1).tolist()}
    for j, k in enumerate(INTERACTION_KINDS):
        attrs[KIND_ATTRIBUTES[k]] = counts[:, j].tolist()
    attrs["first_time"], attrs["last_time"] = _timestamps(first, last)
    return _assemble(accounts, ids[key // len(ids)].tolist(), ids[key % len(ids)].tolist(),
                     attrs, include_isolates)


def _pairs(inter: pd.DataFrame):
    """Sorted account ids and :func:`pair_counts` of the acts on codes into them."""
    n = len(inter)
    # one code space for both ends, in sorted id order, so that sorting the int64 pair key
    # sorts by (source_id, target_id)
    codes, ids = _sorted_codes(inter["source_id"], inter["target_id"])
    kind = pd.Categorical(inter["kind"], categories=list(INTERACTION_KINDS)).codes
    times = inter["created_at"].to_numpy("datetime64[ns]").view(np.int64)
    key, counts, first, last = pair_counts(codes[:n], codes[n:], len(ids), kind, times)
    return ids, key, counts, first, last


def _sorted_codes(source: pd.Series, target: pd.Series):
    """``pd.factorize(concat(source, target), sort=True)``; with Arrow-backed strings (the
    canonical tables' dtype) by Arrow's dictionary encoding, without Python objects."""
    arrow = [getattr(x.array, "__arrow_array__", None) for x in (source, target)]
    if any(a is None for a in arrow) or source.hasnans or target.hasnans:
        both = np.concatenate([source.to_numpy(object), target.to_numpy(object)])
        return pd.factorize(both, sort=True)
    chunks = [c for a in arrow for c in pa.chunked_array(a()).chunks]
    enc = pa.chunked_array(chunks).dictionary_encode().combine_chunks()
    order = pc.sort_indices(enc.dictionary).to_numpy()
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    ids = enc.dictionary.take(pa.array(order)).to_numpy(zero_copy_only=False)
    return rank[enc.indices.to_numpy()], ids.astype(object)


def pair_counts(src, dst, n, kind, times):
    """Aggregate acts by (source, target) pair on integer codes.

    Parameters
    ----------
    src, dst : int arrays
        Account codes in ``[0, n)``.
    n : int
        Number of account codes.
    kind : int array
        Index into :data:`kopiresearch.INTERACTION_KINDS`.
    times : int64 array
        Nanoseconds since the epoch.

    Returns
    -------
    key, counts, first, last
        Sorted unique pair keys ``src * n + dst``, a ``(pairs, kinds)`` count matrix, and the
        first and last time of each pair.

    Examples
    --------
    >>> import numpy as np
    >>> key, counts, first, last = pair_counts(np.array([1, 0, 1]), np.array([0, 1, 0]), 2,
    ...                                        np.array([0, 1, 1]), np.array([5, 7, 3]))
    >>> key.tolist(), counts.tolist(), first.tolist(), last.tolist()
    ([1, 2], [[0, 1, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0]], [7, 3], [7, 5])
    """
    key = np.asarray(src, dtype=np.int64) * int(n) + np.asarray(dst, dtype=np.int64)
    uniq, inverse = np.unique(key, return_inverse=True)
    k = len(INTERACTION_KINDS)
    counts = np.bincount(inverse * k + np.asarray(kind, dtype=np.int64),
                         minlength=len(uniq) * k).reshape(len(uniq), k)
    first = np.full(len(uniq), np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(len(uniq), np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first, inverse, times)
    np.maximum.at(last, inverse, times)
    return uniq, counts.astype(np.int64), first, last


def _node_attributes(accounts: pd.DataFrame) -> pd.DataFrame:
    region = accounts["region_code"].astype(object).where(accounts["region_code"].notna(), None)
    table = region_table()["bakorwil"]
    bakorwil = region.map(table.to_dict())
    frame = pd.DataFrame({
        "handle": accounts["handle"].astype(object).where(accounts["handle"].notna(), None),
        "actor_type": accounts["actor_type"].astype(str),
        "region_code": region,
        "bakorwil": bakorwil.astype(object).where(bakorwil.notna(), None),
        "partnered": accounts["partnered"].fillna(False).astype(bool),
        "followers": accounts["followers"].astype(object).where(accounts["followers"].notna(),
                                                                  None),
    }, index=accounts.index.astype(object))
    return frame


def node_table(G: nx.Graph) -> pd.DataFrame:
    """The node attributes of a graph as a DataFrame indexed by node, sorted.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_node("b", actor_type="citizen"); G.add_node("a")
    >>> node_table(G)
      actor_type
    a        NaN
    b    citizen
    """
    frame = pd.DataFrame.from_dict(dict(G.nodes(data=True)), orient="index")
    return frame.sort_index()


def edge_table(G: nx.Graph) -> pd.DataFrame:
    """The edges of a graph with their attributes, one row per edge, sorted by endpoints.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_edge("b", "a", weight=2)
    >>> edge_table(G)
      source target  weight
    0      b      a       2
    """
    rows = [{"source": u, "target": v, **d} for u, v, d in G.edges(data=True)]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return pd.DataFrame(columns=["source", "target"])
    return frame.sort_values(["source", "target"]).reset_index(drop=True)


def region_graph(G: nx.DiGraph, level: str = "kabkota", *, weight: str = "weight",
                 region: str = "region_code") -> nx.DiGraph:
    """The quotient graph of an interaction graph by region.

    Parameters
    ----------
    G : networkx.DiGraph
        An interaction graph (node attribute ``region_code``).
    level : {"kabkota", "bakorwil"}
        Group accounts by kabupaten/kota code or by Bakorwil.
    weight : str
        Edge attribute to sum (``"weight"``; edges without it count 1).
    region : str
        Node attribute holding the region code.

    Returns
    -------
    networkx.DiGraph
        One node per region (code, or Bakorwil name) plus ``"35"`` for province-wide accounts
        at kabupaten/kota level (``"province"`` at Bakorwil level) and ``"unknown"`` for
        accounts of unknown region, each present even when it has no account. Node
        attributes: ``name``, ``n_accounts``, ``population`` (regions only). An edge r -> s
        sums the weights of all account edges from r to s; edges within a region are kept as
        self-loops (their weight is the internal activity). Edge attribute ``n_edges`` counts
        the account-level edges merged into it.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("a", region_code="3506"); G.add_node("b", region_code="3571")
    >>> G.add_node("c", region_code=None)
    >>> G.add_edge("a", "b", weight=2); G.add_edge("c", "b", weight=1)
    >>> R = region_graph(G, level="bakorwil")
    >>> R["I Madiun"]["I Madiun"]["weight"], R["unknown"]["I Madiun"]["weight"]
    (2, 1)
    """
    if level not in LEVELS:
        raise KopiresearchError(f"level must be 'kabkota' or 'bakorwil', not {level!r}")
    table = region_table()
    if level == "kabkota":
        groups = {code: {"name": row["name"], "population": int(row["population"])}
                  for code, row in table.iterrows()}
        groups[PROVINCE_CODE] = {"name": "Provinsi Jawa Timur", "population": None}
    else:
        pops = table.groupby("bakorwil")["population"].sum()
        groups = {b: {"name": f"Bakorwil {b}", "population": int(pops[b])} for b in BAKORWIL}
        groups[PROVINCE_GROUP] = {"name": "Provinsi Jawa Timur", "population": None}
    groups[UNKNOWN_REGION] = {"name": "unknown region", "population": None}

    member = {n: region_group(d.get(region), level) for n, d in G.nodes(data=True)}
    R = nx.DiGraph()
    for key, attrs in groups.items():
        R.add_node(key, **attrs, n_accounts=0)
    for g in member.values():
        R.nodes[g]["n_accounts"] += 1
    if G.number_of_edges():
        frame = pd.DataFrame(
            [(member[u], member[v], d.get(weight, 1)) for u, v, d in G.edges(data=True)],
            columns=["r", "s", "w"])
        agg = frame.groupby(["r", "s"], sort=True)["w"].agg(["sum", "size"])
        for (r, s), row in agg.iterrows():
            R.add_edge(r, s, weight=row["sum"].item(), n_edges=int(row["size"]))
    return R
