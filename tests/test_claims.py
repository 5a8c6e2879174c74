"""Checked claims: a false sentence fails its cell, a true one prints with its values."""

import numpy as np
import pytest

from kopiresearch.claims import ClaimError, claim


def test_true_claim_prints_statement_and_values():
    c = claim("offices answer most citizens", 0.613 > 0.5, answered=0.6129, n=31)
    assert str(c) == "✓ offices answer most citizens (answered = 0.613, n = 31)"


def test_false_claim_raises_with_the_values():
    with pytest.raises(ClaimError, match=r'says "x is big".*x = 0\.1'):
        claim("x is big", 0.1 > 0.5, x=0.1)


def test_numpy_bool_is_accepted():
    assert claim("a", np.float64(2.0) > 1).statement == "a"
    with pytest.raises(ClaimError):
        claim("a", np.float64(0.0) > 1)


@pytest.mark.parametrize("ambiguous", [np.array([True, False]), 1, None, "yes", float("nan")])
def test_a_condition_that_is_not_a_truth_value_is_refused(ambiguous):
    with pytest.raises(ClaimError, match="not a truth value"):
        claim("s", ambiguous)


def test_claim_error_is_an_assertion_error():
    # nbval and pytest treat it as a failed check
    assert issubclass(ClaimError, AssertionError)
