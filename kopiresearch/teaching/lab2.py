"""Checks of Lab 2, sentralitas dan komunikasi dua arah: PageRank, betweenness,
reciprocity, responsiveness."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd

from .._docs import fill_doc
from ..corpus import Corpus
from ._feedback import (
    Hasil,
    Syarat,
    angka,
    atau_none,
    banding,
    banding_seri,
    benar,
    bundled_corpus,
    graf_berarah,
    nilai_simpul,
    node_label,
    pemeriksa,
    salah,
    seri_jawaban,
)

__all__ = [
    "cek_pagerank",
    "cek_betweenness",
    "cek_resiprositas",
    "responsivitas_kantor",
    "cek_responsivitas",
]


@pemeriksa(G=graf_berarah())
@fill_doc
def cek_pagerank(jawaban, G) -> Hasil:
    """Check a weighted PageRank of every node of a directed interaction graph.

    Parameters
    ----------
    jawaban : dict or pandas.Series
        The student's PageRank per node.
    {{G_interactions}}

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
    tol = {"rtol": 1e-3, "atol": 1e-7, "desimal_min": 4}
    return _nilai_per_akun(
        jawaban, G, lambda: nx.pagerank(G, weight="weight"), tol, [
            (lambda want: 100 * want, {"rtol": 1e-3, "atol": 1e-5, "desimal_min": 2},
             "Nilai Anda dalam persen; tulis PageRank sebagai proporsi (jumlahnya 1)."),
            (lambda _: nx.pagerank(G, weight=None), tol, "PageRank Anda belum memakai bobot: "
             "tambahkan weight='weight' agar interaksi yang berulang dihitung berulang."),
            (lambda _: nx.pagerank(G.reverse(copy=True), weight="weight"), tol, "Arah "
             "terbalik: PageRank mengalir mengikuti arah sisi, dari akun yang bertindak ke akun "
             "yang ditanggapi. Jangan membalik graf."),
            (lambda _: nx.pagerank(G.to_undirected(), weight="weight"), tol, "Anda menghitung "
             "PageRank pada graf tidak berarah; arah sisi penting di sini."),
        ], "Nilai PageRank belum cocok. Gunakan nx.pagerank pada graf berarah G dengan bobot "
           "'weight' dan alpha bawaan 0.85.")


def _nilai_per_akun(jawaban, G, acuan, tol, keliru, gagal):
    """The check of a value per account shared by PageRank and betweenness: the reference
    ``acuan()`` within ``tol``; else the first of the recognised mistakes ``keliru`` (each
    ``(values(want), tolerance, message)``, tried in order) that the answer resembles; else
    ``gagal``."""
    got = nilai_simpul(jawaban, G)
    if isinstance(got, Hasil):
        return got
    missing = set(G.nodes()) - set(got.index)
    if missing:
        return salah(f"{len(missing)} simpul belum punya nilai; hitung untuk semua simpul.")
    got = got.reindex(list(G.nodes()))
    want = pd.Series(acuan())
    cocok = banding_seri(got, want, **tol)
    if cocok.diterima:
        return benar(f"{cocok.catatan}Akun dengan nilai tertinggi: "
                     f"{node_label(G, want.idxmax())}.")
    if cocok.kasar:
        return salah(cocok.saran)
    for values, toleransi, pesan in keliru:
        if banding_seri(got, pd.Series(values(want)), **toleransi).mirip:
            return salah(pesan)
    return salah(gagal)


@pemeriksa(G=graf_berarah())
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
    tol = {"desimal_min": 4}
    return _nilai_per_akun(
        jawaban, G, lambda: nx.betweenness_centrality(G), tol, [
            (lambda _: nx.betweenness_centrality(G, weight="weight"), tol, "Anda memakai "
             "weight='weight'. Pada betweenness, bobot dibaca sebagai *jarak*: interaksi yang "
             "sering akan dianggap jalan yang panjang. Hitung tanpa bobot."),
            (lambda _: nx.betweenness_centrality(G, normalized=False), tol, "Nilai Anda belum "
             "dinormalisasi; gunakan normalized=True (bawaan) agar bisa dibandingkan "
             "antar-graf."),
            (lambda _: nx.betweenness_centrality(G.to_undirected()), tol, "Anda menghitung "
             "pada graf tidak berarah; jalur harus mengikuti arah sisi."),
        ], "Nilai betweenness belum cocok. Gunakan nx.betweenness_centrality pada graf "
           "berarah yang diminta.")


@pemeriksa(G=graf_berarah())
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
    value, masalah = angka(jawaban, "satu angka (proporsi antara 0 dan 1)")
    if masalah:
        return salah(masalah)
    m = G.number_of_edges()
    mutual_edges = sum(1 for u, v in G.edges() if u != v and G.has_edge(v, u))
    want = mutual_edges / m if m else 0.0
    cocok = banding(value, want)
    if cocok.diterima:
        return benar(f"{cocok.catatan}{mutual_edges} dari {m} sisi berbalas.")
    if cocok.kasar:
        return salah(cocok.saran)
    pairs = {frozenset((u, v)) for u, v in G.edges() if u != v}
    mutual_pairs = mutual_edges / 2
    if banding(value, 100 * want, desimal_min=0).mirip:
        return salah("Nilai Anda dalam persen; tulis sebagai proporsi antara 0 dan 1.")
    if _same_float(value, 1.0) and want < 1:
        return salah("Nilai 1 adalah ciri graf tidak berarah: di sana setiap sisi otomatis "
                     "'berbalas'. Hitung pada graf berarah: sisi u -> v berbalas bila v -> u "
                     "juga ada.")
    if pairs and banding(value, mutual_pairs / len(pairs)).mirip:
        return salah("Anda menghitung bagian *pasangan akun* yang saling menanggapi. Yang "
                     "diminta bagian *sisi* yang berbalas: pasangan yang saling menanggapi "
                     "punya dua sisi berbalas.")
    if m and banding(value, mutual_pairs / m).mirip:
        return salah("Setiap pasangan yang saling menanggapi Anda hitung sekali; padahal "
                     "pasangan itu punya dua sisi yang sama-sama berbalas.")
    arah = "terlalu besar" if value > want else "terlalu kecil"
    return salah(f"Nilai Anda {arah}. Resiprositas = banyaknya sisi u -> v yang juga punya "
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
    from ..metrics import responsiveness

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


@pemeriksa(corpus=atau_none(Syarat(lambda c, _: isinstance(c, Corpus),
                                    "a kopiresearch.Corpus")))
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
    corpus = bundled_corpus() if corpus is None else corpus
    types = ("government_province", "government_regency")
    ref = responsivitas_kantor(corpus, office_types=types)
    want = ref["tingkat_balas"].dropna()
    got = seri_jawaban(jawaban, "pandas Series (atau dict) dengan account_id kantor sebagai "
                                "indeks")
    if isinstance(got, Hasil):
        return got
    got = got.dropna()
    missing = set(want.index) - set(got.index)
    if missing and set(got.index) & set(ref["handle"]):
        return salah("Gunakan account_id sebagai indeks, bukan handle.")
    if missing:
        return salah(f"{len(missing)} kantor pemerintah belum ada di jawaban Anda; hitung untuk "
                     "Diskominfo provinsi dan ke-38 Diskominfo kabupaten/kota.")
    got = got.reindex(want.index)
    cocok = banding_seri(got, want, desimal_min=2)
    if cocok.diterima:
        best = want.idxmax()
        return benar(f"{cocok.catatan}Kantor paling responsif: {ref.loc[best, 'handle']}.")
    if cocok.kasar:
        return salah(cocok.saran)
    if banding_seri(got, 100 * want, desimal_min=0).mirip:
        return salah("Nilai Anda dalam persen; tulis tingkat balas sebagai proporsi 0-1.")
    inverse = (ref["ditanya"] / ref["dijawab"].where(ref["dijawab"] > 0)).reindex(want.index)
    ok = inverse.notna() & np.isfinite(got)
    if ok.any() and banding_seri(got[ok], inverse[ok], desimal_min=1).mirip:
        return salah("Pembagiannya terbalik: tingkat balas = pertanyaan yang dijawab dibagi "
                     "semua pertanyaan, jadi selalu antara 0 dan 1.")
    semua_jenis = tuple(corpus.accounts["actor_type"].cat.categories)
    everyone = responsivitas_kantor(corpus, office_types=types,
                                    askers=semua_jenis)["tingkat_balas"]
    if banding_seri(got, everyone.reindex(want.index), desimal_min=2).mirip:
        return salah("Anda menghitung unggahan dari semua jenis akun. Yang diminta hanya "
                     "pertanyaan dari warga (actor_type == 'citizen').")
    n_wrong = int((~np.isclose(got.to_numpy(float), want.to_numpy(float))).sum())
    return salah(f"Tingkat balas belum cocok untuk {n_wrong} kantor. Ingat: pertanyaan = "
                 "sebutan, balasan atau komentar warga kepada kantor; dijawab = kantor menulis "
                 "balasan atau komentar (kind 'reply' atau 'comment') yang parent_post_id-nya "
                 "unggahan itu.")


def _same_float(x, y) -> bool:
    return math.isclose(float(x), float(y), rel_tol=1e-6, abs_tol=1e-9)
