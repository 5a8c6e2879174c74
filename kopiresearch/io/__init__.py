"""Reading and writing corpora: canonical tables on disk and loaders of real crawls.

Every loader returns a :class:`kopiresearch.Corpus` whose ``report`` accounts for every row.
"""

from .tables import read_corpus, write_corpus

__all__ = ["read_corpus", "write_corpus"]
