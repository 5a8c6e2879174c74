"""pytest configuration shared by unit tests, doctests and nbval notebooks."""

import os

import matplotlib

matplotlib.use("Agg")
# Notebook kernels inherit this environment: they must keep the inline backend, whose PNG
# outputs the stored notebooks contain (a backend set here would make plt.show() silent).
os.environ.pop("MPLBACKEND", None)
os.environ.setdefault("KOPIRESEARCH_PROGRESS", "0")
# The loaders' safety net (kopiresearch.io._common.guard) re-raises the original exception of
# a bug instead of reporting it as an InternalError: a bug must fail a test, never pass as a
# clean error. Tests of the user-facing message unset it with monkeypatch.
os.environ.setdefault("KOPIRESEARCH_RAISE_BUGS", "1")


def pytest_collectstart(collector):
    # A bare DataFrame renders text/html, which changes between pandas versions; notebooks
    # print tables as text, which is compared exactly. Everything else (text/plain, stderr)
    # is compared strictly.
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb" and hasattr(collector, "skip_compare"):
        collector.skip_compare += ("text/html", "application/javascript",
                                   "application/vnd.jupyter.widget-view+json")


try:  # property-based tests explore new examples locally; CI replays a fixed sequence
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        _hypothesis_settings.load_profile("ci")
except ImportError:  # pragma: no cover - hypothesis is in the dev extra
    pass
