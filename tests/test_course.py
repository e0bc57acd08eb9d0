"""The report follows the person's state, not only the lift (issue: clinical sense).

Each situation is a small journal written by hand, as a careful prescriber tried them, with
what the overview, the check-in sheet and the export's summary say about it. The pages are
rendered by the core, as the plugin and the export render them, without a site build.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from builders import D, entry
from generator.export import ExportOptions, render_summary
from generator.journal import Journal
from generator.pages import build_pages, render_pages
from generator.report import PERSONAL, Audience, build_report
from generator.settings import Settings

TODAY = D(2026, 12, 1)


def rendered(entries) -> dict[str, str]:
    """The overview, check-in sheet and summary of a journal, as plain text."""
    journal = Journal(folder=None, today=TODAY, entries=sorted(entries, key=lambda e: e.sort_key))  # type: ignore[arg-type]  # made in memory: no folder
    report = build_report(journal, PERSONAL, Settings())
    pages = {p.path: p for p in render_pages(report, build_pages(report), lambda _from, to: to)}
    provider = build_report(journal, Audience.for_provider(), Settings())
    summary = render_summary(provider, ExportOptions(entries_dir=None, today=TODAY))  # type: ignore[arg-type]  # nor an entries folder
    return {"overview": text(pages["index.md"].html), "check-in": text(pages["check-in.md"].html), "summary": text(summary)}


def text(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def weekly_sessions(pre_moods, lifts, start=D(2026, 9, 1), **per_session) -> list:
    result = []
    for i, (pre, lift) in enumerate(zip(pre_moods, lifts, strict=True)):
        extra = {k: v[i] for k, v in per_session.items() if v[i] is not None}
        day = (start + dt.timedelta(weeks=i)).isoformat()
        result.append(entry(day, 150, pre, pre + lift, **extra))
    return result


def test_phq9_rising_from_mild_to_severe_is_said_though_the_lift_holds():
    # situation 1: twelve weekly sessions, lift +3 every time, PHQ-9 8 -> 20
    scores = [{"phq9": 8}, None, None, {"phq9": 11}, None, None, {"phq9": 14}, None, None, {"phq9": 17}, None, {"phq9": 20}]
    pages = rendered(weekly_sessions([5] * 12, [3] * 12, scores=scores))
    for name, page in pages.items():
        assert "stands out" not in page, name
    assert "Your PHQ-9 score rose from 8 (mild) on 1 Sep 2026 to 20 (severe) on 17 Nov 2026." in pages["overview"]
    assert "My PHQ-9 score went from 8 on 1 Sep to 20 on 17 Nov." in pages["check-in"]
    assert "The patient's PHQ-9 score rose from 8 (mild) on 1 Sep 2026 to 20 (severe) on 17 Nov 2026." in pages["summary"]
    assert "worth discussing with the patient" in pages["summary"]


def test_mood_before_sessions_falling_is_said_though_the_lift_holds():
    # situation 2: mood before sessions 6 -> 2 over twelve weeks, lift +3 every time
    pre = [6, 6, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2]
    pages = rendered(weekly_sessions(pre, [3] * 12))
    overview = pages["overview"]
    assert "Benefit, last 6 sessions Stable" in overview
    assert "Mood before sessions Declining average 3.0 of 10 over the last 6, before: 5.7" in overview
    assert "Your mood before sessions has fallen" in overview and "stands out" not in overview
    # recent 4 4 3 3 2 2 -> 3.0; before 6 6 6 6 5 5 -> 5.67
    assert ("Your mood right before a session averaged 3.0 over your last 6 sessions (13 Oct – 17 Nov 2026), "
            "against 5.7 over the 6 sessions before (1 Sep – 6 Oct 2026).") in overview
    statement = ("Right before my last 6 sessions (13 Oct – 17 Nov 2026), my mood averaged 3.0 out of 10, "
                 "down from 5.7 over the 6 sessions before (1 Sep – 6 Oct 2026).")
    assert ("How I have been Right before my last 6 sessions, my mood averaged 3.0 of 10. "
            "Over the 6 sessions before, it averaged 5.7.") in pages["check-in"]
    assert statement in pages["summary"]
    assert "Mood before sessions Declining: average 3.0 of 10 over the last 6 against 5.7 over the 6 before" in pages["summary"]
    assert "Mood before sessions has fallen" in pages["summary"]
    assert "The patient's mood right before a session averaged 3.0" in pages["summary"]


def test_a_response_no_longer_met_is_said_where_the_response_is():
    # situation 3: PHQ-9 18, response (9, half of 18) on 13 Oct, latest 14 on 24 Nov
    scores = [{"phq9": 18}, None, None, None, None, None, {"phq9": 9}, None, None, None, None, None, {"phq9": 14}]
    pages = rendered(weekly_sessions([4] * 13, [3] * 13, scores=scores))
    lost = ("had come down to half the first score or less on 13 Oct 2026 (9, against 18 at first); "
            "the latest, 14 on 24 Nov 2026, is above that half again, so that response is no longer met.")
    for name in ("overview", "summary"):
        assert lost in pages[name], name
        assert "It first came down to half the first score or less" not in pages[name], name
    assert ("My PHQ-9 score went from 18 on 1 Sep to 14 on 24 Nov. It was 9 at its lowest, on 13 Oct. "
            "It no longer meets the response I had reached.") in pages["check-in"]
    assert "Your PHQ-9 score rose from 9 (mild) on 13 Oct 2026 to 14 (moderate) on 24 Nov 2026." in pages["overview"]


@pytest.mark.parametrize("latest, fires", [(12, False), (13, True)])
def test_a_band_crossed_by_a_point_or_two_is_not_a_worsening(latest, fires):
    # 10 (moderate) -> 12 stays in its band; 9 (mild) -> 12 crosses it by 3 points
    lowest = 10 if not fires else 9
    entries = weekly_sessions([5] * 3, [3] * 3, scores=[{"gad7": lowest}, None, {"gad7": latest}])
    pages = rendered(entries)
    assert ("Your GAD-7 score has risen" in pages["overview"]) is fires
    assert ("GAD-7 score has risen" in pages["summary"]) is fires


def test_an_old_questionnaire_score_is_said_to_be_old():
    # PHQ-9 written on 1 and 22 Sep, sessions until 17 Nov: on 1 Dec the latest is 10 weeks old
    scores = [{"phq9": 12}, None, None, {"phq9": 10}] + [None] * 8
    pages = rendered(weekly_sessions([5] * 12, [3] * 12, scores=scores))
    assert "My latest PHQ-9 score is 10 weeks old, so it may not say how I am now." in pages["overview"]
    assert "My latest PHQ-9 score is 10 weeks old, so it may not say how I am now." in pages["summary"]
    assert "My PHQ-9 score went from 12 on 1 Sep to 10 on 22 Sep. My latest PHQ-9 score is 10 weeks old." in pages["check-in"]
    # a recent one is not
    recent = rendered(weekly_sessions([5] * 12, [3] * 12, scores=[{"phq9": 12}] + [None] * 10 + [{"phq9": 10}]))
    assert "weeks old" not in recent["overview"] + recent["check-in"] + recent["summary"]


def test_mood_at_the_last_follow_up_falling_is_said_when_nothing_else_tells_it():
    # only the day-7 mood written down (4 4 3 3 3 3 -> 3.3 against 7.0): no lift, no effect length to tell it
    day7 = [7, 7, 7, 7, 7, 7, 4, 4, 3, 3, 3, 3]
    entries = [entry((D(2026, 9, 1) + dt.timedelta(weeks=i)).isoformat(), 150, d7=mood) for i, mood in enumerate(day7)]
    pages = rendered(entries)
    assert "Your mood at the last follow-up has fallen" in pages["overview"]
    assert ("Your mood at the last follow-up before the next session averaged 3.3 over your last 6 sessions "
            "(13 Oct – 17 Nov 2026), against 7.0 over the 6 sessions before (1 Sep – 6 Oct 2026).") in pages["overview"]
    assert "Mood at the last follow-up has fallen" in pages["summary"]
    assert "At the last follow-up before the next session, my mood averaged 3.3, down from 7.0 before." in pages["summary"]


def test_the_guides_adequate_time_is_said_where_the_count_shows():
    pages = rendered(weekly_sessions([5] * 2, [3] * 2))
    for name in ("overview", "summary"):
        assert "a dose usually needs at least 3-4 sessions before its effect can be judged" in pages[name], name


def test_how_often_sessions_take_place_is_not_averaged_across_a_break():
    # weekly from 2 Mar to 4 May, a four-month break, weekly again from 7 Sep
    entries = weekly_sessions([5] * 10, [3] * 10, start=D(2026, 3, 2))
    entries += weekly_sessions([4] * 5, [2] * 5, start=D(2026, 9, 7))
    pages = rendered(entries)
    said = pages["overview"].split("How often:", 1)[1].split("How well it works:", 1)[0]
    assert "126" not in said and "median of 7 days" in said
    assert "7 Sep" in said and "May" not in said  # only the sessions since the restart



def sessions_every(days: int, count: int, last: dt.date, scores: dict[int, dict]) -> list:
    """`count` sessions `days` apart up to `last`, mood 5 -> 8; `scores`: session index (from
    the end: -1 is the last) -> its scores."""
    return [entry((last - dt.timedelta(days=days * (count - 1 - i))).isoformat(), 150, 5, 8,
                  **({"scores": scores[i - count]} if i - count in scores else {}))
            for i in range(count)]


def test_a_low_questionnaire_score_years_ago_does_not_make_a_falling_score_a_rise():
    # 80 sessions 3 weeks apart (no break) from 2022 to 24 Nov 2026; GAD-7 3 in 2022, then
    # over the last year 9 10 12 13 13 11 8 7: falling. Against the 3 of 2022 the 7 would be
    # a rise into a more severe band; against the last 12 months it is not.
    scores = {-77: {"gad7": 3}, -22: {"gad7": 6}}
    scores |= {-8 + i: {"gad7": g} for i, g in enumerate([9, 10, 12, 13, 13, 11, 8, 7])}
    entries = sessions_every(21, 80, D(2026, 11, 24), scores)
    assert entries[-77].day.year == 2022
    pages = rendered(entries)
    for name, page in pages.items():
        assert "GAD-7 score has risen" not in page, name
        assert "GAD-7 score rose" not in page, name
    assert "My GAD-7 score went from 3 (minimal)" in pages["overview"]  # the old low is still shown
    assert "its lowest since" not in pages["check-in"]


def test_a_rise_is_judged_against_the_lowest_score_of_the_last_12_months():
    # GAD-7 2 in 2024 (more than 12 months before the latest), 4 on 21 Jul 2026, 10 on 24 Nov 2026
    scores = {-40: {"gad7": 2}, -9: {"gad7": 6}, -7: {"gad7": 4}, -4: {"gad7": 7}, -1: {"gad7": 10}}
    entries = sessions_every(21, 40, D(2026, 11, 24), scores)
    assert entries[0].day.year == 2024 and entries[-7].day == D(2026, 7, 21)
    pages = rendered(entries)
    assert ("Your GAD-7 score rose from 4 (minimal) on 21 Jul 2026, its lowest since 24 Nov 2025, "
            "to 10 (moderate) on 24 Nov 2026.") in pages["overview"]
    assert "GAD-7 score has risen" in pages["summary"]
    assert ("The patient's GAD-7 score rose from 4 (minimal) on 21 Jul 2026, its lowest since 24 Nov 2025, "
            "to 10 (moderate) on 24 Nov 2026.") in pages["summary"]
    assert "It was 4 on 21 Jul 2026, its lowest since 24 Nov 2025." in pages["check-in"]


def test_a_rise_across_a_break_in_sessions_is_said():
    # GAD-7 3 before a 7-week break, 9 8 8 after the restart: the score rose while sessions
    # stopped, which a person and their prescriber need to see (the restart is no new baseline)
    before = sessions_every(7, 6, D(2026, 9, 8), {-1: {"gad7": 3}})
    after = sessions_every(7, 3, D(2026, 11, 10), {-3: {"gad7": 9}, -2: {"gad7": 8}, -1: {"gad7": 8}})
    pages = rendered(before + after)
    assert "Your GAD-7 score rose from 3 (minimal) on 8 Sep 2026 to 8 (mild) on 10 Nov 2026." in pages["overview"]


def test_means_a_point_and_more_apart_are_not_called_about_the_same():
    # mood before: 4 3 4 3 4 2 -> 3.3, then 5 4 5 5 6 4 -> 4.8: "stable" by the rule (4.6
    # against 3.6 with the highest recent and lowest earlier left out), but not "about the same"
    pre = [4, 3, 4, 3, 4, 2, 5, 4, 5, 5, 6, 4]
    day7 = [5, 4, 5, 4, 5, 4, 9, 5, 6, 5, 6, 6]  # 4.5 -> 6.2, stable the same way
    pages = rendered(weekly_sessions(pre, [3] * 12, mood_day7=day7))
    for name in ("overview", "summary"):
        page = pages[name]
        assert "about the same as 3.3" not in page and "about the same as 4.5" not in page, name
        assert ("Right before my last 6 sessions (13 Oct – 17 Nov 2026), my mood averaged 4.8 out of 10, "
                "against 3.3 over the 6 sessions before (1 Sep – 6 Oct 2026): not a clear change, as one or "
                "two sessions account for much of the difference.") in page, name
        assert ("At the last follow-up before the next session, my mood averaged 6.2, against 4.5 before: "
                "not a clear change, as one or two sessions account for much of the difference.") in page, name
    # apart by more than a point with one left out each side too, but the slope of both windows
    # goes up (the last two are 9): "stable" by the slope
    pages = rendered(weekly_sessions([4, 1, 9, 9, 6, 9, 2, 1, 2, 1, 9, 9], [1] * 12))
    assert ("my mood averaged 4.0 out of 10, against 6.3 over the 6 sessions before (1 Sep – 6 Oct 2026): "
            "not a clear change, as the sessions taken in order show no steady fall.") in pages["overview"]
    # a point or less apart is still about the same
    pages = rendered(weekly_sessions([4, 3, 4, 3, 4, 3, 4, 4, 4, 4, 4, 4], [3] * 12))
    assert "my mood averaged 4.0 out of 10, about the same as 3.5 over the 6 sessions before" in pages["overview"]


def test_mean_lifts_a_point_and_more_apart_are_not_called_about_the_same():
    # lifts 1 2 1 2 1 2 -> 1.5, then 5 2 3 2 3 3 -> 3.0: stable (2.6 against 1.6 leaving one out)
    pages = rendered(weekly_sessions([4] * 12, [1, 2, 1, 2, 1, 2, 5, 2, 3, 2, 3, 3]))
    summary = pages["summary"]
    assert "about the same as 1.5" not in summary
    assert ("1.5 points over the 6 sessions before (1 Sep – 6 Oct 2026): not a clear change, as one or two "
            "sessions account for much of the difference.") in summary
