"""Writing output so that no run loses an entry, leaves a half-made result or a copy
of the report behind, or spoils another run's output.

- `check_output`: the output path, links followed, is refused when it is inside the
  entries folder or holds it (swapping it out would delete the entries).
- `writing_output`: a lock per output, held for the whole run, so a second run on
  the same output refuses instead of removing the first one's files; what a killed
  run left (staging folders, the previous site) is removed while holding it; an
  OSError becomes one plain line (`OutputError`).
- `replace_directory` / `replace_file`: everything is written next to the target
  first and moved into place at the end; a run killed half way leaves the previous
  output as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .problems import one_line

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]  # None marks the lock below as Windows' msvcrt one
    import msvcrt

STAGING_MARK = ".building-"
PREVIOUS_MARK = ".previous-"
LOCK_SUFFIX = ".lock"


class OutputError(Exception):
    """The output cannot be written; the message is one plain line (exit status 1)."""


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


def _reason(error: OSError) -> str:
    reason = error.strerror or str(error) or type(error).__name__
    # on a full disk the file it happened on says nothing; otherwise it says where
    if error.filename is not None and error.errno not in (errno.ENOSPC, errno.EDQUOT):
        reason += f": {os.fsdecode(error.filename)}"
    return reason


def _check_place(target: Path, folder: bool) -> None:
    """Refuse a target that is not a folder (for a site) or not a plain file (for a zip),
    such as /dev/null, and a target whose nearest existing parent is not a folder."""
    if os.path.lexists(target):
        if folder and not target.is_dir():
            raise OutputError(f"{target} already exists and is not a folder; it is left as it is, so choose another place")
        if not folder and not target.is_file():
            raise OutputError(f"{target} already exists and is not a plain file; it is left as it is, so choose another place")
        if folder and not _is_report_or_empty(target):
            # The site folder is replaced whole: a folder of other files (--site-dir ~/Documents)
            # would be deleted with them.
            raise OutputError(
                f"{target} already holds files that are not a journal report; replacing it would delete "
                "them, so it is left as it is: choose a new or empty folder"
            )
        return
    parent = target.parent
    while not os.path.lexists(parent) and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise OutputError(f"cannot write {target}: {parent} is not a folder")


REPORT_MARK = Path("assets") / "journal"  # every journal report holds its own assets here


def _is_report_or_empty(folder: Path) -> bool:
    """Whether `folder` is a report an earlier build wrote (or an empty folder)."""
    return (folder / REPORT_MARK).is_dir() or next(folder.iterdir(), None) is None


@contextlib.contextmanager
def _lock(target: Path, command: str) -> Iterator[None]:
    """Hold `.NAME.lock` beside the target; refuse when another run holds it. The file is
    removed at the end: a run that opened it meanwhile sees it gone and tries again."""
    path = target.with_name(f".{target.name}{LOCK_SUFFIX}")
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:
                msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
        except OSError as error:
            if error.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                break  # a file system without locks: writing unlocked beats never writing
            os.close(handle)
            if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
                raise OutputError(f"another {command} is writing {target}; wait for it to finish, then run this again") from None
            raise
        try:
            current = os.stat(path)
        except FileNotFoundError:
            current = None
        if current is not None and os.path.samestat(os.fstat(handle), current):
            break
        os.close(handle)  # removed by the run that held it just now: lock the new one
    try:
        yield
    finally:
        if fcntl is not None:
            with contextlib.suppress(OSError):
                os.unlink(path)
            os.close(handle)
        else:  # Windows removes no open file
            os.close(handle)
            with contextlib.suppress(OSError):
                os.unlink(path)


def _make_writable(folder: Path) -> None:
    """Give the owner write access to `folder` and every folder in it, so that it can be
    removed (a read-only copy of the site, for example)."""
    folder.chmod(stat.S_IMODE(folder.lstat().st_mode) | stat.S_IRWXU)
    for root, folders, _ in os.walk(folder):  # top down: each one is opened after its chmod
        for name in folders:
            path = Path(root, name)
            if not path.is_symlink():
                path.chmod(stat.S_IMODE(path.lstat().st_mode) | stat.S_IRWXU)


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
        return
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError:
        _make_writable(path)
        shutil.rmtree(path)


def leftovers(target: Path) -> list[Path]:
    """What a killed run left beside `target`: its staging folder or file, the previous site."""
    marks = (f".{target.name}{STAGING_MARK}", f".{target.name}{PREVIOUS_MARK}")
    return sorted(p for p in target.parent.iterdir() if p.name.startswith(marks))


@contextlib.contextmanager
def writing_output(target: Path, command: str, folder: bool) -> Iterator[None]:
    """Around everything a run writes to `target` (resolved, see `check_output`): its lock,
    then what earlier runs left removed; any OSError comes out as one plain OutputError.
    `command` ("journal build") names the other run when one holds the lock."""
    try:
        _check_place(target, folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        with _lock(target, command):
            for leftover in leftovers(target):
                try:
                    _remove(leftover)
                except OSError as error:
                    print(f"{command}: cannot remove {leftover}, left by an earlier run ({one_line(_reason(error))}); "
                          "it may hold a copy of your report: remove it yourself", file=sys.stderr)
            yield
    except OSError as error:
        raise OutputError(f"cannot write {target}: {one_line(_reason(error))}") from error


def replace_directory(target: Path, write: Callable[[Path], None]) -> None:
    """Call `write(folder)` on an empty folder beside `target`, then put it in
    target's place. If `write` fails (or the process is killed), `target` is untouched."""
    target = Path(os.path.abspath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_MARK}", dir=target.parent))
    try:
        write(staging)
        previous = None
        if os.path.lexists(target):
            previous = target.with_name(f".{target.name}{PREVIOUS_MARK}{os.getpid()}")
            os.replace(target, previous)
        try:
            os.replace(staging, target)
        except BaseException:
            if previous is not None:
                os.replace(previous, target)
            raise
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if previous is not None:
        with contextlib.suppress(OSError):  # else the next run removes it
            _remove(previous)


def replace_file(target: Path, write: Callable[[Path], object]) -> None:
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
