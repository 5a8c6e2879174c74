"""Former names of keyword arguments, kept working for one release with a warning."""

from __future__ import annotations

import warnings

from .errors import KopiresearchError

__all__ = ["renamed_keyword"]


def renamed_keyword(value, former_value, *, name: str, former: str, default=None,
                    stacklevel: int = 3, unset=None):
    """The value of keyword ``name``, or of its former name ``former`` with a
    DeprecationWarning; an error when both are given.

    ``value`` is the argument given as ``name`` (``default`` when it was not given) and
    ``former_value`` the one given as ``former`` (``unset`` when it was not given: None,
    unless None is a meaningful value of the keyword and the former name defaults to a
    marker object of its own).

    Examples
    --------
    >>> import warnings
    >>> renamed_keyword(5, None, name="n_permutations", former="n_perm")
    5
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     renamed_keyword(0, 7, name="n_permutations", former="n_perm", default=0)
    7
    >>> str(w[0].message)
    'n_perm is deprecated and will be removed in the next release; use n_permutations'

    A value that NumPy compares element by element is told apart from the default too:

    >>> import numpy as np
    >>> renamed_keyword(np.array([1, 2]), ["a"], name="post_kinds", former="kinds")
    Traceback (most recent call last):
    ...
    kopiresearch.errors.KopiresearchError: give post_kinds or its former name kinds, not both

    Where None is a value the caller may give (e.g. "every kind"), a marker says "not given":

    >>> UNSET = object()
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     renamed_keyword(("original",), None, name="post_kinds", former="kinds",
    ...                     default=("original",), unset=UNSET) is None
    True
    >>> renamed_keyword(("original",), UNSET, name="post_kinds", former="kinds", unset=UNSET)
    ('original',)
    """
    if former_value is unset:
        return value
    if not _is_default(value, default):
        raise KopiresearchError(f"give {name} or its former name {former}, not both")
    warnings.warn(f"{former} is deprecated and will be removed in the next release; use {name}",
                  DeprecationWarning, stacklevel=stacklevel)
    return former_value


def _is_default(value, default) -> bool:
    """Whether ``value`` is ``default``: the same object, or equal as one truth value (an
    array compared element by element is not the default)."""
    if value is default:
        return True
    try:
        return bool(value == default)
    except (TypeError, ValueError):  # NumPy: the truth value of an array is ambiguous
        return False
