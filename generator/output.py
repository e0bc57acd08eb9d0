"""Writing output so that no run loses an entry or leaves a half-made result.

The output path, links followed, is refused when it is inside the entries folder
or holds it (`check_output`). Everything is written next to the target first and
moved into place at the end; a run killed half way leaves the previous output as
it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

STAGING_MARK = ".building-"


class OutputOverlapsEntries(ValueError):
    """The output path is inside the entries folder or holds it (a wrong option)."""


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(output: Path, entries: Path, option: str) -> Path:
    """`output` resolved (links followed), refused when the entries folder would be written
    into or replaced with it. `option` names where the path came from, for the message."""
    target = Path(os.path.realpath(output))
    entries = Path(os.path.realpath(entries))
    if _within(target, entries):
        raise OutputOverlapsEntries(
            f"{target} is inside the entries folder {entries}; nothing is ever written there, so choose another {option}"
        )
    if _within(entries, target):
        raise OutputOverlapsEntries(
            f"{target} holds the entries folder {entries}; writing there would replace it, entries included, so choose another {option}"
        )
    return target


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
