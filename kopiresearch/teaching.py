"""Checks for the teaching labs (notebooks/teaching/): feedback in plain Bahasa Indonesia.

Every ``cek_*`` function checks one kind of exercise ("Latihan") of the labs. It prints one
message for the student and returns a :class:`Hasil`:

* ``"benar"`` -- the answer is right (``bool(hasil)`` is ``True``);
* ``"salah"`` -- the answer is wrong; the message names the *kind* of mistake (edges reversed,
  unweighted instead of weighted degree, reciprocity of an undirected graph, the wrong
  interaction kinds, ...) without giving the answer away;
* ``"belum"`` -- the exercise was left blank (``...`` or ``None``): a friendly "belum
  dikerjakan" message, never an exception, so that a blank student notebook runs top to bottom.

A check never raises on a student's answer: an answer that cannot be compared at all (a list
where a graph was expected, a string where a number was expected, ``0,48`` typed with a
decimal comma) gets a "salah" message that says what was expected.

Numbers are compared the way students write them: an answer rounded to the decimals it shows
(``viralitas = 8.76`` for 8.7589..., at least two decimals and two significant digits) is
right, and says so; an answer that differs *only* by coarser rounding (``8.8``) gets a hint
to write more decimals, never "too large"/"too small".

The cells of a lab that follow an exercise use the student's own answer, and only once it is
right (:func:`jawaban_benar` runs a check silently), so that no cell shows the answer before
the student has tried.

The reference answers are computed inside the checks from the same data the student has (the
bundled corpus by default, or the graph/table passed in), so they follow the data if it is
regenerated.
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from .regions import is_kabkota

__all__ = [
    "Hasil",
    "cek_graf",
    "cek_derajat",
    "cek_baca_gambar",
    "cek_pagerank",
    "cek_betweenness",
    "cek_resiprositas",
    "cek_responsivitas",
    "cek_induk",
    "cek_kedalaman",
    "cek_viralitas",
    "cek_waktu_wilayah",
    "cek_ic_manual",
    "cek_monte_carlo",
    "cek_pilihan_mitra",
    "jawaban_benar",
    "responsivitas_kantor",
    "rekonstruksi_induk",
    "sebaran_tepat",
    "PESAN_BENAR",
    "PESAN_SALAH",
    "PESAN_BELUM",
]

#: Prefixes of the three kinds of message (the tests and the lecturer notebooks look for them).
PESAN_BENAR = "✅ Benar!"
PESAN_SALAH = "❌ Belum tepat."
PESAN_BELUM = "✏️ Latihan ini belum dikerjakan."


@dataclass(frozen=True)
class Hasil:
    """The result of a check: ``status`` is ``"benar"``, ``"salah"`` or ``"belum"``;
    ``pesan`` is the message that was printed. ``bool(hasil)`` is ``True`` only when right.

    Examples
    --------
    >>> h = Hasil("benar", "✅ Benar!")
    >>> bool(h), bool(Hasil("belum", "..."))
    (True, False)
    """

    status: str
    pesan: str

    def __bool__(self) -> bool:
        return self.status == "benar"

    def _ipython_display_(self):
        # The message was printed already; a check as the last line of a notebook cell adds
        # no second "Out[...]" (a trailing ";" is not honoured by every runner, e.g. nbval).
        return None


# ----------------------------------------------------------------------------------------
# Lab 1: dari data ke graf


def cek_graf(G, jenis=None, interaksi=None) -> Hasil:
    """Check a directed, weighted interaction graph built by hand from an interactions table.

    Parameters
    ----------
    G : networkx.DiGraph
        The student's graph: one edge ``source_id -> target_id`` per pair of accounts, with
        ``weight`` = the number of interactions of that pair.
    jenis : str or list of str, optional
        The interaction kind(s) the exercise asks for (e.g. ``"reply"``); all when ``None``.
    interaksi : pandas.DataFrame, optional
        The interactions table the exercise starts from (columns ``source_id``,
        ``target_id`` and, when ``jenis`` is given, ``kind``); the bundled corpus by default.

    Returns
    -------
    Hasil

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
    if _kosong(G):
        return _belum()
    return _aman(_cek_graf, G, jenis, interaksi)


def _cek_graf(G, jenis, interaksi):
    if not isinstance(G, nx.Graph):
        return _salah(f"Jawaban harus berupa graf NetworkX (nx.DiGraph), bukan "
                      f"{type(G).__name__}.")
    bundled = interaksi is None
    table = _bundled().interactions if bundled else interaksi
    rows = table
    kinds = None
    if jenis is not None:
        kinds = [jenis] if isinstance(jenis, str) else list(jenis)
        rows = table[table["kind"].astype(str).isin(kinds)]
    expected = _edge_counts(rows)
    exp_nodes = set(rows["source_id"]) | set(rows["target_id"])
    if G.number_of_edges() == 0:
        return _salah("Graf Anda belum memiliki sisi. Tambahkan satu sisi untuk setiap pasangan "
                      "(source_id, target_id) pada tabel interaksi.")
    if not G.is_directed():
        return _salah("Graf Anda tidak berarah (nx.Graph). Interaksi punya arah: siapa yang "
                      "membalas siapa. Gunakan nx.DiGraph().")
    if G.is_multigraph():
        return _salah("Graf Anda adalah multigraf (satu sisi per interaksi). Gunakan "
                      "nx.DiGraph() dengan satu sisi per pasangan akun, dan simpan jumlah "
                      "interaksinya di atribut 'weight'.")
    got = set(G.edges())
    want = set(expected)
    nodes = set(G.nodes())
    if got != want:
        reversed_ = {(v, u) for u, v in got}
        if reversed_ == want:
            awal = "Jumlah simpul benar, tetapi" if nodes >= exp_nodes else "Selain itu,"
            return _salah(f"{awal} arah sisi terbalik: sisi harus menunjuk dari akun yang "
                          "bertindak (source_id) ke akun yang ditanggapi (target_id).")
        extra, missing = got - want, want - got
        if kinds is not None and "kind" in table.columns and extra:
            other = table[~table["kind"].astype(str).isin(kinds)]
            other_pairs = set(_edge_counts(other))
            if extra <= other_pairs:
                extra_kinds = sorted(set(other.loc[
                    [p in extra for p in zip(other["source_id"], other["target_id"])],
                    "kind"].astype(str)))
                return _salah(f"Graf Anda memuat sisi dari jenis interaksi lain "
                              f"({', '.join(extra_kinds)}). Saring dulu baris dengan kolom "
                              f"kind == {kinds[0]!r}" + (" (dan jenis lain yang diminta)"
                                                         if len(kinds) > 1 else "") + ".")
        if not extra and missing:
            return _salah(f"Graf Anda kurang {len(missing)} sisi: setiap pasangan "
                          "(source_id, target_id) pada baris yang dipilih harus menjadi sisi.")
        return _salah(f"{len(extra)} sisi di graf Anda tidak ada pada data yang dipilih dan "
                      f"{len(missing)} sisi dari data tidak ada di graf Anda. Periksa lagi "
                      "penyaringan dan kolom yang Anda pakai untuk ujung sisi.")
    allowed = set(_bundled().accounts.index) if bundled else exp_nodes
    stray = nodes - exp_nodes - allowed
    if stray:
        return _salah(f"Graf Anda punya {len(stray)} simpul yang bukan akun pada data, "
                      f"misalnya {sorted(map(str, stray))[0]!r}.")
    weights = {(u, v): d.get("weight") for u, v, d in G.edges(data=True)}
    if any(w is None for w in weights.values()):
        return _salah("Sisi-sisi belum memiliki atribut 'weight'. Bobot sebuah sisi adalah "
                      "jumlah interaksi dari akun yang sama ke akun yang sama.")
    wrong = [e for e, w in weights.items() if not _same(w, expected[e])]
    if wrong:
        if all(_same(w, 1) for w in weights.values()):
            return _salah("Semua bobot bernilai 1: interaksi yang berulang antara pasangan akun "
                          "yang sama belum dijumlahkan. Bobot = banyaknya baris untuk pasangan "
                          "(source_id, target_id) itu.")
        u, v = sorted(wrong, key=str)[0]
        return _salah(f"{len(wrong)} sisi memiliki bobot yang salah, misalnya sisi "
                      f"{u!s} -> {v!s}. Bobot = banyaknya baris untuk pasangan itu.")
    return _benar(f"Graf Anda berarah dan berbobot: {G.number_of_nodes()} simpul, "
                  f"{G.number_of_edges()} sisi.")


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
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_derajat, jawaban, G, arah, berbobot)


def _degrees(G, arah, berbobot):
    w = "weight" if berbobot else None
    view = {"masuk": G.in_degree, "keluar": G.out_degree, "total": G.degree}[arah]
    return pd.Series(dict(view(weight=w)), dtype=float)


def _cek_derajat(jawaban, G, arah, berbobot):
    if arah not in ("masuk", "keluar"):
        raise ValueError("arah must be 'masuk' or 'keluar'")
    got = _as_series(jawaban)
    if got is None:
        return _salah("Jawaban harus berupa dict, pandas Series atau hasil G.in_degree(...) / "
                      f"G.out_degree(...), bukan {type(jawaban).__name__}.")
    stray = set(got.index) - set(G.nodes())
    if stray:
        return _salah(f"Jawaban Anda memuat {len(stray)} kunci yang bukan simpul graf, "
                      f"misalnya {sorted(map(str, stray))[0]!r}.")
    got = got.reindex(list(G.nodes())).fillna(0.0)
    lain = "keluar" if arah == "masuk" else "masuk"
    if _close(got, _degrees(G, arah, berbobot)):
        top = got.sort_values(ascending=False, kind="stable").index[0]
        return _benar(f"Akun dengan nilai tertinggi: {_label(G, top)}.")
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
        if _close(got, _degrees(G, a, b)):
            return _salah(pesan)
    n_wrong = int((~np.isclose(got.to_numpy(), _degrees(G, arah, berbobot)
                               .reindex(got.index).to_numpy())).sum())
    return _salah(f"Nilai derajat belum cocok untuk {n_wrong} simpul. Ingat: derajat {arah} "
                  f"{'berbobot ' if berbobot else ''}{_arah_kalimat(arah)}.")


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
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_baca_gambar, jawaban, H)


def _cek_baca_gambar(jawaban, H):
    if not isinstance(jawaban, str):
        return _salah("Tulis jawaban sebagai teks, misalnya jawaban = 'nama_akun'.")
    key = jawaban.strip().lstrip("@").lower()
    by_handle = {str(d.get("handle") or n).lower(): n for n, d in H.nodes(data=True)}
    by_id = {str(n).lower(): n for n in H.nodes()}
    node = by_handle.get(key, by_id.get(key))
    if node is None:
        return _salah("Akun itu tidak ada di gambar. Salin nama akun persis seperti label "
                      "pada gambar.")
    indeg, outdeg, deg = dict(H.in_degree()), dict(H.out_degree()), dict(H.degree())
    if indeg[node] == max(indeg.values()):
        return _benar("Kepala panah menunjuk ke akun yang ditanggapi.")
    if outdeg[node] == max(outdeg.values()):
        return _salah("Akun itu paling banyak *mengirim* panah (derajat keluar). Perhatikan "
                      "kepala panah: ia menunjuk ke akun yang menerima.")
    if deg[node] == max(deg.values()):
        return _salah("Akun itu punya panah terbanyak jika panah masuk dan keluar dijumlahkan; "
                      "hitung hanya panah yang kepalanya menunjuk ke akun itu.")
    return _salah("Ada akun lain yang menerima lebih banyak panah. Hitung kepala panah yang "
                  "menunjuk ke setiap akun.")


# ----------------------------------------------------------------------------------------
# Lab 2: sentralitas dan komunikasi dua arah


def cek_pagerank(jawaban, G) -> Hasil:
    """Check a weighted PageRank of every node of a directed interaction graph.

    Parameters
    ----------
    jawaban : dict or pandas.Series
        The student's PageRank per node.
    G : networkx.DiGraph
        The interaction graph (edges actor -> account engaged, attribute ``weight``).

    Returns
    -------
    Hasil

    Notes
    -----
    Reference: ``nx.pagerank(G, alpha=0.85, weight="weight")``, compared with relative
    tolerance 1e-3. Mistakes recognised: unweighted, reversed graph, undirected graph,
    values in percent.

    References
    ----------
    Brin, S. & Page, L. (1998). The anatomy of a large-scale hypertextual Web search engine.
    *Computer Networks and ISDN Systems* 30(1-7), 107-117. doi:10.1016/S0169-7552(98)00110-X

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("c", "b"), ("b", "a")])
    >>> _ = cek_pagerank(nx.pagerank(G), G)
    ✅ Benar! Akun dengan nilai tertinggi: b.
    >>> _ = cek_pagerank(nx.pagerank(G.reverse()), G)  # doctest: +ELLIPSIS
    ❌ Belum tepat. Arah terbalik: ...
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_pagerank, jawaban, G)


def _cek_pagerank(jawaban, G):
    got = _node_values(jawaban, G)
    if isinstance(got, Hasil):
        return got
    want = pd.Series(nx.pagerank(G, weight="weight"))
    cocok = _banding_seri(got, want, rtol=1e-3, atol=1e-7, desimal_min=4)
    if cocok.diterima:
        return _benar(f"{cocok.catatan}Akun dengan nilai tertinggi: "
                      f"{_label(G, want.idxmax())}.")
    if cocok.kasar:
        return _salah(cocok.saran)
    if _banding_seri(got, 100 * want, rtol=1e-3, atol=1e-5, desimal_min=2).mirip:
        return _salah("Nilai Anda dalam persen; tulis PageRank sebagai proporsi (jumlahnya 1).")
    alternatives = [
        (nx.pagerank(G, weight=None), "PageRank Anda belum memakai bobot: tambahkan "
         "weight='weight' agar interaksi yang berulang dihitung berulang."),
        (nx.pagerank(G.reverse(copy=True), weight="weight"), "Arah terbalik: PageRank mengalir "
         "mengikuti arah sisi, dari akun yang bertindak ke akun yang ditanggapi. Jangan "
         "membalik graf."),
        (nx.pagerank(G.to_undirected(), weight="weight"), "Anda menghitung PageRank pada graf "
         "tidak berarah; arah sisi penting di sini."),
    ]
    for values, pesan in alternatives:
        if _banding_seri(got, pd.Series(values), rtol=1e-3, atol=1e-7, desimal_min=4).mirip:
            return _salah(pesan)
    return _salah("Nilai PageRank belum cocok. Gunakan nx.pagerank pada graf berarah G dengan "
                  "bobot 'weight' dan alpha bawaan 0.85.")


def cek_betweenness(jawaban, G) -> Hasil:
    """Check the (normalised, unweighted, directed) betweenness centrality of every node.

    Parameters
    ----------
    jawaban : dict or pandas.Series
        The student's betweenness per node.
    G : networkx.DiGraph

    Returns
    -------
    Hasil

    Notes
    -----
    Reference: ``nx.betweenness_centrality(G)`` (shortest paths count edges, values divided
    by (n-1)(n-2)). Mistakes recognised: ``weight="weight"`` (interaction counts are not
    distances: a heavier edge would be a *longer* path), not normalised, undirected graph.

    References
    ----------
    Freeman, L. C. (1977). A set of measures of centrality based on betweenness.
    *Sociometry* 40(1), 35-41. doi:10.2307/3033543

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> _ = cek_betweenness(nx.betweenness_centrality(G), G)
    ✅ Benar! Akun dengan nilai tertinggi: b.
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_betweenness, jawaban, G)


def _cek_betweenness(jawaban, G):
    got = _node_values(jawaban, G)
    if isinstance(got, Hasil):
        return got
    want = pd.Series(nx.betweenness_centrality(G))
    cocok = _banding_seri(got, want, desimal_min=4)
    if cocok.diterima:
        return _benar(f"{cocok.catatan}Akun dengan nilai tertinggi: "
                      f"{_label(G, want.idxmax())}.")
    if cocok.kasar:
        return _salah(cocok.saran)
    alternatives = [
        (nx.betweenness_centrality(G, weight="weight"), "Anda memakai weight='weight'. Pada "
         "betweenness, bobot dibaca sebagai *jarak*: interaksi yang sering akan dianggap jalan "
         "yang panjang. Hitung tanpa bobot."),
        (nx.betweenness_centrality(G, normalized=False), "Nilai Anda belum dinormalisasi; "
         "gunakan normalized=True (bawaan) agar bisa dibandingkan antar-graf."),
        (nx.betweenness_centrality(G.to_undirected()), "Anda menghitung pada graf tidak "
         "berarah; jalur harus mengikuti arah sisi."),
    ]
    for values, pesan in alternatives:
        if _banding_seri(got, pd.Series(values), desimal_min=4).mirip:
            return _salah(pesan)
    return _salah("Nilai betweenness belum cocok. Gunakan nx.betweenness_centrality pada graf "
                  "berarah yang diminta.")


def cek_resiprositas(jawaban, G) -> Hasil:
    """Check the reciprocity of a directed graph, computed by hand.

    Parameters
    ----------
    jawaban : float
        The student's reciprocity (a share between 0 and 1).
    G : networkx.DiGraph

    Returns
    -------
    Hasil

    Notes
    -----
    Reference: the share of edges ``u -> v`` whose reverse ``v -> u`` is also an edge,
    ``nx.reciprocity(G)`` (NodeXL's "reciprocated edge ratio"). Mistakes recognised: the
    undirected version (every edge counts as answered: 1.0), the share of *pairs* of accounts
    that are mutual (dyad reciprocity), each mutual pair counted once, percent instead of a
    share. A wrong value only gets "too high"/"too low".

    References
    ----------
    Wasserman, S. & Faust, K. (1994). *Social Network Analysis: Methods and Applications*,
    ch. 13. Cambridge University Press. doi:10.1017/CBO9780511815478

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    >>> _ = cek_resiprositas(2 / 3, G)
    ✅ Benar! 2 dari 3 sisi berbalas.
    >>> _ = cek_resiprositas(1.0, G)  # doctest: +ELLIPSIS
    ❌ Belum tepat. Nilai 1 adalah ciri graf tidak berarah: ...
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_resiprositas, jawaban, G)


def _cek_resiprositas(jawaban, G):
    value, masalah = _angka(jawaban, "satu angka (proporsi antara 0 dan 1)")
    if masalah:
        return _salah(masalah)
    m = G.number_of_edges()
    mutual_edges = sum(1 for u, v in G.edges() if u != v and G.has_edge(v, u))
    want = mutual_edges / m if m else 0.0
    cocok = _banding(value, want)
    if cocok.diterima:
        return _benar(f"{cocok.catatan}{mutual_edges} dari {m} sisi berbalas.")
    if cocok.kasar:
        return _salah(cocok.saran)
    pairs = {frozenset((u, v)) for u, v in G.edges() if u != v}
    mutual_pairs = mutual_edges / 2
    if _banding(value, 100 * want, desimal_min=0).mirip:
        return _salah("Nilai Anda dalam persen; tulis sebagai proporsi antara 0 dan 1.")
    if _same_float(value, 1.0) and want < 1:
        return _salah("Nilai 1 adalah ciri graf tidak berarah: di sana setiap sisi otomatis "
                      "'berbalas'. Hitung pada graf berarah: sisi u -> v berbalas bila v -> u "
                      "juga ada.")
    if pairs and _banding(value, mutual_pairs / len(pairs)).mirip:
        return _salah("Anda menghitung bagian *pasangan akun* yang saling menanggapi. Yang "
                      "diminta bagian *sisi* yang berbalas: pasangan yang saling menanggapi "
                      "punya dua sisi berbalas.")
    if m and _banding(value, mutual_pairs / m).mirip:
        return _salah("Setiap pasangan yang saling menanggapi Anda hitung sekali; padahal "
                      "pasangan itu punya dua sisi yang sama-sama berbalas.")
    arah = "terlalu besar" if value > want else "terlalu kecil"
    return _salah(f"Nilai Anda {arah}. Resiprositas = banyaknya sisi u -> v yang juga punya "
                  "v -> u, dibagi banyaknya semua sisi.")


def responsivitas_kantor(corpus, *, office_types=("government_province",
                                                  "government_regency"),
                         askers=("citizen",)) -> pd.DataFrame:
    """Reply rate of each government office to citizens, with the words of Lab 2.

    The measure is :func:`kopiresearch.metrics.responsiveness` (the package's one definition
    of what addresses an office and what answers it); this function selects the offices of
    Latihan 2.4 and names the columns in Bahasa Indonesia. Lab 2 uses it only after the
    student's own answer is right.

    Parameters
    ----------
    corpus : Corpus
    office_types : tuple of str
        Actor types of the offices.
    askers : tuple of str
        Actor types whose posts count as questions (citizens in the lab).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``account_id`` (every office, sorted), columns ``handle``, ``ditanya``
        (``addressed``: citizen posts addressing the office), ``dijawab`` (``answered``: of
        those, answered by the office), ``tingkat_balas`` (``reply_rate`` = dijawab /
        ditanya, NaN when never addressed) and ``median_jam_km``
        (``km_conditional_median_hours``: Kaplan-Meier median delay of answers).

    See Also
    --------
    kopiresearch.metrics.responsiveness : the measure, with its Notes and References.

    Notes
    -----
    A citizen post *addresses* office g when the interactions table has an act of kind
    ``mention``, ``reply`` or ``comment`` from the citizen to g on that post; g *answers* it
    when g writes a post of kind ``reply`` or ``comment`` whose ``parent_post_id`` is that
    post, by the end of the data (the last post). The bundled data have no comments, so
    there the rule of Lab 2 (mentions and replies, answered by a reply) gives the same
    numbers.

    References
    ----------
    Panagiotopoulos, P., Barnett, J. & Brooks, L. (2013). Social media and government
    responsiveness: the case of the UK Food Standards Agency. *EGOV 2013*, LNCS 8074,
    310-321. doi:10.1007/978-3-642-40358-3_26

    Examples
    --------
    >>> import kopiresearch as kr
    >>> t = responsivitas_kantor(kr.load_bundled())
    >>> len(t), bool(t["tingkat_balas"].between(0, 1).all())
    (39, True)
    """
    from .metrics import responsiveness

    acc = corpus.accounts
    offices = sorted(acc.index[acc["actor_type"].astype(str).isin(office_types)])
    r = responsiveness(corpus, offices=offices, askers=askers)
    out = pd.DataFrame(index=pd.Index(offices, dtype=object, name="account_id"))
    out["handle"] = r["handle"].reindex(out.index)
    out["ditanya"] = r["addressed"].reindex(out.index).astype(int)
    out["dijawab"] = r["answered"].reindex(out.index).astype(int)
    out["tingkat_balas"] = r["reply_rate"].reindex(out.index)
    out["median_jam_km"] = r["km_conditional_median_hours"].reindex(out.index)
    return out


def cek_responsivitas(jawaban, corpus=None) -> Hasil:
    """Check the reply rate of every government office (province and kabupaten/kota).

    Parameters
    ----------
    jawaban : pandas.Series or dict
        Reply rate per office, indexed by ``account_id``.
    corpus : Corpus, optional
        The bundled corpus by default.

    Returns
    -------
    Hasil

    Notes
    -----
    Reference: :func:`responsivitas_kantor` (that is, ``metrics.responsiveness``). Rates
    rounded to two or more decimals are accepted. Mistakes recognised: percent instead of a
    share, the ratio upside down (asked / answered), questions of every actor type instead
    of citizens only, offices missing, account handles instead of ids.

    Examples
    --------
    >>> import kopiresearch as kr
    >>> ref = responsivitas_kantor(kr.load_bundled())["tingkat_balas"]
    >>> _ = cek_responsivitas(ref * 100)  # doctest: +ELLIPSIS
    ❌ Belum tepat. Nilai Anda dalam persen; ...
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_responsivitas, jawaban, corpus)


def _cek_responsivitas(jawaban, corpus):
    corpus = _bundled() if corpus is None else corpus
    types = ("government_province", "government_regency")
    ref = responsivitas_kantor(corpus, office_types=types)
    want = ref["tingkat_balas"].dropna()
    got = _as_series(jawaban)
    if got is None:
        return _salah("Jawaban harus berupa pandas Series (atau dict) dengan account_id kantor "
                      f"sebagai indeks, bukan {type(jawaban).__name__}.")
    got = got.dropna()
    missing = set(want.index) - set(got.index)
    if missing and set(got.index) & set(ref["handle"]):
        return _salah("Gunakan account_id sebagai indeks, bukan handle.")
    if missing:
        return _salah(f"{len(missing)} kantor pemerintah belum ada di jawaban Anda; hitung untuk "
                      "Diskominfo provinsi dan ke-38 Diskominfo kabupaten/kota.")
    got = got.reindex(want.index)
    cocok = _banding_seri(got, want, desimal_min=2)
    if cocok.diterima:
        best = want.idxmax()
        return _benar(f"{cocok.catatan}Kantor paling responsif: {ref.loc[best, 'handle']}.")
    if cocok.kasar:
        return _salah(cocok.saran)
    if _banding_seri(got, 100 * want, desimal_min=0).mirip:
        return _salah("Nilai Anda dalam persen; tulis tingkat balas sebagai proporsi 0-1.")
    inverse = (ref["ditanya"] / ref["dijawab"].where(ref["dijawab"] > 0)).reindex(want.index)
    ok = inverse.notna() & np.isfinite(got)
    if ok.any() and _banding_seri(got[ok], inverse[ok], desimal_min=1).mirip:
        return _salah("Pembagiannya terbalik: tingkat balas = pertanyaan yang dijawab dibagi "
                      "semua pertanyaan, jadi selalu antara 0 dan 1.")
    semua_jenis = tuple(corpus.accounts["actor_type"].cat.categories)
    everyone = responsivitas_kantor(corpus, office_types=types,
                                    askers=semua_jenis)["tingkat_balas"]
    if _banding_seri(got, everyone.reindex(want.index), desimal_min=2).mirip:
        return _salah("Anda menghitung unggahan dari semua jenis akun. Yang diminta hanya "
                      "pertanyaan dari warga (actor_type == 'citizen').")
    n_wrong = int((~np.isclose(got.to_numpy(float), want.to_numpy(float))).sum())
    return _salah(f"Tingkat balas belum cocok untuk {n_wrong} kantor. Ingat: pertanyaan = "
                  "sebutan, balasan atau komentar warga kepada kantor; dijawab = kantor menulis "
                  "balasan atau komentar (kind 'reply' atau 'comment') yang parent_post_id-nya "
                  "unggahan itu.")


# ----------------------------------------------------------------------------------------
# Lab 3: kaskade dan sebaran antar wilayah


def rekonstruksi_induk(simpul, mengikuti) -> dict:
    """Parent of every adopting post of one cascade by the time-respecting follower rule.

    Parameters
    ----------
    simpul : pandas.DataFrame
        The posts of one cascade with columns ``post_id`` and ``author_id``, in time order,
        the root first.
    mengikuti : set of (follower_id, followee_id)
        Who follows whom.

    Returns
    -------
    dict
        ``post_id`` of each adopter (every row but the first) -> ``post_id`` of its parent.

    Notes
    -----
    The parent of an adopter is the **most recent** earlier post of the cascade whose author
    the adopter follows; the root when there is none (Goel et al. 2016).

    References
    ----------
    Goel, S., Anderson, A., Hofman, J. & Watts, D. J. (2016). The structural virality of
    online diffusion. *Management Science* 62(1), 180-196. doi:10.1287/mnsc.2015.2158

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"post_id": ["r", "p1", "p2"], "author_id": ["A", "B", "C"]})
    >>> rekonstruksi_induk(s, {("C", "B"), ("B", "A")})
    {'p1': 'r', 'p2': 'p1'}
    """
    return _parents(simpul, mengikuti, latest=True, flip=False)


def _parents(simpul, mengikuti, *, latest, flip):
    posts = list(simpul["post_id"])
    authors = list(simpul["author_id"])
    root = posts[0]
    out = {}
    for k in range(1, len(posts)):
        me = authors[k]
        candidates = [j for j in range(k)
                      if ((authors[j], me) if flip else (me, authors[j])) in mengikuti]
        if candidates:
            out[posts[k]] = posts[candidates[-1] if latest else candidates[0]]
        else:
            out[posts[k]] = root
    return out


def cek_induk(jawaban, simpul, mengikuti) -> Hasil:
    """Check the reconstructed parent of every adopting post of one cascade.

    Parameters
    ----------
    jawaban : dict or pandas.Series
        ``post_id`` of each adopter -> ``post_id`` of its parent.
    simpul, mengikuti
        As for :func:`rekonstruksi_induk`.

    Returns
    -------
    Hasil

    Notes
    -----
    Mistakes recognised: every adopter hung from the root (a star), the *earliest* instead of
    the most recent followed post, the follow direction reversed, the root given a parent,
    adopters missing.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"post_id": ["r", "p1", "p2"], "author_id": ["A", "B", "C"]})
    >>> _ = cek_induk({"p1": "r", "p2": "r"}, s, {("C", "B"), ("B", "A")})  # doctest: +ELLIPSIS
    ❌ Belum tepat. Semua unggahan Anda gantungkan ke akar ...
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_induk, jawaban, simpul, mengikuti)


def _cek_induk(jawaban, simpul, mengikuti):
    if isinstance(jawaban, pd.Series):
        jawaban = jawaban.to_dict()
    if not isinstance(jawaban, Mapping):
        return _salah(f"Jawaban harus berupa dict {{post_id: post_id induk}}, bukan "
                      f"{type(jawaban).__name__}.")
    got = {str(k): (None if _kosong(v) else str(v)) for k, v in jawaban.items()}
    want = rekonstruksi_induk(simpul, mengikuti)
    root = str(simpul["post_id"].iloc[0])
    if got == want:
        n_root = sum(v == root for v in want.values())
        return _benar(f"{len(want) - n_root} dari {len(want)} unggahan punya induk selain akar.")
    if root in got:
        return _salah("Akar tidak punya induk: jangan masukkan akar ke dalam jawaban.")
    missing = set(want) - set(got)
    if missing:
        return _salah(f"{len(missing)} unggahan belum punya induk; setiap unggahan selain akar "
                      "harus ada di jawaban.")
    if all(v == root for v in got.values()) and any(v != root for v in want.values()):
        return _salah("Semua unggahan Anda gantungkan ke akar (bentuk bintang). Periksa siapa "
                      "yang diikuti oleh penulis setiap unggahan.")
    if got == _parents(simpul, mengikuti, latest=False, flip=False):
        return _salah("Anda memilih unggahan *paling awal* dari akun yang diikuti; yang diminta "
                      "yang *paling akhir* sebelum unggahan itu (paparan terbaru).")
    if got in (_parents(simpul, mengikuti, latest=True, flip=True),
               _parents(simpul, mengikuti, latest=False, flip=True)):
        return _salah("Arah mengikuti terbalik: induk adalah unggahan dari akun yang *diikuti* "
                      "penulis (followee), bukan dari pengikutnya (follower).")
    n_wrong = sum(got.get(k) != v for k, v in want.items())
    return _salah(f"Induk belum tepat untuk {n_wrong} unggahan. Aturannya: unggahan paling "
                  "akhir sebelumnya yang penulisnya diikuti; jika tidak ada, akar.")


def cek_kedalaman(jawaban, pohon) -> Hasil:
    """Check the depth of a cascade tree (edges parent -> child, attribute ``root``).

    Notes
    -----
    Depth = the largest number of **edges** from the root to a node (Vosoughi et al. 2018).
    Mistakes recognised: nodes counted instead of edges (depth + 1), the number of nodes, the
    largest number of nodes at one depth (breadth).

    Examples
    --------
    >>> import networkx as nx
    >>> T = nx.DiGraph([("r", "a"), ("a", "b"), ("r", "c")])
    >>> _ = cek_kedalaman(2, T)
    ✅ Benar! Kedalaman 2: rantai repost terpanjang punya 2 langkah.
    >>> _ = cek_kedalaman(3, T)  # doctest: +ELLIPSIS
    ❌ Belum tepat. Anda menghitung simpul pada jalur terpanjang, ...
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_kedalaman, jawaban, pohon)


def _root(T):
    root = T.graph.get("root")
    if root is None:
        root = next(n for n, d in T.in_degree() if d == 0)
    return root


def _cek_kedalaman(jawaban, T):
    value, masalah = _angka(jawaban, "satu bilangan bulat")
    if masalah:
        return _salah(masalah)
    depth = nx.shortest_path_length(T, _root(T))
    want = max(depth.values())
    if _same(value, want):
        return _benar(f"Kedalaman {want}: rantai repost terpanjang punya {want} langkah.")
    if _same(value, want + 1):
        return _salah("Anda menghitung simpul pada jalur terpanjang, bukan sisinya (langkah): "
                      "akar sendiri berkedalaman 0.")
    if _same(value, T.number_of_nodes()):
        return _salah("Itu ukuran kaskade (banyaknya simpul), bukan kedalamannya.")
    breadth = max(pd.Series(depth).value_counts())
    if _same(value, breadth):
        return _salah("Itu lebar maksimum (simpul terbanyak pada satu tingkat), bukan "
                      "kedalaman.")
    return _salah(f"Nilai Anda {'terlalu besar' if value > want else 'terlalu kecil'}. "
                  "Kedalaman = jarak terjauh (dalam sisi) dari akar ke sebuah simpul.")


def cek_viralitas(jawaban, pohon) -> Hasil:
    """Check the structural virality of a cascade tree.

    Notes
    -----
    Reference: the mean shortest-path distance over all ordered pairs of distinct nodes of
    the undirected tree, :math:`\\nu = \\frac{1}{n(n-1)}\\sum_{i\\ne j} d_{ij}` (Goel et al.
    2016). Mistakes recognised: pairs of a node with itself included (divided by n²), the
    mean distance from the root only, the directed tree (most pairs unreachable).

    References
    ----------
    Goel, S., Anderson, A., Hofman, J. & Watts, D. J. (2016). The structural virality of
    online diffusion. *Management Science* 62(1), 180-196. doi:10.1287/mnsc.2015.2158

    Examples
    --------
    >>> import networkx as nx
    >>> star = nx.DiGraph([("r", "a"), ("r", "b"), ("r", "c")])  # 2 * 3 / 4
    >>> _ = cek_viralitas(1.5, star)
    ✅ Benar! Viralitas struktural 1.50 (bintang murni: mendekati 2).
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_viralitas, jawaban, pohon)


def _cek_viralitas(jawaban, T):
    value, masalah = _angka(jawaban, "satu angka")
    if masalah:
        return _salah(masalah)
    n = T.number_of_nodes()
    U = T.to_undirected()
    total = sum(sum(d.values()) for _, d in nx.all_pairs_shortest_path_length(U))
    want = total / (n * (n - 1))
    cocok = _banding(value, want)
    if cocok.diterima:
        return _benar(f"{cocok.catatan}Viralitas struktural {want:.2f} (bintang murni: "
                      "mendekati 2).")
    if cocok.kasar:
        return _salah(cocok.saran)
    if _banding(value, total / (n * n)).mirip:
        return _salah("Anda membagi dengan n², sehingga pasangan simpul dengan dirinya sendiri "
                      "(jarak 0) ikut dihitung. Bagi dengan n(n-1).")
    from_root = nx.shortest_path_length(T, _root(T))
    if _banding(value, sum(from_root.values()) / n).mirip or \
            _banding(value, sum(from_root.values()) / (n - 1)).mirip:
        return _salah("Itu rata-rata jarak dari akar saja. Viralitas struktural merata-ratakan "
                      "jarak antara *semua* pasangan simpul.")
    directed = sum(sum(d.values()) for _, d in nx.all_pairs_shortest_path_length(T))
    if _banding(value, directed / (n * (n - 1))).mirip:
        return _salah("Anda memakai pohon berarah, sehingga kebanyakan pasangan tidak "
                      "terhubung. Ubah dulu menjadi tidak berarah (to_undirected).")
    return _salah(f"Nilai Anda {'terlalu besar' if value > want else 'terlalu kecil'}. "
                  "Rata-ratakan jarak terpendek antara semua pasangan simpul yang berbeda.")


def cek_waktu_wilayah(jawaban, simpul) -> Hasil:
    """Check the time (hours) a cascade took to reach each kabupaten/kota.

    Parameters
    ----------
    jawaban : pandas.Series or dict
        Hours after the root, indexed by 4-digit region code.
    simpul : pandas.DataFrame
        The posts of the cascade: ``created_at`` and ``region_code``, the root first.

    Notes
    -----
    :math:`T_r = \\min\\{t_v : \\rho(v) = r\\} - t_{root}` in hours, over the 38
    kabupaten/kota (4-digit codes; province-wide ``"35"`` and unknown regions are left out).
    Mistakes recognised: the latest instead of the first post, minutes or seconds instead of
    hours, the root time not subtracted, "35" or unknown regions included.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"created_at": pd.to_datetime(["2024-10-01 00:00", "2024-10-01 02:00",
    ...                   "2024-10-01 05:00"], utc=True), "region_code": ["35", "3578", "3578"]})
    >>> _ = cek_waktu_wilayah({"3578": 2.0}, s)
    ✅ Benar! Kaskade mencapai 1 kabupaten/kota.
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_waktu_wilayah, jawaban, simpul)


def _hours_to_region(simpul, how="min", subtract=True, unit=3600.0, only_kabkota=True):
    t = simpul["created_at"]
    t0 = t.iloc[0]
    region = simpul["region_code"].astype(object)
    keep = region.notna()
    if only_kabkota:
        keep &= region.map(is_kabkota).astype(bool)
    frame = pd.DataFrame({"r": region[keep].astype(str), "t": t[keep]})
    first = frame.groupby("r")["t"].agg(how)
    base = t0 if subtract else pd.Timestamp("1970-01-01", tz="UTC")
    return (first - base).dt.total_seconds() / unit


def _cek_waktu_wilayah(jawaban, simpul):
    values = pd.Series(jawaban) if isinstance(jawaban, (pd.Series, Mapping)) else None
    if values is not None and len(values) and (
            pd.api.types.is_timedelta64_dtype(values)
            or all(isinstance(v, (pd.Timedelta, np.timedelta64)) for v in values)):
        return _salah("Nilai Anda masih berupa selisih waktu (Timedelta). Ubah ke jam, "
                      "misalnya dengan .dt.total_seconds() / 3600.")
    got = _as_series(jawaban)
    if got is None:
        return _salah("Jawaban harus berupa pandas Series (atau dict) dengan kode wilayah "
                      f"sebagai indeks, bukan {type(jawaban).__name__}.")
    got.index = got.index.astype(str)
    got = got.dropna()
    want = _hours_to_region(simpul)
    if set(got.index) == set(want.index):
        cocok = _banding_seri(got.reindex(want.index), want, rtol=1e-6, atol=1e-6,
                              desimal_min=2)
        if cocok.diterima:
            return _benar(f"{cocok.catatan}Kaskade mencapai {len(want)} kabupaten/kota.")
        if cocok.kasar:
            return _salah(cocok.saran)
    extra = set(got.index) - set(want.index)
    if extra:
        return _salah("Hanya 38 kabupaten/kota (kode 4 digit) yang dihitung; kode provinsi '35' "
                      "dan wilayah yang tidak diketahui tidak termasuk.")
    if set(got.index) != set(want.index):
        return _salah(f"{len(set(want.index) - set(got.index))} wilayah yang dicapai kaskade "
                      "belum ada di jawaban Anda.")
    got = got.reindex(want.index)
    if _banding_seri(got, _hours_to_region(simpul, how="max"), rtol=1e-6, atol=1e-6).mirip:
        return _salah("Anda memakai unggahan *terakhir* di setiap wilayah; yang diminta yang "
                      "*pertama* (kapan wilayah itu pertama kali dicapai).")
    for unit, nama in ((60.0, "menit"), (1.0, "detik"), (86400.0, "hari")):
        if _banding_seri(got, _hours_to_region(simpul, unit=unit), rtol=1e-6,
                         atol=1e-6).mirip:
            return _salah(f"Satuan Anda {nama}; yang diminta jam.")
    if _close(got, _hours_to_region(simpul, subtract=False), rtol=1e-9, atol=1e-3):
        return _salah("Waktu akar belum dikurangkan: hitung selisih waktu dari unggahan akar.")
    return _salah("Waktu belum cocok. Untuk setiap wilayah: waktu unggahan pertama di wilayah "
                  "itu dikurangi waktu akar, dalam jam.")


# ----------------------------------------------------------------------------------------
# Lab 4: simulasi difusi dan pemilihan influencer


def cek_ic_manual(jawaban, G, benih, koin, *, p="p") -> Hasil:
    """Check one run of the independent cascade done by hand with given random numbers.

    Parameters
    ----------
    jawaban : set or list
        The nodes active at the end of the run (seeds included).
    G : networkx.DiGraph
        Edges point where information flows, attribute ``p`` = activation probability.
    benih : iterable
        The seeds.
    koin : dict
        ``(u, v) -> number in [0, 1)``, the random number of each edge's one chance.

    Notes
    -----
    In the independent cascade each newly active u gets **one** chance to activate each
    inactive out-neighbour v; it succeeds when ``koin[(u, v)] < p_uv``. With the random
    numbers fixed, the active set is the set of nodes reachable from the seeds along
    successful edges (Kempe et al. 2003). Mistakes recognised: seeds left out, edges followed
    backwards, the random numbers ignored, the comparison reversed (``koin >= p``).

    References
    ----------
    Kempe, D., Kleinberg, J. & Tardos, É. (2003). Maximizing the spread of influence through
    a social network. *KDD '03*, 137-146. doi:10.1145/956750.956769

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_edge("a", "b", p=0.5); G.add_edge("b", "c", p=0.5)
    >>> _ = cek_ic_manual({"a", "b"}, G, ["a"], {("a", "b"): 0.2, ("b", "c"): 0.9})
    ✅ Benar! 2 simpul aktif di akhir percobaan ini.
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_ic_manual, jawaban, G, benih, koin, p)


def _reach(G, benih, live, reverse=False):
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((v, u) if reverse else (u, v) for u, v in live)
    out = set(benih)
    for s in benih:
        out |= nx.descendants(H, s)
    return out


def _cek_ic_manual(jawaban, G, benih, koin, p):
    if isinstance(jawaban, str) or not hasattr(jawaban, "__iter__"):
        return _salah("Jawaban harus berupa himpunan (set) atau daftar simpul yang aktif.")
    got = set(jawaban)
    benih = list(benih)
    live = [(u, v) for u, v, d in G.edges(data=True) if koin[(u, v)] < d[p]]
    want = _reach(G, benih, live)
    if got == want:
        return _benar(f"{len(want)} simpul aktif di akhir percobaan ini.")
    if got - set(G):
        return _salah("Ada simpul di jawaban Anda yang tidak ada di graf.")
    if got == want - set(benih):
        return _salah("Benih juga dihitung aktif: masukkan simpul benih ke jawaban.")
    if got == _reach(G, benih, live, reverse=True):
        return _salah("Anda mengikuti sisi ke arah terbalik; informasi mengalir searah panah.")
    if got == _reach(G, benih, list(G.edges())):
        return _salah("Anda mengaktifkan semua tetangga tanpa memakai angka acak. Sisi u -> v "
                      "berhasil hanya bila koin[(u, v)] < p.")
    dead = [(u, v) for u, v, d in G.edges(data=True) if koin[(u, v)] >= d[p]]
    if got == _reach(G, benih, dead):
        return _salah("Perbandingannya terbalik: sisi berhasil bila angka acak *lebih kecil* "
                      "dari p.")
    if got < want:
        return _salah("Ada simpul yang seharusnya aktif tetapi belum ada di jawaban Anda. "
                      "Simpul yang baru aktif juga mendapat satu kesempatan menyebarkan.")
    return _salah("Ada simpul di jawaban Anda yang seharusnya tidak aktif. Periksa angka acak "
                  "setiap sisi.")


def sebaran_tepat(G, benih, *, p="p") -> float:
    """Exact expected number of active nodes under the independent cascade (small graphs).

    Notes
    -----
    Sums, over all 2^m live-edge worlds of the m edges, the world's probability times the
    number of nodes reachable from the seeds (Kempe et al. 2003). Only for m <= 20.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_edge("a", "b", p=0.5); G.add_edge("b", "c", p=0.5)
    >>> sebaran_tepat(G, ["a"])  # 1 + 0.5 + 0.25
    1.75
    """
    edges = list(G.edges(data=True))
    if len(edges) > 20:
        raise ValueError("sebaran_tepat: at most 20 edges (2^m live-edge worlds)")
    probs = np.array([d[p] for _, _, d in edges], dtype=float)
    total = 0.0
    for mask in range(1 << len(edges)):
        on = np.array([(mask >> k) & 1 for k in range(len(edges))], dtype=bool)
        weight = float(np.prod(np.where(on, probs, 1 - probs)))
        if weight:
            live = [(u, v) for (u, v, _), o in zip(edges, on) if o]
            total += weight * len(_reach(G, benih, live))
    return total


def cek_monte_carlo(jawaban, G, benih, *, p="p", toleransi=0.1) -> Hasil:
    """Check a Monte-Carlo estimate of the expected spread on a small graph.

    Parameters
    ----------
    jawaban : float
        The student's mean number of active nodes over many runs (seeds included).
    G, benih, p
        As for :func:`sebaran_tepat`.
    toleransi : float
        Largest accepted distance to the exact value (0.1 suits about 2,000 runs or more).

    Notes
    -----
    Mistakes recognised: the seeds not counted (one less), a value outside what is possible,
    an estimate from too few runs (outside the tolerance).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph(); G.add_edge("a", "b", p=0.5); G.add_edge("b", "c", p=0.5)
    >>> _ = cek_monte_carlo(1.74, G, ["a"])
    ✅ Benar! Perkiraan Anda 1.740 dekat dengan nilai tepatnya 1.750 (selisih di bawah 0.1).
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_monte_carlo, jawaban, G, benih, p, toleransi)


def _cek_monte_carlo(jawaban, G, benih, p, toleransi):
    value, masalah = _angka(jawaban, "satu angka (rata-rata)")
    if masalah:
        return _salah(masalah)
    exact = sebaran_tepat(G, benih, p=p)
    k = len(set(benih))
    if abs(value - exact) < toleransi:
        return _benar(f"Perkiraan Anda {value:.3f} dekat dengan nilai tepatnya {exact:.3f} "
                      f"(selisih di bawah {toleransi:g}).")
    if value < k or value > G.number_of_nodes():
        if abs(value + k - exact) < toleransi:
            return _salah("Benih belum dihitung: sebaran = semua simpul aktif, termasuk benih.")
        return _salah(f"Nilai ini mustahil: sebaran selalu antara {k} (hanya benih) dan "
                      f"{G.number_of_nodes()} (semua simpul).")
    if abs(value + k - exact) < toleransi:
        return _salah("Benih belum dihitung: sebaran = semua simpul aktif, termasuk benih.")
    return _salah("Perkiraan Anda masih jauh dari nilai sebenarnya. Ulangi simulasi lebih "
                  "banyak kali (misalnya 5.000) dan rata-ratakan banyaknya simpul aktif.")


def cek_pilihan_mitra(jawaban, jangkauan, k) -> Hasil:
    """Check a choice of ``k`` partner accounts that together reach as many regions as possible.

    Parameters
    ----------
    jawaban : list
        The chosen accounts.
    jangkauan : dict
        Candidate account -> set of region codes it reaches.
    k : int
        How many partners to choose.

    Notes
    -----
    Right when the chosen accounts cover at least as many regions as the greedy choice
    (add, each time, the candidate that adds the most uncovered regions), which is within
    1 - 1/e of the best possible (Nemhauser et al. 1978; Kempe et al. 2003). Mistakes
    recognised: the k accounts that each reach the most regions (their reach overlaps), the
    wrong number of accounts, duplicates, accounts that are not candidates.

    Examples
    --------
    >>> j = {"a": {1, 2, 3}, "b": {1, 2}, "c": {4, 5}}
    >>> _ = cek_pilihan_mitra(["a", "c"], j, 2)
    ✅ Benar! Bersama-sama mereka menjangkau 5 wilayah.
    >>> _ = cek_pilihan_mitra(["a", "b"], j, 2)  # doctest: +ELLIPSIS
    ❌ Belum tepat. Anda memilih akun yang masing-masing menjangkau wilayah terbanyak, ...
    """
    if _kosong(jawaban):
        return _belum()
    return _aman(_cek_pilihan_mitra, jawaban, jangkauan, k)


def _greedy(jangkauan, k):
    chosen, covered = [], set()
    for _ in range(k):
        best = max(sorted(set(jangkauan) - set(chosen), key=str),
                   key=lambda c: len(set(jangkauan[c]) - covered), default=None)
        if best is None:
            break
        chosen.append(best)
        covered |= set(jangkauan[best])
    return chosen, covered


def _cek_pilihan_mitra(jawaban, jangkauan, k):
    if isinstance(jawaban, str) or not hasattr(jawaban, "__iter__"):
        return _salah("Jawaban harus berupa daftar (list) akun.")
    chosen = list(jawaban)
    if len(set(chosen)) != len(chosen):
        return _salah("Ada akun yang Anda pilih lebih dari sekali.")
    if len(chosen) != k:
        return _salah(f"Pilih tepat {k} akun (Anda memilih {len(chosen)}).")
    unknown = [c for c in chosen if c not in jangkauan]
    if unknown:
        return _salah(f"{len(unknown)} akun pilihan Anda bukan kandidat, misalnya "
                      f"{unknown[0]!r}.")
    covered = set().union(*(set(jangkauan[c]) for c in chosen))
    _, best = _greedy(jangkauan, k)
    if len(covered) >= len(best):
        return _benar(f"Bersama-sama mereka menjangkau {len(covered)} wilayah.")
    individual = sorted(jangkauan, key=lambda c: (-len(jangkauan[c]), str(c)))
    top = {len(jangkauan[c]) for c in chosen}
    if min(top) >= len(jangkauan[individual[k - 1]]):
        return _salah("Anda memilih akun yang masing-masing menjangkau wilayah terbanyak, "
                      "tetapi jangkauan mereka tumpang tindih. Pilih satu per satu akun yang "
                      "menambah wilayah *baru* paling banyak.")
    return _salah(f"Pilihan Anda menjangkau {len(covered)} wilayah; ada pilihan {k} akun yang "
                  "menjangkau lebih banyak. Pilih satu per satu akun yang menambah wilayah "
                  "baru paling banyak.")


def _node_values(jawaban, G):
    got = _as_series(jawaban)
    if got is None:
        return _salah("Jawaban harus berupa dict atau pandas Series (simpul -> nilai), bukan "
                      f"{type(jawaban).__name__}.")
    stray = set(got.index) - set(G.nodes())
    if stray:
        return _salah(f"Jawaban Anda memuat {len(stray)} kunci yang bukan simpul graf.")
    missing = set(G.nodes()) - set(got.index)
    if missing:
        return _salah(f"{len(missing)} simpul belum punya nilai; hitung untuk semua simpul.")
    return got.reindex(list(G.nodes()))


def _number(x):
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, numbers.Real):
        return float(x)
    return None


def _angka(jawaban, diminta):
    """``(value, None)`` for a number, or ``(None, message)`` saying what was typed instead."""
    value = _number(jawaban)
    if value is not None:
        if math.isnan(value):
            return None, f"Jawaban Anda NaN (bukan angka). Jawaban harus {diminta}."
        return value, None
    if isinstance(jawaban, tuple) and len(jawaban) == 2 \
            and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                    for v in jawaban):
        a, b = jawaban
        return None, (f"Python memakai titik sebagai tanda desimal: tulis {a}.{b}, bukan "
                      f"{a},{b} (dengan koma Python membuat pasangan dua bilangan).")
    if isinstance(jawaban, str):
        try:
            float(jawaban.strip().replace(",", "."))
        except ValueError:
            pass
        else:
            return None, (f"Jawaban Anda teks ({jawaban!r}). Tulis angkanya tanpa tanda kutip, "
                          "dengan titik sebagai tanda desimal.")
    return None, f"Jawaban harus {diminta}, bukan {type(jawaban).__name__}."


def _same_float(x, y) -> bool:
    return math.isclose(float(x), float(y), rel_tol=1e-6, abs_tol=1e-9)


@dataclass(frozen=True)
class _Cocok:
    """How an answer compares with the reference: exactly, rounded (accepted), too coarsely
    rounded (a hint), or not at all."""

    hasil: str  # "tepat", "bulat", "kasar" or "beda"
    desimal: int | None = None
    desimal_min: int = 2

    @property
    def diterima(self) -> bool:
        return self.hasil in ("tepat", "bulat")

    @property
    def kasar(self) -> bool:
        return self.hasil == "kasar"

    @property
    def mirip(self) -> bool:
        """Equal, or equal up to an accepted rounding (to recognise a kind of mistake)."""
        return self.hasil in ("tepat", "bulat")

    @property
    def catatan(self) -> str:
        if self.hasil != "bulat":
            return ""
        return f"(Dibulatkan ke {self.desimal} desimal: diterima.) "

    @property
    def saran(self) -> str:
        kata = "tanpa desimal" if self.desimal == 0 else f"dengan {self.desimal} desimal"
        return (f"Nilai Anda hanya berbeda karena pembulatan: Anda menulisnya {kata}. Tulis "
                f"paling sedikit {self.desimal_min} angka desimal (misalnya round(x, "
                f"{max(self.desimal_min, 2)})), atau pakai nilai hasil hitungan tanpa "
                "dibulatkan.")


def _desimal(x: float, maks: int = 8):
    """How many decimals a typed number shows (8.76 -> 2, 14.0 -> 0); None beyond ``maks``."""
    if not math.isfinite(x):
        return None
    for d in range(maks + 1):
        if abs(x - round(x, d)) <= 1e-12 * max(1.0, abs(x)):
            return d
    return None


def _bulat_dari(got, want, d, desimal_min, skala) -> tuple:
    """``got`` (showing ``d`` decimals) against ``want``: does it differ only by rounding?

    Each value may be ``want`` rounded to ``d`` decimals (half to even as Python's
    ``round``, or half up as by hand) or cut off after ``d`` decimals. Returns the verdict
    (``"bulat"``, ``"kasar"`` or ``"beda"``) and the decimals the rounding kept.
    """
    if d is None:
        return "beda", d
    g = np.atleast_1d(np.asarray(got, float))
    w = np.atleast_1d(np.asarray(want, float))
    # 3.5 may be 3.5047 rounded to 2 decimals (3.50): try the finest rounding first
    for dd in range(max(d, 8), d - 1, -1):
        f = 10.0 ** dd
        tol = 1e-9 / f
        ok = np.zeros(len(g), dtype=bool)
        for cand in (np.round(w, dd), np.floor(w * f + 0.5) / f, np.trunc(w * f) / f):
            ok |= np.abs(g - cand) <= tol
        if ok.all():
            d = dd
            break
    else:
        return "beda", d
    step = 10.0 ** -d
    if step >= skala:          # the rounding wiped out the value: not "only rounding"
        return "beda", d
    if d >= desimal_min and step <= skala / 10 * (1 + 1e-9):  # >= 2 significant digits
        return "bulat", d
    return "kasar", d


def _banding(value: float, want: float, *, rtol=1e-6, atol=1e-9, desimal_min=2) -> _Cocok:
    """Compare one number with the reference, allowing the rounding a student uses."""
    if math.isclose(value, want, rel_tol=rtol, abs_tol=atol):
        return _Cocok("tepat")
    return _Cocok(*_bulat_dari(value, want, _desimal(value), desimal_min, abs(want)),
                  desimal_min)


def _banding_seri(got: pd.Series, want: pd.Series, *, rtol=1e-6, atol=1e-9,
                  desimal_min=2) -> _Cocok:
    """Compare values per key with the reference, allowing one rounding of all of them."""
    want = want.reindex(got.index)
    if want.isna().any() or got.isna().any():
        return _Cocok("beda")
    if _close(got, want, rtol=rtol, atol=atol):
        return _Cocok("tepat")
    ds = [_desimal(float(v)) for v in got.to_numpy(float)]
    d = None if any(x is None for x in ds) else max(ds, default=0)
    skala = float(np.max(np.abs(want.to_numpy(float)), initial=0.0))
    return _Cocok(*_bulat_dari(got.to_numpy(float), want.to_numpy(float), d, desimal_min,
                               skala), desimal_min)


def jawaban_benar(cek, *args, **kwargs) -> bool:
    """Run a check without printing its message; ``True`` when the answer is right.

    The cells that follow an exercise in the labs use the student's answer only when this
    is true, so they never show the answer to a student who has not found it yet.

    Parameters
    ----------
    cek : callable
        One of the ``cek_*`` functions.
    *args, **kwargs
        Its arguments, as in the exercise cell.

    Returns
    -------
    bool

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    >>> jawaban_benar(cek_resiprositas, 2 / 3, G), jawaban_benar(cek_resiprositas, ..., G)
    (True, False)
    """
    with contextlib.redirect_stdout(io.StringIO()):
        return bool(cek(*args, **kwargs))


# ----------------------------------------------------------------------------------------
# helpers


@functools.cache
def _bundled():
    from .synth import load_bundled

    return load_bundled()


def _kosong(x) -> bool:
    return x is None or x is Ellipsis


def _lapor(status, pesan):
    print(pesan)
    return Hasil(status, pesan)


def _benar(pesan=""):
    return _lapor("benar", f"{PESAN_BENAR} {pesan}".rstrip())


def _salah(pesan):
    return _lapor("salah", f"{PESAN_SALAH} {pesan}")


def _belum():
    return _lapor("belum", f"{PESAN_BELUM} Ganti `...` dengan jawaban Anda, lalu jalankan "
                           "sel ini lagi.")


def _aman(fungsi, *args):
    """Run a check; an answer that makes the comparison itself fail is a wrong answer."""
    try:
        return fungsi(*args)
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, ZeroDivisionError,
            nx.NetworkXError) as exc:
        return _salah(f"Jawaban Anda tidak dapat diperiksa ({type(exc).__name__}). Periksa "
                      "jenis dan bentuk jawaban yang diminta.")


def _edge_counts(rows) -> dict:
    if len(rows) == 0:
        return {}
    counts = rows.groupby([rows["source_id"].astype(object), rows["target_id"].astype(object)],
                          sort=False).size()
    return {k: int(v) for k, v in counts.items()}


def _as_series(x):
    if isinstance(x, pd.DataFrame) and x.shape[1] == 1:  # a one-column table: its column
        x = x.iloc[:, 0]
    if isinstance(x, pd.Series):
        s = x
    elif isinstance(x, Mapping):
        s = pd.Series(dict(x), dtype=object)
    elif isinstance(x, (nx.classes.reportviews.DiDegreeView, nx.classes.reportviews.DegreeView)
                    ) or isinstance(x, (list, tuple)):
        try:
            s = pd.Series(dict(x), dtype=object)
        except (TypeError, ValueError):
            return None
    else:
        return None
    try:
        return s.astype(float)
    except (TypeError, ValueError):
        return None


def _close(a: pd.Series, b: pd.Series, rtol=1e-6, atol=1e-9) -> bool:
    b = b.reindex(a.index)
    if b.isna().any():
        return False
    return bool(np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=rtol, atol=atol))


def _same(x, y) -> bool:
    try:
        return math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-12)
    except (TypeError, ValueError):
        return False


def _label(G, node) -> str:
    handle = G.nodes[node].get("handle") if node in G else None
    return f"@{handle}" if handle else str(node)


def _arah_kalimat(arah) -> str:
    return ("menjumlahkan sisi yang menunjuk KE akun itu" if arah == "masuk"
            else "menjumlahkan sisi yang keluar DARI akun itu")
