"""Signals and talking points: plain sentences built from the person's own figures.

A signal says what the data shows and whether it is worth discussing with the
prescriber, waiting, or acting on now (safety); each carries the entries and the
numbers behind it. Each signal is worded for two readers by one function from one set
of figures (see `Voice`): to the person in their own report, and about "the patient"
for the clinician who reads the export's summary. Talking points are the same facts in
the first person, the person's own statements to read out or hand over. Nothing here
suggests a dose: the words describe, the person and their prescriber decide.
`tests/test_signals.py` scans every sentence for dose advice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from statistics import median

from .entries import TOLERABILITY_LEVELS
from .settings import Settings
from .trends import (
    MOOD_WORDS,
    Gap,
    IntervalSummary,
    Questionnaire,
    QuestionnairePoint,
    SessionFigures,
    StateComparison,
    Trends,
    WindowSummary,
    based_on,
    break_words,
    current_dose_run,
    days_text,
    format_day,
    format_dose,
    format_range,
    join_words,
    last_follow_up_mood,
    mean_and_count,
    mean_leaving_out,
    sessions_word,
    signed,
)

# --------------------------------------------------------------------------- what a signal is


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


LEVEL_ORDER = {"safety": 0, "discuss": 1, "wait": 2, "info": 3}
# How far below its steady neighbours one session must fall, beyond the noise
# threshold, to count as an outlier: 2 points on a 1-10 scale is more than a wobble.
OUTLIER_MARGIN = 2.0
# A side effect counts as more frequent when it shows up in at least a third more of
# the sessions (2 more out of 6): one extra occurrence is not a change.
SIDE_EFFECT_RISE = 1 / 3
# Follow-ups missing in a fifth of the sessions weaken every figure built on them.
MISSING_SHARE = 0.2
# Signals list at most this many entries as evidence, the most recent ones.
EVIDENCE_LIMIT = 12

FIELD_WORDS = {
    "pre_mood": "the mood before the session (pre_mood)",
    "post_mood_2h": "the 2-hour mood (post_mood_2h)",
    "mood_day1": "the day-1 mood (mood_day1)",
    "mood_day3": "the day-3 mood (mood_day3)",
    "mood_day7": "the day-7 mood (mood_day7)",
}


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


def duration_mean_text(window: WindowSummary) -> str:
    """'about 2.8 days'; 'at least 5.7 days' when some sessions lasted past day 7 (counted
    as 7, so the average is a lower bound); '7 days or more' when every session did."""
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


# --------------------------------------------------------------------------- safety


def self_harm_item(trends: Trends) -> Signal | None:
    """PHQ-9 question 9 answered above 0 in any entry: shown first, whatever else is true."""
    flagged = [
        s for s in trends.sessions
        if s.entry.scores is not None and (s.entry.scores.phq9_item9 or 0) > 0
    ]
    if not flagged:
        return None
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
    answered = [
        s for s in trends.sessions
        if s.entry.scores is not None and s.entry.scores.phq9_item9 is not None
    ]
    # A later PHQ-9 answered question 9 with 0: the notice stays at the top (it must not be
    # missed), but it does not say "now" about answers that a later one no longer records.
    later = answered[-1] if answered and answered[-1] is not latest else None
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
    return Signal(
        key="self_harm_item",
        level="safety",
        title=title,
        text=text,
        clinician_title="Thoughts of self-harm recorded (PHQ-9 question 9)",
        clinician_text=clinician,
        evidence=recent_evidence(evidence),
        numbers={
            "entries": len(flagged),
            "latest_answer": latest.entry.scores.phq9_item9,  # type: ignore[union-attr]
            "latest_day": latest.day.isoformat(),
        },
    )


def overlapping_prescribers(trends: Trends) -> Signal | None:
    """Two prescribers whose periods of sessions (first to last) overlap or interleave.
    Spellings of one prescriber count as one (case, punctuation, titles, and the `providers`
    setting: see Trends.prescriber), and each prescriber is named once, with its dates."""
    groups: dict[str, list[SessionFigures]] = {}
    for s in trends.sessions:
        if s.entry.provider is not None:
            groups.setdefault(trends.prescriber_key(s.entry.provider), []).append(s)
    providers = list(groups.values())
    pairs = []
    for i, a in enumerate(providers):
        for b in providers[i + 1 :]:
            if a[0].day <= b[-1].day and b[0].day <= a[-1].day:
                pairs.append((a, b))
    if not pairs:
        return None
    involved = [p for p in providers if any(p is a or p is b for a, b in pairs)]
    inside: dict[str, SessionFigures] = {}  # the sessions that fall inside another's period
    for a, b in pairs:
        for own, other in ((a, b), (b, a)):
            for s in own:
                if other[0].day <= s.day <= other[-1].day:
                    inside[s.entry.slug] = s

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
    return Signal(
        key="overlapping_prescribers",
        level="safety",
        title="More than one prescriber at the same time",
        text=text,
        clinician_title="More than one prescriber at the same time",
        clinician_text=clinician,
        evidence=recent_evidence(evidence),
        numbers={"pairs": len(pairs), "providers": len(providers)},
        sheet_text=(
            f"Your journal names {len(involved)} prescribers over the same period: {described}. Receiving "
            "ketamine from more than one prescriber at a time carries serious safety and legal risks: "
            "please tell each prescriber about the other. The overview lists the sessions that overlap."
        ),
    )


# A new prescriber's first dose at this share of the previous one or less is a large drop.
DOSE_DROP_SHARE = 0.5


def new_provider_dose_drop(trends: Trends) -> Signal | None:
    """A change to a prescriber not seen before whose first session is at half the dose of
    the last session with the one before, or less (by the same route: mg by different
    routes are not compared). The guide's red flag: a new provider restarting at the lowest
    dose without reviewing the history. The data cannot know the reason, so it says so."""
    named = [s for s in trends.sessions if s.entry.provider is not None]
    seen: set[str] = set()
    found = None
    for before, after in zip(named, named[1:]):
        seen.add(trends.prescriber_key(before.entry.provider))  # type: ignore[arg-type]
        new = trends.prescriber_key(after.entry.provider) not in seen  # type: ignore[arg-type]
        routes = {before.entry.route, after.entry.route} - {None}
        if new and len(routes) <= 1 and after.dose_mg <= before.dose_mg * DOSE_DROP_SHARE:
            found = (before, after)  # the latest such change
    if found is None:
        return None
    before, after = found
    old, new_name = trends.prescriber(before.entry.provider), trends.prescriber(after.entry.provider)  # type: ignore[arg-type]
    gap = next((g for g in trends.gaps if g.start == before.day and g.end == after.day), None)
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
    return Signal(
        key="new_provider_dose_drop",
        level="discuss",
        title=title,
        text=text,
        clinician_title=title,
        clinician_text=clinician,
        evidence=[
            Evidence(s.entry.slug, s.day, f"{session_label(s)}: prescribed by {s.entry.provider}") for s in (before, after)
        ],
        numbers={"previous_dose_mg": before.dose_mg, "new_dose_mg": after.dose_mg, "new_provider": new_name},
    )


# --------------------------------------------------------------------------- benefit


def benefit_declining(trends: Trends) -> Signal | None:
    """The window comparison says 'declining' and every compared session was at one dose by
    one route (mg by different routes are not the same exposure)."""
    w = trends.window
    if w.direction != "declining" or not w.same_dose or w.previous is None:
        return None
    recent, previous = w.recent, w.previous
    dose = trends.dose_text(recent.doses[0], (recent.routes or previous.routes or [None])[0])

    def words(v: Voice) -> str:
        return (
            f"At {dose} throughout, {v.the} average lift (mood two hours after a "
            f"session minus mood before it) was {points_text(recent.mean_lift)} over {v.the} last "  # type: ignore[arg-type]
            f"{sessions_word(recent.lift_n)} ({recent.dates_text()}), against "
            f"{points_text(previous.mean_lift)} over the {sessions_word(previous.lift_n)} before "  # type: ignore[arg-type, union-attr]
            f"({previous.dates_text()}). The drop is larger than {trends.settings.noise_threshold:g} "  # type: ignore[union-attr]
            "point of ordinary variation even with the single lowest recent session left out, and "
            "the trend line across these sessions points down, so it is not one bad day. A decline "
            f"over several sessions at the same dose is worth discussing with {v.discuss_with}."
        )

    title = "The benefit has declined over several sessions at the same dose"
    return Signal(
        key="benefit_declining",
        level="discuss",
        title=title,
        text=words(PATIENT),
        clinician_title=title,
        clinician_text=words(CLINICIAN),
        evidence=recent_evidence([lift_evidence(s) for s in previous.entries + recent.entries]),
        numbers={
            "dose_mg": recent.doses[0],
            "recent_mean_lift": round(recent.mean_lift, 2),  # type: ignore[arg-type]
            "recent_n": recent.lift_n,
            "previous_mean_lift": round(previous.mean_lift, 2),  # type: ignore[arg-type]
            "previous_n": previous.lift_n,
            "slope_per_session": round(w.slope, 3),  # type: ignore[arg-type]
        },
    )


def fading_amount(recent: Sequence[float], previous: Sequence[float], settings: Settings) -> float | None:
    """How many days sooner the effect now ends, leaving out the recent window's shortest and
    the earlier window's longest session so that no single session decides it; None when
    either window has too few known durations."""
    if len(recent) < settings.min_known or len(previous) < settings.min_known:
        return None
    return mean_leaving_out(previous, "highest") - mean_leaving_out(recent, "lowest")  # type: ignore[operator]


def effect_fading(trends: Trends) -> Signal | None:
    w = trends.window
    if w.previous is None:
        return None
    recent, previous = w.recent, w.previous
    fade = fading_amount(recent.durations, previous.durations, trends.settings)
    if fade is None or fade <= trends.settings.fade_threshold_days:
        return None
    doses = trends.regimens_text(previous.entries + recent.entries)

    def words(v: Voice) -> str:
        return (
            f"{v.cap(v.whose)} mood now returns to its pre-session level after {duration_mean_text(recent)} on "
            f"average ({sessions_word(recent.duration_n)} with the follow-ups needed, "
            f"{recent.dates_text()}), against {duration_mean_text(previous)} over the sessions "  # type: ignore[arg-type]
            f"before ({previous.dates_text()}; {duration_basis(previous)}), at {doses}. "  # type: ignore[union-attr, arg-type]
            "The difference holds with the single shortest recent session left out. An effect "
            f"that fades noticeably sooner than it used to is worth discussing with {v.discuss_with}."
        )

    title = "The effect fades sooner than it used to"
    return Signal(
        key="effect_fading",
        level="discuss",
        title=title,
        text=words(PATIENT),
        clinician_title=title,
        clinician_text=words(CLINICIAN),
        evidence=recent_evidence(
            [duration_evidence(s) for s in previous.entries + recent.entries if s.duration.known]
        ),
        numbers={
            "recent_mean_days": round(recent.mean_duration, 2),  # type: ignore[arg-type]
            "recent_n": recent.duration_n,
            "previous_mean_days": round(previous.mean_duration, 2),  # type: ignore[arg-type]
            "previous_n": previous.duration_n,
            "previous_beyond_day7": previous.duration_beyond7,
        },
    )


def adequate_trial_not_reached(trends: Trends) -> Signal | None:
    """Too few sessions at the current dose to judge it (the guide: at least 3-4)."""
    if trends.current_dose is None or trends.adequate_trial_reached:
        return None
    k, needed = trends.sessions_at_current_dose, trends.settings.adequate_trial
    dose = trends.current_dose_text
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
    return Signal(
        key="adequate_trial_not_reached",
        level="wait",
        title=title,
        text=text,
        clinician_title=title,
        clinician_text=f"{facts}.",
        evidence=recent_evidence([lift_evidence(s) for s in trends.current_run]),
        numbers={"dose_mg": trends.current_dose, "sessions_at_dose": k, "sessions_needed": needed},
    )


def previous_dose_run(trends: Trends) -> list[SessionFigures]:
    """The consecutive sessions at the dose (and route) just before the current one; none
    when a break lies between them, since a comparison never reaches across a break."""
    earlier = trends.sessions[: len(trends.sessions) - trends.sessions_at_current_dose]
    run = current_dose_run(earlier, trends.settings.gap_weeks)
    if run and trends.current_run and (trends.current_run[0].day - run[-1].day).days > trends.settings.gap_weeks * 7:
        return []
    return run


def adequate_trial_without_benefit(trends: Trends) -> Signal | None:
    """The current dose has had an adequate trial (with at least that many sessions rated),
    and its mean lift is either within the noise threshold (no clear benefit) or below the
    mean lift at the dose just before it by more than the noise threshold."""
    settings = trends.settings
    run = trends.current_run
    if not trends.adequate_trial_reached or trends.current_dose is None:
        return None
    mean, n = mean_and_count(s.lift for s in run)
    if mean is None or n < settings.adequate_trial:
        return None
    dose = trends.current_dose_text

    def opening(v: Voice) -> str:
        return (
            f"After {sessions_word(len(run))} at {dose} (since {format_day(run[0].day)}), {v.the} average "
            f"lift two hours after a session is {points_text(mean)} ({based_on(n)})"  # type: ignore[arg-type]
        )

    before = previous_dose_run(trends)
    before_mean, before_n = mean_and_count(s.lift for s in before)
    numbers: dict[str, float | int | str] = {"dose_mg": trends.current_dose, "mean_lift": round(mean, 2), "lift_n": n}
    if mean <= settings.noise_threshold:
        title = f"An adequate trial of {dose} has not brought a clear benefit"

        def words(v: Voice) -> str:
            return (
                f"{opening(v)}, which is within the {settings.noise_threshold:g} point that ordinary "
                "day-to-day variation can explain. An adequate trial without a clear benefit is worth "
                f"discussing with {v.discuss_with}."
            )
    elif (
        before_mean is not None
        and before_n >= min(settings.adequate_trial, settings.min_known)
        and mean < before_mean - settings.noise_threshold
    ):
        title = f"An adequate trial of {dose} has not brought the benefit seen before"

        def words(v: Voice) -> str:
            return (
                f"{opening(v)}, against {points_text(before_mean)} over the {sessions_word(before_n)} at "  # type: ignore[arg-type]
                f"{trends.regimens_text(before)} before it ({format_range(before[0].day, before[-1].day)}). "
                "An adequate trial that has not brought the benefit seen before is worth discussing "
                f"with {v.discuss_with}."
            )
        numbers.update(previous_dose_mg=before[0].dose_mg, previous_mean_lift=round(before_mean, 2), previous_lift_n=before_n)
    else:
        return None
    return Signal(
        key="adequate_trial_without_benefit",
        level="discuss",
        title=title,
        text=words(PATIENT),
        clinician_title=title,
        clinician_text=words(CLINICIAN),
        evidence=recent_evidence([lift_evidence(s) for s in before + run]),
        numbers=numbers,
    )


def adequate_trial_status(trends: Trends) -> str:
    """Why `adequate_trial_without_benefit` does not fire, in the person's words (for the
    checklist item it decides); "" when it fires or there is no session."""
    settings = trends.settings
    run = trends.current_run
    if trends.current_dose is None or adequate_trial_without_benefit(trends) is not None:
        return ""
    dose = trends.current_dose_text
    if not trends.adequate_trial_reached:
        return (
            f"{dose} has had {sessions_word(len(run))} so far, fewer than the {settings.adequate_trial} "
            "of an adequate trial."
        )
    mean, n = mean_and_count(s.lift for s in run)
    if mean is None or n < settings.adequate_trial:
        return (
            f"only {n} of the {sessions_word(len(run))} at {dose} have a known lift, fewer than the "
            f"{settings.adequate_trial} needed to judge the trial."
        )
    status = (
        f"at {dose} your average lift is {points_text(mean)} over {sessions_word(n)} "
        f"(since {format_day(run[0].day)}), more than the {settings.noise_threshold:g} point that "
        "ordinary variation can explain"
    )
    before = previous_dose_run(trends)
    before_mean, before_n = mean_and_count(s.lift for s in before)
    if before_mean is not None and before_n:
        earlier = f"the {points_text(before_mean)} at {trends.regimens_text(before)} before it"
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


# --------------------------------------------------------------------------- state between sessions


def mood_before_declining(trends: Trends) -> Signal | None:
    """The mood right before sessions has fallen: the person is worse between sessions,
    whatever each session's lift shows. Same rule as a declining lift (decide_direction)."""
    return state_declining(trends, trends.mood_before, "mood_before_declining", "mood right before a session",
                           ("Your mood before sessions has fallen", "Mood before sessions has fallen"),
                           "mood {} before the session", lambda s: s.entry.pre_mood)


def mood_after_declining(trends: Trends) -> Signal | None:
    """The mood at the last follow-up before the next session has fallen: the benefit leaves
    the person lower than it used to, whatever the lift two hours after shows. Said only when
    no decline of the lift or fading of the effect tells the same story already."""
    if benefit_declining(trends) is not None or effect_fading(trends) is not None:
        return None
    return state_declining(trends, trends.mood_after, "mood_after_declining",
                           "mood at the last follow-up before the next session",
                           ("Your mood at the last follow-up has fallen", "Mood at the last follow-up has fallen"),
                           "last follow-up mood {}", last_follow_up_mood)


def state_declining(trends: Trends, m: StateComparison, key: str, what: str, titles: tuple[str, str],
                    evidence_words: str, value: Callable[[SessionFigures], int | None]) -> Signal | None:
    if m.direction != "declining" or m.recent_mean is None or m.previous_mean is None:
        return None
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

    return Signal(
        key=key,
        level="discuss",
        title=titles[0],
        text=words(PATIENT),
        clinician_title=titles[1],
        clinician_text=words(CLINICIAN),
        evidence=recent_evidence([
            Evidence(s.entry.slug, s.day, f"{session_label(s)}: {evidence_words.format(value(s))}")
            for s in m.previous + m.recent
        ]),
        numbers={
            "recent_mean": round(m.recent_mean, 2),
            "recent_n": len(m.recent),
            "previous_mean": round(m.previous_mean, 2),
            "previous_n": len(m.previous),
        },
    )


def lost_sentences(q: Questionnaire, subject: str) -> list[str]:
    """'It had come down to half the first score or less on 14 Aug (8, against 16 at first);
    the latest, 12 on 19 Nov, is above that half again, so that response is no longer met.'
    and the same for remission. `subject` starts the sentence ('It', 'Your PHQ-9 score')."""
    said = []
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


def questionnaire_worse(q: Questionnaire) -> Signal | None:
    """A PHQ-9 or GAD-7 score risen by 5 points or more, or into a more severe band, or a
    response or remission that the latest score no longer meets."""
    worse = q.worse
    if worse is None:
        return None
    lowest, latest = worse.lowest, worse.latest
    rose = worse.rise >= 5 or worse.band_worse

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
    key = q.name.lower().replace("-", "")
    return Signal(
        key=f"{key}_worse",
        level="discuss",
        title=title,
        text=words(PATIENT),
        clinician_title=clinician_title,
        clinician_text=words(CLINICIAN),
        evidence=[
            Evidence(p.slug, p.day, f"{format_day(p.day)}: {q.name} {p.total} ({p.band})")
            for p in sorted({id(p): p for p in (lowest, q.response, q.remission, latest) if p is not None}.values(), key=lambda p: p.day)
        ],
        numbers={"lowest": lowest.total, "latest": latest.total, "rise": worse.rise},
    )


def phq9_worse(trends: Trends) -> Signal | None:
    return questionnaire_worse(trends.phq9)


def gad7_worse(trends: Trends) -> Signal | None:
    return questionnaire_worse(trends.gad7)


def one_bad_session(trends: Trends) -> Signal | None:
    """The latest session's lift is far below the steady sessions just before it."""
    settings = trends.settings
    recent = trends.window.recent.entries
    if not recent or recent[-1].lift is None:
        return None
    latest = recent[-1]
    # Only sessions at the latest dose and route: after a change of either a drop is not "one bad day".
    routes = trends.routes_by_session
    others = [s for s in recent[:-1] if s.lift is not None and s.dose_mg == latest.dose_mg
              and routes.get(id(s)) == routes.get(id(latest))]
    lifts = [s.lift for s in others]
    if len(lifts) < settings.min_known:
        return None
    typical = median(lifts)  # type: ignore[type-var]
    steady = max(lifts) - min(lifts) <= 2 * settings.noise_threshold  # type: ignore[type-var, operator]
    far_below = typical - latest.lift >= OUTLIER_MARGIN + settings.noise_threshold  # type: ignore[operator]
    if not (steady and far_below):
        return None
    def facts(v: Voice) -> str:
        return (
            f"{v.cap(v.the)} latest session, on {format_day(latest.day)} at {trends.dose_text(latest.dose_mg, routes.get(id(latest)))}, had a "
            f"lift of {signed(latest.lift)} points, well below the {signed(typical, 1)} points typical of the "  # type: ignore[arg-type]
            f"{sessions_word(len(others))} before it ({format_range(others[0].day, others[-1].day)}), "
            "which were steady."
        )

    level = "wait"
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
    if beside_safety(trends):
        # Beside a safety notice, nothing on the page may sound like "no need to act".
        level, title = "info", "One session below the rest"
        text = f"{facts(PATIENT)} Tell your prescriber about it along with the notice at the top."
        clinician = facts(CLINICIAN)
    return Signal(
        key="one_bad_session",
        level=level,
        title=title,
        text=text,
        clinician_title=title,
        clinician_text=clinician,
        evidence=recent_evidence([lift_evidence(s) for s in others + [latest]]),
        numbers={"latest_lift": latest.lift, "typical_lift": typical, "others_n": len(others)},  # type: ignore[dict-item]
    )


def beside_safety(trends: Trends) -> bool:
    """Whether the report shows a safety notice: then no other finding reassures."""
    return any(finder(trends) is not None for finder in SAFETY_FINDERS)


# Dissociation this strong, with at least this many side effects, marks a session that went badly
# whatever its lift.
SEVERAL_SIDE_EFFECTS = 2


def stood_out(trends: Trends) -> list[tuple[SessionFigures, str, str]]:
    """The sessions of the recent window that stand out, each with what made it stand out for
    the benefit (a lift far below the window's other sessions at its dose: their median, by
    OUTLIER_MARGIN beyond the noise threshold) and for side effects (strong dissociation with
    several side effects); "" where it did not. The latest session, when `one_bad_session`
    already names it for its lift, is left to that signal for its lift."""
    settings = trends.settings
    recent = trends.window.recent.entries
    told_latest = one_bad_session(trends) is not None
    found = []
    for s in recent:
        low = harsh = ""
        others = [o.lift for o in recent if o is not s and o.lift is not None and o.dose_mg == s.dose_mg]
        if s.lift is not None and len(others) >= settings.min_known and not (told_latest and s is recent[-1]):
            typical = median(others)  # type: ignore[type-var]
            if typical - s.lift >= OUTLIER_MARGIN + settings.noise_threshold:  # type: ignore[operator]
                low = (
                    f"a lift of {signed(s.lift)} points, against {signed(typical, 1)} typical of the other "  # type: ignore[arg-type]
                    f"{sessions_word(len(others))} at that dose in the window"
                )
        effects = s.entry.side_effects or []
        if s.entry.dissociation == "strong" and len(effects) >= SEVERAL_SIDE_EFFECTS:
            harsh = f"strong dissociation with {join_words(effects)}"
        if low or harsh:
            found.append((s, low, harsh))
    return found


def unusual_sessions(trends: Trends) -> Signal | None:
    """Every session of the recent window that stands out (see `stood_out`), named with its date."""
    found = [(s, "; ".join(filter(None, (low, harsh))), harsh) for s, low, harsh in stood_out(trends)]
    if not found:
        return None
    harsh = any(h for _, _, h in found)
    w = trends.window.recent
    days = join_words([format_day(s.day) for s, _, _ in found])

    def words(v: Voice) -> str:
        listed = "; ".join(f"{session_label(s)}: {said}" for s, said, _ in found)
        return (
            f"In {v.the} last {sessions_word(w.sessions)} ({w.dates_text()}), "
            f"{'this session stands' if len(found) == 1 else 'these sessions stand'} out: {listed}. "
            "What was different on such a day (sleep, stress, illness, the setting) and how the session "
            f"went are worth discussing with {v.discuss_with}."
        )

    title = f"{'A session' if len(found) == 1 else 'Sessions'} that stood out: {days}"
    return Signal(
        key="unusual_sessions",
        level="discuss" if harsh else "info",
        title=title,
        text=words(PATIENT),
        clinician_title=title,
        clinician_text=words(CLINICIAN),
        evidence=recent_evidence([Evidence(s.entry.slug, s.day, f"{session_label(s)}: {said}") for s, said, _ in found]),
        numbers={"sessions": len(found), "days": ", ".join(s.day.isoformat() for s, _, _ in found)},
    )


def frequency_changed(trends: Trends) -> Signal | None:
    """Sessions now take place clearly more or less often than in the window before
    (see `compare_intervals`)."""
    between = trends.between
    if not between.change or between.previous is None:
        return None
    recent, previous = between.recent, between.previous

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
    return Signal(
        key="frequency_changed",
        level="discuss",
        title=title,
        text=words(PATIENT),
        clinician_title=title,
        clinician_text=words(CLINICIAN),
        evidence=recent_evidence([
            Evidence(s.entry.slug, s.day, f"{session_label(s)}: {plural(s.interval_days, 'day')} after the session before")  # type: ignore[arg-type]
            for s in trends.sessions[-2 * trends.settings.window:] if s.interval_days is not None
        ]),
        numbers={"recent_median_days": recent.median, "previous_median_days": previous.median,  # type: ignore[dict-item]
                 "recent_n": len(recent.days), "previous_n": len(previous.days)},
    )


HARD_TO_TOLERATE = ("hard", "intolerable")


def side_effects_hard_to_tolerate(trends: Trends) -> Signal | None:
    """Side effects recorded as hard to tolerate or intolerable in the recent window (the
    `tolerability` field): a reason to talk about side effects, apart from the benefit."""
    w = trends.window.recent
    hard = [s for s in w.entries if s.entry.tolerability in HARD_TO_TOLERATE]
    if not hard:
        return None
    counts = [
        f"{level if level == 'intolerable' else 'hard to tolerate'} in {plural(len(days), 'session')} ({join_words(days)})"
        for level in HARD_TO_TOLERATE
        if (days := [format_day(s.day) for s in hard if s.entry.tolerability == level])
    ]

    def words(v: Voice) -> str:
        return (
            f"In {v.the} last {sessions_word(w.sessions)} ({w.dates_text()}), side effects were recorded as "
            f"{join_words(counts)}. Side effects that are hard to tolerate are worth discussing with "
            f"{v.discuss_with}, as a matter of their own, apart from how well the treatment works."
        )

    return Signal(
        key="side_effects_hard_to_tolerate",
        level="discuss",
        title="Side effects were hard to tolerate",
        text=words(PATIENT),
        clinician_title="Side effects recorded as hard to tolerate",
        clinician_text=words(CLINICIAN),
        evidence=recent_evidence([
            Evidence(s.entry.slug, s.day, f"{session_label(s)}: tolerability {s.entry.tolerability}"
                     + (f"; side effects {', '.join(s.entry.side_effects)}" if s.entry.side_effects else ""))
            for s in hard
        ]),
        numbers={"sessions": len(hard), "recent_n": w.sessions},
    )


# --------------------------------------------------------------------------- side effects and data quality


def side_effect_changes(trends: Trends) -> tuple[dict[str, str], dict[str, tuple[int, int, int, int]]]:
    """Side effects new in the recent window (name -> first day there), and those recorded
    in a clearly larger share of recent sessions than before
    (name -> recent count, recent sessions, earlier count, earlier sessions)."""
    settings = trends.settings
    w = trends.window
    recent = [s for s in w.recent.entries if s.entry.side_effects is not None]
    start = len(trends.sessions) - len(w.recent.entries)
    earlier = [s for s in trends.sessions[:start] if s.entry.side_effects is not None]
    previous = [s for s in (w.previous.entries if w.previous else []) if s.entry.side_effects is not None]
    new: dict[str, str] = {}
    if len(earlier) >= settings.min_known:
        seen_before = {name for s in earlier for name in s.entry.side_effects}  # type: ignore[union-attr]
        for s in recent:
            for name in s.entry.side_effects:  # type: ignore[union-attr]
                if name not in seen_before and name not in new:
                    new[name] = format_day(s.day)
    rising: dict[str, tuple[int, int, int, int]] = {}
    if len(recent) >= settings.min_known and len(previous) >= settings.min_known:
        names = {name for s in recent for name in s.entry.side_effects}  # type: ignore[union-attr]
        for name in sorted(names - set(new)):
            rc = sum(name in s.entry.side_effects for s in recent)  # type: ignore[operator]
            pc = sum(name in s.entry.side_effects for s in previous)  # type: ignore[operator]
            if rc >= 2 and rc / len(recent) - pc / len(previous) >= SIDE_EFFECT_RISE:
                rising[name] = (rc, len(recent), pc, len(previous))
    return new, rising


def side_effects_rising(trends: Trends) -> Signal | None:
    new, rising = side_effect_changes(trends)
    if not new and not rising:
        return None
    w = trends.window

    def words(v: Voice) -> str:
        parts = []
        if new:
            parts.append(
                f"New in {v.the} last {sessions_word(w.recent.sessions)} ({w.recent.dates_text()}): "
                + join_words([f"{name} (first on {day})" for name, day in new.items()])
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
        Evidence(s.entry.slug, s.day, f"{session_label(s)}: {', '.join(s.entry.side_effects)}")  # type: ignore[arg-type]
        for s in w.recent.entries
        if s.entry.side_effects and names & set(s.entry.side_effects)
    ]
    return Signal(
        key="side_effects_rising",
        level="discuss",
        title="Side effects are new or more frequent",
        text=words(PATIENT),
        clinician_title="Side effects are new or more frequent",
        clinician_text=words(CLINICIAN),
        evidence=recent_evidence(evidence),
        numbers={"new": ", ".join(new), "more_frequent": ", ".join(rising)},
    )


def missing_follow_ups(trends: Trends) -> Signal | None:
    """Moods left empty often enough to weaken the figures: any mood missing in a fifth or
    more of the sessions where it was due (and at least twice), or so many missing in the
    recent window that its lift or duration can no longer be compared."""
    settings = trends.settings
    total = len(trends.sessions)
    weak = []
    for name, missing in trends.missing_follow_ups.items():
        due = total - trends.pending_follow_ups.get(name, 0)
        if missing >= 2 and due and missing / due >= MISSING_SHARE:
            weak.append(f"{FIELD_WORDS[name]} in {missing} of {sessions_word(due)}")
    recent = trends.window.recent
    recent_gaps = [s for s in recent.entries if s.missing]
    recent_weak = bool(recent_gaps) and (
        recent.lift_n < settings.min_known or recent.duration_n < settings.min_known
    )
    if not weak and not recent_weak:
        return None

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
    numbers: dict[str, float | int | str] = dict(trends.missing_follow_ups)
    numbers["sessions"] = total
    return Signal(
        key="missing_follow_ups",
        level="info",
        title="Missing follow-ups weaken the figures",
        text=text,
        clinician_title="Missing follow-ups weaken the figures",
        clinician_text=" ".join(facts(CLINICIAN)),
        evidence=recent_evidence(evidence),
        numbers=numbers,
    )


SAFETY_FINDERS = (self_harm_item, overlapping_prescribers)

SIGNAL_FINDERS = (
    self_harm_item,
    overlapping_prescribers,
    benefit_declining,
    effect_fading,
    mood_before_declining,
    mood_after_declining,
    phq9_worse,
    gad7_worse,
    new_provider_dose_drop,
    adequate_trial_without_benefit,
    side_effects_rising,
    side_effects_hard_to_tolerate,
    unusual_sessions,
    frequency_changed,
    adequate_trial_not_reached,
    one_bad_session,
    missing_follow_ups,
)


def find_signals(trends: Trends) -> list[Signal]:
    """Every signal the figures support, safety first (the self-harm notice before all)."""
    found = [signal for finder in SIGNAL_FINDERS if (signal := finder(trends)) is not None]
    return sorted(found, key=lambda s: LEVEL_ORDER[s.level])  # stable: keeps the order above


# --------------------------------------------------------------------------- talking points


def _find(signals: Sequence[Signal], key: str) -> Signal | None:
    return next((s for s in signals if s.key == key), None)


def efficacy_statement(trends: Trends) -> str:
    """What the sessions did for my mood, in the first person, with numbers and dates."""
    if not trends.sessions:
        return "I have no sessions recorded yet, so there is nothing to say about the benefit."
    w = trends.window
    recent = w.recent
    where = f"at {trends.regimens_text(recent.entries)} ({recent.dates_text()})"
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
            f"{sessions_word(previous.sessions)} before ({previous.dates_text()}"  # type: ignore[union-attr]
            f"{', at ' + trends.regimens_text(previous.entries) if not w.same_dose else ''})."  # type: ignore[union-attr]
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


def restart_cut(trends: Trends) -> Gap | None:
    """The break the recent windows stop at, when it cut them short (see window_since_break)."""
    gap = trends.phase.restarted_after
    if gap is None or not trends.gaps or gap != trends.gaps[-1]:
        return None
    since = [s for s in trends.sessions if s.day >= gap.end]
    return gap if len(since) < 2 * trends.settings.window else None


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


# A questionnaire asks about the last two weeks; a score older than this is not how the
# person is now, and is said to be old wherever the latest score is given.
SCORE_OLD_DAYS = 28


def score_age(q: Questionnaire, today: date) -> str:
    """'9 weeks' when the latest score is older than SCORE_OLD_DAYS; '' otherwise."""
    latest = q.latest
    if latest is None or (today - latest.day).days <= SCORE_OLD_DAYS:
        return ""
    return plural((today - latest.day).days // 7, "week")


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
    where = f"{owner} {sessions_word(window.sessions)}{' before' if before else ''} ({window.dates_text()})"
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


def questions(trends: Trends, signals: Sequence[Signal]) -> list[str]:
    """The guide's direct questions, with my numbers where they help."""
    if trends.current_dose is not None:
        how_long = (
            f"I have had {sessions_word(trends.sessions_at_current_dose)} at "
            f"{trends.current_dose_text} since {format_day(trends.current_dose_since)}. "  # type: ignore[arg-type]
            "How long should I stay at this dose before we reassess it?"
        )
    else:
        how_long = "How long should I stay at a dose before we reassess it?"
    fading = _find(signals, "effect_fading")
    if fading is not None:
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


def limits(trends: Trends, signals: Sequence[Signal]) -> list[str]:
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


def talking_points(trends: Trends, signals: Sequence[Signal]) -> TalkingPoints:
    found = stood_out(trends)
    low = [f"{format_day(s.day)}, {low}" for s, low, _ in found if low]
    harsh = [f"{format_day(s.day)}, {harsh}" for s, _, harsh in found if harsh]
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
        questions=questions(trends, signals),
        limits=limits(trends, signals),
        between=between_statement(trends),
    )
