"""The journal: every entry file in a folder, loaded and checked in one pass.

This is the I/O edge of the core: it finds files, reads their bytes and hands
them to `reading` and `validation`. It never writes, except `create_entry`,
which only ever creates a new file.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from .entries import SCHEMA_PATH, Entry, entry_template
from .problems import Problem, count_summary
from .reading import MAX_FILE_BYTES, ReadEntry, read_entry
from .validation import cross_entry_problems, follow_up_warnings, validate

ENTRY_SUFFIXES = (".yaml", ".yml")
_BACKUP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".bak", ".orig", ".tmp", ".rej")
TODAY_VARIABLE = "JOURNAL_TODAY"
LENIENT_VARIABLE = "JOURNAL_LENIENT"  # set by `journal serve --lenient` for the plugin


@dataclass
class Journal:
    """The loaded journal. `entries` holds only entries without errors, in date order;
    every file that was left out has at least one error in `problems`."""

    folder: Path
    today: dt.date
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files_read: int = 0

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
        return value
    text = value or os.environ.get(TODAY_VARIABLE)
    if text:
        try:
            return dt.date.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"today must be a date like 2026-04-02, not {text!r}") from None
    return dt.date.today()


def display_path(path: Path, base: Path | None = None) -> str:
    """How a file is named in messages: relative to the working folder when inside it."""
    base = base or Path.cwd()
    try:
        return Path(os.path.relpath(path, base)).as_posix() if _is_inside(path, base) else str(path)
    except ValueError:  # another drive on Windows
        return str(path)


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
    files: list[Path] = []
    problems: list[Problem] = []
    root = folder.resolve()

    def say(path: Path, message: str, severity: str = "error") -> None:
        problems.append(Problem(display_path(path, base), 1, 1, None, message, severity))

    for current, dirs, names in os.walk(folder, onerror=lambda e: say(Path(e.filename or folder), f"cannot be opened ({e.strerror.lower()})")):
        here = Path(current)
        for name in sorted(dirs):
            path = here / name
            if name.startswith("."):
                dirs.remove(name)
            elif path.is_symlink():
                say(path, "is a link to a folder, which is not followed; move the entries into entries/ itself", "warning")
            elif name.lower().endswith(ENTRY_SUFFIXES):
                say(path, "is a folder, not an entry file, although its name ends in .yaml; the files inside it are read as entries", "warning")
        dirs.sort()
        for name in sorted(names):
            path = here / name
            if _is_ignored_name(name):
                continue
            if not name.lower().endswith(ENTRY_SUFFIXES):
                say(path, "is not a .yaml or .yml file, so it is not read as an entry", "warning")
                continue
            if path.is_symlink():
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
            files.append(path)
    return files, problems


def _read_file(path: Path, source: str) -> ReadEntry:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            # Say so without reading a huge file into memory.
            return read_entry(b" " * (MAX_FILE_BYTES + 1), source)
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        read = ReadEntry(source)
        read.problems.append(Problem(source, 1, 1, None, "cannot be read (permission denied); check the file's permissions"))
        return read
    except OSError as error:
        read = ReadEntry(source)
        read.problems.append(Problem(source, 1, 1, None, f"cannot be read ({(error.strerror or str(error)).lower()})"))
        return read
    return read_entry(raw, source)


def load_journal(folder: Path | str, today: dt.date | str | None = None, base: Path | None = None) -> Journal:
    """Load every entry file in `folder`, collecting every problem (never stopping at the first)."""
    folder = Path(folder)
    journal = Journal(folder=folder, today=resolve_today(today))
    if not folder.is_dir():
        journal.problems.append(
            Problem(display_path(folder, base), 1, 1, None,
                    "the entries folder does not exist; create it, or run `journal new` to write a first entry")
        )
        return journal
    files, problems = find_entry_files(folder, base)
    journal.problems.extend(problems)
    checked: list[tuple[Entry, ReadEntry]] = []
    for path in files:
        source = display_path(path, base)
        read = _read_file(path, source)
        journal.files_read += 1
        entry, value_problems = validate(read)
        journal.problems.extend(read.problems)
        journal.problems.extend(value_problems)
        if entry is not None:
            journal.problems.extend(follow_up_warnings(entry, read, journal.today))
            checked.append((entry, read))
    journal.problems.extend(cross_entry_problems(checked, journal.today))
    failed = {p.source for p in journal.errors}
    journal.entries = sorted((e for e, r in checked if r.source not in failed), key=lambda e: e.sort_key)
    journal.problems.sort(key=lambda p: (p.source, p.line, p.column, p.severity, p.message))
    return journal


def schema_reference(folder: Path) -> str:
    """The schema path as the editor's YAML extension wants it: relative to the entry file."""
    try:
        return Path(os.path.relpath(SCHEMA_PATH, folder.resolve())).as_posix()
    except ValueError:
        return SCHEMA_PATH.as_uri()


def create_entry(folder: Path, when: dt.date | dt.datetime, now: dt.datetime | None = None) -> Path:
    """Write a new entry from the template and return its path. Never overwrites: a second
    session on the same day gets `-2` in its name, and the time in its date."""
    folder.mkdir(parents=True, exist_ok=True)
    day = when.date() if isinstance(when, dt.datetime) else when
    stem = day.isoformat()
    number = 1
    while True:
        name = f"{stem}.yaml" if number == 1 else f"{stem}-{number}.yaml"
        path = folder / name
        if number > 1 and not isinstance(when, dt.datetime):
            # Two sessions on one day need times to be told apart.
            clock = (now or dt.datetime.now()).time()
            when = dt.datetime.combine(day, clock.replace(second=0, microsecond=0))
        text = entry_template(when, schema_reference(folder))
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except FileExistsError:
            number += 1
