"""Tests of the cascade figures (kopiresearch.plot._cascades)."""

import matplotlib

matplotlib.use("Agg")


import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PatchCollection  # noqa: E402
from plot_helpers import crowded_graph  # noqa: E402

from kopiresearch import plot  # noqa: E402
from kopiresearch.cascades import (  # noqa: E402
    coverage_curve,
    example_cascades,
    region_flows,
    time_to_region,
)
from kopiresearch.errors import KopiresearchError  # noqa: E402
from kopiresearch.plot._style import _boxes_overlap, _label_boxes  # noqa: E402
from kopiresearch.regions import only_kabkota  # noqa: E402


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


def skewed_coverage():
    hours = [0.0, 1.0, 2.0]
    # shares of 38: 1, 1, 1, 10 regions -> median 1, mean 3.25
    rows = np.array([[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 5, 10]]) / 38
    return pd.DataFrame(rows, index=list("abcd"), columns=hours)


def test_coverage_curves_draw_means_with_confidence_band():
    cov = skewed_coverage()
    ax = plot.coverage_curves(cov)
    y = ax.lines[0].get_ydata()
    assert np.allclose(y, (cov * 38).mean().to_numpy())
    assert not np.allclose(y, (cov * 38).median().to_numpy())
    assert "mean" in ax.get_ylabel()
    band = ax.collections[0].get_paths()[0].vertices[:, 1]
    sd = (cov * 38).std(ddof=1).to_numpy()[-1]
    half = 1.959964 * sd / 2
    assert band.max() == pytest.approx(y[-1] + half, rel=1e-4)


def test_coverage_curves_median_on_request():
    cov = skewed_coverage()
    ax = plot.coverage_curves(cov, stat="median")
    assert np.allclose(ax.lines[0].get_ydata(), (cov * 38).median().to_numpy())


def test_time_map_marks_regions_reached_by_few_cascades():
    ttr = time_to_region(example_cascades())
    ax = plot.time_to_region_map(ttr, min_cascades=2)
    dotted = [c for c in ax.collections if isinstance(c, PatchCollection)
              and c.get_hatch() == "..."]
    n_reached = ttr["region_code"].nunique()
    assert len(dotted) == 1 and len(dotted[0].get_paths()) == n_reached
    assert any("fewer than 2" in t.get_text() for t in ax.texts)


def test_reach_and_time_maps_same_size_with_share():
    from kopiresearch.cascades import region_reach

    br = region_reach(time_to_region(example_cascades()))
    fig = plot.reach_and_time_maps(br)
    fig.draw_without_rendering()
    a, b = fig.axes[:2]
    wa, wb = a.get_window_extent(), b.get_window_extent()
    assert wa.width == pytest.approx(wb.width, abs=1) and wa.height == pytest.approx(
        wb.height, abs=1)
    shown = a.collections[0].get_array()
    kab = only_kabkota(br)
    assert sorted(np.asarray(shown)) == sorted(kab["share_reached"].to_numpy())


def test_flow_heatmap_labels_readable_and_unit_explained():
    flows = region_flows(example_cascades(), normalize="source")
    full = pd.DataFrame(np.random.default_rng(1).random((38, 38)),
                        index=sorted(__import__("kopiresearch").regions.region_table().index),
                        columns=sorted(__import__("kopiresearch").regions.region_table().index))
    full.attrs["normalize"] = "source"
    ax = plot.flow_heatmap(full)
    labels = ax.get_yticklabels()
    assert min(t.get_fontsize() for t in labels) >= 6
    assert not _boxes_overlap(_label_boxes(labels))
    assert not _boxes_overlap(_label_boxes(ax.get_xticklabels()))
    unit = ax.figure.axes[-1].get_ylabel()
    assert "log10" not in unit and "per active account of the row region" in unit
    ax = plot.flow_heatmap(flows)
    assert ax.images[0].norm.__class__.__name__ == "LogNorm"


def test_every_figure_function_returns_its_axes_or_figure():
    ttr = time_to_region(example_cascades())
    assert isinstance(plot.coverage_curves(coverage_curve(example_cascades(), [0, 1])),
                      matplotlib.axes.Axes)
    assert isinstance(plot.time_to_region_map(ttr), matplotlib.axes.Axes)
    assert isinstance(plot.spread_frames(ttr, [0, 1]), matplotlib.figure.Figure)
    assert isinstance(plot.draw_network(crowded_graph(), legend=False), matplotlib.axes.Axes)
