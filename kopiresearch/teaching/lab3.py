"""Checks of Lab 3, kaskade dan sebaran antar wilayah: parents, depth, structural
virality, time to region."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from .._docs import fill_doc
from ..regions import is_kabkota
from ._feedback import (
    Hasil,
    Syarat,
    angka,
    banding,
    banding_seri,
    benar,
    close_series,
    graf_pohon,
    kosong,
    pemeriksa,
    salah,
    same_number,
    seri_jawaban,
    tabel,
)

__all__ = [
    "rekonstruksi_induk",
    "cek_induk",
    "cek_kedalaman",
    "cek_viralitas",
    "cek_waktu_wilayah",
]


@fill_doc
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
    {{goel2016}}

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


def _pasangan(mengikuti, _):
    return (isinstance(mengikuti, Collection) and not isinstance(mengikuti, (str, Mapping))
            and all(isinstance(x, tuple) and len(x) == 2 for x in mengikuti))


@pemeriksa(simpul=tabel("post_id", "author_id"),
           mengikuti=Syarat(_pasangan, "a set of (follower_id, followee_id) pairs"))
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
    if isinstance(jawaban, pd.Series):
        jawaban = jawaban.to_dict()
    if not isinstance(jawaban, Mapping):
        return salah(f"Jawaban harus berupa dict {{post_id: post_id induk}}, bukan "
                     f"{type(jawaban).__name__}.")
    got = {str(k): (None if kosong(v) else str(v)) for k, v in jawaban.items()}
    want = rekonstruksi_induk(simpul, mengikuti)
    root = str(simpul["post_id"].iloc[0])
    if got == want:
        n_root = sum(v == root for v in want.values())
        return benar(f"{len(want) - n_root} dari {len(want)} unggahan punya induk selain akar.")
    if root in got:
        return salah("Akar tidak punya induk: jangan masukkan akar ke dalam jawaban.")
    missing = set(want) - set(got)
    if missing:
        return salah(f"{len(missing)} unggahan belum punya induk; setiap unggahan selain akar "
                     "harus ada di jawaban.")
    if all(v == root for v in got.values()) and any(v != root for v in want.values()):
        return salah("Semua unggahan Anda gantungkan ke akar (bentuk bintang). Periksa siapa "
                     "yang diikuti oleh penulis setiap unggahan.")
    if got == _parents(simpul, mengikuti, latest=False, flip=False):
        return salah("Anda memilih unggahan *paling awal* dari akun yang diikuti; yang diminta "
                     "yang *paling akhir* sebelum unggahan itu (paparan terbaru).")
    if got in (_parents(simpul, mengikuti, latest=True, flip=True),
               _parents(simpul, mengikuti, latest=False, flip=True)):
        return salah("Arah mengikuti terbalik: induk adalah unggahan dari akun yang *diikuti* "
                     "penulis (followee), bukan dari pengikutnya (follower).")
    n_wrong = sum(got.get(k) != v for k, v in want.items())
    return salah(f"Induk belum tepat untuk {n_wrong} unggahan. Aturannya: unggahan paling "
                 "akhir sebelumnya yang penulisnya diikuti; jika tidak ada, akar.")


@pemeriksa(pohon=graf_pohon())
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
    T = pohon
    value, masalah = angka(jawaban, "satu bilangan bulat")
    if masalah:
        return salah(masalah)
    depth = nx.shortest_path_length(T, _root(T))
    want = max(depth.values())
    if same_number(value, want):
        return benar(f"Kedalaman {want}: rantai repost terpanjang punya {want} langkah.")
    if same_number(value, want + 1):
        return salah("Anda menghitung simpul pada jalur terpanjang, bukan sisinya (langkah): "
                     "akar sendiri berkedalaman 0.")
    if same_number(value, T.number_of_nodes()):
        return salah("Itu ukuran kaskade (banyaknya simpul), bukan kedalamannya.")
    breadth = max(pd.Series(depth).value_counts())
    if same_number(value, breadth):
        return salah("Itu lebar maksimum (simpul terbanyak pada satu tingkat), bukan "
                     "kedalaman.")
    return salah(f"Nilai Anda {'terlalu besar' if value > want else 'terlalu kecil'}. "
                 "Kedalaman = jarak terjauh (dalam sisi) dari akar ke sebuah simpul.")


def _root(T):
    root = T.graph.get("root")
    if root is None:
        root = next(n for n, d in T.in_degree() if d == 0)
    return root


@pemeriksa(pohon=graf_pohon(min_simpul=2))
@fill_doc
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
    {{goel2016}}

    Examples
    --------
    >>> import networkx as nx
    >>> star = nx.DiGraph([("r", "a"), ("r", "b"), ("r", "c")])  # 2 * 3 / 4
    >>> _ = cek_viralitas(1.5, star)
    ✅ Benar! Viralitas struktural 1.50 (bintang murni: mendekati 2).
    """
    T = pohon
    value, masalah = angka(jawaban, "satu angka")
    if masalah:
        return salah(masalah)
    n = T.number_of_nodes()
    U = T.to_undirected()
    total = sum(sum(d.values()) for _, d in nx.all_pairs_shortest_path_length(U))
    want = total / (n * (n - 1))
    cocok = banding(value, want)
    if cocok.diterima:
        return benar(f"{cocok.catatan}Viralitas struktural {want:.2f} (bintang murni: "
                     "mendekati 2).")
    if cocok.kasar:
        return salah(cocok.saran)
    if banding(value, total / (n * n)).mirip:
        return salah("Anda membagi dengan n², sehingga pasangan simpul dengan dirinya sendiri "
                     "(jarak 0) ikut dihitung. Bagi dengan n(n-1).")
    from_root = nx.shortest_path_length(T, _root(T))
    if banding(value, sum(from_root.values()) / n).mirip or \
            banding(value, sum(from_root.values()) / (n - 1)).mirip:
        return salah("Itu rata-rata jarak dari akar saja. Viralitas struktural merata-ratakan "
                     "jarak antara *semua* pasangan simpul.")
    directed = sum(sum(d.values()) for _, d in nx.all_pairs_shortest_path_length(T))
    if banding(value, directed / (n * (n - 1))).mirip:
        return salah("Anda memakai pohon berarah, sehingga kebanyakan pasangan tidak "
                     "terhubung. Ubah dulu menjadi tidak berarah (to_undirected).")
    return salah(f"Nilai Anda {'terlalu besar' if value > want else 'terlalu kecil'}. "
                 "Rata-ratakan jarak terpendek antara semua pasangan simpul yang berbeda.")


@pemeriksa(simpul=tabel("region_code", waktu=("created_at",)))
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
    values = pd.Series(jawaban) if isinstance(jawaban, (pd.Series, Mapping)) else None
    if values is not None and len(values) and (
            pd.api.types.is_timedelta64_dtype(values)
            or all(isinstance(v, (pd.Timedelta, np.timedelta64)) for v in values)):
        return salah("Nilai Anda masih berupa selisih waktu (Timedelta). Ubah ke jam, "
                     "misalnya dengan .dt.total_seconds() / 3600.")
    got = seri_jawaban(jawaban, "pandas Series (atau dict) dengan kode wilayah sebagai indeks")
    if isinstance(got, Hasil):
        return got
    got.index = got.index.astype(str)
    got = got.dropna()
    want = _hours_to_region(simpul)
    if set(got.index) == set(want.index):
        cocok = banding_seri(got.reindex(want.index), want, rtol=1e-6, atol=1e-6,
                             desimal_min=2)
        if cocok.diterima:
            return benar(f"{cocok.catatan}Kaskade mencapai {len(want)} kabupaten/kota.")
        if cocok.kasar:
            return salah(cocok.saran)
    extra = set(got.index) - set(want.index)
    if extra:
        return salah("Hanya 38 kabupaten/kota (kode 4 digit) yang dihitung; kode provinsi '35' "
                     "dan wilayah yang tidak diketahui tidak termasuk.")
    if set(got.index) != set(want.index):
        return salah(f"{len(set(want.index) - set(got.index))} wilayah yang dicapai kaskade "
                     "belum ada di jawaban Anda.")
    got = got.reindex(want.index)
    if banding_seri(got, _hours_to_region(simpul, how="max"), rtol=1e-6, atol=1e-6).mirip:
        return salah("Anda memakai unggahan *terakhir* di setiap wilayah; yang diminta yang "
                     "*pertama* (kapan wilayah itu pertama kali dicapai).")
    for unit, nama in ((60.0, "menit"), (1.0, "detik"), (86400.0, "hari")):
        if banding_seri(got, _hours_to_region(simpul, unit=unit), rtol=1e-6,
                        atol=1e-6).mirip:
            return salah(f"Satuan Anda {nama}; yang diminta jam.")
    if close_series(got, _hours_to_region(simpul, subtract=False), rtol=1e-9, atol=1e-3):
        return salah("Waktu akar belum dikurangkan: hitung selisih waktu dari unggahan akar.")
    return salah("Waktu belum cocok. Untuk setiap wilayah: waktu unggahan pertama di wilayah "
                 "itu dikurangi waktu akar, dalam jam.")


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
