"""Figures from generator.trends, each checked against a hand computation written here."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import LONG_AFTER, D, entry, weekly
from generator.settings import Settings
from generator.trends import (
    GAD7_BANDS,
    PHQ9_BANDS,
    compute_trends,
    current_break,
    effect_duration,
    find_gaps,
    least_squares_slope,
    relative_moods,
    session_figures,
    treatment_phase,
    worsening_span,
)
from generator.words import duration_text, format_day, format_dose, format_range, phase_restart, window_basis

# --------------------------------------------------------------------------- per session


def test_lift_and_relative_moods():
    e = entry("2026-01-01", pre=4, post=7, d1=6, d3=5, d7=3)
    # lift = 7 - 4 = 3; relative = each follow-up minus 4
    assert session_figures(e, LONG_AFTER).lift == 3
    assert relative_moods(e) == {"2h": 3, "day1": 2, "day3": 1, "day7": -1}


def test_relative_moods_unknown_without_pre_mood():
    e = entry("2026-01-01", post=7, d1=6)
    assert session_figures(e, LONG_AFTER).lift is None
    assert relative_moods(e) == {"2h": None, "day1": None, "day3": None, "day7": None}


@pytest.mark.parametrize(
    "moods, days, text",
    [
        # +1 on day 3, -1 on day 7: 3 + 1/(1 - -1) * (7 - 3) = 5.0
        ((4, 7, 6, 5, 3), 5.0, "5 days"),
        # +3 on day 1, 0 on day 3: 1 + 3/3 * 2 = 3.0 (back at the pre level on day 3)
        ((4, 8, 7, 4, 4), 3.0, "3 days"),
        # +3 on day 1, -1 on day 3: 1 + 3/4 * 2 = 2.5
        ((4, 8, 7, 3, 4), 2.5, "2.5 days"),
        # +2 at 2 h (day 1/12), -2 on day 1: 1/12 + 2/4 * (1 - 1/12) = 0.541666...
        ((4, 6, 2, 4, 4), 1 / 12 + 0.5 * 11 / 12, "0.5 days"),
        # +2 on day 3, 0 on day 7: 3 + 2/2 * 4 = 7.0, not 7+
        ((4, 8, 7, 6, 4), 7.0, "7 days"),
        # not above the pre level at 2 hours: no effect to last
        ((5, 5, 6, 5, 5), 0.0, "0 days (no rise at 2 hours)"),
        ((5, 3, 6, 6, 6), 0.0, "0 days (no rise at 2 hours)"),
    ],
)
def test_effect_duration_interpolates(moods, days, text):
    pre, post, d1, d3, d7 = moods
    duration = effect_duration(entry("2026-01-01", pre=pre, post=post, d1=d1, d3=d3, d7=d7), LONG_AFTER)
    assert duration.days == pytest.approx(days)
    assert not duration.beyond_day7
    assert duration_text(duration) == text


def test_effect_duration_beyond_day7():
    # still +1 on day 7: lasted 7 days or more, counted as 7 (a lower bound)
    duration = effect_duration(entry("2026-01-01", pre=4, post=8, d1=7, d3=6, d7=5), LONG_AFTER)
    assert duration.beyond_day7 and duration.days == 7.0 and duration_text(duration) == "7+ days"


def test_effect_duration_beyond_day7_with_day3_missing():
    # above on day 7 whatever happened on day 3
    duration = effect_duration(entry("2026-01-01", pre=4, post=8, d1=7, d7=5), LONG_AFTER)
    assert duration.beyond_day7 and duration_text(duration) == "7+ days"


def test_effect_duration_never_bridges_a_missing_point():
    # +3 on day 1, day 3 missing, back at the pre level on day 7: the end could be anywhere
    # between day 1 and day 7, so it is unknown rather than 1 + 3/3 * 6 = 7.0
    duration = effect_duration(entry("2026-01-01", pre=4, post=8, d1=7, d7=4), LONG_AFTER)
    assert duration.days is None
    assert duration.missing == ["mood_day3"]
    assert duration_text(duration) == "unknown (day-3 mood missing)"


def test_effect_duration_names_every_missing_point_in_the_stretch():
    duration = effect_duration(entry("2026-01-01", pre=4, post=8, d7=4), LONG_AFTER)
    assert duration.missing == ["mood_day1", "mood_day3"]
    assert duration_text(duration) == "unknown (day-1 mood and day-3 mood missing)"


def test_effect_duration_ignores_missing_points_before_the_stretch():
    # 2-hour mood missing, +2 on day 1, 0 on day 3: 1 + 2/2 * 2 = 3.0
    duration = effect_duration(entry("2026-01-01", pre=4, d1=6, d3=4), LONG_AFTER)
    assert duration.days == 3.0


def test_effect_duration_needs_no_later_points_once_back_at_pre():
    # day 7 missing does not matter: back at the pre level on day 3 (1 + 1/1 * 2 = 3.0)
    duration = effect_duration(entry("2026-01-01", pre=4, post=6, d1=5, d3=4), LONG_AFTER)
    assert duration.days == 3.0 and duration.missing == []


def test_effect_duration_unknown_without_pre_mood_or_day7():
    assert duration_text(effect_duration(entry("2026-01-01", post=6), LONG_AFTER)) == "unknown (mood before the session missing)"
    no_day7 = effect_duration(entry("2026-01-01", pre=4, post=8, d1=7, d3=6), LONG_AFTER)
    assert no_day7.days is None and no_day7.missing == ["mood_day7"]
    assert duration_text(no_day7) == "unknown (day-7 mood missing)"


def test_effect_duration_pending_follow_up_is_not_missing():
    # 5 days after the session the day-7 mood is still to come
    duration = effect_duration(entry("2026-01-01", pre=4, post=8, d1=7, d3=6), D(2026, 1, 6))
    assert duration.days is None and duration.missing == [] and duration.pending == ["mood_day7"]
    assert duration_text(duration) == "not known yet (day-7 mood not due yet)"
    # on the due day itself it is still pending (the journal check warns only the day after)
    assert effect_duration(entry("2026-01-01", pre=4, post=8, d1=7, d3=6), D(2026, 1, 8)).pending == ["mood_day7"]
    assert effect_duration(entry("2026-01-01", pre=4, post=8, d1=7, d3=6), D(2026, 1, 9)).missing == ["mood_day7"]


def test_session_missing_and_pending_fields():
    s = session_figures(entry("2026-01-01", pre=4, post=6), D(2026, 1, 3))
    # day 1 was due on 2 Jan (passed), day 3 and day 7 are still to come
    assert s.missing == ["mood_day1"]
    assert s.pending == ["mood_day3", "mood_day7"]


# --------------------------------------------------------------------------- dose levels


def test_dose_levels_means_and_counts():
    entries = [
        # 50 mg: lifts 1, 2 and unknown; durations 3.0 (+1 d1, 0 d3: 1 + 1/1*2), 7+, unknown
        entry("2026-01-01", 50, 4, 5, 5, 4, 4, dissociation="none", side_effects=["nausea"]),
        entry("2026-01-08", 50, 4, 6, 6, 5, 5, dissociation="mild", side_effects=["nausea", "dizzy"]),
        entry("2026-01-15", 50, None, 6, dissociation="mild"),
        # 100 mg: lifts 3 and 4 -> 3.5; durations 5.0 (+1 d3, -1 d7) and 7+ -> (5 + 7)/2 = 6.0
        entry("2026-01-22", 100, 4, 7, 6, 5, 3, dissociation="moderate", side_effects=[]),
        entry("2026-01-29", 100, 3, 7, 6, 5, 4, side_effects=["headache"]),
    ]
    low, high = compute_trends(entries, LONG_AFTER).dose_levels
    assert (low.dose_mg, low.sessions, low.first, low.last) == (50, 3, D(2026, 1, 1), D(2026, 1, 15))
    assert (low.mean_lift, low.lift_n) == (1.5, 2)
    assert (low.mean_duration, low.duration_n, low.duration_beyond7) == (5.0, 2, 1)  # (3 + 7) / 2
    assert low.dissociation == {"none": 1, "mild": 2, "moderate": 0, "strong": 0}
    assert low.side_effects == {"nausea": 2, "dizziness": 1}
    assert low.side_effects_n == 2  # the third session did not record side effects
    assert (high.mean_lift, high.lift_n) == (3.5, 2)
    assert (high.mean_duration, high.duration_n, high.duration_beyond7) == (6.0, 2, 1)
    assert high.dissociation == {"none": 0, "mild": 0, "moderate": 1, "strong": 0, "not recorded": 1}
    assert high.side_effects == {"headache": 1} and high.side_effects_n == 2


# --------------------------------------------------------------------------- phase, gaps, current dose


@pytest.mark.parametrize(
    "days_after, key",
    [(0, "titration"), (27, "titration"), (28, "stabilization"), (90, "stabilization"), (91, "ongoing"), (400, "ongoing")],
)
def test_phase_boundaries(days_after, key):
    first = D(2026, 1, 1)
    phase = treatment_phase(first, first + dt.timedelta(days=days_after))
    assert phase.key == key and phase.days_since_first == days_after and phase.first_session == first


def test_phase_without_sessions():
    trends = compute_trends([], D(2026, 1, 1))
    assert trends.phase.key == "none" and trends.phase.first_session is None


def test_phase_counts_from_the_restart_after_a_break():
    # a break longer than gap_weeks followed by a session starts a new titration (issue 13)
    entries = [entry("2026-01-01"), entry("2026-05-01")]
    trends = compute_trends(entries, D(2026, 5, 2))
    phase = trends.phase
    assert phase.key == "titration" and phase.days_since_first == 121
    assert phase_restart(trends).startswith("Restarted 1 May 2026 after a 4-month break, at 100 mg")
    short = [entry("2026-01-01"), entry("2026-01-15")]  # two weeks apart: no break
    assert compute_trends(short, D(2026, 5, 2)).phase.key == "ongoing"


def test_gaps_longer_than_the_setting():
    days = [D(2026, 1, 1), D(2026, 1, 8), D(2026, 1, 29), D(2026, 2, 20)]
    # 8 Jan -> 29 Jan is 21 days: exactly 3 weeks, not longer; 29 Jan -> 20 Feb is 22 days
    gaps = find_gaps(days, 3)
    assert [(g.start, g.end, g.days) for g in gaps] == [(D(2026, 1, 29), D(2026, 2, 20), 22)]
    assert len(find_gaps(days, 2)) == 2  # 21 and 22 days are both longer than 14
    assert find_gaps([], 3) == [] and find_gaps([D(2026, 1, 1)] * 3, 1) == []


def test_current_break():
    assert current_break(D(2026, 1, 1), D(2026, 1, 22), 3) is None  # 21 days
    gap = current_break(D(2026, 1, 1), D(2026, 1, 23), 3)
    assert (gap.start, gap.end, gap.days) == (D(2026, 1, 1), D(2026, 1, 23), 22)


def test_current_dose_and_adequate_trial():
    entries = [entry("2026-01-01", 100), entry("2026-01-08", 100), entry("2026-01-15", 150), entry("2026-01-22", 150)]
    trends = compute_trends(entries, LONG_AFTER)
    assert trends.current_dose == 150 and trends.sessions_at_current_dose == 2
    assert trends.current_dose_since == D(2026, 1, 15)
    assert not trends.adequate_trial_reached  # 2 < 3
    assert compute_trends(entries, LONG_AFTER, Settings(adequate_trial=2)).adequate_trial_reached


def test_returning_to_a_dose_starts_a_new_count():
    entries = [entry("2026-01-01", 150), entry("2026-01-08", 150), entry("2026-01-15", 100), entry("2026-01-22", 150)]
    trends = compute_trends(entries, LONG_AFTER)
    assert trends.sessions_at_current_dose == 1
    assert [s.entry.slug for s in trends.current_run] == ["2026-01-22"]


def test_entries_are_sorted_by_date_and_time():
    entries = [entry("2026-01-02"), entry("2026-01-01 18:00", 50), entry("2026-01-01 09:00", 75)]
    trends = compute_trends(entries, LONG_AFTER)
    assert [s.dose_mg for s in trends.sessions] == [75, 50, 100]


# --------------------------------------------------------------------------- windows


def test_least_squares_slope_by_hand():
    # x 0..5, y 4 4 4 2 2 1: mean x 2.5; sum((x - 2.5) * y) = -10 - 6 - 2 + 1 + 3 + 2.5 = -11.5;
    # sum((x - 2.5)^2) = 17.5; slope = -11.5 / 17.5
    assert least_squares_slope(list(enumerate([4, 4, 4, 2, 2, 1]))) == pytest.approx(-11.5 / 17.5)
    assert least_squares_slope([(0, 1)]) is None
    assert least_squares_slope([(1, 1), (1, 2)]) is None


def test_window_means_slope_and_declining_direction():
    trends = compute_trends(weekly([4, 4, 4, 2, 2, 1]), LONG_AFTER, Settings(window=3))
    w = trends.window
    assert [s.lift for s in w.recent.entries] == [2, 2, 1]
    assert w.recent.mean_lift == pytest.approx(5 / 3) and w.recent.lift_n == 3
    assert w.previous.mean_lift == 4 and w.previous.lift_n == 3
    assert w.recent.mean_post_mood == pytest.approx(4 + 5 / 3) and w.recent.post_n == 3
    assert w.change == pytest.approx(5 / 3 - 4)
    assert w.slope == pytest.approx(-11.5 / 17.5)
    # leaving out the recent lowest (1) and the earlier highest (4): 4 - 2 = 2 > 1, slope < 0
    assert w.direction == "declining"
    assert w.same_dose
    assert window_basis(w) == "based on 6 sessions (3 recent, 3 before)"
    assert (w.recent.first, w.recent.last) == (D(2026, 1, 22), D(2026, 2, 5))


def test_noise_threshold_decides_what_counts_as_a_change():
    # the same drop of 2 points (after leaving one session out) is within a 2.5-point threshold
    trends = compute_trends(weekly([4, 4, 4, 2, 2, 1]), LONG_AFTER, Settings(window=3, noise_threshold=2.5))
    assert trends.window.direction == "stable"


def test_one_bad_session_does_not_flip_the_direction():
    # recent 4, 4, 0 against 4, 4, 4: the plain means differ by 4/3 > 1 point, but with the
    # single lowest recent session left out the recent mean is 4 again: stable
    trends = compute_trends(weekly([4, 4, 4, 4, 4, 0]), LONG_AFTER, Settings(window=3))
    w = trends.window
    assert w.previous.mean_lift - w.recent.mean_lift == pytest.approx(4 / 3)
    assert w.slope < 0
    assert w.direction == "stable"


def test_improving_direction():
    # recent 4, 5, 5 against 1, 2, 2: recent without its highest 4.5, earlier without its lowest 2
    assert compute_trends(weekly([1, 2, 2, 4, 5, 5]), LONG_AFTER, Settings(window=3)).window.direction == "improving"


def test_direction_needs_the_slope_to_agree():
    from generator.trends import decide_direction

    settings = Settings(window=3)
    # recent 2, 2, 2 against 5, 5, 5: a drop of 3 with one session left out of each
    assert decide_direction([2, 2, 2], [5, 5, 5], -1.0, settings) == "declining"
    # the same means with a fitted line that does not point down are not called a decline
    assert decide_direction([2, 2, 2], [5, 5, 5], 0.1, settings) == "stable"
    assert decide_direction([5, 5, 5], [2, 2, 2], -0.1, settings) == "stable"


def test_direction_unknown_with_too_few_lifts():
    # window 3 needs 2 known lifts in each window; the earlier one has only 1
    trends = compute_trends(weekly([4, 4, 2, 2]), LONG_AFTER, Settings(window=3))
    assert trends.window.direction == "unknown"
    assert window_basis(trends.window).startswith("too few sessions to say")
    # and without any earlier session at all
    only = compute_trends(weekly([4, 4]), LONG_AFTER, Settings(window=3))
    assert only.window.previous is None and only.window.direction == "unknown"


def test_missing_lift_leaves_a_gap_in_the_slope():
    # lifts 4, -, 2: x positions 0 and 2, slope (2 - 4) / 2 = -1 (not -2, which closing the gap would give)
    trends = compute_trends(weekly([4, None, 2]), LONG_AFTER, Settings(window=2))
    assert trends.window.slope == pytest.approx(-1.0)


def test_window_duration_means_count_7_plus_as_7():
    follow = [(7, 6, 5), (7, 6, 5), (6, 4, 4), (5, 4, 4)]  # pre 4, lift 4
    # durations: 7+, 7+, day1 +2 -> day3 0: 1 + 2/2*2 = 3.0, day1 +1 -> day3 0: 1 + 1/1*2 = 3.0
    trends = compute_trends(weekly([4, 4, 4, 4], follow=follow), LONG_AFTER, Settings(window=2))
    w = trends.window
    assert (w.previous.mean_duration, w.previous.duration_n, w.previous.duration_beyond7) == (7.0, 2, 2)
    assert (w.recent.mean_duration, w.recent.duration_n) == (3.0, 2)
    assert w.duration_change == -4.0


def test_windows_with_different_doses_are_marked():
    entries = weekly([3, 3, 3], dose=100) + weekly([3, 3, 3], start=D(2026, 1, 22), dose=150)  # no break: windows stop at one
    w = compute_trends(entries, LONG_AFTER, Settings(window=3)).window
    assert not w.same_dose and w.recent.doses == [150] and w.previous.doses == [100]


# --------------------------------------------------------------------------- questionnaires


def test_phq9_bands_response_and_remission():
    entries = [
        entry("2026-01-01", scores={"phq9": 16}),
        entry("2026-01-08", scores={"phq9": 9}),
        entry("2026-01-15", scores={"phq9": 8}),  # 8 <= 16 / 2: response
        entry("2026-01-22", scores={"gad7": 3}),
        entry("2026-01-29", scores={"phq9": [0, 1, 0, 1, 0, 1, 0, 1, 0]}),  # total 4 < 5: remission
        entry("2026-02-05", scores={"phq9": 20}),
    ]
    phq9 = compute_trends(entries, LONG_AFTER).phq9
    assert [(p.total, p.band) for p in phq9.points] == [
        (16, "moderately severe"), (9, "mild"), (8, "mild"), (4, "minimal"), (20, "severe"),
    ]
    assert phq9.response.day == D(2026, 1, 15) and phq9.response.slug == "2026-01-15"
    assert phq9.remission.day == D(2026, 1, 29)
    assert phq9.bands == PHQ9_BANDS
    assert (phq9.first.total, phq9.lowest.total, phq9.latest.total) == (16, 4, 20)


def test_phq9_no_response_or_remission():
    entries = [entry("2026-01-01", scores={"phq9": 16}), entry("2026-01-08", scores={"phq9": 9})]
    phq9 = compute_trends(entries, LONG_AFTER).phq9
    assert phq9.response is None and phq9.remission is None  # 9 > 8, 9 >= 5
    # a first score already below 5 cannot remit; a first score of 0 cannot halve
    low = compute_trends([entry("2026-01-01", scores={"phq9": 3}), entry("2026-01-08", scores={"phq9": 1})], LONG_AFTER).phq9
    assert low.remission is None and low.response.total == 1
    zero = compute_trends([entry("2026-01-01", scores={"phq9": 0}), entry("2026-01-08", scores={"phq9": 0})], LONG_AFTER).phq9
    assert zero.response is None and zero.remission is None


@pytest.mark.parametrize(
    "total, band",
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"), (15, "severe"), (21, "severe")],
)
def test_gad7_bands(total, band):
    gad7 = compute_trends([entry("2026-01-01", scores={"gad7": total})], LONG_AFTER).gad7
    assert gad7.points[0].band == band and gad7.bands == GAD7_BANDS
    assert gad7.response is None and gad7.remission is None


def test_gad7_from_answers():
    gad7 = compute_trends([entry("2026-01-01", scores={"gad7": [3, 3, 2, 2, 1, 1, 0]})], LONG_AFTER).gad7
    assert gad7.points[0].total == 12 and gad7.points[0].band == "moderate"


# --------------------------------------------------------------------------- missing follow-ups


def test_missing_and_pending_counts():
    entries = [entry("2026-01-01", pre=4, post=6), entry("2026-01-10", pre=4)]
    trends = compute_trends(entries, D(2026, 1, 12))
    # 1 Jan: day 1, 3, 7 all past and empty; 10 Jan: the 2-hour mood and day 1 past, day 3 and 7 to come
    assert trends.missing_follow_ups == {"post_mood_2h": 1, "mood_day1": 2, "mood_day3": 1, "mood_day7": 1}
    assert trends.pending_follow_ups == {"mood_day3": 1, "mood_day7": 1}


# --------------------------------------------------------------------------- settings and formatting


@pytest.mark.parametrize(
    "options, words",
    [
        ({"window": 1}, "window must be a whole number of sessions, 2 or more (got 1)"),
        ({"window": 2.5}, "window must be a whole number"),
        ({"window": True}, "window must be a whole number"),
        ({"adequate_trial": 0}, "adequate_trial must be a whole number of sessions, 1 or more (got 0)"),
        ({"noise_threshold": -0.5}, "noise_threshold must be a number of points of mood, 0 or more (got -0.5)"),
        ({"noise_threshold": float("nan")}, "noise_threshold must be a number"),
        ({"noise_threshold": "1"}, "noise_threshold must be a number"),
        ({"gap_weeks": 0}, "gap_weeks must be a whole number of weeks, 1 or more (got 0)"),
        ({"fade_threshold_days": -1}, "fade_threshold_days must be a number of days"),
    ],
)
def test_settings_refuse_bad_values_with_clear_messages(options, words):
    with pytest.raises(ValueError, match=words.replace("(", r"\(").replace(")", r"\)")):
        Settings(**options)


def test_settings_report_every_problem_and_unknown_options():
    with pytest.raises(ValueError, match="window.*; gap_weeks"):
        Settings(window=0, gap_weeks=0)
    with pytest.raises(ValueError, match="unknown trends option 'windows'"):
        Settings.from_options({"windows": 6})
    assert Settings.from_options({"window": 4, "noise_threshold": 0}) == Settings(window=4, noise_threshold=0)
    defaults = Settings()
    assert (defaults.window, defaults.adequate_trial, defaults.noise_threshold, defaults.gap_weeks) == (6, 3, 1.0, 3)
    assert defaults.min_known == 3 and Settings(window=2).min_known == 2


def test_formatting():
    assert format_dose(150.0) == "150 mg"
    assert format_dose(37.5) == "37.5 mg"
    assert format_dose(0.125) == "0.125 mg"
    assert format_day(D(2026, 10, 24)) == "24 Oct 2026"
    assert format_range(D(2026, 10, 24), D(2026, 11, 22)) == "24 Oct – 22 Nov 2026"
    assert format_range(D(2026, 6, 11), D(2026, 6, 30)) == "11–30 Jun 2026"
    assert format_range(D(2025, 12, 30), D(2026, 1, 3)) == "30 Dec 2025 – 3 Jan 2026"
    assert format_range(D(2026, 1, 3), D(2026, 1, 3)) == "3 Jan 2026"


def test_a_follow_up_written_before_its_day_waits_for_that_day():
    """A day-7 mood recorded 3 days after the session (usually a mistyped date, which
    `journal check` warns about) does not decide how long the effect lasted yet."""
    session = entry("2026-01-01", pre=4, post=7, d1=6, d3=5, d7=5)
    early = effect_duration(session, D(2026, 1, 4))  # day 3 (4 Jan) has come, day 7 (8 Jan) has not
    assert (early.days, early.pending, duration_text(early)) == (None, ["mood_day7"], "not known yet (day-7 mood not due yet)")
    assert duration_text(effect_duration(session, D(2026, 1, 8))) == "7+ days"  # on its day it counts
    # back at the pre-session level by day 3: the early day-7 mood is not needed
    assert effect_duration(entry("2026-01-01", pre=4, post=7, d1=6, d3=4, d7=9), D(2026, 1, 4)).days == 3.0


@pytest.mark.parametrize("latest, start", [
    (D(2026, 11, 24), D(2025, 11, 24)),
    (D(2024, 2, 29), D(2023, 2, 28)),  # no 29 Feb a year before: the month's last day
])
def test_a_questionnaire_rise_is_judged_over_12_months(latest, start):
    assert worsening_span(latest) == start
