"""Signals: which findings the person's own figures support.

A finding says what the data shows and how it ranks: worth discussing with the prescriber,
waiting, acting on now (safety), or for information; it carries the sessions and the numbers
behind it. This module decides; it writes no sentence: `generator.words` words each finding,
for the person and for the clinician, and writes the talking points. Nothing here suggests a
dose. `tests/test_signals.py` scans every sentence written from these findings for dose advice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from .settings import Settings
from .trends import (
    Gap,
    Questionnaire,
    SessionFigures,
    StateComparison,
    Trends,
    current_dose_run,
    last_follow_up_mood,
    mean_and_count,
    mean_leaving_out,
)

LEVEL_ORDER = {"safety": 0, "discuss": 1, "wait": 2, "info": 3}
# How far below its steady neighbours one session must fall, beyond the noise
# threshold, to count as an outlier: 2 points on a 1-10 scale is more than a wobble.
OUTLIER_MARGIN = 2.0
# A side effect counts as more frequent when it shows up in at least a third more of
# the sessions (2 more out of 6): one extra occurrence is not a change.
SIDE_EFFECT_RISE = 1 / 3
# Follow-ups missing in a fifth of the sessions weaken every figure built on them.
MISSING_SHARE = 0.2
# A new prescriber's first dose at this share of the previous one or less is a large drop.
DOSE_DROP_SHARE = 0.5
# Dissociation this strong, with at least this many side effects, marks a session that went badly
# whatever its lift.
SEVERAL_SIDE_EFFECTS = 2
HARD_TO_TOLERATE = ("hard", "intolerable")
# A questionnaire asks about the last two weeks; a score older than this is not how the
# person is now, and is said to be old wherever the latest score is given.
SCORE_OLD_DAYS = 28


@dataclass(frozen=True)
class Finding:
    """One finding of the figures, before any words: its key (the name of the detector), its
    level ("safety" | "discuss" | "wait" | "info") and the numbers behind it (shown as they
    are). A finding whose wording needs more than the figures' own is one of the kinds below,
    which add the sessions and amounts the detector found."""

    key: str
    level: str
    numbers: dict[str, float | int | str]


@dataclass(frozen=True)
class SelfHarm(Finding):
    flagged: list[SessionFigures]  # the sessions with question 9 above 0
    later: SessionFigures | None  # a later session whose PHQ-9 answered it 0


@dataclass(frozen=True)
class Overlap(Finding):
    involved: list[list[SessionFigures]]  # each overlapping prescriber's sessions, in order
    inside: dict[str, SessionFigures]  # the sessions inside another's period, by slug


@dataclass(frozen=True)
class DoseDrop(Finding):
    before: SessionFigures  # the last session with the earlier prescriber
    after: SessionFigures  # the first with the new one
    gap: Gap | None  # the break between them, if there was one


@dataclass(frozen=True)
class TrialWithoutBenefit(Finding):
    mean: float  # the current run's mean lift, over n sessions
    n: int
    before: list[SessionFigures]  # the run at the dose before (see previous_dose_run)
    before_mean: float | None
    before_n: int
    below_before: bool  # below the benefit seen before, rather than no clear benefit


@dataclass(frozen=True)
class StateDecline(Finding):
    comparison: StateComparison
    value: Callable[[SessionFigures], int | None]  # each session's mood compared


@dataclass(frozen=True)
class QuestionnaireWorse(Finding):
    questionnaire: Questionnaire
    rose: bool  # risen, rather than only a response or remission lost


@dataclass(frozen=True)
class OneBadSession(Finding):
    latest: SessionFigures
    others: list[SessionFigures]  # the steady sessions before it
    typical: float  # their median lift
    beside_safety: bool


@dataclass(frozen=True)
class Unusual(Finding):
    found: list[StoodOut]


@dataclass(frozen=True)
class HardToTolerate(Finding):
    hard: list[SessionFigures]


@dataclass(frozen=True)
class SideEffectChanges(Finding):
    new: dict[str, date]  # see side_effect_changes
    rising: dict[str, tuple[int, int, int, int]]


@dataclass(frozen=True)
class MissingMoods(Finding):
    weak: list[tuple[str, int, int]]  # (mood field, sessions missing it, sessions it was due)
    recent_weak: bool


# --------------------------------------------------------------------------- safety


def self_harm_item(trends: Trends) -> Finding | None:
    """PHQ-9 question 9 answered above 0 in any entry: shown first, whatever else is true.
   """
    answered = [
        (s, s.entry.scores.phq9_item9) for s in trends.sessions
        if s.entry.scores is not None and s.entry.scores.phq9_item9 is not None
    ]
    flagged = [(s, answer) for s, answer in answered if answer > 0]
    if not flagged:
        return None
    latest, latest_answer = flagged[-1]
    # A later PHQ-9 answered question 9 with 0: the notice stays at the top (it must not be
    # missed), but it does not say "now" about answers that a later one no longer records.
    later = answered[-1][0] if answered[-1][0] is not latest else None
    return SelfHarm(
        "self_harm_item", "safety",
        {
            "entries": len(flagged),
            "latest_answer": latest_answer,
            "latest_day": latest.day.isoformat(),
        },
        [s for s, _ in flagged], later,
    )


def overlapping_prescribers(trends: Trends) -> Finding | None:
    """Two prescribers whose periods of sessions (first to last) overlap or interleave.
    Spellings of one prescriber count as one (case, punctuation, titles, and the `providers`
    setting: see Trends.prescriber). facts: involved (each prescriber's sessions, in order),
    inside (the sessions that fall inside another's period, by slug)."""
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
    inside: dict[str, SessionFigures] = {}
    for a, b in pairs:
        for own, other in ((a, b), (b, a)):
            for s in own:
                if other[0].day <= s.day <= other[-1].day:
                    inside[s.entry.slug] = s
    return Overlap("overlapping_prescribers", "safety", {"pairs": len(pairs), "providers": len(providers)}, involved, inside)


def new_provider_dose_drop(trends: Trends) -> Finding | None:
    """A change to a prescriber not seen before whose first session is at half the dose of
    the last session with the one before, or less (by the same route: mg by different
    routes are not compared). The guide's red flag: a new provider restarting at the lowest
    dose without reviewing the history. facts: before, after (the two sessions), gap (the
    break between them, or None)."""
    named = [(s, s.entry.provider) for s in trends.sessions if s.entry.provider is not None]
    seen: set[str] = set()
    found = None
    for (before, before_provider), (after, after_provider) in zip(named, named[1:]):
        seen.add(trends.prescriber_key(before_provider))
        new = trends.prescriber_key(after_provider) not in seen
        routes = {before.entry.route, after.entry.route} - {None}
        if new and len(routes) <= 1 and after.dose_mg <= before.dose_mg * DOSE_DROP_SHARE:
            found = (before, after, after_provider)  # the latest such change
    if found is None:
        return None
    before, after, after_provider = found
    gap = next((g for g in trends.gaps if g.start == before.day and g.end == after.day), None)
    return DoseDrop(
        "new_provider_dose_drop", "discuss",
        {"previous_dose_mg": before.dose_mg, "new_dose_mg": after.dose_mg,
         "new_provider": trends.prescriber(after_provider)},
        before, after, gap,
    )


# --------------------------------------------------------------------------- benefit


def benefit_declining(trends: Trends) -> Finding | None:
    """The window comparison says 'declining' and every compared session was at one dose by
    one route (mg by different routes are not the same exposure)."""
    w = trends.window
    if w.direction != "declining" or not w.same_dose or w.previous is None:
        return None
    recent, previous = w.recent, w.previous
    # known when the direction is: each window has min_known lifts and the slope is set
    if recent.mean_lift is None or previous.mean_lift is None or w.slope is None:
        return None
    return Finding(
        "benefit_declining", "discuss",
        {
            "dose_mg": recent.doses[0],
            "recent_mean_lift": round(recent.mean_lift, 2),
            "recent_n": recent.lift_n,
            "previous_mean_lift": round(previous.mean_lift, 2),
            "previous_n": previous.lift_n,
            "slope_per_session": round(w.slope, 3),
        },
    )


def fading_amount(recent: Sequence[float], previous: Sequence[float], settings: Settings) -> float | None:
    """How many days sooner the effect now ends, leaving out the recent window's shortest and
    the earlier window's longest session so that no single session decides it; None when
    either window has too few known durations."""
    if len(recent) < settings.min_known or len(previous) < settings.min_known:
        return None
    return mean_leaving_out(previous, "highest") - mean_leaving_out(recent, "lowest")


def effect_fading(trends: Trends) -> Finding | None:
    w = trends.window
    if w.previous is None:
        return None
    recent, previous = w.recent, w.previous
    fade = fading_amount(recent.durations, previous.durations, trends.settings)
    if fade is None or fade <= trends.settings.fade_threshold_days:
        return None
    if recent.mean_duration is None or previous.mean_duration is None:  # known when fade is
        return None
    return Finding(
        "effect_fading", "discuss",
        {
            "recent_mean_days": round(recent.mean_duration, 2),
            "recent_n": recent.duration_n,
            "previous_mean_days": round(previous.mean_duration, 2),
            "previous_n": previous.duration_n,
            "previous_beyond_day7": previous.duration_beyond7,
        },
    )


def adequate_trial_not_reached(trends: Trends) -> Finding | None:
    """Too few sessions at the current dose to judge it (the guide: at least 3-4)."""
    if trends.current_dose is None or trends.adequate_trial_reached:
        return None
    return Finding(
        "adequate_trial_not_reached", "wait",
        {"dose_mg": trends.current_dose, "sessions_at_dose": trends.sessions_at_current_dose,
         "sessions_needed": trends.settings.adequate_trial},
    )


def previous_dose_run(trends: Trends) -> list[SessionFigures]:
    """The consecutive sessions at the dose (and route) just before the current one; none
    when a break lies between them, since a comparison never reaches across a break."""
    earlier = trends.sessions[: len(trends.sessions) - len(trends.current_run)]
    run = current_dose_run(earlier, trends.settings.gap_weeks)
    if run and trends.current_run and (trends.current_run[0].day - run[-1].day).days > trends.settings.gap_weeks * 7:
        return []
    return run


def adequate_trial_without_benefit(trends: Trends) -> Finding | None:
    """The current dose has had an adequate trial (with at least that many sessions rated),
    and its mean lift is either within the noise threshold (no clear benefit: facts
    `below_before` False) or below the mean lift at the dose just before it by more than the
    noise threshold (`below_before` True). facts: mean, n, before (the run before), before_mean,
    before_n."""
    settings = trends.settings
    run = trends.current_run
    if not trends.adequate_trial_reached or trends.current_dose is None:
        return None
    if trends.current_run_left_out:
        # A copy from `since` on that holds only the last part of the time at this dose: a
        # trial is judged over all of it, never over the part a date happens to cut (whose
        # verdict would change with the date chosen). The person's own report judges it.
        return None
    mean, n = mean_and_count(s.lift for s in run)
    if mean is None or n < settings.adequate_trial:
        return None
    before = previous_dose_run(trends)
    before_mean, before_n = mean_and_count(s.lift for s in before)
    numbers: dict[str, float | int | str] = {"dose_mg": trends.current_dose, "mean_lift": round(mean, 2), "lift_n": n}
    if mean <= settings.noise_threshold:
        below_before = False
    elif (
        before_mean is not None
        and before_n >= min(settings.adequate_trial, settings.min_known)
        and mean < before_mean - settings.noise_threshold
    ):
        below_before = True
        numbers.update(previous_dose_mg=before[0].dose_mg, previous_mean_lift=round(before_mean, 2), previous_lift_n=before_n)
    else:
        return None
    return TrialWithoutBenefit("adequate_trial_without_benefit", "discuss", numbers, mean, n, before, before_mean, before_n,
                               below_before)


# --------------------------------------------------------------------------- state between sessions


def mood_before_declining(trends: Trends) -> Finding | None:
    """The mood right before sessions has fallen: the person is worse between sessions,
    whatever each session's lift shows. Same rule as a declining lift (decide_direction)."""
    return state_declining(trends.mood_before, "mood_before_declining", lambda s: s.entry.pre_mood)


def mood_after_declining(trends: Trends) -> Finding | None:
    """The mood at the last follow-up before the next session has fallen: the benefit leaves
    the person lower than it used to, whatever the lift two hours after shows. Said only when
    no decline of the lift or fading of the effect tells the same story already."""
    if benefit_declining(trends) is not None or effect_fading(trends) is not None:
        return None
    return state_declining(trends.mood_after, "mood_after_declining", last_follow_up_mood)


def state_declining(m: StateComparison, key: str, value: Callable[[SessionFigures], int | None]) -> Finding | None:
    """A declining state: the comparison, and each session's mood it compares (`value`)."""
    if m.direction != "declining" or m.recent_mean is None or m.previous_mean is None:
        return None
    return StateDecline(
        key, "discuss",
        {
            "recent_mean": round(m.recent_mean, 2),
            "recent_n": len(m.recent),
            "previous_mean": round(m.previous_mean, 2),
            "previous_n": len(m.previous),
        },
        m, value,
    )


def questionnaire_worse(q: Questionnaire) -> Finding | None:
    """A PHQ-9 or GAD-7 score risen by 5 points or more, or into a more severe band, from the
    lowest of the last 12 months and since the last restart (see trends.worsening), or a
    response or remission that the latest score no longer meets. facts: questionnaire, rose
    (risen, rather than only a response or remission lost)."""
    worse = q.worse
    if worse is None:
        return None
    key = q.name.lower().replace("-", "")
    return QuestionnaireWorse(
        f"{key}_worse", "discuss",
        {"lowest": worse.lowest.total, "latest": worse.latest.total, "rise": worse.rise},
        q, worse.rise >= 5 or worse.band_worse,
    )


def phq9_worse(trends: Trends) -> Finding | None:
    return questionnaire_worse(trends.phq9)


def gad7_worse(trends: Trends) -> Finding | None:
    return questionnaire_worse(trends.gad7)


def one_bad_session(trends: Trends) -> Finding | None:
    """The latest session's lift is far below the steady sessions just before it. Beside a
    safety notice its level is "info" (nothing on the page may sound like "no need to act").
   """
    settings = trends.settings
    recent = trends.window.recent.entries
    if not recent:
        return None
    latest = recent[-1]
    latest_lift = latest.lift
    if latest_lift is None:
        return None
    # Only sessions at the latest dose and route: after a change of either a drop is not "one bad day".
    routes = trends.routes_by_session
    others = [s for s in recent[:-1] if s.lift is not None and s.dose_mg == latest.dose_mg
              and routes.get(id(s)) == routes.get(id(latest))]
    lifts = [s.lift for s in others if s.lift is not None]  # all of them: others have a lift
    if len(lifts) < settings.min_known:
        return None
    typical = median(lifts)
    steady = max(lifts) - min(lifts) <= 2 * settings.noise_threshold
    far_below = typical - latest_lift >= OUTLIER_MARGIN + settings.noise_threshold
    if not (steady and far_below):
        return None
    safety = beside_safety(trends)
    return OneBadSession(
        "one_bad_session", "info" if safety else "wait",
        {"latest_lift": latest_lift, "typical_lift": typical, "others_n": len(others)},
        latest, others, typical, safety,
    )


def beside_safety(trends: Trends) -> bool:
    """Whether the report shows a safety notice: then no other finding reassures."""
    return any(finder(trends) is not None for finder in SAFETY_FINDERS)


@dataclass(frozen=True)
class StoodOut:
    """A session of the recent window that stands out: for the benefit (`typical`, the median
    lift of the `others` sessions at its dose in the window, when its own lift is far below it)
    and for side effects (`harsh`, the side effects recorded with strong dissociation)."""

    session: SessionFigures
    typical: float | None = None
    others: int = 0
    harsh: list[str] = field(default_factory=list)

    @property
    def low(self) -> bool:
        return self.typical is not None


def stood_out(trends: Trends) -> list[StoodOut]:
    """The sessions of the recent window that stand out, for the benefit (a lift far below the
    window's other sessions at its dose: their median, by OUTLIER_MARGIN beyond the noise
    threshold) or for side effects (strong dissociation with several side effects). The latest
    session, when `one_bad_session` already names it for its lift, is left to that signal for
    its lift."""
    settings = trends.settings
    recent = trends.window.recent.entries
    told_latest = one_bad_session(trends) is not None
    found = []
    for s in recent:
        typical, n = None, 0
        others = [o.lift for o in recent if o is not s and o.lift is not None and o.dose_mg == s.dose_mg]
        if s.lift is not None and len(others) >= settings.min_known and not (told_latest and s is recent[-1]):
            middle = median(others)
            if middle - s.lift >= OUTLIER_MARGIN + settings.noise_threshold:
                typical, n = middle, len(others)
        effects = s.entry.side_effects or []
        harsh = list(effects) if s.entry.dissociation == "strong" and len(effects) >= SEVERAL_SIDE_EFFECTS else []
        if typical is not None or harsh:
            found.append(StoodOut(s, typical, n, harsh))
    return found


def unusual_sessions(trends: Trends) -> Finding | None:
    """Every session of the recent window that stands out (see `stood_out`)."""
    found = stood_out(trends)
    if not found:
        return None
    return Unusual(
        "unusual_sessions", "discuss" if any(f.harsh for f in found) else "info",
        {"sessions": len(found), "days": ", ".join(f.session.day.isoformat() for f in found)},
        found,
    )


def frequency_changed(trends: Trends) -> Finding | None:
    """Sessions now take place clearly more or less often than in the window before
    (see `compare_intervals`)."""
    between = trends.between
    if not between.change or between.previous is None:
        return None
    recent, previous = between.recent, between.previous
    if recent.median is None or previous.median is None:  # known when there is a change
        return None
    return Finding(
        "frequency_changed", "discuss",
        {"recent_median_days": recent.median, "previous_median_days": previous.median,
         "recent_n": len(recent.days), "previous_n": len(previous.days)},
    )


def side_effects_hard_to_tolerate(trends: Trends) -> Finding | None:
    """Side effects recorded as hard to tolerate or intolerable in the recent window (the
    `tolerability` field): a reason to talk about side effects, apart from the benefit.
   """
    w = trends.window.recent
    hard = [s for s in w.entries if s.entry.tolerability in HARD_TO_TOLERATE]
    if not hard:
        return None
    return HardToTolerate("side_effects_hard_to_tolerate", "discuss", {"sessions": len(hard), "recent_n": w.sessions}, hard)


# --------------------------------------------------------------------------- side effects and data quality


def side_effect_changes(trends: Trends) -> tuple[dict[str, date], dict[str, tuple[int, int, int, int]]]:
    """Side effects new in the recent window (name -> first day there), and those recorded
    in a clearly larger share of recent sessions than before
    (name -> recent count, recent sessions, earlier count, earlier sessions)."""
    settings = trends.settings
    w = trends.window
    start = len(trends.sessions) - len(w.recent.entries)
    recent = _side_effects_recorded(w.recent.entries)
    earlier = _side_effects_recorded(trends.sessions[:start])
    previous = _side_effects_recorded(w.previous.entries if w.previous else [])
    new: dict[str, date] = {}
    if len(earlier) >= settings.min_known:
        seen_before = {name for _, effects in earlier for name in effects}
        for s, effects in recent:
            for name in effects:
                if name not in seen_before and name not in new:
                    new[name] = s.day
    rising: dict[str, tuple[int, int, int, int]] = {}
    if len(recent) >= settings.min_known and len(previous) >= settings.min_known:
        names = {name for _, effects in recent for name in effects}
        for name in sorted(names - set(new)):
            rc = sum(name in effects for _, effects in recent)
            pc = sum(name in effects for _, effects in previous)
            if rc >= 2 and rc / len(recent) - pc / len(previous) >= SIDE_EFFECT_RISE:
                rising[name] = (rc, len(recent), pc, len(previous))
    return new, rising


def _side_effects_recorded(sessions: Sequence[SessionFigures]) -> list[tuple[SessionFigures, list[str]]]:
    """The sessions with side effects recorded (an empty list counts), each with them."""
    return [(s, s.entry.side_effects) for s in sessions if s.entry.side_effects is not None]


def side_effects_rising(trends: Trends) -> Finding | None:
    """"""
    new, rising = side_effect_changes(trends)
    if not new and not rising:
        return None
    return SideEffectChanges(
        "side_effects_rising", "discuss", {"new": ", ".join(new), "more_frequent": ", ".join(rising)}, new, rising,
    )


def missing_follow_ups(trends: Trends) -> Finding | None:
    """Moods left empty often enough to weaken the figures: any mood missing in a fifth or
    more of the sessions where it was due (and at least twice), or so many missing in the
    recent window that its lift or duration can no longer be compared. facts: weak
    ((field, missing, due) each), recent_weak."""
    settings = trends.settings
    total = len(trends.sessions)
    weak = []
    for name, missing in trends.missing_follow_ups.items():
        due = total - trends.pending_follow_ups.get(name, 0)
        if missing >= 2 and due and missing / due >= MISSING_SHARE:
            weak.append((name, missing, due))
    recent = trends.window.recent
    recent_gaps = [s for s in recent.entries if s.missing]
    recent_weak = bool(recent_gaps) and (
        recent.lift_n < settings.min_known or recent.duration_n < settings.min_known
    )
    if not weak and not recent_weak:
        return None
    numbers: dict[str, float | int | str] = dict(trends.missing_follow_ups)
    numbers["sessions"] = total
    return MissingMoods("missing_follow_ups", "info", numbers, weak, recent_weak)


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


def find_signals(trends: Trends) -> list[Finding]:
    """Every finding the figures support, safety first (the self-harm notice before all)."""
    found = [finding for finder in SIGNAL_FINDERS if (finding := finder(trends)) is not None]
    return sorted(found, key=lambda s: LEVEL_ORDER[s.level])  # stable: keeps the order above


# --------------------------------------------------------------------------- figures the talking points need


def restart_cut(trends: Trends) -> Gap | None:
    """The break the recent windows stop at, when it cut them short (see window_since_break)."""
    gap = trends.phase.restarted_after
    if gap is None or not trends.gaps or gap != trends.gaps[-1]:
        return None
    since = [s for s in trends.sessions if s.day >= gap.end]
    return gap if len(since) < 2 * trends.settings.window else None


def score_age_weeks(q: Questionnaire, today: date) -> int | None:
    """Whole weeks since the latest score, when it is older than SCORE_OLD_DAYS; None otherwise."""
    latest = q.latest
    if latest is None or (today - latest.day).days <= SCORE_OLD_DAYS:
        return None
    return (today - latest.day).days // 7


@dataclass(frozen=True)
class TrialState:
    """Where the current dose stands against `adequate_trial_without_benefit`. state: "none" (no
    session), "fires", "not_reached" (too few sessions), "partial" (a copy from `since` on holds
    only part of the time at this dose), "too_few_known" (too few known lifts: n), or "judged"
    (mean over n, against before_mean over before_n at the run before)."""

    state: str
    run: list[SessionFigures] = field(default_factory=list)
    n: int = 0
    mean: float = 0.0
    before: list[SessionFigures] = field(default_factory=list)
    before_mean: float | None = None
    before_n: int = 0


def adequate_trial_state(trends: Trends) -> TrialState:
    """Why `adequate_trial_without_benefit` does not fire, as figures (for the checklist item
    it decides)."""
    settings = trends.settings
    run = trends.current_run
    if trends.current_dose is None:
        return TrialState("none")
    if adequate_trial_without_benefit(trends) is not None:
        return TrialState("fires")
    if not trends.adequate_trial_reached:
        return TrialState("not_reached", run)
    mean, n = mean_and_count(s.lift for s in run)
    if trends.current_run_left_out:  # a copy holding only part of the time at this dose
        return TrialState("partial", run, n)
    if mean is None or n < settings.adequate_trial:
        return TrialState("too_few_known", run, n)
    before = previous_dose_run(trends)
    before_mean, before_n = mean_and_count(s.lift for s in before)
    return TrialState("judged", run, n, mean, before, before_mean, before_n)
