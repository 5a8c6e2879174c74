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

The package: :mod:`~kopiresearch.teaching._feedback` is the framework (messages,
:class:`Hasil`, the one check wrapper :func:`~kopiresearch.teaching._feedback.pemeriksa`,
number comparison, :func:`jawaban_benar`); ``lab1`` ... ``lab4`` hold one lab's checks each.
A new check is a function of the lab's module that returns ``benar(...)`` or ``salah(...)``,
decorated with ``@pemeriksa(...)`` declaring what each of its *settings* (every argument but
the student's answer: options such as ``arah``, the lab's data such as ``G``) must be. A wrong
setting (``arah="in"``, seeds that are not nodes of ``G``) raises :class:`LabSetupError`,
with a blank answer too, instead of telling the student the answer is wrong.
"""

from ._feedback import (
    PESAN_BELUM,
    PESAN_BENAR,
    PESAN_SALAH,
    Hasil,
    LabSetupError,
    jawaban_benar,
)
from .lab1 import cek_baca_gambar, cek_derajat, cek_graf
from .lab2 import (
    cek_betweenness,
    cek_pagerank,
    cek_resiprositas,
    cek_responsivitas,
    responsivitas_kantor,
)
from .lab3 import (
    cek_induk,
    cek_kedalaman,
    cek_viralitas,
    cek_waktu_wilayah,
    rekonstruksi_induk,
)
from .lab4 import cek_ic_manual, cek_monte_carlo, cek_pilihan_mitra, sebaran_tepat

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
    "LabSetupError",
]
