"""Grading a class folder of teaching-lab notebooks into one table, cells that raise included.

Each student notebook is executed from top to bottom in a fresh kernel with errors allowed
(a cell that raises is recorded and execution goes on), then every exercise cell (a code cell
whose first line is ``# Latihan X.Y``) is read for the verdict its ``cek_*`` check printed
(:data:`kopiresearch.teaching.PESAN_BENAR`, ``PESAN_SALAH``, ``PESAN_BELUM``). The result is
one row per notebook and one column per exercise; the executed notebooks can be written out so
that a lecturer can read each student's outputs.

The ``kopiresearch grade`` command runs :func:`grade_folder` and writes the table as CSV.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import KopiresearchError

__all__ = ["STATUSES", "NotebookGrade", "exercise_cells", "read_verdicts", "grade_notebook",
           "grade_folder", "grades_table", "add_grade_command", "main"]

#: What a cell of the table can say, from best to worst.
STATUSES = ("benar", "salah", "belum", "galat", "tanpa cek", "tidak dijalankan", "tidak ada")

_LATIHAN = re.compile(r"^\s*#\s*Latihan\s+(\d+\.\d+)\b", re.IGNORECASE)


@dataclass
class NotebookGrade:
    """The verdicts of one notebook: exercise -> status, and what went wrong, if anything."""

    path: str
    verdicts: dict = field(default_factory=dict)
    note: str = ""

    @property
    def right(self) -> int:
        return sum(v == "benar" for v in self.verdicts.values())


def exercise_cells(nb) -> list[tuple[str, int]]:
    """The exercises of a lab notebook: ``(label, cell index)`` in notebook order.

    An exercise cell is a code cell whose first non-blank line is ``# Latihan X.Y`` (the
    student versions keep that line, see ``tools/make_labs.py``). A label that occurs twice
    keeps its first cell.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[
    ...     nbformat.v4.new_markdown_cell("# Latihan 1.1 (judul, bukan sel kode)"),
    ...     nbformat.v4.new_code_cell("# Latihan 1.1\\nx = ...\\ncek(x)"),
    ...     nbformat.v4.new_code_cell("print(1)"),
    ...     nbformat.v4.new_code_cell("\\n# latihan 1.2: graf balasan\\ncek(y)")])
    >>> exercise_cells(nb)
    [('1.1', 1), ('1.2', 3)]
    """
    found, seen = [], set()
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = [ln for ln in cell.source.splitlines() if ln.strip()]
        m = _LATIHAN.match(lines[0]) if lines else None
        if m and m.group(1) not in seen:
            seen.add(m.group(1))
            found.append((m.group(1), i))
    return found


def read_verdicts(nb) -> dict:
    """The status of every exercise of an *executed* notebook (see :data:`STATUSES`).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        A notebook after execution.

    Returns
    -------
    dict
        Exercise label -> ``"benar"``, ``"salah"``, ``"belum"`` (the check's verdict; the
        last one when a cell prints several), ``"galat"`` (the cell raised before a verdict,
        with the exception name, e.g. ``"galat: NameError"``), ``"tanpa cek"`` (the cell ran
        but printed no verdict: its check call was removed) or ``"tidak dijalankan"`` (the
        cell never ran, e.g. after a timeout).

    Examples
    --------
    >>> import nbformat
    >>> from kopiresearch.teaching import PESAN_BENAR
    >>> cell = nbformat.v4.new_code_cell("# Latihan 2.1\\ncek(pr, G)", execution_count=3)
    >>> cell.outputs = [nbformat.v4.new_output("stream", name="stdout",
    ...                                        text=PESAN_BENAR + " Akun ...\\n")]
    >>> bad = nbformat.v4.new_code_cell("# Latihan 2.2\\nbc = x / 0", execution_count=4)
    >>> bad.outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
    ...                                       evalue="division by zero", traceback=[])]
    >>> read_verdicts(nbformat.v4.new_notebook(cells=[cell, bad]))
    {'2.1': 'benar', '2.2': 'galat: ZeroDivisionError'}
    """
    from .teaching import PESAN_BELUM, PESAN_BENAR, PESAN_SALAH

    marks = {PESAN_BENAR: "benar", PESAN_SALAH: "salah", PESAN_BELUM: "belum"}
    out = {}
    for label, i in exercise_cells(nb):
        cell = nb.cells[i]
        verdict, error = None, None
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                error = o.get("ename", "Error")
                continue
            text = o.get("text", "") if o.get("output_type") == "stream" else \
                o.get("data", {}).get("text/plain", "")
            for line in str(text).splitlines():
                for prefix, status in marks.items():
                    if line.startswith(prefix):
                        verdict = status
        if verdict is not None:
            out[label] = verdict
        elif error is not None:
            out[label] = f"galat: {error}"
        elif cell.get("execution_count") is None:
            out[label] = "tidak dijalankan"
        else:
            out[label] = "tanpa cek"
    return out


def grade_notebook(path, *, timeout: int = 300, kernel_name: str = "python3",
                   executed=None) -> NotebookGrade:
    """Execute one student notebook (errors allowed) and read its verdicts.

    Parameters
    ----------
    path : str or Path
        The notebook.
    timeout : int, default 300
        Seconds one cell may run; a cell that runs longer stops the notebook there and the
        exercises after it are ``"tidak dijalankan"``.
    kernel_name : str, default "python3"
        The Jupyter kernel (the lab environment's).
    executed : str or Path, optional
        Write the executed notebook to this file, so that its outputs can be read.

    Returns
    -------
    NotebookGrade
        ``note`` says why a notebook could not be read or stopped early.

    Raises
    ------
    KopiresearchError
        ``nbclient``/``nbformat`` are not installed (they come with the ``dev`` extra).
    """
    nbformat, NotebookClient, stop_errors = _nbclient()
    path = Path(path)
    grade = NotebookGrade(str(path))
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # a notebook a student broke by hand: not readable JSON
        grade.note = f"tidak terbaca: {type(exc).__name__}: {exc}"
        return grade
    for cell in nb.cells:  # verdicts come from this run only, never from stored outputs
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, allow_errors=True,
                            record_timing=False,
                            resources={"metadata": {"path": str(path.parent.resolve())}})
    try:
        client.execute()
    except stop_errors as exc:
        grade.note = f"berhenti: {type(exc).__name__}"
    grade.verdicts = read_verdicts(nb)
    if not grade.verdicts:
        grade.note = (grade.note + "; " if grade.note else "") + "tidak ada sel '# Latihan'"
    if executed is not None:
        executed = Path(executed)
        executed.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, executed)
    return grade


def grade_folder(folder, *, pattern: str = "**/*.ipynb", timeout: int = 300,
                 kernel_name: str = "python3", executed_dir=None,
                 progress=None) -> pd.DataFrame:
    """Grade every notebook of a class folder into one table.

    Parameters
    ----------
    folder : str or Path
        The folder of submitted notebooks (sub-folders per student are fine).
    pattern : str, default "**/*.ipynb"
        Which files, relative to ``folder`` (checkpoints are always skipped).
    timeout, kernel_name
        As in :func:`grade_notebook`.
    executed_dir : str or Path, optional
        Write each executed notebook there, under its path relative to ``folder``.
    progress : callable, optional
        Called with each notebook's relative path before it runs (e.g. ``print``).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``notebook`` (path relative to ``folder``, sorted); one column per
        exercise label found in any notebook (``"1.1"``, ``"1.2"``, ...; a status of
        :data:`STATUSES`, ``"tidak ada"`` when that notebook has no such exercise), then
        ``benar`` (exercises right), ``latihan`` (exercises in the notebook) and ``catatan``
        (why a notebook stopped early or could not be read).

    Raises
    ------
    KopiresearchError
        ``folder`` does not exist or holds no notebook.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise KopiresearchError(f"{folder}: not a folder")
    paths = sorted(p for p in folder.glob(pattern)
                   if p.is_file() and ".ipynb_checkpoints" not in p.parts)
    if not paths:
        raise KopiresearchError(f"{folder}: no notebook matches {pattern!r}")
    grades = []
    for p in paths:
        rel = p.relative_to(folder).as_posix()
        if progress is not None:
            progress(rel)
        out = None if executed_dir is None else Path(executed_dir) / rel
        g = grade_notebook(p, timeout=timeout, kernel_name=kernel_name, executed=out)
        g.path = rel
        grades.append(g)
    return grades_table(grades)


def grades_table(grades) -> pd.DataFrame:
    """The table of :func:`grade_folder` from :class:`NotebookGrade` objects.

    Examples
    --------
    >>> t = grades_table([NotebookGrade("ani.ipynb", {"1.1": "benar", "1.2": "salah"}),
    ...                   NotebookGrade("budi.ipynb", {"1.1": "galat: NameError"}, "")])
    >>> print(t.to_string())
                             1.1        1.2  benar  latihan catatan
    notebook
    ani.ipynb              benar      salah      1        2
    budi.ipynb  galat: NameError  tidak ada      0        1
    """
    labels = sorted({k for g in grades for k in g.verdicts},
                    key=lambda s: tuple(int(x) for x in s.split(".")))
    rows = []
    for g in grades:
        row = {k: g.verdicts.get(k, "tidak ada") for k in labels}
        row.update(benar=g.right, latihan=len(g.verdicts), catatan=g.note)
        rows.append(pd.Series(row, name=g.path))
    table = pd.DataFrame(rows, columns=[*labels, "benar", "latihan", "catatan"])
    table.index.name = "notebook"
    table[["benar", "latihan"]] = table[["benar", "latihan"]].astype(int)
    return table.sort_index()


def _nbclient():
    try:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
    except ImportError as exc:  # pragma: no cover - both come with the dev extra
        raise KopiresearchError("grading needs nbclient and nbformat: pip install -e "
                                "'.[dev]' (or make install)") from exc
    return nbformat, NotebookClient, (CellTimeoutError, DeadKernelError)


def add_grade_command(sub) -> None:
    """Register ``kopiresearch grade`` on the subparsers of ``kopiresearch.cli.build_parser``."""
    grade = sub.add_parser(
        "grade", help="grade a class folder of teaching-lab notebooks into one table",
        description="Execute every student notebook of FOLDER (a cell that raises is recorded "
                    "and execution goes on), read the verdict of each exercise's cek_* check "
                    "and write one table: a row per notebook, a column per exercise "
                    "(benar, salah, belum, galat, tanpa cek, tidak dijalankan, tidak ada).")
    grade.add_argument("folder", metavar="FOLDER", help="folder of submitted notebooks")
    grade.add_argument("--out", required=True, metavar="CSV", help="the table, as CSV")
    grade.add_argument("--executed", metavar="DIR",
                       help="also write each executed notebook under DIR")
    grade.add_argument("--pattern", default="**/*.ipynb",
                       help="which notebooks, relative to FOLDER (default **/*.ipynb)")
    grade.add_argument("--timeout", type=int, default=300,
                       help="seconds one cell may run (default 300)")
    grade.add_argument("--kernel", default="python3", help="Jupyter kernel (default python3)")
    grade.set_defaults(func=main)


def main(args) -> int:
    """Run ``kopiresearch grade`` with parsed arguments; the exit status."""
    table = grade_folder(args.folder, pattern=args.pattern, timeout=args.timeout,
                         kernel_name=args.kernel, executed_dir=args.executed,
                         progress=lambda rel: print(f"grading {rel}", flush=True))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out)
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        print(table.drop(columns="catatan").to_string())
    stopped = table["catatan"].astype(bool).sum()
    print(f"{len(table)} notebooks, {int(table['benar'].sum())} exercises right"
          + (f", {stopped} with a note (see the catatan column)" if stopped else "")
          + f"; wrote {out}")
    return 0
