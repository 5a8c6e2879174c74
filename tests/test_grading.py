"""kopiresearch grade: a class folder of lab notebooks into one table (kopiresearch/grading.py)."""

import copy
from pathlib import Path

import nbformat
import pandas as pd

from kopiresearch import teaching as t

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "notebooks" / "teaching"


def _nb(*sources):
    return nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in sources],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}})


_SETUP = ("import networkx as nx\nfrom kopiresearch.teaching import cek_resiprositas, "
          "cek_kedalaman\nG = nx.DiGraph([('a', 'b'), ('b', 'a'), ('a', 'c')])\n"
          "T = nx.DiGraph([('r', 'a'), ('a', 'b'), ('r', 'c')])")


def test_grade_folder_every_kind_of_student(tmp_path):
    from kopiresearch import grading

    folder = tmp_path / "kelas"
    (folder / "budi").mkdir(parents=True)
    nbformat.write(_nb(_SETUP, "# Latihan 2.3\nr = 2 / 3\ncek_resiprositas(r, G)",
                       "# Latihan 3.2\nkedalaman = 3\ncek_kedalaman(kedalaman, T)"),
                   folder / "ani.ipynb")
    # a cell that raises before the exercises: they raise too, and grading goes on
    nbformat.write(_nb(_SETUP + "\nundefined_name", "x = 1 / 0",
                       "# Latihan 2.3\nr = berbalas / K.number_of_edges()\ncek_resiprositas(r, G)",
                       "# Latihan 3.2\nkedalaman = ...\ncek_kedalaman(kedalaman, T)"),
                   folder / "budi" / "lab.ipynb")
    # the check call removed; a cell that never ends (stopped by the timeout)
    nbformat.write(_nb(_SETUP, "# Latihan 2.3\nr = 0.67", "while True:\n    pass",
                       "# Latihan 3.2\nkedalaman = 2\ncek_kedalaman(kedalaman, T)"),
                   folder / "citra.ipynb")
    (folder / "rusak.ipynb").write_text("{ not json", encoding="utf-8")
    (folder / ".ipynb_checkpoints").mkdir()
    nbformat.write(_nb("1"), folder / ".ipynb_checkpoints" / "ani-checkpoint.ipynb")

    table = grading.grade_folder(folder, timeout=20, executed_dir=tmp_path / "hasil")
    assert table.index.tolist() == ["ani.ipynb", "budi/lab.ipynb", "citra.ipynb",
                                    "rusak.ipynb"]
    assert table.columns.tolist() == ["2.3", "3.2", "benar", "latihan", "catatan"]
    assert table.loc["ani.ipynb", ["2.3", "3.2", "benar"]].tolist() == ["benar", "salah", 1]
    assert table.loc["budi/lab.ipynb", "2.3"] == "galat: NameError"
    assert table.loc["budi/lab.ipynb", "3.2"] == "belum"
    assert table.loc["citra.ipynb", "2.3"] == "tanpa cek"
    assert table.loc["citra.ipynb", "3.2"] == "tidak dijalankan"
    assert "CellTimeoutError" in table.loc["citra.ipynb", "catatan"]
    assert table.loc["rusak.ipynb", "catatan"].startswith("tidak terbaca")
    assert table.loc["rusak.ipynb", "2.3"] == "tidak ada"
    executed = nbformat.read(tmp_path / "hasil" / "budi" / "lab.ipynb", as_version=4)
    assert [o["ename"] for o in executed.cells[1].outputs] == ["ZeroDivisionError"]


def test_grade_ignores_stored_outputs(tmp_path):
    from kopiresearch import grading

    nb = _nb(_SETUP, "# Latihan 2.3\nr = 0.5\ncek_resiprositas(r, G)")
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                  text=t.PESAN_BENAR + " (disalin)\n")]
    nb.cells[1].execution_count = 1
    nbformat.write(nb, tmp_path / "curang.ipynb")
    table = grading.grade_folder(tmp_path, timeout=20)
    assert table.loc["curang.ipynb", "2.3"] == "salah"


def test_grade_command_on_a_real_student_lab(tmp_path, capsys):
    from kopiresearch.cli import main

    folder = tmp_path / "kelas"
    folder.mkdir()
    blank = nbformat.read(TEACHING / "student" / "lab1-dari-data-ke-graf.ipynb", as_version=4)
    nbformat.write(blank, folder / "kosong.ipynb")
    lecturer = nbformat.read(TEACHING / "lecturer" / "lab1-dari-data-ke-graf.ipynb",
                             as_version=4)
    mixed = copy.deepcopy(blank)
    solutions = {c.source.split("\n")[0]: c.source for c in lecturer.cells
                 if "solution" in c.get("metadata", {}).get("tags", [])}
    for cell in mixed.cells:
        head = cell.source.split("\n")[0]
        if head == "# Latihan 1.1":
            cell.source = solutions[head]                       # right
        elif head == "# Latihan 1.3":
            cell.source = head + "\nderajat_masuk = dict(G.in_degree())\n" \
                "cek_derajat(derajat_masuk, G, arah='masuk', berbobot=True)"  # unweighted
        elif head == "# Latihan 1.2":
            cell.source = head + "\nG_balas = nx.DiGraph(balasan)\n" \
                "cek_graf(G_balas, jenis=JENIS_LATIHAN)"  # NameError: balasan
    nbformat.write(mixed, folder / "mahasiswa.ipynb")
    out = tmp_path / "nilai.csv"
    assert main(["grade", str(folder), "--out", str(out), "--timeout", "120"]) == 0
    table = pd.read_csv(out, index_col="notebook")
    assert table.loc["kosong.ipynb", ["1.1", "1.2", "1.3", "1.4"]].tolist() == ["belum"] * 4
    assert table.loc["mahasiswa.ipynb", ["1.1", "1.2", "1.3", "1.4"]].tolist() == \
        ["benar", "galat: NameError", "salah", "belum"]
    assert table["benar"].tolist() == [0, 1]
    printed = capsys.readouterr().out
    assert "2 notebooks, 1 exercises right" in printed
