"""Follow-up reminders: when each follow-up mood of a session is due, and a calendar file
(iCalendar, RFC 5545) of the ones still to come.

The calendar depends only on the journal and the day it is made for: each event's UID is
made from the session and the follow-up (importing the file again updates the events
instead of adding them twice), and its DTSTAMP from the session's day, never the clock, so
two builds of one journal on one day give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .entries import Entry
from .trends import DUE_AFTER_DAYS
from .words import MOOD_NAMES, format_day, weekday_day

CALENDAR_FILE = "follow-ups.ics"
# (field, what it is) in time order, named as a reminder names it (words.MOOD_NAMES); the day
# each is due is in trends.DUE_AFTER_DAYS
FOLLOW_UPS: tuple[tuple[str, str], ...] = tuple(
    (name, MOOD_NAMES[name].reminder) for name in ("post_mood_2h", "mood_day1", "mood_day3", "mood_day7")
)
REMINDER_HOUR = 9  # an all-day follow-up reminds at 9:00 on its day
TWO_HOURS = dt.timedelta(hours=2)


@dataclass(frozen=True)
class FollowUp:
    entry: Entry
    field: str
    what: str
    day: dt.date
    at: dt.datetime | None = None  # the 2-hour mood of a session with a time: when it is due

    @property
    def uid(self) -> str:
        return f"{self.entry.slug}-{self.field}@follow-up.journal"  # names no drug: calendars keep it


def follow_ups(entry: Entry) -> list[FollowUp]:
    """Every follow-up of a session, with its day (and time, where the session has one)."""
    result = []
    for name, what in FOLLOW_UPS:
        at = entry.date + TWO_HOURS if name == "post_mood_2h" and isinstance(entry.date, dt.datetime) else None
        day = at.date() if at else entry.day + dt.timedelta(days=DUE_AFTER_DAYS[name])
        result.append(FollowUp(entry, name, what, day, at))
    return result


def pending_follow_ups(entries: Iterable[Entry], today: dt.date) -> list[FollowUp]:
    """The follow-ups not written down yet whose day has not passed (the report's "due")."""
    return [f for e in entries for f in follow_ups(e) if getattr(e, f.field) is None and f.day >= today]


def schedule_lines(entry: Entry) -> list[str]:
    """When each follow-up of a new entry is due, for `journal new` to print."""
    lines = []
    for f in follow_ups(entry):
        when = f"{weekday_day(f.day)}, {f.at.strftime('%H:%M')}" if f.at else weekday_day(f.day)
        if f.field == "post_mood_2h" and not f.at:
            when = f"{when}, about two hours after the session"
        lines.append(f"  {f.field:<13} {when}")
    return lines


def calendar_ics(pending: Iterable[FollowUp], name: str) -> bytes:
    """The calendar file of the follow-ups `pending`."""
    from icalendar import Alarm, Calendar, Event  # only the report build needs it

    calendar = Calendar()
    calendar.add("prodid", "-//journal//follow-up reminders//EN")  # kept by a calendar service: no drug named
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{name}: follow-ups")
    for f in pending:
        session = f.entry.day
        file = Path(f.entry.source).name
        event = Event()
        event.add("uid", f.uid)
        event.add("dtstamp", dt.datetime(session.year, session.month, session.day, tzinfo=dt.UTC))
        if f.at is not None:  # floating local time, as the entry has it
            event.add("dtstart", f.at)
            event.add("duration", dt.timedelta(minutes=15))
        else:
            event.add("dtstart", f.day)
            event.add("dtend", f.day + dt.timedelta(days=1))
        event.add("summary", f"Journal: {f.what} (session of {format_day(session, with_year=False)})")
        description = f"Open {file} in your journal's entries folder and fill in {f.field}: your mood from 1 (worst) to 10 (best)."
        timeless_2h = f.field == "post_mood_2h" and f.at is None
        if timeless_2h:
            description += (" The entry gives the session no time, so this reminder has no alarm: write the time "
                            "in its date (2026-04-02 18:30) for one two hours after the session.")
        event.add("description", description)
        event.add("transp", "TRANSPARENT")  # a reminder, not a busy time
        if not timeless_2h:  # an alarm at 9:00 for a mood two hours after a session of unknown time: wrong either way
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Journal: {f.what}")
            alarm.add("trigger", dt.timedelta(0) if f.at is not None else dt.timedelta(hours=REMINDER_HOUR))
            event.add_component(alarm)
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical
