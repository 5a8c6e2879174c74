"""Checked claims: a sentence of a notebook's prose, checked where its numbers are computed.

A notebook that says "most activity stays inside a Bakorwil" must fail when the data stop
saying so. :func:`claim` states the sentence beside the values it rests on and raises
:class:`ClaimError` when the condition is false, so that a notebook executed by ``nbval`` or
``kopiresearch study`` fails instead of printing prose that its own numbers contradict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Integral, Real

from .errors import KopiresearchError

__all__ = ["Claim", "ClaimError", "claim"]


class ClaimError(KopiresearchError, AssertionError):
    """A sentence a notebook states about its results does not hold for these results."""


@dataclass(frozen=True)
class Claim:
    """A claim that holds: the sentence and the values it was checked on."""

    statement: str
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        if not self.values:
            return f"✓ {self.statement}"
        shown = ", ".join(f"{k} = {_fmt(v)}" for k, v in self.values.items())
        return f"✓ {self.statement} ({shown})"

    __repr__ = __str__


def claim(statement: str, holds, /, **values) -> Claim:
    """Check that ``holds`` is true and return the claim, or raise :class:`ClaimError`.

    Parameters
    ----------
    statement : str
        The sentence as the notebook's prose states it.
    holds : bool
        The condition, computed from the results (``share > 0.5``). Anything whose truth
        value is ambiguous (a NumPy array, a missing value) is refused.
    **values
        The numbers the statement rests on; shown beside it (floats to 3 significant
        digits) so that a reader sees what was checked.

    Returns
    -------
    Claim
        Prints as ``✓ statement (name = value, ...)``.

    Raises
    ------
    ClaimError
        ``holds`` is false (the message names the statement and the values), or it is not
        a plain truth value.

    Examples
    --------
    >>> claim("most interactions stay inside a Bakorwil", 0.62 > 0.5, share=0.62)
    ✓ most interactions stay inside a Bakorwil (share = 0.62)
    >>> claim("most interactions stay inside a Bakorwil", 0.49 > 0.5, share=0.49)
    Traceback (most recent call last):
    ...
    kopiresearch.claims.ClaimError: the notebook says "most interactions stay inside a \
Bakorwil", but that does not hold for these data (share = 0.49)
    """
    if not isinstance(statement, str) or not statement.strip():
        raise ClaimError("a claim needs its statement as a non-empty string")
    truth = _truth(holds, statement)
    shown = ", ".join(f"{k} = {_fmt(v)}" for k, v in values.items())
    if not truth:
        suffix = f" ({shown})" if shown else ""
        raise ClaimError(f'the notebook says "{statement}", but that does not hold for these '
                         f"data{suffix}")
    return Claim(statement, dict(values))


def _truth(holds, statement) -> bool:
    try:
        import numpy as np

        if isinstance(holds, np.bool_):
            return bool(holds)
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    if isinstance(holds, bool):
        return holds
    raise ClaimError(f'the condition of "{statement}" is a {type(holds).__name__}, not a '
                     "truth value (compare a number, e.g. share > 0.5)")


def _fmt(value) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        v = float(value)
        return str(v) if math.isnan(v) or math.isinf(v) else f"{v:.3g}"
    return str(value)
