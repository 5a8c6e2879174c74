"""Figure tests that fail on what misled a reader: scales, means, labels, legends, units."""

import os
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PatchCollection  # noqa: E402

from kopiresearch import metrics as km  # noqa: E402
from kopiresearch import plot  # noqa: E402
from kopiresearch.cascades import (  # noqa: E402
    coverage_curve,
    example_cascades,
    region_flows,
    time_to_region,
)
from kopiresearch.plot._style import _boxes_overlap, _label_boxes, _renderer  # noqa: E402
from kopiresearch.regions import only_kabkota  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def legend_covers_data(ax):
    leg = ax.get_legend()
    assert leg is not None
    bb = leg.get_window_extent(_renderer(ax.figure))
    pts = plot.data_points(ax)
    inside = ((pts[:, 0] >= bb.x0) & (pts[:, 0] <= bb.x1) & (pts[:, 1] >= bb.y0)
              & (pts[:, 1] <= bb.y1))
    return bool(inside.any())


# 1. brokerage ratios ---------------------------------------------------------------------

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


# 2. coverage curves: means where the caption says means ----------------------------------

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


# 3. time-to-region map: rarely reached regions marked, share beside it ------------------

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


# 4. strategies: intervals and a difference map -----------------------------------------

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


def test_map_panels_are_the_same_size():
    fig, axes, caxes = plot.map_panels(2)
    plot.choropleth({"3578": 1.0}, ax=axes[0], cax=caxes[0])
    plot.choropleth({"3578": 1.0, "3507": 2.0}, ax=axes[1], colorbar=False)
    fig.draw_without_rendering()
    w = [a.get_window_extent().width for a in axes]
    assert w[0] == pytest.approx(w[1], abs=1)


# 5. small things a reviewer sends back -------------------------------------------------

def fake_corpus(last="2024-10-05 12:00"):
    times = pd.date_range("2024-10-01 00:00", last, freq="1h", tz="Asia/Jakarta")
    inter = pd.DataFrame({"created_at": times.tz_convert("UTC"),
                          "kind": np.where(np.arange(len(times)) % 2, "reply", "repost")})
    return SimpleNamespace(interactions=inter)


def test_activity_axis_in_words_and_no_partial_last_day():
    ax = plot.activity_over_time(fake_corpus(), freq="D")
    assert ax.get_ylabel() == "interactions per day"
    last = max(max(line.get_xdata()) for line in ax.get_lines() if line.get_label() != "_ref")
    assert pd.Timestamp(last) == pd.Timestamp("2024-10-04")  # 5 Oct stops at noon: left out
    ax = plot.activity_over_time(fake_corpus(), freq="D", complete_only=False)
    last = max(max(line.get_xdata()) for line in ax.get_lines())
    assert pd.Timestamp(last) == pd.Timestamp("2024-10-05")


def test_freq_words():
    assert plot.freq_word("D") == "day" and plot.freq_word("W") == "week"
    assert plot.freq_word("h") == "hour" and plot.freq_word("3h") == "3 hours"


def test_mixing_matrix_labels_do_not_say_source_source():
    m = pd.DataFrame([[1, 3], [2, 0]], index=pd.Index(["a", "b"], name="source"),
                     columns=pd.Index(["a", "b"], name="target"))
    ax = plot.plot_mixing_matrix(m)
    for label in (ax.get_xlabel(), ax.get_ylabel()):
        words = label.replace("(", " ").replace(")", " ").replace(":", " ").split()
        assert len(words) == len(set(words)), label  # no "source (source)"
    assert ax.figure.axes[-1].get_ylabel() == "share of the row group's acts"


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


def test_responsiveness_legend_does_not_cover_points():
    # points in the upper left, where the old legend sat
    t = pd.DataFrame({"handle": list("abcdef"), "addressed": [10, 20, 30, 5, 8, 12],
                      "km_reply_rate": [0.02, 0.05, 0.1, 0.08, 0.6, 0.9],
                      "km_conditional_median_hours": [80, 60, 90, 40, 3, 2]})
    ax = plot.plot_responsiveness(t, top=3)
    assert not legend_covers_data(ax)


def test_place_legend_moves_off_the_data():
    fig, ax = plt.subplots()
    x = np.linspace(0, 1, 50)
    ax.plot(x, np.ones_like(x) * 0.95, label="top line")
    ax.plot(x, np.ones_like(x) * 0.05, label="bottom line")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right")
    assert legend_covers_data(ax)  # the check can fail
    plot.place_legend(ax)
    assert not legend_covers_data(ax)


# 6. network drawing --------------------------------------------------------------------

def crowded_graph():
    G = nx.les_miserables_graph().to_directed()
    for i, n in enumerate(sorted(G)):
        G.nodes[n]["actor_type"] = ["citizen", "influencer", "government_regency"][i % 3]
        G.nodes[n]["handle"] = f"akun_{n.lower()}"
    return G


def test_network_labels_do_not_overlap_and_are_the_top_accounts():
    G = crowded_graph()
    ax = plot.draw_network(G, seed=1, label_top=25)
    texts = [t for t in ax.texts]
    assert len(texts) >= 10
    assert not _boxes_overlap(_label_boxes(texts))
    indeg = dict(G.in_degree(weight="weight"))
    top = max(G, key=lambda n: (indeg[n], n))
    assert G.nodes[top]["handle"] in {t.get_text() for t in texts}


def test_overlap_check_can_fail():
    fig, ax = plt.subplots()
    a = ax.text(0.5, 0.5, "overlapping")
    b = ax.text(0.51, 0.5, "overlapping")
    assert _boxes_overlap(_label_boxes([a, b]))


def test_network_uses_forceatlas2_and_thins_edges_by_weight():
    G = crowded_graph()
    ax = plot.draw_network(G, seed=3, max_edges=50, legend=False)
    pos = plot.network_layout(G, seed=3)
    xy = np.asarray(ax.collections[-1].get_offsets())
    want = np.array([pos[n] for n in sorted(G, key=str)])
    assert np.allclose(np.sort(xy, axis=0), np.sort(want, axis=0))
    edges = [c for c in ax.collections if isinstance(c, LineCollection)][0]
    assert len(edges.get_segments()) == 50
    widths = np.asarray(edges.get_linewidths())
    w = sorted((d["weight"] for _, _, d in G.edges(data=True)), reverse=True)
    recovered = ((widths - 0.3) / 1.7) ** 2 * w[0]  # width = 0.3 + 1.7 sqrt(w / w_max)
    assert np.allclose(sorted(recovered, reverse=True), w[:50])  # the 50 heaviest


def test_network_legend_does_not_cover_nodes_and_uses_words():
    ax = plot.draw_network(crowded_graph(), seed=1)
    assert not legend_covers_data(ax)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "kabupaten/kota government" in texts and not any("_" in t for t in texts)


def test_communities_drawn_as_hulls_with_distinct_colours():
    G = nx.connected_caveman_graph(4, 8)
    part = {n: n // 8 for n in G}
    ax = plot.plot_communities(G, part, seed=1, n_show=4)
    hulls = [p for p in ax.patches if p.get_label() == "_hull"]
    assert len(hulls) == 4
    cols = {matplotlib.colors.to_hex(p.get_edgecolor()) for p in hulls}
    assert len(cols) == 4


# 9. saving -----------------------------------------------------------------------------

def test_save_figure_png_and_deterministic_svg(tmp_path):
    def draw():
        fig, ax = plt.subplots(figsize=(plot.COLUMN_WIDTH, 2.5))
        ax.plot([0, 1, 2], [1, 3, 2], label="x")
        ax.legend()
        return fig

    a = plot.save_figure(draw(), tmp_path / "a")
    b = plot.save_figure(draw().axes[0], tmp_path / "b.png")
    assert [os.path.basename(p) for p in a] == ["a.png", "a.svg"]
    assert open(a[1], "rb").read() == open(b[1], "rb").read()
    assert b"<dc:date>" not in open(a[1], "rb").read()
    img = plt.imread(a[0])
    assert img.shape[1] >= 0.9 * plot.COLUMN_WIDTH * 600  # print resolution


def test_every_figure_function_returns_its_axes_or_figure():
    ttr = time_to_region(example_cascades())
    assert isinstance(plot.coverage_curves(coverage_curve(example_cascades(), [0, 1])),
                      matplotlib.axes.Axes)
    assert isinstance(plot.time_to_region_map(ttr), matplotlib.axes.Axes)
    assert isinstance(plot.spread_frames(ttr, [0, 1]), matplotlib.figure.Figure)
    assert isinstance(plot.draw_network(crowded_graph(), legend=False), matplotlib.axes.Axes)


def test_data_points_of_lines_with_timestamps():
    # notebook 06 draws volume lines whose x are pandas Timestamps in an object array
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    from kopiresearch.plot._style import data_points

    fig, ax = plt.subplots()
    ax.plot(np.array([pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")], dtype=object),
            [1, 2])
    ax.plot(pd.date_range("2024-01-01", periods=3), [1, 2, 3])
    assert data_points(ax).shape == (5, 2)
    plt.close(fig)


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
