"""Tests of the cascade figures (kopiresearch.plot._cascades)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from kopiresearch import plot  # noqa: E402
from kopiresearch.cascades import (  # noqa: E402
    coverage_curve,
    example_cascades,
    region_flows,
    time_to_region,
)
from kopiresearch.errors import KopiresearchError  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_tree_layout_is_top_down_and_parents_centred():
    ax = plot.cascade_tree(example_cascades(), "x:r")
    edges = ax.collections[0].get_segments()
    assert len(edges) == 3
    for seg in edges:
        assert seg[0][1] == seg[1][1] + 1  # each edge goes one level down
    xy = ax.collections[1].get_offsets()
    # r at the top; a (children b) above b; r centred between its leftmost and rightmost leaf
    ys = sorted(set(np.asarray(xy)[:, 1]))
    assert ys == [-2.0, -1.0, 0.0]
    leaves = np.asarray(xy)[np.asarray(xy)[:, 1] < 0]
    root_x = np.asarray(xy)[np.asarray(xy)[:, 1] == 0][0, 0]
    assert leaves[:, 0].min() <= root_x <= leaves[:, 0].max()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    # legend in words, in the package order of actor types (kopiresearch.ACTOR_TYPES)
    assert labels == ["kabupaten/kota government", "media", "influencer", "citizen"]


def test_coverage_curves_groups_and_errors():
    cov = coverage_curve(example_cascades(), [0, 1, 2, 3])
    ax = plot.coverage_curves(cov, groups=pd.Series(["g"], index=cov.index))
    y = ax.lines[0].get_ydata()
    assert list(y) == pytest.approx([1, 2, 2, 3])  # regions, not shares
    with pytest.raises(KopiresearchError):
        plot.coverage_curves(cov, groups=["a", "b"])


def test_time_to_region_map_shades_reached_regions_only():
    ax = plot.time_to_region_map(time_to_region(example_cascades()))
    reached, never = ax.collections[:2]
    assert len(reached.get_paths()) == 3 and len(never.get_paths()) == 35
    with pytest.raises(KopiresearchError, match="stat"):
        plot.time_to_region_map(time_to_region(example_cascades()), stat="max")


def test_flow_heatmap_separates_bakorwil():
    ax = plot.flow_heatmap(region_flows(example_cascades()))
    assert ax.images[0].get_array().shape == (38, 38)
    assert len(ax.lines) == 2 * 4  # four boundaries between five Bakorwil, both axes
    ax = plot.flow_heatmap(region_flows(example_cascades(), level="bakorwil"))
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "I Madiun"


def test_flow_heatmap_names_its_unit_from_the_result():
    flows = region_flows(example_cascades(), normalize="target")
    flows.attrs.clear()  # the field, not attrs, says how the flows were normalised
    ax = plot.flow_heatmap(flows, log=False)
    assert ax.figure.axes[-1].get_ylabel() == \
        "cascade edges per active account of the column region"
    plain = pd.DataFrame(flows.to_numpy(), index=flows.index, columns=flows.columns)
    plain.attrs["normalize"] = None  # a plain DataFrame: attrs, the older spelling
    ax = plot.flow_heatmap(plain, log=False)
    assert ax.figure.axes[-1].get_ylabel() == "cascade edges (parent -> adopter)"
    plt.close("all")


def test_spread_frames_count_regions():
    fig = plot.spread_frames(time_to_region(example_cascades()), [0, 1, 3, 5, 9], ncols=3)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["0 h: 1 of 38", "1 h: 2 of 38", "3 h: 3 of 38", "5 h: 3 of 38",
                      "9 h: 3 of 38"]
