"""The study report: execute the research notebooks on a corpus, write a report to read.

``kopiresearch study [CORPUS] --out DIR`` (and ``make report``) calls :func:`run_study`:

1. The corpus is opened once in this process (:func:`kopiresearch.study.open_study`), so a bad
   path, a bad labels file or an event outside the period fails before any notebook starts.
   Crawl files are loaded once and written as canonical tables to ``DIR/corpus/``; every
   notebook then reads those.
2. Every research notebook (a notebook with a cell tagged ``parameters``) is executed with
   `papermill <https://papermill.readthedocs.io>`_, which injects the parameters after that
   cell: ``CORPUS``, ``LABELS``, ``FOLLOWS``, ``EVENT_DATE``, ``EVENT_NAME``, ``SEED`` and
   ``OUT``. The bundled study also executes the notebooks without parameters (the loading
   tutorial and the teaching labs) as they are. Notebooks run ``workers`` at a time, each in
   its own kernel, the longest first (:func:`expected_seconds`), so that a long notebook
   does not start last and run on alone. The cores are shared out between the kernels: each
   runs its numba kernels on ``cores // workers`` threads (:func:`kernel_threads`).
3. Each executed notebook is written as ``.ipynb``, as HTML with its code and as HTML without
   code (for readers who do not program); its figures (PNG and SVG) and tables (CSV) are under
   ``DIR/<notebook>/``. ``DIR/index.html`` says whose data it is, the load report's summary and
   warnings, what the data could not answer, and links everything.

The report is built in ``DIR.partial`` and moved to ``DIR`` at the end, so ``DIR`` is either a
complete report or absent. A notebook that fails is reported (its HTML shows the error) and the
command exits non-zero.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import KopiresearchError

__all__ = ["NotebookRun", "StudyReport", "check_report", "expected_seconds", "kernel_threads",
           "research_notebooks", "run_study"]

#: the notebooks folder of a source checkout
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


@dataclass
class NotebookRun:
    """One executed notebook of a report."""

    #: path relative to the notebooks folder, e.g. ``01-data-tour.ipynb``
    name: str
    title: str
    #: its first paragraph after the title (the question it asks)
    question: str
    #: whether it took the study parameters
    parameterised: bool
    #: ``"ok"`` or ``"failed: <error>"``
    status: str
    seconds: float
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    #: sections that said what the data lack: dicts with ``section``, ``sentence``
    gaps: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass
class StudyReport:
    """What :func:`run_study` wrote."""

    out: Path
    runs: list

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.runs)


def research_notebooks(folder=NOTEBOOKS) -> list[Path]:
    """The notebooks of ``folder`` (not its subfolders) that have a ``parameters`` cell."""
    import nbformat

    found = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells):
            found.append(path)
    return found


def _all_notebooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def run_study(corpus=None, *, out, labels=None, follows=None, event_date=None, event_name=None,
              seed: int | None = None, overwrite: bool = False, workers: int = 2,
              timeout: int = 600, notebooks=None, everything: bool | None = None,
              progress=print) -> StudyReport:
    """Execute the research notebooks on ``corpus`` and write the report to ``out``.

    Parameters
    ----------
    corpus : None or path
        ``None``: the bundled synthetic study. Otherwise a folder written by
        ``kopiresearch load`` or crawl files / a folder of crawls.
    out : path
        The report folder. An existing one is replaced only with ``overwrite=True``.
    labels, follows, event_date, event_name, seed
        The study parameters (see :func:`kopiresearch.study.open_study`). Those left
        ``None`` are not injected, so each notebook keeps its own default (``seed``: each
        notebook's own ``SEED``).
    workers : int
        Notebooks executed at the same time (one kernel each). Each kernel's numba code runs
        on :func:`kernel_threads` threads (``NUMBA_NUM_THREADS``, unless that is set already).
    timeout : int
        Seconds a cell may take.
    notebooks : list of paths, optional
        Execute these notebooks instead of the research notebooks of the project.
    everything : bool, optional
        Also execute the notebooks without parameters (the loading tutorial, the teaching
        labs). Default: only for the bundled study.
    progress : callable
        Called with one line per finished notebook (``None``: silent).

    Returns
    -------
    StudyReport
        Its ``ok`` is false when a notebook failed (the report is still written).
    """
    from .study import open_study

    out = Path(out).resolve()  # the kernels run in the notebooks' folder: OUT must be absolute
    if out.exists() and not overwrite:
        raise KopiresearchError(f"{out} exists; choose another --out or pass --overwrite")
    partial = out.with_name(out.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir(parents=True)
    try:
        corpus_param = None
        if corpus is not None:
            corpus_param = _canonical_corpus(corpus, partial)
        study = open_study(corpus_param, labels=labels, follows=follows, event_date=event_date,
                           event_name=event_name, seed=0 if seed is None else seed)
        if corpus is not None:
            study.source = str(corpus)
        params = {"CORPUS": corpus_param, "LABELS": _abs(labels), "FOLLOWS": _abs(follows),
                  "EVENT_DATE": None if event_date is None else str(event_date),
                  "EVENT_NAME": event_name, "SEED": None if seed is None else int(seed)}
        # a parameter not given is not injected: each notebook keeps its own default (its
        # own SEED above all, with which its bundled-data checks were made)
        params = {k: v for k, v in params.items() if v is not None or k == "CORPUS"}
        folder = NOTEBOOKS
        if notebooks is None:
            chosen = research_notebooks(folder)
            if everything if everything is not None else corpus is None:
                chosen = _all_notebooks(folder)
        else:
            chosen = [Path(p).resolve() for p in notebooks]
            folder = Path(os.path.commonpath([p.parent for p in chosen]))
        if not chosen:
            raise KopiresearchError(f"no notebooks to execute under {folder}")
        previous = _previous_timings(out)
        # longest first (the LPT rule): the report's wall time is then close to the longest
        # notebook or to the total divided by the workers, whichever is larger
        estimate = {p: previous.get(str(p.relative_to(folder)), expected_seconds(p))
                    for p in chosen}
        order = sorted(chosen, key=lambda p: -estimate[p])  # stable: ties keep their order
        threads = kernel_threads(workers)
        jobs = {p: (str(p), str(folder), str(partial), params, timeout, threads) for p in order}
        done = {}
        with ProcessPoolExecutor(max_workers=max(1, int(workers))) as pool:
            futures = {pool.submit(_execute_one, jobs[p]): p for p in order}
            for future in as_completed(futures):
                run = done[futures[future]] = future.result()
                if progress is not None:
                    progress(f"{'ok' if run.ok else 'FAILED':>6}  {run.seconds:6.1f} s  "
                             f"{run.name}" + ("" if run.ok else f"  ({run.status})"))
        runs = [done[p] for p in chosen]  # the index lists the notebooks in their own order
        _write_index(partial, study, runs, params)
        (partial / "timings.json").write_text(json.dumps(
            {r.name: round(r.seconds, 2) for r in runs}, indent=1) + "\n", encoding="utf-8")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    if out.exists():
        shutil.rmtree(out)
    partial.rename(out)
    return StudyReport(out=out, runs=runs)


def kernel_threads(workers: int, cores: int | None = None) -> int:
    """Threads for the numba code of each of ``workers`` kernels running at once on ``cores``
    (default: the cores this process may use): ``cores // workers``, at least 1.

    Every kernel that runs at the same time as another would otherwise start one numba
    thread per core, so two notebooks on two cores ran four threads that waited for each
    other: the same results (each Monte-Carlo run and RR set draws from its own random
    stream, whatever thread runs it) for more CPU time (notebook 04's strategy comparison,
    on a machine with other work: 20.6-21.3 s with two threads, 17.1-19.3 s with one;
    benchmarks/RESULTS.md, "`make report` on the bundled data").

    Examples
    --------
    >>> kernel_threads(2, cores=2), kernel_threads(2, cores=8), kernel_threads(4, cores=2)
    (1, 4, 1)
    """
    if cores is None:
        try:
            cores = len(os.sched_getaffinity(0))
        except AttributeError:  # not on every platform
            cores = os.cpu_count() or 1
    return max(1, int(cores) // max(1, int(workers)))


def expected_seconds(path) -> float:
    """How long a notebook took when its stored outputs were made: the sum of its cells'
    execution times as Jupyter records them (``metadata.execution``), 0 when not recorded.

    :func:`run_study` starts the longest notebooks first; a report written before
    (``timings.json`` of the ``out`` being replaced) gives better estimates and is used
    instead when present.
    """
    import nbformat

    total = 0.0
    for cell in nbformat.read(path, as_version=4).cells:
        times = cell.get("metadata", {}).get("execution", {})
        try:
            start = datetime.fromisoformat(times["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(times["shell.execute_reply"].replace("Z", "+00:00"))
        except (KeyError, TypeError, ValueError):
            continue
        total += max(0.0, (end - start).total_seconds())
    return total


def _previous_timings(out: Path) -> dict:
    try:
        found = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): float(v) for k, v in found.items() if isinstance(v, (int, float))} \
        if isinstance(found, dict) else {}


def _abs(path):
    return None if path is None else str(Path(path).resolve())


def _canonical_corpus(corpus, partial: Path) -> str:
    """The corpus folder the notebooks read: the given one if it holds canonical tables, else
    the crawls loaded once (:func:`kopiresearch.io.load_any`) and written to
    ``<report>/corpus``."""
    from .io import load_any, write_corpus
    from .io.tables import is_corpus_folder

    path = Path(corpus)
    if not path.exists():
        raise KopiresearchError(f"{path}: no such corpus file or folder")
    if is_corpus_folder(path):
        return str(path.resolve())
    data = load_any([path])
    data.meta["source"] = str(path)
    write_corpus(data, partial / "corpus")
    return str((partial / "corpus").resolve())


def _execute_one(job) -> NotebookRun:
    """Execute one notebook with papermill and write its .ipynb and two HTML versions."""
    import nbformat
    import papermill

    src, folder, partial, params, timeout, threads = job
    src, folder, partial = Path(src), Path(folder), Path(partial)
    rel = src.relative_to(folder)
    stem = rel.with_suffix("")
    nb = nbformat.read(src, as_version=4)
    parameterised = any("parameters" in c.get("metadata", {}).get("tags", [])
                        for c in nb.cells)
    artifacts = partial / stem
    target = partial / "notebooks" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("KOPIRESEARCH_PROGRESS", "0")
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("NUMBA_NUM_THREADS", str(threads))  # the kernel inherits it
    started = time.perf_counter()
    status = "ok"
    # the kernel is stopped at once when the last cell is done: a graceful shutdown waits
    # about a second per notebook for a kernel that has nothing left to do
    options = dict(kernel_name="python3", language="python", cwd=str(src.parent),
                   progress_bar=False, log_output=False, request_save_on_cell_execute=False,
                   execution_timeout=timeout, shutdown_kernel="immediate")
    try:
        # OUT: where this notebook's figures and tables go (moved with the report at the end)
        papermill.execute_notebook(
            str(src), str(target), **options,
            parameters={**params, "OUT": str(artifacts)} if parameterised else None)
    except Exception as exc:  # noqa: BLE001 - every notebook is reported, then the run fails
        status = f"failed: {_error_line(exc)}"
    seconds = time.perf_counter() - started
    executed = nbformat.read(target, as_version=4) if target.exists() else nb
    _write_html(executed, target.with_suffix(".html"), code=True)
    _write_html(executed, target.with_name(target.stem + ".nocode.html"), code=False)
    figures = sorted(str(p.relative_to(partial)) for p in (artifacts / "figures").glob("*.png"))
    tables = sorted(str(p.relative_to(partial)) for p in (artifacts / "tables").glob("*.csv"))
    gaps_file = artifacts / "gaps.json"
    gaps = json.loads(gaps_file.read_text(encoding="utf-8")) if gaps_file.exists() else []
    title, question = _title_and_question(nb)
    return NotebookRun(name=str(rel), title=title, question=question,
                       parameterised=parameterised, status=status, seconds=seconds,
                       figures=figures, tables=tables, gaps=gaps)


def _error_line(exc) -> str:
    name = getattr(exc, "ename", None) or type(exc).__name__
    value = getattr(exc, "evalue", None) or str(exc)
    line = f"{name}: {value}".strip().splitlines()
    return line[0][:300] if line else name


def _write_html(nb, path: Path, *, code: bool) -> None:
    exporter, highlight = _exporter(code)
    info = nb.metadata.get("language_info", {})
    highlight.pygments_lexer = info.get("pygments_lexer", info.get("name")) or "ipython3"
    body, _ = exporter.from_notebook_node(nb)
    path.write_text(body, encoding="utf-8")


_EXPORTERS: dict = {}


class _Highlighted(str):
    """Code highlighted by Pygments (which escapes its text): HTML that needs no sanitising."""


def _exporter(code: bool):
    """The HTML exporter (with or without code) of this process and its code highlighter,
    made once: a worker converts several notebooks, and the templates are loaded and
    compiled only once.

    The lab template passes highlighted code through ``clean_html`` (bleach) whatever
    ``sanitize_html`` says: about half the conversion time of a notebook, spent on HTML that
    Pygments has already escaped. That one use is skipped (the page is the same byte for
    byte); every other ``clean_html`` of the template still sanitises."""
    if code not in _EXPORTERS:
        from nbconvert import HTMLExporter
        from nbconvert.filters.highlight import Highlight2HTML
        from nbconvert.filters.strings import clean_html

        exporter = HTMLExporter() if code else HTMLExporter(
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
        highlight = Highlight2HTML(parent=exporter)
        exporter.filters = {
            "highlight_code": lambda *a, **k: _Highlighted(highlight(*a, **k)),
            "clean_html": lambda html: str(html) if isinstance(html, _Highlighted)
            else clean_html(html)}
        _EXPORTERS[code] = exporter, highlight
    return _EXPORTERS[code]


def _title_and_question(nb) -> tuple[str, str]:
    title, question = "", ""
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        lines = cell.source.splitlines()
        for i, line in enumerate(lines):
            if line.startswith("#") and not title:
                title = line.lstrip("#").strip()
                rest = "\n".join(lines[i + 1:]).strip().split("\n\n")[0]
                question = _plain(" ".join(rest.split()))
                break
        if title:
            break
    return title, question


def _plain(markdown: str) -> str:
    """A Markdown sentence as plain text: emphasis and code marks removed, and a leading
    "Question." label (the notebooks' convention) dropped."""
    text = re.sub(r"(\*\*|__|\*|`)", "", markdown)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [link](url) -> link
    return re.sub(r"^(Questions?|Pertanyaan)\.\s*", "", text).strip()


# ----------------------------------------------------------------------------- the index page
_CSS = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2433;
 max-width:60rem;margin:2rem auto;padding:0 1.2rem;background:#fbfaf7}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #d9d3c7;
 padding-bottom:.2rem}.lead{color:#4a5568;font-size:1.05rem}
.card{background:#fff;border:1px solid #e2ddd3;border-radius:8px;padding:1rem 1.2rem;
 margin:.8rem 0}.warn{border-left:5px solid #b45309}.gap{border-left:5px solid #64748b}
.fail{border-left:5px solid #b91c1c}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f3efe7}a{color:#0f5f8c}pre{white-space:pre-wrap;font-size:.85rem;
 background:#f6f4ef;padding:.6rem;border-radius:6px}.muted{color:#6b7280;font-size:.9rem}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));gap:.8rem}
.gallery figure{margin:0;background:#fff;border:1px solid #e2ddd3;border-radius:6px;
 padding:.4rem}.gallery img{width:100%;height:auto}.gallery figcaption{font-size:.8rem}
.badge{display:inline-block;padding:0 .5rem;border-radius:1rem;font-size:.8rem;
 background:#e6f4ea;color:#14532d}.badge.bad{background:#fde8e8;color:#7f1d1d}
"""


def _e(text) -> str:
    return html.escape(str(text))


def _write_index(partial: Path, study, runs: list, params: dict) -> None:
    corpus = study.corpus
    report = corpus.report
    whose = ("the bundled <b>synthetic</b> East Java data set (invented accounts with planted "
             "effects, so that every method can be checked against the truth)"
             if study.bundled else f"your corpus <code>{_e(study.source)}</code>")
    parts = [f"<!doctype html><html lang='en'><meta charset='utf-8'>"
             f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
             f"<title>kopiresearch study report</title><style>{_CSS}</style><body>",
             "<h1>How government information spreads: the study report</h1>",
             f"<p class='lead'>This report ran the kopiresearch notebooks on {whose}. Each "
             "notebook answers one research question; open it <b>without code</b> to read the "
             "findings, or <b>with code</b> to see how every number was computed.</p>"]
    failed = [r for r in runs if not r.ok]
    if failed:
        items = "".join(f"<li>{_e(r.name)}: {_e(r.status)}</li>" for r in failed)
        parts.append(f"<div class='card fail'><b>{len(failed)} notebook(s) failed</b>; their "
                     f"pages show the error.<ul>{items}</ul></div>")
    # notebooks
    parts.append("<h2>The questions</h2><table><tr><th>notebook</th><th>question</th>"
                 "<th>read</th><th>status</th></tr>")
    for r in runs:
        base = f"notebooks/{Path(r.name).with_suffix('')}"
        links = (f"<a href='{_e(base)}.nocode.html'>without code</a> · "
                 f"<a href='{_e(base)}.html'>with code</a> · "
                 f"<a href='{_e(base)}.ipynb'>notebook</a>")
        extra = []
        if r.figures:
            extra.append(f"{len(r.figures)} figures")
        if r.tables:
            extra.append(f"{len(r.tables)} tables")
        badge = ("<span class='badge'>ok</span>" if r.ok
                 else "<span class='badge bad'>failed</span>")
        parts.append(f"<tr><td><b>{_e(r.title or r.name)}</b><br><span class='muted'>"
                     f"{_e(r.name)}</span></td><td>{_e(r.question)}</td><td>{links}"
                     f"<br><span class='muted'>{_e(', '.join(extra))}</span></td>"
                     f"<td>{badge}</td></tr>")
    parts.append("</table>")
    # the data
    parts.append("<h2>The data</h2><div class='card'><pre>"
                 f"{_e(study.describe())}</pre></div>")
    parts.append("<h3>Load report</h3><p>Every row read is accounted for: rows read = loaded "
                 "+ duplicates + malformed.</p>"
                 f"<div class='card'><pre>{_e(report.describe(max_rows=10))}</pre></div>")
    if report.warnings:
        parts.append(f"<h3>What the crawl cannot tell ({len(report.warnings)} warnings)</h3>")
        for w in report.warnings:
            parts.append(f"<div class='card warn'><b>{_e(w.file)}</b>: {_e(w.problem)}<br>"
                         f"<b>Affects:</b> {_e(w.affects)}.<br><b>What to do:</b> "
                         f"{_e(w.fix)}</div>")
    gaps = [(r, g) for r in runs for g in r.gaps]
    parts.append("<h2>What these data could not answer</h2>")
    if gaps:
        parts.append("<p>Sections of the notebooks that need data this corpus does not have. "
                     "Each says how to supply them.</p>")
        for r, g in gaps:
            parts.append(f"<div class='card gap'><b>{_e(g['section'])}</b> "
                         f"<span class='muted'>({_e(r.title or r.name)})</span><br>"
                         f"{_e(g['sentence'])}</div>")
    else:
        parts.append("<p>Every section of every notebook could be answered.</p>")
    # figures and tables
    figures = [f for r in runs for f in r.figures]
    if figures:
        parts.append("<h2>Figures</h2><p>PNG for slides, SVG for print.</p>"
                     "<div class='gallery'>")
        for f in figures:
            svg = str(Path(f).with_suffix(".svg"))
            parts.append(f"<figure><a href='{_e(f)}'><img src='{_e(f)}' loading='lazy' "
                         f"alt='{_e(Path(f).stem)}'></a><figcaption>{_e(Path(f).stem)} "
                         f"(<a href='{_e(svg)}'>SVG</a>)</figcaption></figure>")
        parts.append("</div>")
    tables = [t for r in runs for t in r.tables]
    if tables:
        parts.append("<h2>Tables</h2><ul>" + "".join(
            f"<li><a href='{_e(t)}'>{_e(t)}</a></li>" for t in tables) + "</ul>")
    shown = {k: v for k, v in params.items() if v is not None}
    parts.append("<h2>How this report was made</h2><div class='card'><pre>"
                 f"{_e(json.dumps(shown, indent=1, ensure_ascii=False))}</pre>"
                 "<p class='muted'>Rerun: <code>kopiresearch study"
                 f"{'' if study.bundled else ' ' + _e(study.source)} --out DIR</code> with the "
                 "same parameters gives the same numbers (every random step uses the seed).</p>"
                 "</div></body></html>\n")
    (partial / "index.html").write_text("\n".join(parts), encoding="utf-8")


def check_report(folder) -> list[str]:
    """Problems of a written report: a missing index, notebook page, figure or table.

    Returns the list of problems (empty when the report is complete).
    """
    folder = Path(folder)
    problems = []
    index = folder / "index.html"
    if not index.exists():
        return [f"{index} is missing"]
    text = index.read_text(encoding="utf-8")
    for href in sorted(set(re.findall(r"(?:href|src)='([^']+)'", text))):
        if not (folder / html.unescape(href)).exists():
            problems.append(f"index.html links {href}, which is missing")
        if href.endswith(".png") and not (folder / html.unescape(href)).with_suffix(
                ".svg").exists():
            problems.append(f"{href} has no SVG")
    if "badge bad" in text:
        problems.append("a notebook failed (see index.html)")
    return problems
