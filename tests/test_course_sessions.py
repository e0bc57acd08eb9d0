"""The course between sessions, bad sessions, safety notices and tolerability (issue 13,
situations 7 and 8).

Each situation is a small journal written by hand, with what the overview, the check-in sheet
and the export's summary say about it, rendered by the core as in tests/test_course.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path

from builders import D, entry
from conftest import run_in, write_project
from generator.analysis import analyse
from generator.entries import entry_json_schema, entry_template
from generator.export import ExportOptions, render_summary
from generator.journal import Journal
from generator.pages import build_pages, render_pages
from generator.report import PERSONAL, Audience, build_report, select_sessions, selected_trends
from generator.settings import Settings
from generator.words import checklist_items

TODAY = D(2026, 12, 1)


def render(entries, settings: Settings = Settings()) -> dict[str, str]:
    """Every page of the report as plain text (by its path), the summary as "summary" and its
    HTML as "summary.html"."""
    journal = Journal(folder=None, today=TODAY, entries=sorted(entries, key=lambda e: e.sort_key))  # type: ignore[arg-type]  # made in memory: no folder
    report = build_report(journal, PERSONAL, settings)
    pages = {p.path: text(p.html) for p in render_pages(report, build_pages(report), lambda _from, to: to)}
    provider = build_report(journal, Audience.for_provider(), settings)
    summary = render_summary(provider, ExportOptions(entries_dir=None, today=TODAY, settings=settings))  # type: ignore[arg-type]  # nor an entries folder
    return {**pages, "summary": text(summary), "summary.html": summary}


def text(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def weekly(lifts, start=D(2026, 9, 1), pre=4, **per_session) -> list:
    result = []
    for i, lift in enumerate(lifts):
        extra = {k: v[i] for k, v in per_session.items() if v[i] is not None}
        result.append(entry((start + dt.timedelta(weeks=i)).isoformat(), 150, pre, pre + lift, **extra))
    return result


ITEM9_1 = {"phq9": [1, 1, 1, 1, 1, 1, 1, 1, 1]}
REASSURING = ("normal variability", "not, on its own, a reason", "stands out right now", "Nothing stands out",
              "wait and see")


# --------------------------------------------------------------------------- situation 7


def test_a_bad_latest_session_beside_a_self_harm_answer_gets_no_reassurance_and_the_notice_comes_first():
    # six weekly sessions, lift +4 and then 0 on 6 Oct, whose PHQ-9 answers question 9 with 1
    entries = weekly([4, 4, 4, 4, 4, 0], scores=[None] * 5 + [ITEM9_1])
    pages = render(entries)
    overview, checkin, summary = pages["index.md"], pages["check-in.md"], pages["summary"]
    notice = "Thoughts of self-harm recorded: please reach out now"
    assert overview.removeprefix("Overview ").startswith(notice)  # first after the title, before the export notice and the cards
    assert checkin.index(notice) < checkin.index("Recent sessions")
    for page in (overview, checkin):
        assert ("If you might act on these thoughts or are not safe, contact the 988 Suicide & Crisis "
                "Lifeline (in the US, call or text 988) or your local emergency number straight away, and tell "
                "someone you trust.") in page
    # the summary opens with it, for the clinician, before "At a glance"
    raw = pages["summary.html"]
    assert raw.index('id="signal-self_harm_item"') < raw.index('<section id="glance">')
    assert ("asking them to contact their prescriber now, and the 988 Suicide & Crisis Lifeline (in the US, call "
            "or text 988) or their local emergency number if they are not safe, and to tell someone they trust") in summary
    # the bad session is still told, as a fact, without a word that would sound like "no need to act"
    told = "Your latest session, on 6 Oct 2026 at 150 mg, had a lift of 0 points, well below the +4.0 points"
    assert told in overview
    assert "The latest session, on 6 Oct 2026 at 150 mg, had a lift of 0 points" in summary
    for name in ("index.md", "check-in.md", "summary"):
        for words in REASSURING:
            assert words not in pages[name], (name, words)


def test_the_same_bad_session_without_a_safety_notice_is_still_one_bad_session():
    pages = render(weekly([4, 4, 4, 4, 4, 0]))
    assert "One session like this is within normal variability" in pages["index.md"]  # the wait-and-see reading
    assert "988" not in pages["index.md"]


def test_a_bad_session_that_is_not_the_latest_is_named_with_its_date():
    # twelve weekly sessions at +4, except 27 Oct at 0: three sessions after it, it is not the latest
    lifts = [4] * 8 + [0] + [4] * 3
    pages = render(weekly(lifts))
    overview, checkin, summary = pages["index.md"], pages["check-in.md"], pages["summary"]
    stood_out = "27 Oct 2026 (150 mg): a lift of 0 points, against +4.0 typical of the other 5 sessions at that dose in the window"
    assert "A session that stood out: 27 Oct 2026" in overview
    assert f"In your last 6 sessions (13 Oct – 17 Nov 2026), this session stands out: {stood_out}." in overview
    # the sheet's short sentences
    assert "27 Oct stood out: a lift of 0 points, against +4.0 typical of the other 5 sessions at that dose in the window." in checkin
    assert f"In the last 6 sessions (13 Oct – 17 Nov 2026), this session stands out: {stood_out}." in summary
    assert "worth discussing with the patient" in summary.split("A session that stood out: 27 Oct 2026", 1)[1]
    assert "One session below the rest" not in overview  # that one is about the latest session only


def test_strong_dissociation_with_several_side_effects_is_a_bad_session_whatever_its_lift():
    dissociation = [None] * 9 + ["strong"] + [None] * 2
    effects = [None] * 9 + [["nausea", "headache", "dizzy"]] + [None] * 2
    pages = render(weekly([4] * 12, dissociation=dissociation, side_effects=effects))
    said = "3 Nov 2026 (150 mg): strong dissociation with nausea, headache and dizziness"
    assert "A session that stood out: 3 Nov 2026" in pages["index.md"] and said in pages["index.md"]
    assert "3 Nov went badly: strong dissociation with nausea, headache and dizziness." in pages["check-in.md"]
    assert said in pages["summary"]


# --------------------------------------------------------------------------- situation 8


def course() -> list:
    """Weekly sessions, one after six days, then every three days. 25 Sep: still above its mood
    before (4) at the next session, 1 Oct (5); its day-7 mood is dated 2 Oct, after it."""
    def s(day, pre, post, d1=None, d3=None, d7=None):
        return entry(day, 150, pre, post, d1, d3, d7)
    return [
        s("2026-09-04", 4, 8, 7, 6, 5), s("2026-09-11", 4, 8, 7, 6, 5), s("2026-09-18", 4, 8, 7, 6, 5),
        s("2026-09-25", 4, 8, 7, 6, 4), s("2026-10-01", 5, 8, 7, 6, 5), s("2026-10-08", 4, 8, 7, 6, 5),
        s("2026-10-11", 4, 7, 6, 5, 5), s("2026-10-14", 4, 7, 6, 5), s("2026-10-17", 4, 7, 6, 5),
        s("2026-10-20", 4, 7, 6, 5), s("2026-10-23", 4, 7, 6, 5), s("2026-10-26", 4, 7, 6, 5),
    ]


def test_days_between_sessions_follow_ups_after_the_next_session_and_the_effect_read_up_to_it():
    pages = render(course())
    sessions, page, checkin, summary = pages["sessions/index.md"], pages["sessions/2026-09-25.md"], pages["check-in.md"], pages["summary"]
    bounded = "6+ days (still above at the next session, 6 days later)"
    marked = "4 (after the next session, 1 Oct)"
    # the sessions list: date, days since the previous session, dose, moods, effect
    assert "Date Days since last Dose Before 2 h Lift Day 1 Day 3 Day 7 Effect lasted" in sessions
    assert f"25 Sep 2026 7 150 mg 4 8 +4 7 6 {marked} {bounded}" in sessions
    assert "1 Oct 2026 6 150 mg" in sessions and "4 Sep 2026 – 150 mg" in sessions  # the first has none
    # its own page
    assert "Days since the previous session 7 (previous session 18 Sep 2026)" in page
    assert "Next session 1 Oct 2026, 6 days later" in page
    assert f"Day 7 {marked} 0" in page
    assert f"Effect lasted: {bounded}" in page
    # the check-in sheet: the recent sessions every 3 days; 11 Oct's day 7 is dated 18 Oct, after 14 Oct
    assert "Date Days since last Dose Before" in checkin
    assert "11 Oct 2026 3 150 mg 4 7 +3 6 5 5 * 3+ days" in checkin  # one printed page: a star, said in the legend
    assert "*: dated after the next session." in checkin
    # the summary: every session with its days since the previous one, and the same marks
    assert f"25 Sep 2026 7 150 mg 4 8 +4 7 6 {marked} {bounded}" in summary
    assert "Between sessions a median of 3 days over the last 6 against 7 over the 5 before: sessions now take place more often" in summary
    # the Trends page: a table of the days between sessions
    assert f"25 Sep 2026 7 {bounded} day 7 (next session 1 Oct)" in pages["trends.md"]


def test_a_change_of_frequency_is_a_finding_of_its_own():
    pages = render(course())
    finding = ("last 6 sessions (11–26 Oct 2026) came a median of 3 days after the one before (all 3 days), "
               "against 7 days over the 5 sessions before (4 Sep – 8 Oct 2026; 6 to 7 days).")
    assert "Sessions now take place more often" in pages["index.md"] and f"Your {finding}" in pages["index.md"]
    assert f"The {finding}" in pages["summary"] and "is worth discussing with the patient" in pages["summary"]
    assert "My last sessions came every 3 days, more often than the 7 days before." in pages["check-in.md"]
    # about as often: no finding
    steady = render([entry((D(2026, 9, 1) + dt.timedelta(days=7 * i + i % 2)).isoformat(), 150, 4, 8) for i in range(12)])
    assert "Sessions now take place" not in steady["index.md"] and "about as often as" in steady["index.md"]
    assert "My last sessions came every" not in steady["check-in.md"]  # the sheet says it only when it has changed


def test_the_same_day_rated_differently_by_two_entries_is_a_check_warning_naming_both(journal):
    journal.today = "2026-12-01"
    journal.write("2026-09-25.yaml", "date: 2026-09-25\ndose_mg: 150\npre_mood: 4\npost_mood_2h: 8\n"
                                     "mood_day1: 7\nmood_day3: 6\nmood_day7: 4\n")
    journal.write("2026-10-01.yaml", "date: 2026-10-01\ndose_mg: 150\npre_mood: 5\npost_mood_2h: 8\n"
                                     "mood_day1: 7\nmood_day3: 6\nmood_day7: 5\n")
    code, lines, summary = journal.check()
    assert code == 0 and summary == "2 entries, 0 errors, 1 warning"
    assert lines == [
        "entries/2026-09-25.yaml:7:12: warning: mood_day7: rates 2026-10-02 as 4, and "
        "entries/2026-10-01.yaml:5:12 rates the same day as 7 (mood_day1); one day, two moods: check which is right"
    ]


def test_the_example_journal_still_tells_its_story_with_intervals_and_marked_follow_ups():
    from generator.journal import load_journal

    example = load_journal(Path(__file__).resolve().parent.parent / "entries", "2026-11-25")
    journal = Journal(folder=None, today=D(2026, 11, 25), entries=example.entries)
    trends = selected_trends(select_sessions(journal, None), Settings())
    said = analyse(trends)
    assert [s.key for s in said.signals] == ["benefit_declining", "effect_fading", "phq9_worse"]
    assert sum(1 for s in trends.sessions if "mood_day7" in s.after_next) == 21
    s = next(s for s in trends.sessions if s.day == D(2026, 10, 4))
    assert (s.interval_days, s.after_next, s.next_day) == (6, ["mood_day7"], D(2026, 10, 10))
    assert (
        "How long the effect lasted is read from straight lines between the follow-up moods, "
        "up to day 7 or the next session if sooner." in said.talking_points.limits
    )


# --------------------------------------------------------------------------- crisis line and tolerability


def test_the_crisis_line_setting_changes_the_notice():
    entries = weekly([4, 4, 4], scores=[None, None, ITEM9_1])
    line = "Samaritans (UK and Ireland): call 116 123"
    pages = render(entries, Settings(crisis_line=line))
    for name in ("index.md", "check-in.md", "summary"):
        assert f"{line} or {'their' if name == 'summary' else 'your'} local emergency number" in pages[name], name
        assert "988" not in pages[name], name


def test_tolerability_from_the_template_to_the_checklist():
    schema = entry_json_schema()["properties"]["tolerability"]
    assert {"enum": ["fine", "manageable", "hard", "intolerable"], "type": "string"} in schema["anyOf"]
    assert "tolerability:" in entry_template(D(2026, 10, 1), "x.json")
    tolerability = [None, "fine", "manageable", None, "fine", "hard"]
    entries = weekly([4] * 6, side_effects=[["nausea"]] * 6, tolerability=tolerability)
    pages = render(entries)
    assert "Side effects nausea Tolerability hard" in pages["sessions/2026-10-06.md"]
    assert "Side effects were hard to tolerate" in pages["index.md"]
    assert "How bearable they were: fine in 2, manageable in 1 and hard in 1." in pages["check-in.md"]
    assert ("How bearable the side effects were in my 6 sessions: fine in 2, manageable in 1 and hard in 1 "
            "(recorded for 4 of them).") in pages["index.md"]
    assert "side effects were recorded as hard to tolerate in 1 session (6 Oct 2026)" in pages["summary"]
    assert "Side effects are hard to tolerate (a change can also be downward). from your journal" in pages["checklists.md"]
    journal = Journal(folder=None, today=TODAY, entries=entries)
    report = build_report(journal, PERSONAL, Settings())
    item = checklist_items(report.trends, report.analysis.signals)["discuss"][3]
    assert item["decided"] and item["checked"]
    bearable = weekly([4] * 3, tolerability=["fine", "manageable", "fine"])
    report = build_report(Journal(folder=None, today=TODAY, entries=bearable), PERSONAL, Settings())
    item = checklist_items(report.trends, report.analysis.signals)["discuss"][3]
    assert item["decided"] and not item["checked"]


def test_a_real_export_carries_the_crisis_line_and_tolerability(tmp_path):
    entries = {
        "2026-11-01.yaml": "date: 2026-11-01\ndose_mg: 100\npre_mood: 4\npost_mood_2h: 7\ntolerability: hard\n"
                           "side_effects: [nausea]\nscores:\n  phq9: [1, 1, 1, 1, 1, 1, 1, 1, 1]\n",
    }
    project = write_project(tmp_path / "p", entries, "crisis_line: 'Lifeline Australia, call 13 11 14'")
    assert run_in(project, "export", "--out", str(tmp_path / "out.zip")) == 0
    with zipfile.ZipFile(tmp_path / "out.zip") as bundle:
        files = {name.split("/", 1)[1]: bundle.read(name) for name in bundle.namelist()}
    for name in ("summary.html", "site/index.html", "site/check-in.html"):
        assert "Lifeline Australia, call 13 11 14" in text(files[name].decode("utf-8")), name
    rows = list(csv.DictReader(io.StringIO(files["data/sessions.csv"].decode("utf-8-sig"))))
    assert rows[0]["tolerability"] == "hard" and rows[0]["days_since_previous"] == ""
    assert "tolerability: How bearable the side effects were" in files["data/README.txt"].decode("utf-8")


def test_side_effects_never_recorded_read_not_recorded_and_none_only_when_recorded_as_none():
    """A dose with no session recording side effects is "not recorded" in the trends page's table
    by dose and in the summary's dosing history and table by dose, never "none": a clinician
    reads "none" as "no side effects". "none" is left for sessions that recorded an empty list."""
    days = iter(D(2026, 9, 1) + dt.timedelta(weeks=i) for i in range(7))
    entries = [
        entry(next(days).isoformat(), 100, 4, 7), entry(next(days).isoformat(), 100, 4, 7),
        entry(next(days).isoformat(), 150, 4, 7, side_effects=[]), entry(next(days).isoformat(), 150, 4, 7),
        entry(next(days).isoformat(), 200, 4, 7, side_effects=[]), entry(next(days).isoformat(), 200, 4, 7, side_effects=[]),
        entry(next(days).isoformat(), 100, 4, 7),
    ]
    journal = Journal(folder=None, today=TODAY, entries=entries)
    report = build_report(journal, PERSONAL, Settings())
    trends_html = next(p.html for p in render_pages(report, build_pages(report), lambda _from, to: to) if p.path == "trends.md")
    summary = render(entries)["summary.html"]
    by_dose = trends_html.split('id="doses"', 1)[1].split("</table>", 1)[0]
    expected = {"100 mg": "not recorded", "150 mg": "none (not recorded in 1)", "200 mg": "none"}
    assert {r[0]: r[-1] for r in table_cells(by_dose)} == expected
    assert {r[0]: r[-1] for r in table_cells(summary.split('<table class="by-dose">', 1)[1])} == expected
    history = [(r[0], r[-1]) for r in table_cells(summary.split('<table class="history">', 1)[1])]
    assert history == [*expected.items(), ("100 mg", "not recorded")]


def table_cells(table: str) -> list[list[str]]:
    """The body rows of the first table in `table`, each as its cells' words."""
    body = table.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_one_day_is_one_day_in_every_sentence_about_how_often():
    """Daily sessions after weekly ones: a median of 1 day is "1 day", never "1 days", in the
    summary, the finding, the statement and the check-in sheet; a range of one value is not
    written as "1 to 1"."""
    weekly_days = [D(2026, 9, 4) + dt.timedelta(weeks=i) for i in range(5)]
    days = weekly_days + [weekly_days[-1] + dt.timedelta(days=i + 1) for i in range(6)]
    pages = render([entry(day.isoformat(), 150, 4, 8, 7, 6, 5) for day in days])
    summary, overview = pages["summary"], pages["index.md"]
    assert "Between sessions a median of 1 day over the last 6 against 7 over the 4 before" in summary
    finding = ("last 6 sessions (3–8 Oct 2026) came a median of 1 day after the one before (all 1 day), "
               "against 7 days over the 4 sessions before (4 Sep – 2 Oct 2026; all 7 days).")
    assert f"The {finding}" in summary and f"Your {finding}" in overview
    assert "My last 6 sessions (3–8 Oct 2026) came a median of 1 day after the one before, more often" in overview
    assert "My last sessions came every day, more often than the 7 days before." in pages["check-in.md"]
    assert "a median of 1 over the last 6, against 7 over the 4 before." in pages["trends.md"]
    for name, page in pages.items():
        assert not re.search(r"\b1 days\b|\b1 to 1\b|\b7 to 7\b", page), name
    # one day after the first session
    first = render([entry("2026-11-30", 150, 4, 8)])
    assert "1 day since the first session" in first["index.md"] and "1 day since the first session" in first["summary"]
