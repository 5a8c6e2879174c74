"""Figures (see kopiresearch.plot)."""

__all__: list[str] = []
