"""An interactive network view (ipysigma) for notebooks, and a standalone HTML export.

Why ipysigma: it is the Jupyter widget of the sigma.js / graphology team (médialab
Sciences Po, the people behind Gephi's ForceAtlas2 and Gephi Lite); it draws graphs of
tens of thousands of nodes with WebGL, takes a networkx graph as it is, colours and sizes
nodes by any attribute with a legend whose swatches filter the graph, searches nodes by
label, shows every attribute of a clicked node, and can lay the graph out with
ForceAtlas2 in the browser. Several synchronised views (:class:`ipysigma.SigmaGrid`) give
one colouring each: actor type, community, Bakorwil.

Offline export. ``Sigma.write_html`` writes a page that loads require.js, the Jupyter
widget manager and the ipysigma code from public CDNs, so it shows nothing without a
network. :func:`write_network_html` writes the same widget state but puts every script in
the page: require.js 2.3.8 (MIT) and ``@jupyter-widgets/html-manager`` 1.0.7 (BSD-3)
from ``kopiresearch/plot/_vendor`` (gzip, fetched from the npm registry by
``tools/vendor_widget_js.sh``, checked by SHA-256), and ipysigma's own JavaScript bundle
read from the installed ipysigma package. The page is large (about 6 MB plus the graph)
and needs no network.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import KopiresearchError
from ._palette import ACTOR_COLORS, COMMUNITY_COLORS, OTHER_COLOR

__all__ = ["interactive_network", "write_network_html", "VENDOR_SHA256"]

_VENDOR = Path(__file__).resolve().parent / "_vendor"

#: SHA-256 of the uncompressed vendored scripts (as published on the npm registry).
VENDOR_SHA256 = {
    "require.js.gz": "c1fc6b1d53af7522f78d664922abb32acac64ed0ecccb8f907f1e6fc7262563a",
    "html-manager-embed-amd.js.gz":
        "e6f8d17290f3cbe78a0a0d72c0a6c49be5d8bfb4e36fbcd43013ac1954531808",
}

_VIEW_TITLES = {"actor_type": "actor type", "community": "community", "bakorwil": "Bakorwil",
                "region_code": "kabupaten/kota"}


def _ipysigma():
    try:
        import ipysigma
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise KopiresearchError("the interactive view needs ipysigma (pip install ipysigma)"
                                ) from exc
    return ipysigma


def _prepare(G, *, communities=None, measures=None, label_by="handle", size_by="in_weight",
             max_nodes=None):
    """A plain graph with the attributes the view shows (JSON-safe values only)."""
    import networkx as nx

    if max_nodes is not None and G.number_of_nodes() > max_nodes:
        strength = dict(G.degree(weight="weight"))
        G = G.subgraph(sorted(G, key=lambda n: (-strength[n], str(n)))[:max_nodes])
    H = nx.DiGraph() if G.is_directed() else nx.Graph()
    comm = pd.Series(communities) if communities is not None else None
    meas = pd.DataFrame(measures) if measures is not None else None
    in_w = dict(G.in_degree(weight="weight")) if G.is_directed() else dict(
        G.degree(weight="weight"))
    for n in sorted(G, key=str):
        d = G.nodes[n]
        attrs = {"label": str(d.get(label_by) or n),
                 "actor_type": str(d.get("actor_type") or "unknown"),
                 "region_code": str(d.get("region_code") or "unknown"),
                 "bakorwil": str(d.get("bakorwil") or "province / unknown"),
                 "in_weight": float(in_w.get(n, 0.0)),
                 "degree": int(G.degree(n))}
        if comm is not None:
            c = comm.get(n)
            attrs["community"] = "none" if c is None or pd.isna(c) else f"community {int(c)}"
        if meas is not None and n in meas.index:
            for col in meas.columns:
                v = meas.at[n, col]
                attrs[str(col)] = None if pd.isna(v) else float(v)
        H.add_node(str(n), **attrs)
    for u, v, d in G.edges(data=True):
        H.add_edge(str(u), str(v), weight=float(d.get("weight", 1.0)))
    if isinstance(size_by, str) and size_by not in ("in_weight", "degree") and (
            meas is None or size_by not in meas.columns):
        raise KopiresearchError(f"size_by={size_by!r}: pass it in measures= (a column), or "
                                "use 'in_weight' or 'degree'")
    return H


def _palette_for(attr, H):
    present = {d.get(attr) for _, d in H.nodes(data=True)}
    if attr == "actor_type":
        return {k: v for k, v in ACTOR_COLORS.items() if k in present}
    values = sorted({d.get(attr) for _, d in H.nodes(data=True)} - {None}, key=str)
    if attr == "community":
        def key(v):
            return (v == "none", int(v.split()[-1]) if v.split()[-1].isdigit() else 0)
        values = sorted(values, key=key)
    pal = {v: COMMUNITY_COLORS[i] if i < len(COMMUNITY_COLORS) else OTHER_COLOR
           for i, v in enumerate(values)}
    for v in ("none", "province / unknown", "unknown"):
        if v in pal:
            pal[v] = OTHER_COLOR
    return pal


def interactive_network(G, *, color_by=("actor_type", "community", "bakorwil"),
                        size_by="in_weight", label_by="handle", communities=None,
                        measures=None, positions=None, max_nodes=None, height=600,
                        layout_seconds=None):
    """An ipysigma view of an interaction graph: zoom, hover, search a handle, click a
    legend swatch to filter, one synchronised view per colouring.

    Parameters
    ----------
    G : networkx.DiGraph
    color_by : str or sequence of str
        Node attribute(s) to colour by, one view each: ``"actor_type"`` (the package
        palette), ``"community"`` (needs ``communities``), ``"bakorwil"``,
        ``"region_code"``, or a column of ``measures`` (a colour gradient).
    size_by : str
        ``"in_weight"`` (weighted in-degree), ``"degree"`` or a column of ``measures``.
    label_by : str
        Node attribute shown as the label and searched by the search box (the handle).
    communities : mapping, optional
        Node -> community number (:func:`kopiresearch.metrics.communities`).
    measures : pandas.DataFrame, optional
        Indexed by node; every column is shown in the node panel and can size or colour.
    positions : dict, optional
        Node -> (x, y), e.g. from :func:`kopiresearch.plot.network_layout`. Without it the
        browser runs ForceAtlas2 for ``layout_seconds`` (default 10) and stops.
    max_nodes : int, optional
        Keep only the nodes of highest weighted degree.
    height : int
        Height of each view in pixels.

    Returns
    -------
    ipysigma.Sigma or ipywidgets.VBox
        One view, or a grid of ipysigma views synchronised like :class:`ipysigma.SigmaGrid`
        (same camera, layout, selection and hover; a ``VBox`` so that it can be embedded).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> nx.set_node_attributes(G, {"a": "citizen", "b": "government_regency",
    ...                            "c": "influencer"}, "actor_type")
    >>> view = interactive_network(G, color_by="actor_type", positions=nx.circular_layout(G))
    >>> type(view).__name__, len(view.get_layout())
    ('Sigma', 3)
    """
    ipysigma = _ipysigma()
    H = _prepare(G, communities=communities, measures=measures, label_by=label_by,
                 size_by=size_by, max_nodes=max_nodes)
    views = [color_by] if isinstance(color_by, str) else list(color_by)
    views = [v for v in views if v != "community" or communities is not None]
    if not views:
        raise KopiresearchError("color_by: nothing to colour by (community needs communities=)")
    numeric = set(measures.columns) if measures is not None else set()
    common = dict(node_size=size_by, node_size_range=(2, 14), node_label="label",
                  edge_size="weight", edge_size_range=(0.3, 2.5), default_edge_type="line",
                  default_edge_color="#9a9a9a", label_density=1, height=height)
    if positions is not None:
        common["layout"] = {str(k): {"x": float(np.asarray(v)[0]), "y": float(np.asarray(v)[1])}
                            for k, v in positions.items()}
        common["start_layout"] = False
    else:
        common["start_layout"] = layout_seconds or 10

    def view_kwargs(attr):
        if attr in numeric or attr in ("in_weight", "degree"):
            return {"node_color": attr, "node_color_gradient": "Viridis"}
        return {"node_color": attr, "node_color_palette": _palette_for(attr, H),
                "max_categorical_colors": 40, "default_node_color": OTHER_COLOR}

    if len(views) == 1:
        return ipysigma.Sigma(H, **common, **view_kwargs(views[0]))
    from ipywidgets import HBox, VBox

    sync = "kopiresearch-" + hashlib.sha256(repr(sorted(H)).encode()).hexdigest()[:12]
    sigmas = [ipysigma.Sigma(H, sync_key=sync, name=f"colour: {_VIEW_TITLES.get(a, a)}",
                             **common, **view_kwargs(a)) for a in views]
    columns = min(len(sigmas), 2)
    return VBox([HBox(sigmas[i:i + columns]) for i in range(0, len(sigmas), columns)])


def _vendor_script(name):
    path = _VENDOR / name
    data = gzip.decompress(path.read_bytes())
    digest = hashlib.sha256(data).hexdigest()
    if digest != VENDOR_SHA256[name]:
        raise KopiresearchError(f"{path}: SHA-256 {digest} is not the vendored "
                                f"{VENDOR_SHA256[name]}; run tools/vendor_widget_js.sh")
    return data.decode("utf-8")


def _ipysigma_script():
    ipysigma = _ipysigma()
    path = Path(ipysigma.__file__).resolve().parent / "nbextension" / "index.js"
    if not path.exists():
        raise KopiresearchError(f"{path}: ipysigma's JavaScript bundle is missing")
    src = path.read_text(encoding="utf-8")
    # the bundle is one anonymous AMD module; name it so the page needs no loader fetch
    named, n = re.subn(r"\bdefine\(\[", 'define("ipysigma",[', src, count=1)
    if n != 1:
        raise KopiresearchError(f"{path}: not the AMD bundle this export knows how to embed")
    return named.replace("//# sourceMappingURL=", "//# sourceMappingURL-removed=")


def _safe_script(text):
    """Text that cannot close its <script> element early."""
    return text.replace("</script", "<\\/script").replace("<!--", "<\\!--")


def write_network_html(G, path, *, title="Interaction network", **kwargs):
    """Write the interactive view to one self-contained HTML file (no network needed).

    Parameters
    ----------
    G : networkx.DiGraph
    path : str or os.PathLike
    title : str
        Page title and heading.
    **kwargs
        As :func:`interactive_network` (``color_by``, ``size_by``, ``communities``,
        ``measures``, ``positions``, ...). Every node of ``G`` is in the file unless
        ``max_nodes`` is given.

    Returns
    -------
    pathlib.Path

    Notes
    -----
    The page holds require.js, the Jupyter widget HTML manager, ipysigma's bundle and the
    widget state (the graph with its attributes) in ``<script>`` elements; the manager's
    CDN fallback is never reached because every module it asks for is defined in the page.
    Widget model ids are renumbered so that the same graph gives the same file.

    Examples
    --------
    >>> import os, tempfile
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("c", "b")])
    >>> nx.set_node_attributes(G, "citizen", "actor_type")
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_network_html(G, os.path.join(tmp, "net.html"), color_by="actor_type",
    ...                              positions=nx.circular_layout(G))
    ...     text = out.read_text(encoding="utf-8")
    >>> "<script src=" in text, 'define("ipysigma"' in text
    (False, True)
    """
    from ipywidgets.embed import dependency_state, embed_data

    widget = interactive_network(G, **kwargs)
    # only this view's models (by default every widget alive in the kernel is written)
    data = embed_data(views=[widget], state=dependency_state([widget]))
    for w in [widget, *getattr(widget, "children", ())]:
        for child in [*getattr(w, "children", ()), w]:
            child.close()
    state = data["manager_state"]
    # renumber the random model ids in the order a walk from the views meets them
    order, queue = [], [v["model_id"] for v in data["view_specs"]]
    while queue:
        mid = queue.pop(0)
        if mid in order or mid not in state["state"]:
            continue
        order.append(mid)
        queue += re.findall(r"IPY_MODEL_([0-9a-f]+)",
                            json.dumps(state["state"][mid]["state"], sort_keys=True))
    order += sorted(set(state["state"]) - set(order),
                    key=lambda k: json.dumps(state["state"][k], sort_keys=True))
    renumber = {old: f"kr{i:04d}" for i, old in enumerate(order)}
    state_json = json.dumps(state, sort_keys=True, separators=(",", ":"))
    views_json = [json.dumps(v, sort_keys=True) for v in data["view_specs"]]
    for old, new in renumber.items():
        state_json = state_json.replace(old, new)
        views_json = [v.replace(old, new) for v in views_json]
    state_json = json.dumps(json.loads(state_json), sort_keys=True, separators=(",", ":"))
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="UTF-8">',
        f"<title>{html.escape(title)}</title>",
        "<style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:12px}"
        "h1{font-size:16px;margin:0 0 8px 0}p.note{font-size:12px;color:#444}</style>",
        f"<script>{_safe_script(_vendor_script('require.js.gz'))}</script>",
        f"<script>{_safe_script(_vendor_script('html-manager-embed-amd.js.gz'))}</script>",
        f"<script>{_safe_script(_ipysigma_script())}</script>",
        "</head>", "<body>", f"<h1>{html.escape(title)}</h1>",
        '<p class="note">Scroll to zoom, drag to pan, type a handle in the search box, '
        "click a legend swatch to show only that class, click a node for its attributes. "
        f"{_node_count(G, kwargs)} nodes.</p>",
        '<script type="application/vnd.jupyter.widget-state+json">'
        f"{_safe_script(state_json)}</script>",
    ]
    for v in views_json:
        parts.append(f'<script type="application/vnd.jupyter.widget-view+json">'
                     f"{_safe_script(v)}</script>")
    parts += ["</body>", "</html>", ""]
    out = Path(os.fspath(path))
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(parts), encoding="utf-8")
    return out


def _node_count(G, kwargs):
    m = kwargs.get("max_nodes")
    return min(G.number_of_nodes(), m) if m is not None else G.number_of_nodes()
