"""The package's one random-state helper (kopiresearch/_random.py)."""

import numpy as np
import pytest

from kopiresearch._random import resolve_rng, stream_seeds
from kopiresearch.errors import DiffusionError, KopiresearchError


def test_int_none_and_generator():
    assert resolve_rng(5).integers(1000) == np.random.default_rng(5).integers(1000)
    g = np.random.default_rng(1)
    assert resolve_rng(g) is g
    assert isinstance(resolve_rng(None), np.random.Generator)
    assert resolve_rng(np.int64(5)).integers(1000) == np.random.default_rng(5).integers(1000)


@pytest.mark.parametrize("bad", ["x", 1.5, [1, 2]])
def test_one_message_for_every_module_in_its_own_error_class(bad):
    with pytest.raises(KopiresearchError, match="seed must be an int, None or a numpy"):
        resolve_rng(bad)
    with pytest.raises(DiffusionError, match="seed must be an int, None or a numpy"):
        resolve_rng(bad, error=DiffusionError)


def test_stream_seeds_are_the_draws_simulate_makes():
    # the exact formula diffusion and seeding used before the helper: same runs, same results
    expected = np.random.default_rng(7).integers(0, 2**63 - 1, size=5, dtype=np.int64)
    got = stream_seeds(np.random.default_rng(7), 5)
    assert got.dtype == np.uint64
    np.testing.assert_array_equal(got, expected.astype(np.uint64))
