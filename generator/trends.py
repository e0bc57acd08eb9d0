"""Trends: the figures a prescriber needs, computed from the journal's entries.

This layer is pure Python. It takes validated `Entry` objects and a date for
"today" and returns numbers and plain data; it reads no files, knows nothing of
signals, words, pages, charts or HTML, and imports only the entries layer (see
tests/test_layers.py). What the figures say in words is written in
`generator.words` (a session's effect length: `words.duration_text`; a dose with its
route: `words.dose_text`).

Every figure carries the number of sessions it rests on, and missing values stay
missing: nothing is filled in by guessing. No figure here suggests a dose; the
signals (`generator.signals`) find what is worth discussing with the prescriber.

How the figures are defined:

- Lift: mood two hours after a session minus mood right before it.
- Relative mood: each follow-up mood (2 h, day 1, day 3, day 7) minus the
  pre-session mood.
- Effect duration: see `effect_duration`.
- Phase: from the days since the first session (see `treatment_phase`).
- Windows: the last `window` sessions against the `window` sessions before them;
  the direction is decided in `decide_direction` so that no single session decides it.
- Durations of 7+ days count as 7 in every mean (a lower bound, said in the words).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cached_property

from .entries import DISSOCIATION_LEVELS, FOLLOW_UP_DAYS, Entry
from .providers import Prescribers, display_names, name_key
from .settings import Settings

# The follow-up points in time order: (key, entry field, time in days after the session).
FOLLOW_UP_POINTS: tuple[tuple[str, str, float], ...] = (
    ("2h", "post_mood_2h", 2 / 24),
    ("day1", "mood_day1", 1.0),
    ("day3", "mood_day3", 3.0),
    ("day7", "mood_day7", 7.0),
)
MOOD_FIELDS: tuple[str, ...] = ("pre_mood",) + tuple(name for _, name, _ in FOLLOW_UP_POINTS)
# Days after the session on which each mood is due; the two same-day moods are due on the day.
DUE_AFTER_DAYS: dict[str, int] = {"pre_mood": 0, "post_mood_2h": 0, **FOLLOW_UP_DAYS}
LAST_FOLLOW_UP_DAY = 7.0

# Treatment phases, by days since the first session (the guide: weeks 1-4, months 1-3, month 3 on).
TITRATION_DAYS = 28  # four weeks
STABILIZATION_DAYS = 91  # thirteen weeks, about three months

PHQ9_BANDS: list[tuple[int, int, str]] = [
    (0, 4, "minimal"),
    (5, 9, "mild"),
    (10, 14, "moderate"),
    (15, 19, "moderately severe"),
    (20, 27, "severe"),
]
GAD7_BANDS: list[tuple[int, int, str]] = [
    (0, 4, "minimal"),
    (5, 9, "mild"),
    (10, 14, "moderate"),
    (15, 21, "severe"),
]
PHQ9_REMISSION_BELOW = 5


# --------------------------------------------------------------------------- per session


@dataclass(frozen=True)
class Duration:
    """How long the session's effect lasted: the time, in days, at which mood falls
    back to the pre-session level.

    days: the estimate; 7.0 with beyond_day7 True when mood was still above the
      pre-session level on day 7 (the last follow-up, so 7 is a lower bound);
      0.0 when mood was not above the pre-session level at 2 hours; None when unknown.
    missing: the fields whose absence makes it unknown and whose day has passed.
    pending: the fields it waits for that are not due yet (the follow-up is still to come).
    """

    days: float | None
    beyond_day7: bool = False
    missing: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    # Still above the pre-session mood at the next session, `days` later (before day 7): the
    # reading stops there, so `days` is a lower bound, as 7 is for beyond_day7.
    at_next: bool = False

    @property
    def known(self) -> bool:
        return self.days is not None

    @property
    def lower_bound(self) -> bool:
        return self.beyond_day7 or self.at_next


@dataclass(frozen=True)
class SessionFigures:
    """One session's numbers. `relative` holds each follow-up mood minus the pre-session
    mood ('2h', 'day1', 'day3', 'day7'), None where either is missing. `missing` lists the
    mood fields left empty after their day; `pending` those not due yet."""

    entry: Entry
    lift: int | None
    relative: dict[str, int | None]
    duration: Duration
    missing: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)
    # The course around the session (see `session_figures`): calendar days since the previous
    # session, the next session's day, and the follow-ups dated after it.
    interval_days: int | None = None
    next_day: date | None = None
    after_next: list[str] = field(default_factory=list)

    @property
    def day(self) -> date:
        return self.entry.day

    @property
    def dose_mg(self) -> float:
        return self.entry.dose_mg


def is_due(entry: Entry, name: str, today: date) -> bool:
    """Whether an empty mood field counts as missing rather than still to come.
    Same rule as the journal check: missing once its day has passed."""
    return today > entry.day + timedelta(days=DUE_AFTER_DAYS[name])


def recorded_early(entry: Entry, name: str, today: date) -> bool:
    """A follow-up mood written down before its day (usually a mistyped session date; `journal
    check` warns): same rule as that warning."""
    return today < entry.day + timedelta(days=DUE_AFTER_DAYS[name])


def relative_moods(entry: Entry) -> dict[str, int | None]:
    """Each follow-up mood minus the pre-session mood."""
    pre = entry.pre_mood
    result: dict[str, int | None] = {}
    for key, name, _ in FOLLOW_UP_POINTS:
        value = getattr(entry, name)
        result[key] = None if pre is None or value is None else value - pre
    return result


def after_next_session(entry: Entry, next_entry: Entry | None) -> list[str]:
    """The follow-up moods dated after the next session's day: they no longer show this
    session alone (the guide: effects overlap when sessions are less than a week apart). A
    follow-up on the day of the next session is read as that day's mood, as the next session's
    mood before is, so it still counts. Two sessions on one day share every follow-up: nothing
    can tell them apart, so they are read as they are."""
    if next_entry is None or next_entry.day == entry.day:
        return []
    return [name for name, offset in FOLLOW_UP_DAYS.items() if entry.day + timedelta(days=offset) > next_entry.day]


def effect_duration(entry: Entry, today: date, next_entry: Entry | None = None) -> Duration:
    """When mood falls back to the pre-session level, in days after the session.

    The points are the pre-session mood at day 0 and the moods at 2 hours (day 1/12),
    day 1, day 3 and day 7. The first recorded point at or below the pre-session mood
    marks the end; the time is interpolated on a straight line from the point just
    before it (for example +1 on day 1 and 0 on day 3 gives 3.0 days; +2 on day 3 and
    -2 on day 7 gives 5.0 days).

    A missing point is never bridged: when the point just before the first one at the
    pre-session level is missing, the end could lie anywhere in a longer stretch, so the
    duration is unknown and the missing fields are named. Missing points earlier than
    that do not matter. When mood is still above the pre-session level on day 7 the
    effect lasted 7+ days, whatever is missing before. When day 7 is missing and no
    recorded point is at the pre-session level, the duration is unknown.

    With `next_entry`, the next session, the reading stops there: follow-ups dated after it
    (see `after_next_session`) are left out, and the last point is the next session's mood
    before, at the days between the two. Still above there, the effect lasted at least that
    long ("6+ days", `at_next`); at or below it, the end is read on the line to it.
    """
    pre = entry.pre_mood
    if pre is None:
        return _unknown(entry, ["pre_mood"], today)
    cut = after_next_session(entry, next_entry)
    prev_t, prev_r = 0.0, 0
    absent_run: list[str] = []  # the missing points since the last recorded one
    for key, name, t in FOLLOW_UP_POINTS:
        if name in cut:
            continue
        value = getattr(entry, name)
        if value is None or recorded_early(entry, name, today):
            absent_run.append(name)  # a mood written before its day waits for that day
            continue
        r = value - pre
        if r <= 0:
            if absent_run:
                return _unknown(entry, absent_run, today)
            if key == "2h":
                return Duration(0.0)
            return Duration(prev_t + prev_r / (prev_r - r) * (t - prev_t))
        prev_t, prev_r = t, r
        absent_run = []
    if next_entry is not None and "mood_day7" in cut:
        return _read_to_next(entry, pre, next_entry, today, prev_t, prev_r, absent_run)
    if entry.mood_day7 is not None and not recorded_early(entry, "mood_day7", today):
        return Duration(LAST_FOLLOW_UP_DAY, beyond_day7=True)
    return _unknown(entry, absent_run, today)


def _read_to_next(entry: Entry, pre: int, next_entry: Entry, today: date, prev_t: float, prev_r: int,
                  absent_run: list[str]) -> Duration:
    """The end of `effect_duration` when the next session comes before day 7: mood still above
    the pre-session level at the last recorded point, read on to the next session."""
    interval = float((next_entry.day - entry.day).days)  # at least 1: see after_next_session
    if prev_t >= interval and prev_r > 0:  # a follow-up on the next session's day, still above
        return Duration(interval, at_next=True)
    at_next = next_entry.pre_mood
    if at_next is None:
        waiting = not is_due(next_entry, "pre_mood", today)
        found = _unknown(entry, absent_run, today)
        return replace(found, pending=found.pending + ["next_pre_mood"]) if waiting else replace(
            found, missing=found.missing + ["next_pre_mood"])
    r = at_next - pre
    if r > 0:
        # only with a rise of its own recorded: the next session's mood alone says nothing of this one
        return Duration(interval, at_next=True) if prev_r > 0 else _unknown(entry, absent_run, today)
    if absent_run:
        return _unknown(entry, absent_run, today)
    return Duration(prev_t + prev_r / (prev_r - r) * (interval - prev_t))


def _unknown(entry: Entry, names: list[str], today: date) -> Duration:
    missing = [n for n in names if is_due(entry, n, today)]
    pending = [n for n in names if not is_due(entry, n, today)]
    return Duration(None, missing=missing, pending=pending)


def session_figures(entry: Entry, today: date, previous: Entry | None = None,
                    next_entry: Entry | None = None) -> SessionFigures:
    """One session's figures; with the sessions before and after it, its place in the course:
    the days since the previous one, and the effect read only up to the next one."""
    empty = [name for name in MOOD_FIELDS if getattr(entry, name) is None]
    return SessionFigures(
        entry=entry,
        lift=entry.lift,
        relative=relative_moods(entry),
        duration=effect_duration(entry, today, next_entry),
        missing=[n for n in empty if is_due(entry, n, today)],
        pending=[n for n in empty if not is_due(entry, n, today)],
        interval_days=(entry.day - previous.day).days if previous is not None else None,
        next_day=next_entry.day if next_entry is not None else None,
        after_next=[n for n in after_next_session(entry, next_entry) if getattr(entry, n) is not None],
    )


# --------------------------------------------------------------------------- small statistics


def mean_and_count(values: Iterable[float | None]) -> tuple[float | None, int]:
    """The mean of the known values and how many there were."""
    known = [v for v in values if v is not None]
    return (sum(known) / len(known) if known else None), len(known)


def mean_leaving_out(values: Sequence[float], which: str) -> float:
    """The mean with the single lowest (or highest) value left out, so that no single
    session can decide a comparison on its own. Callers have settings.min_known values, at
    least 2."""
    if len(values) < 2:
        raise ValueError("a mean leaving one out needs 2 values or more")
    ordered = sorted(values)
    kept = ordered[1:] if which == "lowest" else ordered[:-1]
    return sum(kept) / len(kept)


def least_squares_slope(points: Sequence[tuple[float, float]]) -> float | None:
    """The slope of the straight line fitted by least squares; None with under two x values."""
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return None
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


# --------------------------------------------------------------------------- dose levels


@dataclass(frozen=True)
class DoseLevel:
    """Every session at one dose. Counts are of sessions; each mean has its n.
    Durations of 7+ days count as 7 in the mean (duration_beyond7 says how many)."""

    dose_mg: float
    sessions: int
    first: date
    last: date
    mean_lift: float | None
    lift_n: int
    mean_duration: float | None
    duration_n: int
    duration_beyond7: int
    dissociation: dict[str, int]
    side_effects: dict[str, int]
    side_effects_n: int  # sessions with side effects recorded (an empty list counts)
    route: str | None = None  # the route of its runs (see dose_runs); None when never recorded
    hold_time_min: tuple[float, float] | None = None  # shortest and longest hold time recorded
    duration_at_next: int = 0  # durations still above at the next session: lower bounds too


def dissociation_counts(sessions: Sequence[SessionFigures]) -> dict[str, int]:
    """Sessions per dissociation level, every level listed; unrecorded ones are counted too."""
    counts = {level: 0 for level in DISSOCIATION_LEVELS}
    for s in sessions:
        level = s.entry.dissociation
        key = level if level is not None else "not recorded"
        counts[key] = counts.get(key, 0) + 1
    return counts


def side_effect_counts(sessions: Sequence[SessionFigures]) -> dict[str, int]:
    """Sessions on which each side effect was recorded, most frequent first."""
    counts: Counter[str] = Counter()
    for s in sessions:
        counts.update(set(s.entry.side_effects or []))
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def dose_levels(sessions: Sequence[SessionFigures]) -> list[DoseLevel]:
    """One row per dose and route, in order of dose: mg by different routes are not the same
    exposure. A session without a route counts with the route of its run (`dose_runs`)."""
    by_dose: dict[tuple[float, str], list[SessionFigures]] = {}
    routes = run_routes(sessions)
    for s in sessions:
        by_dose.setdefault((s.dose_mg, routes[id(s)] or ""), []).append(s)
    levels = []
    for dose, route in sorted(by_dose):
        group = by_dose[(dose, route)]
        holds = [s.entry.hold_time_min for s in group if s.entry.hold_time_min is not None]
        mean_lift, lift_n = mean_and_count(s.lift for s in group)
        mean_duration, duration_n = mean_and_count(s.duration.days for s in group)
        levels.append(
            DoseLevel(
                dose_mg=dose,
                sessions=len(group),
                first=min(s.day for s in group),
                last=max(s.day for s in group),
                mean_lift=mean_lift,
                lift_n=lift_n,
                mean_duration=mean_duration,
                duration_n=duration_n,
                duration_beyond7=sum(s.duration.beyond_day7 for s in group),
                dissociation=dissociation_counts(group),
                side_effects=side_effect_counts(group),
                side_effects_n=sum(s.entry.side_effects is not None for s in group),
                route=route or None,
                hold_time_min=(min(holds), max(holds)) if holds else None,
                duration_at_next=sum(s.duration.at_next for s in group),
            )
        )
    return levels


# --------------------------------------------------------------------------- dose and route


def same_regimen(route: str | None, dose: float, s: SessionFigures) -> bool:
    """Whether a session continues a run at `dose` by `route`: the same dose, and the same
    route or a route not recorded (on either side), which is taken as its neighbours'."""
    return s.dose_mg == dose and (route is None or s.entry.route is None or s.entry.route == route)


def dose_runs(sessions: Sequence[SessionFigures]) -> list[list[SessionFigures]]:
    """Consecutive sessions at one dose by one route: a change of dose or of route starts a
    new run; a session without a route does not (it stays in the run it falls in)."""
    runs: list[list[SessionFigures]] = []
    route: str | None = None
    for s in sessions:
        if runs and same_regimen(route, runs[-1][-1].dose_mg, s):
            runs[-1].append(s)
            route = route or s.entry.route
        else:
            runs.append([s])
            route = s.entry.route
    return runs


def run_routes(sessions: Sequence[SessionFigures]) -> dict[int, str | None]:
    """id(session) -> the route of its run: its own, or its neighbours' when not recorded."""
    routes: dict[int, str | None] = {}
    for run in dose_runs(sessions):
        route = next((s.entry.route for s in run if s.entry.route is not None), None)
        routes.update((id(s), route) for s in run)
    return routes


# --------------------------------------------------------------------------- phase and gaps


@dataclass(frozen=True)
class Phase:
    key: str  # "titration" | "stabilization" | "ongoing" | "none"
    days_since_first: int
    first_session: date | None
    # After a break longer than gap_weeks followed by sessions, the phase counts from the
    # restart (see course_phase): the break, the first session after it, and the days since.
    restarted_after: Gap | None = None
    restarted_with: Entry | None = None
    days_since_restart: int = 0


def treatment_phase(first_session: date | None, today: date) -> Phase:
    """The phase from the time since the first session: days 0-27 titration, 28-90
    stabilization, 91 on ongoing. Breaks in treatment restart nothing."""
    if first_session is None:
        return Phase("none", 0, None)
    days = max(0, (today - first_session).days)  # a session dated after today counts as day 0
    if days < TITRATION_DAYS:
        key = "titration"
    elif days < STABILIZATION_DAYS:
        key = "stabilization"
    else:
        key = "ongoing"
    return Phase(key, days, first_session)


@dataclass(frozen=True)
class Gap:
    """A break between two consecutive sessions longer than the gap setting."""

    start: date  # the session before the break
    end: date  # the session after it (today for a break that is still going on)
    days: int


def find_gaps(days: Sequence[date], gap_weeks: int) -> list[Gap]:
    """Breaks of more than gap_weeks weeks between consecutive session days."""
    ordered = sorted(days)
    limit = gap_weeks * 7
    return [
        Gap(a, b, (b - a).days)
        for a, b in zip(ordered, ordered[1:])
        if (b - a).days > limit
    ]


def current_break(last_session: date | None, today: date, gap_weeks: int) -> Gap | None:
    """The time since the last session, when it is already longer than a gap."""
    if last_session is None or (today - last_session).days <= gap_weeks * 7:
        return None
    return Gap(last_session, today, (today - last_session).days)


def course_phase(entries: Sequence[Entry], today: date, gap_weeks: int) -> Phase:
    """The phase from the first session, or, after a break longer than `gap_weeks` followed
    by sessions, from the restart: a restart begins a new titration (the guide's phases are
    by time since starting treatment, and a long break starts it again)."""
    days = [e.day for e in entries]
    first = days[0] if days else None
    gaps = find_gaps(days, gap_weeks)
    if not gaps:
        return treatment_phase(first, today)
    gap = gaps[-1]
    restarted = next(e for e in entries if e.day == gap.end)
    phase = treatment_phase(gap.end, today)
    whole = treatment_phase(first, today)
    return replace(whole, key=phase.key, restarted_after=gap, restarted_with=restarted,
                   days_since_restart=phase.days_since_first)


def sessions_since_break(sessions: Sequence[SessionFigures], gaps: Sequence[Gap]) -> list[SessionFigures]:
    """The sessions from the end of the last break on (all of them when there was none)."""
    if not gaps:
        return list(sessions)
    return [s for s in sessions if s.day >= gaps[-1].end]


def current_dose_run(sessions: Sequence[SessionFigures], gap_weeks: int | None = None) -> list[SessionFigures]:
    """The latest sessions at the latest session's dose and route, back to the last change of
    either (a session without a route does not end it: see dose_runs). With `gap_weeks`, a
    break longer than that ends it too: a restart is a new trial of the dose."""
    start = len(sessions)
    route: str | None = None
    while start > 0 and same_regimen(route, sessions[-1].dose_mg, sessions[start - 1]) and not (
        gap_weeks is not None and start < len(sessions)
        and (sessions[start].day - sessions[start - 1].day).days > gap_weeks * 7
    ):
        route = route or sessions[start - 1].entry.route
        start -= 1
    return list(sessions[start:])


# --------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class WindowSummary:
    """A run of consecutive sessions and its means, each with the number it rests on.
    Durations of 7+ days count as 7 (duration_beyond7 says how many)."""

    entries: list[SessionFigures]
    mean_post_mood: float | None
    post_n: int
    mean_lift: float | None
    lift_n: int
    mean_duration: float | None
    duration_n: int
    duration_beyond7: int
    first: date | None
    last: date | None
    doses: list[float]
    routes: list[str] = field(default_factory=list)  # the routes recorded in it
    duration_at_next: int = 0  # still above at the next session: lower bounds, like 7+

    @property
    def sessions(self) -> int:
        return len(self.entries)

    @property
    def lifts(self) -> list[int]:
        return [s.lift for s in self.entries if s.lift is not None]

    @property
    def durations(self) -> list[float]:
        return [s.duration.days for s in self.entries if s.duration.days is not None]


def summarize_window(sessions: Sequence[SessionFigures]) -> WindowSummary:
    post, post_n = mean_and_count(s.entry.post_mood_2h for s in sessions)
    lift, lift_n = mean_and_count(s.lift for s in sessions)
    duration, duration_n = mean_and_count(s.duration.days for s in sessions)
    return WindowSummary(
        entries=list(sessions),
        mean_post_mood=post,
        post_n=post_n,
        mean_lift=lift,
        lift_n=lift_n,
        mean_duration=duration,
        duration_n=duration_n,
        duration_beyond7=sum(s.duration.beyond_day7 for s in sessions),
        first=sessions[0].day if sessions else None,
        last=sessions[-1].day if sessions else None,
        doses=sorted({s.dose_mg for s in sessions}),
        routes=sorted({s.entry.route for s in sessions if s.entry.route is not None}),
        duration_at_next=sum(s.duration.at_next for s in sessions),
    )


@dataclass(frozen=True)
class WindowComparison:
    """The last `window` sessions against the ones before.

    slope: lift points per session, least squares over both windows (x is the session's
      position, so a session without a lift leaves a gap rather than closing up).
    direction: 'improving', 'stable', 'declining' or 'unknown'; see `decide_direction`.
    same_dose: every session of both windows was at one dose, by one route (a route not
      recorded counts as the others').
    """

    recent: WindowSummary
    previous: WindowSummary | None
    slope: float | None
    direction: str
    same_dose: bool
    change: float | None  # recent mean lift minus previous mean lift
    duration_change: float | None  # the same for effect duration (days)
    min_known: int = 2  # known lifts each window needs before they are compared (settings.min_known)
    cut_at: Gap | None = None  # the break the windows stop at, when it cut them short


def decide_direction(
    recent: Sequence[float], previous: Sequence[float], slope: float | None, settings: Settings
) -> str:
    """'declining' when the recent mean lift is below the previous one by more than the
    noise threshold even with the recent window's lowest session and the previous
    window's highest left out, and the slope points down too; 'improving' the mirror
    image; 'stable' otherwise. So no single session, however bad or good, decides it.
    'unknown' when either window has fewer known lifts than `settings.min_known`."""
    if slope is None or len(recent) < settings.min_known or len(previous) < settings.min_known:
        return "unknown"
    drop = mean_leaving_out(previous, "highest") - mean_leaving_out(recent, "lowest")
    rise = mean_leaving_out(recent, "highest") - mean_leaving_out(previous, "lowest")
    if drop > settings.noise_threshold and slope < 0:
        return "declining"
    if rise > settings.noise_threshold and slope > 0:
        return "improving"
    return "stable"


def compare_windows(sessions: Sequence[SessionFigures], settings: Settings) -> WindowComparison:
    n = settings.window
    recent_sessions = list(sessions[-n:])
    previous_sessions = list(sessions[-2 * n : -n]) if len(sessions) > n else []
    recent = summarize_window(recent_sessions)
    previous = summarize_window(previous_sessions) if previous_sessions else None
    both = previous_sessions + recent_sessions
    slope = least_squares_slope([(i, s.lift) for i, s in enumerate(both) if s.lift is not None])
    direction = decide_direction(recent.lifts, previous.lifts if previous else [], slope, settings)
    return WindowComparison(
        recent=recent,
        previous=previous,
        slope=slope,
        direction=direction,
        min_known=settings.min_known,
        same_dose=len({s.dose_mg for s in both}) == 1 and len({s.entry.route for s in both} - {None}) <= 1,
        change=_difference(recent.mean_lift, previous.mean_lift if previous else None),
        duration_change=_difference(recent.mean_duration, previous.mean_duration if previous else None),
    )


@dataclass(frozen=True)
class StateComparison:
    """Mood right before the sessions of the recent window against the window before: the
    person's state between sessions, apart from what each session does (the lift). The
    same windows, noise threshold and slope rule as the lift (see decide_direction)."""

    recent: list[SessionFigures]  # the recent window's sessions with a pre_mood
    previous: list[SessionFigures]
    recent_mean: float | None
    previous_mean: float | None
    slope: float | None
    direction: str  # 'declining' | 'improving' | 'stable' | 'unknown'


def compare_mood_before(sessions: Sequence[SessionFigures], settings: Settings) -> StateComparison:
    return compare_state(sessions, settings, lambda s: s.entry.pre_mood)


def last_follow_up_mood(s: SessionFigures) -> int | None:
    """The session's last follow-up mood recorded before the next session (day 7, else day 3,
    else day 1): how the person was when its effect had had its time."""
    for name in ("mood_day7", "mood_day3", "mood_day1"):
        value: int | None = getattr(s.entry, name)
        if value is not None and name not in s.after_next:
            return value
    return None


def compare_mood_after(sessions: Sequence[SessionFigures], settings: Settings) -> StateComparison:
    return compare_state(sessions, settings, last_follow_up_mood)


def compare_state(sessions: Sequence[SessionFigures], settings: Settings,
                  value: Callable[[SessionFigures], int | None]) -> StateComparison:
    """A mood of each session (`value`), the recent window against the one before, with the
    lift's rule (see decide_direction); sessions without the mood are left out."""
    n = settings.window
    recent_window = list(sessions[-n:])
    previous_window = list(sessions[-2 * n : -n]) if len(sessions) > n else []
    recent = [s for s in recent_window if value(s) is not None]
    previous = [s for s in previous_window if value(s) is not None]
    points = [(i, float(v)) for i, s in enumerate(previous_window + recent_window) if (v := value(s)) is not None]
    slope = least_squares_slope(points)
    recent_values = [float(v) for s in recent if (v := value(s)) is not None]
    previous_values = [float(v) for s in previous if (v := value(s)) is not None]
    return StateComparison(
        recent=recent,
        previous=previous,
        recent_mean=mean_and_count(recent_values)[0],
        previous_mean=mean_and_count(previous_values)[0],
        slope=slope,
        direction=decide_direction(recent_values, previous_values, slope, settings),
    )


def window_since_break(course: Sequence[SessionFigures], sessions: Sequence[SessionFigures],
                       gaps: Sequence[Gap], settings: Settings) -> WindowComparison:
    """The window comparison over the sessions since the last break; `cut_at` is that break when
    it cut the windows short (they would otherwise have reached back across it)."""
    window = compare_windows(course, settings)
    if len(course) < len(sessions) and len(course) < 2 * settings.window:
        window = replace(window, cut_at=gaps[-1])
    return window


# --------------------------------------------------------------------------- between sessions

# A change in how often sessions take place counts when the typical (median) days between
# sessions differ by at least this many days and by half or more (every 7 days against every
# 3-4, or every 14): a day or two either way is an ordinary change of appointment.
FREQUENCY_CHANGE_DAYS = 2
FREQUENCY_CHANGE_RATIO = 1.5


@dataclass(frozen=True)
class IntervalSummary:
    """The days between sessions in a window: each session's days since the one before it
    (the first session of the journal has none)."""

    days: list[int]
    first: date | None
    last: date | None

    @property
    def median(self) -> float | None:
        if not self.days:
            return None
        ordered = sorted(self.days)
        middle = len(ordered) // 2
        return float(ordered[middle]) if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def shortest(self) -> int | None:
        return min(self.days) if self.days else None

    @property
    def longest(self) -> int | None:
        return max(self.days) if self.days else None


@dataclass(frozen=True)
class IntervalComparison:
    """How often sessions take place, the recent window against the one before (the same
    windows as the lift). `change`: 'more often', 'less often' or '' (no clear change, or too
    few intervals: `settings.min_known` in each window are needed)."""

    recent: IntervalSummary
    previous: IntervalSummary | None
    change: str


def interval_summary(sessions: Sequence[SessionFigures]) -> IntervalSummary:
    return IntervalSummary(
        [s.interval_days for s in sessions if s.interval_days is not None],
        sessions[0].day if sessions else None,
        sessions[-1].day if sessions else None,
    )


def compare_intervals(sessions: Sequence[SessionFigures], settings: Settings) -> IntervalComparison:
    n = settings.window
    recent = interval_summary(sessions[-n:])
    previous = interval_summary(sessions[-2 * n : -n]) if len(sessions) > n else None
    change = ""
    if previous is not None and len(recent.days) >= settings.min_known and len(previous.days) >= settings.min_known:
        a, b = recent.median, previous.median
        if a is not None and b is not None and abs(a - b) >= FREQUENCY_CHANGE_DAYS and max(a, b) >= FREQUENCY_CHANGE_RATIO * max(min(a, b), 0.5):
            change = "more often" if a < b else "less often"
    return IntervalComparison(recent, previous, change)


def _difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


# --------------------------------------------------------------------------- questionnaires


@dataclass(frozen=True)
class QuestionnairePoint:
    day: date
    total: int
    band: str
    slug: str


@dataclass(frozen=True)
class Questionnaire:
    """Totals over time with their severity bands. `response` (PHQ-9 only): the first score
    at most half the first one. `remission` (PHQ-9 only): the first later score below 5,
    when the first score was 5 or more."""

    name: str
    points: list[QuestionnairePoint]
    bands: list[tuple[int, int, str]]
    response: QuestionnairePoint | None = None
    remission: QuestionnairePoint | None = None
    worse: Worsening | None = None

    @property
    def first(self) -> QuestionnairePoint | None:
        return self.points[0] if self.points else None

    @property
    def latest(self) -> QuestionnairePoint | None:
        return self.points[-1] if self.points else None

    @property
    def lowest(self) -> QuestionnairePoint | None:
        return min(self.points, key=lambda p: p.total) if self.points else None


# A rise of this many points is a worsening whatever the bands say (about the smallest
# change in a PHQ-9 or GAD-7 total that means more than measurement noise).
WORSENING_POINTS = 5
BAND_MOVE_POINTS = 3


# The latest score is compared with the scores of the last 12 months before it only. Each
# questionnaire asks about the last two weeks, and the guide calls dose-finding ongoing, as
# tolerance and life change: a low score from years ago says nothing about a rise now, and
# would flag every later score as "risen" for good. A year still holds a slow drift back over
# several months (and the guide's stabilization months, 1-3, in full).
WORSENING_SPAN_MONTHS = 12


def months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the month's last day when it has no such day)."""
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Worsening:
    """The latest score against the lowest one before it in the same span (see
    `worsening_span`): a rise of WORSENING_POINTS or more, a move into a more severe band
    (by BAND_MOVE_POINTS or more), or a response or remission reached earlier that the latest
    score no longer meets. `since`: the span's first day, when earlier scores were left out
    of it (None when it holds every score before the latest)."""

    lowest: QuestionnairePoint
    latest: QuestionnairePoint
    rise: int
    band_worse: bool
    response_lost: bool
    remission_lost: bool
    since: date | None = None


def band_index(total: int, bands: Sequence[tuple[int, int, str]]) -> int:
    return next((i for i, (low, high, _) in enumerate(bands) if low <= total <= high), len(bands))


def worsening_span(latest: date) -> date:
    """The first day whose scores the latest score (on `latest`) is compared with: 12 months
    before it. Not the restart after a break: a score that rose while sessions stopped is
    exactly what a person and their prescriber need to see."""
    return months_before(latest, WORSENING_SPAN_MONTHS)


def worsening(points: Sequence[QuestionnairePoint], bands: Sequence[tuple[int, int, str]],
              response: QuestionnairePoint | None, remission: QuestionnairePoint | None) -> Worsening | None:
    if len(points) < 2:
        return None
    latest = points[-1]
    start = worsening_span(latest.day)
    earlier = [p for p in points[:-1] if p.day >= start]
    since = start if len(earlier) < len(points) - 1 else None
    response_lost = response is not None and response is not latest and latest.total > points[0].total / 2
    remission_lost = remission is not None and remission is not latest and latest.total >= PHQ9_REMISSION_BELOW
    if not earlier:
        if response_lost or remission_lost:
            return Worsening(latest, latest, 0, False, response_lost, remission_lost, since)
        return None
    lowest = min(earlier, key=lambda p: p.total)  # the earliest of equal lowest scores
    rise = latest.total - lowest.total
    # A band boundary crossed by a point or two is within noise: the move counts from 3 points.
    band_worse = rise >= BAND_MOVE_POINTS and band_index(latest.total, bands) > band_index(lowest.total, bands)
    if rise >= WORSENING_POINTS or band_worse or response_lost or remission_lost:
        return Worsening(lowest, latest, rise, band_worse, response_lost, remission_lost, since)
    return None


def band_of(total: int, bands: Sequence[tuple[int, int, str]]) -> str:
    for low, high, name in bands:
        if low <= total <= high:
            return name
    return "out of range"


def questionnaire(name: str, sessions: Sequence[SessionFigures]) -> Questionnaire:
    bands = PHQ9_BANDS if name == "PHQ-9" else GAD7_BANDS
    points = []
    for s in sessions:
        scores = s.entry.scores
        total = None
        if scores is not None:
            total = scores.phq9_total if name == "PHQ-9" else scores.gad7_total
        if total is not None:
            points.append(QuestionnairePoint(s.day, total, band_of(total, bands), s.entry.slug))
    response = remission = None
    if name == "PHQ-9" and points:
        baseline = points[0].total
        later = points[1:]
        if baseline > 0:
            response = next((p for p in later if p.total <= baseline / 2), None)
        if baseline >= PHQ9_REMISSION_BELOW:
            remission = next((p for p in later if p.total < PHQ9_REMISSION_BELOW), None)
    return Questionnaire(name, points, list(bands), response, remission, worsening(points, bands, response, remission))


# --------------------------------------------------------------------------- everything


@dataclass(frozen=True)
class Trends:
    settings: Settings
    today: date
    sessions: list[SessionFigures]
    dose_levels: list[DoseLevel]
    phase: Phase
    gaps: list[Gap]
    current_break: Gap | None
    current_dose: float | None
    # The current run (see current_dose_run): when it began and how many sessions it holds, in
    # the whole journal. A copy that leaves earlier sessions out (a provider's `since`) still
    # counts the run from its start: `current_run_left_out` of its sessions are not in `sessions`.
    current_dose_since: date | None
    sessions_at_current_dose: int
    adequate_trial_reached: bool
    window: WindowComparison
    mood_before: StateComparison
    mood_after: StateComparison  # the last follow-up before the next session (see last_follow_up_mood)
    phq9: Questionnaire
    gad7: Questionnaire
    missing_follow_ups: dict[str, int]  # mood field -> sessions where it was left empty after its day
    pending_follow_ups: dict[str, int]  # mood field -> sessions where it is not due yet
    current_route: str | None = None  # the current run's route (see dose_runs)
    several_routes: bool = False  # more than one route recorded: doses are named with theirs
    covers_from: date | None = None  # the first day these figures cover, when earlier sessions were left out
    current_run_left_out: int = 0  # sessions of the current run before `covers_from` (see with_earlier_sessions)

    @cached_property
    def prescriber_names(self) -> dict[str, str]:
        """Each provider as written in the sessions -> the one name shown for that prescriber:
        the `providers` setting's name, else the best-formed, most used spelling (see
        generator.providers.display_names)."""
        written = (s.entry.provider for s in self.sessions if s.entry.provider is not None)
        return display_names(written, Prescribers(self.settings.providers))

    def prescriber(self, spelling: str) -> str:
        return self.prescriber_names.get(spelling) or Prescribers(self.settings.providers).resolve(spelling)

    def prescriber_key(self, spelling: str) -> str:
        """Two spellings with the same key are one prescriber."""
        return name_key(self.prescriber(spelling))

    @cached_property
    def routes_by_session(self) -> dict[int, str | None]:
        """id(session) -> the route of its run (see run_routes)."""
        return run_routes(self.sessions)

    @property
    def between(self) -> IntervalComparison:
        """How often sessions take place, recent against before (see `compare_intervals`), over
        the sessions since the last break: the break itself is not an interval between sessions."""
        course = sessions_since_break(self.sessions, self.gaps)
        if self.gaps and course:
            course = [replace(course[0], interval_days=None), *course[1:]]
        return compare_intervals(course, self.settings)

    @property
    def current_run(self) -> list[SessionFigures]:
        """The sessions at the current dose since the last change of dose, of those these
        figures hold (in a copy that left earlier sessions out, the run's later part)."""
        return self.sessions[len(self.sessions) - (self.sessions_at_current_dose - self.current_run_left_out) :]


def compute_trends(entries: Sequence[Entry], today: date, settings: Settings = Settings()) -> Trends:
    """All figures for a journal's valid entries (the signals and talking points are found from
    them: see `generator.analysis.analyse`)."""
    ordered = sorted(entries, key=lambda e: e.sort_key)
    sessions = [
        session_figures(e, today, ordered[i - 1] if i else None, ordered[i + 1] if i + 1 < len(ordered) else None)
        for i, e in enumerate(ordered)
    ]
    run = current_dose_run(sessions, settings.gap_weeks)
    gaps = find_gaps([s.day for s in sessions], settings.gap_weeks)
    several_routes = len({s.entry.route for s in sessions} - {None}) > 1
    # Windows never reach back across a break: a restart is compared with itself only.
    course = sessions_since_break(sessions, gaps)
    missing: Counter[str] = Counter(n for s in sessions for n in s.missing)
    pending: Counter[str] = Counter(n for s in sessions for n in s.pending)
    return Trends(
        settings=settings,
        today=today,
        sessions=sessions,
        dose_levels=dose_levels(sessions),
        phase=course_phase(ordered, today, settings.gap_weeks),
        gaps=gaps,
        current_break=current_break(sessions[-1].day if sessions else None, today, settings.gap_weeks),
        current_dose=run[0].dose_mg if run else None,
        current_route=next((s.entry.route for s in run if s.entry.route is not None), None),
        several_routes=several_routes,
        current_dose_since=run[0].day if run else None,
        sessions_at_current_dose=len(run),
        adequate_trial_reached=len(run) >= settings.adequate_trial,
        window=window_since_break(course, sessions, gaps, settings),
        mood_before=compare_mood_before(course, settings),
        mood_after=compare_mood_after(course, settings),
        phq9=questionnaire("PHQ-9", sessions),
        gad7=questionnaire("GAD-7", sessions),
        missing_follow_ups={n: missing[n] for n in MOOD_FIELDS if missing[n]},
        pending_follow_ups={n: pending[n] for n in MOOD_FIELDS if pending[n]},
    )


def with_earlier_sessions(trends: Trends, earlier: Sequence[Entry], covers_from: date) -> Trends:
    """The figures of a part of a journal (the sessions from `covers_from` on: a provider's
    copy with `since`), with what that part alone would get wrong taken from the whole journal
    (the `earlier` sessions and these): the phase of treatment counts from the first session,
    and the current dose's run from its first session, with its length and whether it has had
    an adequate trial. Nothing else of the earlier sessions enters the figures."""
    if not earlier:
        return trends
    every = sorted([*earlier, *(s.entry for s in trends.sessions)], key=lambda e: e.sort_key)
    settings = trends.settings
    phase = course_phase(every, trends.today, settings.gap_weeks)
    if not trends.sessions:
        return replace(trends, phase=phase, covers_from=covers_from)
    figures = [session_figures(e, trends.today) for e in every]
    run = current_dose_run(figures, settings.gap_weeks)
    shown = trends.sessions_at_current_dose
    return replace(
        trends,
        phase=phase,
        covers_from=covers_from,
        current_dose_since=run[0].day,
        current_route=next((s.entry.route for s in run if s.entry.route is not None), None),
        sessions_at_current_dose=len(run),
        current_run_left_out=len(run) - shown,
        adequate_trial_reached=len(run) >= settings.adequate_trial,
    )
