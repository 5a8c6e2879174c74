"""kopiresearch.plot._style: legends placed off the data, deterministic saving, the data points
of an axes."""

import os

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from plot_helpers import legend_covers_data  # noqa: E402

from kopiresearch import plot  # noqa: E402


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


def test_data_points_of_lines_with_timestamps():
    # notebook 06 draws volume lines whose x are pandas Timestamps in an object array
    import matplotlib.pyplot as plt
    import numpy as np

    from kopiresearch.plot._style import data_points

    fig, ax = plt.subplots()
    ax.plot(np.array([pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")], dtype=object),
            [1, 2])
    ax.plot(pd.date_range("2024-01-01", periods=3), [1, 2, 3])
    assert data_points(ax).shape == (5, 2)
    plt.close(fig)
