"""Maps of kopiresearch.plot._maps: panels of one size."""


import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from kopiresearch import plot  # noqa: E402


def test_map_panels_are_the_same_size():
    fig, axes, caxes = plot.map_panels(2)
    plot.choropleth({"3578": 1.0}, ax=axes[0], cax=caxes[0])
    plot.choropleth({"3578": 1.0, "3507": 2.0}, ax=axes[1], colorbar=False)
    fig.draw_without_rendering()
    w = [a.get_window_extent().width for a in axes]
    assert w[0] == pytest.approx(w[1], abs=1)
