"""kopiresearch.report / `kopiresearch study`: notebooks executed on a corpus, report written.

These tests use a small notebook written here that follows the study conventions, so that they
check the runner (parameters, outputs, index, failures, atomic output) in seconds.
``tests/test_study_command.py`` runs the project's own research notebooks on non-bundled
corpora.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from kopiresearch.errors import KopiresearchError
from kopiresearch.io import example_path
from kopiresearch.report import check_report, research_notebooks, run_study

PARAMETERS = ("CORPUS = None\nLABELS = None\nFOLLOWS = None\nEVENT_DATE = None\n"
              "EVENT_NAME = None\nSEED = 7\nOUT = None")


def tiny_notebook(path, *, fail=False):
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [
        new_markdown_cell("# 99 — A tiny study\n\n**Question.** How many accounts are there, "
                          "and are any of them government?\n\nMore text."),
        new_code_cell("import matplotlib.pyplot as plt\nfrom kopiresearch.study import "
                      "open_study"),
        new_code_cell(PARAMETERS, metadata={"tags": ["parameters"]}),
        new_code_cell("study = open_study(CORPUS, labels=LABELS, follows=FOLLOWS, "
                      "event_date=EVENT_DATE, event_name=EVENT_NAME, seed=SEED, out=OUT)\n"
                      "print(study)"),
        new_code_cell("fig, ax = plt.subplots()\nax.bar(['accounts'], "
                      "[len(study.corpus.accounts)])\nstudy.figure(fig, 'accounts')\n"
                      "plt.show()\nstudy.table(study.corpus.accounts[['handle']], 'handles')\n"
                      "if not study.has_government:\n    study.missing('Offices', 'No account "
                      "is labelled as government.', 'Pass LABELS.')\n"
                      "print('EVENT', study.event_name, 'SEED', study.seed)"),
    ]
    if fail:
        nb.cells.append(new_code_cell("raise ValueError('planted failure')"))
    nbformat.write(nb, path)
    return path


@pytest.fixture
def notebook(tmp_path):
    return tiny_notebook(tmp_path / "99-tiny.ipynb")


def executed_text(out, name="99-tiny"):
    nb = nbformat.read(out / "notebooks" / f"{name}.ipynb", as_version=4)
    return "\n".join(o.get("text", "") + json.dumps(o.get("data", {}))
                     for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_a_twitter_crawl_gives_a_complete_report(tmp_path, notebook):
    out = tmp_path / "report"
    result = run_study(example_path("tweet_harvest_2.6.1.csv"), out=out, notebooks=[notebook],
                       event_date="2024-11-27 08:30+07:00", event_name="Kopdar", seed=11,
                       workers=1, progress=None)
    assert result.ok and check_report(out) == []
    run, = result.runs
    assert run.figures == ["99-tiny/figures/accounts.png"]
    assert run.tables == ["99-tiny/tables/handles.csv"]
    assert run.gaps == [{"section": "Offices",
                         "sentence": "No account is labelled as government. Pass LABELS."}]
    assert run.title == "99 — A tiny study"
    assert run.question.startswith("How many accounts are there")
    assert "**" not in run.question
    for name in ("99-tiny.ipynb", "99-tiny.html", "99-tiny.nocode.html"):
        assert (out / "notebooks" / name).exists()
    # the crawl was loaded once into the report and the notebook read it from there
    assert (out / "corpus" / "accounts.parquet").exists()
    text = executed_text(out)
    assert "EVENT Kopdar SEED 11" in text
    nocode = (out / "notebooks" / "99-tiny.nocode.html").read_text(encoding="utf-8")
    withcode = (out / "notebooks" / "99-tiny.html").read_text(encoding="utf-8")
    assert ">open_study<" in withcode and "open_study" not in nocode
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "tweet_harvest_2.6.1.csv" in index and "rows read" in index
    assert "without code" in index and "Offices" in index and "Kopdar" in index
    assert not (tmp_path / "report.partial").exists()


def test_a_failing_notebook_is_reported(tmp_path):
    bad = tiny_notebook(tmp_path / "98-bad.ipynb", fail=True)
    good = tiny_notebook(tmp_path / "99-tiny.ipynb")
    result = run_study(example_path("tweet_harvest_2.6.1.csv"), out=tmp_path / "r2",
                       notebooks=[bad, good], workers=2, progress=None)
    assert not result.ok
    bad_run = next(r for r in result.runs if r.name == "98-bad.ipynb")
    assert bad_run.status.startswith("failed: ValueError: planted failure")
    assert next(r for r in result.runs if r.name == "99-tiny.ipynb").ok
    # no seed given: the notebook keeps its own SEED (its checks were made with it)
    assert "EVENT None SEED 7" in executed_text(tmp_path / "r2")
    assert "a notebook failed (see index.html)" in check_report(tmp_path / "r2")
    assert "planted failure" in (tmp_path / "r2" / "notebooks" / "98-bad.html").read_text(
        encoding="utf-8")


def test_an_existing_report_needs_overwrite(tmp_path, notebook):
    out = tmp_path / "r"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(KopiresearchError, match="--overwrite"):
        run_study(example_path("tweet_harvest_2.6.1.csv"), out=out, notebooks=[notebook],
                  progress=None)
    assert (out / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_bad_parameter_fails_before_any_notebook_and_leaves_nothing(tmp_path, notebook):
    out = tmp_path / "r"
    with pytest.raises(KopiresearchError, match="outside the corpus's period"):
        run_study(example_path("tweet_harvest_2.6.1.csv"), out=out, notebooks=[notebook],
                  event_date="2001-01-01", progress=None)
    assert not out.exists() and not (tmp_path / "r.partial").exists()


def test_a_relative_out_and_check_report_finds_a_missing_figure(tmp_path, monkeypatch):
    # a relative --out (as `make report` gives): the kernels run in the notebooks' folder,
    # so the figures must still land in the report
    (tmp_path / "nbs").mkdir()
    notebook = tiny_notebook(tmp_path / "nbs" / "99-tiny.ipynb")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "r"
    result = run_study(example_path("tweet_harvest_2.6.1.csv"), out="r", notebooks=[notebook],
                       workers=1, progress=None)
    assert result.runs[0].figures == ["99-tiny/figures/accounts.png"]
    assert (out / "99-tiny" / "figures" / "accounts.png").exists()
    assert check_report(out) == []
    (out / "99-tiny" / "figures" / "accounts.svg").unlink()
    assert check_report(out) == ["99-tiny/figures/accounts.png has no SVG",
                                 "index.html links 99-tiny/figures/accounts.svg, which is missing"]


def test_the_research_notebooks_take_parameters():
    names = [p.stem for p in research_notebooks()]
    assert {"01-data-tour", "02-two-way-communication", "03-regional-spread",
            "04-influencer-partnerships"} <= set(names)
    assert "05-bring-your-own-data" not in names


def timed(path, seconds):
    """Give every code cell of a notebook a recorded execution time (as Jupyter stores it)."""
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    for c in code:
        c.metadata["execution"] = {"iopub.execute_input": "2026-01-01T00:00:00.000000Z",
                                   "shell.execute_reply":
                                   f"2026-01-01T00:00:{seconds / len(code):09.6f}Z"}
    nbformat.write(nb, path)
    return path


def test_the_longest_notebook_starts_first_and_the_index_keeps_their_order(tmp_path,
                                                                           monkeypatch):
    from kopiresearch.report import expected_seconds

    short = tiny_notebook(tmp_path / "97-short.ipynb")
    long = timed(tiny_notebook(tmp_path / "98-long.ipynb"), 8.0)
    assert expected_seconds(short) == 0 and expected_seconds(long) == pytest.approx(8.0)
    monkeypatch.chdir(tmp_path)  # relative notebook paths, as on a command line
    lines = []
    out = tmp_path / "r"
    result = run_study(example_path("tweet_harvest_2.6.1.csv"), out=out,
                       notebooks=["97-short.ipynb", "98-long.ipynb"], workers=1,
                       progress=lines.append)
    assert [line.split()[-1] for line in lines] == ["98-long.ipynb", "97-short.ipynb"]
    assert [r.name for r in result.runs] == ["97-short.ipynb", "98-long.ipynb"]
    # the next report of the same folder orders by the times this one measured
    times = json.loads((out / "timings.json").read_text(encoding="utf-8"))
    times["97-short.ipynb"] = 99.0
    (out / "timings.json").write_text(json.dumps(times), encoding="utf-8")
    lines.clear()
    run_study(example_path("tweet_harvest_2.6.1.csv"), out=out, overwrite=True,
              notebooks=["97-short.ipynb", "98-long.ipynb"], workers=1, progress=lines.append)
    assert [line.split()[-1] for line in lines] == ["97-short.ipynb", "98-long.ipynb"]


def test_the_page_with_code_is_what_nbconvert_writes(tmp_path, notebook):
    # the report skips bleach on Pygments' highlighted code: the page must not change
    from nbconvert import HTMLExporter

    out = tmp_path / "r"
    run_study(example_path("tweet_harvest_2.6.1.csv"), out=out, notebooks=[notebook],
              workers=1, progress=None)
    executed = nbformat.read(out / "notebooks" / "99-tiny.ipynb", as_version=4)
    expected, _ = HTMLExporter().from_notebook_node(executed)
    assert (out / "notebooks" / "99-tiny.html").read_text(encoding="utf-8") == expected
    assert "<span class=\"n\">open_study</span>" in expected


def test_each_kernel_gets_its_share_of_the_cores_for_numba(tmp_path, notebook, monkeypatch):
    # two notebooks at a time on two cores: one numba thread each, not two (same results)
    from kopiresearch.report import kernel_threads

    nb = nbformat.read(notebook, as_version=4)
    nb.cells.append(new_code_cell("import os\nprint('THREADS', os.environ['NUMBA_NUM_THREADS'])"))
    nbformat.write(nb, notebook)
    monkeypatch.delenv("NUMBA_NUM_THREADS", raising=False)
    out = tmp_path / "r"
    run_study(example_path("tweet_harvest_2.6.1.csv"), out=out, notebooks=[notebook],
              workers=2, progress=None)
    assert f"THREADS {kernel_threads(2)}\n" in executed_text(out)
    monkeypatch.setenv("NUMBA_NUM_THREADS", "3")  # set by the user: kept
    run_study(example_path("tweet_harvest_2.6.1.csv"), out=out, notebooks=[notebook],
              workers=2, progress=None, overwrite=True)
    assert "THREADS 3\n" in executed_text(out)
