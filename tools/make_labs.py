"""Generate the student versions of the teaching labs from the lecturer versions.

The lecturer notebooks in ``notebooks/teaching/lecturer/`` are the single source. A code cell
tagged ``solution`` holds a worked answer and ends with the call of its check, e.g.::

    # Latihan 1.2: graf balasan
    G_balas = nx.DiGraph()
    ...                      # the solution
    cek_graf(G_balas, jenis="reply");

In the student version (``notebooks/teaching/student/``, same file name) the cell keeps its
leading comment lines and the final check call; everything in between becomes
``<name> = ...`` for each name the solution assigns and the check receives, so that the blank
notebook still runs and every check prints its "belum dikerjakan" message. Untagged cells are
copied as they are (outputs are recomputed when executing).

Untagged cells after an exercise are seen by students before they solve it, so they must not
contain its answer: they use the student's own answer, and only under
``if jawaban_benar(cek_..., answer, ...):`` (else they print "selesaikan dulu Latihan X.Y").
``tests/test_teaching_notebooks.py::test_no_code_after_an_exercise_gives_its_answer`` checks every
exercise.

Usage::

    python tools/make_labs.py              # write the student versions and execute both
    python tools/make_labs.py --no-execute # only write the student versions (no outputs)
    python tools/make_labs.py --check      # exit 1 if a committed student version drifted
"""

from __future__ import annotations

import argparse
import ast
import copy
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
TEACHING = ROOT / "notebooks" / "teaching"
LECTURER = TEACHING / "lecturer"
STUDENT = TEACHING / "student"
TAG = "solution"
PROMPT = "# Tulis kode Anda di sini, lalu ganti `...` dengan jawaban Anda."


def lecturer_notebooks() -> list[Path]:
    """The lecturer notebooks, sorted by name."""
    return sorted(LECTURER.glob("lab*.ipynb"))


def blank_cell_source(source: str) -> str:
    """The student version of one solution cell's source.

    >>> print(blank_cell_source("# Latihan 9\\nx = 1\\ny = x + 1\\ncek(y, G);"))
    # Latihan 9
    # Tulis kode Anda di sini, lalu ganti `...` dengan jawaban Anda.
    y = ...
    cek(y, G);
    """
    lines = source.rstrip("\n").split("\n")
    tree = ast.parse(source)
    if not tree.body or not isinstance(tree.body[-1], ast.Expr) \
            or not isinstance(tree.body[-1].value, ast.Call):
        raise ValueError(f"a solution cell must end with the call of its check:\n{source}")
    call_stmt = tree.body[-1]
    call = call_stmt.value
    check_lines = lines[call_stmt.lineno - 1:]
    header = []
    for line in lines:
        if line.startswith("#"):
            header.append(line)
        else:
            break
    assigned = []
    for stmt in tree.body[:-1]:
        targets = []
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
            targets = [stmt.target]
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name) and node.id not in assigned:
                    assigned.append(node.id)
    used = {node.id for arg in [*call.args, *(k.value for k in call.keywords)]
            for node in ast.walk(arg) if isinstance(node, ast.Name)}
    answers = [name for name in assigned if name in used]
    if not answers:
        raise ValueError(f"the check call of a solution cell receives no answer variable:\n"
                         f"{source}")
    blanks = [f"{name} = ..." for name in answers]
    return "\n".join([*header, PROMPT, *blanks, *check_lines])


def student_version(nb):
    """A new notebook: the student version of a lecturer notebook (outputs cleared)."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        if TAG in tags:
            cell.source = blank_cell_source(cell.source)
            cell.metadata["tags"] = [t for t in tags if t != TAG] + ["exercise"]
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)
    return out


def cell_sources(nb) -> list[tuple[str, str, list]]:
    """What must not drift: each cell's type, source and tags."""
    return [(c.cell_type, c.source, list(c.get("metadata", {}).get("tags", [])))
            for c in nb.cells]


def execute(nb, path: Path):
    """Execute a notebook in place of its folder with the current environment's kernel."""
    from nbconvert.preprocessors import ExecutePreprocessor

    ep = ExecutePreprocessor(timeout=300, kernel_name="python3", record_timing=False)
    ep.preprocess(nb, {"metadata": {"path": str(path.parent)}})
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    return nb


def drifted() -> list[str]:
    """Names of student notebooks that are missing or differ from their generated version."""
    bad = []
    for src in lecturer_notebooks():
        dst = STUDENT / src.name
        if not dst.exists():
            bad.append(f"{dst.relative_to(ROOT)} is missing")
            continue
        want = cell_sources(student_version(nbformat.read(src, as_version=4)))
        have = cell_sources(nbformat.read(dst, as_version=4))
        if want != have:
            bad.append(f"{dst.relative_to(ROOT)} differs from its lecturer version")
    extra = {p.name for p in STUDENT.glob("lab*.ipynb")} - {p.name for p in lecturer_notebooks()}
    bad.extend(f"notebooks/teaching/student/{name} has no lecturer version"
               for name in sorted(extra))
    return bad


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-execute", action="store_true",
                        help="write the student versions without executing any notebook")
    parser.add_argument("--check", action="store_true",
                        help="only report student versions that drifted (exit 1 if any)")
    parser.add_argument("labs", nargs="*", help="lab file names to process (default: all)")
    args = parser.parse_args(argv)
    if args.check:
        bad = drifted()
        for line in bad:
            print(line)
        return 1 if bad else 0
    STUDENT.mkdir(parents=True, exist_ok=True)
    for src in lecturer_notebooks():
        if args.labs and src.name not in args.labs:
            continue
        lecturer = nbformat.read(src, as_version=4)
        student = student_version(lecturer)
        dst = STUDENT / src.name
        if not args.no_execute:
            print(f"executing {src.relative_to(ROOT)}")
            execute(lecturer, src)
            nbformat.write(lecturer, src)
            print(f"executing {dst.relative_to(ROOT)}")
            execute(student, dst)
        nbformat.write(student, dst)
        print(f"wrote {dst.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
