"""Tests of the checks of Lab 4 (kopiresearch.teaching.lab4): IC by hand, Monte Carlo,
partner choice."""

import networkx as nx
import pytest

from kopiresearch import teaching as t


def _ic_graph():
    G = nx.DiGraph()
    G.add_edge("s", "a", p=0.5)
    G.add_edge("a", "b", p=0.5)
    G.add_edge("s", "c", p=0.5)
    return G


def test_cek_ic_manual_and_monte_carlo(expect):
    G = _ic_graph()
    koin = {("s", "a"): 0.1, ("a", "b"): 0.2, ("s", "c"): 0.9}
    expect(t.cek_ic_manual({"s", "a", "b"}, G, ["s"], koin), "benar")
    expect(t.cek_ic_manual({"a", "b"}, G, ["s"], koin), "salah", "Benih")
    expect(t.cek_ic_manual({"s", "a", "b", "c"}, G, ["s"], koin), "salah", "angka acak")
    expect(t.cek_ic_manual({"s", "c"}, G, ["s"], koin), "salah", "terbalik")
    expect(t.cek_ic_manual(..., G, ["s"], koin), "belum")
    # exact: 1 + 0.5 + 0.25 + 0.5, and the same by brute force over 8 worlds
    assert t.sebaran_tepat(G, ["s"]) == pytest.approx(2.25)
    expect(t.cek_monte_carlo(2.27, G, ["s"]), "benar")
    expect(t.cek_monte_carlo(1.25, G, ["s"]), "salah", "Benih belum dihitung")
    expect(t.cek_monte_carlo(7.0, G, ["s"]), "salah", "mustahil")
    expect(t.cek_monte_carlo(2.6, G, ["s"]), "salah", "jauh")


def test_cek_pilihan_mitra(expect):
    j = {"a": {1, 2, 3}, "b": {1, 2}, "c": {4, 5}, "d": {5}}
    expect(t.cek_pilihan_mitra(["a", "c"], j, 2), "benar", "5 wilayah")
    expect(t.cek_pilihan_mitra(["a", "b"], j, 2), "salah", "tumpang tindih")
    expect(t.cek_pilihan_mitra(["a"], j, 2), "salah", "tepat 2")
    expect(t.cek_pilihan_mitra(["a", "a"], j, 2), "salah", "lebih dari sekali")
    expect(t.cek_pilihan_mitra(["a", "x"], j, 2), "salah", "bukan kandidat")
    expect(t.cek_pilihan_mitra(None, j, 2), "belum")
