"""Figures of kopiresearch.plot._metrics that fail on what misled a reader: scales, intervals,
labels, legends."""


import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from plot_helpers import legend_covers_data  # noqa: E402

from kopiresearch import metrics as km  # noqa: E402
from kopiresearch import plot  # noqa: E402


def brokerage_summary():
    idx = pd.MultiIndex.from_product([["government", "citizen"], list(km.BROKERAGE_ROLES)],
                                     names=["group", "role"])
    ratio = [0.0, 2.0, 0.33, 1.5, 85.0, 0.01, 1.2, 3.0, 0.8, 1.0]
    s = pd.DataFrame({"observed": np.arange(10), "ratio": ratio}, index=idx)
    s["ratio_low"], s["ratio_high"] = 0.5, 2.0
    return s


def test_brokerage_log_axis_centred_on_one_shows_ratios_below_one():
    ax = plot.plot_brokerage(brokerage_summary())
    assert ax.get_yscale() == "log"
    lo, hi = ax.get_ylim()
    assert np.log10(lo) == pytest.approx(-np.log10(hi))       # symmetric around 1
    assert lo < 0.01 and hi > 85                                  # every ratio inside
    # bars start at 1: a ratio of 0.33 is a bar going down from 1, visible
    bars = [p for p in ax.patches if p.get_width() > 0]
    heights = sorted(round(p.get_y() + p.get_height(), 6) for p in bars)
    assert 0.33 in heights and all(round(p.get_y(), 6) in (1.0, 0.33, 0.01, 0.8)
                                   or p.get_height() > 0 for p in bars)
    assert any(t.get_text() == "0" for t in ax.texts)             # the zero is said


def test_brokerage_draws_the_permutation_interval():
    ax = plot.plot_brokerage(brokerage_summary())
    bands = [c for c in ax.collections if isinstance(c, LineCollection)]
    segs = np.concatenate([np.asarray(c.get_segments()) for c in bands])
    assert len(segs) == 10
    assert np.allclose(segs[:, 0, 1], 0.5) and np.allclose(segs[:, 1, 1], 2.0)


def test_brokerage_null_brackets_expected_and_matches_summary():
    G = nx.gnp_random_graph(40, 0.12, seed=3, directed=True)
    groups = {n: "abc"[n % 3] for n in G}
    null = km.brokerage_null(G, by=groups, n_permutations=40, seed=5, level=0.9)
    summ = km.brokerage_summary(km.brokerage(G, by=groups, n_permutations=40, seed=5))
    assert np.allclose(null["expected"].to_numpy(), summ["expected"].to_numpy())
    assert (null["null_low"] <= null["expected"] + 1e-9).all()
    assert (null["null_high"] >= null["expected"] - 1e-9).all()


def test_mixing_matrix_labels_do_not_say_source_source():
    m = pd.DataFrame([[1, 3], [2, 0]], index=pd.Index(["a", "b"], name="source"),
                     columns=pd.Index(["a", "b"], name="target"))
    ax = plot.plot_mixing_matrix(m)
    for label in (ax.get_xlabel(), ax.get_ylabel()):
        words = label.replace("(", " ").replace(")", " ").replace(":", " ").split()
        assert len(words) == len(set(words)), label  # no "source (source)"
    assert ax.figure.axes[-1].get_ylabel() == "share of the row group's acts"


def test_responsiveness_legend_does_not_cover_points():
    # points in the upper left, where the old legend sat
    t = pd.DataFrame({"handle": list("abcdef"), "addressed": [10, 20, 30, 5, 8, 12],
                      "km_reply_rate": [0.02, 0.05, 0.1, 0.08, 0.6, 0.9],
                      "km_conditional_median_hours": [80, 60, 90, 40, 3, 2]})
    ax = plot.plot_responsiveness(t, top=3)
    assert not legend_covers_data(ax)


def test_communities_drawn_as_hulls_with_distinct_colours():
    G = nx.connected_caveman_graph(4, 8)
    part = {n: n // 8 for n in G}
    ax = plot.plot_communities(G, part, seed=1, n_show=4)
    hulls = [p for p in ax.patches if p.get_label() == "_hull"]
    assert len(hulls) == 4
    cols = {matplotlib.colors.to_hex(p.get_edgecolor()) for p in hulls}
    assert len(cols) == 4
