"""requirements.lock (what `make install` installs) matches pyproject.toml (issue 14, item 17)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lock_tool", ROOT / "tools" / "lock.py")
lock_tool = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lock_tool)


def test_lock_matches_pyproject():
    assert lock_tool.check() == []


def test_check_sees_a_changed_dependency_and_a_pin_out_of_range(tmp_path):
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    changed = tmp_path / "pyproject.toml"
    changed.write_text(pyproject.replace('"numpy>=1.26",', '"numpy>=1.26",\n    "rich>=13",'),
                       encoding="utf-8")
    problems = lock_tool.check(pyproject=changed)
    assert any("changed since the lock" in p for p in problems)
    assert any(p.startswith("rich is not pinned") for p in problems)
    lock = tmp_path / "requirements.lock"
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    version = lock_tool.pins(text)["numpy"][0]
    lock.write_text(text.replace(f"numpy=={version}", "numpy==1.20.0"), encoding="utf-8")
    assert lock_tool.check(lock=lock) == ["numpy==['1.20.0'] is outside >=1.26"]


def test_installed_versions_are_the_locked_ones():
    """In the .venv that `make` builds, the libraries are the locked versions."""
    import sys
    from importlib.metadata import PackageNotFoundError, version

    import pytest

    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip("not the make-built .venv (conda or another environment)")
    pinned = lock_tool.pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    for name in ("numpy", "pandas", "networkx", "matplotlib", "pyarrow", "scipy"):
        try:
            installed = version(name)
        except PackageNotFoundError:  # pragma: no cover
            continue
        assert installed in pinned[name], (name, installed, pinned[name])
