"""The package's one random-state helper: every ``seed=`` argument goes through here."""

from __future__ import annotations

import numpy as np

from .errors import KopiresearchError

__all__ = ["resolve_rng", "stream_seeds"]


def resolve_rng(seed, *, error: type[Exception] = KopiresearchError) -> np.random.Generator:
    """A numpy Generator from ``seed``: an int, None (fresh entropy) or a Generator (used as is).

    Parameters
    ----------
    seed : int, None or numpy.random.Generator
    error : type
        The :class:`~kopiresearch.errors.KopiresearchError` subclass to raise (a module's own,
        such as :class:`~kopiresearch.errors.DiffusionError`).

    Examples
    --------
    >>> bool(resolve_rng(1).integers(10) == resolve_rng(1).integers(10))
    True
    >>> g = np.random.default_rng(0); resolve_rng(g) is g
    True
    >>> resolve_rng("x")
    Traceback (most recent call last):
    ...
    kopiresearch.errors.KopiresearchError: seed must be an int, None or a numpy.random.Generator...
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (int, np.integer)):
        return np.random.default_rng(seed)
    raise error(f"seed must be an int, None or a numpy.random.Generator, not {seed!r}")


def stream_seeds(rng: np.random.Generator, count: int) -> np.ndarray:
    """``count`` seeds of independent splitmix64 streams (uint64), one per Monte-Carlo run
    or reverse-reachable set, drawn from ``rng`` in one call.

    Examples
    --------
    >>> stream_seeds(np.random.default_rng(1), 3).dtype
    dtype('uint64')
    """
    return rng.integers(0, 2**63 - 1, size=count, dtype=np.int64).astype(np.uint64)
