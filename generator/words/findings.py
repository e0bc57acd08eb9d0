"""Each finding of generator.signals worded twice from the same figures: to the person in
their own report, and about "the patient" for the clinician (see Voice)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..entries import Scores
from ..signals import (
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
    benefit_declining,
    score_age_weeks,
)
from ..trends import (
    IntervalSummary,
    Questionnaire,
    QuestionnairePoint,
    SessionFigures,
    Trends,
    Worsening,
)
from .figures import current_dose_text, dates_text, regimens_text
from .numbers import (
    EVIDENCE_LIMIT,
    FIELD_WORDS,
    MOOD_WORDS,
    based_on,
    break_words,
    dose_text,
    duration_basis,
    duration_mean_text,
    duration_text,
    format_day,
    format_dose,
    format_range,
    join_words,
    plural,
    points_text,
    sessions_word,
    signed,
)

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


def session_label(s: SessionFigures) -> str:
    return f"{format_day(s.day)} ({format_dose(s.dose_mg)})"


def lift_evidence(s: SessionFigures) -> Evidence:
    e = s.entry
    if s.lift is None:
        text = f"{session_label(s)}: lift unknown ({MOOD_WORDS['pre_mood' if e.pre_mood is None else 'post_mood_2h']} empty)"
    else:
        text = f"{session_label(s)}: mood {e.pre_mood} before, {e.post_mood_2h} two hours after, a lift of {signed(s.lift)}"
    return Evidence(e.slug, s.day, text)


def after_next_words(s: SessionFigures, with_year: bool = True) -> str:
    """'after the next session, 1 Oct 2026' ('1 Oct' without the year, in a table): how a
    follow-up dated after the next session is marked, in sentences, tables and charts."""
    return f"after the next session, {format_day(s.next_day, with_year)}" if s.next_day is not None else ""


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
    text = f"{session_label(s)}: mood {e.pre_mood} before; {', '.join(moods)}; effect lasted {duration_text(s.duration)}"
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
    lift, typical = o.session.lift, o.typical
    assert lift is not None and typical is not None  # a low session: its lift was compared with them
    return (
        f"a lift of {signed(lift)} points, against {signed(typical, 1)} typical of the other "
        f"{sessions_word(o.others)} at that dose in the window"
    )


def stood_out_harsh(o: StoodOut) -> str:
    return f"strong dissociation with {join_words(o.harsh)}"


def answered_scores(s: SessionFigures) -> Scores:
    """The scores of a session the self-harm finding names: each answered question 9."""
    assert s.entry.scores is not None
    return s.entry.scores


def self_harm_words(trends: Trends, f: SelfHarm) -> Signal:
    flagged, later = f.flagged, f.later
    latest = flagged[-1]
    evidence = [
        Evidence(
            s.entry.slug,
            s.day,
            f"{format_day(s.day)}: PHQ-9 question 9 answered {answered_scores(s).phq9_item9} (of 3)"
            f", PHQ-9 total {answered_scores(s).phq9_total}",
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
        return f"{format_day(s.day)} (answered {answered_scores(s).phq9_item9} of 3)"

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
            f"question 9 was answered {answered_scores(later).phq9_item9}."
        )
    clinician += f" The patient's own report shows a notice at its top {told}."
    return worded(
        f, title, text, clinician,
        evidence=recent_evidence(evidence),
        clinician_title="Thoughts of self-harm recorded (PHQ-9 question 9)",
    )


def named_provider(s: SessionFigures) -> str:
    """The provider of a session a prescriber finding names: each names one."""
    assert s.entry.provider is not None
    return s.entry.provider


def overlapping_prescribers_words(trends: Trends, f: Overlap) -> Signal:
    involved, inside = f.involved, f.inside

    def name(group: Sequence[SessionFigures]) -> str:
        return trends.prescriber(named_provider(group[0]))

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
        "in different ways, list them under one name in the providers setting (in journal.yml, or "
        "under the journal plugin in mkdocs.yml)."
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
    old, new_name = trends.prescriber(named_provider(before)), trends.prescriber(named_provider(after))
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
    recent_lift, previous_lift = recent.mean_lift, previous.mean_lift
    assert recent_lift is not None and previous_lift is not None  # declining: both means are known
    routes = recent.routes or previous.routes
    dose = dose_text(recent.doses[0], routes[0] if routes else None, trends.several_routes)

    def words(v: Voice) -> str:
        return (
            f"At {dose} throughout, {v.the} average lift (mood two hours after a "
            f"session minus mood before it) was {points_text(recent_lift)} over {v.the} last "
            f"{sessions_word(recent.lift_n)} ({dates_text(recent)}), against "
            f"{points_text(previous_lift)} over the {sessions_word(previous.lift_n)} before "
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
        f"{format_day(trends.current_dose_since)}); fewer than the {needed} of an adequate trial. "
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

    def opening(v: Voice) -> str:  # never in a copy holding part of the run (see the signal)
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
    checklist item it decides); "" when it fires or there is no session. The item judges the
    whole time at the current dose; when the benefit has declined at it lately
    (`benefit_declining`, the item before it), the words say so (see adequate_trial_preface)."""
    settings = trends.settings
    state = adequate_trial_state(trends)
    if state.state in ("none", "fires"):
        return ""
    run, n = state.run, state.n
    dose = current_dose_text(trends)
    if state.state == "not_reached":
        return (
            f"{dose} has had {sessions_word(trends.sessions_at_current_dose)} so far, fewer than the "
            f"{settings.adequate_trial} of an adequate trial."
        )
    if state.state == "partial":
        assert trends.covers_from is not None
        return (
            f"this export (from {format_day(trends.covers_from)} on) holds {len(run)} of the "
            f"{sessions_word(trends.sessions_at_current_dose)} at {dose} since "
            f"{format_day(trends.current_dose_since)}, and a trial is judged over all of its sessions, not over "
            "the part a date cuts off."
        )
    if state.state == "too_few_known":
        return (
            f"only {n} of the {sessions_word(len(run))} at {dose} have a known lift, fewer than the "
            f"{settings.adequate_trial} needed to judge the trial."
        )
    mean = state.mean
    basis = f"{sessions_word(n)} (since {format_day(run[0].day)})"  # the whole run: "partial" is said above
    declined = benefit_declining(trends)
    if declined is None:
        status = f"at {dose} your average lift is {points_text(mean)} over {basis}"
    else:
        status = f"over all your time at {dose} your average lift is {points_text(mean)} over {basis}"
    status += f", more than the {settings.noise_threshold:g} point that ordinary variation can explain"
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
    if declined is not None:
        recent, previous = trends.window.recent, trends.window.previous  # known when it fires
        assert previous is not None and recent.mean_lift is not None and previous.mean_lift is not None
        status += (
            f". Lately it has declined at this dose, as the first item says: {points_text(recent.mean_lift)} "
            f"over your last {sessions_word(recent.lift_n)} with a known lift, against "
            f"{points_text(previous.mean_lift)} over the {sessions_word(previous.lift_n)} before"
        )
    return status + "."


def adequate_trial_preface(trends: Trends) -> str:
    """What the checklist says before `adequate_trial_status` when the item is not ticked:
    "" for the usual "Your journal does not show this"; "Not on average at this dose" when
    the benefit has declined at the current dose lately, so that the item never reads "not
    shown" under a ticked decline at the same dose; "Not judged in this export" in a copy that
    holds only part of the time at the current dose."""
    state = adequate_trial_state(trends).state
    if state == "partial":
        return "Not judged in this export"
    if state == "judged" and benefit_declining(trends) is not None:
        return "Not on average at this dose"
    return ""


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
            # over the recent scores only (see trends.worsening_span): say from when, as an older
            # score may be lower
            since = "" if worse.since is None else f", its lowest {since_words(worse)},"
            said.append(
                f"{v.cap(v.whose)} {q.name} score rose from {score_text(lowest)}{since} to {score_text(latest)}."
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
    lift = latest.lift
    assert lift is not None  # the finding compares it
    routes = trends.routes_by_session

    def facts(v: Voice) -> str:
        return (
            f"{v.cap(v.the)} latest session, on {format_day(latest.day)} at {dose_text(latest.dose_mg, routes.get(id(latest)), trends.several_routes)}, had a "
            f"lift of {signed(lift)} points, well below the {signed(typical, 1)} points typical of the "
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


def interval_dates(summary: IntervalSummary) -> str:
    """The days of a window with a median interval (so with sessions): '24 Oct – 22 Nov 2026'."""
    assert summary.first is not None and summary.last is not None
    return format_range(summary.first, summary.last)


def frequency_changed_words(trends: Trends, f: Finding) -> Signal:
    between = trends.between
    recent, previous = between.recent, between.previous
    assert previous is not None
    recent_median, previous_median = recent.median, previous.median
    assert recent_median is not None and previous_median is not None  # a change: both medians are known
    recent_dates, previous_dates = interval_dates(recent), interval_dates(previous)

    def spread(summary: IntervalSummary) -> str:
        shortest, longest = summary.shortest, summary.longest
        assert shortest is not None and longest is not None  # a window with a median has intervals
        return f"{shortest} to {longest} days" if shortest != longest else f"all {plural(shortest, 'day')}"

    def words(v: Voice) -> str:
        return (
            f"{v.cap(v.the)} last {plural(len(recent.days), 'session')} ({recent_dates}) "
            f"came a median of {plural(recent_median, 'day')} after the one before ({spread(recent)}), "
            f"against {plural(previous_median, 'day')} over the {plural(len(previous.days), 'session')} before "
            f"({previous_dates}; {spread(previous)}). "
            "Sessions less than a week apart can overlap in their effects, so lifts and how long the effect "
            "lasted compare less directly across such a change. A change in how often sessions take place "
            f"is worth discussing with {v.discuss_with}."
        )

    title = f"Sessions now take place {between.change}"
    return in_both_voices(
        f, title, words,
        evidence=recent_evidence([
            Evidence(s.entry.slug, s.day, f"{session_label(s)}: {plural(s.interval_days, 'day')} after the session before")
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


def score_age(q: Questionnaire, today: date) -> str:
    """'9 weeks' when the latest score is older than SCORE_OLD_DAYS; '' otherwise."""
    weeks = score_age_weeks(q, today)
    return "" if weeks is None else plural(weeks, "week")


def since_words(worse: Worsening) -> str:
    """'since 24 Nov 2025', for a rise judged over the last 12 months' scores only (see
    trends.worsening_span)."""
    assert worse.since is not None
    return f"since {format_day(worse.since)}"


def score_text(point: QuestionnairePoint) -> str:
    return f"{point.total} ({point.band}) on {format_day(point.day)}"
