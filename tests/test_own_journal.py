"""A journal folder of one's own, without mkdocs.yml: the built-in configuration, journal.yml,
and the calendar of follow-ups the report offers."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import REPO, run_in

TODAY = "2026-04-10"
ENTRIES = {
    # long past: nothing to come
    "2026-03-01.yaml": "date: 2026-03-01\ndose_mg: 100\npre_mood: 3\npost_mood_2h: 6\n",
    # 6 days ago, day 1 recorded, day 3 missed: only day 7 (tomorrow) is to come
    "2026-04-04.yaml": "date: 2026-04-04\ndose_mg: 100\npre_mood: 3\npost_mood_2h: 6\nmood_day1: 5\n",
    # today, with a time, nothing after yet: 2 hours, day 1, 3 and 7 to come
    "2026-04-10.yaml": "date: 2026-04-10 18:30\ndose_mg: 100\npre_mood: 4\n",
}
EXPECTED = {
    ("2026-04-04-mood_day7@follow-up.journal", dt.date(2026, 4, 11)),
    ("2026-04-10-post_mood_2h@follow-up.journal", dt.datetime(2026, 4, 10, 20, 30)),
    ("2026-04-10-mood_day1@follow-up.journal", dt.date(2026, 4, 11)),
    ("2026-04-10-mood_day3@follow-up.journal", dt.date(2026, 4, 13)),
    ("2026-04-10-mood_day7@follow-up.journal", dt.date(2026, 4, 17)),
}


@pytest.fixture(scope="module")
def own_journal(tmp_path_factory) -> Path:
    """A folder with entries/ and journal.yml and no mkdocs.yml, built twice on one day."""
    folder = tmp_path_factory.mktemp("own") / "journal"
    (folder / "entries").mkdir(parents=True)
    for name, text in ENTRIES.items():
        (folder / "entries" / name).write_text(text, encoding="utf-8")
    (folder / "journal.yml").write_text("site_name: Sam's journal\nwindow: 2\n", encoding="utf-8")
    for site in ("site", "again"):
        assert run_in(folder, "build", "--today", TODAY, "--site-dir", str(folder / site)) == 0
    return folder


def test_builds_without_mkdocs_yml_from_the_private_builtin_configuration(own_journal):
    index = (own_journal / "site" / "index.html").read_text(encoding="utf-8")
    assert "<title>Overview - Sam&#39;s journal</title>" in index  # site_name from journal.yml
    assert 'href="trends.html"' in index  # plain file links, for a report opened from disk
    assert "fonts.googleapis.com" not in index and "Made with" not in index
    assert (own_journal / "site" / "search" / "search_index.js").is_file()  # search from disk (offline)
    assert not (own_journal / "mkdocs.yml").exists()


def test_the_calendar_holds_exactly_the_follow_ups_still_to_come(own_journal):
    calendar = Calendar.from_ical((own_journal / "site" / "follow-ups.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert {(str(e["UID"]), e.decoded("DTSTART")) for e in events} == EXPECTED
    assert len(events) == len(EXPECTED)  # no UID twice
    for event in events:
        assert event.decoded("DTSTAMP").date() <= dt.date.fromisoformat(TODAY)  # from the session, not the clock
        # named from words.MOOD_NAMES, the session's day as words.format_day writes it
        assert re.fullmatch(r"Journal: (mood about two hours after|day-[137] mood) \(session of \d{1,2} [A-Z][a-z]{2}\)", str(event["SUMMARY"]))
    index = (own_journal / "site" / "index.html").read_text(encoding="utf-8")
    assert '5 follow-ups are still to come, the next on 10 Apr: <a href="follow-ups.ics" download>' in index


def test_the_calendar_file_never_names_the_drug(own_journal):
    """A calendar app, often a cloud service, keeps every line of an imported file: its
    product id and each event's UID name no treatment (the event titles never did)."""
    text = (own_journal / "site" / "follow-ups.ics").read_text(encoding="utf-8").lower()
    assert "ketamine" not in text


def test_the_calendar_is_the_same_on_two_builds_of_one_day(own_journal):
    first = (own_journal / "site" / "follow-ups.ics").read_bytes()
    assert first == (own_journal / "again" / "follow-ups.ics").read_bytes()
    assert first.count(b"BEGIN:VEVENT") == len(EXPECTED)


def test_a_setting_in_journal_yml_that_does_not_exist_is_named(tmp_path, capsys):
    (tmp_path / "entries").mkdir()
    (tmp_path / "journal.yml").write_text("windw: 8\n", encoding="utf-8")
    assert run_in(tmp_path, "build") == 2
    err = capsys.readouterr().err
    assert "windw" in err and "journal.yml" in err and "please report" not in err


def test_the_repository_mkdocs_yml_copied_elsewhere_gets_a_plain_message(tmp_path, capsys):
    shutil.copy(REPO / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "entries").mkdir()
    assert run_in(tmp_path, "build") == 2
    err = capsys.readouterr().err
    assert "docs_dir" in err and "site_templates/extra" in err
    assert err.startswith("journal build: mkdocs.yml: 'docs_dir': ") and "please report" not in err
    assert err.rstrip().endswith("create the folder it names (it may stay empty), or change the setting")


def test_a_folder_without_a_journal_says_how_to_start_one(tmp_path, capsys):
    assert run_in(tmp_path, "build") == 2
    assert "journal init" in capsys.readouterr().err


def test_entries_elsewhere_with_entries_option(tmp_path):
    (tmp_path / "kept" / "sessions").mkdir(parents=True)
    (tmp_path / "kept" / "sessions" / "2026-03-01.yaml").write_text(ENTRIES["2026-03-01.yaml"], encoding="utf-8")
    (tmp_path / "here").mkdir()
    assert run_in(tmp_path / "here", "build", "--entries", "../kept/sessions") == 0
    assert (tmp_path / "here" / "site" / "sessions" / "2026-03-01.html").is_file()
    assert sorted(p.name for p in (tmp_path / "kept" / "sessions").iterdir()) == ["2026-03-01.yaml"]


def test_new_says_when_each_follow_up_of_a_timed_session_is_due(journal):
    code, out, err = journal.run("new", "--date", "2026-03-31 23:30")
    assert (code, out) == (0, "entries/2026-03-31.yaml\n")
    assert err.splitlines() == [
        "Follow-ups to fill in, in the same file:",
        "  post_mood_2h  Wed 1 Apr 2026, 01:30",  # two hours after, past midnight
        "  mood_day1     Wed 1 Apr 2026",
        "  mood_day3     Fri 3 Apr 2026",
        "  mood_day7     Tue 7 Apr 2026",
    ]


def test_check_reads_the_providers_setting_of_journal_yml(tmp_path, capsys):
    """Without mkdocs.yml, `journal check` reads journal.yml's providers as the build does."""
    (tmp_path / "entries").mkdir()
    for day, who in (("2026-09-01", "Dr. Amara Osei (Lakeside Psychiatry)"), ("2026-09-08", "Dr. A. Osei")):
        (tmp_path / "entries" / f"{day}.yaml").write_text(f"date: {day}\ndose_mg: 150\nprovider: {who}\n", encoding="utf-8")
    run_in(tmp_path, "check")
    assert "may be one prescriber written two ways" in capsys.readouterr().out
    (tmp_path / "journal.yml").write_text('providers:\n  "Dr. Amara Osei": ["Dr. A. Osei"]\n', encoding="utf-8")
    run_in(tmp_path, "check")
    assert "may be one prescriber" not in capsys.readouterr().out


def test_a_session_without_a_time_gets_no_alarm_for_its_two_hour_mood(tmp_path):
    """Its time unknown, an alarm at 9:00 for the mood two hours after it is wrong either way
    (long past, or before an evening session): the day's note stays, without an alarm, and
    says how to get one. A session with a time keeps its alarm, and every later follow-up too."""
    from generator.journal import load_journal
    from generator.reminders import calendar_ics, pending_follow_ups

    (tmp_path / "2026-04-11.yaml").write_text("date: 2026-04-11\ndose_mg: 100\n", encoding="utf-8")
    (tmp_path / "2026-04-10.yaml").write_text("date: 2026-04-10 23:30\ndose_mg: 100\n", encoding="utf-8")
    journal = load_journal(tmp_path, "2026-04-11")
    assert journal.errors == []
    events = {str(e["uid"]): e for e in Calendar.from_ical(calendar_ics(pending_follow_ups(journal.entries, journal.today), "Mine")).walk("VEVENT")}
    untimed = events["2026-04-11-post_mood_2h@follow-up.journal"]
    assert untimed.walk("VALARM") == [] and "write the time in its date (2026-04-02 18:30)" in str(untimed["description"])
    timed = events["2026-04-10-post_mood_2h@follow-up.journal"]
    assert len(timed.walk("VALARM")) == 1 and str(timed["dtstart"].dt) == "2026-04-11 01:30:00"
    assert all(len(e.walk("VALARM")) == 1 for uid, e in events.items() if "post_mood_2h" not in uid)
