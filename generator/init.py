"""`journal init`: a journal folder of the person's own, and the check of entries' schema lines.

A journal folder holds everything it needs, so that it works wherever it is moved and
whatever version of the tool is installed:

    entries/                 one file per session (a first one from the template)
    entry.schema.json        a copy of the entry format, which the entries' first line names
    journal.yml              settings, all commented out: the defaults, and examples
    README.md                what the folder is and the commands
    .gitignore               the built report, export zips, editor leftovers
    .vscode/settings.json    the schema for VS Code's YAML extension

Never overwrites: each file is created only when it is not there (opened with "x").
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .entries import SCHEMA_PATH
from .journal import LOCAL_SCHEMA_NAME, create_entry, display_path, find_entry_files
from .problems import Problem

ENTRIES = "entries"

README_TEXT = """\
# My treatment journal

A private journal kept with ketamine-journal: one file per session in `entries/`, and a report
built from them on this computer. Nothing here is sent anywhere.

- `entries/`: one YAML file per session. Write a new one with `journal new`; open the same
  file on day 1, 3 and 7 to add the follow-up moods.
- `journal check`: checks every entry and says what to fix.
- `journal build`: builds the report into `site/`; open `site/index.html` in a browser.
  It offers a calendar file of the follow-ups still to come.
- `journal serve`: shows the report while you edit, at the address it prints.
- `journal export`: one zip for a prescriber (never your private notes).
- `journal.yml`: your settings (the lines starting with # are the defaults, and examples of the rest).
- `entry.schema.json`: the entry format, for editors that check YAML as you type.

Your data is the `entries/` folder: back it up like any other private document. `site/`,
`.journal-cache/` and the export files are made from it and can be made again at any time.

The report shows your own data to prepare a conversation with your prescriber; it is not
medical advice and never suggests a dose.
"""

GITIGNORE_TEXT = """\
# Made from entries/ by journal build and journal export: can be made again at any time.
/site/
*.zip
*.sealed.html
# Charts already drawn, kept to build faster (see the tool's README); safe to delete.
/.journal-cache/
.*.building-*
.*.previous-*
# Editor leftovers
*.swp
*.swo
*~
\\#*\\#
.DS_Store
"""

SETTINGS_TEXT = """\
# Settings of this journal: remove the # in front of a line and change its value.
# journal build, serve and export read this file when there is no mkdocs.yml here.
# site_name: My treatment journal   # the title of the report and of the export's summary
# entries: entries                  # the folder with the entry files
# window: 6                         # recent sessions compared with the same number before them
# adequate_trial: 3                 # sessions at one dose before it counts as an adequate trial
# noise_threshold: 1.0              # points of lift a change must exceed to count as a direction
# gap_weeks: 3                      # weeks without a session that count as a break in treatment
# fade_threshold_days: 1.0          # days sooner the effect must end before it counts as fading
# strict: true                      # false: build anyway, invalid entries on a Data problems page
#
# The crisis line the self-harm notice names, beside your local emergency number (plain text):
# crisis_line: "Samaritans (UK and Ireland): call 116 123"
#
# Who the journal is about, on the check-in sheet and the export's summary (all optional):
# patient:
#   name: Jo Smith
#   date_of_birth: 1984-03-09
#   record_number: "12345"
#
# One prescriber written several ways, counted and named as one (journal check suggests these):
# providers:
#   Dr. Amara Osei: [Dr. A. Osei, Lakeside Psychiatry]
"""


def vscode_settings() -> str:
    return json.dumps(
        {"yaml.schemas": {f"./{LOCAL_SCHEMA_NAME}": [f"{ENTRIES}/**/*.yaml", f"{ENTRIES}/**/*.yml"]}}, indent=2
    ) + "\n"


@dataclass
class InitResult:
    folder: Path
    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_entry: Path | None = None


def _create(path: Path, text: str | bytes) -> bool:
    """Write a new file; False, leaving it as it is, when there is one already."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("xb") as handle:
            handle.write(text.encode("utf-8") if isinstance(text, str) else text)
        return True
    except FileExistsError:
        return False


def init_journal(folder: Path, today: dt.date) -> InitResult:
    """Start a journal in `folder`, or add to one what it lacks. Never overwrites."""
    folder = Path(os.path.abspath(folder))
    folder.mkdir(parents=True, exist_ok=True)
    result = InitResult(folder)

    def add(name: str, text: str | bytes) -> None:
        (result.created if _create(folder / name, text) else result.kept).append(name)

    schema = SCHEMA_PATH.read_bytes()
    add(LOCAL_SCHEMA_NAME, schema)  # first: the entry below names it
    if LOCAL_SCHEMA_NAME in result.kept and (folder / LOCAL_SCHEMA_NAME).read_bytes() != schema:
        result.notes.append(
            f"{LOCAL_SCHEMA_NAME} differs from this version's entry format; to bring it up to date, "
            "delete it and run `journal init` again"
        )
    entries = folder / ENTRIES
    existed = entries.is_dir()
    entries.mkdir(exist_ok=True)
    found, _ = find_entry_files(entries)
    if found:
        result.kept.append(f"{ENTRIES}/ with {len(found)} {'entry' if len(found) == 1 else 'entries'}")
    else:
        result.first_entry = create_entry(entries, today)
        result.created.append(f"{ENTRIES}/{result.first_entry.name}" if existed else f"{ENTRIES}/ with {result.first_entry.name}")
    add("journal.yml", SETTINGS_TEXT)
    add("README.md", README_TEXT)
    add(".gitignore", GITIGNORE_TEXT)
    add(".vscode/settings.json", vscode_settings())
    if ".vscode/settings.json" in result.kept:
        text = (folder / ".vscode" / "settings.json").read_text(encoding="utf-8", errors="replace")
        if "yaml.schemas" not in text:
            result.notes.append(
                "VS Code: .vscode/settings.json was kept as it is; add this to it so the editor "
                f'checks the entries: "yaml.schemas": {{"./{LOCAL_SCHEMA_NAME}": ["{ENTRIES}/**/*.yaml"]}}'
            )
    return result


# --------------------------------------------------------------------------- schema lines

_SCHEMA_LINE = re.compile(rb"^(?:\xef\xbb\xbf)?[ \t]*#[ \t]*yaml-language-server:[ \t]*\$schema=[ \t]*(\S+)", re.MULTILINE)
_HEAD_BYTES = 2048  # the schema line is at the top, among the first comments
BUNDLE_SCHEMA = "data/entry.schema.json"  # the schema's copy in an export bundle


def bundle_schema_reference(name: str) -> str:
    """The schema line's path for an entry copy at `name` in a bundle (data/entries/...)."""
    return Path(os.path.relpath(BUNDLE_SCHEMA, os.path.dirname(name) or ".")).as_posix()


def point_schema_line(content: bytes, reference: str) -> bytes:
    """The entry's text with its schema line pointing at `reference`; unchanged without one."""
    found = _SCHEMA_LINE.search(content[:_HEAD_BYTES])
    if found is None:
        return content
    return content[: found.start(1)] + reference.encode("utf-8") + content[found.end(1):]




def _schema_target(reference: str, entry_dir: Path) -> Path | None:
    """The file a schema line names, or None for a web address (not checked here)."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]+://", reference):
        if not reference.startswith("file://"):
            return None
        from urllib.parse import unquote, urlparse

        return Path(unquote(urlparse(reference).path))
    return entry_dir / reference


def _head(path: Path) -> bytes | None:
    """The first bytes of a regular file; None for anything else. Opened without blocking, as
    the check reads entries: a named pipe called x.yaml must not wait for a writer."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        return os.read(descriptor, _HEAD_BYTES)
    except OSError:
        return None
    finally:
        os.close(descriptor)


def schema_line_problems(entries_dir: Path, base: Path | None = None,
                         read: Mapping[str, bytes] | None = None,
                         files: Sequence[tuple[str, str]] | None = None) -> list[Problem]:
    """A warning for each entry whose schema line names a file that does not exist: the
    editor then says "Unable to load schema" and checks nothing as the person types.
    `read`: the bytes of files already read, by path (Journal.originals), which are not
    opened again; other files are. `files`: the entry files as (path, name in messages),
    as the load found them (Journal.files); when not given, they are looked for again."""
    read = read or {}
    if files is None:
        found_files, _ = find_entry_files(entries_dir, base)
        files = [(str(path), display_path(path, base)) for path in found_files]
    local = Path(os.path.abspath(entries_dir)).parent / LOCAL_SCHEMA_NAME
    seen: dict[tuple[str, str], bool] = {}
    problems: list[Problem] = []
    for path, source in files:
        known = read.get(path)
        head = known[:_HEAD_BYTES] if known is not None else _head(Path(path))
        if head is None:
            continue  # not a regular readable file: the check reports it already
        found = _SCHEMA_LINE.search(head)
        if found is None:
            continue
        reference = found.group(1).decode("utf-8", "replace")
        folder = os.path.dirname(path)
        key = (folder, reference)
        if key not in seen:
            target = _schema_target(reference, Path(folder))
            seen[key] = target is None or target.is_file()
        if seen[key]:
            continue
        line = head[: found.start()].count(b"\n") + 1
        suggestion = Path(os.path.relpath(local, os.path.abspath(folder))).as_posix()
        fix = "" if local.is_file() else (
            f"run `journal init` in the journal folder to put a copy of the schema there ({LOCAL_SCHEMA_NAME}), then "
        )
        problems.append(Problem(
            source, line, 1, None,
            f"the schema line points at {reference}, which does not exist, so editors cannot check "
            f"this file as you type; {fix}change the line to `# yaml-language-server: $schema={suggestion}`",
            "warning",
        ))
    return problems
