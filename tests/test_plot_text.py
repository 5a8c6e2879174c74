"""Figures of kopiresearch.plot._text on real results (they draw what the tables say)."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from kopiresearch import plot, synth  # noqa: E402
from kopiresearch.coordination import coordination  # noqa: E402
from kopiresearch.text import detect_peaks, top_items, volume  # noqa: E402


def test_figures_from_a_planted_corpus():
    corpus = synth.generate(seed=3, scale=0.1, coordinated=8)
    t = top_items(corpus, by="actor_type", items=["word"], n=5)
    fig = plot.top_items_bars(t, item_type="word", n=5)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == sorted(t["group"].unique())
    first = t[t["group"] == visible[0].get_title()].sort_values("rank")
    widths = [p.get_width() for p in visible[0].patches]
    assert widths == first["z"].tolist()
    v = volume(corpus, freq="1D", hashtags=["JatimBangkit"])
    peaks = detect_peaks(v.counts, window=7, threshold=3.0)
    ax = plot.volume_timeline(v.counts, peaks, event="2024-10-28T02:00:00Z")
    assert len(ax.patches) == len(peaks)
    res = coordination(corpus, n_null=20, seed=1)
    ax = plot.coordination_graph(res.graph)
    assert len(ax.collections) >= 2 and res.graph.number_of_nodes() >= 8
    plt.close("all")
