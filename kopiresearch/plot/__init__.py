"""Every figure of kopiresearch (matplotlib; no graphviz, GDAL or geopandas), and an
interactive network view (ipysigma).

Functions take result tables or graphs and an optional ``ax`` and return the matplotlib
``Axes`` (or ``Figure``) they drew on; :func:`save_figure` writes it as PNG and SVG at
print resolution in one call, and :func:`house_style` sizes text for a journal column.
Colours come from one palette (:mod:`kopiresearch.plot._palette`): colour-blind-safe
actor-type colours (:data:`ACTOR_COLORS`) and perceptually uniform map scales. Nothing
here computes a measure.
"""

from ._base import *  # noqa: F403
from ._base import __all__ as _base_all
from ._cascades import *  # noqa: F403
from ._cascades import __all__ as _cascades_all
from ._diffusion import *  # noqa: F403
from ._diffusion import __all__ as _diffusion_all
from ._interactive import *  # noqa: F403
from ._interactive import __all__ as _interactive_all
from ._maps import *  # noqa: F403
from ._maps import __all__ as _maps_all
from ._metrics import *  # noqa: F403
from ._metrics import __all__ as _metrics_all
from ._palette import *  # noqa: F403
from ._palette import __all__ as _palette_all
from ._style import *  # noqa: F403
from ._style import __all__ as _style_all
from ._text import *  # noqa: F403
from ._text import __all__ as _text_all

__all__ = sorted({*_base_all, *_maps_all, *_metrics_all, *_cascades_all, *_diffusion_all,
                  *_text_all, *_palette_all, *_style_all, *_interactive_all})
