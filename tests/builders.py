"""Small journals written in code, for the figure and signal tests."""

from __future__ import annotations

import datetime as dt

from generator.entries import Entry

D = dt.date
LONG_AFTER = D(2027, 1, 1)  # every follow-up of the fixtures is due by then


def entry(day: str, dose: float = 100, pre=None, post=None, d1=None, d3=None, d7=None, **extra) -> Entry:
    data = {"date": day, "dose_mg": dose}
    for name, value in (
        ("pre_mood", pre), ("post_mood_2h", post),
        ("mood_day1", d1), ("mood_day3", d3), ("mood_day7", d7),
    ):
        if value is not None:
            data[name] = value
    data.update(extra)
    return Entry.model_validate(data)


def weekly(lifts, start=dt.date(2026, 1, 1), dose=100, pre=4, follow=None, **extra) -> list[Entry]:
    """One session a week: mood `pre` before, pre + lift at 2 hours, follow-ups as given.
    A list given for another field (except side_effects) gives each session its own value."""
    result = []
    for i, lift in enumerate(lifts):
        moods = {} if follow is None else dict(zip(("d1", "d3", "d7"), follow[i]))
        post = None if lift is None else pre + lift
        extras = {k: (v[i] if isinstance(v, list) and k != "side_effects" else v) for k, v in extra.items()}
        result.append(entry((start + dt.timedelta(weeks=i)).isoformat(), dose, pre, post, **moods, **extras))
    return result
