"""Gephi export: node attributes, handles as labels, dynamic GEXF spells and lossless round
trips, on the hand-built corpus of conftest.py; and ``kopiresearch export``."""

import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
import pytest

import kopiresearch.io as kio
from kopiresearch.cli import main
from kopiresearch.export import gephi_graph, read_graph, write_gexf, write_graphml

NS = {"g": "http://www.gexf.net/1.2draft"}
T0 = pd.Timestamp("2024-10-01T01:00:00Z")


def h(hours):
    return T0 + pd.Timedelta(hours=hours)


def test_gephi_graph_node_attributes(tiny_corpus):
    G = gephi_graph(tiny_corpus)
    assert set(G) == {"x:g", "x:i", "x:c1", "x:c2"}  # all have edges
    g = G.nodes["x:g"]
    assert (g["handle"], g["actor_type"], g["region_code"], g["region_name"], g["bakorwil"]) \
        == ("kominfo_kabkediri_demo", "government_regency", "3506", "Kabupaten Kediri",
            "I Madiun")
    assert G.nodes["x:c1"]["region_name"] == "Kota Surabaya"
    assert G.nodes["x:c2"]["region_name"] is None and G.nodes["x:c2"]["bakorwil"] is None
    assert {type(d["community"]) for _, d in G.nodes(data=True)} == {int}
    # the same seed gives the same communities
    assert nx.get_node_attributes(G, "community") == nx.get_node_attributes(
        gephi_graph(tiny_corpus), "community")
    # the edges are those of the interaction graph
    assert G.edges["x:c1", "x:g"]["weight"] == 2


def test_dynamic_gexf_spells_labels_and_round_trip(tiny_corpus, tmp_path):
    G = gephi_graph(tiny_corpus)
    path = write_gexf(G, tmp_path / "g.gexf", dynamic=True)
    root = ET.parse(path).getroot()
    graph = root.find("g:graph", NS)
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "dateTime")
    labels = {n.get("id"): n.get("label") for n in graph.iter(f"{{{NS['g']}}}node")}
    assert labels["x:g"] == "kominfo_kabkediri_demo" and labels["x:c2"] == "warga_00002"
    spells = {}
    for e in graph.iter(f"{{{NS['g']}}}edge"):
        s = e.findall("g:spells/g:spell", NS)
        assert len(s) == 1
        spells[(e.get("source"), e.get("target"))] = (s[0].get("start"), s[0].get("end"))
    # by hand, from conftest: c1 -> g replied at 2 h and mentioned at 3 h
    assert spells[("x:c1", "x:g")] == ("2024-10-01T03:00:00Z", "2024-10-01T04:00:00Z")
    assert spells[("x:c2", "x:g")] == ("2024-10-01T07:00:00Z", "2024-10-01T07:00:00Z")
    assert len(spells) == G.number_of_edges()
    H = read_graph(path)
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(data=True)) == sorted(G.edges(data=True))
    assert H.edges["x:c1", "x:g"]["first_time"] == h(2)


def test_static_gexf_has_no_spells(tiny_corpus, tmp_path):
    G = gephi_graph(tiny_corpus)
    text = write_gexf(G, tmp_path / "g.gexf").read_text(encoding="utf-8")
    assert "<spell" not in text and 'mode="static"' in text
    assert 'label="kominfo_kabkediri_demo"' in text
    assert sorted(read_graph(tmp_path / "g.gexf").edges(data=True)) == sorted(G.edges(data=True))


def test_graphml_round_trip_with_gephi_attributes(tiny_corpus, tmp_path):
    G = gephi_graph(tiny_corpus, include_isolates=True)
    path = write_graphml(G, tmp_path / "g.graphml")
    text = path.read_text(encoding="utf-8")
    assert 'attr.name="label"' in text and ">kominfo_kabkediri_demo<" in text
    H = read_graph(path)
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(data=True)) == sorted(G.edges(data=True))


def test_cli_export(tiny_corpus, tmp_path, capsys):
    corpus_dir = tmp_path / "corpus"
    kio.write_corpus(tiny_corpus, corpus_dir)
    gexf, graphml = tmp_path / "g.gexf", tmp_path / "g.graphml"
    assert main(["export", str(corpus_dir), "--gexf", str(gexf), "--graphml",
                 str(graphml)]) == 0
    out = capsys.readouterr().out
    assert "4 nodes, 5 edges" in out and "dynamic" in out
    G = gephi_graph(kio.read_corpus(corpus_dir))
    for path in (gexf, graphml):
        H = read_graph(path)
        assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
        assert sorted(H.edges(data=True)) == sorted(G.edges(data=True))
    assert "<spell " in gexf.read_text(encoding="utf-8")
    assert main(["export", str(corpus_dir), "--gexf", str(gexf), "--static",
                 "--kinds", "reply"]) == 0
    H = read_graph(gexf)
    assert H.number_of_edges() == 2 and "<spell" not in gexf.read_text(encoding="utf-8")
    assert main(["export", str(corpus_dir)]) == 2
    assert "--gexf" in capsys.readouterr().err


@pytest.mark.parametrize("dynamic", [False, True])
def test_round_trip_on_the_bundled_data(dynamic, tmp_path):
    import kopiresearch as kr

    G = gephi_graph(kr.load_bundled(), kinds=["reply", "quote"])
    H = read_graph(write_gexf(G, tmp_path / "g.gexf", dynamic=dynamic))
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(data=True)) == sorted(G.edges(data=True))
