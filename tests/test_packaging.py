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
