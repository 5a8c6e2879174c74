"""Tests of the feedback framework of the labs (kopiresearch.teaching._feedback): the one
check wrapper and its settings, numbers typed the way students type them, silent checks."""

import networkx as nx
import pandas as pd
import pytest

import kopiresearch as kr
from kopiresearch import teaching as t


def _lab3_like_tree():
    # a tree whose structural virality is not round: 3.5047...
    return nx.bfs_tree(nx.balanced_tree(2, 3), 0)


def _virality(T):
    U = T.to_undirected()
    n = U.number_of_nodes()
    return sum(sum(d.values()) for _, d in nx.all_pairs_shortest_path_length(U)) / (n * (n - 1))


def test_rounded_scalars_are_right_and_say_so(expect, teaching_graph):
    T = _lab3_like_tree()
    v = _virality(T)
    assert v == pytest.approx(3.5047619)
    # 2 decimals (what the success message prints), 3 decimals, cut off after 3 decimals,
    # and 3.5 typed for 3.50
    for typed in (3.50, 3.505, 3.504, 3.5, round(v, 4)):
        expect(t.cek_viralitas(typed, T), "benar", "Dibulatkan", "diterima")
    expect(t.cek_viralitas(v, T), "benar")
    assert "Dibulatkan" not in t.cek_viralitas(v, T).pesan
    G = teaching_graph  # reciprocity 0.4 exactly; a graph with reciprocity 4/7 = 0.5714...
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "c"),
                    ("c", "e")])
    assert nx.reciprocity(H) == pytest.approx(4 / 7)
    for typed in (0.57, 0.571, 0.5714):
        expect(t.cek_resiprositas(typed, H), "benar", "4 dari 7")
    expect(t.cek_resiprositas(0.4, G), "benar")


def test_only_rounding_differs_gives_a_rounding_hint_not_a_direction(expect):
    T = _lab3_like_tree()
    for typed in (3.0, 4, 3.5 + 0.0):  # 3.5 is accepted (see above); 3 and 4 are coarse
        if typed == 3.5:
            continue
        h = t.cek_viralitas(typed, T)
        expect(h, "salah", "pembulatan", "2 angka desimal")
        assert "terlalu" not in h.pesan
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "c"),
                    ("c", "e")])
    h = t.cek_resiprositas(0.6, H)  # 0.5714 rounded to one decimal
    expect(h, "salah", "pembulatan", "1 desimal")
    assert "terlalu" not in h.pesan
    # a wrong value is still wrong, with its direction
    expect(t.cek_resiprositas(0.3, H), "salah", "terlalu kecil")
    expect(t.cek_viralitas(3.6, T), "salah", "terlalu besar")


def test_rounded_mistakes_are_still_recognised(expect):
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "c"),
                    ("c", "e")])
    expect(t.cek_resiprositas(57.14, H), "salah", "persen")
    expect(t.cek_resiprositas(57, H), "salah", "persen")
    T = nx.DiGraph([("r", "a"), ("a", "b"), ("r", "c")], root="r")
    expect(t.cek_viralitas(1.25, T), "salah", "n²")      # 20/16 exactly
    expect(t.cek_viralitas(1.33, T), "salah", "dari akar")  # 4/3 rounded


def test_decimal_comma_and_text_answers_get_a_hint(expect):
    H = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    r = 0,67  # noqa: E231 - what a student used to a decimal comma types
    expect(t.cek_resiprositas(r, H), "salah", "titik sebagai tanda desimal", "0.67")
    expect(t.cek_resiprositas("0,67", H), "salah", "tanpa tanda kutip")
    expect(t.cek_viralitas((8, 76), _lab3_like_tree()), "salah", "8.76")
    expect(t.cek_kedalaman("14", _lab3_like_tree()), "salah", "tanpa tanda kutip")
    expect(t.cek_resiprositas(float("nan"), H), "salah", "NaN")


def test_rounded_series_answers(expect):
    G = nx.DiGraph()
    G.add_weighted_edges_from([("a", "b", 10), ("a", "c", 1), ("c", "a", 1), ("b", "c", 1),
                               ("d", "a", 1)])
    pr = pd.Series(nx.pagerank(G, weight="weight"))
    expect(t.cek_pagerank(pr.round(4), G), "benar")
    expect(t.cek_pagerank(pr.round(5), G), "benar")
    expect(t.cek_pagerank(pr.round(2), G), "salah", "pembulatan", "4 angka desimal")
    expect(t.cek_pagerank((100 * pr).round(2), G), "salah", "persen")
    ref = t.responsivitas_kantor(kr.load_bundled())["tingkat_balas"]
    expect(t.cek_responsivitas(ref.round(2)), "benar", "Dibulatkan ke 2 desimal")
    expect(t.cek_responsivitas(ref.round(1)), "salah", "pembulatan")
    expect(t.cek_responsivitas((100 * ref).round(1)), "salah", "persen")
    s = pd.DataFrame({
        "created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:20",
                                      "2024-10-01 06:10"], utc=True),
        "region_code": ["35", "3578", "3506"]})
    expect(t.cek_waktu_wilayah({"3578": 2.33, "3506": 6.17}, s), "benar", "Dibulatkan")
    expect(t.cek_waktu_wilayah({"3578": 2.3, "3506": 6.2}, s), "salah", "pembulatan")


def test_forms_students_hand_in(expect):
    s = pd.DataFrame({
        "created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:00",
                                      "2024-10-01 06:00"], utc=True),
        "region_code": ["35", "3578", "3506"]})
    as_timedelta = pd.Series({"3578": pd.Timedelta(hours=2), "3506": pd.Timedelta(hours=6)})
    expect(t.cek_waktu_wilayah(as_timedelta, s), "salah", "Timedelta", "total_seconds")
    # a one-column table instead of a Series
    table = pd.DataFrame({"jam": [2.0, 6.0]}, index=["3578", "3506"])
    expect(t.cek_waktu_wilayah(table, s), "benar")
    ref = t.responsivitas_kantor(kr.load_bundled())
    expect(t.cek_responsivitas(ref[["tingkat_balas"]]), "benar")
    expect(t.cek_kedalaman(2.0, nx.DiGraph([("r", "a"), ("a", "b")], root="r")), "benar")


def test_jawaban_benar_is_silent(capsys):
    G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    assert t.jawaban_benar(t.cek_resiprositas, 2 / 3, G) is True
    assert t.jawaban_benar(t.cek_resiprositas, 0.5, G) is False
    assert t.jawaban_benar(t.cek_resiprositas, ..., G) is False
    assert capsys.readouterr().out == ""


def test_a_wrong_setting_raises_instead_of_blaming_the_student(expect):
    G = nx.DiGraph([("a", "b")])
    with pytest.raises(t.LabSetupError, match="arah='in' is not an option"):
        t.cek_derajat(dict(G.in_degree()), G, arah="in")
    with pytest.raises(t.LabSetupError, match="berbobot"):
        t.cek_derajat(dict(G.in_degree()), G, berbobot="ya")
    # a wrong answer with a right setting is still the student's "salah", never an exception
    expect(t.cek_derajat(["x"], G, arah="keluar"), "salah", "bukan list")


def test_every_check_shares_one_wrapper():
    from kopiresearch.teaching._feedback import pemeriksa

    checks = [getattr(t, n) for n in t.__all__ if n.startswith("cek_")]
    assert len(checks) == 14
    for cek in checks:
        assert cek.__wrapped__.__qualname__ == cek.__qualname__  # functools.wraps of pemeriksa
        assert cek.__code__ is pemeriksa(lambda j: j).__code__
        assert cek(...).status == "belum"


def test_wrong_numeric_settings_raise_too(expect):
    G = nx.DiGraph([("a", "b")])
    nx.set_edge_attributes(G, 0.5, "p")
    with pytest.raises(t.LabSetupError, match="toleransi=0"):
        t.cek_monte_carlo(1.5, G, ["a"], toleransi=0)
    with pytest.raises(t.LabSetupError, match="k='2'"):
        t.cek_pilihan_mitra(["x"], {"x": {"3578"}}, "2")
    expect(t.cek_monte_carlo(1.5, G, ["a"], toleransi=0.1), "benar")
