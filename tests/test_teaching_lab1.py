"""Tests of the checks of Lab 1 (kopiresearch.teaching.lab1): graphs built by hand, degrees,
reading a figure."""

import networkx as nx
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import teaching as t

TOY = pd.DataFrame({
    "source_id": ["a", "a", "b", "c", "a", "d"],
    "target_id": ["b", "b", "c", "a", "c", "a"],
    "kind": ["reply", "reply", "reply", "mention", "mention", "reply"],
})


def _graph(rows):
    G = nx.DiGraph()
    for (u, v), n in rows.groupby(["source_id", "target_id"]).size().items():
        G.add_edge(u, v, weight=int(n))
    return G


def test_cek_graf_right_blank_and_printed(capsys, expect):
    expect(t.cek_graf(_graph(TOY), interaksi=TOY), "benar", t.PESAN_BENAR, capsys=capsys)
    for blank in (..., None):
        expect(t.cek_graf(blank, interaksi=TOY), "belum", t.PESAN_BELUM, capsys=capsys)


def test_cek_graf_kind_filter(expect):
    replies = TOY[TOY["kind"] == "reply"]
    expect(t.cek_graf(_graph(replies), jenis="reply", interaksi=TOY), "benar")
    # all kinds instead of replies only
    expect(t.cek_graf(_graph(TOY), jenis="reply", interaksi=TOY), "salah",
            "jenis interaksi lain", "mention")
    # too few edges
    G = _graph(replies)
    G.remove_edge("b", "c")
    expect(t.cek_graf(G, jenis="reply", interaksi=TOY), "salah", "kurang 1 sisi")


def test_cek_graf_reversed_undirected_multigraph(expect):
    G = _graph(TOY)
    expect(t.cek_graf(G.reverse(), interaksi=TOY), "salah",
            "Jumlah simpul benar, tetapi arah sisi terbalik")
    expect(t.cek_graf(G.to_undirected(), interaksi=TOY), "salah", "tidak berarah")
    M = nx.MultiDiGraph(list(zip(TOY["source_id"], TOY["target_id"])))
    expect(t.cek_graf(M, interaksi=TOY), "salah", "multigraf")
    expect(t.cek_graf(nx.DiGraph(), interaksi=TOY), "salah", "belum memiliki sisi")
    expect(t.cek_graf([("a", "b")], interaksi=TOY), "salah", "graf NetworkX")


def test_cek_graf_weights(expect):
    G = _graph(TOY)
    unit = nx.DiGraph(G.edges())
    expect(t.cek_graf(unit, interaksi=TOY), "salah", "belum memiliki atribut 'weight'")
    nx.set_edge_attributes(unit, 1, "weight")
    expect(t.cek_graf(unit, interaksi=TOY), "salah", "Semua bobot bernilai 1")
    G["b"]["c"]["weight"] = 5
    expect(t.cek_graf(G, interaksi=TOY), "salah", "1 sisi memiliki bobot yang salah")


def test_cek_graf_bundled_matches_package_with_isolates(expect):
    corpus = kr.load_bundled()
    G = kr.build_interaction_graph(corpus, kinds=["reply"])  # isolated accounts allowed
    expect(t.cek_graf(G, jenis="reply"), "benar")
    expect(t.cek_graf(G.reverse(), jenis="reply"), "salah", "arah sisi terbalik")
    everything = kr.build_interaction_graph(corpus, include_isolates=False)
    expect(t.cek_graf(everything, jenis="reply"), "salah", "jenis interaksi lain")


def _degree_graph():
    G = nx.DiGraph()
    G.add_edge("a", "b", weight=3)
    G.add_edge("c", "b", weight=1)
    G.add_edge("b", "a", weight=2)
    G.add_edge("a", "c", weight=1)
    G.add_node("z")
    return G


@pytest.mark.parametrize("answer, fragment", [
    (lambda G: dict(G.in_degree()), "derajat tanpa bobot"),
    (lambda G: dict(G.out_degree(weight="weight")), "Arah terbalik"),
    (lambda G: dict(G.out_degree()), "arahnya terbalik"),
    (lambda G: dict(G.degree(weight="weight")), "masuk dan keluar"),
    (lambda G: {"a": 1, "b": 1, "c": 1, "z": 0}, "belum cocok untuk"),
    (lambda G: {"nobody": 1}, "bukan simpul graf"),
    (lambda G: "b", "dict, pandas Series"),
])
def test_cek_derajat_common_mistakes(answer, fragment, expect):
    G = _degree_graph()
    expect(t.cek_derajat(answer(G), G, arah="masuk", berbobot=True), "salah", fragment)


def test_cek_derajat_accepts_forms_and_missing_zeros(expect):
    G = _degree_graph()
    right = dict(G.in_degree(weight="weight"))
    # by hand: a -> b (3), c -> b (1): b has 4; b -> a (2): a has 2; a -> c (1): c has 1
    assert right == {"a": 2, "b": 4, "c": 1, "z": 0}
    for form in (right, pd.Series(right), G.in_degree(weight="weight"), list(right.items()),
                 {k: v for k, v in right.items() if v}):  # value_counts leaves zeros out
        expect(t.cek_derajat(form, G), "benar", "b")
    expect(t.cek_derajat(dict(G.out_degree()), G, arah="keluar", berbobot=False), "benar")
    expect(t.cek_derajat(dict(G.out_degree(weight="weight")), G, arah="keluar",
                          berbobot=False), "salah", "menjumlahkan bobot")
    expect(t.cek_derajat(..., G), "belum")


def test_cek_baca_gambar(expect):
    H = nx.DiGraph([("a", "b"), ("c", "b"), ("a", "c"), ("a", "d"), ("d", "b"), ("c", "e")])
    nx.set_node_attributes(H, {n: f"{n}_demo" for n in H}, "handle")
    # in-degree: b 3, c 1, d 1, e 1; out-degree: a 3, c 2, d 1; total: a 3, b 3, c 3
    expect(t.cek_baca_gambar("b_demo", H), "benar")
    expect(t.cek_baca_gambar("@B_demo ", H), "benar")
    expect(t.cek_baca_gambar("a_demo", H), "salah", "*mengirim* panah")
    expect(t.cek_baca_gambar("e_demo", H), "salah", "akun lain")
    expect(t.cek_baca_gambar("x", H), "salah", "tidak ada di gambar")
    expect(t.cek_baca_gambar(3, H), "salah", "sebagai teks")
    expect(t.cek_baca_gambar(None, H), "belum")
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "c"), ("e", "a"), ("b", "f"), ("g", "c")])
    # in: c 3; out: b 2; total: b 3 = c 3 -> b is "most arrows in total" but sends most too
    expect(t.cek_baca_gambar("b", G), "salah", "mengirim")


def test_checks_never_raise_on_odd_answers():
    G = _degree_graph()
    for odd in ([1, 2], "teks", 3.5, {"a": "x"}, object()):
        assert t.cek_derajat(odd, G).status == "salah"
        assert t.cek_graf(odd, interaksi=TOY).status == "salah"
