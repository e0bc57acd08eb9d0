"""Numbers, days, plurals and the names of fields and bands, as text: the small pieces every
sentence and table is made of."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol

from ..entries import Entry
from ..trends import (
    DUE_AFTER_DAYS,
    Duration,
    WindowSummary,
)

# Signals list at most this many entries as evidence, the most recent ones.
EVIDENCE_LIMIT = 12

class MoodName(NamedTuple):
    """One mood field's names, each for one place: `said` in a sentence ("the day-3 mood"),
    `label` as a table's row ("Mood on day 3"), `moment` as a chart's series or a session
    page's line ("Day 3"), `short` in a crowded cell ("day 3"), `reminder` in a calendar
    reminder ("day-3 mood"). What each field means is its description in the entry model
    (generator.entries), which the CSV's columns read."""

    said: str
    label: str
    moment: str
    short: str
    reminder: str


# The one table of the mood fields' names: every other naming of them reads it.
MOOD_NAMES: dict[str, MoodName] = {
    "pre_mood": MoodName("mood before the session", "Mood before the session", "Before", "before", "mood before the session"),
    "post_mood_2h": MoodName("2-hour mood", "Mood 2 hours after", "2 hours after", "2 h", "mood about two hours after"),
    "mood_day1": MoodName("day-1 mood", "Mood on day 1", "Day 1", "day 1", "day-1 mood"),
    "mood_day3": MoodName("day-3 mood", "Mood on day 3", "Day 3", "day 3", "day-3 mood"),
    "mood_day7": MoodName("day-7 mood", "Mood on day 7", "Day 7", "day 7", "day-7 mood"),
}

# The mood fields as a reader names them ("the day-3 mood"), not as they are written; with
# the next session's mood before, the last point an effect is read to.
MOOD_WORDS = {name: mood.said for name, mood in MOOD_NAMES.items()} | {"next_pre_mood": "mood before the next session"}

# The mood fields as a sentence names them with the name written in the entry ("the day-3 mood
# (mood_day3)"), from the one table of their names (MOOD_NAMES).
FIELD_WORDS = {name: f"the {mood.said} ({name})" for name, mood in MOOD_NAMES.items()}

# The fields as a table's row or column names them (the export's summary, "what was recorded").
FIELD_LABELS: dict[str, str] = {
    **{name: mood.label for name, mood in MOOD_NAMES.items()},
    "dissociation": "Dissociation",
    "side_effects": "Side effects",
    "tolerability": "Tolerability of side effects",
    "route": "Route",
    "hold_time_min": "Hold time",
    "provider": "Provider",
}


# --------------------------------------------------------------------------- numbers, days and plurals


def format_dose(mg: float) -> str:
    """'150 mg', '37.5 mg': no trailing '.0'."""
    if not math.isfinite(mg) or abs(mg) >= 1e15:
        return f"{mg:g} mg"
    if float(mg).is_integer():
        return f"{int(mg)} mg"
    return f"{mg:.3f}".rstrip("0").rstrip(".") + " mg"


def dose_text(dose: float, route: str | None, several_routes: bool) -> str:
    """'200 mg', or '200 mg intranasal' when the journal has more than one route
    (`Trends.several_routes`)."""
    if not several_routes:
        return format_dose(dose)
    return f"{format_dose(dose)} {route}" if route else f"{format_dose(dose)} (route not recorded)"


def join_words(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def days_text(days: float) -> str:
    """'2.8', '3': a number of days with one decimal at most."""
    return f"{days:.1f}".removesuffix(".0")


def duration_text(duration: Duration) -> str:
    """How long one session's effect lasted (trends.Duration), the one wording of it for the
    pages, the summary, the CSV and the charts: '2.8 days', '7+ days', '0 days (no rise at 2
    hours)', '3+ days (still above at the next session, 3 days later)', or why it is unknown."""
    if duration.days is not None:
        if duration.at_next:
            shown = days_text(duration.days)
            return f"{shown}+ days (still above at the next session, {shown} {'day' if shown == '1' else 'days'} later)"
        if duration.beyond_day7:
            return "7+ days"
        if duration.days == 0:
            return "0 days (no rise at 2 hours)"
        shown = f"{duration.days:.1f}".removesuffix(".0")
        return f"{shown} {'day' if shown == '1' else 'days'}"
    reasons = []
    if duration.missing:
        reasons.append(f"{join_words([MOOD_WORDS[m] for m in duration.missing])} missing")
    if duration.pending:
        reasons.append(f"{join_words([MOOD_WORDS[m] for m in duration.pending])} not due yet")
    if duration.missing or not duration.pending:
        return f"unknown ({'; '.join(reasons) or 'no follow-ups'})"
    return f"not known yet ({'; '.join(reasons)})"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")


def month_text(day: date) -> str:
    """'November 2026', the same in every locale."""
    return f"{MONTH_NAMES[day.month - 1]} {day.year}"


def format_day(day: date | datetime | None, with_year: bool = True) -> str:
    """'24 Oct 2026', the same in every locale; '24 Oct' without the year; ', 18:30' after it for
    a session with its time; '' for no day."""
    if day is None:
        return ""
    text = f"{day.day} {_MONTHS[day.month - 1]}" + (f" {day.year}" if with_year else "")
    if isinstance(day, datetime) and (day.hour or day.minute):
        text += f", {day:%H:%M}"
    return text


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def weekday_day(day: date) -> str:
    """'Tue 24 Nov 2026': a day with its weekday, the same in every locale (when a follow-up
    is due, as `journal new` prints it)."""
    return f"{_WEEKDAYS[day.weekday()]} {format_day(day)}"


def format_range(first: date, last: date) -> str:
    """'24 Oct – 22 Nov 2026', '11–30 Jun 2026': what both days share is written once."""
    if first == last:
        return format_day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{format_day(last)}"
    if first.year == last.year:
        return f"{first.day} {_MONTHS[first.month - 1]} – {format_day(last)}"
    return f"{format_day(first)} – {format_day(last)}"


def format_doses(doses: Iterable[float]) -> str:
    """'150 mg' for one dose, 'doses from 100 mg to 150 mg' for several."""
    distinct = sorted(set(doses))
    if not distinct:
        return "no recorded dose"
    if len(distinct) == 1:
        return format_dose(distinct[0])
    return f"doses from {format_dose(distinct[0])} to {format_dose(distinct[-1])}"


def dose_range_text(doses: Iterable[float]) -> str:
    """The doses of some sessions in a chart's table or tooltip: '150 mg', or '100 mg to 150 mg'
    (lowest to highest)."""
    distinct = sorted(set(doses))
    return format_dose(distinct[0]) if len(distinct) == 1 else f"{format_dose(distinct[0])} to {format_dose(distinct[-1])}"


def period_text(year: int, part: int, unit: str) -> str:
    """A chart's period: 'Nov 2026' (unit 'month', part the month 1-12), 'Q4 2026' ('quarter',
    part 0-3), '2026' ('year')."""
    if unit == "month":
        return f"{_MONTHS[part - 1]} {year}"
    return f"Q{part + 1} {year}" if unit == "quarter" else str(year)


def sessions_word(n: int) -> str:
    return f"{n} session" if n == 1 else f"{n} sessions"


def based_on(n: int, needed: int = 1) -> str:
    """The words every figure carries about how many sessions it rests on."""
    if n < needed:
        return "too few sessions to say"
    return f"based on {sessions_word(n)}"


def signed(value: float, digits: int = 0) -> str:
    """'+4', '-1.5', and '0' without a sign."""
    text = f"{value:+.{digits}f}"
    return text[1:] if float(text) == 0 else text


def hold_text(hold: tuple[float, float] | None) -> str:
    """'held 15 min', 'held 10-20 min'; '' when no hold time was recorded."""
    if hold is None:
        return ""
    low, high = (f"{v:g}" for v in hold)
    return f"held {low} min" if low == high else f"held {low}–{high} min"


PHASE_NAMES = {
    "none": "No sessions yet",
    "titration": "Initial titration (weeks 1-4)",
    "stabilization": "Stabilization (months 1-3)",
    "ongoing": "Ongoing adjustment (from month 3)",
}


def break_words(days: int) -> str:
    """'5-month', '6-week': how long a break was, as said aloud."""
    if days < 56:
        return f"{round(days / 7)}-week"
    return f"{round(days / 30.44)}-month"


# --------------------------------------------------------------------------- numbers in tables (the pages' filters)


def format_number(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}"


def table_number(value: float | int | None) -> str:
    """A number in a chart's table: one decimal at most ('4', '4.3'), 'missing' when not
    recorded."""
    if value is None:
        return "missing"
    if isinstance(value, float):
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return str(value)


def format_signed(value: float | int | None) -> str:
    if value is None:
        return "–"
    text = format_number(value)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def format_mean(value: float | int | None) -> str:
    """An average, always with one decimal: '1.3', '4.0'; '–' when unknown."""
    if value is None:
        return "–"
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def format_signed_mean(value: float | int | None) -> str:
    """A signed average, always with one decimal: '+4.0', '-0.5', '0.0'."""
    text = format_mean(value)
    return text if text.startswith("-") or text in ("0.0", "–") else f"+{text}"


def format_mean_days(summary: DurationMeans) -> str:
    """An average effect length in a table cell: worded as everywhere (see
    words.duration_mean_text), '–' when unknown."""
    return "–" if summary.mean_duration is None else duration_mean_text(summary)


def due_day(entry: Entry, name: str) -> str:
    """The day an empty mood field falls due ('26 Nov'), for a follow-up still to come:
    the session's day plus the field's days (day 7's mood is due 7 days after)."""
    return format_day(entry.day + timedelta(days=DUE_AFTER_DAYS[name]), with_year=False)


# --------------------------------------------------------------------------- amounts


def plural(n: float, word: str, many: str | None = None) -> str:
    """'1 session', '3 sessions'; a number with decimals with one at most, as format_number
    writes it, so that a median of 1.0 days is '1 day' and one of 3.5 is '3.5 days'."""
    shown = format_number(n)
    return f"{shown} {word}" if shown == "1" else f"{shown} {many or word + 's'}"


def points_text(value: float) -> str:
    """'+1.3 points', '-0.5 points', '0.0 points'."""
    return f"{signed(value, 1)} points"


class DurationMeans(Protocol):
    """A run of sessions with the mean time their effect lasted (WindowSummary, DoseLevel)."""

    @property
    def mean_duration(self) -> float | None: ...
    @property
    def duration_n(self) -> int: ...
    @property
    def duration_beyond7(self) -> int: ...
    @property
    def duration_at_next(self) -> int: ...


def duration_mean_text(window: DurationMeans) -> str:
    """How long the effect lasted on average, the one wording of it (sentences and tables):
    'about 2.8 days'; 'at least 5.7 days' when some sessions lasted past day 7 (counted
    as 7, so the average is a lower bound) or were still above at the next session; '7 days
    or more' when every session lasted past day 7."""
    mean, n, beyond = window.mean_duration, window.duration_n, window.duration_beyond7
    if mean is None:
        return "an unknown time"
    if beyond == n:
        return "7 days or more"
    shown = f"{mean:.1f}".removesuffix(".0")
    # a session still above at the next session counts as the days until it: a lower bound too
    bounded = beyond or window.duration_at_next
    return f"{'at least' if bounded else 'about'} {shown} {'day' if shown == '1' else 'days'}"


def duration_basis(window: WindowSummary) -> str:
    """'based on 6 sessions; 1 still above the pre-session mood on day 7, counted as 7 days'."""
    text = based_on(window.duration_n)
    beyond, n = window.duration_beyond7, window.duration_n
    if 0 < beyond < n:
        text += f"; {beyond} of them still above the pre-session mood on day 7, counted as 7 days"
    if window.duration_at_next:
        text += f"; {window.duration_at_next} counted up to the next session"
    return text


def lift_phrase(mean: float) -> str:
    """'rose on average by 1.3 points', 'fell on average by 0.5 points'."""
    if round(mean, 1) > 0:
        return f"rose on average by {mean:.1f} points"
    if round(mean, 1) < 0:
        return f"fell on average by {-mean:.1f} points"
    return "did not change on average"


def lift_amount(mean: float, plain: bool) -> str:
    """'4.0 points' when plainly a rise, else 'a rise of 4.0 points' / 'a fall of 0.5 points'."""
    if round(mean, 1) > 0:
        return f"{mean:.1f} points" if plain else f"a rise of {mean:.1f} points"
    if round(mean, 1) < 0:
        return f"a fall of {-mean:.1f} points"
    return "no change"


def bands_text(bands: Sequence[tuple[int, int, str]]) -> str:
    """A questionnaire's severity bands, '0-4 minimal, 5-9 mild, ...': written from the one
    table of bands (trends.PHQ9_BANDS, GAD7_BANDS)."""
    return ", ".join(f"{band_range(low, high)} {name}" for low, high, name in bands)


def band_range(low: int, high: int) -> str:
    """The totals of one severity band, '5-9', as bands_text and the charts' bands write them."""
    return f"{low}-{high}"


def totals_range(low: int, high: int) -> str:
    """The lowest to the highest of some questionnaire totals, '3 to 9', in a chart's table."""
    return f"{low} to {high}"
