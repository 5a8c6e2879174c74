"""Helpers shared by the metrics modules: group labels of nodes and sparse adjacency."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp

from .._random import resolve_rng  # noqa: F401  (the package's one random-state helper)
from ..corpus import GOVERNMENT_TYPES
from ..errors import KopiresearchError

__all__ = ["ACTOR_GROUPS", "actor_groups", "MISSING_GROUP"]

#: Label given to nodes whose group attribute is missing.
MISSING_GROUP = "unknown"

#: Coarse actor groups: the three government types become ``"government"``.
ACTOR_GROUPS = {t: "government" for t in GOVERNMENT_TYPES} | {
    "media": "media", "influencer": "influencer", "academic": "academic",
    "community": "community", "citizen": "citizen", "unknown": "unknown"}


def actor_groups(G: nx.Graph, attr: str = "actor_type") -> dict:
    """Coarse actor group of every node (government, influencer, media, community, ...).

    Parameters
    ----------
    G : networkx.Graph
        A graph whose nodes carry the actor type in ``attr``.
    attr : str, default "actor_type"
        Node attribute holding the actor type.

    Returns
    -------
    dict
        Node -> group, where every ``government_*`` type maps to ``"government"`` and a
        missing or unknown type to ``"unknown"``. Pass it as ``by=`` to the group measures.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node(1, actor_type="government_regency"); G.add_node(2, actor_type="citizen")
    >>> actor_groups(G)
    {1: 'government', 2: 'citizen'}
    """
    return {n: ACTOR_GROUPS.get(d.get(attr), MISSING_GROUP) for n, d in G.nodes(data=True)}


def _is_missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and np.isnan(value)


def group_labels(G: nx.Graph, by, *, name: str = "by") -> np.ndarray:
    """Group label of every node in ``list(G)`` order, as an object array.

    ``by`` is a node attribute name, a mapping node -> label (a dict or a pandas Series) or a
    callable node -> label. Missing values become :data:`MISSING_GROUP`.
    """
    nodes = list(G)
    if isinstance(by, str):
        values = [d.get(by) for _, d in G.nodes(data=True)]
        if nodes and all(_is_missing(v) for v in values) and not any(
                by in d for _, d in G.nodes(data=True)):
            raise KopiresearchError(f"{name}={by!r}: no node has this attribute")
    elif isinstance(by, pd.Series):
        values = by.reindex(pd.Index(nodes, dtype=object)).tolist()
    elif isinstance(by, Mapping):
        values = [by.get(n) for n in nodes]
    elif isinstance(by, Callable):
        values = [by(n) for n in nodes]
    else:
        raise KopiresearchError(f"{name} must be a node attribute name, a mapping or a "
                                f"callable, not {type(by).__name__}")
    return np.array([MISSING_GROUP if _is_missing(v) else v for v in values], dtype=object)


def codes_of(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of labels and the sorted unique labels (as strings sort)."""
    uniq = sorted(set(labels.tolist()), key=str)
    lookup = {u: i for i, u in enumerate(uniq)}
    return np.fromiter((lookup[v] for v in labels), dtype=np.int64, count=len(labels)), \
        np.array(uniq, dtype=object)


def binary_adjacency(G: nx.Graph) -> sp.csr_array:
    """The 0/1 adjacency matrix of ``G`` in ``list(G)`` order, self-loops removed."""
    # one pass over the public edge view (faster than nx.to_scipy_sparse_array, which also
    # reads edge data)
    pos = {v: i for i, v in enumerate(G)}
    n = len(pos)
    pairs = np.array([(pos[u], pos[v]) for u, v in G.edges() if u != v],
                     dtype=np.int64).reshape(-1, 2)
    if not G.is_directed():
        pairs = np.concatenate([pairs, pairs[:, ::-1]])
    A = sp.csr_array((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    A.sum_duplicates()
    A.data[:] = 1.0
    return A


def check_graph(G, *, name: str = "G", directed: bool | None = None) -> None:
    """Raise KopiresearchError unless ``G`` is a NetworkX graph (of the required kind)."""
    if not isinstance(G, nx.Graph):
        raise KopiresearchError(f"{name} must be a networkx graph, not {type(G).__name__}")
    if G.is_multigraph():
        raise KopiresearchError(f"{name} must not be a multigraph; aggregate parallel edges "
                                "first (build_interaction_graph does)")
    if directed is True and not G.is_directed():
        raise KopiresearchError(f"{name} must be directed (a networkx.DiGraph)")
