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
where a graph was expected, a string where a number was expected) gets a "salah" message that
says what type was expected.

The reference answers are computed inside the checks from the same data the student has (the
bundled corpus by default, or the graph/table passed in), so they follow the data if it is
regenerated.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

__all__ = [
    "Hasil",
    "cek_graf",
    "cek_derajat",
    "cek_baca_gambar",
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
