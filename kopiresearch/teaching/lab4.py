"""Checks of Lab 4, simulasi difusi dan pemilihan influencer: IC by hand, Monte Carlo,
partner choice."""

from __future__ import annotations

import numbers
from collections.abc import Collection, Mapping

import networkx as nx
import numpy as np

from ._feedback import (
    Hasil,
    Syarat,
    angka,
    benar,
    graf_berarah,
    pemeriksa,
    positif,
    salah,
)

__all__ = [
    "cek_ic_manual",
    "sebaran_tepat",
    "cek_monte_carlo",
    "cek_pilihan_mitra",
]


def _peluang(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, (bool, np.bool_)) and 0 <= x <= 1


def _graf_ic(maks_sisi=None) -> Syarat:
    batas = f" and at most {maks_sisi} edges" if maks_sisi else ""
    return Syarat(lambda G, a: graf_berarah().uji(G, a)
                  and (maks_sisi is None or G.number_of_edges() <= maks_sisi),
                  f"a directed graph (nx.DiGraph) with at least one edge{batas}")


#: The settings of the independent-cascade checks: the graph, the name of its probability
#: attribute, the seeds (nodes of the graph).
_IC = {
    "p": Syarat(lambda p, a: isinstance(p, str) and all(
        _peluang(d.get(p)) for _, _, d in a["G"].edges(data=True)),
        "the name of an edge attribute of G holding a probability in [0, 1] on every edge"),
    "benih": Syarat(lambda b, a: isinstance(b, Collection) and not isinstance(b, (str, Mapping))
                    and len(b) > 0 and all(x in a["G"] for x in b),
                    "a non-empty list or set of nodes of G"),
}


@pemeriksa(G=_graf_ic(), **_IC,
           koin=Syarat(lambda k, a: isinstance(k, Mapping) and all(
               _peluang(k.get((u, v))) for u, v in a["G"].edges()),
               "a dict (u, v) -> random number in [0, 1] for every edge of G"))
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
    if isinstance(jawaban, str) or not hasattr(jawaban, "__iter__"):
        return salah("Jawaban harus berupa himpunan (set) atau daftar simpul yang aktif.")
    got = set(jawaban)
    benih = list(benih)
    live = [(u, v) for u, v, d in G.edges(data=True) if koin[(u, v)] < d[p]]
    want = _reach(G, benih, live)
    if got == want:
        return benar(f"{len(want)} simpul aktif di akhir percobaan ini.")
    if got - set(G):
        return salah("Ada simpul di jawaban Anda yang tidak ada di graf.")
    if got == want - set(benih):
        return salah("Benih juga dihitung aktif: masukkan simpul benih ke jawaban.")
    if got == _reach(G, benih, live, reverse=True):
        return salah("Anda mengikuti sisi ke arah terbalik; informasi mengalir searah panah.")
    if got == _reach(G, benih, list(G.edges())):
        return salah("Anda mengaktifkan semua tetangga tanpa memakai angka acak. Sisi u -> v "
                     "berhasil hanya bila koin[(u, v)] < p.")
    dead = [(u, v) for u, v, d in G.edges(data=True) if koin[(u, v)] >= d[p]]
    if got == _reach(G, benih, dead):
        return salah("Perbandingannya terbalik: sisi berhasil bila angka acak *lebih kecil* "
                     "dari p.")
    if got < want:
        return salah("Ada simpul yang seharusnya aktif tetapi belum ada di jawaban Anda. "
                     "Simpul yang baru aktif juga mendapat satu kesempatan menyebarkan.")
    return salah("Ada simpul di jawaban Anda yang seharusnya tidak aktif. Periksa angka acak "
                 "setiap sisi.")


def _reach(G, benih, live, reverse=False):
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((v, u) if reverse else (u, v) for u, v in live)
    out = set(benih)
    for s in benih:
        out |= nx.descendants(H, s)
    return out


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


@pemeriksa(G=_graf_ic(maks_sisi=20), **_IC, toleransi=positif())
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
    value, masalah = angka(jawaban, "satu angka (rata-rata)")
    if masalah:
        return salah(masalah)
    exact = sebaran_tepat(G, benih, p=p)
    k = len(set(benih))
    if abs(value - exact) < toleransi:
        return benar(f"Perkiraan Anda {value:.3f} dekat dengan nilai tepatnya {exact:.3f} "
                     f"(selisih di bawah {toleransi:g}).")
    if value < k or value > G.number_of_nodes():
        if abs(value + k - exact) < toleransi:
            return salah("Benih belum dihitung: sebaran = semua simpul aktif, termasuk benih.")
        return salah(f"Nilai ini mustahil: sebaran selalu antara {k} (hanya benih) dan "
                     f"{G.number_of_nodes()} (semua simpul).")
    if abs(value + k - exact) < toleransi:
        return salah("Benih belum dihitung: sebaran = semua simpul aktif, termasuk benih.")
    return salah("Perkiraan Anda masih jauh dari nilai sebenarnya. Ulangi simulasi lebih "
                 "banyak kali (misalnya 5.000) dan rata-ratakan banyaknya simpul aktif.")


@pemeriksa(
    jangkauan=Syarat(lambda j, _: isinstance(j, Mapping) and len(j) > 0 and all(
        isinstance(r, Collection) and not isinstance(r, str) for r in j.values()),
        "a non-empty dict candidate account -> set of region codes"),
    k=Syarat(lambda k, a: isinstance(k, numbers.Integral) and not isinstance(k, (bool, np.bool_))
             and 1 <= k <= len(a.get("jangkauan", [k])),
             lambda a: "the number of partners to choose, an integer from 1 to the number of "
                       f"candidates in jangkauan ({len(a['jangkauan'])})" if "jangkauan" in a
             else "the number of partners to choose, an integer >= 1"),
)
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
    if isinstance(jawaban, str) or not hasattr(jawaban, "__iter__"):
        return salah("Jawaban harus berupa daftar (list) akun.")
    chosen = list(jawaban)
    if len(set(chosen)) != len(chosen):
        return salah("Ada akun yang Anda pilih lebih dari sekali.")
    if len(chosen) != k:
        return salah(f"Pilih tepat {k} akun (Anda memilih {len(chosen)}).")
    unknown = [c for c in chosen if c not in jangkauan]
    if unknown:
        return salah(f"{len(unknown)} akun pilihan Anda bukan kandidat, misalnya "
                     f"{unknown[0]!r}.")
    covered = set().union(*(set(jangkauan[c]) for c in chosen))
    _, best = _greedy(jangkauan, k)
    if len(covered) >= len(best):
        return benar(f"Bersama-sama mereka menjangkau {len(covered)} wilayah.")
    individual = sorted(jangkauan, key=lambda c: (-len(jangkauan[c]), str(c)))
    top = {len(jangkauan[c]) for c in chosen}
    if min(top) >= len(jangkauan[individual[k - 1]]):
        return salah("Anda memilih akun yang masing-masing menjangkau wilayah terbanyak, "
                     "tetapi jangkauan mereka tumpang tindih. Pilih satu per satu akun yang "
                     "menambah wilayah *baru* paling banyak.")
    return salah(f"Pilihan Anda menjangkau {len(covered)} wilayah; ada pilihan {k} akun yang "
                 "menjangkau lebih banyak. Pilih satu per satu akun yang menambah wilayah "
                 "baru paling banyak.")


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
