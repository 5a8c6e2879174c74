"""The feedback framework of the teaching labs: messages, results and the check wrapper.

Every check of :mod:`kopiresearch.teaching` returns a :class:`Hasil` and prints one message
(:data:`PESAN_BENAR`, :data:`PESAN_SALAH` or :data:`PESAN_BELUM` first); :func:`pemeriksa`
is the one wrapper they share (a blank answer, an answer that cannot be compared, a wrong
setting); numbers are compared the way students write them (:func:`banding`); and
:func:`jawaban_benar` runs a check silently. One module per lab (``lab1`` ... ``lab4``)
holds that lab's checks.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import io
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import KopiresearchError

__all__ = [
    "PESAN_BENAR",
    "PESAN_SALAH",
    "PESAN_BELUM",
    "Hasil",
    "LabSetupError",
    "pemeriksa",
    "Syarat",
    "pilihan",
    "atau_none",
    "positif",
    "graf_berarah",
    "graf_pohon",
    "tabel",
    "ringkas",
    "jawaban_benar",
    "kosong",
    "lapor",
    "benar",
    "salah",
    "belum",
    "aman",
    "angka",
    "number",
    "Cocok",
    "desimal",
    "bulat_dari",
    "banding",
    "banding_seri",
    "bundled_corpus",
    "as_series",
    "seri_jawaban",
    "nilai_simpul",
    "close_series",
    "same_number",
    "node_label",
]

#: Prefixes of the three kinds of message (the tests and the lecturer notebooks look for them).
PESAN_BENAR = "✅ Benar!"


PESAN_SALAH = "❌ Belum tepat."


PESAN_BELUM = "✏️ Latihan ini belum dikerjakan."


@dataclass(frozen=True)
class Hasil:
    """The result of a check: ``status`` is ``"benar"``, ``"salah"`` or ``"belum"``;
    ``pesan`` is the message that was printed. ``bool(hasil)`` is ``True`` only when right.
    ``sebab`` is the exception behind a "salah" given because the answer could not even be
    compared (:func:`aman`), so that a test or a lecturer can tell a bug in a check from a
    wrong answer; ``None`` otherwise.

    Examples
    --------
    >>> h = Hasil("benar", "✅ Benar!")
    >>> bool(h), bool(Hasil("belum", "..."))
    (True, False)
    """

    status: str
    pesan: str
    sebab: BaseException | None = field(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.status == "benar"

    def _ipython_display_(self):
        # The message was printed already; a check as the last line of a notebook cell adds
        # no second "Out[...]" (a trailing ";" is not honoured by every runner, e.g. nbval).
        return None

class LabSetupError(KopiresearchError, ValueError):
    """A check was called with a setting that is not one of its options (the lecturer's
    argument, such as ``arah="in"``): raised, never reported to the student as a wrong
    answer."""


@dataclass(frozen=True)
class Syarat:
    """What one setting of a check must be (a setting: any argument but the student's answer,
    which the lab notebook passes: an option such as ``arah``, or the lab's data such as
    ``G``).

    ``uji(value, arguments)`` is true for a valid value; ``arguments`` holds the check's other
    arguments (given or default), so a setting can depend on another (the seeds must be nodes
    of ``G``). ``harapan`` says what a valid value is, in the error: a text, or a function of
    ``arguments`` giving it. Every argument is bound, given or default, before a setting is
    checked (a call without the lab's data is refused first by :func:`pemeriksa`).
    """

    uji: Callable
    harapan: str | Callable

    def periksa(self, cek: str, nama: str, nilai, argumen) -> None:
        """Raise :class:`LabSetupError` naming the check, the setting, its value and what it
        must be, unless the value is valid."""
        try:
            sah = self.uji(nilai, argumen)
        except (TypeError, ValueError, KeyError, AttributeError, nx.NetworkXException):
            sah = False
        if sah:
            return
        harapan = self.harapan(argumen) if callable(self.harapan) else self.harapan
        raise LabSetupError(f"{cek}: {nama}={ringkas(nilai)} is not {harapan}; the lab "
                            "notebook calls the check with a wrong setting, not the student's "
                            "answer")


def pilihan(*opsi) -> Syarat:
    """A setting that is one of ``opsi`` (of the same type: ``1`` is not ``True``)."""
    daftar = ", ".join(repr(x) for x in opsi)
    return Syarat(lambda nilai, _: any(type(nilai) is type(o) and nilai == o for o in opsi),
                  f"an option of this check (expected one of {daftar})")


def atau_none(syarat: Syarat) -> Syarat:
    """``syarat``, or ``None`` (the check's default)."""
    harapan = syarat.harapan
    return Syarat(lambda nilai, argumen: nilai is None or syarat.uji(nilai, argumen),
                  (lambda a: f"None or {harapan(a)}") if callable(harapan)
                  else f"None or {harapan}")


def positif() -> Syarat:
    """A positive real number."""
    return Syarat(lambda nilai, _: isinstance(nilai, numbers.Real)
                  and not isinstance(nilai, (bool, np.bool_)) and nilai > 0,
                  "a positive number")


def graf_berarah() -> Syarat:
    """A directed graph with at least one edge (``nx.DiGraph``, not a multigraph)."""
    return Syarat(lambda G, _: isinstance(G, nx.DiGraph) and not G.is_multigraph()
                  and G.number_of_edges() > 0,
                  "a directed graph (nx.DiGraph, not a multigraph) with at least one edge")


def graf_pohon(min_simpul: int = 1) -> Syarat:
    """A tree with edges pointing away from its root (its ``root`` attribute, when set), of
    at least ``min_simpul`` nodes."""
    def uji(T, _):
        if not isinstance(T, nx.DiGraph) or T.number_of_nodes() < max(min_simpul, 1) \
                or not nx.is_arborescence(T):
            return False
        root = T.graph.get("root")
        return root is None or (root in T and T.in_degree(root) == 0)

    return Syarat(uji, f"a tree (nx.DiGraph, edges parent -> child, attribute 'root' the node "
                       f"without parent) of at least {min_simpul} node"
                       + ("s" if min_simpul > 1 else ""))


def tabel(*kolom, waktu=()) -> Syarat:
    """A non-empty DataFrame with the columns ``kolom``; those in ``waktu`` hold time
    zone-aware times (the package keeps every time in UTC)."""
    def uji(df, _):
        return (isinstance(df, pd.DataFrame) and len(df) > 0
                and set(kolom) | set(waktu) <= set(df.columns)
                and all(isinstance(df[c].dtype, pd.DatetimeTZDtype) for c in waktu))

    semua = ", ".join([*kolom, *(f"{c} (UTC times)" for c in waktu)])
    return Syarat(uji, f"a non-empty pandas DataFrame with the columns {semua}")


def ringkas(nilai) -> str:
    """A short text of a setting's value for an error (a graph or a table by its size)."""
    if isinstance(nilai, nx.Graph):
        return (f"<{type(nilai).__name__} with {nilai.number_of_nodes()} nodes and "
                f"{nilai.number_of_edges()} edges>")
    if isinstance(nilai, pd.DataFrame):
        return f"<DataFrame of {len(nilai)} rows, columns {list(map(str, nilai.columns))}>"
    teks = repr(nilai)
    return teks if len(teks) <= 80 else f"<{type(nilai).__name__} of length {_len(nilai)}>"


def _len(x):
    try:
        return len(x)
    except TypeError:
        return "?"


def pemeriksa(fungsi=None, /, **setelan):
    """The wrapper every ``cek_*`` check shares: ``@pemeriksa(nama=Syarat, ...)``.

    The first argument of a check is the student's answer; every other argument is a
    *setting* that the lab notebook passes (an option such as ``arah``, or the lab's data
    such as ``G``), and the check declares what each must be (a :class:`Syarat` per
    argument, all of them, checked in the order declared). A wrong setting raises
    :class:`LabSetupError` *before* the answer is looked at: it is the notebook's mistake,
    not the student's, and a blank student notebook shows it too. A call that does not fit
    the check's signature (a misspelt keyword, a missing argument) raises it as well, with a
    blank answer too: the student version of a lab calls every check with its data.

    Then an answer left blank (``...`` or ``None``) gets the friendly "belum dikerjakan"
    message; an answer that makes the comparison itself fail (a list where a graph was
    expected, a string where a number was expected) gets a "salah" message that says what
    was expected (:func:`aman`).
    """
    if fungsi is None:
        return lambda f: _bungkus(f, setelan)
    return _bungkus(fungsi, setelan)


def _bungkus(fungsi, setelan):
    tanda = inspect.signature(fungsi)
    nama = getattr(fungsi, "__name__", "cek")
    lain = list(tanda.parameters)[1:]
    if set(lain) != set(setelan):
        raise TypeError(f"{nama}: declare what every setting must be (@pemeriksa(...)): "
                        f"settings {lain}, declared {list(setelan)}")

    @functools.wraps(fungsi)
    def cek(jawaban, *args, **kwargs):
        try:
            ikat = tanda.bind(jawaban, *args, **kwargs)
        except TypeError as exc:
            raise LabSetupError(f"{nama}: {exc}; the lab notebook calls the check with "
                                "wrong arguments, not the student's answer") from None
        ikat.apply_defaults()
        argumen = dict(ikat.arguments)
        for kunci, syarat in setelan.items():
            syarat.periksa(nama, kunci, argumen[kunci], argumen)
        if kosong(jawaban):
            return belum()
        return aman(fungsi, jawaban, *args, **kwargs)

    cek.setelan = dict(setelan)
    return cek


def number(x):
    if isinstance(x, (bool, np.bool_)):
        return None
    if isinstance(x, numbers.Real):
        return float(x)
    return None


def angka(jawaban, diminta):
    """``(value, None)`` for a number, or ``(None, message)`` saying what was typed instead."""
    value = number(jawaban)
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


@dataclass(frozen=True)
class Cocok:
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


def desimal(x: float, maks: int = 8):
    """How many decimals a typed number shows (8.76 -> 2, 14.0 -> 0); None beyond ``maks``."""
    if not math.isfinite(x):
        return None
    for d in range(maks + 1):
        if abs(x - round(x, d)) <= 1e-12 * max(1.0, abs(x)):
            return d
    return None


def bulat_dari(got, want, d, desimal_min, skala) -> tuple:
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


def banding(value: float, want: float, *, rtol=1e-6, atol=1e-9, desimal_min=2) -> Cocok:
    """Compare one number with the reference, allowing the rounding a student uses."""
    if math.isclose(value, want, rel_tol=rtol, abs_tol=atol):
        return Cocok("tepat")
    return Cocok(*bulat_dari(value, want, desimal(value), desimal_min, abs(want)),
                 desimal_min)


def banding_seri(got: pd.Series, want: pd.Series, *, rtol=1e-6, atol=1e-9,
                 desimal_min=2) -> Cocok:
    """Compare values per key with the reference, allowing one rounding of all of them."""
    want = want.reindex(got.index)
    if want.isna().any() or got.isna().any():
        return Cocok("beda")
    if close_series(got, want, rtol=rtol, atol=atol):
        return Cocok("tepat")
    ds = [desimal(float(v)) for v in got.to_numpy(float)]
    d = None if any(x is None for x in ds) else max(ds, default=0)
    skala = float(np.max(np.abs(want.to_numpy(float)), initial=0.0))
    return Cocok(*bulat_dari(got.to_numpy(float), want.to_numpy(float), d, desimal_min,
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
    >>> from kopiresearch.teaching import cek_resiprositas
    >>> G = nx.DiGraph([("a", "b"), ("b", "a"), ("a", "c")])
    >>> jawaban_benar(cek_resiprositas, 2 / 3, G), jawaban_benar(cek_resiprositas, ..., G)
    (True, False)
    """
    with contextlib.redirect_stdout(io.StringIO()):
        return bool(cek(*args, **kwargs))


@functools.cache
def bundled_corpus():
    from ..synth import load_bundled

    return load_bundled()


def kosong(x) -> bool:
    return x is None or x is Ellipsis


def lapor(status, pesan, sebab=None):
    print(pesan)
    return Hasil(status, pesan, sebab)


def benar(pesan=""):
    return lapor("benar", f"{PESAN_BENAR} {pesan}".rstrip())


def salah(pesan, sebab=None):
    return lapor("salah", f"{PESAN_SALAH} {pesan}", sebab)


def belum():
    return lapor("belum", f"{PESAN_BELUM} Ganti `...` dengan jawaban Anda, lalu jalankan "
                           "sel ini lagi.")


def aman(fungsi, *args, **kwargs):
    """Run a check; an answer that makes the comparison itself fail is a wrong answer (the
    settings were checked before, by :func:`pemeriksa`; a :class:`LabSetupError` is
    raised). The exception is kept as the result's ``sebab``, so a bug in a check stays
    visible to its tests, and the message asks the student to report it if the answer has
    the asked form."""
    try:
        return fungsi(*args, **kwargs)
    except LabSetupError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError, IndexError, ZeroDivisionError,
            nx.NetworkXError) as exc:
        return salah(f"Jawaban Anda tidak dapat diperiksa ({type(exc).__name__}). Periksa "
                     "jenis dan bentuk jawaban yang diminta. Jika bentuknya sudah sesuai, "
                     "laporkan ke dosen: mungkin ini bug di pemeriksaannya.", sebab=exc)


def as_series(x):
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


def seri_jawaban(jawaban, bentuk):
    """The answer as a float Series (:func:`as_series`), or the :class:`Hasil` saying that it
    must be ``bentuk`` (the accepted forms, e.g. "dict atau pandas Series")."""
    got = as_series(jawaban)
    if got is None:
        return salah(f"Jawaban harus berupa {bentuk}, bukan {type(jawaban).__name__}.")
    return got


def nilai_simpul(jawaban, G, bentuk="dict atau pandas Series (simpul -> nilai)"):
    """A value per node of ``G`` as a float Series (:func:`seri_jawaban`), or the
    :class:`Hasil` saying why the answer is not one: not ``bentuk``, or keys that are not
    nodes of ``G``."""
    got = seri_jawaban(jawaban, bentuk)
    if isinstance(got, Hasil):
        return got
    stray = set(got.index) - set(G.nodes())
    if stray:
        return salah(f"Jawaban Anda memuat {len(stray)} kunci yang bukan simpul graf, "
                     f"misalnya {sorted(map(str, stray))[0]!r}.")
    return got


def close_series(a: pd.Series, b: pd.Series, rtol=1e-6, atol=1e-9) -> bool:
    b = b.reindex(a.index)
    if b.isna().any():
        return False
    return bool(np.allclose(a.to_numpy(float), b.to_numpy(float), rtol=rtol, atol=atol))


def same_number(x, y) -> bool:
    try:
        return math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-12)
    except (TypeError, ValueError):
        return False


def node_label(G, node) -> str:
    handle = G.nodes[node].get("handle") if node in G else None
    return f"@{handle}" if handle else str(node)
