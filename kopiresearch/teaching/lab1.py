"""Checks of Lab 1, dari data ke graf: graphs built by hand, degrees, reading a figure."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd

from ..corpus import INTERACTION_KINDS
from ._feedback import (
    Hasil,
    Syarat,
    atau_none,
    benar,
    bundled_corpus,
    close_series,
    graf_berarah,
    nilai_simpul,
    node_label,
    pemeriksa,
    pilihan,
    salah,
    same_number,
)

__all__ = [
    "cek_graf",
    "cek_derajat",
    "cek_baca_gambar",
]


def _interaksi_sah(table, argumen):
    kolom = {"source_id", "target_id"} | ({"kind"} if argumen.get("jenis") is not None else set())
    return isinstance(table, pd.DataFrame) and len(table) > 0 and kolom <= set(table.columns)


def _jenis_sah(jenis, argumen):
    kinds = [jenis] if isinstance(jenis, str) else list(jenis)
    if not kinds or not all(isinstance(k, str) and k in INTERACTION_KINDS for k in kinds):
        return False
    table = argumen.get("interaksi")
    table = bundled_corpus().interactions if table is None else table
    return bool(table["kind"].astype(str).isin(kinds).any())


def _jenis_harapan(argumen):
    data = "the bundled corpus" if argumen.get("interaksi") is None else "interaksi"
    return (f"an interaction kind or a list of them ({', '.join(INTERACTION_KINDS)}) that "
            f"occurs in {data}")


@pemeriksa(
    interaksi=atau_none(Syarat(_interaksi_sah, "a non-empty pandas DataFrame with the columns "
                               "source_id, target_id (and kind when jenis is given)")),
    jenis=atau_none(Syarat(lambda j, a: isinstance(j, (str, list, tuple)) and _jenis_sah(j, a),
                           _jenis_harapan)),
)
def cek_graf(G, jenis=None, interaksi=None) -> Hasil:
    """Check a directed, weighted interaction graph built by hand from an interactions table.

    Parameters
    ----------
    G : networkx.DiGraph
        The student's graph: one edge ``source_id -> target_id`` per pair of accounts, with
        ``weight`` = the number of interactions of that pair.
    jenis : str or list of str, optional
        The interaction kind(s) the exercise asks for (e.g. ``"reply"``), of
        :data:`kopiresearch.INTERACTION_KINDS` and present in the table; all when ``None``.
    interaksi : pandas.DataFrame, optional
        The interactions table the exercise starts from (columns ``source_id``,
        ``target_id`` and, when ``jenis`` is given, ``kind``); the bundled corpus by default.

    Returns
    -------
    Hasil

    Raises
    ------
    LabSetupError
        ``jenis`` or ``interaksi`` is not one of the above (the notebook's mistake).

    Notes
    -----
    The reference graph has an edge ``u -> v`` for every pair that occurs as
    (``source_id``, ``target_id``) in the selected rows, with ``weight`` equal to the number
    of such rows (the convention of :func:`kopiresearch.build_interaction_graph`). Nodes
    beyond the edge endpoints are accepted when they are accounts of the bundled corpus
    (isolated accounts). Mistakes recognised: an undirected graph, a multigraph, reversed
    edges, edges of other interaction kinds, missing edges, missing or unit weights.

    Examples
    --------
    >>> import networkx as nx, pandas as pd
    >>> t = pd.DataFrame({"source_id": ["a", "a", "b"], "target_id": ["b", "b", "c"]})
    >>> G = nx.DiGraph(); G.add_edge("a", "b", weight=2); G.add_edge("b", "c", weight=1)
    >>> bool(cek_graf(G, interaksi=t))
    ✅ Benar! Graf Anda berarah dan berbobot: 3 simpul, 2 sisi.
    True
    >>> _ = cek_graf(G.reverse(), interaksi=t)  # doctest: +ELLIPSIS
    ❌ Belum tepat. Jumlah simpul benar, tetapi arah sisi terbalik: ...
    """
    if not isinstance(G, nx.Graph):
        return salah(f"Jawaban harus berupa graf NetworkX (nx.DiGraph), bukan "
                     f"{type(G).__name__}.")
    bundled = interaksi is None
    table = bundled_corpus().interactions if bundled else interaksi
    rows = table
    kinds = None
    if jenis is not None:
        kinds = [jenis] if isinstance(jenis, str) else list(jenis)
        rows = table[table["kind"].astype(str).isin(kinds)]
    expected = _edge_counts(rows)
    exp_nodes = set(rows["source_id"]) | set(rows["target_id"])
    if G.number_of_edges() == 0:
        return salah("Graf Anda belum memiliki sisi. Tambahkan satu sisi untuk setiap pasangan "
                     "(source_id, target_id) pada tabel interaksi.")
    if not G.is_directed():
        return salah("Graf Anda tidak berarah (nx.Graph). Interaksi punya arah: siapa yang "
                     "membalas siapa. Gunakan nx.DiGraph().")
    if G.is_multigraph():
        return salah("Graf Anda adalah multigraf (satu sisi per interaksi). Gunakan "
                     "nx.DiGraph() dengan satu sisi per pasangan akun, dan simpan jumlah "
                     "interaksinya di atribut 'weight'.")
    got = set(G.edges())
    want = set(expected)
    nodes = set(G.nodes())
    if got != want:
        reversed_ = {(v, u) for u, v in got}
        if reversed_ == want:
            awal = "Jumlah simpul benar, tetapi" if nodes >= exp_nodes else "Selain itu,"
            return salah(f"{awal} arah sisi terbalik: sisi harus menunjuk dari akun yang "
                         "bertindak (source_id) ke akun yang ditanggapi (target_id).")
        extra, missing = got - want, want - got
        if kinds is not None and "kind" in table.columns and extra:
            other = table[~table["kind"].astype(str).isin(kinds)]
            other_pairs = set(_edge_counts(other))
            if extra <= other_pairs:
                extra_kinds = sorted(set(other.loc[
                    [p in extra for p in zip(other["source_id"], other["target_id"])],
                    "kind"].astype(str)))
                return salah(f"Graf Anda memuat sisi dari jenis interaksi lain "
                             f"({', '.join(extra_kinds)}). Saring dulu baris dengan kolom "
                             f"kind == {kinds[0]!r}" + (" (dan jenis lain yang diminta)"
                                                        if len(kinds) > 1 else "") + ".")
        if not extra and missing:
            return salah(f"Graf Anda kurang {len(missing)} sisi: setiap pasangan "
                         "(source_id, target_id) pada baris yang dipilih harus menjadi sisi.")
        return salah(f"{len(extra)} sisi di graf Anda tidak ada pada data yang dipilih dan "
                     f"{len(missing)} sisi dari data tidak ada di graf Anda. Periksa lagi "
                     "penyaringan dan kolom yang Anda pakai untuk ujung sisi.")
    allowed = set(bundled_corpus().accounts.index) if bundled else exp_nodes
    stray = nodes - exp_nodes - allowed
    if stray:
        return salah(f"Graf Anda punya {len(stray)} simpul yang bukan akun pada data, "
                     f"misalnya {sorted(map(str, stray))[0]!r}.")
    weights = {(u, v): d.get("weight") for u, v, d in G.edges(data=True)}
    if any(w is None for w in weights.values()):
        return salah("Sisi-sisi belum memiliki atribut 'weight'. Bobot sebuah sisi adalah "
                     "jumlah interaksi dari akun yang sama ke akun yang sama.")
    wrong = [e for e, w in weights.items() if not same_number(w, expected[e])]
    if wrong:
        if all(same_number(w, 1) for w in weights.values()):
            return salah("Semua bobot bernilai 1: interaksi yang berulang antara pasangan akun "
                         "yang sama belum dijumlahkan. Bobot = banyaknya baris untuk pasangan "
                         "(source_id, target_id) itu.")
        u, v = sorted(wrong, key=str)[0]
        return salah(f"{len(wrong)} sisi memiliki bobot yang salah, misalnya sisi "
                     f"{u!s} -> {v!s}. Bobot = banyaknya baris untuk pasangan itu.")
    return benar(f"Graf Anda berarah dan berbobot: {G.number_of_nodes()} simpul, "
                 f"{G.number_of_edges()} sisi.")


@pemeriksa(G=graf_berarah(), arah=pilihan("masuk", "keluar"), berbobot=pilihan(True, False))
def cek_derajat(jawaban, G, arah="masuk", berbobot=True) -> Hasil:
    """Check a degree computed for every node of ``G``.

    Parameters
    ----------
    jawaban : dict, pandas.Series, networkx DegreeView or list of (node, value) pairs
        The student's degree of each node.
    G : networkx.DiGraph
        The graph the exercise is about.
    arah : {"masuk", "keluar"}
        In-degree (``"masuk"``: edges pointing to the node) or out-degree (``"keluar"``).
    berbobot : bool
        Weighted degree (sum of edge ``weight``, also called strength) or the number of
        neighbours.

    Returns
    -------
    Hasil

    Notes
    -----
    Nodes missing from the answer count as degree 0 (a pandas ``value_counts`` leaves them
    out). Mistakes recognised: unweighted instead of weighted degree (and the reverse), the
    other direction, in + out (total) degree.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_edge("a", "b", weight=3); G.add_edge("c", "b", weight=1)
    >>> _ = cek_derajat(dict(G.in_degree(weight="weight")), G)
    ✅ Benar! Akun dengan nilai tertinggi: b.
    >>> _ = cek_derajat(dict(G.in_degree()), G)  # doctest: +ELLIPSIS
    ❌ Belum tepat. Anda menghitung banyaknya sisi (derajat tanpa bobot), ...
    """
    got = nilai_simpul(jawaban, G, "dict, pandas Series atau hasil G.in_degree(...) / "
                                   "G.out_degree(...)")
    if isinstance(got, Hasil):
        return got
    got = got.reindex(list(G.nodes())).fillna(0.0)
    lain = "keluar" if arah == "masuk" else "masuk"
    if close_series(got, _degrees(G, arah, berbobot)):
        top = got.sort_values(ascending=False, kind="stable").index[0]
        return benar(f"Akun dengan nilai tertinggi: {node_label(G, top)}.")
    alternatives = [
        ((arah, not berbobot),
         "Anda menghitung banyaknya sisi (derajat tanpa bobot), padahal yang diminta derajat "
         "berbobot: jumlah atribut 'weight' dari sisi-sisinya." if berbobot else
         "Anda menjumlahkan bobot, padahal yang diminta banyaknya sisi (derajat tanpa bobot)."),
        ((lain, berbobot),
         f"Arah terbalik: Anda menghitung derajat {lain}, padahal yang diminta derajat "
         f"{arah} ({_arah_kalimat(arah)})."),
        ((lain, not berbobot),
         f"Dua hal: arahnya terbalik (Anda menghitung derajat {lain}) dan "
         + ("bobot belum dipakai." if berbobot else "bobot tidak diminta.")),
        (("total", berbobot),
         f"Anda menjumlahkan sisi masuk dan keluar; yang diminta hanya derajat {arah}."),
        (("total", not berbobot),
         f"Anda menjumlahkan sisi masuk dan keluar tanpa bobot; yang diminta derajat {arah}"
         + (" berbobot." if berbobot else ".")),
    ]
    for (a, b), pesan in alternatives:
        if close_series(got, _degrees(G, a, b)):
            return salah(pesan)
    n_wrong = int((~np.isclose(got.to_numpy(), _degrees(G, arah, berbobot)
                               .reindex(got.index).to_numpy())).sum())
    return salah(f"Nilai derajat belum cocok untuk {n_wrong} simpul. Ingat: derajat {arah} "
                 f"{'berbobot ' if berbobot else ''}{_arah_kalimat(arah)}.")


def _degrees(G, arah, berbobot):
    w = "weight" if berbobot else None
    view = {"masuk": G.in_degree, "keluar": G.out_degree, "total": G.degree}[arah]
    return pd.Series(dict(view(weight=w)), dtype=float)


@pemeriksa(H=graf_berarah())
def cek_baca_gambar(jawaban, H) -> Hasil:
    """Check which account of a drawn graph receives the most arrows.

    Parameters
    ----------
    jawaban : str
        The student's reading of the picture: the handle (with or without ``@``) or the
        account id of the account that receives the most arrows.
    H : networkx.DiGraph
        The graph that was drawn (node attribute ``handle``).

    Returns
    -------
    Hasil

    Notes
    -----
    Right answers are the nodes of largest in-degree (number of arrows, weights ignored);
    ties are all accepted. Mistakes recognised: the account that sends the most arrows
    (out-degree), the account with the most arrows in total, an account not in the picture.

    Examples
    --------
    >>> import networkx as nx
    >>> H = nx.DiGraph([("a", "b"), ("c", "b"), ("a", "c")])
    >>> _ = cek_baca_gambar("b", H)
    ✅ Benar! Kepala panah menunjuk ke akun yang ditanggapi.
    >>> _ = cek_baca_gambar("a", H)  # doctest: +ELLIPSIS
    ❌ Belum tepat. Akun itu paling banyak *mengirim* panah ...
    """
    if not isinstance(jawaban, str):
        return salah("Tulis jawaban sebagai teks, misalnya jawaban = 'nama_akun'.")
    key = jawaban.strip().lstrip("@").lower()
    by_handle = {str(d.get("handle") or n).lower(): n for n, d in H.nodes(data=True)}
    by_id = {str(n).lower(): n for n in H.nodes()}
    node = by_handle.get(key, by_id.get(key))
    if node is None:
        return salah("Akun itu tidak ada di gambar. Salin nama akun persis seperti label "
                     "pada gambar.")
    indeg, outdeg, deg = dict(H.in_degree()), dict(H.out_degree()), dict(H.degree())
    if indeg[node] == max(indeg.values()):
        return benar("Kepala panah menunjuk ke akun yang ditanggapi.")
    if outdeg[node] == max(outdeg.values()):
        return salah("Akun itu paling banyak *mengirim* panah (derajat keluar). Perhatikan "
                     "kepala panah: ia menunjuk ke akun yang menerima.")
    if deg[node] == max(deg.values()):
        return salah("Akun itu punya panah terbanyak jika panah masuk dan keluar dijumlahkan; "
                     "hitung hanya panah yang kepalanya menunjuk ke akun itu.")
    return salah("Ada akun lain yang menerima lebih banyak panah. Hitung kepala panah yang "
                 "menunjuk ke setiap akun.")


def _edge_counts(rows) -> dict:
    if len(rows) == 0:
        return {}
    counts = rows.groupby([rows["source_id"].astype(object), rows["target_id"].astype(object)],
                          sort=False).size()
    return {k: int(v) for k, v in counts.items()}


def _arah_kalimat(arah) -> str:
    return ("menjumlahkan sisi yang menunjuk KE akun itu" if arah == "masuk"
            else "menjumlahkan sisi yang keluar DARI akun itu")
