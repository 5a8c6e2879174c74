"""The small invented example crawls shipped in ``data/examples/`` (one per supported format)."""

from __future__ import annotations

from pathlib import Path

from .._paths import data_dir
from ..errors import DataNotFoundError

__all__ = ["example_path", "EXAMPLES"]

#: Example inputs and the loader that reads each.
EXAMPLES = {
    "tweet_harvest_2.6.1.csv": "read_tweet_harvest",
    "tweet_harvest_2.4.0.csv": "read_tweet_harvest",
    "tweet_harvest_2.6.1_2025.csv": "read_tweet_harvest",
    "twarc2_search.jsonl": "read_twarc2",
    "twarc_csv.csv": "read_twarc_csv",
    "snscrape_twitter.jsonl": "read_snscrape",
    "instaloader": "read_instaloader",
    "interactions_facebook.csv": "read_interactions_csv",
    "labels.csv": "label_accounts",
    "follows": "read_follows",
}


def example_path(name: str) -> Path:
    """Path of an example file or folder in ``data/examples/``.

    All accounts in the examples are invented (handles end in ``_demo``/``.demo`` or are
    ``warga_NNN``).

    Raises
    ------
    DataNotFoundError
        No example has that name.

    Examples
    --------
    >>> example_path("labels.csv").name
    'labels.csv'
    """
    path = data_dir() / "examples" / name
    if not path.exists():
        raise DataNotFoundError(f"no example {name!r} in {path.parent}; examples: "
                                + ", ".join(EXAMPLES))
    return path
