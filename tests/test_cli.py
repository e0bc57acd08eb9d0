"""The `journal` command: which files are read, exit status, the summary line,
`--format json`, `journal new`, `--help`, and bad option values."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import generator
from generator.cli import main
from generator.entries import Entry
from generator.journal import create_entry, load_journal, schema_reference
from generator.problems import Problem, count_summary

ENTRY = "date: 2026-04-02\ndose_mg: 150\n"
DOSE_MISSING = "dose_mg: is missing; every entry needs the dose in mg, e.g. `dose_mg: 150`"
DOSE_EMPTY = DOSE_MISSING.replace("is missing", "is empty")  # the template leaves it blank
SCHEMA = (Path(generator.__file__).parent / "entry.schema.json").resolve()




# --- the summary line and the exit status -------------------------------------------

def _problems(errors: int, warnings: int) -> list[Problem]:
    return [Problem("x", 1, 1, None, "e")] * errors + [Problem("x", 1, 1, None, "w", "warning")] * warnings


@pytest.mark.parametrize(
    "entries, errors, warnings, summary",
    [
        (34, 0, 2, "34 entries, 0 errors, 2 warnings"),
        (1, 1, 1, "1 entry, 1 error, 1 warning"),
        (0, 0, 0, "0 entries, 0 errors, 0 warnings"),
        (2, 3, 0, "2 entries, 3 errors, 0 warnings"),
    ],
)
def test_summary_wording(entries, errors, warnings, summary):
    assert count_summary(entries, _problems(errors, warnings)) == summary


def test_no_problems_exits_0(journal):
    journal.write("2026-04-02.yaml", ENTRY + "pre_mood: 3\npost_mood_2h: 6\n")
    assert journal.check() == (0, [], "1 entry, 0 errors, 0 warnings")


def test_only_warnings_exits_0(journal):
    journal.write("2026-04-02.yaml", ENTRY + "pre_mood: 3\npost_mood_2h: 6\n")
    code, lines, summary = journal.check(today="2026-04-04")
    assert code == 0
    assert lines == [
        "entries/2026-04-02.yaml:1:1: warning: mood_day1: the day-1 follow-up was due on 2026-04-03 "
        "and is empty; add it if you noted it at the time; otherwise leave it empty and the report shows it as missing"
    ]
    assert summary == "1 entry, 0 errors, 1 warning"


def test_errors_exit_1(journal):
    journal.write("2026-04-01.yaml", "date: 2026-04-01\ndose_mg: 150\npre_mood: 3\npost_mood_2h: 6\n")
    journal.write("2026-04-02.yaml", ENTRY + "pre_mood: 12\n")
    assert journal.check() == (
        1, ["entries/2026-04-02.yaml:3:11: pre_mood: 12 is out of range (1-10)"], "2 entries, 1 error, 0 warnings"
    )


def test_empty_entries_folder(journal):
    assert journal.check() == (0, [], "0 entries, 0 errors, 0 warnings")


def test_missing_entries_folder(journal):
    assert journal.check("--entries", "nowhere") == (
        1,
        ["nowhere:1:1: the entries folder does not exist; create it, or run `journal new` to write a first entry"],
        "0 entries, 1 error, 0 warnings",
    )


def test_every_file_is_reported_in_one_run(journal):
    journal.write("a.yaml", "date: 2026-03-01\ndose_mg: 150mg\n")
    journal.write("b.yaml", "date: 2026-03-05\ndose_mg: 150\ndissociation: no\n")
    journal.write("c.yaml", "")
    journal.write("d.yaml", "date: 2026-03-09\ndose_mg: 150\npre_mood: 3\npost_mood_2h: 5\nmood_day1: 4\nmood_day3: 4\nmood_day7: 4\n")
    journal.write("e.yaml", "\tdate: 2026-03-12\n")
    journal.write("f.yaml", b"notes: \xff\n")
    code, lines, summary = journal.check()
    assert code == 1
    assert lines == [
        'entries/a.yaml:2:10: dose_mg: "150mg" is not a number; write the number alone (150), without units or extra words',
        'entries/b.yaml:3:15: dissociation: "no" was read as false; write one of none, mild, moderate, strong',
        "entries/c.yaml:1:1: the file is empty; an entry needs at least `date:` and `dose_mg:` (`journal new` writes a filled-in template)",
        "entries/e.yaml:1:1: a tab character is used here; YAML indentation must use spaces, not tabs",
        "entries/f.yaml:1:8: the file is not UTF-8 text (byte 0xFF here); save it as UTF-8 in your editor",
    ]
    assert summary == "6 entries, 5 errors, 0 warnings"


# --- which files are read -----------------------------------------------------------

BAD = "this: is: not an entry\n\t"


@pytest.mark.parametrize(
    "name", [".hidden.yaml", ".2026-04-02.yaml.swp", ".2026-04-02.yaml.swo", "2026-04-02.yaml~",
             "#2026-04-02.yaml#", "2026-04-02.yaml.bak", "2026-04-02.yaml.orig", ".#2026-04-02.yaml"],
)
def test_hidden_swap_and_backup_files_are_ignored(journal, name):
    journal.write("2026-04-02.yaml")
    journal.write(name, BAD)
    assert journal.check() == (0, [], "1 entry, 0 errors, 0 warnings")


def test_hidden_folders_are_ignored(journal):
    journal.write(".git/HEAD.yaml", BAD)
    journal.write(".trash/old.yaml", BAD)
    assert journal.check() == (0, [], "0 entries, 0 errors, 0 warnings")


def test_a_file_that_is_not_yaml_gives_a_warning(journal):
    journal.write("2026-04-02.yaml")
    journal.write("notes.txt", "hello")
    journal.write("2026-04-03.json", "{}")
    assert journal.check() == (
        0,
        [
            "entries/2026-04-03.json:1:1: warning: is not a .yaml or .yml file, so it is not read as an entry",
            "entries/notes.txt:1:1: warning: is not a .yaml or .yml file, so it is not read as an entry",
        ],
        "1 entry, 0 errors, 2 warnings",
    )


def test_yml_and_upper_case_suffixes_are_read(journal):
    journal.write("2026-04-01.yml", "date: 2026-04-01\ndose_mg: 100\npre_mood: 3\npost_mood_2h: 5\n")
    journal.write("2026-04-02.YAML", ENTRY)
    assert journal.check() == (0, [], "2 entries, 0 errors, 0 warnings")
    assert [e.dose_mg for e in load_journal(journal.folder, "2026-04-02").entries] == [100, 150]


def test_entries_in_subfolders_are_read(journal):
    journal.write("2026/04/2026-04-02.yaml", ENTRY + "pre_mood: 12\n")
    assert journal.check() == (
        1, ["entries/2026/04/2026-04-02.yaml:3:11: pre_mood: 12 is out of range (1-10)"], "1 entry, 1 error, 0 warnings"
    )


def test_a_folder_named_like_an_entry(journal):
    journal.write("old.yaml/2026-04-02.yaml")
    assert journal.check() == (
        0,
        ["entries/old.yaml:1:1: warning: is a folder, not an entry file, although its name ends in .yaml; "
         "the files inside it are read as entries"],
        "1 entry, 0 errors, 1 warning",
    )


needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")


@needs_symlinks
def test_symlink_leading_outside_is_refused(journal):
    outside = journal.root / "elsewhere" / "secret.yaml"
    outside.parent.mkdir()
    outside.write_text(ENTRY)
    (journal.folder / "2026-04-02.yaml").symlink_to(outside)
    assert journal.check() == (
        1,
        [f"entries/2026-04-02.yaml:1:1: is a link to a file outside the entries folder ({outside.resolve()}); "
         "copy the entry into the folder instead"],
        "0 entries, 1 error, 0 warnings",
    )


@needs_symlinks
def test_symlink_with_dot_dot_leading_outside_is_refused(journal):
    (journal.root / "passwd.yaml").write_text(ENTRY)
    (journal.folder / "x.yaml").symlink_to("../passwd.yaml")
    code, lines, summary = journal.check()
    assert code == 1 and summary == "0 entries, 1 error, 0 warnings"
    assert lines == [f"entries/x.yaml:1:1: is a link to a file outside the entries folder "
                     f"({(journal.root / 'passwd.yaml').resolve()}); copy the entry into the folder instead"]


@needs_symlinks
def test_broken_symlink(journal):
    (journal.folder / "2026-04-02.yaml").symlink_to("gone.yaml")
    assert journal.check() == (
        1,
        ["entries/2026-04-02.yaml:1:1: is a link that leads nowhere (its target is missing, or links loop); "
         "remove it or copy the entry here"],
        "0 entries, 1 error, 0 warnings",
    )


@needs_symlinks
def test_symlink_loop(journal):
    (journal.folder / "a.yaml").symlink_to("b.yaml")
    (journal.folder / "b.yaml").symlink_to("a.yaml")
    code, lines, _ = journal.check()
    assert code == 1
    assert [line.split(": ", 1)[0] for line in lines] == ["entries/a.yaml:1:1", "entries/b.yaml:1:1"]
    assert all("is a link that leads nowhere" in line for line in lines)


@needs_symlinks
def test_symlink_inside_the_folder_is_read(journal):
    journal.write("archive/2026-04-02.yaml", ENTRY + "pre_mood: 3\npost_mood_2h: 5\n")
    (journal.folder / "latest.yaml").symlink_to("archive/2026-04-02.yaml")
    code, lines, summary = journal.check()
    # the same session seen through two names is counted as a duplicate, never silently twice
    assert code == 1 and summary == "2 entries, 2 errors, 0 warnings"
    assert all("is also the date of" in line for line in lines)


@needs_symlinks
def test_symlinked_folder_is_not_followed(journal):
    (journal.root / "other").mkdir()
    (journal.root / "other" / "x.yaml").write_text(ENTRY)
    (journal.folder / "more").symlink_to(journal.root / "other", target_is_directory=True)
    assert journal.check() == (
        0,
        ["entries/more:1:1: warning: is a link to a folder, which is not followed; move the entries into "
         "entries/ itself"],
        "0 entries, 0 errors, 1 warning",
    )


def test_entries_option(journal):
    (journal.root / "my journal").mkdir()
    (journal.root / "my journal" / "2026-04-02.yaml").write_text(ENTRY + "route: nasal\n")
    code, lines, summary = journal.check("--entries", "my journal")
    assert code == 1
    assert lines == [
        'my journal/2026-04-02.yaml:3:8: route: "nasal" is not one of the choices; write one of '
        "sublingual, oral, intranasal, intramuscular, intravenous"
    ]


# --- --format json ------------------------------------------------------------------

def test_json_format(journal):
    journal.write("2026-04-01.yaml", "date: 2026-04-01\ndose_mg: 150\npre_mood: 3\npost_mood_2h: 5\n")
    journal.write("2026-04-02.yaml", ENTRY + "pre_mood: 12\n")
    journal.write("notes.txt", "x")
    code, out, err = journal.run("check", "--today", "2026-04-03", "--format", "json")
    assert (code, err) == (1, "")
    assert json.loads(out) == {
        "entries": 2,
        "valid_entries": 1,
        "errors": [
            {"source": "entries/2026-04-02.yaml", "line": 3, "column": 11, "field": "pre_mood",
             "message": "12 is out of range (1-10)", "severity": "error"},
        ],
        "warnings": [
            {"source": "entries/2026-04-01.yaml", "line": 1, "column": 1, "field": "mood_day1",
             "message": "the day-1 follow-up was due on 2026-04-02 and is empty; add it if you noted it at the time; "
             "otherwise leave it empty and the report shows it as missing", "severity": "warning"},
            {"source": "entries/notes.txt", "line": 1, "column": 1, "field": None,
             "message": "is not a .yaml or .yml file, so it is not read as an entry", "severity": "warning"},
        ],
        "summary": "2 entries, 1 error, 2 warnings",
    }


def test_json_format_without_problems(journal):
    journal.write("2026-04-02.yaml")
    code, out, _ = journal.run("check", "--today", "2026-04-02", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "entries": 1, "valid_entries": 1, "errors": [], "warnings": [],
        "summary": "1 entry, 0 errors, 0 warnings",
    }


# --- journal new --------------------------------------------------------------------

def _schema_line(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix), first
    return first[len(prefix):]


def test_new_writes_todays_entry(journal):
    code, out, err = journal.run("new", "--today", "2026-04-02")
    assert (code, out) == (0, "entries/2026-04-02.yaml\n")  # the path alone, for scripts
    # when each follow-up is due, for the person
    assert err.splitlines() == [
        "Follow-ups to fill in, in the same file:",
        "  post_mood_2h  Thu 2 Apr 2026, about two hours after the session",
        "  mood_day1     Fri 3 Apr 2026",
        "  mood_day3     Sun 5 Apr 2026",
        "  mood_day7     Thu 9 Apr 2026",
    ]
    path = journal.folder / "2026-04-02.yaml"
    assert (path.parent / _schema_line(path)).resolve() == SCHEMA
    assert "\ndate: 2026-04-02 " in path.read_text()


def test_new_uses_the_real_date_by_default(journal):
    today = dt.date.today().isoformat()
    assert journal.run("new")[1] == f"entries/{today}.yaml\n"


def test_new_with_a_date_and_a_time(journal):
    assert journal.run("new", "--date", "2026-03-30")[1] == "entries/2026-03-30.yaml\n"
    assert journal.run("new", "--date", "2026-03-31 18:30")[1] == "entries/2026-03-31.yaml\n"
    assert "\ndate: 2026-03-31 18:30 " in (journal.folder / "2026-03-31.yaml").read_text()


def test_new_schema_line_resolves_from_any_folder(journal):
    code, out, _ = journal.run("new", "--entries", "deep/er/journal", "--date", "2026-04-02")
    path = journal.root / out.strip()
    assert path == journal.root / "deep/er/journal/2026-04-02.yaml"
    assert (path.parent / _schema_line(path)).resolve() == SCHEMA


def test_new_template_comments_every_field(journal):
    journal.run("new", "--date", "2026-04-02")
    lines = (journal.folder / "2026-04-02.yaml").read_text().splitlines()
    fields = {line.split(":", 1)[0].strip(): line for line in lines if not line.lstrip().startswith("#") and ":" in line}
    assert set(fields) == set(Entry.model_fields) | {"phq9", "gad7"}
    for name, line in fields.items():
        assert re.search(r":\s.*#\s*\S", line), f"{name} has no comment: {line!r}"
    assert "1-10" in fields["pre_mood"] and "0-27" in fields["phq9"] and "0-21" in fields["gad7"]
    assert "none, mild, moderate or strong" in fields["dissociation"]


def test_new_entry_checked_right_away_says_the_dose_is_missing(journal):
    journal.run("new", "--today", "2026-04-02")
    assert journal.check() == (
        1, [f"entries/2026-04-02.yaml:5:9: {DOSE_EMPTY}"], "1 entry, 1 error, 0 warnings"
    )


def test_new_entry_passes_once_the_dose_is_filled_in(journal):
    journal.run("new", "--today", "2026-04-02")
    path = journal.folder / "2026-04-02.yaml"
    path.write_text(path.read_text().replace("dose_mg:    ", "dose_mg: 150"))
    assert journal.check() == (0, [], "1 entry, 0 errors, 0 warnings")
    (entry,) = load_journal(journal.folder, "2026-04-02").entries
    assert (entry.date, entry.dose_mg, entry.notes, entry.side_effects) == (dt.date(2026, 4, 2), 150, None, None)
    # the next day, the template's empty moods are the reminders
    code, lines, summary = journal.check(today="2026-04-03")
    assert code == 0 and summary == "1 entry, 0 errors, 2 warnings"
    assert lines == [
        "entries/2026-04-02.yaml:8:10: warning: pre_mood: is empty; the mood right before the "
        "session is needed to see how much the session helped",
        "entries/2026-04-02.yaml:10:14: warning: post_mood_2h: is empty; the mood about two hours "
        "after is needed to see how much the session helped",
    ]


def test_new_never_overwrites(journal):
    path = journal.write("2026-04-02.yaml", "date: 2026-04-02\ndose_mg: 150\n# mine\n")
    assert journal.run("new", "--today", "2026-04-02")[1] == "entries/2026-04-02-2.yaml\n"
    assert path.read_text() == "date: 2026-04-02\ndose_mg: 150\n# mine\n"
    assert journal.run("new", "--today", "2026-04-02")[1] == "entries/2026-04-02-3.yaml\n"
    second = (journal.folder / "2026-04-02-2.yaml").read_text()
    assert re.search(r"^date: 2026-04-02 \d\d:\d\d ", second, re.M), second


def test_second_session_of_the_day_gets_the_time(tmp_path):
    first = create_entry(tmp_path, dt.date(2026, 4, 2), now=dt.datetime(2026, 4, 2, 9, 5))
    second = create_entry(tmp_path, dt.date(2026, 4, 2), now=dt.datetime(2026, 4, 2, 18, 30, 45))
    assert (first.name, second.name) == ("2026-04-02.yaml", "2026-04-02-2.yaml")
    assert "\ndate: 2026-04-02 " in first.read_text() and "\ndate: 2026-04-02 18:30 " in second.read_text()
    for path in (first, second):
        path.write_text(path.read_text().replace("dose_mg:    ", "dose_mg: 150"))
    loaded = load_journal(tmp_path, "2026-04-02")
    assert loaded.problems == [] and len(loaded.entries) == 2


def test_a_second_session_on_an_earlier_day_gets_no_time_from_the_clock(journal):
    """On 30 Nov, two entries for 20 Nov: the clock's time is not the session's. The
    date is left without a time, and the person is told to add it; until then `journal
    check` says the two need times, rather than a made-up time going into the report."""
    assert journal.run("new", "--date", "2026-11-20", "--today", "2026-11-30")[1] == "entries/2026-11-20.yaml\n"
    code, out, err = journal.run("new", "--date", "2026-11-20", "--today", "2026-11-30")
    assert (code, out) == (0, "entries/2026-11-20-2.yaml\n")
    second = (journal.folder / "2026-11-20-2.yaml").read_text()
    assert re.search(r"^date: 2026-11-20 +#", second, re.M), second
    assert err.splitlines()[0] == (
        "journal new: 2026-11-20.yaml is also on 2026-11-20: add this session's time to its date "
        "(date: 2026-11-20 18:30), and the other session's to its own, so that the two are told apart")
    assert "  post_mood_2h  Fri 20 Nov 2026, about two hours after the session" in err.splitlines()
    for path in journal.folder.iterdir():
        path.write_text(path.read_text().replace("dose_mg:    ", "dose_mg: 150"))
    code, lines, _ = journal.check(today="2026-11-30")
    assert code == 1
    assert [line for line in lines if "warning" not in line] == [
        f"entries/{name}:4:7: date: 2026-11-20 is also the date of entries/{other}; one session in two files "
        "would be counted twice (for two sessions on one day, add the time to each, e.g. 2026-04-02 09:00)"
        for name, other in (("2026-11-20-2.yaml", "2026-11-20.yaml"), ("2026-11-20.yaml", "2026-11-20-2.yaml"))
    ]


def test_a_second_session_today_gets_the_time_now_and_says_so(journal):
    journal.run("new", "--today", "2026-04-02")
    code, out, err = journal.run("new", "--today", "2026-04-02")
    assert (code, out) == (0, "entries/2026-04-02-2.yaml\n")
    written = re.search(r"^date: 2026-04-02 (\d\d:\d\d) ", (journal.folder / "2026-04-02-2.yaml").read_text(), re.M)
    assert written, "no time"
    assert err.splitlines()[0] == (f"journal new: 2026-04-02.yaml is also on 2026-04-02, so this entry was given the "
                                   f"time {written[1]} (now): change it to the session's time")
    # the schedule is the entry's as written: the 2-hour follow-up at that time plus two hours
    hour, minute = map(int, written[1].split(":"))
    two_hours_on = (dt.datetime(2026, 4, 2, hour, minute) + dt.timedelta(hours=2)).strftime("%H:%M")
    assert f"  post_mood_2h  {'Thu 2 Apr 2026' if hour < 22 else 'Fri 3 Apr 2026'}, {two_hours_on}" in err.splitlines()


def test_create_entry_takes_no_time_from_the_clock_for_another_day(tmp_path):
    create_entry(tmp_path, dt.date(2026, 11, 20), now=dt.datetime(2026, 11, 30, 14, 35))
    second = create_entry(tmp_path, dt.date(2026, 11, 20), now=dt.datetime(2026, 11, 30, 14, 35))
    assert "\ndate: 2026-11-20 " in second.read_text() and "14:35" not in second.read_text()


def test_schema_reference_is_relative(tmp_path):
    ref = schema_reference(tmp_path)
    assert not ref.startswith("/") and (tmp_path / ref).resolve() == SCHEMA


@pytest.mark.parametrize("value", ["2026-02-30", "tomorrow", "02/04/2026"])
def test_new_with_a_bad_date(journal, value):
    code, out, err = journal.run("new", "--date", value)
    assert (code, out) == (2, "")
    assert err == f"journal new: --date {value!r} is not a date; write 2026-04-02 or '2026-04-02 18:30'\n"
    assert list(journal.folder.iterdir()) == []


def test_new_refuses_a_day_after_today_and_writes_nothing(journal):
    code, out, err = journal.run("new", "--date", "2026-04-03", "--today", "2026-04-02")
    assert (code, out) == (2, "")
    assert err.startswith("journal new: --date '2026-04-03' is after today (2026-04-02); an entry is written after its session")
    assert list(journal.folder.iterdir()) == []
    assert journal.run("new", "--date", "2026-04-02 23:30", "--today", "2026-04-02")[0] == 0  # later today is fine


# --- --help and bad options ---------------------------------------------------------

@pytest.mark.parametrize(
    "args, mentions",
    [
        ([], ["new", "check", "--version", "medical advice"]),
        (["new"], ["--date", "--entries", "--today", "never overwritten"]),
        (["check"], ["--format", "json", "--entries", "--today", "FILE:LINE:COLUMN", "Exit status"]),
    ],
)
def test_help(capsys, args, mentions):
    with pytest.raises(SystemExit) as exit_:
        main([*args, "--help"])
    assert exit_.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for word in mentions:
        assert word.lower() in out.lower(), word


def test_no_command_prints_help(journal):
    code, out, _ = journal.run()
    assert code == 2 and "usage: journal" in out


@pytest.mark.parametrize("command", ["check", "new"])
@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "2026-04-02 18:30"])
def test_bad_today_option(journal, command, value):
    code, out, err = journal.run(command, "--today", value)
    assert (code, out) == (2, "")
    assert err == f"journal {command}: today must be a date like 2026-04-02, not {value!r}\n"
    assert list(journal.folder.iterdir()) == []


def test_bad_today_variable(journal, monkeypatch):
    monkeypatch.setenv("JOURNAL_TODAY", "25/11/2026")
    code, out, err = journal.run("check")
    assert (code, out, err) == (2, "", "journal check: today must be a date like 2026-04-02, not '25/11/2026'\n")


def test_unknown_option_is_a_usage_error(journal, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--formt", "json"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --formt" in capsys.readouterr().err


# --- the real console script --------------------------------------------------------

def _journal_script() -> str:
    beside = Path(sys.executable).with_name("journal")
    found = str(beside) if beside.exists() else shutil.which("journal")
    if not found:
        pytest.skip("the `journal` console script is not installed")
    return found


def _run(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "JOURNAL_TODAY"} | (env or {})
    return subprocess.run(
        [_journal_script(), *args], cwd=tmp_path, capture_output=True, text=True, timeout=60, env=environment
    )


def test_console_script_check(tmp_path):
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "2026-04-02.yaml").write_text("date: 2026-04-02\ndose_mg: 150mg\n")
    (tmp_path / "entries" / "2026-04-01.yml").write_text("date: 2026-04-01\ndose_mg: 100\n")
    done = _run(tmp_path, "check", env={"JOURNAL_TODAY": "2026-04-02"})
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines() == [
        "entries/2026-04-01.yml:1:1: warning: post_mood_2h: is empty; the mood about two hours after "
        "is needed to see how much the session helped",
        "entries/2026-04-01.yml:1:1: warning: pre_mood: is empty; the mood right before the session "
        "is needed to see how much the session helped",
        'entries/2026-04-02.yaml:2:10: dose_mg: "150mg" is not a number; write the number alone (150), '
        "without units or extra words",
        "2 entries, 1 error, 2 warnings",
    ]


def test_console_script_new_then_check(tmp_path):
    done = _run(tmp_path, "new", "--date", "2026-04-02")
    assert (done.returncode, done.stdout) == (0, "entries/2026-04-02.yaml\n")
    assert done.stderr.startswith("Follow-ups to fill in, in the same file:\n")
    path = tmp_path / "entries" / "2026-04-02.yaml"
    assert (path.parent / _schema_line(path)).resolve() == SCHEMA
    done = _run(tmp_path, "check", "--today", "2026-04-02")
    assert done.returncode == 1
    assert done.stdout == f"entries/2026-04-02.yaml:5:9: {DOSE_EMPTY}\n1 entry, 1 error, 0 warnings\n"


def test_console_script_bad_today_has_no_traceback(tmp_path):
    done = _run(tmp_path, "check", "--today", "2026-02-30")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "journal check: today must be a date like 2026-04-02, not '2026-02-30'\n"


def test_console_script_help(tmp_path):
    for args in (["--help"], ["check", "--help"], ["new", "--help"]):
        done = _run(tmp_path, *args)
        assert done.returncode == 0 and done.stdout.startswith("usage: journal"), args


def test_check_writes_its_report_in_one_go_even_where_a_character_cannot_be_shown(journal, monkeypatch):
    """The report is written in one go; where the terminal cannot show a character, it is
    written escaped (caf\\xe9) and every line still appears."""
    import gc
    import io

    journal.write("a.yaml", "date: 2026-04-02\ndose_mg: lots\n")
    journal.write("b café.yaml", "date: 2026-04-03\ndose_mg: lots\n")
    journal.write("c.yaml", "date: 2026-04-04\ndose_mg: 150\n")
    code, out, _ = journal.run("check", "--today", "2026-04-10")
    assert code == 1 and out.count("\n") == 2 + 4 + 1  # two errors, four warnings of c.yaml, the summary
    assert gc.isenabled()  # paused while checking, on again after

    written = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(written, encoding="ascii"))
    assert main(["check", "--today", "2026-04-10"]) == 1
    sys.stdout.flush()
    assert written.getvalue().decode("ascii") == out.replace("é", "\\xe9")
    assert gc.isenabled()


def test_check_and_new_use_the_entries_folder_named_in_mkdocs_yml(journal):
    """The folder the build reads: `entries:` of the journal plugin, with the tags mkdocs.yml
    files often hold (never run)."""
    (journal.root / "mkdocs.yml").write_text(
        "site_name: Mine\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - journal:\n      entries: sessions\n",
        encoding="utf-8",
    )
    code, out, err = journal.run("new", "--today", "2026-04-02")
    assert (code, out) == (0, "sessions/2026-04-02.yaml\n")
    assert (journal.root / "sessions" / "2026-04-02.yaml").is_file()
    assert not any(journal.folder.iterdir())  # nothing written into entries/
    (journal.root / "sessions" / "2026-04-03.yaml").write_text("date: 2026-04-03\ndose_mg: x\n", encoding="utf-8")
    code, lines, summary = journal.check()
    assert code == 1 and summary.startswith("2 entries, ")
    assert any(line.startswith("sessions/2026-04-03.yaml:2:10: dose_mg:") for line in lines)
    # --entries still wins
    assert journal.check("--entries", "entries") == (0, [], "0 entries, 0 errors, 0 warnings")


def test_entries_folder_from_mkdocs_yml_with_env_tags_or_odd_plugins(journal, monkeypatch):
    from generator.cli import configured_entries

    config = journal.root / "mkdocs.yml"
    config.write_text("plugins:\n  - journal:\n      entries: !ENV [JOURNAL_DIR, mine]\n", encoding="utf-8")
    assert configured_entries(config) == journal.root / "mine"  # the default, as MkDocs reads it
    monkeypatch.setenv("JOURNAL_DIR", "elsewhere")
    assert configured_entries(config) == journal.root / "elsewhere"
    for odd in ("plugins: 1\n", "plugins: true\n", "plugins:\n  journal: 3\n", "- a\n", "plugins: [journal]\n"):
        config.write_text(odd, encoding="utf-8")
        assert configured_entries(config) == Path("entries"), odd
    assert journal.check() == (0, [], "0 entries, 0 errors, 0 warnings")  # no crash


def test_check_and_new_follow_inherit_in_mkdocs_yml(journal):
    """mkdocs.yml may take its settings from another file (`INHERIT`, relative to the file,
    chained): `check` and `new` use the folder the build reads, as MkDocs merges them."""
    from mkdocs.config import load_config

    (journal.root / "base").mkdir()
    (journal.root / "extra").mkdir()
    (journal.root / "base" / "common.yml").write_text(
        "site_name: Common\ndocs_dir: extra\nplugins:\n  search: {}\n  journal:\n    entries: sessions\n    window: 4\n", encoding="utf-8")
    (journal.root / "base" / "mid.yml").write_text("INHERIT: common.yml\nplugins:\n  journal:\n    window: 5\n", encoding="utf-8")
    (journal.root / "mkdocs.yml").write_text("INHERIT: base/mid.yml\nsite_name: Mine\n", encoding="utf-8")
    built_from = load_config(str(journal.root / "mkdocs.yml")).plugins["journal"].config
    assert (built_from.entries, built_from.window) == ("sessions", 5)  # the folder is relative to mkdocs.yml

    code, out, err = journal.run("new", "--today", "2026-04-02")
    assert (code, out) == (0, "sessions/2026-04-02.yaml\n")  # the follow-ups' days go to stderr
    assert not any(journal.folder.iterdir())  # nothing written into entries/
    (journal.root / "sessions" / "2026-04-03.yaml").write_text("date: 2026-04-03\ndose_mg: x\n", encoding="utf-8")
    code, lines, summary = journal.check()
    assert code == 1 and summary.startswith("2 entries, ")
    assert any(line.startswith("sessions/2026-04-03.yaml:2:10: dose_mg:") for line in lines)


def test_an_inherit_loop_in_mkdocs_yml_does_not_hang_check(journal):
    (journal.root / "mkdocs.yml").write_text("INHERIT: other.yml\n", encoding="utf-8")
    (journal.root / "other.yml").write_text("INHERIT: mkdocs.yml\nplugins: [{journal: {entries: x}}]\n", encoding="utf-8")
    assert journal.check() == (0, [], "0 entries, 0 errors, 0 warnings")  # entries/, as with no setting


# --- ordinary failures: one plain line, exit 1 or 2, never "please report it" ------------

def _one_plain_line(code: int, err: str) -> str:
    assert code in (1, 2), err
    assert "please report" not in err and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_a_busy_port_is_named_with_another_to_use(tmp_path, capsys):
    import socket

    from conftest import run_in, write_project

    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = run_in(project, "serve", "--address", f"127.0.0.1:{port}")
    line = _one_plain_line(code, capsys.readouterr().err)
    assert f"127.0.0.1:{port} is already in use" in line and "--address 127.0.0.1:8001" in line


@pytest.mark.parametrize("option", ["--address", "--dev-addr"])  # --dev-addr: mkdocs serve's name, taken too
@pytest.mark.parametrize("address", ["127.0.0.1:70000", "127.0.0.1:port", "somewhere:8000"])
def test_a_wrong_serve_address_is_a_plain_message(tmp_path, capsys, address, option):
    from conftest import run_in, write_project

    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY})
    line = _one_plain_line(run_in(project, "serve", option, address), capsys.readouterr().err)
    assert line.startswith(f"journal serve: --address '{address}': ") and "--address 127.0.0.1:8001" in line


@pytest.mark.parametrize("option, named", [
    ("window: six", "journal plugin option 'window': Expected type: int but received: str"),
    ("windw: 6", "journal plugin option 'windw': Unrecognised configuration name: windw"),
])
def test_a_wrong_or_unknown_plugin_option_is_one_plain_line(tmp_path, capsys, option, named):
    from conftest import build, write_project

    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY}, option)
    assert _one_plain_line(build(project), capsys.readouterr().err) == f"journal build: mkdocs.yml: {named}"
    assert not (project / "site").exists()


@pytest.mark.parametrize("command", ["build", "export", "serve"])
def test_a_malformed_mkdocs_yml_is_named_with_its_line(tmp_path, capsys, command):
    from conftest import run_in, write_project

    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY})
    (project / "mkdocs.yml").write_text("site_name: Mine\nplugins:\n  - journal\n  search: true\n", encoding="utf-8")
    line = _one_plain_line(run_in(project, command), capsys.readouterr().err)
    assert line.startswith(f"journal {command}: mkdocs.yml:4:") and "not valid YAML" in line, line
    assert list(project.glob("*.zip")) == [] and not (project / "site").exists()


def test_an_empty_mkdocs_yml_says_so(tmp_path, capsys):
    from conftest import build, write_project

    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY})
    (project / "mkdocs.yml").write_text("# nothing yet\n", encoding="utf-8")
    line = _one_plain_line(build(project), capsys.readouterr().err)
    assert line.startswith("journal build: mkdocs.yml is empty; it needs")


def test_check_prints_every_line_on_an_ascii_only_terminal(tmp_path):
    """As on some Windows consoles: what cannot be shown is written escaped, nothing is lost."""
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "a.yaml").write_text("date: 2026-04-02\ndose_mg: 150é\n", encoding="utf-8")
    (tmp_path / "entries" / "b café.yaml").write_text("date: 2026-04-03\ndose_mg: lots\n", encoding="utf-8")
    (tmp_path / "entries" / "c.yaml").write_text("date: 2026-04-04\ndose_mg: x\n", encoding="utf-8")
    done = _run(tmp_path, "check", "--today", "2026-04-04", env={"PYTHONIOENCODING": "ascii"})
    assert (done.returncode, done.stderr) == (1, "")
    assert done.stdout.splitlines() == [
        'entries/a.yaml:2:10: dose_mg: "150\\xe9" is not a number; write the number alone (150), without units or extra words',
        'entries/b caf\\xe9.yaml:2:10: dose_mg: "lots" is not a number (a number greater than 0)',
        'entries/c.yaml:2:10: dose_mg: "x" is not a number (a number greater than 0)',
        "3 entries, 3 errors, 0 warnings",
    ]


@pytest.mark.parametrize("command, stopped, said", [
    ("build", "mkdocs.commands.build.build", "journal build: stopped (Ctrl+C); nothing was changed"),
    ("export", "generator.export.export_journal", "journal export: stopped (Ctrl+C); nothing was exported"),
    ("check", "generator.cli.load_journal", "journal check: stopped (Ctrl+C); nothing was changed"),
])
def test_ctrl_c_says_what_it_stopped(tmp_path, capsys, monkeypatch, command, stopped, said):
    from conftest import run_in, write_project

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    project = write_project(tmp_path, {"2026-06-01.yaml": ENTRY})
    monkeypatch.setattr(stopped, interrupted)
    assert run_in(project, command) == 130
    assert capsys.readouterr().err == said + "\n"
