"""Figures of kopiresearch.plot._diffusion: strategy intervals, reach and difference maps."""


import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kopiresearch import plot  # noqa: E402


def strategy_table():
    t = pd.DataFrame({"spread": [10.0, 12.0, 8.0]}, index=["a", "b", "base"])
    t["spread_low"], t["spread_high"] = t["spread"] - 1, t["spread"] + 2
    return t


def test_strategy_bars_have_monte_carlo_intervals():
    ax = plot.strategy_comparison(strategy_table(), "spread", baseline="base")
    err = ax.containers[1]
    segs = np.asarray(err.lines[2][0].get_segments())
    assert np.allclose(sorted(segs[:, 0, 0]), [9.0, 11.0])
    assert np.allclose(sorted(segs[:, 1, 0]), [12.0, 14.0])
    assert "interval" in ax.get_xlabel()


def test_difference_map_is_centred_on_zero_and_diverging():
    from kopiresearch.diffusion import simulate

    G = nx.DiGraph([("a", "b"), ("c", "d")])
    nx.set_node_attributes(G, {"a": "3578", "b": "3507", "c": "3507", "d": "3501"},
                           "region_code")
    base = simulate(G, ["a"], p=1.0, direction="flow", runs=10, seed=1, progress=False)
    more = simulate(G, ["a", "c"], p=1.0, direction="flow", runs=10, seed=1, progress=False)
    ax = plot.region_reach_difference_map(more, base)
    coll = ax.collections[0]
    assert coll.norm.vmin == pytest.approx(-coll.norm.vmax)
    assert coll.cmap.name == plot.DIVERGING_CMAP
    values = dict(zip(sorted(["3501", "3507", "3578"]), np.asarray(coll.get_array())))
    assert values["3578"] == pytest.approx(0.0) and values["3501"] == pytest.approx(100.0)


def test_reach_map_names_labels_it_cannot_draw():
    from kopiresearch import plot
    from kopiresearch.diffusion import simulate
    from kopiresearch.errors import KopiresearchError

    G = nx.DiGraph([("a", "b")])
    nx.set_node_attributes(G, {"a": "A", "b": "3578"}, "region_code")
    res = simulate(G, ["a"], p=1.0, direction="flow", runs=5, seed=1, progress=False)
    with pytest.raises(KopiresearchError, match="'A'"):
        plot.region_reach_map(res)
    plt.close("all")
