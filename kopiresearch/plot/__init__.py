"""Every figure of kopiresearch (matplotlib only; no graphviz, GDAL or geopandas).

Functions take result tables or graphs and an optional ``ax`` and return the matplotlib
``Axes`` (or ``Figure``) they drew on. Nothing here computes a measure.
"""

from ._base import *  # noqa: F403
from ._base import __all__ as _base_all
from ._cascades import *  # noqa: F403
from ._cascades import __all__ as _cascades_all
from ._diffusion import *  # noqa: F403
from ._diffusion import __all__ as _diffusion_all
from ._maps import *  # noqa: F403
from ._maps import __all__ as _maps_all
from ._metrics import *  # noqa: F403
from ._metrics import __all__ as _metrics_all
from ._text import *  # noqa: F403
from ._text import __all__ as _text_all

__all__ = [*_base_all, *_maps_all, *_metrics_all, *_cascades_all, *_diffusion_all,
           *_text_all]
