"""Export interaction graphs for Gephi, Cytoscape and igraph (GEXF, GraphML) and read them back.

Both formats keep every node and edge attribute. Timestamps are written as ISO 8601 UTC
strings (``2024-10-28T02:00:00Z``) and missing values (``None``) are left out of the element,
since neither format has a null; :func:`read_graph` restores both. Nodes are labelled with
their handle (the account id when the handle is unknown), the label Gephi shows.

:func:`gephi_graph` prepares the graph a researcher opens in Gephi (handles as labels; actor
type, region, Bakorwil and Louvain community as node attributes), and
``write_gexf(G, path, dynamic=True)`` writes each edge's activity interval (first to last
act) as a GEXF spell, for Gephi's timeline. ``kopiresearch export CORPUS_DIR --gexf FILE``
does both from the command line.
"""

from __future__ import annotations

import io
from pathlib import Path

import networkx as nx
import pandas as pd

from .errors import KopiresearchError

__all__ = ["gephi_graph", "write_gexf", "write_graphml", "read_graph", "TIME_ATTRIBUTES",
           "GEPHI_NODE_ATTRIBUTES"]

#: Edge attributes that hold timestamps.
TIME_ATTRIBUTES = ("first_time", "last_time")
#: Node attributes :func:`gephi_graph` adds to those of the interaction graph.
GEPHI_NODE_ATTRIBUTES = ("region_name", "community")
# GEXF 1.2 names the ISO date-with-time format "dateTime"; networkx writes "date" for strings
_GEXF_DATETIME = b'timeformat="dateTime"'
_GEXF_DATE = b'timeformat="date"'


def gephi_graph(corpus, *, kinds=None, start=None, end=None, include_isolates=False,
                seed=0, resolution: float = 1.0) -> nx.DiGraph:
    """The interaction graph of a corpus with the node attributes Gephi users filter and
    colour by.

    Parameters
    ----------
    corpus : Corpus
        The canonical tables (labelled or not).
    kinds, start, end
        As in :func:`kopiresearch.build_interaction_graph`.
    include_isolates : bool, default False
        Keep accounts without an edge in the selection (they clutter a Gephi layout).
    seed : int or numpy.random.Generator, default 0
        Seed of the Louvain communities (the same seed gives the same file).
    resolution : float, default 1.0
        Louvain resolution.

    Returns
    -------
    networkx.DiGraph
        The graph of :func:`kopiresearch.build_interaction_graph` (node attributes
        ``handle``, ``actor_type``, ``region_code``, ``bakorwil``, ``partnered``,
        ``followers``; edges with ``weight``, ``n_<kind>``, ``first_time``, ``last_time``)
        plus node attributes ``region_name`` (``"Kota Malang"``, ``"Provinsi Jawa Timur"``,
        ``None`` when unknown) and ``community`` (Louvain community number, 0 the largest).

    See Also
    --------
    kopiresearch.metrics.communities : the community detection used.
    write_gexf, write_graphml

    Notes
    -----
    Communities are :func:`kopiresearch.metrics.communities` on the undirected, weighted
    version of the graph (Louvain, Blondel et al. 2008), so Gephi's own modularity run may
    number them differently.

    References
    ----------
    .. [1] Bastian, M., Heymann, S., & Jacomy, M. (2009). Gephi: an open source software for
       exploring and manipulating networks. ICWSM 3(1), 361-362.
       doi:10.1609/icwsm.v3i1.13937
    .. [2] Blondel, V. D., Guillaume, J.-L., Lambiotte, R., & Lefebvre, E. (2008). Fast
       unfolding of communities in large networks. J. Stat. Mech. P10008.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> G = gephi_graph(kr.load_bundled(), kinds=["reply"])
    >>> d = G.nodes["synthetic:a000033"]
    >>> d["handle"], d["region_name"], d["bakorwil"], isinstance(d["community"], int)
    ('kominfo_kotamalang_demo', 'Kota Malang', 'III Malang', True)
    """
    from .graph import build_interaction_graph
    from .metrics import communities
    from .regions import PROVINCE_CODE, region_table

    G = build_interaction_graph(corpus, kinds=kinds, start=start, end=end,
                                include_isolates=include_isolates)
    names = region_table()["name"].to_dict()
    names[PROVINCE_CODE] = "Provinsi Jawa Timur"
    comm = communities(G, seed=seed, resolution=resolution) if len(G) else pd.Series(
        dtype="int64")
    for n, d in G.nodes(data=True):
        d["region_name"] = names.get(d.get("region_code"))
        d["community"] = int(comm[n]) if n in comm.index else None
    return G


def _portable(G: nx.Graph, *, dynamic: bool = False) -> nx.Graph:
    H = G.__class__()
    H.graph.update({k: _value(v) for k, v in G.graph.items() if v is not None})
    for n, d in G.nodes(data=True):
        attrs = {k: _value(v) for k, v in d.items() if v is not None}
        attrs["label"] = d.get("handle") or str(n)
        H.add_node(n, **attrs)
    for u, v, d in G.edges(data=True):
        attrs = {k: _value(x) for k, x in d.items() if x is not None}
        if dynamic and "first_time" in attrs and "last_time" in attrs:
            attrs["spells"] = [(attrs["first_time"], attrs["last_time"])]
        H.add_edge(u, v, **attrs)
    if dynamic:
        H.graph["mode"] = "dynamic"
    return H


def _value(v):
    if isinstance(v, pd.Timestamp):
        return v.tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%SZ") if v.tzinfo else v.isoformat()
    if hasattr(v, "item"):  # numpy scalar
        return v.item()
    return v


def write_gexf(G: nx.Graph, path, *, dynamic: bool = False) -> Path:
    """Write ``G`` as GEXF 1.2 for Gephi, keeping attributes (times as ISO strings).

    Parameters
    ----------
    G : networkx.Graph
        Typically :func:`gephi_graph` or :func:`kopiresearch.build_interaction_graph`.
    path : path-like
        The ``.gexf`` file to write.
    dynamic : bool, default False
        Also give every edge that has ``first_time`` and ``last_time`` a spell from its
        first to its last act (``<spell start=... end=...>``, ``timeformat="dateTime"``,
        UTC), so that Gephi's timeline shows when each tie was active. Nodes have no spell
        (they exist throughout).

    Returns
    -------
    pathlib.Path
        ``path``.

    Notes
    -----
    Node labels are the handles (the account id when a node has none). A spell is the
    closed interval ``[first_time, last_time]``: a tie of one act is an instant. The spell
    repeats the ``first_time``/``last_time`` attributes, which stay in the file; a spell
    says when a tie was active, not that it was absent between its acts.

    References
    ----------
    .. [1] GEXF Working Group. GEXF 1.2draft Primer (dynamics: spells, timeformat).
       https://gexf.net/

    Examples
    --------
    >>> import tempfile, os, kopiresearch as kr
    >>> G = kr.build_interaction_graph(kr.load_bundled(), kinds=["reply"],
    ...                                include_isolates=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     H = read_graph(write_gexf(G, os.path.join(d, "g.gexf"), dynamic=True))
    >>> sorted(H.edges(data=True)) == sorted(G.edges(data=True))
    True
    """
    path = Path(path)
    H = _portable(G, dynamic=dynamic)
    if not dynamic:
        nx.write_gexf(H, path)
        return path
    buffer = io.BytesIO()
    nx.write_gexf(H, buffer)
    path.write_bytes(buffer.getvalue().replace(_GEXF_DATE, _GEXF_DATETIME, 1))
    return path


def write_graphml(G: nx.Graph, path) -> Path:
    """Write ``G`` as GraphML, keeping attributes (times as ISO strings); node ``label``
    is the handle, the attribute Gephi's GraphML import takes as the label.

    Examples
    --------
    >>> import tempfile, os, kopiresearch as kr
    >>> G = kr.build_interaction_graph(kr.load_bundled(), kinds=["quote"],
    ...                                include_isolates=False)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     H = read_graph(write_graphml(G, os.path.join(d, "g.graphml")))
    >>> dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    True
    """
    path = Path(path)
    nx.write_graphml(_portable(G), path)
    return path


def read_graph(path) -> nx.Graph:
    """Read a graph written by :func:`write_gexf` (static or dynamic) or
    :func:`write_graphml`.

    Node ids are read as strings; ``first_time``/``last_time`` become UTC timestamps; the
    labels and spells the writers add are dropped (they repeat ``handle`` and the two
    times); node attributes ``region_code``, ``bakorwil``, ``handle``, ``followers``,
    ``region_name`` and ``community`` absent from an element are restored as ``None``, as
    :func:`kopiresearch.build_interaction_graph` and :func:`gephi_graph` set them.

    Raises
    ------
    KopiresearchError
        The suffix is neither ``.gexf`` nor ``.graphml``.
    """
    path = Path(path)
    if path.suffix == ".gexf":
        data = path.read_bytes()
        # networkx reads ISO strings under "date" only
        G = nx.read_gexf(io.BytesIO(data.replace(_GEXF_DATETIME, _GEXF_DATE, 1)),
                         node_type=str)
        for _, d in G.nodes(data=True):
            d.pop("label", None)
        for _, _, d in G.edges(data=True):
            d.pop("id", None)
            d.pop("spells", None)
    elif path.suffix == ".graphml":
        G = nx.read_graphml(path, node_type=str)
        for _, d in G.nodes(data=True):
            d.pop("label", None)
    else:
        raise KopiresearchError(f"{path}: unknown graph format (expected .gexf or .graphml)")
    optional = ("handle", "region_code", "bakorwil", "followers")
    has_attrs = any("actor_type" in d for _, d in G.nodes(data=True))
    gephi = any(k in d for _, d in G.nodes(data=True) for k in GEPHI_NODE_ATTRIBUTES)
    for _, d in G.nodes(data=True):
        if has_attrs:
            for key in optional + (GEPHI_NODE_ATTRIBUTES if gephi else ()):
                d.setdefault(key, None)
    for _, _, d in G.edges(data=True):
        for key in TIME_ATTRIBUTES:
            if key in d:
                d[key] = pd.Timestamp(d[key])
    return G

