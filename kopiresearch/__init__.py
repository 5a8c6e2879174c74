"""kopiresearch: interaction graphs and diffusion measures for government social media research.

The public entry points::

    import kopiresearch as kr
    corpus = kr.load_bundled()                 # the synthetic East Java data set
    G = kr.build_interaction_graph(corpus)     # accounts -> accounts they engage
    R = kr.region_graph(G, level="bakorwil")   # quotient graph by region
"""

from .corpus import (
    ACTOR_TYPES,
    GOVERNMENT_TYPES,
    INTERACTION_KINDS,
    PLATFORMS,
    POST_KINDS,
    Corpus,
    LoadReport,
    MalformedRow,
)
from .errors import KopiresearchError
from .graph import build_interaction_graph, edge_table, node_table, region_graph
from .synth import load_bundled, load_ground_truth

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

__version__ = "0.1.0"
