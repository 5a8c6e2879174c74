"""Figures of kopiresearch.plot._base: activity in words, and the network drawing (labels,
layout, legend)."""

from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from plot_helpers import crowded_graph, legend_covers_data  # noqa: E402

from kopiresearch import plot  # noqa: E402
from kopiresearch.plot._style import _boxes_overlap, _label_boxes  # noqa: E402


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
