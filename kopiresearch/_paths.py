"""Where the bundled data lives (resolved from the package, never from the working directory)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DataNotFoundError

__all__ = ["data_dir", "data_path"]


def data_dir() -> Path:
    """The project's ``data/`` folder.

    ``KOPIRESEARCH_DATA`` overrides it; otherwise it is ``data/`` beside the package in a
    source checkout (the package is installed editable, as the Makefile and
    ``environment.yml`` do).
    """
    env = os.environ.get("KOPIRESEARCH_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data"


def data_path(*parts: str) -> Path:
    """A file under :func:`data_dir`; a clear error if it is not there."""
    path = data_dir().joinpath(*parts)
    if not path.exists():
        raise DataNotFoundError(
            f"bundled data file {'/'.join(parts)} not found under the data folder; install the "
            "package from a source checkout (pip install -e .) or set KOPIRESEARCH_DATA")
    return path
