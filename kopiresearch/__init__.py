"""kopiresearch: interaction graphs and diffusion measures for government social media research.

The public entry points::

    import kopiresearch as kr
    corpus = kr.load_bundled()                 # the synthetic East Java data set
    G = kr.build_interaction_graph(corpus)     # accounts -> accounts they engage
    R = kr.region_graph(G, level="bakorwil")   # quotient graph by region
    kr.metrics.account_table(G)                # submodules load on first use

The submodules (``kr.metrics``, ``kr.cascades``, ``kr.diffusion``, ``kr.seeding``,
``kr.plot``, ``kr.io``, ``kr.study``, ``kr.text``, ``kr.coordination``, ...) are imported the
first time they are named (PEP 562), and so are the names above (``kr.Corpus``,
``kr.load_bundled``, ...): ``import kopiresearch`` loads neither pandas nor numba nor
matplotlib and reads no file.
"""

import importlib

from .errors import KopiresearchError

#: The names of ``__all__`` and the submodule each comes from: like the submodules they are
#: imported on first use, so ``import kopiresearch`` imports neither pandas nor pyarrow.
_NAMES = {
    **dict.fromkeys(("ACTOR_TYPES", "GOVERNMENT_TYPES", "INTERACTION_KINDS", "PLATFORMS",
                     "POST_KINDS", "Corpus", "LoadReport", "MalformedRow"), "corpus"),
    **dict.fromkeys(("build_interaction_graph", "edge_table", "node_table", "region_graph"),
                    "graph"),
    **dict.fromkeys(("load_bundled", "load_ground_truth"), "synth"),
}

__all__ = [
    "ACTOR_TYPES",
    "GOVERNMENT_TYPES",
    "INTERACTION_KINDS",
    "PLATFORMS",
    "POST_KINDS",
    "Corpus",
    "LoadReport",
    "MalformedRow",
    "KopiresearchError",
    "build_interaction_graph",
    "region_graph",
    "node_table",
    "edge_table",
    "load_bundled",
    "load_ground_truth",
]

#: Public submodules, imported on first attribute access (``kr.metrics``).
SUBMODULES = ("cascades", "claims", "coordination", "corpus", "diffusion", "errors", "export",
              "grading", "graph", "io", "metrics", "plot", "regions", "scale", "seeding",
              "study", "synth", "teaching", "text")

__version__ = "0.1.0"


def __getattr__(name):
    if name in SUBMODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _NAMES:
        value = getattr(importlib.import_module(f".{_NAMES[name]}", __name__), name)
        globals()[name] = value  # found directly from now on
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted([*__all__, *SUBMODULES, "SUBMODULES", "__version__"])
