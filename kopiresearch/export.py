"""Export interaction graphs for Gephi, Cytoscape and igraph (GEXF, GraphML) and read them back.

Both formats keep every node and edge attribute. Timestamps are written as ISO 8601 UTC
strings (``2024-10-28T02:00:00Z``) and missing values (``None``) are left out of the element,
since neither format has a null; :func:`read_graph` restores both.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pandas as pd

from .errors import KopiresearchError

__all__ = ["write_gexf", "write_graphml", "read_graph", "TIME_ATTRIBUTES"]

#: Edge attributes that hold timestamps.
TIME_ATTRIBUTES = ("first_time", "last_time")


def _portable(G: nx.Graph) -> nx.Graph:
    H = G.__class__()
    H.graph.update({k: _value(v) for k, v in G.graph.items() if v is not None})
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: _value(v) for k, v in d.items() if v is not None})
    for u, v, d in G.edges(data=True):
        H.add_edge(u, v, **{k: _value(x) for k, x in d.items() if x is not None})
    return H


def _value(v):
    if isinstance(v, pd.Timestamp):
        return v.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ") if v.tzinfo else v.isoformat()
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


def write_gexf(G: nx.Graph, path) -> Path:
    """Write ``G`` as GEXF 1.2 for Gephi, keeping attributes (times as ISO strings).

    Examples
    --------
    >>> import tempfile, os, kopiresearch as kr
    >>> G = kr.build_interaction_graph(kr.load_bundled(), kinds=["reply"],
    ...                                include_isolates=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     H = read_graph(write_gexf(G, os.path.join(d, "g.gexf")))
    >>> sorted(H.edges(data=True)) == sorted(G.edges(data=True))
    True
    """
    path = Path(path)
    nx.write_gexf(_portable(G), path)
    return path


def write_graphml(G: nx.Graph, path) -> Path:
    """Write ``G`` as GraphML, keeping attributes (times as ISO strings)."""
    path = Path(path)
    nx.write_graphml(_portable(G), path)
    return path


def read_graph(path) -> nx.Graph:
    """Read a graph written by :func:`write_gexf` or :func:`write_graphml`.

    Node ids are read as strings; ``first_time``/``last_time`` become UTC timestamps; node
    attributes ``region_code``, ``bakorwil``, ``handle`` and ``followers`` absent from an
    element are restored as ``None``, as :func:`kopiresearch.build_interaction_graph` sets them.

    Raises
    ------
    KopiresearchError
        The suffix is neither ``.gexf`` nor ``.graphml``.
    """
    path = Path(path)
    if path.suffix == ".gexf":
        G = nx.read_gexf(path, node_type=str)
        for _, d in G.nodes(data=True):
            d.pop("label", None)
        for _, _, d in G.edges(data=True):
            d.pop("id", None)
    elif path.suffix == ".graphml":
        G = nx.read_graphml(path, node_type=str)
    else:
        raise KopiresearchError(f"{path}: unknown graph format (expected .gexf or .graphml)")
    optional = ("handle", "region_code", "bakorwil", "followers")
    has_attrs = any("actor_type" in d for _, d in G.nodes(data=True))
    for _, d in G.nodes(data=True):
        if has_attrs:
            for key in optional:
                d.setdefault(key, None)
    for _, _, d in G.edges(data=True):
        for key in TIME_ATTRIBUTES:
            if key in d:
                d[key] = pd.Timestamp(d[key])
    return G
