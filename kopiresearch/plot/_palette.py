"""The one palette of kopiresearch: actor-type colours, community colours and map scales.

Every figure of the package takes its colours from here, so an actor type has the same
colour in the network, the cascade tree, the text panels and the interactive view.

Categorical colours
    :data:`ACTOR_COLORS` mixes the Okabe-Ito set (Okabe & Ito 2008) with two of Paul Tol's
    colours. Government accounts are blues (dark: province, light: kabupaten/kota, indigo:
    other offices), influencers vermillion, citizens a mid grey (the crowd, not a class to
    look at) and no class is near-white. Chosen so that every pair differs by at least
    15 CIELAB units (CIE76 :math:`\\Delta E`) for normal vision *and* under simulated
    protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity
    1), and every colour differs from the white background by at least 20; the tests check
    both with :func:`min_pairwise_delta_e` and :func:`delta_e`.
    :data:`COMMUNITY_COLORS` is Paul Tol's *muted* scheme (9 colours, colour-blind safe).

Map scales
    :data:`SEQUENTIAL_CMAP` is ``"cividis"`` (Nuñez, Anderton & Renslow 2018): perceptually
    uniform, optimised for colour-vision deficiency, its lightest end a saturated yellow
    rather than white, so the lowest region never vanishes into the background.
    :data:`DIVERGING_CMAP` (``"RdBu_r"``, ColorBrewer: colour-blind safe, no red-green)
    is for differences around zero; regions without data are drawn in
    :data:`MISSING_COLOR` with a hatch, so they cannot be confused with the zero class.

References
----------
.. [1] Okabe, M., & Ito, K. (2008). Color Universal Design (CUD): how to make figures and
   presentations that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
.. [2] Tol, P. (2021). Colour schemes. SRON technical note SRON/EPS/TN/09-002, issue 3.2.
.. [3] Machado, G. M., Oliveira, M. M., & Fernandes, L. A. F. (2009). A physiologically-based
   model for simulation of color vision deficiency. IEEE TVCG 15(6):1291-1298.
   doi:10.1109/TVCG.2009.113
.. [4] Nuñez, J. R., Anderton, C. R., & Renslow, R. S. (2018). Optimizing colormaps with
   consideration for color vision deficiency. PLoS ONE 13(7):e0199239.
   doi:10.1371/journal.pone.0199239
"""

from __future__ import annotations

import itertools

import numpy as np
from matplotlib.colors import to_rgb

__all__ = ["ACTOR_COLORS", "ACTOR_LABELS", "COMMUNITY_COLORS", "OTHER_COLOR",
           "MISSING_COLOR", "SEQUENTIAL_CMAP", "DIVERGING_CMAP", "ROLE_COLORS",
           "actor_label", "delta_e", "simulate_cvd", "min_pairwise_delta_e", "to_lab"]

#: One colour per actor type, used by every figure of the package (see the module notes).
ACTOR_COLORS = {
    "government_province": "#0072B2",  # Okabe-Ito blue
    "government_regency": "#56B4E9",   # Okabe-Ito sky blue
    "government_other": "#332288",     # Tol indigo
    "media": "#000000",                # Okabe-Ito black
    "influencer": "#D55E00",           # Okabe-Ito vermillion
    "academic": "#009E73",             # Okabe-Ito bluish green
    "community": "#882255",            # Tol wine
    "citizen": "#BBBBBB",              # mid grey: the crowd
    "unknown": "#E69F00",              # Okabe-Ito orange
}

#: Words for the legend (no underscores, no codes).
ACTOR_LABELS = {
    "government_province": "provincial government",
    "government_regency": "kabupaten/kota government",
    "government_other": "other government office",
    "media": "media", "influencer": "influencer", "academic": "academic",
    "community": "community group", "citizen": "citizen", "unknown": "unknown",
}

#: Paul Tol's muted qualitative scheme, for communities (largest first).
COMMUNITY_COLORS = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255",
                    "#44AA99", "#999933", "#AA4499")

#: Nodes outside the coloured classes (e.g. small communities): a grey, not near-white.
OTHER_COLOR = "#9E9E9E"

#: Regions without a value; always drawn with a hatch as well.
MISSING_COLOR = "#D9D9D9"

#: Sequential map scale (perceptually uniform, colour-blind safe, no white end).
SEQUENTIAL_CMAP = "cividis"

#: Diverging map scale for differences (blue below zero, red above; no red-green).
DIVERGING_CMAP = "RdBu_r"

#: The five Gould-Fernandez roles (Okabe-Ito colours).
ROLE_COLORS = {"coordinator": "#0072B2", "itinerant": "#E69F00", "gatekeeper": "#009E73",
               "representative": "#CC79A7", "liaison": "#D55E00"}


def actor_label(actor_type) -> str:
    """Legend words of an actor type (``"government_regency"`` -> ``"kabupaten/kota
    government"``); other values are returned with underscores as spaces.

    Examples
    --------
    >>> actor_label("government_province"), actor_label("my_group")
    ('provincial government', 'my group')
    """
    s = str(actor_type)
    return ACTOR_LABELS.get(s, s.replace("_", " "))


# Machado, Oliveira & Fernandes (2009), Table 1, severity 1.0, applied to linear RGB.
_CVD = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}


def _to_linear(rgb):
    rgb = np.asarray(rgb, dtype=float)
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _to_srgb(lin):
    lin = np.clip(np.asarray(lin, dtype=float), 0, 1)
    return np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * lin ** (1 / 2.4) - 0.055)


def simulate_cvd(color, kind: str = "deuteranopia"):
    """The sRGB colour (0-1 floats) a person with full protanopia, deuteranopia or
    tritanopia sees, by the model of Machado et al. (2009).

    Examples
    --------
    Greys stay grey:

    >>> [round(float(v), 3) for v in simulate_cvd("#808080", "deuteranopia")]
    [0.502, 0.502, 0.502]
    """
    if kind not in _CVD:
        raise ValueError(f"kind must be one of {sorted(_CVD)}, not {kind!r}")
    return tuple(_to_srgb(_CVD[kind] @ _to_linear(to_rgb(color))))


def to_lab(color):
    """CIELAB (D65) coordinates of a colour.

    Examples
    --------
    >>> [round(float(v), 1) for v in to_lab("#FF0000")]
    [53.2, 80.1, 67.2]
    """
    lin = _to_linear(to_rgb(color))
    M = np.array([[0.4124564, 0.3575761, 0.1804375],
                  [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = M @ lin / np.array([0.95047, 1.0, 1.08883])
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(c1, c2) -> float:
    """CIE76 colour difference (Euclidean distance in CIELAB); about 2.3 is just noticeable.

    Examples
    --------
    >>> round(delta_e("white", "black"), 1)
    100.0
    """
    return float(np.linalg.norm(to_lab(c1) - to_lab(c2)))


def min_pairwise_delta_e(colors, *, cvd: bool = True):
    """Smallest CIE76 difference between any two colours, for normal vision and (with
    ``cvd``) under simulated protanopia, deuteranopia and tritanopia.

    Returns
    -------
    (float, tuple)
        The smallest difference and ``(vision, i, j)`` of the pair that attains it
        (``i``, ``j`` are keys when ``colors`` is a mapping, else positions).

    Examples
    --------
    Red and green look alike to a deuteranope:

    >>> d, where = min_pairwise_delta_e(["#D62728", "#2CA02C"])
    >>> round(d) < 30, where[0]
    (True, 'deuteranopia')
    """
    items = list(colors.items()) if isinstance(colors, dict) else list(enumerate(colors))
    best, where = np.inf, None
    for vision in ("normal", *(_CVD if cvd else ())):
        labs = {k: to_lab(c if vision == "normal" else simulate_cvd(c, vision))
                for k, c in items}
        for (a, _), (b, _) in itertools.combinations(items, 2):
            d = float(np.linalg.norm(labs[a] - labs[b]))
            if d < best:
                best, where = d, (vision, a, b)
    return best, where
