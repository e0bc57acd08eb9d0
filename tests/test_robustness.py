"""Bad input tried on purpose: the YAML test suite through a real lenient build, resource
limits, awkward paths, values that must never be lost, and the last-resort handler.

Every case ends in an entry or a located message, never a traceback, a hang or a lost entry.
Messages are asserted exactly, as `journal check` prints them. Nothing here measures time:
each input is bounded, so a regression shows as a failure or as pytest running long.
"""

from __future__ import annotations

import contextlib
import errno
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import CASES, build, require_corpus, with_vega_runtime, write_project
from generator import reading
from generator.cli import main
from generator.reading import MAX_VALUES

TODAY = "2026-04-30"
ENTRY = "date: 2026-04-02\ndose_mg: 150\n"


def full_entry(day: str) -> str:
    """A valid entry with every follow-up written, so it gives no warning either (the same mood
    on each follow-up: entries a few days apart never rate one day with two moods)."""
    return (f"date: {day}\ndose_mg: 150\npre_mood: 3\npost_mood_2h: 6\n"
            "mood_day1: 5\nmood_day3: 5\nmood_day7: 5\n")


@pytest.fixture
def journal(journal):
    """The shared journal folder, checked as of TODAY."""
    journal.today = TODAY
    return journal


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks, named pipes and byte file names")


# ======================================================================================
# The YAML test suite as entries next to valid ones, through a real lenient build
# ======================================================================================

VALID = {f"2026-03-{day:02d}.yaml": full_entry(f"2026-03-{day:02d}") for day in (2, 9, 16, 23)}


def _run_build(root: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = build(root, *args)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory):
    require_corpus()
    root = write_project(tmp_path_factory.mktemp("corpus-build"), VALID)
    for case in CASES:
        shutil.copyfile(case, root / "entries" / f"{case.parent.name}.yaml")
    code, out, err = _run_build(root, "--lenient")
    return root, code, out, err


def _located(problems_html: str) -> dict[str, list[tuple[int, int, str, str]]]:
    """Each problem line of problems.html: file -> [(line, column, severity, text after)]."""
    found: dict[str, list[tuple[int, int, str, str]]] = {}
    for severity, source, line, column, rest in re.findall(
        r'<li class="kj-(error|warning)"><code>(.*?):(\d+):(\d+)</code>(.*?)</li>', problems_html, re.S
    ):
        text = html.unescape(re.sub(r"<[^>]+>", "", rest)).strip()
        found.setdefault(html.unescape(source), []).append((int(line), int(column), severity, text))
    return found


def test_lenient_build_over_the_corpus_succeeds(corpus_site):
    root, code, out, err = corpus_site
    assert code == 0, err
    assert "Traceback" not in out + err
    # every line on stderr is a located problem, then one line saying what was left out
    lines = err.splitlines()
    assert lines[-1].endswith("were left out of the report; see its Data problems page.")
    assert all(re.match(r"entries/.+:\d+:\d+: ", line) for line in lines[:-1]), lines[:5]
    assert out.startswith("The report is in ")


def test_every_valid_entry_survives_the_corpus(corpus_site):
    root = corpus_site[0]
    listing = (root / "site" / "sessions" / "index.html").read_text(encoding="utf-8")
    for name in VALID:
        page = root / "site" / "sessions" / name.replace(".yaml", ".html")
        assert page.is_file(), name
        assert f'href="{page.name}"' in listing, name
    assert 'id="chart-spec-mood"' in (root / "site" / "trends.html").read_text(encoding="utf-8")  # charts were made


def test_every_corpus_file_is_a_session_or_a_located_problem(corpus_site):
    root = corpus_site[0]
    problems = _located((root / "site" / "problems.html").read_text(encoding="utf-8"))
    for case in CASES:
        source = f"entries/{case.parent.name}.yaml"
        page = root / "site" / "sessions" / f"{case.parent.name}.html"
        errors = [p for p in problems.get(source, []) if p[2] == "error"]
        assert page.is_file() != bool(errors), f"{source}: page {page.is_file()}, errors {errors}"
        lines = case.read_bytes().count(b"\n") + 1
        for line, column, _, text in problems.get(source, []):
            assert 1 <= line <= lines and column >= 1, (source, line, column)
            assert text and "Traceback" not in text, source
    assert not set(problems) - {f"entries/{c.parent.name}.yaml" for c in CASES}  # valid ones are clean


# ======================================================================================
# Resource limits
# ======================================================================================

def test_a_huge_file_is_refused_by_its_size_without_being_read(journal):
    journal.write("a.yaml", full_entry("2026-04-01"))
    huge = journal.folder / "huge.yaml"
    with huge.open("wb") as handle:  # sparse: 3 GiB on paper, nothing on disk
        handle.truncate(3 * 1024**3)
    # 3072.0 MiB can only come from the file's size: the reader never takes in more than 1 MiB
    assert journal.check() == (
        1,
        ["entries/huge.yaml:1:1: the file is 3072.0 MiB; an entry is a few lines, so files over 1 MiB "
         "are not read (is this the right file?)"],
        "2 entries, 1 error, 0 warnings",
    )


def test_just_over_one_mib_is_refused_and_just_under_is_read(journal):
    journal.write("over.yaml", ENTRY + "notes: " + "x" * (1024 * 1024 - len(ENTRY) - 7) + "\n")
    journal.write("under.yaml", "date: 2026-04-03\ndose_mg: 150\nnotes: " + "x" * (1024 * 1024 - 100) + "\n")
    assert (journal.folder / "over.yaml").stat().st_size == 1024 * 1024 + 1
    code, lines, summary = journal.check()
    assert lines[0] == (
        "entries/over.yaml:1:1: the file is 1.0 MiB; an entry is a few lines, so files over 1 MiB are "
        "not read (is this the right file?)"
    )
    assert summary.startswith("2 entries, 1 error, ")
    assert [e.source for e in journal.load().entries] == ["entries/under.yaml"]


def _bomb(levels: int, width: int, field: str = "l") -> list[str]:
    lines = [f"a: &a [{', '.join(['lol'] * width)}]"]
    for i in range(levels):
        previous = "a" if i == 0 else f"{field}{i - 1}"
        lines.append(f"{field}{i}: &{field}{i} [" + ", ".join([f"*{previous}"] * width) + "]")
    return lines


BOMB_MESSAGE = (
    f"the file expands to more than {MAX_VALUES} values (YAML anchors '&' and aliases '*' repeat "
    "values); an entry needs a few dozen, so write them out"
)


@pytest.mark.parametrize(
    "lines, where",
    [
        # 10**30 values if it were expanded; located at the first field whose value expands
        (_bomb(30, 10), "4:1"),
        # mappings of aliases
        (["date: 2026-04-02", "dose_mg: 150", "a: &a {x: 1, y: 2, z: 3, w: 4, v: 5}"]
         + [f"m{i}: &m{i} {{" + ", ".join(f"k{j}: *{'a' if i == 0 else f'm{i - 1}'}" for j in range(10)) + "}"
            for i in range(20)], "6:1"),
        # through a merge key, which is refused anyway
        (_bomb(6, 10) + ["<<: *l5"], "4:1"),
        # inside a known text field
        (["date: 2026-04-02", "dose_mg: 150", "x: &x [a, b, c, d, e, f, g, h, i, j]",
          "y: &y [" + ", ".join(["*x"] * 10) + "]", "side_effects: [" + ", ".join(["*y"] * 30) + "]"], "5:1"),
    ],
    ids=["lists", "mappings", "merge-key", "side-effects"],
)
def test_alias_bombs_are_refused_before_the_tree_is_walked(journal, monkeypatch, lines, where):
    visited = []
    count = reading._Builder._count

    def counting(self, *args, **kwargs):
        visited.append(1)
        return count(self, *args, **kwargs)

    monkeypatch.setattr(reading._Builder, "_count", counting)
    validated = []
    monkeypatch.setattr("generator.validation.Entry.model_validate", lambda data: validated.append(data))
    journal.write("x.yaml", "\n".join(lines) + "\n")
    assert journal.check() == (1, [f"entries/x.yaml:{where}: {BOMB_MESSAGE}"], "1 entry, 1 error, 0 warnings")
    assert len(visited) <= MAX_VALUES + 1  # stopped at the bound, never expanded
    assert validated == []  # nothing after the reader ever saw the values


def test_a_long_plain_list_is_not_taken_for_an_alias_bomb(journal):
    effects = "".join(f"  - side effect number {i}\n" for i in range(1990))
    journal.write("x.yaml", full_entry("2026-04-02") + "route: oral\nprovider: Dr B\nside_effects:\n" + effects)
    assert journal.check() == (0, [], "1 entry, 0 errors, 0 warnings")
    (entry,) = journal.load().entries
    assert len(entry.side_effects) == 1990 and entry.side_effects[-1] == "side effect number 1989"


def test_only_what_aliases_repeat_counts_towards_their_bound(journal):
    effects = "".join(f"  - side effect number {i}\n" for i in range(1990))
    head = "date: 2026-04-30\ndose_mg: 150\nside_effects: &s\n" + effects
    journal.write("x.yaml", head + "notes: *s\n")  # 1,990 values repeated once: within the bound
    assert journal.check() == (1, ['entries/x.yaml:3:15: notes: a list is not text; write it as words (for several '
                                   'lines, use `|` and indent them)'], "1 entry, 1 error, 0 warnings")
    journal.write("x.yaml", head + "notes: [*s, *s]\n")  # 3,980 values repeated
    assert journal.check() == (1, [f"entries/x.yaml:1994:1: {BOMB_MESSAGE}"], "1 entry, 1 error, 0 warnings")


DEEP = {
    "brackets": ENTRY + "notes: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "braces": ENTRY + "notes: " + "{" * 10_000 + "}" * 10_000 + "\n",
    "unclosed": ENTRY + "notes: " + "[" * 10_000 + "\n",
    "flow-mappings": ENTRY + "notes: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
    "indented": ENTRY + "".join(" " * i + "a:\n" for i in range(1_000)),
}


@pytest.mark.parametrize(
    "case, where",
    [("brackets", "3:1007"), ("braces", "3:1007"), ("unclosed", "3:1007"), ("flow-mappings", "3:4004"),
     ("indented", "1002:1001")],
)
def test_deep_nesting_is_refused_with_libyaml(journal, case, where):
    libyaml = getattr(yaml, "CSafeLoader", None)
    if libyaml is None:
        pytest.skip("PyYAML was built without libyaml; the pure-Python test below covers this")
    assert issubclass(reading._Loader, libyaml)
    journal.write("x.yaml", DEEP[case])
    assert journal.check() == (
        1, [f"entries/x.yaml:{where}: the values are nested more than 20 levels deep; an entry is flat"],
        "1 entry, 1 error, 0 warnings",
    )


@pytest.mark.parametrize("case", sorted(DEEP))
def test_deep_nesting_is_refused_by_the_pure_python_parser_too(journal, monkeypatch, case):
    """Without libyaml, PyYAML recurses: the reader turns that into the same kind of message."""
    used = []

    class PurePython(yaml.SafeLoader):  # PyYAML's own parser, written in Python
        def __init__(self, stream):
            used.append(True)
            super().__init__(stream)

    monkeypatch.setattr(reading, "_Composer", PurePython)
    journal.write("x.yaml", DEEP[case])
    code, lines, _ = journal.check()
    assert used  # the reader did parse with it
    assert code == 1 and len(lines) == 1
    assert re.fullmatch(r"entries/x\.yaml:\d+:\d+: the values are nested (more than 20 levels deep|too deeply "
                        r"\(more than 20 levels\)); an entry is flat", lines[0]), lines


def test_a_900_kb_single_line_note_is_kept_whole(journal):
    """Under the 1 MiB limit a long line is legitimate text (a pasted log, say): it loads,
    and the note is neither cut nor refused."""
    note = "calm " * 180_000
    journal.write("x.yaml", full_entry("2026-04-02") + f"notes: {note.strip()}\n")
    assert journal.check() == (0, [], "1 entry, 0 errors, 0 warnings")
    assert journal.load().entries[0].notes == note.strip()


def test_a_900_kb_wrong_value_gives_a_short_message(journal):
    journal.write("x.yaml", "date: 2026-04-02\ndose_mg: " + "9x" * 450_000 + "\n")
    journal.write("y.yaml", "date: 2026-04-03\ndose_mg: 150\nprovider: @" + "x" * 900_000 + "\n")
    code, lines, _ = journal.check()
    assert code == 1
    assert lines == [
        f'entries/x.yaml:2:10: dose_mg: "{"9x" * 30}…" is not a number; write the number alone (9), '
        "without units or extra words",
        f'entries/y.yaml:3:11: a value cannot start with @; put the value in quotes ("@{"x" * 59}…")',
    ]


def test_twenty_thousand_files(journal):
    """Half valid (one session a day from 1990), half broken: every one is answered."""
    import datetime as dt

    start = dt.date(1990, 1, 1)
    for i in range(20_000):
        if i % 2:
            journal.write(f"{i:05d}.yaml", full_entry((start + dt.timedelta(days=i // 2)).isoformat()))
        else:
            journal.write(f"{i:05d}.yaml", "date: [\n")
    code, lines, summary = journal.check()
    assert (code, summary) == (1, "20000 entries, 10000 errors, 0 warnings")
    assert len(lines) == 10_000
    assert lines[0] == (
        "entries/00000.yaml:2:1: a [ or { is not closed; values in brackets go on one line, e.g. [nausea, headache]"
    )


def test_thousands_of_copies_of_one_session_keep_each_message_short(journal):
    for i in range(2_000):
        journal.write(f"{i:04d}.yaml", full_entry("2026-04-02"))
    code, lines, summary = journal.check()
    assert (code, summary) == (1, "2000 entries, 2000 errors, 0 warnings")
    assert lines[0] == (
        "entries/0000.yaml:1:7: date: 2026-04-02 is also the date of entries/0001.yaml, entries/0002.yaml, "
        "entries/0003.yaml and 1996 more files; one session in two files would be counted twice (for two "
        "sessions on one day, add the time to each, e.g. 2026-04-02 09:00)"
    )
    assert max(map(len, lines)) < 400


# ======================================================================================
# Paths
# ======================================================================================

def test_unicode_and_spaces_in_names_are_shown_as_they_are(journal):
    journal.write("séance du 2 avril.yaml", "date: 2026-04-02\ndose_mg: 150 mg\n")
    journal.write("日記/3 avril.yml", "date: 2026-04-03\ndose_mg: 150\npre_mood: 11\n")
    journal.write("notes du jour.txt", "not an entry")
    code, lines, summary = journal.check()
    assert (code, summary) == (1, "2 entries, 2 errors, 1 warning")
    assert lines == [
        "entries/notes du jour.txt:1:1: warning: is not a .yaml or .yml file, so it is not read as an entry",
        'entries/séance du 2 avril.yaml:2:10: dose_mg: "150 mg" is not a number; write the number alone '
        "(150), without units or extra words",
        "entries/日記/3 avril.yml:3:11: pre_mood: 11 is out of range (1-10)",
    ]
    code, out, _ = journal.run("check", "--today", TODAY, "--format", "json")
    assert code == 1
    assert [e["source"] for e in json.loads(out)["errors"]] == ["entries/séance du 2 avril.yaml", "entries/日記/3 avril.yml"]


@posix_only
def test_a_name_that_is_not_utf8_is_shown_escaped(journal):
    journal.write(b"caf\xe9.yaml", "date: 2026-04-02\ndose_mg: 15mg\n")
    journal.write(b"ok\xff.yaml", full_entry("2026-04-03"))
    assert journal.check() == (
        1,
        ['entries/caf\\xe9.yaml:2:10: dose_mg: "15mg" is not a number; write the number alone (15), '
         "without units or extra words"],
        "2 entries, 1 error, 0 warnings",
    )
    assert [e.slug for e in journal.load().entries] == ["ok_"]  # a page name that is UTF-8, without a backslash


def test_control_characters_in_names_and_values_stay_on_one_line(journal):
    journal.write("x.yaml", 'date: 2026-04-02\ndose_mg: 150\n"pre\\nmood": 3\npost_mood_2h: "7\\n8"\n')
    if sys.platform != "win32":
        journal.write("two\nlines.yaml", "date: 2026-04-03\ndose_mg: x\n")
    code, lines, summary = journal.check()
    assert code == 1
    assert lines[-2:] == [
        "entries/x.yaml:3:1: pre\\nmood: unknown field; did you mean pre_mood?",
        'entries/x.yaml:4:15: post_mood_2h: "7\\n8" is not a number; write the number alone (7), without units or '
        "extra words",
    ]
    if sys.platform != "win32":
        assert lines[0] == 'entries/two\\nlines.yaml:2:10: dose_mg: "x" is not a number (a number greater than 0)'


def test_entries_option_naming_a_file(journal):
    journal.write("2026-04-02.yaml")
    assert journal.check("--entries", "entries/2026-04-02.yaml") == (
        1, ["entries/2026-04-02.yaml:1:1: is a file, not a folder; give the folder that holds the entry files"],
        "0 entries, 1 error, 0 warnings",
    )


@posix_only
def test_links_that_loop_or_lead_nowhere_or_outside(journal):
    """test_cli covers the plain cases; these are the odd ones."""
    journal.write("2026-04-01.yaml", full_entry("2026-04-01"))
    (journal.folder / "self.yaml").symlink_to("self.yaml")
    (journal.folder / "chain.yaml").symlink_to("self.yaml")
    (journal.folder / "to-a-folder.yaml").symlink_to(journal.root)  # outside, and a folder
    (journal.folder / "inner").mkdir()
    (journal.folder / "inner" / "up").symlink_to("..", target_is_directory=True)  # a folder loop
    os.mkfifo(journal.folder / "pipe")
    (journal.folder / "to-a-pipe.yaml").symlink_to("pipe")
    (journal.folder / "dev-null.yaml").symlink_to(os.devnull)
    code, lines, summary = journal.check()
    assert (code, summary) == (1, "1 entry, 4 errors, 3 warnings")
    nowhere = "is a link that leads nowhere (its target is missing, or links loop); remove it or copy the entry here"
    assert lines == [
        f"entries/chain.yaml:1:1: {nowhere}",
        f"entries/dev-null.yaml:1:1: is a link to a file outside the entries folder ({Path(os.devnull).resolve()}); "
        "copy the entry into the folder instead",
        "entries/inner/up:1:1: warning: is a link to a folder, which is not followed; move the entries into entries/ itself",
        "entries/pipe:1:1: warning: is not a .yaml or .yml file, so it is not read as an entry",
        f"entries/self.yaml:1:1: {nowhere}",
        "entries/to-a-folder.yaml:1:1: warning: is a link to a folder, which is not followed; move the entries "
        "into entries/ itself",
        "entries/to-a-pipe.yaml:1:1: is a link to something that is not a file",
    ]


@posix_only
def test_a_named_pipe_called_like_an_entry_does_not_hang(tmp_path):
    """Opening a FIFO waits for a writer; `journal check` must not. A subprocess with a
    timeout, so a regression fails instead of hanging the test run."""
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "2026-04-01.yaml").write_text(full_entry("2026-04-01"))
    os.mkfifo(tmp_path / "entries" / "2026-04-02.yaml")
    script = Path(sys.executable).with_name("journal")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "generator.cli"]
    done = subprocess.run([*command, "check", "--today", TODAY], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines() == [
        "entries/2026-04-02.yaml:1:1: is not a regular file (it is a named pipe, a device or a socket), so it is "
        "not read; an entry is a plain text file",
        "2 entries, 1 error, 0 warnings",
    ]


def _deny(monkeypatch, target: Path, function: str = "open") -> None:
    """Make `os.<function>` refuse `target` the way the kernel would."""
    real = getattr(os, function)

    def refusing(path, *args, **kwargs):
        if isinstance(path, (str, os.PathLike)) and os.path.abspath(path) == os.path.abspath(target):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, function, refusing)


def _unreadable(monkeypatch, path: Path, function: str = "open") -> None:
    """chmod 000; when that does not stop reads (root, as in CI), refuse them in os.* instead,
    so the assertion is about the same message either way."""
    path.chmod(0)
    try:
        if function == "open":
            path.read_bytes()
        else:
            os.listdir(path)
    except PermissionError:
        return
    _deny(monkeypatch, path, function)


@pytest.fixture
def restore_permissions():
    paths: list[Path] = []
    yield paths
    for path in paths:
        path.chmod(0o755)


def test_an_unreadable_file(journal, monkeypatch, restore_permissions):
    journal.write("2026-04-01.yaml", full_entry("2026-04-01"))
    locked = journal.write("2026-04-02.yaml")
    restore_permissions.append(locked)
    _unreadable(monkeypatch, locked)
    assert journal.check() == (
        1, ["entries/2026-04-02.yaml:1:1: cannot be read (permission denied); check the file's permissions"],
        "2 entries, 1 error, 0 warnings",
    )


def test_an_unreadable_folder(journal, monkeypatch, restore_permissions):
    journal.write("2026-04-01.yaml", full_entry("2026-04-01"))
    journal.write("locked/2026-04-02.yaml")
    restore_permissions.append(journal.folder / "locked")
    _unreadable(monkeypatch, journal.folder / "locked", "scandir")
    assert journal.check() == (
        1, ["entries/locked:1:1: cannot be opened (permission denied)"], "1 entry, 1 error, 0 warnings",
    )


def test_a_file_removed_between_listing_and_reading(journal, monkeypatch):
    journal.write("2026-04-01.yaml", full_entry("2026-04-01"))
    gone = journal.write("2026-04-02.yaml")
    real = os.open

    def vanished(path, *args, **kwargs):
        if isinstance(path, (str, os.PathLike)) and os.path.abspath(path) == os.path.abspath(gone):
            raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), os.fspath(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", vanished)
    assert journal.check() == (
        1, ["entries/2026-04-02.yaml:1:1: cannot be read (no such file or directory)"], "2 entries, 1 error, 0 warnings",
    )


# --- the same awkward folder through a real lenient build ------------------------------

PATH_ENTRIES = {
    "séance du 2 avril.yaml": full_entry("2026-04-02"),
    "x.yaml": full_entry("2026-04-05"),
    "x.yml": full_entry("2026-04-06"),
    "sub/x.yaml": full_entry("2026-04-07"),
    "X.yaml": full_entry("2026-04-08"),
    "index.yaml": full_entry("2026-04-09"),  # must not replace the list of sessions
    "old.yaml/2026-04-11.yaml": full_entry("2026-04-11"),
    "日記 3.yaml": "date: 2026-04-03\ndose_mg: 15mg\n",
    "unreadable.yaml": full_entry("2026-04-12"),
}


@pytest.fixture(scope="module")
def paths_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("paths-build")
    write_project(root, {})
    for name, text in PATH_ENTRIES.items():
        (root / "entries" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "entries" / name).write_text(text, encoding="utf-8")
    if sys.platform != "win32":
        (root / "outside.yaml").write_text(full_entry("2026-04-13"))
        (root / "entries" / "link-outside.yaml").symlink_to("../outside.yaml")
        (root / "entries" / "broken.yaml").symlink_to("missing.yaml")
        (root / "entries" / "loop-a.yaml").symlink_to("loop-b.yaml")
        (root / "entries" / "loop-b.yaml").symlink_to("loop-a.yaml")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _deny(monkeypatch, root / "entries" / "unreadable.yaml")
        code, out, err = _run_build(root, "--lenient")
    return root, code, out, err


def test_awkward_paths_build(paths_site):
    root, code, out, err = paths_site
    assert code == 0 and "Traceback" not in out + err, err


def test_every_valid_entry_gets_a_page_of_its_own(paths_site):
    sessions = paths_site[0] / "site" / "sessions"
    assert sorted(p.name for p in sessions.glob("*.html")) == [
        "2026-04-11.html", "X.html", "index-2.html", "index.html", "séance du 2 avril.html",
        "x-2.html", "x-3.html", "x-4.html",
    ]
    listing = (sessions / "index.html").read_text(encoding="utf-8")
    assert len(set(re.findall(r'<td><a href="([^"]+\.html)"', listing))) == 7  # still the list, all seven
    assert "s%C3%A9ance%20du%202%20avril.html" in listing
    pages = {p.name: p.read_text(encoding="utf-8") for p in sessions.glob("*.html") if p.name != "index.html"}
    days = sorted(re.search(r"Session of (\d+ Apr 2026)", text).group(1) for text in pages.values())
    assert days == ["11 Apr 2026", "2 Apr 2026", "5 Apr 2026", "6 Apr 2026", "7 Apr 2026", "8 Apr 2026", "9 Apr 2026"]


def test_every_broken_path_is_on_the_problems_page(paths_site):
    problems = _located((paths_site[0] / "site" / "problems.html").read_text(encoding="utf-8"))
    expected = {
        "entries/日記 3.yaml": (2, 10, "error"),
        "entries/unreadable.yaml": (1, 1, "error"),
        "entries/old.yaml": (1, 1, "warning"),
    }
    if sys.platform != "win32":
        expected |= {f"entries/{name}.yaml": (1, 1, "error") for name in ("link-outside", "broken", "loop-a", "loop-b")}
    assert {source: found[0][:3] for source, found in problems.items()} == expected
    assert problems["entries/unreadable.yaml"][0][3] == "cannot be read (permission denied); check the file's permissions"


def test_a_control_character_typed_in_a_side_effect_does_not_stop_the_build_or_the_export(tmp_path):
    """The chart renderer aborted the whole process (not even exit 3) on a character XML
    cannot hold in a label; run in a process of its own, so that would fail only this test.
    The site's pages draw their charts in the browser; the export's summary has pictures."""
    project = with_vega_runtime(write_project(tmp_path, {
        "2026-04-02.yaml": full_entry("2026-04-02"),
        "2026-04-09.yaml": full_entry("2026-04-09") + 'side_effects: ["dizzy\\x13", "a\\x01b"]\n'}))
    for command in (["build"], ["export", "--out", "bundle.zip"]):
        done = subprocess.run([sys.executable, "-m", "generator.cli", *command, "--today", TODAY], cwd=project,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "dizzy\\u0013" in (project / "site" / "trends.html").read_text(encoding="utf-8")  # in the spec the page draws
    with zipfile.ZipFile(project / "bundle.zip") as bundle:
        (summary,) = [n for n in bundle.namelist() if n.endswith("/summary.html")]
        assert "dizzy\ufffd" in bundle.read(summary).decode("utf-8")  # in the picture


# ======================================================================================
# Nothing lost: every value written is in the entry or in a message
# ======================================================================================

@pytest.mark.parametrize(
    "lines, message",
    [
        (["<<: {route: oral}"],
         "3:1: <<: is a YAML merge key, which an entry does not use; write each field out on its own line"),
        (["base: &b {route: oral}", "<<: *b"],
         "3:1: base: unknown field; the fields an entry can have are date, dose_mg, route, hold_time_min, "
         "pre_mood, dissociation, post_mood_2h, side_effects, tolerability, mood_day1, mood_day3, mood_day7, provider, "
         "scores, notes, private_notes"),
        (["scores:", "  <<: {phq9: 3}"],
         "4:3: scores.<<: is a YAML merge key, which an entry does not use; write each field out on its own line"),
        (["pre_mood: 3", "PRE_MOOD: 4"],
         "4:1: PRE_MOOD: unknown field; the fields an entry can have are date, dose_mg, route, hold_time_min, "
         "pre_mood, dissociation, post_mood_2h, side_effects, tolerability, mood_day1, mood_day3, mood_day7, provider, "
         "scores, notes, private_notes"),
        (['"pre_mood ": 3'], "3:1: pre_mood : unknown field; did you mean pre_mood?"),
        (['pre_mood: 3', '"pre_mood": 4'],
         "4:1: pre_mood: appears twice (first on line 3); YAML would keep only this last value and lose the "
         "other, so keep one of them"),
        (["pre_mood: 3", "? pre_mood", ": 4"],
         "4:3: pre_mood: appears twice (first on line 3); YAML would keep only this last value and lose the "
         "other, so keep one of them"),
        (["pre_mood: !!null 3"],
         "3:11: pre_mood: the tag !!null is not allowed; an entry holds plain values (numbers, words, dates, "
         "lists), and tags are never run"),
        (["...", "pre_mood: 3"],
         "4:1: there is more after the end of the entry (a line `...` ends it); remove that line, or write the "
         "next session in a file of its own"),
    ],
    ids=["merge-key", "merge-alias", "merge-in-scores", "other-case", "trailing-space", "quoted-duplicate",
         "complex-key-duplicate", "null-tag", "after-document-end"],
)
def test_a_value_is_never_silently_dropped(journal, lines, message):
    journal.write("x.yaml", ENTRY + "\n".join(lines) + "\n")
    code, problems, _ = journal.check()
    assert code == 1
    assert f"entries/x.yaml:{message}" in problems, problems


@pytest.mark.parametrize(
    "value, message",
    [
        ("1e5", '"1e5" is not a plain number; write it with digits only, on the field\'s own line (1-10)'),
        ("nan", '"nan" is not a plain number; write it with digits only, on the field\'s own line (1-10)'),
        ("|\n  7", '"7\\n" is not a plain number; write it with digits only, on the field\'s own line (1-10)'),
        ("!!timestamp 7", '"7" is not a plain number; write it with digits only, on the field\'s own line (1-10)'),
        ("!!timestamp later", '"later" is not a number (1-10)'),
    ],
)
def test_numbers_that_yaml_reads_as_text_are_not_said_to_be_in_quotes(journal, value, message):
    journal.write("x.yaml", f"{ENTRY}pre_mood: {value}\n")
    assert journal.check() == (1, [f"entries/x.yaml:3:11: pre_mood: {message}"], "1 entry, 1 error, 0 warnings")


def test_every_known_field_left_empty_is_not_an_error(journal):
    fields = ["route", "hold_time_min", "pre_mood", "dissociation", "post_mood_2h", "side_effects",
              "mood_day1", "mood_day3", "mood_day7", "provider", "scores", "notes", "private_notes"]
    journal.write("x.yaml", "date: 2026-04-30\ndose_mg: 150\n" + "".join(f"{name}:\n" for name in fields))
    assert journal.check() == (0, [], "1 entry, 0 errors, 0 warnings")  # today: nothing is due yet
    entry = journal.load().entries[0]
    assert all(getattr(entry, name) is None for name in fields)


# ======================================================================================
# The last resort: an unexpected failure is one located line, with the traceback behind --debug
# ======================================================================================

def _fail_for(source: str, real):
    def failing(read, *args, **kwargs):
        if read.source == source:
            raise RuntimeError("boom")
        return real(read, *args, **kwargs)

    return failing


def test_an_unexpected_failure_in_one_file_is_located_and_the_others_load(journal, monkeypatch):
    from generator import journal as core

    journal.write("2026-04-01.yaml", full_entry("2026-04-01"))
    journal.write("2026-04-02.yaml", full_entry("2026-04-02"))
    monkeypatch.setattr(core, "validate", _fail_for("entries/2026-04-02.yaml", core.validate))
    assert journal.check() == (
        1,
        ["entries/2026-04-02.yaml:1:1: could not be read because of an unexpected problem (RuntimeError: boom); "
         "please report it"],
        "2 entries, 1 error, 0 warnings",
    )
    assert [e.source for e in journal.load().entries] == ["entries/2026-04-01.yaml"]


@pytest.mark.parametrize("args", [["--debug", "check"], ["check", "--debug"]])
def test_debug_shows_the_traceback_behind_a_located_failure(journal, monkeypatch, capsys, args):
    from generator import journal as core

    journal.write("2026-04-02.yaml", full_entry("2026-04-02"))
    monkeypatch.setattr(core, "validate", _fail_for("entries/2026-04-02.yaml", core.validate))
    assert main([*args, "--today", TODAY]) == 1
    out, err = capsys.readouterr()
    assert "could not be read because of an unexpected problem (RuntimeError: boom)" in out
    assert err.startswith("DEBUG: unexpected failure while reading entries/2026-04-02.yaml\nTraceback")
    assert err.rstrip().endswith("RuntimeError: boom")


def test_an_unexpected_failure_of_a_command_is_one_line(journal, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("boom\n" + "x" * 500)

    monkeypatch.setattr("generator.cli.load_journal", broken)
    assert main(["check", "--today", TODAY]) == 3
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"journal check: unexpected failure (RuntimeError: boom\\n{'x' * 195}…). Nothing was changed. "
        "Run again with --debug for details, and please report it.\n"
    )


@pytest.mark.parametrize("args", [["--debug", "check"], ["check", "--debug"]])
def test_debug_shows_the_traceback_of_a_failed_command(journal, monkeypatch, capsys, args):
    monkeypatch.setattr("generator.cli.load_journal", lambda *a, **k: 1 / 0)
    assert main([*args, "--today", TODAY]) == 3
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):") and err.rstrip().endswith("ZeroDivisionError: division by zero")


def test_an_unexpected_failure_during_a_build_is_one_line(tmp_path, monkeypatch, capsys):
    root = write_project(tmp_path, {"2026-04-02.yaml": full_entry("2026-04-02")})

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("generator.plugin.load_journal", broken)
    assert build(root) == 3
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert err.splitlines()[-1] == (
        "journal build: unexpected failure (RuntimeError: boom). Nothing was changed. Run again with --debug "
        "for details, and please report it."
    )


def test_export_over_the_corpus_stops_with_every_located_message(corpus_site):
    """An export is a clinical record: with broken files in the folder it writes nothing
    and names each broken file with its place, and never shows a traceback."""
    root = corpus_site[0]
    out = io.StringIO()
    err = io.StringIO()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        from generator.cli import main

        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["export", "--today", "2026-11-25", "--out", str(root / "bundle.zip")])
    finally:
        os.chdir(cwd)
    text = out.getvalue() + err.getvalue()
    assert code == 1
    assert "Traceback" not in text
    assert not (root / "bundle.zip").exists()
    assert not list(root.glob("*.zip")) and not list(root.glob(".bundle*"))
    problems = _located((root / "site" / "problems.html").read_text(encoding="utf-8"))
    broken = {source for source, found in problems.items() if any(p[2] == "error" for p in found)}
    assert broken, "the corpus has broken files"
    for source in broken:
        assert re.search(rf"^{re.escape(source)}:\d+:\d+: ", text, re.M), source
