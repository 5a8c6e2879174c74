"""The interactive view writes one self-contained HTML file with every node."""

import json
import re
import shutil
import subprocess

import networkx as nx
import pytest

from kopiresearch.plot import interactive_network, write_network_html


def graph(n=120):
    G = nx.gnm_random_graph(n, 3 * n, seed=2, directed=True)
    G = nx.relabel_nodes(G, {i: f"synthetic:a{i:04d}" for i in G})
    for i, v in enumerate(sorted(G)):
        G.nodes[v].update(handle=f"akun_{i}", actor_type=["citizen", "influencer",
                                                          "government_regency"][i % 3],
                          region_code="3578" if i % 2 else "3507",
                          bakorwil="III Malang" if i % 2 else "II Bojonegoro")
    for u, v in G.edges:
        G.edges[u, v]["weight"] = 1 + (hash((u, v)) % 3)
    return G


def widget_state(text):
    m = re.search(r'<script type="application/vnd.jupyter.widget-state\+json">(.*?)</script>',
                  text, flags=re.S)
    return json.loads(m.group(1))


def test_export_has_every_node_and_needs_no_network(tmp_path):
    G = graph()
    comm = {v: i % 4 for i, v in enumerate(sorted(G))}
    out = write_network_html(G, tmp_path / "net.html", communities=comm,
                             positions=nx.circular_layout(G))
    text = out.read_text(encoding="utf-8")
    # nothing is loaded from elsewhere: no external script, stylesheet or import
    assert not re.search(r"<script[^>]*\bsrc=", text)
    assert not re.search(r"<link[^>]*\bhref=", text)
    for m in re.finditer(r"@import\s+url\(\s*['\"]?https?:", text):
        assert text[m.start() - 3:m.start()] == "/* ", text[m.start() - 80:m.end() + 80]
    # the modules the widget manager asks for are defined in the page
    for module in ('define("@jupyter-widgets/base"', 'define("@jupyter-widgets/controls"',
                   'define("ipysigma"'):
        assert module in text
    state = widget_state(text)["state"]
    sigmas = [m["state"] for m in state.values() if m["model_name"] == "SigmaModel"]
    assert len(sigmas) == 3  # actor type, community, Bakorwil
    for s in sigmas:
        keys = {n["key"] for n in s["data"]["nodes"]}
        assert keys == set(G)
        assert len(s["data"]["edges"]) == G.number_of_edges()
        attrs = s["data"]["nodes"][0]["attributes"]
        assert {"label", "actor_type", "region_code", "bakorwil", "community"} <= set(attrs)
    colours = {s["visual_variables"]["nodeColor"]["attribute"] for s in sigmas}
    assert colours == {"actor_type", "community", "bakorwil"}


def test_export_is_deterministic(tmp_path):
    G = graph(30)
    pos = nx.circular_layout(G)
    a = write_network_html(G, tmp_path / "a.html", positions=pos).read_bytes()
    b = write_network_html(G, tmp_path / "b.html", positions=pos).read_bytes()
    assert a == b


def test_size_by_must_be_known():
    from kopiresearch.errors import KopiresearchError

    with pytest.raises(KopiresearchError, match="size_by"):
        interactive_network(graph(10), size_by="pagerank")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs a headless chromium")
def test_export_renders_offline_in_a_browser(tmp_path):
    G = graph(40)
    out = write_network_html(G, tmp_path / "net.html", color_by="actor_type",
                             positions=nx.circular_layout(G))
    # every request would go through a proxy that does not exist: only file:// works
    run = subprocess.run(["chromium", "--headless=new", "--no-sandbox",
                          "--proxy-server=127.0.0.1:9", "--virtual-time-budget=5000",
                          "--enable-unsafe-swiftshader", "--use-angle=swiftshader",
                          "--dump-dom", out.as_uri()],
                         capture_output=True, text=True, timeout=180)
    dom = run.stdout
    assert "ipysigma" in dom and "<canvas" in dom, run.stderr[-2000:]
