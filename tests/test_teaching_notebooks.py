"""Tests of the lab notebooks (notebooks/teaching/) and of their generator tools/make_labs.py:
the lecturer versions pass every check, the student versions say "belum" and give no answer
away."""

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from kopiresearch import teaching as t

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "notebooks" / "teaching"


def _make_labs():
    spec = importlib.util.spec_from_file_location("make_labs", ROOT / "tools" / "make_labs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _check_outputs(path):
    """The printed outputs of every cell that calls a check, in order."""
    nb = nbformat.read(path, as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "\ncek_" in "\n" + cell.source:
            text = "".join(o.get("text", "") for o in cell.outputs
                           if o.get("output_type") == "stream")
            errors = [o for o in cell.outputs if o.get("output_type") == "error"]
            out.append((cell, text, errors))
    return out


LECTURER_LABS = sorted((TEACHING / "lecturer").glob("lab*.ipynb"))


@pytest.mark.parametrize("path", LECTURER_LABS, ids=lambda p: p.name)
def test_lecturer_version_passes_every_check(path):
    checks = _check_outputs(path)
    nb = nbformat.read(path, as_version=4)
    n_solutions = sum("solution" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    assert n_solutions >= 3 and len(checks) == n_solutions
    for cell, text, errors in checks:
        assert cell.execution_count is not None, "lecturer notebook committed without outputs"
        assert not errors
        assert text.count(t.PESAN_BENAR) == 1, cell.source
        assert t.PESAN_SALAH not in text and t.PESAN_BELUM not in text


@pytest.mark.parametrize("path", LECTURER_LABS, ids=lambda p: p.name)
def test_student_version_says_not_done(path):
    student = TEACHING / "student" / path.name
    nb = nbformat.read(student, as_version=4)
    assert not any("solution" in c.get("metadata", {}).get("tags", []) for c in nb.cells)
    checks = _check_outputs(student)
    assert len(checks) == sum("exercise" in c.get("metadata", {}).get("tags", [])
                              for c in nb.cells)
    for cell, text, errors in checks:
        assert cell.execution_count is not None, "student notebook committed without outputs"
        assert not errors
        assert text.strip().startswith(t.PESAN_BELUM), cell.source
        assert "= ..." in cell.source


def test_blank_cell_source_keeps_header_and_check():
    ml = _make_labs()
    src = ("# Latihan 9\n# dua baris judul\nx = 1\nG2, y = G, x + 1\n"
           "cek_sesuatu(y, G2,\n            opsi=True)")
    out = ml.blank_cell_source(src)
    assert out.splitlines() == ["# Latihan 9", "# dua baris judul", ml.PROMPT,
                                "G2 = ...", "y = ...", "cek_sesuatu(y, G2,",
                                "            opsi=True)"]
    with pytest.raises(ValueError, match="must end with the call"):
        ml.blank_cell_source("x = 1")
    with pytest.raises(ValueError, match="no answer variable"):
        ml.blank_cell_source("x = 1\ncek(G)")


def test_student_versions_do_not_drift():
    ml = _make_labs()
    assert len(ml.lecturer_notebooks()) >= 1
    assert ml.drifted() == []


#: For each of the 15 exercises: code that would give its answer away. None of it may occur in
#: a code cell of the student version between the exercise and the next one (or the end).
GIVES_AWAY = {
    "1.1": ["add_edge(sumber", "G_contoh["],
    "1.2": ["kinds=[JENIS_LATIHAN]", "include_isolates=False", '["source_id", "target_id"]'],
    "1.3": ['in_degree(weight="weight")', "in_degree(weight='weight')", "in_strength"],
    "1.4": ["in_degree()", "terbanyak"],
    "2.1": ["pagerank("],
    "2.2": ["betweenness_centrality("],
    "2.3": ["nx.reciprocity(", "reciprocity(K)", "has_edge(v, u)"],
    "2.4": ["responsiveness(", "responsivitas_kantor(", "addressed_posts(", "parent_post_id"],
    "3.1": ["rekonstruksi_induk(", "_parents("],
    "3.2": ["shortest_path_length(T", '["depth"]'],
    "3.3": ["structural_virality(", "all_pairs_shortest_path_length("],
    "3.4": ["time_to_region(", '["created_at"].min()'],
    "4.1": ["successors(", "koin[(u, v)] <"],
    "4.2": ["sebaran_tepat(", "simulate(G_kecil", "rng.random()"],
    "4.3": ["- tercakup", "_greedy(", "len(jangkauan[a] -"],
}


def _exercise_windows(path):
    """``(label, answer names, code cells after the exercise up to the next one)``."""
    nb = nbformat.read(path, as_version=4)
    marks = [i for i, c in enumerate(nb.cells)
             if "exercise" in c.get("metadata", {}).get("tags", [])]
    out = []
    for k, i in enumerate(marks):
        label = nb.cells[i].source.split("\n")[0].removeprefix("# Latihan ").split()[0]
        names = [ln.split(" = ...")[0] for ln in nb.cells[i].source.splitlines()
                 if ln.endswith(" = ...")]
        stop = marks[k + 1] if k + 1 < len(marks) else len(nb.cells)
        out.append((label, names, [c for c in nb.cells[i + 1:stop] if c.cell_type == "code"]))
    return out


STUDENT_LABS = sorted((TEACHING / "student").glob("lab*.ipynb"))


def test_every_exercise_is_listed_once():
    labels = [label for p in STUDENT_LABS for label, _, _ in _exercise_windows(p)]
    assert sorted(labels) == sorted(GIVES_AWAY) and len(labels) == 15


@pytest.mark.parametrize("path", STUDENT_LABS, ids=lambda p: p.name)
def test_no_code_after_an_exercise_gives_its_answer(path):
    for label, names, cells in _exercise_windows(path):
        assert names, label
        for cell in cells:
            for fragment in GIVES_AWAY[label]:
                assert fragment not in cell.source, (label, fragment, cell.source)
            # the student's answer is used only once it is right
            found = [m for n in names for m in [_name_use(n, cell.source)] if m]
            if found:
                assert "if jawaban_benar(cek_" in cell.source, (label, names, cell.source)
                assert cell.source.index("jawaban_benar(") < min(m.start() for m in found)


def _name_use(name, source):
    """The first use of a variable ``name`` in code (not as a quoted column name)."""
    return re.search(rf"(?<![\"'\w]){re.escape(name)}(?![\"'\w])", source)


@pytest.mark.parametrize("path", STUDENT_LABS, ids=lambda p: p.name)
def test_blank_student_notebook_shows_no_result_that_needs_an_answer(path):
    nb = nbformat.read(path, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                   for o in c.outputs if o.get("output_type") == "stream")
    assert t.PESAN_BENAR not in text
    guarded = [c for c in nb.cells if c.cell_type == "code" and "jawaban_benar(" in c.source]
    assert guarded
    for cell in guarded:
        shown = "".join(o.get("text", "") for o in cell.outputs)
        assert "selesaikan dulu Latihan" in shown, cell.source
