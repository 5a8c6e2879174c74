"""Shared docstring text (kopiresearch._docs): every ``{{name}}`` line is filled, every block
is used."""

import importlib
import inspect
import pkgutil
from pathlib import Path

import kopiresearch
from kopiresearch._docs import _PLACE, DOCS

_ROOT = Path(kopiresearch.__file__).parent


def _modules():
    yield kopiresearch
    for info in pkgutil.walk_packages(kopiresearch.__path__, "kopiresearch."):
        if "_vendor" not in info.name:
            yield importlib.import_module(info.name)


def _documented(module):
    """The functions, classes and methods defined in ``module`` (name, object)."""
    for name, obj in vars(module).items():
        if not (inspect.isfunction(obj) or inspect.isclass(obj)):
            continue
        if getattr(obj, "__module__", None) != module.__name__:
            continue
        yield f"{module.__name__}.{name}", obj
        if inspect.isclass(obj):
            for attr, value in vars(obj).items():
                value = value.fget if isinstance(value, property) else value
                value = getattr(value, "__func__", value)
                if inspect.isfunction(value):
                    yield f"{module.__name__}.{name}.{attr}", value


def test_no_docstring_keeps_a_placeholder():
    # a {{name}} line in a function without @fill_doc would reach help() and Sphinx as is
    left = [name for module in _modules() for name, obj in _documented(module)
            if obj.__doc__ and _PLACE.search(obj.__doc__)]
    assert left == []


def test_every_block_is_used():
    source = "\n".join(p.read_text(encoding="utf-8") for p in _ROOT.rglob("*.py")
                       if p.name != "_docs.py")
    unused = [name for name in DOCS if "{{" + name + "}}" not in source]
    assert unused == []


def test_returned_types_named_in_docstrings_exist():
    # a typo in a shared Returns block (matplotlib.axes.Axis) would reach every figure's help
    import re

    named = {}
    for module in _modules():
        for name, obj in _documented(module):
            doc = inspect.getdoc(obj) or ""
            m = re.search(r"^Returns\n-------\n(\S+)", doc, flags=re.MULTILINE)
            if m and m.group(1).startswith("matplotlib."):
                named.setdefault(m.group(1), []).append(name)
    assert named, "no figure function documents what it returns"
    missing = []
    for path, users in named.items():
        module, _, attr = path.rpartition(".")
        if not hasattr(importlib.import_module(module), attr):
            missing.append((path, users[:3]))
    assert missing == []
