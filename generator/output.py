"""Writing output so that an interrupted run never leaves a half-made result.

Everything is written next to the target first and moved into place at the
end; a run killed half way leaves the previous output as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

STAGING_MARK = ".building-"


def _stale_staging(target: Path) -> list[Path]:
    return [p for p in target.parent.glob(f".{target.name}{STAGING_MARK}*") if p.is_dir()]


def replace_directory(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(folder)` on an empty folder beside `target`, then put it in
    target's place. If `write` fails (or the process is killed), `target` is untouched."""
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    for leftover in _stale_staging(target):  # from a run that was killed
        shutil.rmtree(leftover, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_MARK}", dir=target.parent))
    try:
        write(staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = None
    if target.exists():
        previous = target.with_name(f".{target.name}.previous-{os.getpid()}")
        os.replace(target, previous)
    os.replace(staging, target)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def replace_file(target: Path, write: Callable[[Path], None]) -> None:
    """The same for one file: written to a temporary name beside it, then renamed."""
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}{STAGING_MARK}", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
