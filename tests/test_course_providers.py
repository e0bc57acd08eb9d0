"""The course of treatment as a prescriber reads it: prescribers, routes and restarts (issue:
clinical sense, situations 4-6).

Each situation is a journal written by hand, with what the overview, the check-in sheet and
the export's summary say about it (rendered by the core, as in test_course.py), and for the
prescriber's spellings, the whole line `journal check` prints.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from builders import D, entry
from conftest import run_in, write_project
from generator.charts import build_charts
from generator.export import ExportOptions, render_summary
from generator.journal import Journal
from generator.pages import build_pages, render_pages
from generator.report import PERSONAL, Audience, build_report
from generator.settings import Settings
from generator.views import dose_periods
from generator.words import FigureWords, current_dose_text
from test_course import text

TODAY = D(2026, 12, 1)


def rendered(entries, settings: Settings = Settings()) -> dict[str, Any]:
    """The overview, check-in sheet, checklists and summary of a journal, as plain text."""
    journal = Journal(folder=None, today=TODAY, entries=sorted(entries, key=lambda e: e.sort_key))  # type: ignore[arg-type]  # made in memory: no folder
    report = build_report(journal, PERSONAL, settings)
    trends = report.trends
    pages = {p.path: p for p in render_pages(report, build_pages(report), lambda _from, to: to)}
    provider = build_report(journal, Audience.for_provider(), settings)
    options = ExportOptions(entries_dir=None, today=TODAY, settings=settings)  # type: ignore[arg-type]  # nor an entries folder
    summary = render_summary(provider, options)
    return {
        "overview": text(pages["index.md"].html), "check-in": text(pages["check-in.md"].html),
        "checklists": text(pages["checklists.md"].html), "about": text(pages["about.md"].html),
        "summary": text(summary), "trends": trends, "analysis": report.analysis,
        "trends page": text(pages["trends.md"].html),
    }


# --------------------------------------------------------------------------- 4: one prescriber, three spellings

FULL, SHORT, COVERING = "Dr. Amara Osei (Lakeside Psychiatry)", "Dr. A. Osei", "Lakeside Psychiatry (covering clinician)"
RIVERSIDE = "Riverside Ketamine Clinic"
OSEI_SESSIONS = [  # weekly from 29 Aug, as the person wrote the prescriber each time
    ("2026-08-29", FULL), ("2026-09-05", FULL), ("2026-09-12", SHORT), ("2026-09-19", FULL), ("2026-09-26", SHORT),
    ("2026-10-03", FULL), ("2026-10-10", COVERING), ("2026-10-17", COVERING), ("2026-10-24", FULL),
    ("2026-10-31", FULL), ("2026-11-07", SHORT), ("2026-11-14", FULL), ("2026-11-21", FULL),
]
SESSIONS_4 = [(f"2026-{m:02d}-{d:02d}", RIVERSIDE) for m, d in
              [(7, 2), (7, 9), (7, 16), (7, 23), (7, 30), (8, 6), (8, 13), (8, 20)]] + OSEI_SESSIONS
ONE_NAME = 'providers: {"Dr. Amara Osei": ["Dr. A. Osei", "Lakeside Psychiatry (covering clinician)"]}'


def entry_text(day: str, provider: str) -> str:
    # every follow-up written, so that the spellings are all `journal check` has to say
    return (f"date: {day}\ndose_mg: 150\nroute: sublingual\npre_mood: 4\npost_mood_2h: 7\nmood_day1: 6\n"
            f"mood_day3: 5\nmood_day7: 5\nprovider: {provider}\n")


def three_spellings():
    return [entry(day, 150, 4, 7, 6, 5, 5, route="sublingual", provider=who) for day, who in SESSIONS_4]


def check(tmp_path, capsys, options: str = "") -> tuple[int, list[str]]:
    project = write_project(tmp_path, {f"{day}.yaml": entry_text(day, who) for day, who in SESSIONS_4}, options)
    code = run_in(project, "check", "--today", TODAY.isoformat())
    return code, capsys.readouterr().out.splitlines()


def test_check_names_the_spellings_of_one_prescriber_and_their_files(tmp_path, capsys):
    code, lines = check(tmp_path, capsys)
    advice = ("may be one prescriber written two ways ({}); if so, list them under one name in the providers "
              "setting (in journal.yml, or under the journal plugin in mkdocs.yml), and the report counts them as one")
    full = (f'"{FULL}" (entries/2026-08-29.yaml, entries/2026-09-05.yaml, entries/2026-09-19.yaml and 5 more files)')
    assert lines == [
        f'entries/2026-09-12.yaml:9:11: warning: provider: "{SHORT}" (entries/2026-09-12.yaml, entries/2026-09-26.yaml '
        f"and entries/2026-11-07.yaml) and {full} " + advice.format("one name is inside the other"),
        f'entries/2026-10-10.yaml:9:11: warning: provider: "{COVERING}" (entries/2026-10-10.yaml and '
        f"entries/2026-10-17.yaml) and {full} " + advice.format("the same clinic, Lakeside Psychiatry"),
        "21 entries, 0 errors, 2 warnings",
    ]
    assert code == 0  # warnings only


def test_the_providers_setting_joins_the_spellings_for_check(tmp_path, capsys):
    assert check(tmp_path, capsys, ONE_NAME) == (0, ["21 entries, 0 errors, 0 warnings"])


def test_a_wrong_providers_setting_is_one_plain_line(tmp_path, capsys):
    project = write_project(tmp_path, {"2026-06-01.yaml": entry_text("2026-06-01", SHORT)},
                            'providers: {"Dr. Amara Osei": ["Dr. A. Osei"], "Dr. Osei": ["dr a osei"]}')
    assert run_in(project, "check") == 2
    assert capsys.readouterr().err == (
        "journal check: mkdocs.yml, journal plugin: providers: 'dr a osei' is listed under both 'Dr. Amara Osei' "
        "and 'Dr. Osei'; a spelling can belong to one prescriber only\n"
    )
    with pytest.raises(ValueError, match=r"providers: 'Dr. Amara Osei' must have a list of the other ways it is written"):
        Settings(providers={"Dr. Amara Osei": 3})
    # the build reads the same setting through the plugin's options, with the same message
    from generator.plugin import JournalConfig, trend_settings

    config = JournalConfig()
    config.load_dict({"providers": {"Dr. Amara Osei": ["Dr. A. Osei"], "Dr. Osei": ["dr a osei"]}})
    assert config.validate() == ([], [])
    with pytest.raises(ValueError, match=r"^providers: 'dr a osei' is listed under both"):
        trend_settings(config)
    config.load_dict({"providers": {"Dr. Amara Osei": ["Dr. A. Osei"]}})
    assert trend_settings(config).providers == (("Dr. Amara Osei", ("Dr. A. Osei",)),)


def overlap_sentence(page: str) -> str:
    found = re.search(r"(Your|The) journal names \d+ prescribers over the same period: .*?\. Sessions inside another "
                      r"prescriber's period: .*?\.(?= Receiving| This is)", page)
    assert found, page[:2000]
    return found.group(0)


def test_without_the_setting_each_spelling_is_named_once_in_the_overlap_notice():
    pages = rendered(three_spellings())
    said = ("journal names 3 prescribers over the same period: Dr. Amara Osei (Lakeside Psychiatry) "
            "(29 Aug – 21 Nov 2026, 8 sessions), Dr. A. Osei (12 Sep – 7 Nov 2026, 3 sessions) and Lakeside "
            "Psychiatry (covering clinician) (10–17 Oct 2026, 2 sessions). Sessions inside another prescriber's "
            "period: 19 Sep 2026, 3 Oct 2026, 24 Oct 2026 and 31 Oct 2026 with Dr. Amara Osei (Lakeside Psychiatry); "
            "12 Sep 2026, 26 Sep 2026 and 7 Nov 2026 with Dr. A. Osei; 10 Oct 2026 and 17 Oct 2026 with "
            "Lakeside Psychiatry (covering clinician).")
    for name in ("overview", "summary"):
        sentence = overlap_sentence(pages[name])
        assert sentence.endswith(said), name
        for spelling in (FULL, SHORT, COVERING):  # no garbled list naming one twice
            assert sentence.split("Sessions inside")[0].count(spelling) == 1, (name, spelling)
    assert "list them under one name in the providers setting (in journal.yml, or under the journal plugin in mkdocs.yml)." in pages["overview"]
    # the one-page sheet names each prescriber once too, and leaves the sessions to the overview
    assert (said.split(" Sessions inside")[0] + " Receiving ketamine from more than one prescriber") in pages["check-in"]
    assert "The overview lists the sessions that overlap." in pages["check-in"]


def test_with_the_setting_one_prescriber_no_overlap_one_row_in_the_dosing_history():
    settings = Settings(providers={"Dr. Amara Osei": [SHORT, COVERING]})
    pages = rendered(three_spellings(), settings)
    for name in ("overview", "check-in", "summary"):
        assert "More than one prescriber" not in pages[name], name
    summary = pages["summary"]
    assert "A Riverside Ketamine Clinic: 2 Jul 2026 to 20 Aug 2026, 8 sessions" in summary
    assert "B Dr. Amara Osei: 29 Aug 2026 to 21 Nov 2026, 13 sessions" in summary
    assert [p.provider for p in dose_periods(pages["trends"])] == [RIVERSIDE, "Dr. Amara Osei"]
    for spelling in (FULL, SHORT, COVERING):
        assert spelling not in summary.split("Every session")[0]  # the dosing history and the glance name one
    assert "Providers: A = Riverside Ketamine Clinic; B = Dr. Amara Osei" in summary


def test_one_prescriber_written_in_lower_case_too_is_named_as_written_with_capitals():
    """The same prescriber typed quickly ('dr anna smith', most sessions, and first) and
    written out ('Dr. Anna Smith'): one prescriber, named on the summary and the overview as
    a clinician would expect to read it, with the one spelling throughout."""
    quick, written_out = "dr anna smith", "Dr. Anna Smith"
    days = [f"2026-09-{d:02d}" for d in (1, 8, 15, 22, 29)] + ["2026-10-06"]
    spellings = [quick, quick, written_out, quick, quick, written_out]
    pages = rendered([entry(day, 150, 4, 7, 6, 5, 5, provider=who) for day, who in zip(days, spellings)])
    assert set(pages["trends"].prescriber_names.values()) == {written_out}
    summary = pages["summary"]
    assert "Provider Dr. Anna Smith: 1 Sep 2026 to 6 Oct 2026, 6 sessions" in summary
    assert quick not in summary.split("Every session")[0]  # the glance and the dosing history
    assert "More than one prescriber" not in pages["overview"]
    # six sessions, none before them: the direction of the mood before sessions is unknown, and says why
    for name, said in (("overview", "Mood before sessions Unknown average 4.0 of 10 over the last 6; "),
                       ("summary", "Mood before sessions Unknown: average 4.0 of 10 over the last 6; ")):
        assert said + "too few sessions to say whether it is changing" in pages[name], name


def test_among_spellings_alike_in_form_the_one_used_most_is_shown_then_the_first():
    from generator.providers import Prescribers, display_names

    none = Prescribers()
    assert set(display_names(["Dr. A. Smith", "Dr A Smith", "Dr A Smith"], none).values()) == {"Dr A Smith"}
    assert set(display_names(["Dr A Smith", "Dr. A. Smith"], none).values()) == {"Dr A Smith"}
    assert set(display_names(["DR A SMITH", "dr a smith", "dr a smith"], none).values()) == {"dr a smith"}
    # the setting's name, whatever was written
    named = Prescribers((("Dr. Anna Smith", ("anna",)),))
    assert display_names(["anna", "ANNA"], named) == {"anna": "Dr. Anna Smith", "ANNA": "Dr. Anna Smith"}


def test_a_real_overlap_of_two_prescribers_still_fires_each_named_once_with_its_dates():
    sessions = [entry(day, 150, 4, 7, 6, 5, 5, provider=who) for day, who in [
        ("2026-09-05", FULL), ("2026-09-12", "Dr. Ben Carter"), ("2026-09-19", SHORT), ("2026-09-26", "Dr. Ben Carter"),
        ("2026-10-03", FULL), ("2026-10-10", "Dr. Ben Carter"),
    ]]
    pages = rendered(sessions, Settings(providers={"Dr. Amara Osei": [SHORT]}))
    said = ("journal names 2 prescribers over the same period: Dr. Amara Osei (5 Sep – 3 Oct 2026, 3 sessions) and "
            "Dr. Ben Carter (12 Sep – 10 Oct 2026, 3 sessions). Sessions inside another prescriber's period: "
            "19 Sep 2026 and 3 Oct 2026 with Dr. Amara Osei; 12 Sep 2026 and 26 Sep 2026 with Dr. Ben Carter.")
    assert overlap_sentence(pages["overview"]) == "Your " + said
    assert ("Your " + said.split(" Sessions inside")[0] + " Receiving ketamine") in pages["check-in"]
    assert overlap_sentence(pages["summary"]) == "The " + said
    assert "More than one prescriber at the same time" in pages["summary"]


# --------------------------------------------------------------------------- 5: route is part of the dose


def route_change():
    """200 mg sublingual (held 15 min) for six weeks, then 200 mg intranasal: the same mg, not the
    same exposure. One sublingual and one intranasal entry have no route written down."""
    sublingual = [entry((D(2026, 9, 1) + dt.timedelta(weeks=i)).isoformat(), 200, 4, 8, 7, 6, 5,
                        **({} if i == 3 else {"route": "sublingual", "hold_time_min": 15})) for i in range(6)]
    intranasal = [entry((D(2026, 10, 13) + dt.timedelta(weeks=i)).isoformat(), 200, 4, 4 + lift, 5, 4, 4,
                        **({} if i == 2 else {"route": "intranasal"})) for i, lift in enumerate([2, 2, 1, 1])]
    return sublingual + intranasal


def test_a_route_change_starts_a_new_run_at_the_same_mg():
    pages = rendered(route_change())
    trends = pages["trends"]
    named = FigureWords.of(trends)
    assert (named.current_dose_text, trends.sessions_at_current_dose) == ("200 mg intranasal", 4)
    assert [(named.level_text(level), level.sessions, named.hold_text(level)) for level in trends.dose_levels] == [
        ("200 mg intranasal", 4, ""), ("200 mg sublingual", 6, "held 15 min"),
    ]
    overview, checkin, summary = pages["overview"], pages["check-in"], pages["summary"]
    assert "Current dose 200 mg intranasal 4 sessions at this dose; an adequate trial" in overview
    assert "current dose 200 mg intranasal, 4 sessions at it" in checkin
    assert "Current dose 200 mg intranasal since 13 Oct 2026: 4 sessions" in summary
    # each session row of the sheet names its route, as written (not guessed when missing)
    assert "27 Oct 2026 7 200 mg (route not recorded) 4 5" in checkin and "29 Sep 2026 7 200 mg sublingual 4 8" in checkin
    for name, page in pages.items():
        if name not in ("trends", "analysis"):
            assert "throughout" not in page and "at the same dose" not in page.replace(
                "The benefit has declined over several sessions at the same dose, not just one.", ""), name
    # the sentences to read out name both routes, and say why they are not compared as equal
    said = ("Over my last 6 sessions at 200 mg sublingual and 200 mg intranasal (29 Sep – 3 Nov 2026), my mood rose "
            "on average by 2.3 points two hours after a session (based on 6 sessions), down from 4.0 points over "
            "the 4 sessions before (1–22 Sep 2026, at 200 mg sublingual).")
    assert said in overview and said in summary
    assert ("How well it works My last 6 sessions were at 200 mg sublingual and 200 mg intranasal, 29 Sep – 3 Nov "
            "2026. The 4 sessions before were at 200 mg sublingual.") in checkin
    assert "the same mg by different routes is not the same amount in the body" in checkin
    assert "I have had 4 sessions at 200 mg intranasal since 13 Oct 2026." in checkin
    assert ("against +4.0 points over the 6 sessions at 200 mg sublingual before it (1 Sep – 6 Oct 2026)"
            in summary)
    # the dosing history: one row per route
    rows = dose_periods(trends)
    assert [(named.level_text(p.level), p.level.sessions, named.hold_text(p.level)) for p in rows] == [
        ("200 mg sublingual", 6, "held 15 min"), ("200 mg intranasal", 4, ""),
    ]
    assert re.search(r"Dosing history .*?200 mg sublingual held 15 min 1 Sep 2026 – 6 Oct 2026 not recorded 6 .*?"
                     r"200 mg intranasal 13 Oct 2026 – 3 Nov 2026 not recorded 4 ", summary)
    # the lift chart marks the change of route, named
    lift = next(c for c in build_charts(trends) if c.key == "lift")
    assert "200 mg intranasal" in str(lift.spec) and "a change of dose or of route" in lift.description


def test_the_about_page_defines_runs_by_dose_and_route_and_restarts():
    about = rendered(route_change())["about"]
    assert "A session whose route is not recorded counts as the route of the sessions around it" in about
    assert "After a break of more than 3 weeks, the phase counts again from the first session after it" in about
    assert "the providers setting joins other spellings of one prescriber" in about


def test_a_route_not_written_down_does_not_split_a_run():
    entries = [entry(f"2026-10-{d:02d}", 100, 4, 7, **route) for d, route in
               [(1, {"route": "oral"}), (8, {}), (15, {"route": "oral"}), (22, {})]]
    trends = rendered(entries)["trends"]
    assert trends.sessions_at_current_dose == 4 and len(trends.dose_levels) == 1
    assert current_dose_text(trends) == "100 mg"  # one route in the journal: named as before


# --------------------------------------------------------------------------- 6: a restart after a break


def restart_after_break(new_provider: str = "Dr. Amara Osei"):
    """Ten weekly sessions from 1 Mar (100 mg, then 150 mg) at Riverside, five months without a
    session, then nine weekly sessions from 4 Oct at 50 mg."""
    before = [entry((D(2026, 3, 1) + dt.timedelta(weeks=i)).isoformat(), 100 if i < 5 else 150, 4, 8, 7, 6, 5,
                    provider=RIVERSIDE) for i in range(10)]
    after = [entry((D(2026, 10, 4) + dt.timedelta(weeks=i)).isoformat(), 50, 4, 6, 5, 4, 4, provider=new_provider)
             for i in range(9)]
    return before + after


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
RANGE = re.compile(r"(\d{1,2})(?: (%s)(?: (\d{4}))?)? ?– ?(\d{1,2}) (%s) (\d{4})" % ("|".join(MONTHS), "|".join(MONTHS)))


def spans(sentence: str) -> list[tuple[dt.date, dt.date]]:
    """The date ranges a sentence gives ('3 May – 4 Oct 2026', '4–18 Oct 2026')."""
    found = []
    for d1, m1, y1, d2, m2, y2 in RANGE.findall(sentence):
        end = dt.date(int(y2), MONTHS.index(m2) + 1, int(d2))
        found.append((dt.date(int(y1 or y2), MONTHS.index(m1 or m2) + 1, int(d1)), end))
    return found


def test_a_restart_after_a_break_is_a_new_phase_and_no_sentence_averages_across_it():
    pages = rendered(restart_after_break())
    trends = pages["trends"]
    restarted = "Restarted 4 Oct 2026 after a 5-month break, at 50 mg; the phase counts from then (58 days)"
    assert (f"Phase Stabilization (months 1-3) {restarted}; 275 days since the first session (1 Mar 2026)"
            in pages["overview"])
    assert f"current dose 50 mg, 9 sessions at it · Stabilization (months 1-3) ({restarted})" in pages["check-in"]
    assert f"Phase of treatment Stabilization (months 1-3): {restarted}; 275 days since" in pages["summary"]
    for name in ("overview", "check-in", "summary"):
        assert "Ongoing adjustment" not in pages[name], name
    # the windows stop at the restart, and say so
    assert "Benefit, last 6 sessions Stable" in pages["overview"]
    assert "only sessions since the restart on 4 Oct 2026, after a 5-month break" in pages["overview"]
    said = ("Over my last 6 sessions at 50 mg (25 Oct – 29 Nov 2026), my mood rose on average by 2.0 points two hours "
            "after a session (based on 6 sessions), about the same as 2.0 points over the 3 sessions before "
            "(4–18 Oct 2026). These figures count only my sessions since I restarted on 4 Oct 2026, after a "
            "5-month break.")
    for name in ("overview", "summary"):
        assert said in pages[name], name
    assert ("How well it works My last 6 sessions were at 50 mg, 25 Oct – 29 Nov 2026. They count only from my "
            "restart on 4 Oct, after a 5-month break.") in pages["check-in"]
    said = pages["analysis"]
    assert "150 mg" not in said.talking_points.efficacy and "100 mg" not in said.talking_points.efficacy
    # no sentence gives figures over a stretch that holds the break without naming it
    gap = trends.gaps[-1]
    assert (gap.start, gap.end) == (D(2026, 5, 3), D(2026, 10, 4))
    checked = 0
    for text_ in said.sentences():
        for sentence in re.split(r"(?<=\.) (?=[A-Z])", text_):
            for first, last in spans(sentence):
                checked += 1
                if first <= gap.start and last >= gap.end:
                    assert "break" in sentence, sentence
    assert checked >= 5  # the scan read the ranges it is about


def test_a_new_prescriber_restarting_at_a_third_of_the_dose_ticks_the_red_flag():
    pages = rendered(restart_after_break())
    said = ("first session with Dr. Amara Osei, on 4 Oct 2026, after a 5-month break, was at 50 mg: half or less of "
            "the 150 mg of {} last session with Riverside Ketamine Clinic, on 3 May 2026.")
    flag = ("A new provider ignores your documented history and restarts you at the lowest dose without a reason. "
            "from your journal Your journal shows this: Your " + said.format("your"))
    assert flag in pages["checklists"]
    assert re.search(r"Evidence: 3 May 2026 ?, 4 Oct 2026 ", pages["checklists"].split("restarts you at the lowest dose")[1])
    assert "A new prescriber started at half the earlier dose or less Your " + said.format("your") in pages["overview"]
    assert "The " + said.format("the") in pages["summary"]
    assert "whether the dosing history was available when this dose was chosen" in pages["summary"]
    # the same prescriber restarting after the break: not a new provider, no red flag
    same = rendered(restart_after_break(new_provider=RIVERSIDE))
    assert "Your journal does not show this: no new prescriber's first session is at half" in same["checklists"]
    assert "A new prescriber started" not in same["overview"] + same["summary"]


def test_weeks_without_a_session_are_said_on_the_overview_and_the_check_in_sheet_too():
    """Only the export's summary said how long it has been since the last session; a person
    opening the overview, or a prescriber reading the check-in sheet, should see it too."""
    days = ["2026-09-01", "2026-09-08", "2026-09-15", "2026-10-06"]  # the last 56 days before TODAY
    pages = rendered([entry(day, 150, 4, 7, 6, 5, 5) for day in days])
    assert "1 Sep 2026 to 6 Oct 2026; no session for 56 days now" in pages["overview"]
    assert "· no session for 56 days now" in pages["check-in"]
    assert "no session for 56 days now" in pages["summary"]
    recent = rendered([entry(day, 150, 4, 7, 6, 5, 5) for day in ("2026-11-10", "2026-11-17", "2026-11-24")])
    assert not any("no session for" in recent[name] for name in ("overview", "check-in", "summary"))


def test_dissociation_by_dose_names_the_levels_met_and_no_zero_counts():
    """Trends and the summary list the dissociation of each dose alike: the levels recorded,
    with their counts, and never 'strong 0' beside them."""
    days = ["2026-09-01", "2026-09-08", "2026-09-15"]
    felt = ["mild", "moderate", "mild"]
    pages = rendered([entry(day, 150, 4, 7, 6, 5, 5, dissociation=level) for day, level in zip(days, felt)])
    for name in ("trends page", "summary"):
        assert "mild 2, moderate 1" in pages[name], name
        assert " 0," not in pages[name] and "strong 0" not in pages[name] and "none 0" not in pages[name], name


def test_the_check_in_sheet_gives_the_year_of_a_score_from_another_year():
    """The printed sheet shortens dates to '19 Nov'; a questionnaire score from an earlier
    year must not read as this year's (a GAD-7 of 3 'on 26 Jun' years ago, say)."""
    from builders import entry as make

    old = make("2025-06-26", 150, 4, 7, 6, 5, 5, scores={"phq9": 6})
    recent = [make(day, 150, 4, 7, 6, 5, 5, scores={"phq9": 9}) for day in ("2026-11-10", "2026-11-17", "2026-11-24")]
    sheet = rendered([old, *recent])["check-in"]
    assert "My PHQ-9 score went from 6 on 26 Jun 2025 to 9 on 24 Nov." in sheet, sheet


def test_a_journal_of_one_session_never_says_last_1_sessions():
    pages = rendered([entry("2026-11-24", 150, 4, 7, 6, 5, 5)])
    for name in ("overview", "check-in", "summary", "trends page"):
        assert "last 1 session" not in pages[name].lower(), name
    assert "Benefit, the one session" in pages["overview"]
    assert "Right before my one session, my mood averaged 4.0 of 10." in pages["check-in"]
