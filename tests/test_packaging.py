"""The project's own promises: dependencies in sync, lint clean, two-command quick start."""

import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _name(req: str) -> str:
    return re.split(r"[<>=!~ \[;]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _spec(req: str) -> str:
    return re.sub(r"\s+|\[.*?\]", "", req.strip()[len(_name(req)):])


def _conda_deps():
    deps, in_pip, in_deps = [], False, False
    for line in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if stripped and not stripped.startswith(" "):
            in_deps = stripped == "dependencies:"
            continue
        if not in_deps or not stripped.strip().startswith("- "):
            continue
        item = stripped.strip()[2:].strip()
        if item == "pip:":
            in_pip = True
            continue
        if in_pip and line.startswith("      "):
            continue  # pip section: the editable install of the package itself
        deps.append(item)
    return deps


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["dev"]
    conda = [d for d in _conda_deps() if _name(d) not in ("python", "pip")]
    assert {_name(d): _spec(d) for d in conda} == {_name(d): _spec(d) for d in wanted}
    python = [d for d in _conda_deps() if _name(d) == "python"]
    assert python == ["python" + project["requires-python"]]
    assert "- -e ." in (ROOT / "environment.yml").read_text(encoding="utf-8")


def test_ruff_is_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    if not Path(ruff).exists():
        pytest.fail("ruff is not installed; `make test` installs it with the dev extra")
    result = subprocess.run([ruff, "check", "--no-cache", str(ROOT)], capture_output=True,
                            text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_quick_start_is_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start.*?```(?:sh|bash|console)?\n(.*?)```", readme, re.S)
    assert block, "README.md needs a '## Quick start' section with a code block"
    commands = [ln for ln in block.group(1).splitlines() if ln.strip()
                and not ln.strip().startswith("#")]
    assert commands == ["make report", "make test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test$", ci, re.M)


def test_pytest_runs_notebooks_and_doctests():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    opts = config["tool"]["pytest"]["ini_options"]
    assert "--nbval" in opts["addopts"] and "--doctest-modules" in opts["addopts"]
    assert set(opts["testpaths"]) >= {"tests", "kopiresearch", "notebooks"}


def test_readme_python_snippet_runs_as_written(capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "3506 3571" in out and "Corpus(accounts=" in out


#: What the README's "Who writes files" names, as module paths under kopiresearch/.
_WRITERS = ("io/", "export.py", "scale/_edges.py", "synth.py", "study.py", "report.py",
            "plot/_style.py", "plot/_interactive.py", "grading.py", "cli.py")
_WRITE_CALLS = {"write_text", "write_bytes", "to_parquet", "savefig", "write_table",
                "write_gexf", "write_graphml", "mkdir", "rmtree", "dump"}


def _writes(path: Path) -> list[str]:
    """The calls in ``path`` that write files (docstrings and comments are not code)."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "attr", getattr(node.func, "id", ""))
        mode = next((a.value for a in node.args[1:2] if isinstance(a, ast.Constant)), "")
        mode = next((k.value.value for k in node.keywords if k.arg == "mode"
                     and isinstance(k.value, ast.Constant)), mode)
        to_file = name == "to_csv" and (node.args or any(k.arg == "path_or_buf"
                                                         for k in node.keywords))
        if name in _WRITE_CALLS or to_file or name == "open" and any(c in str(mode)
                                                                        for c in "wax"):
            found.append(f"{path.name}:{node.lineno} {name}")
    return found


def test_only_the_modules_the_readme_names_write_files():
    package = ROOT / "kopiresearch"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    who = readme[readme.index("**Who writes files.**"):readme.index("**Where to add things.**")]
    for module in ("`io`", "`export`", "`scale.write_edges`", "`synth.write_bundle`",
                   "`study`", "`report`", "`plot`", "`grading`", "`cli`"):
        assert module in who
    stray = [w for p in sorted(package.rglob("*.py")) if "_vendor" not in p.parts
             and not str(p.relative_to(package)).startswith(_WRITERS) for w in _writes(p)]
    assert stray == []
    assert _writes(package / "synth.py") and _writes(package / "plot" / "_style.py")
