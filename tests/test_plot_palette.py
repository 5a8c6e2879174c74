"""The one palette: colour-blind-safe actor colours, no near-white class, safe map scales."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import kopiresearch as kr  # noqa: E402
from kopiresearch import plot  # noqa: E402
from kopiresearch.plot import _cascades, _metrics, _palette, _text  # noqa: E402

MIN_DELTA_E = 15.0   # CIE76, every pair, normal vision and three simulated deficiencies
MIN_FROM_WHITE = 20.0


def test_one_actor_palette_for_the_whole_package():
    assert _cascades.ACTOR_COLORS is _palette.ACTOR_COLORS
    assert _text.ACTOR_COLORS is _palette.ACTOR_COLORS
    assert plot.ACTOR_COLORS is _palette.ACTOR_COLORS
    assert _metrics.ACTOR_COLORS is _palette.ACTOR_COLORS
    assert set(kr.ACTOR_TYPES) <= set(plot.ACTOR_COLORS)


def test_actor_colours_are_distinct_for_colour_blind_readers():
    d, where = plot.min_pairwise_delta_e(plot.ACTOR_COLORS)
    assert d >= MIN_DELTA_E, f"{where} differ by only {d:.1f}"


def test_no_actor_colour_is_near_white():
    for actor, color in plot.ACTOR_COLORS.items():
        assert plot.delta_e(color, "white") >= MIN_FROM_WHITE, actor


def test_community_colours_distinct_and_other_not_near_white():
    d, where = plot.min_pairwise_delta_e(plot.COMMUNITY_COLORS)
    assert d >= MIN_DELTA_E, where
    assert plot.delta_e(plot.OTHER_COLOR, "white") >= MIN_FROM_WHITE
    for c in plot.COMMUNITY_COLORS:
        assert plot.delta_e(c, plot.OTHER_COLOR) >= MIN_DELTA_E


def test_role_colours_distinct():
    d, where = plot.min_pairwise_delta_e(plot.ROLE_COLORS)
    assert d >= MIN_DELTA_E, where


def test_checks_catch_a_red_green_pair_and_the_old_palette():
    # the checks themselves can fail: red/green collapse for deuteranopes, and the two
    # palettes the package had before were not safe
    d, where = plot.min_pairwise_delta_e(["#2CA02C", "#D62728"])  # tab:green, tab:red
    assert d < MIN_DELTA_E and where[0] != "normal"
    old = ["#b2182b", "#ef8a62", "#fddbc7", "#4d4d4d", "#2166ac", "#5aae61", "#9970ab",
           "#bdbdbd", "#f0f0f0"]
    assert plot.min_pairwise_delta_e(old)[0] < MIN_DELTA_E
    assert plot.delta_e("#f0f0f0", "white") < MIN_FROM_WHITE


def test_colour_science_against_hand_values():
    # sRGB red in CIELAB (D65): L 53.24, a 80.09, b 67.20 (Lindbloom)
    assert np.allclose(plot.to_lab("#FF0000"), [53.24, 80.09, 67.20], atol=0.05)
    assert plot.delta_e("black", "white") == pytest.approx(100.0, abs=1e-4)
    # Machado et al. (2009): greys are unchanged, pure red darkens for a protanope
    for kind in ("protanopia", "deuteranopia", "tritanopia"):
        assert np.allclose(plot.simulate_cvd("#777777", kind), [0x77 / 255] * 3, atol=2e-3)
    assert plot.to_lab(plot.simulate_cvd("#FF0000", "protanopia"))[0] < 53


@pytest.mark.parametrize("cmap", [plot.SEQUENTIAL_CMAP, plot.SEQUENTIAL_CMAP + "_r"])
def test_sequential_scale_is_uniform_safe_and_never_white(cmap):
    cm = plt.get_cmap(cmap)
    colors = [cm(x) for x in np.linspace(0, 1, 11)]
    L = np.array([plot.to_lab(c)[0] for c in colors])
    steps = np.diff(L)
    assert (np.sign(steps) == np.sign(steps[0])).all()  # lightness monotone
    assert steps.std() < 0.35 * abs(steps.mean())       # nearly even steps
    for kind in ("deuteranopia", "protanopia"):
        Lc = np.array([plot.to_lab(plot.simulate_cvd(c, kind))[0] for c in colors])
        assert (np.sign(np.diff(Lc)) == np.sign(steps[0])).all()
    assert min(plot.delta_e(c, "white") for c in colors) >= MIN_FROM_WHITE


def test_diverging_scale_is_not_red_green():
    # the two sides at the same distance from the centre must stay apart for colour-blind
    # readers (RdYlGn gives 19 and 6 here; RdBu about 57 and 42)
    def sides_apart(name):
        cm = plt.get_cmap(name)
        return min(plot.delta_e(plot.simulate_cvd(cm(t), k), plot.simulate_cvd(cm(1 - t), k))
                   for t in (0.15, 0.3) for k in ("deuteranopia", "protanopia", "tritanopia"))

    assert sides_apart(plot.DIVERGING_CMAP) > 30
    assert sides_apart("RdYlGn") < 30  # the check can fail


def test_choropleth_default_lowest_region_is_not_white():
    from kopiresearch.regions import region_table

    pop = region_table()["population"]
    ax = plot.choropleth(pop)
    coll = ax.collections[0]
    low = coll.cmap(coll.norm(pop.min()))
    assert plot.delta_e(low, "white") >= MIN_FROM_WHITE
    plt.close("all")
