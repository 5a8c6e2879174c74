"""Helpers the figure tests share (plain functions, imported by the test_plot_* files)."""

import networkx as nx

from kopiresearch import plot
from kopiresearch.plot._style import _renderer


def legend_covers_data(ax):
    leg = ax.get_legend()
    assert leg is not None
    bb = leg.get_window_extent(_renderer(ax.figure))
    pts = plot.data_points(ax)
    inside = ((pts[:, 0] >= bb.x0) & (pts[:, 0] <= bb.x1) & (pts[:, 1] >= bb.y0)
              & (pts[:, 1] <= bb.y1))
    return bool(inside.any())


def crowded_graph():
    G = nx.les_miserables_graph().to_directed()
    for i, n in enumerate(sorted(G)):
        G.nodes[n]["actor_type"] = ["citizen", "influencer", "government_regency"][i % 3]
        G.nodes[n]["handle"] = f"akun_{n.lower()}"
    return G
