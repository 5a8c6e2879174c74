"""Exceptions raised by kopiresearch.

Every error the package raises on bad input is a subclass of :class:`KopiresearchError`.
Messages name where the problem is (file or table, line or row, column) and say what was
expected, so that a researcher can fix the input without reading a traceback.
"""

from __future__ import annotations

__all__ = [
    "KopiresearchError",
    "SchemaError",
    "MissingColumnError",
    "DtypeError",
    "CategoryError",
    "DuplicateIdError",
    "TimezoneError",
    "DanglingReferenceError",
    "RegionError",
    "UnknownRegionError",
    "AmbiguousRegionError",
    "InputFormatError",
    "UnknownFormatError",
    "DataNotFoundError",
    "OutputError",
    "InternalError",
    "DiffusionError",
]


class KopiresearchError(Exception):
    """Base class of every error raised by kopiresearch on bad input or bad arguments."""


def _where(table=None, row=None, column=None, file=None, line=None):
    parts = []
    if file is not None:
        parts.append(f"file {file}")
    if line is not None:
        parts.append(f"line {line}")
    if table is not None:
        parts.append(f"table {table!r}")
    if row is not None:
        parts.append(f"row {row!r}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


class SchemaError(KopiresearchError, ValueError):
    """A canonical table does not follow its schema.

    Attributes ``table``, ``row`` and ``column`` say where; ``expected`` what was expected.
    """

    def __init__(self, message, *, table=None, row=None, column=None, expected=None):
        self.table, self.row, self.column, self.expected = table, row, column, expected
        where = _where(table=table, row=row, column=column)
        text = f"{where}: {message}" if where else message
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)


class MissingColumnError(SchemaError):
    """A required column is absent."""


class DtypeError(SchemaError):
    """A column has the wrong dtype or a value that cannot be converted."""


class CategoryError(SchemaError):
    """A value is not one of the known categories (actor type, kind, platform)."""


class DuplicateIdError(SchemaError):
    """An identifier that must be unique occurs twice."""


class TimezoneError(SchemaError):
    """A timestamp column is naive or not in UTC."""


class DanglingReferenceError(SchemaError):
    """A row refers to an id that does not exist in the table it points to."""


class RegionError(KopiresearchError, LookupError):
    """A region code or name could not be resolved."""


class UnknownRegionError(RegionError):
    """No East Java kabupaten/kota has this code or name."""


class AmbiguousRegionError(RegionError):
    """A bare name names both a kabupaten and a kota (for example ``"Kediri"``)."""

    def __init__(self, message, candidates=()):
        self.candidates = tuple(candidates)
        super().__init__(message)


class InputFormatError(KopiresearchError, ValueError):
    """An input file is malformed at a given place.

    Attributes ``file``, ``line`` and ``column`` say where (any may be ``None``).
    """

    def __init__(self, message, *, file=None, line=None, column=None):
        self.file, self.line, self.column = file, line, column
        where = _where(file=file, line=line, column=column)
        super().__init__(f"{where}: {message}" if where else message)


class UnknownFormatError(InputFormatError):
    """An input file matches none of the formats a loader knows."""

    def __init__(self, message, *, file=None, tried=()):
        self.tried = tuple(tried)
        if self.tried:
            message += "; formats tried: " + ", ".join(self.tried)
        super().__init__(message, file=file)


class DataNotFoundError(KopiresearchError, FileNotFoundError):
    """A bundled data file could not be found."""


class OutputError(KopiresearchError):
    """An output cannot be written where asked: the folder holds files (and overwriting was
    not asked for), it names a file, or writing failed (disk full, permissions). Nothing
    half-written is left behind. Attribute ``path`` names the output."""

    def __init__(self, message, *, path=None):
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {message}" if path is not None else message)


class InternalError(KopiresearchError, RuntimeError):
    """A bug in kopiresearch, met while handling an input (the original exception is
    chained as ``__cause__``). Please report it with the input that caused it.

    Test suites see the original exception instead: set ``KOPIRESEARCH_RAISE_BUGS=1`` (the
    project's ``conftest.py`` does). Attribute ``file`` names the input, when known."""

    def __init__(self, message, *, file=None):
        self.file = None if file is None else str(file)
        super().__init__(f"file {self.file}: {message}" if file is not None else message)


class DiffusionError(KopiresearchError, ValueError):
    """A diffusion or seeding argument is out of range, missing or not in the graph."""
