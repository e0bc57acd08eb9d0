"""The journal: every entry file in a folder, loaded and checked in one pass.

This is the I/O edge of the core: it finds files, reads their bytes and hands
them to `reading` and `validation`. It never writes, except `create_entry`,
which only ever creates a new file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .entries import DATE_RANGE, SCHEMA_PATH, Entry, assign_slugs, date_in_range, entry_template, parse_session_date
from .problems import Problem, Severity, count_summary
from .reading import MAX_FILE_BYTES, ReadEntry, clip, read_entry, too_large
from .validation import Places, cross_entry_places, cross_entry_problems, date_after_today, entry_warnings, validate

ENTRY_SUFFIXES = (".yaml", ".yml")
_BACKUP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".bak", ".orig", ".tmp", ".rej")
TODAY_VARIABLE = "JOURNAL_TODAY"


@dataclass
class Journal:
    """The loaded journal. `entries` holds only entries without errors, in date order;
    every file that was left out has at least one error in `problems`."""

    folder: Path
    today: dt.date
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0
    # Each entry file's bytes as read, by the entry's real path: only when loaded with
    # `keep_originals` (the export copies them without reading any file a second time).
    originals: dict[str, bytes] = field(default_factory=dict, repr=False)
    # Every entry file found, as (its real path, its name in messages), in the order found:
    # what else looks at the files (`journal check`'s schema lines) need not list them again.
    files: list[tuple[str, str]] = field(default_factory=list, repr=False)
    # The day written in each entry file left out for its errors, by the file's name in
    # messages, when that day could be read: what a page names a left-out session by.
    error_days: dict[str, dt.date] = field(default_factory=dict, repr=False)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def sources_with_errors(self) -> list[str]:
        return sorted({p.source for p in self.errors})

    def summary(self) -> str:
        return count_summary(self.files_read, self.problems)


def resolve_today(value: str | dt.date | None = None) -> dt.date:
    """Today, unless given (an option, or the JOURNAL_TODAY variable) for repeatable runs."""
    if isinstance(value, dt.date):
        day = value
    else:
        text = value or os.environ.get(TODAY_VARIABLE)
        try:
            day = dt.date.fromisoformat(text.strip()) if text else dt.date.today()
        except ValueError:
            raise ValueError(f"today must be a date like 2026-04-02, not {text!r}") from None
    # Every session is on or before today, so this bounds the dates every later stage sees.
    if not date_in_range(day):
        raise ValueError(f"today ({day.isoformat()}) is outside the dates the journal accepts ({DATE_RANGE})")
    return day


def display_path(path: Path, base: Path | None = None) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    base = base or Path.cwd()
    try:
        text = Path(os.path.relpath(path, base)).as_posix() if _is_inside(path, base) else str(path)
    except ValueError:  # another drive on Windows
        text = str(path)
    return _printable_path(text)


def _printable_path(text: str) -> str:
    if text.isascii():
        return text  # what the lines below give for it, quicker
    try:  # a name that is not UTF-8 (café from an old disk) is shown as caf\xe9, and can be written out
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeError:
        return text.encode("utf-8", "replace").decode("utf-8")


def _display_paths(files: list[tuple[str, str]], base: Path | None = None) -> list[str]:
    """`display_path` of many files, each given as (folder, name): the folder's part is worked
    out once per folder, not once per file (which took longer than reading a journal of
    thousands of entries)."""
    base = base or Path.cwd()
    folders: dict[str, str | None] = {}
    shown = []
    for current, name in files:
        if current not in folders:
            parent = Path(current)
            relative = Path(os.path.relpath(parent, base)).as_posix() if _is_inside(parent, base) else None
            # the quick way only for a folder inside base whose name is shown as it is
            folders[current] = relative if relative is not None and display_path(parent, base) == relative else None
        folder = folders[current]
        if folder is None:
            shown.append(display_path(Path(current, name), base))
        else:
            shown.append(_printable_path(name if folder == "." else f"{folder}/{name}"))
    return shown


def _is_inside(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.abspath(path)).relative_to(os.path.abspath(folder))
        return True
    except ValueError:
        return False


def _is_ignored_name(name: str) -> bool:
    """Hidden files and the swap and backup files editors leave next to the real one."""
    return (
        name.startswith(".")
        or (name.startswith("#") and name.endswith("#"))
        or name.endswith(_BACKUP_SUFFIXES)
    )


def find_entry_files(folder: Path, base: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """The entry files below `folder`, and a message for everything that looks like one
    but cannot be read as one (links leading outside, folders named like entries...)."""
    found, problems = _find_entry_names(folder, base)
    return [Path(current, name) for current, name in found], problems


def _find_entry_names(folder: Path, base: Path | None = None) -> tuple[list[tuple[str, str]], list[Problem]]:
    """`find_entry_files`, giving each file as (its folder, as os.walk would name it, its name):
    a journal of thousands of files needs no Path object, nor a system call, per file. The
    folders are visited as os.walk visits them (a folder's files, then its folders, each
    in name order), so every result comes in the same order as before."""
    files: list[tuple[str, str]] = []
    problems: list[Problem] = []
    root = folder.resolve()

    def say(path: Path, message: str, severity: Severity = "error") -> None:
        problems.append(Problem(display_path(path, base), 1, 1, None, message, severity))

    waiting = [os.fspath(folder)]  # a stack, not recursion: no limit on how deep folders nest
    while waiting:
        current = waiting.pop()
        try:
            with os.scandir(current) as listing:
                children = list(listing)
        except OSError as error:
            say(Path(error.filename or folder), f"cannot be opened ({(error.strerror or str(error)).lower()})")
            continue
        folders: list[os.DirEntry[str]] = []
        others: list[os.DirEntry[str]] = []
        for child in children:
            try:
                is_folder = child.is_dir()  # a link to a folder counts, as in os.walk
            except OSError:
                is_folder = False
            (folders if is_folder else others).append(child)
        here = Path(current)
        walk_into = []
        for child in sorted(folders, key=_name):
            name = child.name
            if name.startswith("."):
                continue
            if child.is_symlink():  # from the listing: no system call
                say(here / name, "is a link to a folder, which is not followed; move the entries into entries/ itself", "warning")
                continue
            if name.lower().endswith(ENTRY_SUFFIXES):
                say(here / name, "is a folder, not an entry file, although its name ends in .yaml; the files inside it are read as entries", "warning")
            walk_into.append(name)
        for child in sorted(others, key=_name):
            name = child.name
            if _is_ignored_name(name):
                continue
            if not name.lower().endswith(ENTRY_SUFFIXES):
                say(here / name, "is not a .yaml or .yml file, so it is not read as an entry", "warning")
                continue
            if child.is_symlink():
                path = here / name
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    say(path, "is a link that leads nowhere (its target is missing, or links loop); remove it or copy the entry here")
                    continue
                if not _is_inside(target, root):
                    say(path, f"is a link to a file outside the entries folder ({target}); copy the entry into the folder instead")
                    continue
                if not target.is_file():
                    say(path, "is a link to something that is not a file")
                    continue
            files.append((current, name))
        waiting.extend(os.path.join(current, name) for name in reversed(walk_into))
    return files, problems


def _name(child: os.DirEntry[str]) -> str:
    return child.name


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _read_bytes(path: str | Path, source: str) -> bytes | ReadEntry:
    """The file's bytes; when it cannot be read as an entry, a ReadEntry saying why."""
    try:
        # Non-blocking, and checked on the open file: a named pipe called x.yaml must not
        # wait forever for a writer, nor be swapped in between a check and the read.
        descriptor = os.open(path, _OPEN_FLAGS)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                read = ReadEntry(source)
                read.problems.append(Problem(
                    source, 1, 1, None,
                    "is not a regular file (it is a named pipe, a device or a socket), so it is not "
                    "read; an entry is a plain text file",
                ))
                return read
            if status.st_size > MAX_FILE_BYTES:
                return too_large(source, status.st_size)  # said without reading it into memory
            with open(descriptor, "rb", closefd=False) as handle:
                raw = handle.read(status.st_size + 1)  # not a 1 MiB buffer for every small file
                if len(raw) > status.st_size:  # it grew since: read on, up to the limit
                    raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
        finally:
            os.close(descriptor)
    except PermissionError:
        read = ReadEntry(source)
        read.problems.append(Problem(source, 1, 1, None, "cannot be read (permission denied); check the file's permissions"))
        return read
    except OSError as error:
        read = ReadEntry(source)
        read.problems.append(Problem(source, 1, 1, None, f"cannot be read ({(error.strerror or str(error)).lower()})"))
        return read
    return raw


Checked = tuple[ReadEntry, "Entry | None", list[Problem]]


class EntryCache:
    """What reading and checking each file gave, by the file's name and exact bytes, so that
    a rebuild (`journal serve`, on every edit) does not read and check the files that did
    not change again. Exact, because reading and checking depend on nothing else; warnings
    that depend on today are worked out anew every time. Keeps the files of the last load."""

    def __init__(self) -> None:
        self._kept: dict[tuple[str, str, bytes], Checked] = {}
        self._used: dict[tuple[str, str, bytes], Checked] = {}

    def check(self, raw: bytes, source: str, path: str = "") -> Checked:
        key = (path, source, raw)  # two files can be shown alike (a literal caf\xe9.yaml)
        found = self._used.get(key) or self._kept.get(key)
        if found is None:
            read = read_entry(raw, source)
            found = (read, *validate(read))
        self._used[key] = found
        return found

    def end_load(self) -> None:
        self._kept, self._used = self._used, {}


def _check(raw: bytes | ReadEntry, path: str, source: str, cache: EntryCache | None,
           originals: dict[str, bytes] | None = None) -> Checked:
    """Read and check one file's bytes (`raw`: `_read_bytes`' answer)."""
    if isinstance(raw, ReadEntry):  # the file could not be read
        return (raw, None, [])
    if cache is not None:
        checked = cache.check(raw, source, path)
    else:
        read = read_entry(raw, source)
        checked = (read, *validate(read))
    entry = checked[1]
    if entry is not None:
        if originals is not None:  # only the entries' bytes are kept
            originals[path] = raw
        # the real path, for reading the file again (the export): `source` is only its name in messages
        entry.__pydantic_private__["_path"] = path
    return checked


# Files are read in batches, and then the batch is checked: reading and checking each
# file in turn was about 10% slower (`journal check` of 10,000 entries: 0.1 s of CPU in
# 1.0, in-process), the system calls in between costing the parser its caches. A batch
# keeps only a few hundred files' bytes in memory at a time.
READ_BATCH = 256


def _read_batch(named: list[tuple[str, str]]) -> list[bytes | ReadEntry | Exception]:
    found: list[bytes | ReadEntry | Exception] = []
    for path, source in named:
        try:
            found.append(_read_bytes(path, source))
        except Exception as error:  # noqa: BLE001 - reported with the file, as a failure to check it is
            found.append(error)
    return found


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a journal loads: it would otherwise look at the
    many small objects of every entry read so far again and again. What it would collect is
    collected after. Measured (benchmarks/RESULTS.md, "Speed tricks"): without it, loading
    1,000 entries takes 5-7 ms more CPU (0.12 s), and `journal check` of 10,000 entries
    0.3-0.5 s more (+15-20%), too much for its target of 1.3x the bare libyaml parse."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def written_day(value: object) -> dt.date | None:
    """The day a `date:` value gives, as an entry would read it; None when it gives none
    the journal accepts."""
    try:
        when = parse_session_date(value)
    except ValueError:  # PydanticCustomError: not a date
        return None
    day = when.date() if isinstance(when, dt.datetime) else when
    return day if isinstance(day, dt.date) and date_in_range(day) else None


def load_journal(
    folder: Path | str, today: dt.date | str | None = None, base: Path | None = None, cache: EntryCache | None = None,
    providers: tuple[tuple[str, tuple[str, ...]], ...] = (), keep_originals: bool = False,
) -> Journal:
    """Load every entry file in `folder`, collecting every problem (never stopping at the first).
    With a `cache` (kept between loads), files that did not change are not checked again.
    `providers`: the plugin's setting (Settings.providers), so that spellings it joins are
    not reported as likely the same prescriber. `keep_originals`: keep each entry's bytes
    in `Journal.originals`."""
    with collector_paused():
        journal = _load_journal(Path(folder), today, base, cache, providers, keep_originals)
    if cache is not None:
        cache.end_load()
    return journal


def _check_one(journal: Journal, checked: list[tuple[Entry, Places]], raw: bytes | ReadEntry | Exception,
               path: str, source: str, cache: EntryCache | None, originals: dict[str, bytes] | None) -> None:
    """Check one file read for `_load_journal`: its problems into the journal, its entry into `checked`."""
    try:
        if isinstance(raw, Exception):
            raise raw  # reading it failed unexpectedly
        read, entry, value_problems = _check(raw, path, source, cache, originals)
        if entry is not None and not any(p.severity == "error" for p in read.problems):
            # a file with an error found while reading it: its follow-up reminders wait
            value_problems = value_problems + entry_warnings(entry, read, journal.today)
        elif entry is None and (future := date_after_today(read, journal.today)) is not None:
            value_problems = [*value_problems, future]  # every error of the file in one run
    except Exception as error:  # noqa: BLE001 - the last resort for one file: the others still load
        import logging  # only when it is needed: `journal check` need not load it

        # `journal --debug` shows this traceback
        logging.getLogger(__name__).debug("unexpected failure while reading %s", source, exc_info=True)
        read, entry, value_problems = ReadEntry(source), None, []
        read.problems.append(Problem(
            source, 1, 1, None,
            f"could not be read because of an unexpected problem ({type(error).__name__}: "
            f"{clip(str(error), 200)}); please report it",
        ))
    journal.files_read += 1
    journal.problems.extend(read.problems)
    journal.problems.extend(value_problems)
    if entry is None and isinstance(read.data, dict) and "date" in read.data:
        day = written_day(read.data["date"])  # the session's day, though its entry has errors
        if day is not None:
            journal.error_days[source] = day
    if entry is not None:
        # Only the places the checks across entries point at are needed from here on:
        # the rest is let go now, which with thousands of entries saves memory and time.
        checked.append((entry, cross_entry_places(read)))


def _load_journal(folder: Path, today: dt.date | str | None, base: Path | None, cache: EntryCache | None,
                  providers: tuple[tuple[str, tuple[str, ...]], ...] = (), keep_originals: bool = False) -> Journal:
    journal = Journal(folder=folder, today=resolve_today(today))
    originals = journal.originals if keep_originals else None
    if not folder.is_dir():
        journal.problems.append(
            Problem(display_path(folder, base), 1, 1, None,
                    "is a file, not a folder; give the folder that holds the entry files" if folder.exists() else
                    "the entries folder does not exist; create it, or run `journal new` to write a first entry")
        )
        return journal
    files, problems = _find_entry_names(folder, base)
    journal.problems.extend(problems)
    checked: list[tuple[Entry, Places]] = []
    journal.files = [(os.path.join(current, name), source) for (current, name), source in zip(files, _display_paths(files, base))]
    for start in range(0, len(journal.files), READ_BATCH):
        named = journal.files[start:start + READ_BATCH]
        for (path, source), raw in zip(named, _read_batch(named)):
            _check_one(journal, checked, raw, path, source, cache, originals)
    ordered = sorted(checked, key=lambda pair: pair[0].sort_key)  # once, for the checks and the entries
    journal.problems.extend(cross_entry_problems(checked, journal.today, providers, ordered))
    failed = {p.source for p in journal.errors}
    journal.entries = [e for e, r in ordered if r.source not in failed]
    journal.error_days.update((r.source, e.day) for e, r in ordered if r.source in failed)
    assign_slugs(journal.entries)
    journal.problems.sort(key=lambda p: (p.source, p.line, p.column, p.severity, p.message))
    return journal


# The copy of the schema that `journal init` puts in a journal folder, beside entries/.
LOCAL_SCHEMA_NAME = "entry.schema.json"


def schema_reference(folder: Path) -> str:
    """The schema path as the editor's YAML extension wants it: relative to the entry file.
    The journal folder's own copy when there is one: it stays valid when the folder moves or
    the tool is upgraded, where a path into the install does not."""
    local = folder.resolve().parent / LOCAL_SCHEMA_NAME
    target = local if local.is_file() else SCHEMA_PATH
    try:
        return Path(os.path.relpath(target, folder.resolve())).as_posix()
    except ValueError:
        return target.as_uri()


def create_entry(folder: Path, when: dt.date | dt.datetime, now: dt.datetime | None = None,
                 today: dt.date | None = None) -> Path:
    """Write a new entry from the template and return its path. Never overwrites: a second
    session on the same day gets `-2` in its name. Two sessions on one day need times to be
    told apart: a second one written on its day (`today`, the day of `now` unless given) gets
    the clock's time, to be changed to the session's; for an earlier day no time is made up,
    and the date is left for the person to complete (the command line says so)."""
    folder.mkdir(parents=True, exist_ok=True)
    day = when.date() if isinstance(when, dt.datetime) else when
    now = now or dt.datetime.now()
    stem = day.isoformat()
    number = 1
    while True:
        name = f"{stem}.yaml" if number == 1 else f"{stem}-{number}.yaml"
        path = folder / name
        if number > 1 and not isinstance(when, dt.datetime) and day == (today or now.date()):
            when = dt.datetime.combine(day, now.time().replace(second=0, microsecond=0))
        text = entry_template(when, schema_reference(folder))
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except FileExistsError:
            number += 1
