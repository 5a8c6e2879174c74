"""Tests of the checks of Lab 3 (kopiresearch.teaching.lab3): parents, depth, structural
virality, time to region."""

import networkx as nx
import pandas as pd

import kopiresearch as kr
from kopiresearch import teaching as t


def test_cek_induk_mistakes(expect):
    s = pd.DataFrame({"post_id": ["r", "p1", "p2", "p3"], "author_id": ["A", "B", "C", "D"]})
    follows = {("C", "A"), ("C", "B"), ("D", "C"), ("B", "D")}
    # p1: B follows nobody earlier -> r; p2: C follows A (r) and B (p1) -> latest p1;
    # p3: D follows C -> p2
    assert t.rekonstruksi_induk(s, follows) == {"p1": "r", "p2": "p1", "p3": "p2"}
    expect(t.cek_induk({"p1": "r", "p2": "p1", "p3": "p2"}, s, follows), "benar")
    expect(t.cek_induk({"p1": "r", "p2": "r", "p3": "r"}, s, follows), "salah", "akar")
    expect(t.cek_induk({"p1": "r", "p2": "r", "p3": "p2"}, s, follows), "salah",
            "*paling awal*")
    expect(t.cek_induk({"p1": "r", "p2": "r", "p3": "p1"}, s, follows), "salah", "terbalik")
    expect(t.cek_induk({"p1": "r"}, s, follows), "salah", "belum punya induk")
    expect(t.cek_induk(..., s, follows), "belum")


def test_cek_kedalaman_and_viralitas(expect):
    T = nx.DiGraph([("r", "a"), ("a", "b"), ("r", "c")], root="r")
    # undirected path c-r-a-b: distances 1,2,3,1,2,1 -> sum 10 over 6 pairs, ordered: 20/12
    expect(t.cek_kedalaman(2, T), "benar")
    expect(t.cek_kedalaman(3, T), "salah", "simpul pada jalur")
    expect(t.cek_kedalaman(4, T), "salah", "ukuran kaskade")
    expect(t.cek_viralitas(20 / 12, T), "benar")
    expect(t.cek_viralitas(20 / 16, T), "salah", "n²")
    expect(t.cek_viralitas(4 / 3, T), "salah", "dari akar")
    expect(t.cek_viralitas(..., T), "belum")


def test_cek_waktu_wilayah_mistakes(expect):
    s = pd.DataFrame({
        "created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:00",
                                      "2024-10-01 05:00", "2024-10-01 06:00"], utc=True),
        "region_code": ["35", "3578", "3578", "3506"]})
    expect(t.cek_waktu_wilayah({"3578": 2.0, "3506": 6.0}, s), "benar")
    expect(t.cek_waktu_wilayah({"3578": 5.0, "3506": 6.0}, s), "salah", "*terakhir*")
    expect(t.cek_waktu_wilayah({"3578": 120.0, "3506": 360.0}, s), "salah", "menit")
    expect(t.cek_waktu_wilayah({"35": 0.0, "3578": 2.0, "3506": 6.0}, s), "salah", "'35'")
    expect(t.cek_waktu_wilayah(None, s), "belum")


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
