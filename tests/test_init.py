"""The package namespace: lazy submodules (PEP 562), no heavy import and no file read on import."""

import subprocess
import sys

import pytest

import kopiresearch as kr


def _run(code, **env):
    import os

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, **env}, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_import_loads_neither_numba_nor_matplotlib():
    # a fresh interpreter: this test process has imported both already
    loaded = _run("import sys, kopiresearch\n"
                  "print(sorted(m for m in ('numba', 'matplotlib', 'kopiresearch.cascades',"
                  " 'kopiresearch.diffusion', 'kopiresearch.plot') if m in sys.modules))")
    assert loaded == "[]"


def test_submodules_load_on_first_use():
    loaded = _run("import sys, kopiresearch as kr\n"
                  "kr.diffusion.simulate\n"
                  "print('numba' in sys.modules, 'matplotlib' in sys.modules)")
    assert loaded == "True False"


def test_import_reads_no_file(tmp_path):
    # an empty data folder: importing every submodule must still work (data is read on use)
    names = ", ".join(repr(m) for m in kr.SUBMODULES if m != "plot")
    code = ("import importlib\n"
            f"for m in [{names}]: importlib.import_module('kopiresearch.' + m)\n"
            "import kopiresearch.regions as r\n"
            "try:\n    r.region_table()\nexcept Exception as e:\n    print(type(e).__name__)")
    assert _run(code, KOPIRESEARCH_DATA=str(tmp_path)) == "DataNotFoundError"


@pytest.mark.parametrize("name", ["metrics", "cascades", "diffusion", "seeding", "plot", "io",
                                  "study", "text", "coordination"])
def test_namespace_names_the_submodules(name):
    import importlib

    assert getattr(kr, name) is importlib.import_module(f"kopiresearch.{name}")
    assert name in dir(kr)


def test_private_modules_and_unknown_names_are_not_listed():
    assert "_paths" not in dir(kr)
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        kr.nonsense  # noqa: B018


#: What the first simulation of a fresh process does not need (issue 19, item 4).
HEAVY = ("pandas", "pyarrow", "matplotlib", "kopiresearch.corpus", "kopiresearch.regions")


def test_first_simulation_imports_no_pandas():
    # the path of benchmarks/bench_first_use.py: the package, simulate and its first result
    loaded = _run("import sys, networkx as nx, kopiresearch\n"
                  "from kopiresearch.diffusion import simulate\n"
                  "r = simulate(nx.DiGraph([(1, 2), (2, 3), (3, 4)]), [1], p=0.5, runs=100,"
                  " seed=1, progress=False)\n"
                  "print(r.runs, r.seeds, r.spreads.min() >= 1, sorted(m for m in"
                  f" {HEAVY!r} if m in sys.modules))", KOPIRESEARCH_PROGRESS="0")
    assert loaded == "100 (1,) True []"


def test_namespace_names_load_on_first_use():
    loaded = _run("import sys, kopiresearch as kr\n"
                  "print('pandas' in sys.modules, 'kopiresearch.corpus' in sys.modules)\n"
                  "from kopiresearch import Corpus\n"
                  "import kopiresearch.corpus as c, kopiresearch.graph as g\n"
                  "print(Corpus is c.Corpus is kr.Corpus, kr.region_graph is g.region_graph,"
                  " kr.load_bundled.__module__, kr.POST_KINDS is c.POST_KINDS)")
    assert loaded.splitlines() == ["False False", "True True kopiresearch.synth True"]


def test_namespace_lists_every_name_of_all():
    for name in kr.__all__:
        assert getattr(kr, name) is not None
        assert name in dir(kr)
