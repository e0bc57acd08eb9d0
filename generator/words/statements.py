"""The talking points: the same facts in the first person, the statements to read out or hand
over (overview, summary, check-in sheet)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..entries import TOLERABILITY_LEVELS
from ..signals import (
    Finding,
    fading_amount,
    restart_cut,
    side_effect_changes,
    stood_out,
)
from ..trends import (
    SessionFigures,
    Trends,
    WindowSummary,
    last_follow_up_mood,
    mean_leaving_out,
)
from .figures import current_dose_text, dates_text, regimens_text
from .findings import interval_dates, lost_sentences, score_age, score_text, stood_out_harsh, stood_out_low
from .numbers import (
    based_on,
    break_words,
    duration_basis,
    duration_mean_text,
    format_day,
    format_range,
    join_words,
    lift_amount,
    lift_phrase,
    plural,
    sessions_word,
)


@dataclass(frozen=True)
class TalkingPoints:
    state: str
    efficacy: str
    side_effects: str
    questions: list[str]
    limits: list[str]
    between: str = ""  # how often sessions take place, in the first person


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
    first = (
        f"Over my {'last ' if previous is not None else ''}{sessions_word(recent.sessions)} {where}, "
        f"my mood {lift_phrase(recent.mean_lift)} two hours after a session "
        f"({based_on(recent.lift_n)})"
    )
    if w.direction == "unknown" or previous is None or previous.mean_lift is None:
        first += ". That is too few sessions to say whether the benefit is changing."
    else:
        change, unclear = {"declining": ("down from", ""), "improving": ("up from", "")}.get(w.direction) or stable_words(
            recent.mean_lift, previous.mean_lift, recent.lifts, previous.lifts, trends.settings.noise_threshold)
        plain = recent.mean_lift > 0 and previous.mean_lift > 0
        first += (
            f", {change} {lift_amount(previous.mean_lift, plain)} over the "
            f"{sessions_word(previous.sessions)} before ({dates_text(previous)}"
            f"{', at ' + regimens_text(trends, previous.entries) if not w.same_dose else ''}){unclear}."
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
        f"My last {plural(len(recent.days), 'session')} ({interval_dates(recent)}) came a median "
        f"of {plural(recent.median, 'day')} after the one before"
    )
    if recent.shortest != recent.longest:
        text += f" ({recent.shortest} to {recent.longest} days)"
    previous = between.previous
    if previous is not None and previous.median is not None:
        change = {"more often": ", more often than", "less often": ", less often than"}.get(between.change, ", about as often as")
        text += f"{change} the {plural(len(previous.days), 'session')} before ({plural(previous.median, 'day')})"
    return text + "."


def side_effects_in(window: WindowSummary, owner: str, before: bool = False) -> str:
    recorded = [s.entry.side_effects for s in window.entries if s.entry.side_effects is not None]
    where = f"{owner} {sessions_word(window.sessions)}{' before' if before else ''} ({dates_text(window)})"
    if not recorded:
        return f"I did not record side effects for {where}, so I cannot describe them."
    counts: dict[str, int] = {}
    for effects in recorded:
        for name in effects:
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
            f"{current_dose_text(trends)} since {format_day(trends.current_dose_since)}. "
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


def stable_words(recent: float, previous: float, recent_values: Sequence[float],
                 previous_values: Sequence[float], threshold: float) -> tuple[str, str]:
    """The words between two means found 'stable' (see trends.decide_direction), and after
    them: 'about the same as' when the means as printed differ by the noise threshold or
    less. Else 'against', and why it is not a clear change: without the one session that
    helps the difference most in each window it is within the threshold, or the slope over
    both windows goes the other way."""
    if abs(round(recent, 1) - round(previous, 1)) <= threshold + 1e-9:
        return "about the same as", ""
    if recent > previous:
        left = mean_leaving_out(recent_values, "highest") - mean_leaving_out(previous_values, "lowest")
    else:
        left = mean_leaving_out(previous_values, "highest") - mean_leaving_out(recent_values, "lowest")
    if left <= threshold:
        return "against", ": not a clear change, as one or two sessions account for much of the difference"
    return "against", f": not a clear change, as the sessions taken in order show no steady {'rise' if recent > previous else 'fall'}"


def state_statement(trends: Trends) -> str:
    """How I have been between sessions: my mood right before them and at the last follow-up
    before the next one, recent against before. Apart from the lift: a person can feel a lift
    after each session and still be worse."""
    threshold = trends.settings.noise_threshold

    def change(direction: str, recent: Sequence[SessionFigures], previous: Sequence[SessionFigures],
               recent_mean: float, previous_mean: float, value: Callable[[SessionFigures], int | None]) -> tuple[str, str]:
        """'down from', 'up from', 'about the same as' or 'against' and why (see stable_words)."""
        if direction != "stable":
            return {"declining": "down from", "improving": "up from"}[direction], ""
        values = [[float(v) for s in sessions if (v := value(s)) is not None] for sessions in (recent, previous)]
        return stable_words(recent_mean, previous_mean, values[0], values[1], threshold)

    said = []
    m = trends.mood_before
    if m.recent_mean is None:
        said.append("I have not recorded my mood before my recent sessions.")
    else:
        which = "my one session" if len(m.recent) == 1 else f"my last {sessions_word(len(m.recent))}"
        recent = f"{which} ({format_range(m.recent[0].day, m.recent[-1].day)})"
        now = f"Right before {recent}, my mood averaged {m.recent_mean:.1f} out of 10"
        if m.direction == "unknown" or m.previous_mean is None:
            said.append(now + "; too few sessions to compare with before.")
        else:
            words, unclear = change(m.direction, m.recent, m.previous, m.recent_mean, m.previous_mean,
                                    lambda s: s.entry.pre_mood)
            said.append(
                f"{now}, {words} {m.previous_mean:.1f} over the {sessions_word(len(m.previous))} "
                f"before ({format_range(m.previous[0].day, m.previous[-1].day)}){unclear}."
            )
    a = trends.mood_after
    if a.recent_mean is not None and a.previous_mean is not None and a.direction != "unknown":
        words, unclear = change(a.direction, a.recent, a.previous, a.recent_mean, a.previous_mean, last_follow_up_mood)
        said.append(f"At the last follow-up before the next session, my mood averaged {a.recent_mean:.1f}, "
                    f"{words} {a.previous_mean:.1f} before{unclear}.")
    return " ".join(said)


def talking_points(trends: Trends, found: Sequence[Finding]) -> TalkingPoints:
    standing = stood_out(trends)
    low = [f"{format_day(o.session.day)}, {stood_out_low(o)}" for o in standing if o.low]
    harsh = [f"{format_day(o.session.day)}, {stood_out_harsh(o)}" for o in standing if o.harsh]
    efficacy = efficacy_statement(trends)
    if low:
        which = "one session" if len(low) == 1 else "these sessions"
        efficacy += f" In my last {sessions_word(len(trends.window.recent.entries))}, {which} stood out: {'; '.join(low)}."
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
