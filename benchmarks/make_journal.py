"""A seeded generator of realistic synthetic journals, for the benchmarks.

    python benchmarks/make_journal.py 1000 /tmp/journal-1000/entries [--seed 7] [--today 2026-11-25]

Writes N entry files in the same format as entries/*.yaml (one file per session,
named after its date), every one valid under `journal check --today TODAY`:

- sessions about weekly, twice a week at the start of a course, with the odd break of
  several weeks; 1 in 20 has a time of day;
- dose runs of 3 to 10 sessions, stepped up (mostly) or down between runs, sublingual
  with a hold time, now and then oral or intramuscular; four providers one after another;
- moods before, 2 hours after and on days 1, 3 and 7, each follow-up sometimes missing
  (and not yet written when it is not due yet), so the check has warnings to print;
- a calendar day rated as the follow-up of two sessions (day 7 of one, day 3 of the next)
  gets the same mood in both, as a person writing down that day's mood would give it; a
  share DISAGREE (0.3%) of such ratings gets another mood, so that the check's "one day,
  two moods" warning still has a few to report (at 10,000 entries 14,650 follow-ups rate a
  day already rated, 49 days are rated two ways: 77 warnings, where moods drawn each on
  its own made 17,040);
- side effects in the spellings people use (`dizzy`, `Headache`, `felt floaty`), as a
  flow list, a block list or `[]`, or left out;
- PHQ-9 on about one session in four (a total or the nine answers), GAD-7 less often;
- notes of one to eight lines (a few hundred characters, some with colons, quotes and
  non-ASCII), private notes on about one session in six.

The same N, seed and today always give the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

TODAY = dt.date(2026, 11, 25)
DISAGREE = 0.003  # of the follow-ups whose day another session's follow-up rated already
EARLIEST = dt.date(1980, 1, 1)  # generator.entries.EARLIEST_DATE
DOSES = [50, 75, 100, 125, 150, 175, 200, 225, 250]
PROVIDERS = [
    "Riverside Ketamine Clinic",
    "Dr. Amara Osei (Lakeside Psychiatry)",
    "North Hill Wellness – Dr. Lindqvist",
    "Harbor Mental Health Associates",
    "Dr. José Ramírez",
]
SIDE_EFFECTS = [
    "nausea", "nauseous", "dizzy", "dizziness", "headache", "Headache", "headaches",
    "tired", "fatigue", "blurry vision", "anxious", "insomnia", "numbness",
    "high blood pressure", "felt floaty", "dry mouth", "confusion", "jaw tension",
]
OPENINGS = [
    "Slept badly the night before",
    "Came in feeling flat and a bit irritable",
    "Good week at work going in",
    "Skipped breakfast, which I usually regret",
    "Nervous beforehand, which probably didn't help",
    "Partner drove me today",
    "Rough weekend; the anniversary was on Saturday",
    "Felt steadier than usual walking in",
    "Had a headache from the morning on",
    "Busy day: three meetings before the appointment",
]
MIDDLES = [
    "the onset was quicker than last time and the visuals were mostly geometric",
    "mostly felt heavy and a bit floaty, nothing dramatic",
    "music helped a lot; the playlist with the long piano pieces works best",
    "had a stretch of about ten minutes where I lost track of my body",
    "thoughts about my father came up again, but they felt less sharp",
    "the room was too warm and that made the nausea worse",
    "kept my eyes closed the whole time; it was calmer that way",
    "noticed the usual tingling in my hands around minute 20",
    "felt very far away, which was unsettling at first and then fine",
    "talked a lot afterwards, more than usual",
]
AFTERS = [
    "Afterwards: tired but lighter, slept ten hours.",
    "The lift held for the evening and was mostly gone by the next afternoon.",
    "Next day I got through the whole to-do list, first time in weeks.",
    "Mood dipped on day 3, as it often does: not as low as before the session.",
    "Walked the dog twice the next day; that hasn't happened in a month.",
    "Dr. O. said to keep writing the day-7 mood even when it's \"nothing special\".",
    "Called my sister on day 2 and actually enjoyed it.",
    "Anxiety came back by the weekend — less than before.",
    "Ate properly again, which is usually the first sign it's working.",
    "Hard to say if it did anything this time; maybe too much going on.",
]
PRIVATE = [
    "Didn't tell the clinic about the extra glass of wine the night before.",
    "Worried about the cost if the dose goes up again; ask about the sliding scale.",
    "Thinking about switching providers if nothing changes by spring.",
    "Had a dark hour on day 4 but it passed; mentioned it to my therapist.",
    "Still haven't told my parents I'm doing this.",
]


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, int(round(value))))


def _notes(rng: random.Random) -> str:
    lines = [f"{rng.choice(OPENINGS)}; {rng.choice(MIDDLES)}."]
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4, 7])):
        lines.append(rng.choice([rng.choice(AFTERS), f"{rng.choice(MIDDLES).capitalize()}."]))
    return "".join(f"  {line}\n" for line in lines)


def _side_effects(rng: random.Random, dose: float) -> str | None:
    roll = rng.random()
    if roll < 0.08:
        return None  # not written down
    count = rng.choice([0, 0, 1, 1, 1, 2, 2, 3]) if dose >= 100 else rng.choice([0, 0, 0, 1, 1, 2])
    words = rng.sample(SIDE_EFFECTS, count)
    if not words:
        return "side_effects: []\n"
    if roll < 0.25:
        return "side_effects:\n" + "".join(f"  - {w}\n" for w in words)
    return f"side_effects: [{', '.join(words)}]\n"


def _session_days(n: int, today: dt.date, rng: random.Random) -> list[dt.date]:
    """n distinct days, the last within a few days of today, roughly weekly with induction
    phases (twice a week) and breaks of several weeks."""
    gaps = []
    induction = 6
    for _ in range(n - 1):
        if induction > 0:
            gaps.append(rng.choice([3, 4, 3, 4, 5]))
            induction -= 1
        elif rng.random() < 0.01:
            gaps.append(rng.randint(25, 70))  # a break in treatment
            induction = rng.randint(0, 6)
        else:
            gaps.append(rng.choice([6, 7, 7, 7, 7, 8, 10, 14]))
    last = today - dt.timedelta(days=rng.randint(0, 2))
    # The journal accepts dates from 1980 on: about 2,300 weekly sessions fit before today, so
    # a longer journal has its sessions closer together (10,000 are about 1.5 days apart).
    span = (last - EARLIEST).days
    if sum(gaps) > span:
        scale = 0.9 * span / sum(gaps)
        gaps = [max(1, int(gap * scale)) for gap in gaps]
    days = [last]
    for gap in reversed(gaps):
        days.append(days[-1] - dt.timedelta(days=gap))
    return list(reversed(days))


def _day_mood(day: dt.date, value: int, rated: dict[dt.date, int] | None, slips: random.Random | None) -> int:
    """The mood for a follow-up of `day`: the one already written for that day, if any (now
    and then another, a slip), else `value`, which is then that day's mood."""
    if rated is None or slips is None:
        return value
    if day not in rated:
        rated[day] = value
        return value
    known = rated[day]
    if slips.random() >= DISAGREE:
        return known
    return slips.choice([other for other in range(max(1, known - 2), min(10, known + 2) + 1) if other != known])


def entry_text(rng: random.Random, day: dt.date, dose: float, provider: str, today: dt.date, index: int,
               rated: dict[dt.date, int] | None = None, slips: random.Random | None = None) -> str:
    """One entry file's text. `rated`: the mood of each calendar day that a follow-up of an
    earlier session rated, which a follow-up of the same day here repeats (and adds to);
    `slips`: a random source of its own for the few that do not (so that `rng` draws the
    same numbers either way, and everything else in the journal stays as it was)."""
    route = rng.choices(["sublingual", "oral", "intramuscular"], weights=[85, 10, 5])[0]
    when = day.isoformat()
    if rng.random() < 0.05:
        when += f" {rng.randint(8, 19):02d}:{rng.choice(['00', '15', '30', '45'])}"
    pre = _clip(rng.gauss(4, 1.2), 1, 9)
    lift = max(-1.0, rng.gauss(0.8 + dose / 60, 1.3))
    moods = {
        "post_mood_2h": (0, pre + lift),
        "mood_day1": (1, pre + lift * 0.7 + rng.gauss(0, 0.8)),
        "mood_day3": (3, pre + lift * 0.4 + rng.gauss(0, 0.8)),
        "mood_day7": (7, pre + lift * 0.15 + rng.gauss(0, 0.8)),
    }
    missing = {"post_mood_2h": 0.03, "mood_day1": 0.08, "mood_day3": 0.12, "mood_day7": 0.18}
    out = [
        "# yaml-language-server: $schema=../generator/entry.schema.json\n",
        "# SYNTHETIC DATA made by benchmarks/make_journal.py\n",
        f"date: {when}\n",
        f"dose_mg: {dose:g}\n",
        f"route: {route}\n",
    ]
    if route in ("sublingual", "oral"):
        out.append(f"hold_time_min: {rng.choice([10, 15, 15, 15, 20, 12.5])}\n")
    if rng.random() > 0.03:
        out.append(f"pre_mood: {pre}\n")
    level = min(3, max(0, int(rng.gauss(dose / 80, 0.8))))
    out.append(f"dissociation: {['none', 'mild', 'moderate', 'strong'][level]}\n")
    for name, (offset, value) in moods.items():
        if name == "post_mood_2h":
            if rng.random() > missing[name]:
                out.append(f"{name}: {_clip(value, 1, 10)}\n")
            effects = _side_effects(rng, dose)
            if effects:
                out.append(effects)
            continue
        due = day + dt.timedelta(days=offset)
        if today >= due and rng.random() > missing[name]:
            out.append(f"{name}: {_day_mood(due, _clip(value, 1, 10), rated, slips)}\n")
    out.append(f"provider: {provider}\n")
    if index % 4 == 0 or rng.random() < 0.05:
        out.append("scores:\n")
        if rng.random() < 0.5:
            answers = [_clip(rng.gauss(1.4 - dose / 400, 0.7), 0, 3) for _ in range(9)]
            answers[8] = 0 if rng.random() < 0.97 else 1
            out.append(f"  phq9: [{', '.join(map(str, answers))}]\n")
        else:
            out.append(f"  phq9: {_clip(rng.gauss(14 - dose / 40, 3), 0, 27)}\n")
        if rng.random() < 0.4:
            out.append(f"  gad7: {_clip(rng.gauss(10, 3), 0, 21)}\n")
    if rng.random() < 0.92:
        out.append("notes: |\n" + _notes(rng))
    if rng.random() < 0.16:
        out.append(f"private_notes: |\n  {rng.choice(PRIVATE)}\n")
    return "".join(out)


def make_journal(folder: Path | str, n: int, seed: int = 7, today: dt.date = TODAY) -> list[Path]:
    """Write n entry files into folder (created; must not hold entries already)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"{seed}-{n}")
    days = _session_days(n, today, rng)
    paths = []
    dose_index, left_at_dose = 0, rng.randint(3, 10)
    rated: dict[dt.date, int] = {}
    slips = random.Random(f"{seed}-{n}-slips")
    for index, day in enumerate(days):
        if left_at_dose == 0:
            step = rng.choices([1, -1, 0], weights=[70, 20, 10])[0]
            dose_index = max(0, min(len(DOSES) - 1, dose_index + step))
            left_at_dose = rng.randint(3, 10)
        left_at_dose -= 1
        provider = PROVIDERS[index * 4 // n]  # three moves to a new provider, never back
        path = folder / f"{day.isoformat()}.yaml"
        path.write_text(entry_text(rng, day, DOSES[dose_index], provider, today, index, rated, slips), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="how many entries")
    parser.add_argument("folder", type=Path, help="where to write them (e.g. /tmp/j/entries)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=TODAY,
                        help=f"the day the journal is checked on (default {TODAY})")
    args = parser.parse_args(argv)
    paths = make_journal(args.folder, args.n, args.seed, args.today)
    print(f"{len(paths)} entries in {args.folder}, {paths[0].stem} to {paths[-1].stem}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
