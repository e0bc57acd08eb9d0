"""Words: where a figure becomes text.

Every sentence the report shows about the person's figures is written here: each finding of
`generator.signals` in two voices (to the person in their own report, about "the patient" for
the clinician who reads the export's summary: see `Voice`), the talking points (the same facts
in the first person, to read out or hand over), and the check-in sheet's short statements.
Nothing here suggests a dose: the words describe, the person and their prescriber decide.
`tests/test_signals.py` scans every sentence for dose advice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from .entries import TOLERABILITY_LEVELS, Entry
from .signals import (
    HARD_TO_TOLERATE,
    DoseDrop,
    Finding,
    HardToTolerate,
    MissingMoods,
    OneBadSession,
    Overlap,
    QuestionnaireWorse,
    SelfHarm,
    SideEffectChanges,
    StateDecline,
    StoodOut,
    TrialWithoutBenefit,
    Unusual,
    adequate_trial_state,
    fading_amount,
    restart_cut,
    score_age_weeks,
    side_effect_changes,
    stood_out,
)
from .trends import (
    DUE_AFTER_DAYS,
    MOOD_WORDS,
    DoseLevel,
    IntervalSummary,
    Phase,
    Questionnaire,
    QuestionnairePoint,
    SessionFigures,
    Trends,
    WindowComparison,
    WindowSummary,
    days_text,
    dose_text,
    format_dose,
    join_words,
)

# Signals list at most this many entries as evidence, the most recent ones.
EVIDENCE_LIMIT = 12

# The mood fields as a sentence names them with the name written in the entry ("the day-3 mood
# (mood_day3)"), from the one table of their names (MOOD_WORDS).
FIELD_WORDS = {name: f"the {MOOD_WORDS[name]} ({name})" for name in ("pre_mood", "post_mood_2h", "mood_day1", "mood_day3", "mood_day7")}

# The fields as a table's row or column names them (the export's summary, "what was recorded").
FIELD_LABELS: dict[str, str] = {
    "pre_mood": "Mood before the session",
    "post_mood_2h": "Mood 2 hours after",
    "mood_day1": "Mood on day 1",
    "mood_day3": "Mood on day 3",
    "mood_day7": "Mood on day 7",
    "dissociation": "Dissociation",
    "side_effects": "Side effects",
    "tolerability": "Tolerability of side effects",
    "route": "Route",
    "hold_time_min": "Hold time",
    "provider": "Provider",
}


# --------------------------------------------------------------------------- numbers, days and plurals
# format_dose, dose_text, join_words, days_text and MOOD_WORDS are still defined in trends and
# imported above: trends' Duration.text() and Trends.dose_text(), which charts.py calls as
# methods, use them. Import them from here.

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


# --------------------------------------------------------------------------- the figures' own words


def phase_name(phase: Phase) -> str:
    return PHASE_NAMES[phase.key]


def phase_restart(trends: Trends) -> str:
    """'Restarted 4 Oct 2026 after a 5-month break, at 50 mg; the phase counts from then (58 days)';
    "" when the phase does not count from a restart."""
    phase = trends.phase
    gap, restarted = phase.restarted_after, phase.restarted_with
    if gap is None or restarted is None:
        return ""
    return (
        f"Restarted {format_day(gap.end)} after a {break_words(gap.days)} break, at "
        f"{dose_text(restarted.dose_mg, restarted.route, trends.several_routes)}; the phase counts from then "
        f"({phase.days_since_restart} days)"
    )


def window_basis(w: WindowComparison) -> str:
    """What the direction of the lift rests on: 'based on 12 sessions (6 recent, 6 before)', or
    'too few sessions to say (...)'; and the break that cut the windows short, if one did."""
    recent, previous = w.recent, w.previous
    if w.direction == "unknown":
        basis = (
            f"too few sessions to say ({recent.lift_n} recent and "
            f"{previous.lift_n if previous else 0} earlier sessions with a recorded lift; "
            f"{w.min_known} of each are needed)"
        )
    else:
        basis = (
            f"based on {sessions_word(recent.lift_n + previous.lift_n)} "  # type: ignore[union-attr]
            f"({recent.lift_n} recent, {previous.lift_n} before)"  # type: ignore[union-attr]
        )
    if w.cut_at is not None:
        basis += (
            f"; only sessions since the restart on {format_day(w.cut_at.end)}, after a "
            f"{break_words(w.cut_at.days)} break"
        )
    return basis


def dates_text(window: WindowSummary) -> str:
    return format_range(window.first, window.last) if window.first and window.last else "no sessions"


def level_text(trends: Trends, level: DoseLevel) -> str:
    """A dose level: '150 mg', or '200 mg intranasal' when routes differ in the journal."""
    return dose_text(level.dose_mg, level.route, trends.several_routes)


def current_dose_text(trends: Trends) -> str:
    """'200 mg', or '200 mg intranasal' when routes differ in the journal."""
    return "" if trends.current_dose is None else trends.dose_text(trends.current_dose, trends.current_route)


def current_hold_text(trends: Trends) -> str:
    holds = [s.entry.hold_time_min for s in trends.current_run if s.entry.hold_time_min is not None]
    return hold_text((min(holds), max(holds)) if holds else None)


def regimens_text(trends: Trends, sessions: Sequence[SessionFigures]) -> str:
    """The doses of some sessions: 'doses from 100 mg to 150 mg' as format_doses, or with
    routes in order of appearance when routes differ ('200 mg sublingual and 200 mg intranasal')."""
    if not trends.several_routes:
        return format_doses(s.dose_mg for s in sessions)
    seen = dict.fromkeys((s.dose_mg, trends.routes_by_session.get(id(s), s.entry.route)) for s in sessions)
    return join_words([trends.dose_text(dose, route) for dose, route in seen]) or "no recorded dose"


@dataclass(frozen=True)
class FigureWords:
    """The figures' words for the templates, as `words`: {{ words.phase_name }},
    {{ words.level_text(level) }}, {{ words.hold_text(level) }} and so on."""

    trends: Trends
    phase_name: str
    phase_restart: str
    window_basis: str
    current_dose_text: str
    current_hold_text: str

    @classmethod
    def of(cls, trends: Trends) -> FigureWords:
        return cls(trends, phase_name(trends.phase), phase_restart(trends), window_basis(trends.window),
                   current_dose_text(trends), current_hold_text(trends))

    def level_text(self, level: DoseLevel) -> str:
        return level_text(self.trends, level)

    def hold_text(self, level: DoseLevel) -> str:
        return hold_text(level.hold_time_min)

    def sentences(self) -> list[str]:
        """Every sentence written about the figures themselves, for the dose-advice scan."""
        restart = [self.phase_restart] if self.phase_restart else []
        return [self.phase_name, self.window_basis, *restart, *(s.duration.text() for s in self.trends.sessions)]


def bands_text(bands: Sequence[tuple[int, int, str]]) -> str:
    """A questionnaire's severity bands, '0-4 minimal, 5-9 mild, ...': written from the one
    table of bands (trends.PHQ9_BANDS, GAD7_BANDS)."""
    return ", ".join(f"{low}-{high} {name}" for low, high, name in bands)


# --------------------------------------------------------------------------- a finding, worded


@dataclass(frozen=True)
class Evidence:
    """One entry behind a signal, with the numbers that made it count."""

    slug: str
    day: date
    text: str


@dataclass(frozen=True)
class Signal:
    """One finding, worded twice from the same figures: `title` and `text` speak to the
    person in their own report ("your last 6 sessions ... worth discussing with your
    prescriber"); `clinician_title` and `clinician_text` speak about them to the clinician
    who reads the export's summary ("the last 6 sessions ... worth discussing with the
    patient"). Evidence and numbers are the same for both readers."""

    key: str
    level: str  # "safety" | "discuss" | "wait" | "info"
    title: str
    text: str
    clinician_title: str
    clinician_text: str
    evidence: list[Evidence]
    numbers: dict[str, float | int | str]
    # A shorter text for the one-page check-in sheet, when the full one holds details the
    # overview shows anyway (which sessions overlap, how to fix a setting); "" means `text`.
    sheet_text: str = ""


@dataclass(frozen=True)
class TalkingPoints:
    state: str
    efficacy: str
    side_effects: str
    questions: list[str]
    limits: list[str]
    between: str = ""  # how often sessions take place, in the first person


# --------------------------------------------------------------------------- who reads it


@dataclass(frozen=True)
class Voice:
    """The words that change with the reader. A signal's text is written once, as a
    function of a Voice, and called with both, so the two wordings share every figure.

    the: before the person's data ("your last 6 sessions" / "the last 6 sessions").
    whose: a possessive that must name the person ("your mood" / "the patient's mood").
    discuss_with: who the finding is worth discussing with.
    """

    key: str
    the: str
    whose: str
    discuss_with: str

    def cap(self, word: str) -> str:
        return word[:1].upper() + word[1:]


PATIENT = Voice("patient", the="your", whose="your", discuss_with="your prescriber")
CLINICIAN = Voice("clinician", the="the", whose="the patient's", discuss_with="the patient")


# --------------------------------------------------------------------------- shared wording


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


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


def session_label(s: SessionFigures) -> str:
    return f"{format_day(s.day)} ({format_dose(s.dose_mg)})"


def lift_evidence(s: SessionFigures) -> Evidence:
    e = s.entry
    if s.lift is None:
        text = f"{session_label(s)}: lift unknown ({MOOD_WORDS['pre_mood' if e.pre_mood is None else 'post_mood_2h']} empty)"
    else:
        text = f"{session_label(s)}: mood {e.pre_mood} before, {e.post_mood_2h} two hours after, a lift of {signed(s.lift)}"
    return Evidence(e.slug, s.day, text)


def after_next_words(s: SessionFigures) -> str:
    """'after the next session, 1 Oct 2026': how a follow-up dated after the next session is marked."""
    return f"after the next session, {format_day(s.next_day)}" if s.next_day is not None else ""


def duration_evidence(s: SessionFigures) -> Evidence:
    e = s.entry
    moods = [
        f"{label} {value if value is not None else 'not recorded'}"
        + (f" ({after_next_words(s)})" if name in s.after_next else "")
        for label, name, value in (
            ("2 hours", "post_mood_2h", e.post_mood_2h),
            ("day 1", "mood_day1", e.mood_day1),
            ("day 3", "mood_day3", e.mood_day3),
            ("day 7", "mood_day7", e.mood_day7),
        )
    ]
    text = f"{session_label(s)}: mood {e.pre_mood} before; {', '.join(moods)}; effect lasted {s.duration.text()}"
    return Evidence(e.slug, s.day, text)


def recent_evidence(items: Sequence[Evidence]) -> list[Evidence]:
    """The most recent evidence, in date order, at most EVIDENCE_LIMIT items."""
    return sorted(items, key=lambda ev: ev.day)[-EVIDENCE_LIMIT:]


# --------------------------------------------------------------------------- the findings, worded


def worded(f: Finding, title: str, text: str, clinician_text: str, evidence: list[Evidence],
           clinician_title: str = "", sheet_text: str = "") -> Signal:
    """A finding with its words: the clinician's title is the person's unless given."""
    return Signal(f.key, f.level, title, text, clinician_title or title, clinician_text, evidence, f.numbers, sheet_text)


def in_both_voices(f: Finding, title: str, words: Callable[[Voice], str], evidence: list[Evidence],
                   clinician_title: str = "") -> Signal:
    """A finding whose text is one function of the reader (`words`), called for both."""
    return worded(f, title, words(PATIENT), words(CLINICIAN), evidence, clinician_title)


def stood_out_low(o: StoodOut) -> str:
    """'a lift of -2 points, against +3.0 typical of the other 4 sessions at that dose in the window'."""
    return (
        f"a lift of {signed(o.session.lift)} points, against {signed(o.typical, 1)} typical of the other "  # type: ignore[arg-type]
        f"{sessions_word(o.others)} at that dose in the window"
    )


def stood_out_harsh(o: StoodOut) -> str:
    return f"strong dissociation with {join_words(o.harsh)}"


def self_harm_words(trends: Trends, f: SelfHarm) -> Signal:
    flagged, later = f.flagged, f.later
    latest = flagged[-1]
    evidence = [
        Evidence(
            s.entry.slug,
            s.day,
            f"{format_day(s.day)}: PHQ-9 question 9 answered {s.entry.scores.phq9_item9} (of 3)"  # type: ignore[union-attr]
            f", PHQ-9 total {s.entry.scores.phq9_total}",  # type: ignore[union-attr]
        )
        for s in flagged
    ]
    entries = plural(len(flagged), "entry", "entries")
    crisis = trends.settings.crisis_line
    if later is None:
        title = "Thoughts of self-harm recorded: please reach out now"
        text = (
            "Your PHQ-9 answers record thoughts that you would be better off dead or of hurting "
            f"yourself (question 9 answered above 0) in {entries}, "
            f"most recently on {format_day(latest.day)}. Please contact your prescriber now, without waiting "
            f"for your next appointment. If you might act on these thoughts or are not safe, contact {crisis} "
            "or your local emergency number straight away, and tell someone you trust."
        )
        told = (
            f"asking them to contact their prescriber now, and {crisis} or their local emergency number "
            "if they are not safe, and to tell someone they trust"
        )
    else:
        title = "Thoughts of self-harm recorded earlier: make sure your prescriber knows"
        text = (
            "Your PHQ-9 answers recorded thoughts that you would be better off dead or of hurting "
            f"yourself (question 9 answered above 0) in {entries}, most recently on "
            f"{format_day(latest.day)}; your PHQ-9 of {format_day(later.day)} answered that question 0. "
            "Please make sure your prescriber knows about it. If such thoughts come back, contact your "
            f"prescriber straight away, and if you are not safe, contact {crisis} or your local emergency "
            "number, and tell someone you trust. This notice stays at the top of the report so that it "
            "is not missed."
        )
        told = (
            "asking them to make sure their prescriber knows, and to contact their prescriber straight "
            f"away, or {crisis} or their local emergency number if they are not safe, if such thoughts "
            "come back, and to tell someone they trust"
        )

    # For the clinician: the facts and their dates, soberly; what the patient's own report
    # told them; and the latest answer to question 9, when a later one was 0.
    def answered_on(s: SessionFigures) -> str:
        return f"{format_day(s.day)} (answered {s.entry.scores.phq9_item9} of 3)"  # type: ignore[union-attr]

    when = (
        join_words([answered_on(s) for s in flagged]) if len(flagged) <= 6
        else f"first on {format_day(flagged[0].day)} and most recently on {answered_on(latest)}"
    )
    clinician = (
        "The patient's PHQ-9 answers record thoughts of being better off dead or of self-harm "
        f"(question 9 answered above 0) in {entries}: {when}."
    )
    if later is not None:
        clinician += (
            f" On the last PHQ-9 answered item by item, on {format_day(later.day)}, "
            f"question 9 was answered {later.entry.scores.phq9_item9}."  # type: ignore[union-attr]
        )
    clinician += f" The patient's own report shows a notice at its top {told}."
    return worded(
        f, title, text, clinician,
        evidence=recent_evidence(evidence),
        clinician_title="Thoughts of self-harm recorded (PHQ-9 question 9)",
    )


def overlapping_prescribers_words(trends: Trends, f: Overlap) -> Signal:
    involved, inside = f.involved, f.inside

    def name(group: Sequence[SessionFigures]) -> str:
        return trends.prescriber(group[0].entry.provider)  # type: ignore[arg-type]

    described = join_words([
        f"{name(p)} ({format_range(p[0].day, p[-1].day)}, {sessions_word(len(p))})" for p in involved
    ])
    overlapping = []
    for p in involved:
        days = sorted(s.day for s in p if s.entry.slug in inside)
        if not days:
            continue
        when = join_words([format_day(d) for d in days]) if len(days) <= 6 else (
            f"{sessions_word(len(days))}, {format_range(days[0], days[-1])}"
        )
        overlapping.append(f"{when} with {name(p)}")
    periods = (
        f"names {len(involved)} prescribers over the same period: {described}. "
        f"Sessions inside another prescriber's period: {'; '.join(overlapping)}."
    )
    text = (
        f"Your journal {periods} "
        "Receiving ketamine from more than one prescriber at a time carries serious safety and "
        "legal risks: please tell each prescriber about the other. One prescriber at a time means "
        "ending treatment with one before the other prescribes anything. If an entry names "
        "the wrong provider, correct that entry; if two of these names are one prescriber written "
        "in different ways, list them under one name in the providers setting in mkdocs.yml."
    )
    clinician = (
        f"The journal {periods} This is worth discussing with the patient; an entry may also name "
        "the wrong provider, or one prescriber may be written in two ways."
    )
    evidence = [
        Evidence(s.entry.slug, s.day, f"{session_label(s)}: prescribed by {s.entry.provider}") for s in inside.values()
    ]
    return worded(
        f, "More than one prescriber at the same time", text, clinician,
        evidence=recent_evidence(evidence),
        sheet_text=(
            f"Your journal names {len(involved)} prescribers over the same period: {described}. Receiving "
            "ketamine from more than one prescriber at a time carries serious safety and legal risks: "
            "please tell each prescriber about the other. The overview lists the sessions that overlap."
        ),
    )


def new_provider_dose_drop_words(trends: Trends, f: DoseDrop) -> Signal:
    before, after, gap = f.before, f.after, f.gap
    old, new_name = trends.prescriber(before.entry.provider), trends.prescriber(after.entry.provider)  # type: ignore[arg-type]
    pause = f", after a {break_words(gap.days)} break" if gap else ""

    def facts(v: Voice) -> str:
        return (
            f"{v.cap(v.the)} first session with {new_name}, on {format_day(after.day)}{pause}, was at "
            f"{format_dose(after.dose_mg)}: half or less of the {format_dose(before.dose_mg)} of {v.the} last session "
            f"with {old}, on {format_day(before.day)}."
        )

    text = (
        f"{facts(PATIENT)} A new prescriber can have good reasons to start below an earlier dose, and the "
        "journal cannot tell them; but restarting from the bottom without looking at your history is one of the "
        "warning signs in how a provider handles dosing. Sharing your dosing history (journal export) and asking "
        f"{new_name} how they chose this dose is worth doing."
    )
    clinician = (
        f"{facts(CLINICIAN)} The journal cannot tell the reason; whether the dosing history was available "
        "when this dose was chosen is worth discussing with the patient."
    )
    title = "A new prescriber started at half the earlier dose or less"
    return worded(
        f, title, text, clinician,
        evidence=[
            Evidence(s.entry.slug, s.day, f"{session_label(s)}: prescribed by {s.entry.provider}") for s in (before, after)
        ],
    )


def benefit_declining_words(trends: Trends, f: Finding) -> Signal:
    w = trends.window
    recent, previous = w.recent, w.previous
    assert previous is not None
    routes = recent.routes or previous.routes
    dose = trends.dose_text(recent.doses[0], routes[0] if routes else None)

    def words(v: Voice) -> str:
        return (
            f"At {dose} throughout, {v.the} average lift (mood two hours after a "
            f"session minus mood before it) was {points_text(recent.mean_lift)} over {v.the} last "  # type: ignore[arg-type]
            f"{sessions_word(recent.lift_n)} ({dates_text(recent)}), against "
            f"{points_text(previous.mean_lift)} over the {sessions_word(previous.lift_n)} before "  # type: ignore[arg-type]
            f"({dates_text(previous)}). The drop is larger than {trends.settings.noise_threshold:g} "
            "point of ordinary variation even with the single lowest recent session left out, and "
            "the trend line across these sessions points down, so it is not one bad day. A decline "
            f"over several sessions at the same dose is worth discussing with {v.discuss_with}."
        )

    title = "The benefit has declined over several sessions at the same dose"
    return in_both_voices(f, title, words, evidence=recent_evidence([lift_evidence(s) for s in previous.entries + recent.entries]))


def effect_fading_words(trends: Trends, f: Finding) -> Signal:
    w = trends.window
    recent, previous = w.recent, w.previous
    assert previous is not None
    doses = regimens_text(trends, previous.entries + recent.entries)

    def words(v: Voice) -> str:
        return (
            f"{v.cap(v.whose)} mood now returns to its pre-session level after {duration_mean_text(recent)} on "
            f"average ({sessions_word(recent.duration_n)} with the follow-ups needed, "
            f"{dates_text(recent)}), against {duration_mean_text(previous)} over the sessions "
            f"before ({dates_text(previous)}; {duration_basis(previous)}), at {doses}. "
            "The difference holds with the single shortest recent session left out. An effect "
            f"that fades noticeably sooner than it used to is worth discussing with {v.discuss_with}."
        )

    title = "The effect fades sooner than it used to"
    return in_both_voices(
        f, title, words,
        evidence=recent_evidence(
            [duration_evidence(s) for s in previous.entries + recent.entries if s.duration.known]
        ),
    )


def adequate_trial_not_reached_words(trends: Trends, f: Finding) -> Signal:
    k, needed = trends.sessions_at_current_dose, trends.settings.adequate_trial
    dose = current_dose_text(trends)
    facts = (
        f"Only {sessions_word(k)} at {dose} so far (since "
        f"{format_day(trends.current_dose_since)}); fewer than the {needed} of an adequate trial. "  # type: ignore[arg-type]
        "Until then, differences between sessions say little about the dose itself"
    )
    text = (
        f"{facts}; how long to stay at a dose before reassessing is a question for your "
        "prescriber. Recording each session and its follow-ups keeps the figures ready for that "
        "conversation."
    )
    title = f"Too early to judge {dose}"
    return worded(
        f, title, text, f"{facts}.",
        evidence=recent_evidence([lift_evidence(s) for s in trends.current_run]),
    )


def adequate_trial_without_benefit_words(trends: Trends, f: TrialWithoutBenefit) -> Signal:
    settings = trends.settings
    run = trends.current_run
    mean, n, before = f.mean, f.n, f.before
    dose = current_dose_text(trends)

    def opening(v: Voice) -> str:
        return (
            f"After {sessions_word(len(run))} at {dose} (since {format_day(run[0].day)}), {v.the} average "
            f"lift two hours after a session is {points_text(mean)} ({based_on(n)})"
        )

    if not f.below_before:
        title = f"An adequate trial of {dose} has not brought a clear benefit"

        def words(v: Voice) -> str:
            return (
                f"{opening(v)}, which is within the {settings.noise_threshold:g} point that ordinary "
                "day-to-day variation can explain. An adequate trial without a clear benefit is worth "
                f"discussing with {v.discuss_with}."
            )
    else:
        title = f"An adequate trial of {dose} has not brought the benefit seen before"
        before_mean = f.before_mean
        assert before_mean is not None  # below the benefit before: there was one

        def words(v: Voice) -> str:
            return (
                f"{opening(v)}, against {points_text(before_mean)} over the {sessions_word(f.before_n)} at "
                f"{regimens_text(trends, before)} before it ({format_range(before[0].day, before[-1].day)}). "
                "An adequate trial that has not brought the benefit seen before is worth discussing "
                f"with {v.discuss_with}."
            )
    return in_both_voices(f, title, words, evidence=recent_evidence([lift_evidence(s) for s in before + run]))


def adequate_trial_status(trends: Trends) -> str:
    """Why `adequate_trial_without_benefit` does not fire, in the person's words (for the
    checklist item it decides); "" when it fires or there is no session."""
    settings = trends.settings
    state = adequate_trial_state(trends)
    if state.state in ("none", "fires"):
        return ""
    run, n = state.run, state.n
    dose = current_dose_text(trends)
    if state.state == "not_reached":
        return (
            f"{dose} has had {sessions_word(len(run))} so far, fewer than the {settings.adequate_trial} "
            "of an adequate trial."
        )
    if state.state == "too_few_known":
        return (
            f"only {n} of the {sessions_word(len(run))} at {dose} have a known lift, fewer than the "
            f"{settings.adequate_trial} needed to judge the trial."
        )
    mean = state.mean
    status = (
        f"at {dose} your average lift is {points_text(mean)} over {sessions_word(n)} "
        f"(since {format_day(run[0].day)}), more than the {settings.noise_threshold:g} point that "
        "ordinary variation can explain"
    )
    before, before_mean, before_n = state.before, state.before_mean, state.before_n
    if before_mean is not None and before_n:
        earlier = f"the {points_text(before_mean)} at {regimens_text(trends, before)} before it"
        if mean >= before_mean:
            status += f", and not lower than {earlier}"
        elif before_mean - mean <= settings.noise_threshold:
            status += f", and within that of {earlier}"
        else:  # lower by more, but the dose before has too few sessions to compare with
            needed = min(settings.adequate_trial, settings.min_known)
            status += (
                f"; it is lower than {earlier}, but that rests on {sessions_word(before_n)}, fewer than the "
                f"{needed} needed to compare"
            )
    return status + "."


# What each state finding compares, its titles (to the person, for the clinician), and how its
# evidence names the mood.
STATE_WORDS = {
    "mood_before_declining": (
        "mood right before a session",
        ("Your mood before sessions has fallen", "Mood before sessions has fallen"),
        "mood {} before the session",
    ),
    "mood_after_declining": (
        "mood at the last follow-up before the next session",
        ("Your mood at the last follow-up has fallen", "Mood at the last follow-up has fallen"),
        "last follow-up mood {}",
    ),
}


def state_declining_words(trends: Trends, f: StateDecline) -> Signal:
    m, value = f.comparison, f.value
    what, titles, evidence_words = STATE_WORDS[f.key]
    recent = format_range(m.recent[0].day, m.recent[-1].day)
    previous = format_range(m.previous[0].day, m.previous[-1].day)

    def words(v: Voice) -> str:
        return (
            f"{v.cap(v.whose)} {what} averaged {m.recent_mean:.1f} over {v.the} last "
            f"{sessions_word(len(m.recent))} ({recent}), against {m.previous_mean:.1f} over the "
            f"{sessions_word(len(m.previous))} before ({previous}). The drop is larger than "
            f"{trends.settings.noise_threshold:g} point of ordinary variation even with the single lowest "
            "recent session left out, and the trend across these sessions points down. Feeling worse "
            f"between sessions is worth discussing with {v.discuss_with}, whatever the lift after each "
            "session shows."
        )

    return in_both_voices(
        f, titles[0], words, clinician_title=titles[1],
        evidence=recent_evidence([
            Evidence(s.entry.slug, s.day, f"{session_label(s)}: {evidence_words.format(value(s))}")
            for s in m.previous + m.recent
        ]),
    )


def lost_sentences(q: Questionnaire, subject: str) -> list[str]:
    """'It had come down to half the first score or less on 14 Aug (8, against 16 at first);
    the latest, 12 on 19 Nov, is above that half again, so that response is no longer met.'
    and the same for remission. `subject` starts the sentence ('It', 'Your PHQ-9 score')."""
    said: list[str] = []
    worse, first = q.worse, q.first
    if worse is None or first is None:
        return said
    latest = worse.latest
    if worse.response_lost and q.response is not None:
        said.append(
            f"{subject} had come down to half the first score or less on "
            f"{format_day(q.response.day)} ({q.response.total}, against {first.total} at first); the latest, "
            f"{latest.total} on {format_day(latest.day)}, is above that half again, so that response is no longer met."
        )
    if worse.remission_lost and q.remission is not None:
        said.append(
            f"{subject} had come below 5 on {format_day(q.remission.day)}; the latest, "
            f"{latest.total} on {format_day(latest.day)}, is 5 or more, so that remission is no longer met."
        )
    return said


def questionnaire_worse_words(trends: Trends, f: QuestionnaireWorse) -> Signal:
    q, rose = f.questionnaire, f.rose
    worse = q.worse
    assert worse is not None
    lowest, latest = worse.lowest, worse.latest

    def words(v: Voice) -> str:
        said = []
        if rose:
            said.append(
                f"{v.cap(v.whose)} {q.name} score rose from {score_text(lowest)} to {score_text(latest)}."
            )
        said += lost_sentences(q, "It" if rose else f"{v.cap(v.whose)} {q.name} score")
        said.append(f"A rise in these scores is worth discussing with {v.discuss_with}, whatever each session's lift shows.")
        return " ".join(said)

    if rose:
        title, clinician_title = f"Your {q.name} score has risen", f"{q.name} score has risen"
    else:
        title, clinician_title = f"Your {q.name} response is no longer met", f"{q.name} response no longer met"
    return in_both_voices(
        f, title, words, clinician_title=clinician_title,
        evidence=[
            Evidence(p.slug, p.day, f"{format_day(p.day)}: {q.name} {p.total} ({p.band})")
            for p in sorted({id(p): p for p in (lowest, q.response, q.remission, latest) if p is not None}.values(), key=lambda p: p.day)
        ],
    )


def one_bad_session_words(trends: Trends, f: OneBadSession) -> Signal:
    latest, others, typical = f.latest, f.others, f.typical
    routes = trends.routes_by_session

    def facts(v: Voice) -> str:
        return (
            f"{v.cap(v.the)} latest session, on {format_day(latest.day)} at {trends.dose_text(latest.dose_mg, routes.get(id(latest)))}, had a "
            f"lift of {signed(latest.lift)} points, well below the {signed(typical, 1)} points typical of the "  # type: ignore[arg-type]
            f"{sessions_word(len(others))} before it ({format_range(others[0].day, others[-1].day)}), "
            "which were steady."
        )

    text = (
        f"{facts(PATIENT)} One session like this is within normal variability and is not, on "
        "its own, a reason to change the dose. Noting what was different that day (sleep, stress, "
        "illness) and seeing how the next sessions go will tell more."
    )
    clinician = (
        f"{facts(CLINICIAN)} A single session like this is within normal variability; the "
        "sessions that follow will show whether it stands alone."
    )
    title = "One session below the rest: normal variability"
    if f.beside_safety:
        # Beside a safety notice, nothing on the page may sound like "no need to act".
        title = "One session below the rest"
        text = f"{facts(PATIENT)} Tell your prescriber about it along with the notice at the top."
        clinician = facts(CLINICIAN)
    return worded(
        f, title, text, clinician,
        evidence=recent_evidence([lift_evidence(s) for s in others + [latest]]),
    )


def unusual_sessions_words(trends: Trends, f: Unusual) -> Signal:
    standing = f.found
    found = [
        (o.session, "; ".join(filter(None, (stood_out_low(o) if o.low else "", stood_out_harsh(o) if o.harsh else ""))))
        for o in standing
    ]
    w = trends.window.recent
    days = join_words([format_day(s.day) for s, _ in found])

    def words(v: Voice) -> str:
        listed = "; ".join(f"{session_label(s)}: {said}" for s, said in found)
        return (
            f"In {v.the} last {sessions_word(w.sessions)} ({dates_text(w)}), "
            f"{'this session stands' if len(found) == 1 else 'these sessions stand'} out: {listed}. "
            "What was different on such a day (sleep, stress, illness, the setting) and how the session "
            f"went are worth discussing with {v.discuss_with}."
        )

    title = f"{'A session' if len(found) == 1 else 'Sessions'} that stood out: {days}"
    return in_both_voices(f, title, words, evidence=recent_evidence([Evidence(s.entry.slug, s.day, f"{session_label(s)}: {said}") for s, said in found]))


def frequency_changed_words(trends: Trends, f: Finding) -> Signal:
    between = trends.between
    recent, previous = between.recent, between.previous
    assert previous is not None

    def spread(summary: IntervalSummary) -> str:
        return f"{summary.shortest} to {summary.longest}" if summary.shortest != summary.longest else f"all {summary.shortest}"

    def words(v: Voice) -> str:
        return (
            f"{v.cap(v.the)} last {plural(len(recent.days), 'session')} ({format_range(recent.first, recent.last)}) "  # type: ignore[arg-type]
            f"came a median of {days_text(recent.median)} days after the one before ({spread(recent)} days), "  # type: ignore[arg-type]
            f"against {days_text(previous.median)} days over the {plural(len(previous.days), 'session')} before "  # type: ignore[arg-type]
            f"({format_range(previous.first, previous.last)}; {spread(previous)} days). "  # type: ignore[arg-type]
            "Sessions less than a week apart can overlap in their effects, so lifts and how long the effect "
            "lasted compare less directly across such a change. A change in how often sessions take place "
            f"is worth discussing with {v.discuss_with}."
        )

    title = f"Sessions now take place {between.change}"
    return in_both_voices(
        f, title, words,
        evidence=recent_evidence([
            Evidence(s.entry.slug, s.day, f"{session_label(s)}: {plural(s.interval_days, 'day')} after the session before")  # type: ignore[arg-type]
            for s in trends.sessions[-2 * trends.settings.window:] if s.interval_days is not None
        ]),
    )


def side_effects_hard_to_tolerate_words(trends: Trends, f: HardToTolerate) -> Signal:
    w = trends.window.recent
    hard = f.hard
    counts = [
        f"{level if level == 'intolerable' else 'hard to tolerate'} in {plural(len(days), 'session')} ({join_words(days)})"
        for level in HARD_TO_TOLERATE
        if (days := [format_day(s.day) for s in hard if s.entry.tolerability == level])
    ]

    def words(v: Voice) -> str:
        return (
            f"In {v.the} last {sessions_word(w.sessions)} ({dates_text(w)}), side effects were recorded as "
            f"{join_words(counts)}. Side effects that are hard to tolerate are worth discussing with "
            f"{v.discuss_with}, as a matter of their own, apart from how well the treatment works."
        )

    return in_both_voices(
        f, "Side effects were hard to tolerate", words, clinician_title="Side effects recorded as hard to tolerate",
        evidence=recent_evidence([
            Evidence(s.entry.slug, s.day, f"{session_label(s)}: tolerability {s.entry.tolerability}"
                     + (f"; side effects {', '.join(s.entry.side_effects)}" if s.entry.side_effects else ""))
            for s in hard
        ]),
    )


def side_effects_rising_words(trends: Trends, f: SideEffectChanges) -> Signal:
    new, rising = f.new, f.rising
    w = trends.window

    def words(v: Voice) -> str:
        parts = []
        if new:
            parts.append(
                f"New in {v.the} last {sessions_word(w.recent.sessions)} ({dates_text(w.recent)}): "
                + join_words([f"{name} (first on {format_day(day)})" for name, day in new.items()])
                + "."
            )
        if rising:
            parts.append(
                "More frequent than in the sessions before: "
                + join_words([f"{name} in {rc} of {rn} recent sessions, against {pc} of {pn} before" for name, (rc, rn, pc, pn) in rising.items()])
                + "."
            )
        parts.append(
            "Side effects that are new, more frequent or hard to tolerate are worth discussing with "
            f"{v.discuss_with}, as a separate matter from how well the treatment works."
        )
        return " ".join(parts)

    names = set(new) | set(rising)
    evidence = [
        Evidence(s.entry.slug, s.day, f"{session_label(s)}: {', '.join(s.entry.side_effects)}")
        for s in w.recent.entries
        if s.entry.side_effects and names & set(s.entry.side_effects)
    ]
    return in_both_voices(f, "Side effects are new or more frequent", words, evidence=recent_evidence(evidence))


def missing_follow_ups_words(trends: Trends, f: MissingMoods) -> Signal:
    settings = trends.settings
    weak = [f"{FIELD_WORDS[name]} in {missing} of {sessions_word(due)}" for name, missing, due in f.weak]
    recent_weak = f.recent_weak
    recent = trends.window.recent

    def facts(v: Voice) -> list[str]:
        parts = []
        if weak:
            parts.append(f"Some moods were left empty after their day: {join_words(weak)}.")
        if recent_weak:
            parts.append(
                f"In {v.the} last {sessions_word(recent.sessions)}, {recent.lift_n} have a known lift and "
                f"{recent.duration_n} a known time the effect lasted, too few to compare "
                f"({settings.min_known} are needed)."
            )
        parts.append("The figures leave such sessions out rather than guess, so they rest on fewer sessions.")
        return parts

    text = " ".join(
        facts(PATIENT) + ["Adding what you remember, and filling in each follow-up on its day, makes them firmer."]
    )
    evidence = [
        Evidence(s.entry.slug, s.day, f"{session_label(s)}: {join_words(s.missing)} empty")
        for s in trends.sessions
        if s.missing
    ]
    return worded(
        f, "Missing follow-ups weaken the figures", text, " ".join(facts(CLINICIAN)),
        evidence=recent_evidence(evidence),
    )


# Each finding's wording, by the finding's key (the detector's name in generator.signals).
SIGNAL_WORDS: dict[str, Callable[[Trends, Any], Signal]] = {
    "self_harm_item": self_harm_words,
    "overlapping_prescribers": overlapping_prescribers_words,
    "benefit_declining": benefit_declining_words,
    "effect_fading": effect_fading_words,
    "mood_before_declining": state_declining_words,
    "mood_after_declining": state_declining_words,
    "phq9_worse": questionnaire_worse_words,
    "gad7_worse": questionnaire_worse_words,
    "new_provider_dose_drop": new_provider_dose_drop_words,
    "adequate_trial_without_benefit": adequate_trial_without_benefit_words,
    "side_effects_rising": side_effects_rising_words,
    "side_effects_hard_to_tolerate": side_effects_hard_to_tolerate_words,
    "unusual_sessions": unusual_sessions_words,
    "frequency_changed": frequency_changed_words,
    "adequate_trial_not_reached": adequate_trial_not_reached_words,
    "one_bad_session": one_bad_session_words,
    "missing_follow_ups": missing_follow_ups_words,
}


def word_signals(trends: Trends, found: Sequence[Finding]) -> list[Signal]:
    """Each finding worded for both readers, in the order found."""
    return [SIGNAL_WORDS[f.key](trends, f) for f in found]


# --------------------------------------------------------------------------- talking points


def efficacy_statement(trends: Trends) -> str:
    """What the sessions did for my mood, in the first person, with numbers and dates."""
    if not trends.sessions:
        return "I have no sessions recorded yet, so there is nothing to say about the benefit."
    w = trends.window
    recent = w.recent
    where = f"at {regimens_text(trends, recent.entries)} ({dates_text(recent)})"
    if recent.mean_lift is None:
        return (
            f"For my last {sessions_word(recent.sessions)} {where}, the mood before and the mood "
            "two hours after are never both recorded, so I cannot say how much they helped."
        )
    previous = w.previous
    comparable = w.direction != "unknown" and previous is not None and previous.mean_lift is not None
    first = (
        f"Over my {'last ' if previous is not None else ''}{sessions_word(recent.sessions)} {where}, "
        f"my mood {lift_phrase(recent.mean_lift)} two hours after a session "
        f"({based_on(recent.lift_n)})"
    )
    if not comparable:
        first += ". That is too few sessions to say whether the benefit is changing."
    else:
        change = {"declining": "down from", "improving": "up from", "stable": "about the same as"}[w.direction]
        plain = recent.mean_lift > 0 and previous.mean_lift > 0  # type: ignore[union-attr, operator]
        first += (
            f", {change} {lift_amount(previous.mean_lift, plain)} over the "  # type: ignore[union-attr, arg-type]
            f"{sessions_word(previous.sessions)} before ({dates_text(previous)}"  # type: ignore[union-attr, arg-type]
            f"{', at ' + regimens_text(trends, previous.entries) if not w.same_dose else ''})."  # type: ignore[union-attr]
        )
    sentences = [first]
    cut = restart_cut(trends)
    if cut is not None:
        sentences.append(
            f"These figures count only my sessions since I restarted on {format_day(cut.end)}, after a "
            f"{break_words(cut.days)} break."
        )
    sentences.append(duration_sentence(trends))
    sentences.append(questionnaire_sentence(trends))
    return " ".join(s for s in sentences if s)


def duration_sentence(trends: Trends) -> str:
    w = trends.window
    recent, previous = w.recent, w.previous
    min_known = trends.settings.min_known
    if recent.duration_n == 0:
        return (
            "How long the effect lasts cannot be said yet: the follow-up moods it needs are "
            "missing or still to come for these sessions."
        )
    now = (
        f"my mood returns to its pre-session level after {duration_mean_text(recent)} "
        f"({duration_basis(recent)})"
    )
    if previous is None or previous.duration_n < min_known or recent.duration_n < min_known:
        return f"After a session, {now}; too few sessions to compare with before."
    fading = fading_amount(recent.durations, previous.durations, trends.settings)
    before = f"{duration_mean_text(previous)} ({duration_basis(previous)})"
    if fading is not None and fading > trends.settings.fade_threshold_days:
        return f"The effect now fades sooner: {now}; before, it lasted {before}."
    return f"After a session, {now}; before, it lasted {before}."


def questionnaire_sentence(trends: Trends) -> str:
    """First, lowest and latest score, with their bands, and when response or remission came."""
    parts = []
    for q in (trends.phq9, trends.gad7):
        first, latest, lowest = q.first, q.latest, q.lowest
        if first is None or latest is None or lowest is None:
            continue
        if len(q.points) == 1:
            parts.append(f"My {q.name} score was {first.total} ({first.band}) on {format_day(first.day)}.")
            continue
        text = f"My {q.name} score went from {score_text(first)}"
        if lowest is not first and lowest is not latest:
            text += f" to {score_text(lowest)} and was {score_text(latest)}"
        else:
            text += f" to {score_text(latest)}"
        parts.append(text + f" ({plural(len(q.points), 'score')}).")
        lost = q.worse is not None and (q.worse.response_lost or q.worse.remission_lost)
        if lost:
            parts += lost_sentences(q, "It")
        if q.response is not None and not (lost and q.worse is not None and q.worse.response_lost):
            parts.append(
                f"It first came down to half the first score or less on {format_day(q.response.day)}."
            )
        if q.remission is not None and not (lost and q.worse is not None and q.worse.remission_lost):
            parts.append(f"It first came below 5 on {format_day(q.remission.day)}.")
    for q in (trends.phq9, trends.gad7):
        old = score_age(q, trends.today)
        if old:
            parts.append(f"My latest {q.name} score is {old} old, so it may not say how I am now.")
    return " ".join(parts)


def score_age(q: Questionnaire, today: date) -> str:
    """'9 weeks' when the latest score is older than SCORE_OLD_DAYS; '' otherwise."""
    weeks = score_age_weeks(q, today)
    return "" if weeks is None else plural(weeks, "week")


def score_text(point: QuestionnairePoint) -> str:
    return f"{point.total} ({point.band}) on {format_day(point.day)}"


def side_effect_statement(trends: Trends) -> str:
    """Side effects on their own, separate from efficacy (the guide asks for both, apart)."""
    if not trends.sessions:
        return "I have no sessions recorded yet."
    w = trends.window
    sentences = [side_effects_in(w.recent, "my last" if w.previous else "my")]
    if w.previous is not None:
        sentences.append(side_effects_in(w.previous, "the", before=True))
    new, _ = side_effect_changes(trends)
    if new:
        sentences.append(f"New compared with my earlier sessions: {join_words(list(new))}.")
    dissociation = dissociation_in(w.recent, "my last" if w.previous else "my")
    if dissociation:
        sentences.append(dissociation)
    bearable = tolerability_in(w.recent, "my last" if w.previous else "my")
    if bearable:
        sentences.append(bearable)
    return " ".join(sentences)


def tolerability_in(window: WindowSummary, owner: str) -> str:
    """'How bearable the side effects were in my last 6 sessions: fine in 3 and hard in 2
    (recorded for 5 of them).' Empty when no session of the window records it."""
    counts = {level: sum(s.entry.tolerability == level for s in window.entries) for level in TOLERABILITY_LEVELS}
    recorded = sum(counts.values())
    if not recorded:
        return ""
    listed = join_words([f"{level} in {n}" for level, n in counts.items() if n])
    coverage = "" if recorded == window.sessions else f" (recorded for {recorded} of them)"
    return f"How bearable the side effects were in {owner} {sessions_word(window.sessions)}: {listed}{coverage}."


def between_statement(trends: Trends) -> str:
    """How often my sessions take place, recent against before, in the first person."""
    between = trends.between
    recent = between.recent
    if recent.median is None:
        return ""
    text = (
        f"My last {plural(len(recent.days), 'session')} ({format_range(recent.first, recent.last)}) came a median "  # type: ignore[arg-type]
        f"of {days_text(recent.median)} days after the one before"
    )
    if recent.shortest != recent.longest:
        text += f" ({recent.shortest} to {recent.longest} days)"
    previous = between.previous
    if previous is not None and previous.median is not None:
        change = {"more often": ", more often than", "less often": ", less often than"}.get(between.change, ", about as often as")
        text += f"{change} the {plural(len(previous.days), 'session')} before ({days_text(previous.median)} days)"
    return text + "."


def side_effects_in(window: WindowSummary, owner: str, before: bool = False) -> str:
    recorded = [s for s in window.entries if s.entry.side_effects is not None]
    where = f"{owner} {sessions_word(window.sessions)}{' before' if before else ''} ({dates_text(window)})"
    if not recorded:
        return f"I did not record side effects for {where}, so I cannot describe them."
    counts: dict[str, int] = {}
    for s in recorded:
        for name in s.entry.side_effects:  # type: ignore[union-attr]
            counts[name] = counts.get(name, 0) + 1
    coverage = (
        "" if len(recorded) == window.sessions
        else f" (recorded for {len(recorded)} of them)"
    )
    if not counts:
        return f"I recorded no side effects in {where}{coverage}."
    listed = join_words([f"{name} in {n}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))])
    return f"Side effects in {where}: {listed}{coverage}."


def dissociation_in(window: WindowSummary, owner: str) -> str:
    counts: dict[str, int] = {}
    for s in window.entries:
        if s.entry.dissociation is not None:
            counts[s.entry.dissociation] = counts.get(s.entry.dissociation, 0) + 1
    if not counts:
        return ""
    order = ["none", "mild", "moderate", "strong"]
    listed = join_words([f"{level} in {counts[level]}" for level in order if level in counts])
    return f"Dissociation in {owner} {sessions_word(window.sessions)}: {listed}."


def questions(trends: Trends, found: Sequence[Finding]) -> list[str]:
    """The guide's direct questions, with my numbers where they help."""
    if trends.current_dose is not None:
        how_long = (
            f"I have had {sessions_word(trends.sessions_at_current_dose)} at "
            f"{current_dose_text(trends)} since {format_day(trends.current_dose_since)}. "  # type: ignore[arg-type]
            "How long should I stay at this dose before we reassess it?"
        )
    else:
        how_long = "How long should I stay at a dose before we reassess it?"
    if any(f.key == "effect_fading" for f in found):
        fade = (
            f"My mood now returns to its pre-session level after "
            f"{duration_mean_text(trends.window.recent)}. What should I do when the benefit fades "
            "between sessions?"
        )
    else:
        fade = "What should I do if the benefit fades between sessions?"
    return [
        how_long,
        "What specific criteria would lead you to consider a change to my treatment?",
        "Is there a maximum dose in my plan, and if so, is it a clinical limit for my situation "
        "or a policy that applies to every patient?",
        "What would you like to see in my journal before any change to my dose?",
        fade,
    ]


def limits(trends: Trends, found: Sequence[Finding]) -> list[str]:
    """What the data cannot support, said plainly."""
    settings = trends.settings
    w = trends.window
    said = [
        "These figures are my own ratings, not a diagnosis; they cannot say which dose is right "
        "for me. That is for my prescriber and me to decide together.",
        f"Moods are rated once at each point on a 1-10 scale; a difference of "
        f"{settings.noise_threshold:g} point or less can be ordinary day-to-day variation.",
        "How long the effect lasted is read from straight lines between the follow-up moods, up to "
        "day 7 or the next session if sooner.",
    ]
    if w.direction == "unknown":
        said.append(
            "There are too few sessions with a recorded lift to compare recent sessions with "
            f"earlier ones (that needs at least {settings.min_known} in each group of "
            f"{settings.window})."
        )
    elif not w.same_dose and len(set(w.recent.routes) | set(w.previous.routes if w.previous else [])) > 1:
        said.append(
            "The sessions compared were not all taken by the same route ("
            + join_words(sorted(set(w.recent.routes) | set(w.previous.routes if w.previous else [])))
            + "), and the same mg by different routes is not the same amount in the body, so a change "
            "between them may reflect the route and dose as much as anything else."
        )
    elif not w.same_dose:
        said.append(
            "The sessions compared were not all at the same dose, so a change between them "
            "may reflect the dose as much as anything else."
        )
    pending_sessions = [s for s in trends.sessions if s.pending]
    if pending_sessions:
        said.append(
            f"{sessions_word(len(pending_sessions)).capitalize()} still "
            f"{'has' if len(pending_sessions) == 1 else 'have'} follow-ups to come "
            f"({join_words(last_days(pending_sessions, 3))}"
            f"{', among others' if len({s.day for s in pending_sessions}) > 3 else ''}); "
            "figures that need those moods will include them once they are recorded."
        )
    missing_total = sum(trends.missing_follow_ups.values())
    if missing_total:
        said.append(
            f"{plural(missing_total, 'mood')} {'was' if missing_total == 1 else 'were'} left empty "
            f"after {'its' if missing_total == 1 else 'their'} due day; the figures leave "
            f"{'it' if missing_total == 1 else 'them'} out rather than guess."
        )
    if trends.gaps:
        said.append(
            f"There {'was' if len(trends.gaps) == 1 else 'were'} {plural(len(trends.gaps), 'break')} "
            f"of more than {settings.gap_weeks} weeks between sessions ("
            + join_words([format_range(g.start, g.end) for g in trends.gaps[-3:]])
            + "); figures across a break are less certain"
            + ("; the comparison of recent sessions with earlier ones uses only the sessions since the last one."
               if restart_cut(trends) is not None else ".")
        )
    totals_only = sum(
        1 for s in trends.sessions
        if s.entry.scores is not None and s.entry.scores.phq9_total is not None and s.entry.scores.phq9_item9 is None
    )
    if totals_only:
        said.append(
            f"{plural(totals_only, 'PHQ-9 score')} {'was' if totals_only == 1 else 'were'} recorded "
            "as a total only, so the question on thoughts of self-harm could not be checked there."
        )
    return said


def last_days(sessions: Sequence[SessionFigures], n: int) -> list[str]:
    """The last n distinct session days, written out (several sessions can share a day)."""
    days = sorted({s.day for s in sessions})[-n:]
    return [format_day(day) for day in days]


def state_statement(trends: Trends) -> str:
    """How I have been between sessions: my mood right before them and at the last follow-up
    before the next one, recent against before. Apart from the lift: a person can feel a lift
    after each session and still be worse."""
    changes = {"declining": "down from", "improving": "up from", "stable": "about the same as"}
    said = []
    m = trends.mood_before
    if m.recent_mean is None:
        said.append("I have not recorded my mood before my recent sessions.")
    else:
        recent = f"my last {sessions_word(len(m.recent))} ({format_range(m.recent[0].day, m.recent[-1].day)})"
        now = f"Right before {recent}, my mood averaged {m.recent_mean:.1f} out of 10"
        if m.direction == "unknown" or m.previous_mean is None:
            said.append(now + "; too few sessions to compare with before.")
        else:
            said.append(
                f"{now}, {changes[m.direction]} {m.previous_mean:.1f} over the {sessions_word(len(m.previous))} "
                f"before ({format_range(m.previous[0].day, m.previous[-1].day)})."
            )
    a = trends.mood_after
    if a.recent_mean is not None and a.previous_mean is not None and a.direction != "unknown":
        said.append(f"At the last follow-up before the next session, my mood averaged {a.recent_mean:.1f}, "
                    f"{changes[a.direction]} {a.previous_mean:.1f} before.")
    return " ".join(said)


def talking_points(trends: Trends, found: Sequence[Finding]) -> TalkingPoints:
    standing = stood_out(trends)
    low = [f"{format_day(o.session.day)}, {stood_out_low(o)}" for o in standing if o.low]
    harsh = [f"{format_day(o.session.day)}, {stood_out_harsh(o)}" for o in standing if o.harsh]
    efficacy = efficacy_statement(trends)
    if low:
        efficacy += f" In my last {sessions_word(len(trends.window.recent.entries))}, {'one session' if len(low) == 1 else 'these sessions'} stood out: {'; '.join(low)}."
    side_effects = side_effect_statement(trends)
    if harsh:
        side_effects += f" {'One session' if len(harsh) == 1 else 'These sessions'} went badly: {'; '.join(harsh)}."
    return TalkingPoints(
        state=state_statement(trends),
        efficacy=efficacy,
        side_effects=side_effects,
        questions=questions(trends, found),
        limits=limits(trends, found),
        between=between_statement(trends),
    )


# --------------------------------------------------------------------------- the checklists


def checklist_items(trends: Trends, found: Sequence[Signal]) -> dict[str, list[dict[str, Any]]]:
    """The guide's checklists. Items the data can decide are ticked or left open from the
    signals, with the evidence; the rest are for the person to judge."""
    signals = {s.key: s for s in found}
    trial = trends.settings.adequate_trial

    def from_data(key: str, text: str, open_text: str = "") -> dict[str, Any]:
        """The template says "Your journal shows this" or "does not show this" before
        the status: the signal's text when ticked, else open_text (detail, may be empty)."""
        signal = signals.get(key)
        return {"text": text, "decided": True, "checked": signal is not None, "signal": signal,
                "status": signal.text if signal else open_text}

    def personal(text: str) -> dict[str, Any]:
        return {"text": text, "decided": False, "checked": False, "signal": None, "status": ""}

    discuss = [
        from_data("benefit_declining", "The benefit has declined over several sessions at the same dose, not just one."),
        from_data("effect_fading", "The effect fades noticeably sooner than it used to."),
        from_data("adequate_trial_without_benefit",
                  f"The current dose has had an adequate trial ({trial} or more sessions) without reaching the benefit you saw or agreed on.",
                  adequate_trial_status(trends)),
        personal("Side effects are hard to tolerate (a change can also be downward)."),
        personal("Your circumstances or treatment goals have changed."),
    ]
    if "side_effects_rising" in signals:
        discuss[3] = {**discuss[3], "signal": signals["side_effects_rising"], "status": signals["side_effects_rising"].text}
    if any(s.entry.tolerability is not None for s in trends.window.recent.entries):
        # the journal records how bearable they were: the item is decided from it
        discuss[3] = from_data("side_effects_hard_to_tolerate", discuss[3]["text"],
                               f"none of your last {len(trends.window.recent.entries)} sessions records side effects as hard or intolerable.")
    wait = [
        from_data("one_bad_session", "You had one bad session: normal variability exists.",
                  "your latest session does not stand out far below the steady sessions before it."),
        personal("You are looking for stronger dissociation rather than more therapeutic benefit."),
        from_data("adequate_trial_not_reached", f"The current dose has not had adequate time yet: usually at least 3-4 sessions (your setting: {trial}).",
                  f"the current dose has had {sessions_word(trends.sessions_at_current_dose)}, at least the {trial} of an adequate trial."
                  if trends.current_dose is not None else ""),
    ]
    # The red flags the data can tell: a new prescriber starting at half the dose or less.
    red_flags = [personal(flag) for flag in RED_FLAGS]
    red_flags[RED_FLAGS.index(RESTART_FLAG)] = from_data(
        "new_provider_dose_drop", RESTART_FLAG,
        "no new prescriber's first session is at half the dose before it or less." if trends.sessions else "",
    )
    return {"discuss": discuss, "wait": wait, "red_flags": red_flags}


# The one red flag the data can tell (see checklist_items).
RESTART_FLAG = "A new provider ignores your documented history and restarts you at the lowest dose without a reason."
RED_FLAGS = [
    "One fixed dose or maximum for every patient, with no explanation of whether it is a clinical limit or a policy.",
    "No process or timeline for reassessing your dose.",
    "Dose changes made without looking at how you responded.",
    "Your reports of a declining benefit or of side effects are dismissed without discussion.",
    "Escalation pushed quickly, or driven by stronger dissociation rather than benefit.",
    RESTART_FLAG,
    "Your records and dosing history are refused or delayed.",
    "Willingness to prescribe while another prescriber is still treating you.",
]


# --------------------------------------------------------------------------- the check-in sheet


def sheet_statements(trends: Trends) -> dict[str, list[str]]:
    """The check-in sheet's sentences to read out: short, one figure each, no brackets (the
    overview's fuller statements carry the counts behind each average)."""
    w = trends.window
    recent, previous = w.recent, w.previous
    if not trends.sessions:
        return {"state": [], "between": [], "efficacy": ["I have no sessions recorded yet."], "side_effects": []}
    owner = "My last" if previous is not None else "My"
    efficacy = [f"{owner} {sessions_word(recent.sessions)} were at {regimens_text(trends, recent.entries)}, {dates_text(recent)}."]
    cut = restart_cut(trends)
    if cut is not None:  # the windows stop at the last break: say so
        efficacy.append(f"They count only from my restart on {format_day(cut.end, False)}, after a {break_words(cut.days)} break.")
    if previous is not None and not w.same_dose:
        efficacy.append(f"The {sessions_word(previous.sessions)} before were at {regimens_text(trends, previous.entries)}.")
    if recent.mean_lift is None:
        efficacy.append("My mood before and two hours after is not recorded for them.")
    else:
        efficacy.append(f"Two hours after a session, my mood {lift_phrase(recent.mean_lift)}.")
        if previous is not None and previous.mean_lift is not None:
            efficacy.append(f"Over the {sessions_word(previous.sessions)} before, it {lift_phrase(previous.mean_lift)}.")
    if recent.duration_n:
        efficacy.append(f"My mood is now back to its pre-session level after {duration_mean_text(recent)}.")
        if previous is not None and previous.duration_n:
            efficacy.append(f"Before, that took {duration_mean_text(previous)}.")
    state = sheet_state(trends)

    side_effects = []
    recorded = [s for s in recent.entries if s.entry.side_effects is not None]
    counts: dict[str, int] = {}
    for figure in recorded:
        for name in figure.entry.side_effects or []:
            counts[name] = counts.get(name, 0) + 1
    where = f"{owner.lower()} {sessions_word(recent.sessions)}"
    if not recorded:
        side_effects.append(f"I did not record side effects for {where}.")
    elif not counts:
        side_effects.append(f"I had no side effects in {where}.")
    else:
        listed = join_words([f"{name} in {n}" for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))])
        side_effects.append(f"Side effects in {where}: {listed}.")
    if recorded and len(recorded) < recent.sessions:
        side_effects.append(f"I recorded them for {len(recorded)} of these sessions.")
    new, _ = side_effect_changes(trends)
    if new:
        side_effects.append(f"New compared with my earlier sessions: {join_words(list(new))}.")
    levels: dict[str, int] = {}
    for figure in recent.entries:
        if figure.entry.dissociation is not None:
            levels[figure.entry.dissociation] = levels.get(figure.entry.dissociation, 0) + 1
    if levels:
        order = ["none", "mild", "moderate", "strong"]
        side_effects.append("Dissociation: " + join_words([f"{lv} in {levels[lv]}" for lv in order if lv in levels]) + ".")
    for o in stood_out(trends):
        if o.low:
            efficacy.append(f"{format_day(o.session.day, False)} stood out: {stood_out_low(o)}.")
        if o.harsh:
            side_effects.append(f"{format_day(o.session.day, False)} went badly: {stood_out_harsh(o)}.")
    bearable = {level: sum(f.entry.tolerability == level for f in recent.entries) for level in TOLERABILITY_LEVELS}
    if any(bearable.values()):
        side_effects.append("How bearable they were: " + join_words([f"{lv} in {n}" for lv, n in bearable.items() if n]) + ".")
    return {"state": state, "between": sheet_between(trends), "efficacy": efficacy, "side_effects": side_effects}


def sheet_between(trends: Trends) -> list[str]:
    """How often sessions take place, on the sheet only when that has changed."""
    between = trends.between
    recent, previous = between.recent, between.previous
    if not between.change or recent.median is None or previous is None or previous.median is None:
        return []
    return [f"My last sessions came every {days_text(recent.median)} days, {between.change} than the "
            f"{days_text(previous.median)} days before."]


def sheet_state(trends: Trends) -> list[str]:
    """How I have been between sessions, in the sheet's short sentences: my mood right
    before sessions, recent against before, and my questionnaire scores."""
    said = []
    m = trends.mood_before
    if m.recent_mean is not None:
        said.append(f"Right before my last {sessions_word(len(m.recent))}, my mood averaged {m.recent_mean:.1f} of 10.")
        if m.previous_mean is not None:
            said.append(f"Over the {sessions_word(len(m.previous))} before, it averaged {m.previous_mean:.1f}.")
    for q in (trends.phq9, trends.gad7):
        if len(q.points) > 1:
            first, latest = q.points[0], q.points[-1]
            said.append(f"My {q.name} score went from {first.total} on {format_day(first.day, False)} "
                        f"to {latest.total} on {format_day(latest.day, False)}.")
            worse = q.worse
            if worse is not None and worse.lowest is not first:
                said.append(f"It was {worse.lowest.total} at its lowest, on {format_day(worse.lowest.day, False)}.")
            if worse is not None and worse.response_lost:
                said.append("It no longer meets the response I had reached.")
            if worse is not None and worse.remission_lost:
                said.append("It is no longer in remission.")
        old = score_age(q, trends.today)
        if old:
            said.append(f"My latest {q.name} score is {old} old.")
    return said or ["I have not recorded my mood before my recent sessions."]
