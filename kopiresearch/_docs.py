"""Docstring text that several public functions share: one place for a reference or a
parameter that they document the same way.

A docstring names a shared block by a line holding only ``{{name}}``; :func:`fill_doc` puts
the block there, indented as that line (as SciPy's ``doccer`` and pandas' shared docs do).
The blocks are plain numpydoc text, so the docstring that users (``help``, Sphinx) and the
doctests see is the filled one.
"""

from __future__ import annotations

import re

__all__ = ["DOCS", "fill_doc"]

#: The shared blocks by name.
DOCS = {
    # references
    "goel2016": """\
Goel, S., Anderson, A., Hofman, J. & Watts, D. J. (2016). The structural virality of
online diffusion. *Management Science* 62(1), 180-196. doi:10.1287/mnsc.2015.2158""",
    "kempe2003_tang2015": """\
Kempe, D., Kleinberg, J. & Tardos, E. (2003). Maximizing the spread of influence through a
social network. KDD '03. doi:10.1145/956750.956769.
Tang, Y., Shi, Y. & Xiao, X. (2015). Influence maximization in near-linear time: a
martingale approach. SIGMOD '15. doi:10.1145/2723372.2723734.""",
    "takhteyev2012": """\
Takhteyev, Y., Gruzd, A. & Wellman, B. (2012). Geography of Twitter networks. *Social
Networks* 34(1), 73-81. doi:10.1016/j.socnet.2011.05.006""",
    # parameters
    "G_by": """\
G : networkx.Graph or networkx.DiGraph
    The graph.
by : str, mapping or callable, default "actor_type"
    Group of each node (see :func:`kopiresearch.metrics.mixing_matrix`).""",
    "G_interactions": """\
G : networkx.DiGraph
    The interaction graph (edges actor -> account engaged, attribute ``weight``).""",
    "loader_validate_progress": """\
validate : bool
    Validate the corpus (default; switch it off only to time the reading alone).
progress : object, optional
    Told of each file as it is read (``progress.start(path)``,
    ``progress.done(path, rows)``) and of the build (``progress.stage(text)``); see
    :func:`~kopiresearch.io.load_any`.""",
    "labelings": """\
a, b : array-like
    Labels of the same items, in the same order.""",
    # sections
    "returns_axes": """\
Returns
-------
matplotlib.axes.Axes""",
    "returns_figure": """\
Returns
-------
matplotlib.figure.Figure""",
}

_PLACE = re.compile(r"^([ \t]*)\{\{(\w+)\}\}[ \t]*$", flags=re.MULTILINE)


def fill_doc(func):
    """Decorator: fill the ``{{name}}`` lines of ``func``'s docstring from :data:`DOCS`.

    Raises
    ------
    KeyError
        A ``{{name}}`` that :data:`DOCS` does not hold (a typo shows at import).

    Examples
    --------
    >>> @fill_doc
    ... def f(a, b):
    ...     '''Compare two labelings.
    ...
    ...     Parameters
    ...     ----------
    ...     {{labelings}}
    ...     '''
    >>> print(f.__doc__.strip())
    Compare two labelings.
    <BLANKLINE>
        Parameters
        ----------
        a, b : array-like
            Labels of the same items, in the same order.
    """
    if func.__doc__:
        func.__doc__ = _PLACE.sub(_block, func.__doc__)
    return func


def _block(match) -> str:
    indent, name = match.group(1), match.group(2)
    return "\n".join(indent + line if line else line for line in DOCS[name].splitlines())
