"""Tests of the teaching checks (kopiresearch.teaching) and of the lab notebooks."""

import importlib.util
import re
from pathlib import Path

import nbformat
import networkx as nx
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import teaching as t

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "notebooks" / "teaching"


def _make_labs():
    spec = importlib.util.spec_from_file_location("make_labs", ROOT / "tools" / "make_labs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expect(hasil, status, *fragments, capsys=None):
    assert isinstance(hasil, t.Hasil)
    assert hasil.status == status, hasil.pesan
    for fragment in fragments:
        assert fragment in hasil.pesan
    if capsys is not None:
        printed = capsys.readouterr().out
        assert hasil.pesan in printed


# ----------------------------------------------------------------------------------------
# Lab 1

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


def test_cek_graf_right_blank_and_printed(capsys):
    _expect(t.cek_graf(_graph(TOY), interaksi=TOY), "benar", t.PESAN_BENAR, capsys=capsys)
    for blank in (..., None):
        _expect(t.cek_graf(blank, interaksi=TOY), "belum", t.PESAN_BELUM, capsys=capsys)


def test_cek_graf_kind_filter():
    replies = TOY[TOY["kind"] == "reply"]
    _expect(t.cek_graf(_graph(replies), jenis="reply", interaksi=TOY), "benar")
    # all kinds instead of replies only
    _expect(t.cek_graf(_graph(TOY), jenis="reply", interaksi=TOY), "salah",
            "jenis interaksi lain", "mention")
    # too few edges
    G = _graph(replies)
    G.remove_edge("b", "c")
    _expect(t.cek_graf(G, jenis="reply", interaksi=TOY), "salah", "kurang 1 sisi")


def test_cek_graf_reversed_undirected_multigraph():
    G = _graph(TOY)
    _expect(t.cek_graf(G.reverse(), interaksi=TOY), "salah",
            "Jumlah simpul benar, tetapi arah sisi terbalik")
    _expect(t.cek_graf(G.to_undirected(), interaksi=TOY), "salah", "tidak berarah")
    M = nx.MultiDiGraph(list(zip(TOY["source_id"], TOY["target_id"])))
    _expect(t.cek_graf(M, interaksi=TOY), "salah", "multigraf")
    _expect(t.cek_graf(nx.DiGraph(), interaksi=TOY), "salah", "belum memiliki sisi")
    _expect(t.cek_graf([("a", "b")], interaksi=TOY), "salah", "graf NetworkX")


def test_cek_graf_weights():
    G = _graph(TOY)
    unit = nx.DiGraph(G.edges())
    _expect(t.cek_graf(unit, interaksi=TOY), "salah", "belum memiliki atribut 'weight'")
    nx.set_edge_attributes(unit, 1, "weight")
    _expect(t.cek_graf(unit, interaksi=TOY), "salah", "Semua bobot bernilai 1")
    G["b"]["c"]["weight"] = 5
    _expect(t.cek_graf(G, interaksi=TOY), "salah", "1 sisi memiliki bobot yang salah")


def test_cek_graf_bundled_matches_package_with_isolates():
    corpus = kr.load_bundled()
    G = kr.build_interaction_graph(corpus, kinds=["reply"])  # isolated accounts allowed
    _expect(t.cek_graf(G, jenis="reply"), "benar")
    _expect(t.cek_graf(G.reverse(), jenis="reply"), "salah", "arah sisi terbalik")
    everything = kr.build_interaction_graph(corpus, include_isolates=False)
    _expect(t.cek_graf(everything, jenis="reply"), "salah", "jenis interaksi lain")


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
def test_cek_derajat_common_mistakes(answer, fragment):
    G = _degree_graph()
    _expect(t.cek_derajat(answer(G), G, arah="masuk", berbobot=True), "salah", fragment)


def test_cek_derajat_accepts_forms_and_missing_zeros():
    G = _degree_graph()
    right = dict(G.in_degree(weight="weight"))
    # by hand: a -> b (3), c -> b (1): b has 4; b -> a (2): a has 2; a -> c (1): c has 1
    assert right == {"a": 2, "b": 4, "c": 1, "z": 0}
    for form in (right, pd.Series(right), G.in_degree(weight="weight"), list(right.items()),
                 {k: v for k, v in right.items() if v}):  # value_counts leaves zeros out
        _expect(t.cek_derajat(form, G), "benar", "b")
    _expect(t.cek_derajat(dict(G.out_degree()), G, arah="keluar", berbobot=False), "benar")
    _expect(t.cek_derajat(dict(G.out_degree(weight="weight")), G, arah="keluar",
                          berbobot=False), "salah", "menjumlahkan bobot")
    _expect(t.cek_derajat(..., G), "belum")


def test_cek_baca_gambar():
    H = nx.DiGraph([("a", "b"), ("c", "b"), ("a", "c"), ("a", "d"), ("d", "b"), ("c", "e")])
    nx.set_node_attributes(H, {n: f"{n}_demo" for n in H}, "handle")
    # in-degree: b 3, c 1, d 1, e 1; out-degree: a 3, c 2, d 1; total: a 3, b 3, c 3
    _expect(t.cek_baca_gambar("b_demo", H), "benar")
    _expect(t.cek_baca_gambar("@B_demo ", H), "benar")
    _expect(t.cek_baca_gambar("a_demo", H), "salah", "*mengirim* panah")
    _expect(t.cek_baca_gambar("e_demo", H), "salah", "akun lain")
    _expect(t.cek_baca_gambar("x", H), "salah", "tidak ada di gambar")
    _expect(t.cek_baca_gambar(3, H), "salah", "sebagai teks")
    _expect(t.cek_baca_gambar(None, H), "belum")
    G = nx.DiGraph([("a", "b"), ("b", "c"), ("d", "c"), ("e", "a"), ("b", "f"), ("g", "c")])
    # in: c 3; out: b 2; total: b 3 = c 3 -> b is "most arrows in total" but sends most too
    _expect(t.cek_baca_gambar("b", G), "salah", "mengirim")


def test_checks_never_raise_on_odd_answers():
    G = _degree_graph()
    for odd in ([1, 2], "teks", 3.5, {"a": "x"}, object()):
        assert t.cek_derajat(odd, G).status == "salah"
        assert t.cek_graf(odd, interaksi=TOY).status == "salah"


# ----------------------------------------------------------------------------------------
# the generator of student versions and the notebooks


def test_blank_cell_source_keeps_header_and_check():
    ml = _make_labs()
    src = ("# Latihan 9\n# dua baris judul\nx = 1\nG2, y = G, x + 1\n"
           "cek_sesuatu(y, G2,\n            opsi=True)")
    out = ml.blank_cell_source(src)
    assert out.splitlines() == ["# Latihan 9", "# dua baris judul", ml.PROMPT,
                                "G2 = ...", "y = ...", "cek_sesuatu(y, G2,",
                                "            opsi=True)"]
    with pytest.raises(ValueError, match="must end with the call"):
        ml.blank_cell_source("x = 1")
    with pytest.raises(ValueError, match="no answer variable"):
        ml.blank_cell_source("x = 1\ncek(G)")


def test_student_versions_do_not_drift():
    ml = _make_labs()
    assert len(ml.lecturer_notebooks()) >= 1
    assert ml.drifted() == []


def _check_outputs(path):
    """The printed outputs of every cell that calls a check, in order."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "\ncek_" in "\n" + cell.source:
            text = "".join(o.get("text", "") for o in cell.outputs
                           if o.get("output_type") == "stream")
            errors = [o for o in cell.outputs if o.get("output_type") == "error"]
            out.append((cell, text, errors))
    return out


LECTURER_LABS = sorted((TEACHING / "lecturer").glob("lab*.ipynb"))


@pytest.mark.parametrize("path", LECTURER_LABS, ids=lambda p: p.name)
def test_lecturer_version_passes_every_check(path):
    checks = _check_outputs(path)
    nb = nbformat.read(path, as_version=4)
    n_solutions = sum("solution" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    assert n_solutions >= 3 and len(checks) == n_solutions
    for cell, text, errors in checks:
        assert cell.execution_count is not None, "lecturer notebook committed without outputs"
        assert not errors
        assert text.count(t.PESAN_BENAR) == 1, cell.source
        assert t.PESAN_SALAH not in text and t.PESAN_BELUM not in text


@pytest.mark.parametrize("path", LECTURER_LABS, ids=lambda p: p.name)
def test_student_version_says_not_done(path):
    student = TEACHING / "student" / path.name
    nb = nbformat.read(student, as_version=4)
    assert not any("solution" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    checks = _check_outputs(student)
    assert len(checks) == sum("exercise" in c.get("metadata", {}).get("tags", [])
                              for c in nb.cells)
    for cell, text, errors in checks:
        assert cell.execution_count is not None, "student notebook committed without outputs"
        assert not errors
        assert text.strip().startswith(t.PESAN_BELUM), cell.source
        assert "= ..." in cell.source


# ----------------------------------------------------------------------------------------
# Labs 2-4


def _small():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 3), ("b", "a", 1), ("c", "b", 1), ("a", "c", 2),
                               ("d", "a", 1)])
    return G


def test_cek_pagerank_and_betweenness():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 10), ("a", "c", 1), ("c", "a", 1), ("b", "c", 1),
                               ("d", "a", 1)])
    _expect(t.cek_pagerank(nx.pagerank(G, weight="weight"), G), "benar")
    _expect(t.cek_pagerank(nx.pagerank(G, weight=None), G), "salah", "belum memakai bobot")
    _expect(t.cek_pagerank(nx.pagerank(G.reverse(), weight="weight"), G), "salah",
            "Arah terbalik")
    _expect(t.cek_pagerank(..., G), "belum")
    # a -> b is direct (1 step), but heavy: read as a distance, a -> c -> b is shorter
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 5), ("a", "c", 1), ("c", "b", 1), ("b", "d", 1)])
    assert nx.betweenness_centrality(G)["c"] == 0
    _expect(t.cek_betweenness(nx.betweenness_centrality(G), G), "benar")
    _expect(t.cek_betweenness(nx.betweenness_centrality(G, weight="weight"), G), "salah",
            "jarak")
    _expect(t.cek_betweenness(nx.betweenness_centrality(G, normalized=False), G), "salah",
            "dinormalisasi")


def test_cek_resiprositas_hand_case():
    G = _small()
    # a<->b mutual: 2 of 5 edges reciprocated; pairs: ab, bc, ac, ad -> 1 mutual of 4
    assert nx.reciprocity(G) == pytest.approx(2 / 5)
    _expect(t.cek_resiprositas(0.4, G), "benar", "2 dari 5")
    _expect(t.cek_resiprositas(1.0, G), "salah", "graf tidak berarah")
    _expect(t.cek_resiprositas(0.25, G), "salah", "*pasangan akun*")
    _expect(t.cek_resiprositas(0.2, G), "salah", "Anda hitung sekali")
    _expect(t.cek_resiprositas(40.0, G), "salah", "persen")
    _expect(t.cek_resiprositas(0.1, G), "salah", "terlalu kecil")
    _expect(t.cek_resiprositas(None, G), "belum")


def test_responsivitas_matches_ground_truth_and_mistakes():
    corpus = kr.load_bundled()
    ref = t.responsivitas_kantor(corpus)
    truth = kr.load_ground_truth()["offices"]
    for office, row in ref.iterrows():
        # every planted answer is found; "asked" may add citizens' other posts mentioning it
        assert row["dijawab"] == truth[office]["answered_in_window"]
        assert row["ditanya"] >= truth[office]["addressed"]
    rate = ref["tingkat_balas"]
    _expect(t.cek_responsivitas(rate), "benar")
    _expect(t.cek_responsivitas(rate * 100), "salah", "persen")
    _expect(t.cek_responsivitas(ref["ditanya"] / ref["dijawab"]), "salah", "terbalik")
    _expect(t.cek_responsivitas(rate.iloc[:5]), "salah", "belum ada")
    _expect(t.cek_responsivitas(...), "belum")


def test_cek_induk_mistakes():
    s = pd.DataFrame({"post_id": ["r", "p1", "p2", "p3"], "author_id": ["A", "B", "C", "D"]})
    follows = {("C", "A"), ("C", "B"), ("D", "C"), ("B", "D")}
    # p1: B follows nobody earlier -> r; p2: C follows A (r) and B (p1) -> latest p1;
    # p3: D follows C -> p2
    assert t.rekonstruksi_induk(s, follows) == {"p1": "r", "p2": "p1", "p3": "p2"}
    _expect(t.cek_induk({"p1": "r", "p2": "p1", "p3": "p2"}, s, follows), "benar")
    _expect(t.cek_induk({"p1": "r", "p2": "r", "p3": "r"}, s, follows), "salah", "akar")
    _expect(t.cek_induk({"p1": "r", "p2": "r", "p3": "p2"}, s, follows), "salah",
            "*paling awal*")
    _expect(t.cek_induk({"p1": "r", "p2": "r", "p3": "p1"}, s, follows), "salah", "terbalik")
    _expect(t.cek_induk({"p1": "r"}, s, follows), "salah", "belum punya induk")
    _expect(t.cek_induk(..., s, follows), "belum")


def test_cek_kedalaman_and_viralitas():
    T = nx.DiGraph([("r", "a"), ("a", "b"), ("r", "c")], root="r")
    # undirected path c-r-a-b: distances 1,2,3,1,2,1 -> sum 10 over 6 pairs, ordered: 20/12
    _expect(t.cek_kedalaman(2, T), "benar")
    _expect(t.cek_kedalaman(3, T), "salah", "simpul pada jalur")
    _expect(t.cek_kedalaman(4, T), "salah", "ukuran kaskade")
    _expect(t.cek_viralitas(20 / 12, T), "benar")
    _expect(t.cek_viralitas(20 / 16, T), "salah", "n²")
    _expect(t.cek_viralitas(4 / 3, T), "salah", "dari akar")
    _expect(t.cek_viralitas(..., T), "belum")


def test_cek_waktu_wilayah_mistakes():
    s = pd.DataFrame({
        "created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:00",
                                      "2024-10-01 05:00", "2024-10-01 06:00"], utc=True),
        "region_code": ["35", "3578", "3578", "3506"]})
    _expect(t.cek_waktu_wilayah({"3578": 2.0, "3506": 6.0}, s), "benar")
    _expect(t.cek_waktu_wilayah({"3578": 5.0, "3506": 6.0}, s), "salah", "*terakhir*")
    _expect(t.cek_waktu_wilayah({"3578": 120.0, "3506": 360.0}, s), "salah", "menit")
    _expect(t.cek_waktu_wilayah({"35": 0.0, "3578": 2.0, "3506": 6.0}, s), "salah", "'35'")
    _expect(t.cek_waktu_wilayah(None, s), "belum")


def _ic_graph():
    G = nx.DiGraph()
    G.add_edge("s", "a", p=0.5)
    G.add_edge("a", "b", p=0.5)
    G.add_edge("s", "c", p=0.5)
    return G


def test_cek_ic_manual_and_monte_carlo():
    G = _ic_graph()
    koin = {("s", "a"): 0.1, ("a", "b"): 0.2, ("s", "c"): 0.9}
    _expect(t.cek_ic_manual({"s", "a", "b"}, G, ["s"], koin), "benar")
    _expect(t.cek_ic_manual({"a", "b"}, G, ["s"], koin), "salah", "Benih")
    _expect(t.cek_ic_manual({"s", "a", "b", "c"}, G, ["s"], koin), "salah", "angka acak")
    _expect(t.cek_ic_manual({"s", "c"}, G, ["s"], koin), "salah", "terbalik")
    _expect(t.cek_ic_manual(..., G, ["s"], koin), "belum")
    # exact: 1 + 0.5 + 0.25 + 0.5, and the same by brute force over 8 worlds
    assert t.sebaran_tepat(G, ["s"]) == pytest.approx(2.25)
    _expect(t.cek_monte_carlo(2.27, G, ["s"]), "benar")
    _expect(t.cek_monte_carlo(1.25, G, ["s"]), "salah", "Benih belum dihitung")
    _expect(t.cek_monte_carlo(7.0, G, ["s"]), "salah", "mustahil")
    _expect(t.cek_monte_carlo(2.6, G, ["s"]), "salah", "jauh")


def test_cek_pilihan_mitra():
    j = {"a": {1, 2, 3}, "b": {1, 2}, "c": {4, 5}, "d": {5}}
    _expect(t.cek_pilihan_mitra(["a", "c"], j, 2), "benar", "5 wilayah")
    _expect(t.cek_pilihan_mitra(["a", "b"], j, 2), "salah", "tumpang tindih")
    _expect(t.cek_pilihan_mitra(["a"], j, 2), "salah", "tepat 2")
    _expect(t.cek_pilihan_mitra(["a", "a"], j, 2), "salah", "lebih dari sekali")
    _expect(t.cek_pilihan_mitra(["a", "x"], j, 2), "salah", "bukan kandidat")
    _expect(t.cek_pilihan_mitra(None, j, 2), "belum")


# ----------------------------------------------------------------------------------------
# numbers typed the way students type them (issue 17 item 9)


def _lab3_like_tree():
    # a tree whose structural virality is not round: 3.5047...
    return nx.bfs_tree(nx.balanced_tree(2, 3), 0)


def _virality(T):
    U = T.to_undirected()
    n = U.number_of_nodes()
    return sum(sum(d.values()) for _, d in nx.all_pairs_shortest_path_length(U)) / (n * (n - 1))


def test_rounded_scalars_are_right_and_say_so():
    T = _lab3_like_tree()
    v = _virality(T)
    assert v == pytest.approx(3.5047619)
    # 2 decimals (what the success message prints), 3 decimals, cut off after 3 decimals,
    # and 3.5 typed for 3.50
    for typed in (3.50, 3.505, 3.504, 3.5, round(v, 4)):
        _expect(t.cek_viralitas(typed, T), "benar", "Dibulatkan", "diterima")
    _expect(t.cek_viralitas(v, T), "benar")
    assert "Dibulatkan" not in t.cek_viralitas(v, T).pesan
    G = _small()  # reciprocity 0.4 exactly; a graph with reciprocity 4/7 = 0.5714...
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "c"),
                    ("c", "e")])
    assert nx.reciprocity(H) == pytest.approx(4 / 7)
    for typed in (0.57, 0.571, 0.5714):
        _expect(t.cek_resiprositas(typed, H), "benar", "4 dari 7")
    _expect(t.cek_resiprositas(0.4, G), "benar")


def test_only_rounding_differs_gives_a_rounding_hint_not_a_direction():
    T = _lab3_like_tree()
    for typed in (3.0, 4, 3.5 + 0.0):  # 3.5 is accepted (see above); 3 and 4 are coarse
        if typed == 3.5:
            continue
        h = t.cek_viralitas(typed, T)
        _expect(h, "salah", "pembulatan", "2 angka desimal")
        assert "terlalu" not in h.pesan
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "c"),
                    ("c", "e")])
    h = t.cek_resiprositas(0.6, H)  # 0.5714 rounded to one decimal
    _expect(h, "salah", "pembulatan", "1 desimal")
    assert "terlalu" not in h.pesan
    # a wrong value is still wrong, with its direction
    _expect(t.cek_resiprositas(0.3, H), "salah", "terlalu kecil")
    _expect(t.cek_viralitas(3.6, T), "salah", "terlalu besar")


def test_rounded_mistakes_are_still_recognised():
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "c"),
                    ("c", "e")])
    _expect(t.cek_resiprositas(57.14, H), "salah", "persen")
    _expect(t.cek_resiprositas(57, H), "salah", "persen")
    T = nx.DiGraph([("r", "a"), ("a", "b"), ("r", "c")], root="r")
    _expect(t.cek_viralitas(1.25, T), "salah", "n²")      # 20/16 exactly
    _expect(t.cek_viralitas(1.33, T), "salah", "dari akar")  # 4/3 rounded


def test_decimal_comma_and_text_answers_get_a_hint():
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    r = 0,67  # noqa: E231 - what a student used to a decimal comma types
    _expect(t.cek_resiprositas(r, H), "salah", "titik sebagai tanda desimal", "0.67")
    _expect(t.cek_resiprositas("0,67", H), "salah", "tanpa tanda kutip")
    _expect(t.cek_viralitas((8, 76), _lab3_like_tree()), "salah", "8.76")
    _expect(t.cek_kedalaman("14", _lab3_like_tree()), "salah", "tanpa tanda kutip")
    _expect(t.cek_resiprositas(float("nan"), H), "salah", "NaN")


def test_rounded_series_answers():
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 10), ("a", "c", 1), ("c", "a", 1), ("b", "c", 1),
                               ("d", "a", 1)])
    pr = pd.Series(nx.pagerank(G, weight="weight"))
    _expect(t.cek_pagerank(pr.round(4), G), "benar")
    _expect(t.cek_pagerank(pr.round(5), G), "benar")
    _expect(t.cek_pagerank(pr.round(2), G), "salah", "pembulatan", "4 angka desimal")
    _expect(t.cek_pagerank((100 * pr).round(2), G), "salah", "persen")
    ref = t.responsivitas_kantor(kr.load_bundled())["tingkat_balas"]
    _expect(t.cek_responsivitas(ref.round(2)), "benar", "Dibulatkan ke 2 desimal")
    _expect(t.cek_responsivitas(ref.round(1)), "salah", "pembulatan")
    _expect(t.cek_responsivitas((100 * ref).round(1)), "salah", "persen")
    s = pd.DataFrame({
        "created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:20",
                                      "2024-10-01 06:10"], utc=True),
        "region_code": ["35", "3578", "3506"]})
    _expect(t.cek_waktu_wilayah({"3578": 2.33, "3506": 6.17}, s), "benar", "Dibulatkan")
    _expect(t.cek_waktu_wilayah({"3578": 2.3, "3506": 6.2}, s), "salah", "pembulatan")


def test_forms_students_hand_in():
    s = pd.DataFrame({
        "created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:00",
                                      "2024-10-01 06:00"], utc=True),
        "region_code": ["35", "3578", "3506"]})
    as_timedelta = pd.Series({"3578": pd.Timedelta(hours=2), "3506": pd.Timedelta(hours=6)})
    _expect(t.cek_waktu_wilayah(as_timedelta, s), "salah", "Timedelta", "total_seconds")
    # a one-column table instead of a Series
    table = pd.DataFrame({"jam": [2.0, 6.0]}, index=["3578", "3506"])
    _expect(t.cek_waktu_wilayah(table, s), "benar")
    ref = t.responsivitas_kantor(kr.load_bundled())
    _expect(t.cek_responsivitas(ref[["tingkat_balas"]]), "benar")
    _expect(t.cek_kedalaman(2.0, nx.DiGraph([("r", "a"), ("a", "b")], root="r")), "benar")


def test_jawaban_benar_is_silent(capsys):
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    assert t.jawaban_benar(t.cek_resiprositas, 2 / 3, G) is True
    assert t.jawaban_benar(t.cek_resiprositas, 0.5, G) is False
    assert t.jawaban_benar(t.cek_resiprositas, ..., G) is False
    assert capsys.readouterr().out == ""


# ----------------------------------------------------------------------------------------
# the reference of Latihan 2.4 is the package's measure (issue 17 item 12)


def test_responsivitas_kantor_is_metrics_responsiveness():
    from kopiresearch.metrics import responsiveness

    corpus = kr.load_bundled()
    ref = t.responsivitas_kantor(corpus)
    r = responsiveness(corpus, offices=list(ref.index))
    assert ref["ditanya"].tolist() == r.loc[ref.index, "addressed"].tolist()
    assert ref["dijawab"].tolist() == r.loc[ref.index, "answered"].tolist()
    pd.testing.assert_series_equal(ref["tingkat_balas"], r.loc[ref.index, "reply_rate"],
                                   check_names=False, check_index_type=False)
    # the office that answers nobody is in the table (it used to break the measure)
    malang = ref.index[ref["handle"] == "kominfo_kotamalang_demo"][0]
    assert ref.loc[malang, "dijawab"] == 0 and ref.loc[malang, "tingkat_balas"] == 0.0


def test_the_lab_rule_of_latihan_2_4_is_the_package_measure_on_the_bundled_data():
    # the lecturer's solution of 2.4, run here: the same numbers as the measure
    corpus = kr.load_bundled()
    nb = nbformat.read(TEACHING / "lecturer" / "lab2-sentralitas-dan-komunikasi-dua-arah.ipynb",
                       as_version=4)
    src = next(c.source for c in nb.cells if c.source.startswith("# Latihan 2.4"))
    ns = {"corpus": corpus, "JENIS_KANTOR": ["government_province", "government_regency"],
          "pd": pd, "cek_responsivitas": lambda *a, **k: None}
    exec(src, ns)
    ref = t.responsivitas_kantor(corpus)["tingkat_balas"].dropna()
    got = ns["tingkat_balas"].reindex(ref.index)
    assert (got - ref).abs().max() < 1e-12


# ----------------------------------------------------------------------------------------
# no answer right after an exercise (issue 17 item 10)

#: For each of the 15 exercises: code that would give its answer away. None of it may occur in
#: a code cell of the student version between the exercise and the next one (or the end).
GIVES_AWAY = {
    "1.1": ["add_edge(sumber", "G_contoh["],
    "1.2": ["kinds=[JENIS_LATIHAN]", "include_isolates=False", '["source_id", "target_id"]'],
    "1.3": ['in_degree(weight="weight")', "in_degree(weight='weight')", "in_strength"],
    "1.4": ["in_degree()", "terbanyak"],
    "2.1": ["pagerank("],
    "2.2": ["betweenness_centrality("],
    "2.3": ["nx.reciprocity(", "reciprocity(K)", "has_edge(v, u)"],
    "2.4": ["responsiveness(", "responsivitas_kantor(", "addressed_posts(", "parent_post_id"],
    "3.1": ["rekonstruksi_induk(", "_parents("],
    "3.2": ["shortest_path_length(T", '["depth"]'],
    "3.3": ["structural_virality(", "all_pairs_shortest_path_length("],
    "3.4": ["time_to_region(", '["created_at"].min()'],
    "4.1": ["successors(", "koin[(u, v)] <"],
    "4.2": ["sebaran_tepat(", "simulate(G_kecil", "rng.random()"],
    "4.3": ["- tercakup", "_greedy(", "len(jangkauan[a] -"],
}


def _exercise_windows(path):
    """``(label, answer names, code cells after the exercise up to the next one)``."""
    nb = nbformat.read(path, as_version=4)
    marks = [i for i, c in enumerate(nb.cells)
             if "exercise" in c.get("metadata", {}).get("tags", [])]
    out = []
    for k, i in enumerate(marks):
        label = nb.cells[i].source.split("\n")[0].removeprefix("# Latihan ").split()[0]
        names = [ln.split(" = ...")[0] for ln in nb.cells[i].source.splitlines()
                 if ln.endswith(" = ...")]
        stop = marks[k + 1] if k + 1 < len(marks) else len(nb.cells)
        out.append((label, names, [c for c in nb.cells[i + 1:stop] if c.cell_type == "code"]))
    return out


STUDENT_LABS = sorted((TEACHING / "student").glob("lab*.ipynb"))


def test_every_exercise_is_listed_once():
    labels = [label for p in STUDENT_LABS for label, _, _ in _exercise_windows(p)]
    assert sorted(labels) == sorted(GIVES_AWAY) and len(labels) == 15


@pytest.mark.parametrize("path", STUDENT_LABS, ids=lambda p: p.name)
def test_no_code_after_an_exercise_gives_its_answer(path):
    for label, names, cells in _exercise_windows(path):
        assert names, label
        for cell in cells:
            for fragment in GIVES_AWAY[label]:
                assert fragment not in cell.source, (label, fragment, cell.source)
            # the student's answer is used only once it is right
            found = [m for n in names for m in [_name_use(n, cell.source)] if m]
            if found:
                assert "if jawaban_benar(cek_" in cell.source, (label, names, cell.source)
                assert cell.source.index("jawaban_benar(") < min(m.start() for m in found)


def _name_use(name, source):
    """The first use of a variable ``name`` in code (not as a quoted column name)."""
    return re.search(rf"(?<![\"'\w]){re.escape(name)}(?![\"'\w])", source)


@pytest.mark.parametrize("path", STUDENT_LABS, ids=lambda p: p.name)
def test_blank_student_notebook_shows_no_result_that_needs_an_answer(path):
    nb = nbformat.read(path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.get("output_type") == "stream")
    assert t.PESAN_BENAR not in text
    guarded = [c for c in nb.cells if c.cell_type == "code" and "jawaban_benar(" in c.source]
    assert guarded
    for cell in guarded:
        shown = "".join(o.get("text", "") for o in cell.outputs)
        assert "selesaikan dulu Latihan" in shown, cell.source


def test_package_tree_after_latihan_3_1_is_not_its_answer():
    from kopiresearch.cascades import cascade_table, reconstruct_cascades
    from kopiresearch.synth import load_follows

    corpus, follows = kr.load_bundled(), load_follows()
    kaskade = reconstruct_cascades(corpus, method="follows", follows=follows,
                                   root_types=kr.GOVERNMENT_TYPES)
    tabel = cascade_table(kaskade)
    akar = tabel.sort_values(["size", "root_created_at"], ascending=[False, True]).index[0]
    simpul = kaskade.nodes[kaskade.nodes["root_post_id"] == akar].reset_index(drop=True)
    mengikuti = set(zip(follows["follower_id"], follows["followee_id"]))
    T = kaskade.tree(akar)
    assert not t.jawaban_benar(t.cek_induk, {v: u for u, v in T.edges()}, simpul, mengikuti)


def test_a_wrong_setting_raises_instead_of_blaming_the_student():
    G = nx.DiGraph([("a", "b")])
    with pytest.raises(t.LabSetupError, match="arah='in' is not an option"):
        t.cek_derajat(dict(G.in_degree()), G, arah="in")
    with pytest.raises(t.LabSetupError, match="berbobot"):
        t.cek_derajat(dict(G.in_degree()), G, berbobot="ya")
    # a wrong answer with a right setting is still the student's "salah", never an exception
    _expect(t.cek_derajat(["x"], G, arah="keluar"), "salah", "bukan list")


def test_every_check_shares_one_wrapper():
    from kopiresearch.teaching._feedback import pemeriksa

    checks = [getattr(t, n) for n in t.__all__ if n.startswith("cek_")]
    assert len(checks) == 14
    for cek in checks:
        assert cek.__wrapped__.__qualname__ == cek.__qualname__  # functools.wraps of pemeriksa
        assert cek.__code__ is pemeriksa(lambda j: j).__code__
        assert cek(...).status == "belum"


def test_wrong_numeric_settings_raise_too():
    G = nx.DiGraph([("a", "b")])
    nx.set_edge_attributes(G, 0.5, "p")
    with pytest.raises(t.LabSetupError, match="toleransi=0"):
        t.cek_monte_carlo(1.5, G, ["a"], toleransi=0)
    with pytest.raises(t.LabSetupError, match="k='2'"):
        t.cek_pilihan_mitra(["x"], {"x": {"3578"}}, "2")
    _expect(t.cek_monte_carlo(1.5, G, ["a"], toleransi=0.1), "benar")
