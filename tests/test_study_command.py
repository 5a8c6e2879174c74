"""`kopiresearch study` runs the project's research notebooks on corpora that are not bundled.

Two corpora built from ``data/examples/`` with no ground truth: an Instagram folder
(instaloader) without labels, and a twarc2 Twitter crawl with labels and an event date. Every
research notebook must execute, every report file must exist, and every section that needs
what these corpora lack must say so. The bundled study is run by CI with ``make report``
(see ``.ci/run``).
"""

from __future__ import annotations

import re

import pytest

from kopiresearch.cli import main
from kopiresearch.io import example_path
from kopiresearch.report import check_report, research_notebooks


@pytest.mark.parametrize("corpus, extra", [
    ("instaloader", []),
    ("twarc2_search.jsonl", ["--labels", str(example_path("labels.csv")),
                             "--event-date", "2024-11-27 12:00+07:00", "--event-name", "Kopdar"]),
], ids=["instagram", "twitter-labels-event"])
def test_the_study_runs_on_a_corpus_without_ground_truth(tmp_path, corpus, extra, capsys):
    out = tmp_path / "report"
    status = main(["study", str(example_path(corpus)), "--out", str(out), *extra])
    printed = capsys.readouterr().out
    assert status == 0, printed
    assert check_report(out) == []
    for nb in research_notebooks():
        for suffix in (".ipynb", ".html", ".nocode.html"):
            assert (out / "notebooks" / (nb.stem + suffix)).exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert str(example_path(corpus).name) in index
    # these corpora lack ground truth (and the first two labels): sections say so
    assert f"{len(research_notebooks())} notebooks" in printed
    gaps = int(re.search(r"(\d+) sections said what the data lack", printed).group(1))
    assert gaps > 0  # no ground truth in any of them, at least
    assert "have no planted truth" in index  # the ground-truth sections said so
    if not extra:
        assert "labels draft" in index  # how to give accounts actor types and regions
        assert "skipped" in index  # the folder's profile metadata, listed in the load report
    else:
        assert "Kopdar" in index
