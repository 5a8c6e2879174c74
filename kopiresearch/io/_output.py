"""Output folders that are complete or absent: corpora, the bundled data and aggregates.

:func:`output_folder` hands out a temporary folder beside the destination; the writer fills
it; only when everything is written (and flushed to disk) is it renamed into place. A crash,
a full disk or an exception in between leaves the destination as it was (the old output, or
nothing) and removes the temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from pathlib import Path

from ..errors import OutputError

__all__ = ["output_folder", "OWN_NAMES"]

#: Names that kopiresearch writes into an output folder. ``overwrite=True`` replaces a folder
#: only if everything in it matches: a typo such as ``--out ~ --overwrite`` never deletes
#: anything else.
OWN_NAMES = re.compile(
    r"(?:accounts|posts|interactions)(?:\.parquet|\.csv|\.csv\.gz)?|reports|load_report\.json"
    r"|edges\.parquet|region_flows_\w+\.csv|follows\.csv\.gz|cascade_truth\.csv\.gz"
    r"|ground_truth\.json|DATACARD\.md|\.DS_Store")


@contextlib.contextmanager
def output_folder(folder, *, overwrite: bool = False, flag: str = "overwrite=True"):
    """Yield a fresh temporary folder that replaces ``folder`` when the block succeeds.

    Parameters
    ----------
    folder : path-like
        The destination. Its parent is created if missing.
    overwrite : bool
        Replace an existing ``folder`` that holds files (only files kopiresearch writes, see
        :data:`OWN_NAMES`). Without it, a non-empty ``folder`` is refused before anything is
        written.
    flag : str
        How the caller spells ``overwrite`` in messages (``--overwrite`` on the command line).

    Yields
    ------
    pathlib.Path
        The temporary folder (``.<name>.tmp-<random>`` beside ``folder``) to write into.

    Raises
    ------
    OutputError
        ``folder`` is a file; holds files and ``overwrite`` is false; holds files that
        kopiresearch did not write; or writing failed (``OSError``, e.g. disk full, or an
        Arrow error at write time). The message names the folder and the cause, which is
        chained.

    Notes
    -----
    On success, an existing ``folder`` is first renamed aside, then the temporary folder is
    renamed to ``folder``, then the old one is deleted: at every instant ``folder`` is either
    the complete old output, the complete new one, or absent. Files are flushed with
    ``fsync`` before the rename, so that a power loss does not leave a renamed folder of
    empty files.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = os.path.join(d, "out")
    ...     with output_folder(out) as tmp:
    ...         _ = (tmp / "load_report.json").write_text("{}")
    ...     try:
    ...         with output_folder(out) as tmp:
    ...             pass
    ...     except Exception as exc:
    ...         print(type(exc).__name__)
    ...     print(sorted(os.listdir(d)))
    OutputError
    ['out']
    """
    import pyarrow as pa

    folder = Path(folder)
    check_destination(folder, overwrite=overwrite, flag=flag)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = folder.parent / f".{folder.name}.tmp-{uuid.uuid4().hex[:12]}"
        tmp.mkdir()
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc}", path=folder) from exc
    try:
        yield tmp
        _fsync_tree(tmp)
        check_destination(folder, overwrite=overwrite, flag=flag)  # nobody wrote meanwhile
        old = None
        if folder.exists():
            old = folder.parent / f".{folder.name}.old-{uuid.uuid4().hex[:12]}"
            os.replace(folder, old)
        os.replace(tmp, folder)
        _fsync_dir(folder.parent)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except (OSError, pa.ArrowException) as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise OutputError(f"writing failed, nothing was changed ({type(exc).__name__}: {exc})",
                          path=folder) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def check_destination(folder: Path, *, overwrite: bool, flag: str = "overwrite=True") -> None:
    """Raise :class:`OutputError` unless ``folder`` may be (re)placed by a new output."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError("is a file, not a folder; choose a folder name for the output",
                          path=folder)
    if folder.is_file() or any(p.exists() and not p.is_dir() for p in folder.parents):
        raise OutputError("a parent of the output folder is a file", path=folder)
    if not folder.is_dir():
        return
    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError as exc:
        raise OutputError(f"cannot read the output folder: {exc}", path=folder) from exc
    if not names:
        return
    if not overwrite:
        raise OutputError(f"the folder already holds {len(names)} entries ({', '.join(names[:3])}"
                          f"{', ...' if len(names) > 3 else ''}); pass {flag} to replace it, "
                          "or choose another folder", path=folder)
    foreign = [n for n in names if not OWN_NAMES.fullmatch(n)]
    if foreign:
        listed = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise OutputError(f"the folder holds files kopiresearch did not write ({listed}); "
                          f"refusing to replace it even with {flag}", path=folder)


def _fsync_tree(root: Path) -> None:
    for dirpath, _, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(dirpath, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(dirpath))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory descriptors
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
