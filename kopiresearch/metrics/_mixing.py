"""Mixing by group: mixing matrices, nominal assortativity (plain and adjusted), E-I index."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from .._compat import renamed_keyword
from .._docs import fill_doc
from ._common import check_graph, group_labels

__all__ = ["mixing_matrix", "nominal_assortativity", "adjusted_nominal_assortativity",
           "ei_index"]


def _edge_groups(G, by, weight):
    labels = dict(zip(G, group_labels(G, by)))
    rows = [(labels[u], labels[v], 1.0 if weight is None else d.get(weight, 1))
            for u, v, d in G.edges(data=True)]
    frame = pd.DataFrame(rows, columns=["source", "target", "w"])
    frame["source"] = frame["source"].astype(str)
    frame["target"] = frame["target"].astype(str)
    return frame, labels


def mixing_matrix(G: nx.Graph, by="actor_type", *, weight: str | None = None,
                  normalize: bool = False, normalized: bool | None = None) -> pd.DataFrame:
    """Counts (or shares) of edges from each group to each group.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        The graph.
    by : str, mapping or callable, default "actor_type"
        Group of each node (attribute name, mapping node -> group, or callable); missing
        values form the group ``"unknown"``.
    weight : str or None, default None
        Sum this edge attribute instead of counting edges.
    normalize : bool, default False
        Divide by the total so that the matrix sums to 1 (Newman's ``e_ij``); the package's
        one spelling, as ``pandas.crosstab`` and
        :func:`kopiresearch.cascades.region_flows`.
    normalized : bool, optional
        The former name of ``normalize`` (NetworkX's spelling): still accepted for one
        release, with a DeprecationWarning.

    Returns
    -------
    pandas.DataFrame
        Rows: source group; columns: target group; both sorted and listing every group that
        has a node (as strings). For an undirected graph each edge is counted in both
        directions, so the matrix is symmetric (as ``nx.attribute_mixing_matrix``).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("c1", "g"), ("c2", "g"), ("g", "c1")])
    >>> mixing_matrix(G, by={"c1": "citizen", "c2": "citizen", "g": "government"})
    target      citizen  government
    source
    citizen         0.0         2.0
    government      1.0         0.0
    """
    check_graph(G)
    frame, labels = _edge_groups(G, by, weight)
    groups = sorted({str(v) for v in labels.values()})
    if not G.is_directed():
        frame = pd.concat([frame, frame.rename(columns={"source": "target",
                                                        "target": "source"})])
    M = frame.pivot_table(index="source", columns="target", values="w", aggfunc="sum",
                          fill_value=0.0, observed=False)
    M = M.reindex(index=groups, columns=groups, fill_value=0.0).astype(float)
    M.index.name, M.columns.name = "source", "target"
    normalize = renamed_keyword(normalize, normalized, name="normalize", former="normalized",
                                default=False)
    if normalize and M.to_numpy().sum() > 0:
        M = M / M.to_numpy().sum()
    return M


@fill_doc
def nominal_assortativity(G: nx.Graph, by="actor_type", *, weight: str | None = None) -> float:
    """Newman's nominal (discrete) assortativity coefficient.

    Parameters
    ----------
    {{G_by}}
    weight : str or None, default None
        Weight edges by this attribute (``None``: each edge counts once, as NetworkX).

    Returns
    -------
    float
        ``r = (sum_i e_ii - sum_i a_i b_i) / (1 - sum_i a_i b_i)`` where ``e`` is the
        normalised mixing matrix, ``a_i`` its row sums and ``b_i`` its column sums.
        Equals ``nx.attribute_assortativity_coefficient`` for an attribute name and
        ``weight=None``. ``NaN`` when there is one group (0/0).

    References
    ----------
    .. [1] Newman, M. E. J. (2003). Mixing patterns in networks. Physical Review E
       67:026126. doi:10.1103/PhysRevE.67.026126

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1), (2, 3), (1, 2)])
    >>> round(nominal_assortativity(G, by={0: "a", 1: "a", 2: "b", 3: "b"}), 4)
    0.3333
    """
    e = mixing_matrix(G, by, weight=weight, normalize=True).to_numpy()
    return _newman_r(e)


@fill_doc
def adjusted_nominal_assortativity(G: nx.Graph, by="actor_type") -> float:
    """Nominal assortativity adjusted for unequal group sizes (Karimi & Oliveira 2023).

    Parameters
    ----------
    {{G_by}}

    Returns
    -------
    float
        Newman's ``r`` computed on the mixing matrix of edge *densities*: ``E_ij`` (edge
        counts from group i to group j) divided by the number of possible edges,
        ``n_i n_j`` for ``i != j`` and ``n_i (n_i - 1)`` for ``i = j`` (``n_i`` = nodes in
        group i), then renormalised to sum 1.

    Notes
    -----
    This is the adjusted nominal assortativity of Karimi & Oliveira (2023) as their
    reference implementation computes it (``nx_adjusted_assortativity`` in
    github.com/macoj/assortativity): for each pair of groups the number of edges is divided
    by the number of possible pairs before Newman's formula is applied, so that a big group
    does not look assortative only because it is big. Groups with a single node have no
    possible internal edges; their internal density is taken as 0.

    References
    ----------
    .. [1] Karimi, F., & Oliveira, M. (2023). On the inadequacy of nominal assortativity for
       assessing homophily in networks. Scientific Reports 13:21053.
       doi:10.1038/s41598-023-48113-5

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph([(0, 1), (2, 3), (1, 2)])
    >>> round(adjusted_nominal_assortativity(G, by={0: "a", 1: "a", 2: "b", 3: "b"}), 4)
    0.6
    """
    E = mixing_matrix(G, by).to_numpy()
    labels = group_labels(G, by)
    groups = sorted({str(v) for v in labels})
    sizes = pd.Series([str(v) for v in labels]).value_counts().reindex(groups).to_numpy(float)
    possible = np.outer(sizes, sizes) - np.diag(sizes)
    with np.errstate(divide="ignore", invalid="ignore"):
        D = np.where(possible > 0, E / possible, 0.0)
    total = D.sum()
    if total == 0:
        return float("nan")
    return _newman_r(D / total)


def _newman_r(e: np.ndarray) -> float:
    if e.size == 0 or e.sum() == 0:
        return float("nan")
    ab = float(np.sum(e.sum(axis=1) * e.sum(axis=0)))
    tr = float(np.trace(e))
    if ab == 1.0:
        return float("nan")
    return (tr - ab) / (1.0 - ab)


@fill_doc
def ei_index(G: nx.Graph, by="actor_type", *, weight: str | None = None) -> pd.DataFrame:
    """Krackhardt & Stern's E-I index, overall and per group.

    Parameters
    ----------
    {{G_by}}
    weight : str or None, default None
        Sum this edge attribute instead of counting edges.

    Returns
    -------
    pandas.DataFrame
        One row per group (sorted) and a last row ``"(all)"``, with ``internal``,
        ``external`` and ``ei = (external - internal) / (external + internal)``.

    Notes
    -----
    For a group, *internal* ties have both ends in the group and *external* ties exactly
    one end (either direction); overall, internal ties are within any group and external
    ties between groups. ``ei`` runs from -1 (all ties inside groups) to +1 (all ties
    across groups); ``NaN`` for a group without ties.

    References
    ----------
    .. [1] Krackhardt, D., & Stern, R. N. (1988). Informal networks and organizational
       crises: an experimental simulation. Social Psychology Quarterly 51(2):123-140.
       doi:10.2307/2786835

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("c1", "c2"), ("c1", "g"), ("g", "c2")])
    >>> ei_index(G, by={"c1": "citizen", "c2": "citizen", "g": "government"})
                internal  external        ei
    group
    citizen          1.0       2.0  0.333333
    government       0.0       2.0  1.000000
    (all)            1.0       2.0  0.333333
    """
    check_graph(G)
    frame, labels = _edge_groups(G, by, weight)
    groups = sorted({str(v) for v in labels.values()})
    same = frame["source"] == frame["target"]
    internal = frame.loc[same].groupby("source")["w"].sum().reindex(groups, fill_value=0.0)
    ext = frame.loc[~same]
    external = (ext.groupby("source")["w"].sum().reindex(groups, fill_value=0.0)
                + ext.groupby("target")["w"].sum().reindex(groups, fill_value=0.0))
    out = pd.DataFrame({"internal": internal.astype(float), "external": external.astype(float)},
                       index=pd.Index(groups, name="group"))
    out.loc["(all)"] = [float(frame.loc[same, "w"].sum()), float(ext["w"].sum())]
    tot = out["internal"] + out["external"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["ei"] = np.where(tot > 0, (out["external"] - out["internal"]) / tot, np.nan)
    return out
