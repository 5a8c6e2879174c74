"""Execute every notebook on the bundled data and write HTML copies plus an index page.

    python tools/build_report.py --out reports

Notebooks are executed in a copy (the committed ones are not modified) with the Python that
runs this script as the kernel. Exits non-zero if any notebook fails, after writing the rest.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent


def notebooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def title_of(nb) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="reports", help="output folder (default: reports)")
    parser.add_argument("--notebooks", default=str(ROOT / "notebooks"))
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    out = Path(args.out)
    src = Path(args.notebooks)
    exporter = HTMLExporter()
    rows, failures = [], []
    for path in notebooks(src):
        rel = path.relative_to(src)
        target = out / rel.with_suffix(".html")
        target.parent.mkdir(parents=True, exist_ok=True)
        nb = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        status = "ok"
        try:
            NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        except Exception as exc:  # report every notebook, then fail
            status = f"FAILED: {type(exc).__name__}"
            failures.append((rel, exc))
        seconds = time.perf_counter() - started
        body, _ = exporter.from_notebook_node(nb)
        target.write_text(body, encoding="utf-8")
        rows.append((rel, title_of(nb), status, seconds))
        print(f"{status:>8}  {seconds:6.1f} s  {rel}")
    items = "\n".join(
        f'<tr><td><a href="{html.escape(str(rel.with_suffix(".html")))}">{html.escape(str(rel))}'
        f"</a></td><td>{html.escape(title)}</td><td>{html.escape(status)}</td>"
        f"<td>{seconds:.1f} s</td></tr>" for rel, title, status, seconds in rows)
    (out / "index.html").write_text(
        "<!doctype html><meta charset='utf-8'><title>kopiresearch report</title>"
        "<h1>kopiresearch: notebooks executed on the bundled data</h1>"
        "<table border=1 cellpadding=4><tr><th>notebook</th><th>title</th><th>status</th>"
        f"<th>run time</th></tr>\n{items}\n</table>\n", encoding="utf-8")
    print(f"wrote {out / 'index.html'} ({len(rows)} notebooks)")
    for rel, exc in failures:
        print(f"{rel}: {exc}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
