"""The checklists' items and the check-in sheet's short statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..entries import TOLERABILITY_LEVELS
from ..signals import (
    restart_cut,
    side_effect_changes,
    stood_out,
)
from ..trends import Trends
from .figures import dates_text, regimens_text
from .findings import (
    Signal,
    adequate_trial_preface,
    adequate_trial_status,
    score_age,
    since_words,
    stood_out_harsh,
    stood_out_low,
)
from .numbers import (
    break_words,
    duration_mean_text,
    format_day,
    format_number,
    join_words,
    lift_phrase,
    plural,
    sessions_word,
)

# --------------------------------------------------------------------------- the checklists


def checklist_items(trends: Trends, found: Sequence[Signal]) -> dict[str, list[dict[str, Any]]]:
    """The guide's checklists. Items the data can decide are ticked or left open from the
    signals, with the evidence; the rest are for the person to judge."""
    signals = {s.key: s for s in found}
    trial = trends.settings.adequate_trial

    def from_data(key: str, text: str, open_text: str = "", open_preface: str = "") -> dict[str, Any]:
        """The template says "Your journal shows this" or "does not show this" (or
        open_preface, when given) before the status: the signal's text when ticked, else
        open_text (detail, may be empty)."""
        signal = signals.get(key)
        return {"text": text, "decided": True, "checked": signal is not None, "signal": signal,
                "status": signal.text if signal else open_text, "preface": "" if signal else open_preface}

    def personal(text: str) -> dict[str, Any]:
        return {"text": text, "decided": False, "checked": False, "signal": None, "status": "", "preface": ""}

    discuss = [
        from_data("benefit_declining", "The benefit has declined over several sessions at the same dose, not just one."),
        from_data("effect_fading", "The effect fades noticeably sooner than it used to."),
        from_data("adequate_trial_without_benefit",
                  f"The current dose has had an adequate trial ({trial} or more sessions) without reaching the benefit you saw or agreed on.",
                  adequate_trial_status(trends), adequate_trial_preface(trends)),
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
        efficacy.append(f"They count only from my restart on {_sheet_day(cut.end, trends.today)}, after a {break_words(cut.days)} break.")
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
            efficacy.append(f"{_sheet_day(o.session.day, trends.today)} stood out: {stood_out_low(o)}.")
        if o.harsh:
            side_effects.append(f"{_sheet_day(o.session.day, trends.today)} went badly: {stood_out_harsh(o)}.")
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
    every = "every day" if format_number(recent.median) == "1" else f"every {plural(recent.median, 'day')}"
    return [f"My last sessions came {every}, {between.change} than the {plural(previous.median, 'day')} before."]


def _sheet_day(day: dt.date, today: dt.date) -> str:
    """A day on the sheet: '19 Nov' this year, '26 Jun 2022' another (the sheet is short, but
    a score from years ago must never read as this year's)."""
    return format_day(day, day.year != today.year)


def sheet_state(trends: Trends) -> list[str]:
    """How I have been between sessions, in the sheet's short sentences: my mood right
    before sessions, recent against before, and my questionnaire scores."""
    said = []
    m = trends.mood_before
    if m.recent_mean is not None:
        which = "my one session" if len(m.recent) == 1 else f"my last {sessions_word(len(m.recent))}"
        said.append(f"Right before {which}, my mood averaged {m.recent_mean:.1f} of 10.")
        if m.previous_mean is not None:
            said.append(f"Over the {sessions_word(len(m.previous))} before, it averaged {m.previous_mean:.1f}.")
    for q in (trends.phq9, trends.gad7):
        if len(q.points) > 1:
            first, latest = q.points[0], q.points[-1]
            said.append(f"My {q.name} score went from {first.total} on {_sheet_day(first.day, trends.today)} "
                        f"to {latest.total} on {_sheet_day(latest.day, trends.today)}.")
            worse = q.worse
            if worse is not None and worse.lowest is not first and worse.lowest is not latest:
                if worse.since is None:
                    said.append(f"It was {worse.lowest.total} at its lowest, on {_sheet_day(worse.lowest.day, trends.today)}.")
                else:  # the rise is judged over the recent scores only (see trends.worsening_span)
                    said.append(f"It was {worse.lowest.total} on {format_day(worse.lowest.day)}, "
                                f"its lowest {since_words(worse)}.")
            if worse is not None and worse.response_lost:
                said.append("It no longer meets the response I had reached.")
            if worse is not None and worse.remission_lost:
                said.append("It is no longer in remission.")
        old = score_age(q, trends.today)
        if old:
            said.append(f"My latest {q.name} score is {old} old.")
    return said or ["I have not recorded my mood before my recent sessions."]
