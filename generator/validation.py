"""Checking entries: the model's rules, in words a person understands, each with its place.

Three kinds of check:
- `validate`: one file's values against the `Entry` model (errors);
- `entry_warnings`: follow-ups due but missing, or recorded too early, and a file name
  whose date differs from the entry's (warnings);
- `cross_entry_problems`, in one pass over all entries: the same session twice, sessions
  dated in the future (errors); two entries rating one day with different moods, and
  provider names that are probably one prescriber (warnings).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .entries import DATE_RANGE, FOLLOW_UP_DAYS, NO_SIDE_EFFECTS, Entry, parse_session_date, with_source
from .problems import Problem, Severity
from .providers import Prescribers, likely_same, name_key
from .reading import Path_, ReadEntry, clip, field_label

_NUMBER_WITH_UNIT = re.compile(r"^\s*(?P<number>[-+]?\d+(?:[.,]\d+)?)\s*(?P<rest>\S.*)$")
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_CLOCK_LIKE = re.compile(r"^\s*[-+]?\d+(:\d+)+")
_POWER = re.compile(r"\s*[-+]?(?P<base>\d+(?:\.\d+)?)\s*(?:\*\*|\^)\s*(?P<exponent>[-+]?\d+)\s*")
_NUMBER_ERRORS = {"int_type", "float_type", "int_parsing", "float_parsing", "finite_number", "int_from_float",
                  "greater_than", "greater_than_equal", "less_than", "less_than_equal"}


# --- what each field expects, in words, read from the model's JSON Schema -------------

@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return Entry.model_json_schema()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref:
        definitions: dict[str, dict[str, Any]] = _schema()["$defs"]
        return definitions[ref.rsplit("/", 1)[-1]]
    return node


def _branches(node: dict[str, Any]) -> list[dict[str, Any]]:
    node = _resolve(node)
    if "anyOf" in node:
        return [_resolve(b) for b in node["anyOf"] if b.get("type") != "null"]
    return [node]


def _schema_at(path: Path_) -> dict[str, Any] | None:
    node: dict[str, Any] = _schema()
    for part in path:
        found = None
        for branch in _branches(node):
            if isinstance(part, int) and branch.get("type") == "array":
                found = branch.get("items", {})
            elif isinstance(part, str) and part in branch.get("properties", {}):
                found = branch["properties"][part]
            if found is not None:
                break
        if found is None:
            return None
        node = found
    return node


def _range(node: dict[str, Any]) -> str | None:
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        return f"{low}-{high}"
    if node.get("exclusiveMinimum") is not None:
        return f"a number greater than {node['exclusiveMinimum']}"
    if low is not None:
        return f"a number, {low} or more"
    return None


def _describe(node: dict[str, Any], several: bool) -> str:
    kind = node.get("type")
    if "enum" in node:
        return "one of " + ", ".join(node["enum"])
    if "const" in node:
        return str(node["const"])
    if kind == "integer":
        span = _range(node)
        return (f"a total {span}" if several else span) if span else "a whole number"
    if kind == "number":
        return _range(node) or "a number"
    if kind == "array":
        items = node.get("items", {})
        count = node.get("minItems") if node.get("minItems") == node.get("maxItems") else None
        if items.get("type") == "integer":
            return f"a list of {count or 'the'} answers, each {_range(items) or 'a whole number'}"
        return "a list of words, like [nausea, headache]"
    if kind == "string" and "pattern" in node:
        return "a date like 2026-04-02, or with the time, 2026-04-02 18:30"
    if kind == "string":
        return "text"
    if kind == "object":
        return "fields " + ", ".join(node.get("properties", {}))
    return "a value"


def expected_for(path: Path_) -> str:
    node = _schema_at(path)
    if node is None:
        return "a known field"
    branches = _branches(node)
    if any(b.get("type") == "array" and b.get("items", {}).get("type") == "string" for b in branches):
        # side effects: words on one line are accepted too, but the list is what to advise
        branches = [b for b in branches if b.get("type") != "string"]
    return ", or ".join(_describe(b, len(branches) > 1) for b in branches)


def known_fields(path: Path_) -> list[str]:
    node = _schema() if not path else _schema_at(path)
    fields: list[str] = []
    for branch in _branches(node or {}):
        fields.extend(branch.get("properties", {}))
    return fields


# --- turning pydantic's errors into located sentences ---------------------------------

def _data_path(data: Any, loc: tuple) -> Path_:
    """pydantic adds union branch names to `loc`; keep only the parts that are real keys."""
    path: list[str | int] = []
    current = data
    for part in loc:
        if (isinstance(current, dict) and part in current) or (
            isinstance(current, list) and isinstance(part, int) and part < len(current)
        ):
            path.append(part)
            current = current[part]
        elif isinstance(part, str) and isinstance(current, dict) and part in known_fields(tuple(path)):
            path.append(part)  # a missing field
            current = None
    return tuple(path)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _too_large(value: Any, raw: str | None) -> bool:
    """A number written with digits but too large for any number to hold: 1e400, ten
    followed by 400 zeros, 10**400. Said to be out of range, not "not a number"."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) > sys.float_info.max
    typed = raw if raw is not None else value if isinstance(value, str) else ""
    if not any(c.isdigit() for c in typed):
        return False  # .inf, nan: not a number at all
    if isinstance(value, float):
        return math.isinf(value)
    if isinstance(value, str):
        if _is_number(value):
            return math.isinf(float(value))
        power = _POWER.fullmatch(value)
        if power:
            exponent = power.group("exponent")
            if len(exponent) > 15:  # int() refuses thousands of digits; this many is out of range anyway
                return not exponent.startswith("-")
            base = float(power.group("base"))
            return base > 1 and int(exponent) * math.log10(base) > math.log10(sys.float_info.max)
    return False


def _shown(value: Any, raw: str | None) -> str:
    if isinstance(value, str):
        return f'"{clip(value)}"'
    if isinstance(value, bool) and raw is not None:
        return f'"{raw}"'
    if isinstance(value, float) and raw is not None:
        return raw  # as typed: 7.0, not 7
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a group of fields"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")  # strftime drops a year's leading zeros
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _message(error: ErrorDetails, path: Path_, read: ReadEntry) -> str:
    kind: str = error["type"]
    value = error.get("input")
    raw = read.raw_text.get(path)
    expected = expected_for(path)
    shown = _shown(value, raw)

    if kind == "missing" or value is None:  # absent, or `dose_mg:` left empty
        state = "is missing" if kind == "missing" else "is empty"
        if path == ("date",):
            return f"{state}; every entry needs the day of the session, e.g. `date: 2026-04-02`"
        if path == ("dose_mg",):
            return f"{state}; every entry needs the dose in mg, e.g. `dose_mg: 150`"
        return f"is missing ({expected})" if kind == "missing" else f"is empty; write {expected}"
    if kind == "extra_forbidden":
        field = path[-1]
        if field == "<<":
            return "is a YAML merge key, which an entry does not use; write each field out on its own line"
        import difflib  # only for this message: most checks never need it

        known = known_fields(path[:-1])
        close = difflib.get_close_matches(str(field), known, n=1, cutoff=0.6)
        if close:
            return f"unknown field; did you mean {close[0]}?"
        return "unknown field; the fields an entry can have are " + ", ".join(known)
    if isinstance(value, bool):
        word = raw if raw is not None else str(value).lower()
        return f'"{word}" was read as {str(value).lower()}; write {expected}'
    if kind in _NUMBER_ERRORS and _too_large(value, raw):
        return f"{shown if isinstance(value, str) else clip(raw or shown)} is out of range ({expected})"
    if kind in _NUMBER_ERRORS and isinstance(value, str) and _POWER.fullmatch(value):
        return f"{shown} is a calculation, not a number; write the result in plain digits ({expected})"
    if kind == "session_date_range":
        ctx = error.get("ctx") or {}
        year = ctx.get("year", 0)
        if year < 100:  # a year typed with two digits, as 0026
            hint = f"write the year with four digits, like {(1900 if year >= 80 else 2000) + year}"
        else:
            hint = "check the year"
        return f"{ctx.get('shown', shown)} is outside the dates the journal accepts ({DATE_RANGE}); {hint}"
    if kind.startswith("session_date"):
        if kind == "session_date_calendar":
            return f"{shown} is not a real calendar date (check the day and month)"
        if kind == "session_date_time":
            return f"{shown} has a time that does not exist (hours 0-23, minutes 0-59)"
        return f"{shown} is not a date; write {expected}"
    if kind == "literal_error":
        choices = (error.get("ctx") or {}).get("expected", "")
        if isinstance(value, str) and f"'{value.strip().lower()}'" in choices:
            return f"{shown} is not one of the choices; write it in small letters: {value.strip().lower()}"
        return f"{shown} is not one of the choices; write {expected}"
    if isinstance(value, str) and kind in {"int_type", "float_type", "int_parsing", "float_parsing"}:
        if _is_number(value) and path in read.quoted:
            return f"{shown} is in quotes, so it is text; write the number without quotes ({value.strip()})"
        if _is_number(value):  # 1e5, nan, Infinity, or a number on the lines after `|`
            return f"{shown} is not a plain number; write it with digits only, on the field's own line ({expected})"
        if _DECIMAL_COMMA.match(value):
            return f"{shown} is not a number; write the decimal with a point ({value.strip().replace(',', '.')})"
        if _CLOCK_LIKE.match(value):
            example = ", e.g. 1.5 for a minute and a half" if str(path[-1]).endswith("_min") else ""
            return f"{shown} is not a number; write a single number ({expected}){example}"
        match = _NUMBER_WITH_UNIT.match(value)
        if match:
            number = match.group("number").replace(",", ".")
            return f"{shown} is not a number; write the number alone ({number}), without units or extra words"
        return f"{shown} is not a number ({expected})"
    if kind in {"int_type", "int_from_float"} and isinstance(value, float):
        return f"{shown} is not a whole number ({expected})"
    if kind in {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}:
        return f"{shown} is out of range ({expected})"
    if kind in {"too_short", "too_long"} and isinstance(value, list):
        count = len(value)
        return f"has {count} {'answer' if count == 1 else 'answers'}; write {expected}"
    if kind == "model_type":
        return f"{shown} is not a group of fields; write {expected}, each on its own indented line"
    if kind in {"list_type"} and path[:1] != ("scores",):
        return f"{shown} is not a list; write {expected}"
    if kind == "string_type":
        return f"{shown} is not text; write it as words (for several lines, use `|` and indent them)"
    return f"{shown} is not valid here; write {expected}"


def _pick_errors(errors: list[ErrorDetails], read: ReadEntry) -> dict[Path_, ErrorDetails]:
    """One error per field. For a field with several allowed shapes (a total or a list of
    answers) keep the error of the shape that was written, not "is not a number"."""
    by_path: dict[Path_, list[ErrorDetails]] = defaultdict(list)
    for error in errors:
        by_path[_data_path(read.data, error["loc"])].append(error)
    chosen: dict[Path_, ErrorDetails] = {}
    for path, group in by_path.items():
        if path in read.refused:
            continue  # already reported while reading the file
        deeper = any(other[: len(path)] == path and other != path for other in by_path)
        specific = [e for e in group if not e["type"].endswith("_type")]
        if deeper and not specific:
            continue  # an item inside it carries the real problem
        chosen[path] = (specific or group)[0]
    return chosen


def validate(read: ReadEntry) -> tuple[Entry | None, list[Problem]]:
    """Check one file's values. Returns the entry (None when it has errors) and the problems."""
    if read.data is None:
        return None, []
    try:
        entry = Entry.model_validate(read.data)
    except ValidationError as failure:
        problems = []
        for path, error in _pick_errors(failure.errors(), read).items():
            label, message = field_label(path) or None, _message(error, path, read)
            if error["type"] == "extra_forbidden" and path in read.key_positions:
                # the field's name is what is wrong: point at the name, not its value
                problems.append(Problem(read.source, *read.key_positions[path], label, message))
            else:
                problems.append(read.problem(path if error["type"] != "missing" else path[:-1], label, message))
        return None, problems + side_effect_warnings(read)  # every mistake in one run
    # With an error found while reading it (the rest read around it), the file is left out
    # of the figures by its error; the entry still goes to the checks across files.
    return with_source(entry, read.source), side_effect_warnings(read)


def side_effect_warnings(read: ReadEntry) -> list[Problem]:
    """Side effects read otherwise than they were probably meant: `none` written next to
    real side effects (it is dropped, so the session counts as having them), and a list
    item that runs on over an indented line, which YAML joins into one item."""
    written = (read.data or {}).get("side_effects")
    if isinstance(written, str):  # "none, nausea": a list written the short way
        items: list[tuple[Path_, Any]] = [(("side_effects",), part) for part in written.split(",")]
    elif isinstance(written, list):
        items = [(("side_effects", i), item) for i, item in enumerate(written)]
    else:
        return []
    problems = []
    words = [(path, " ".join(item.split())) for path, item in items if isinstance(item, str)]
    nothing = [(path, word) for path, word in words if word.lower() in NO_SIDE_EFFECTS]
    others = [word for _, word in words if word and word.lower() not in NO_SIDE_EFFECTS]
    if nothing and others:
        path, word = nothing[0]
        problems.append(read.problem(
            path, "side_effects",
            f'"{word}" is listed together with {clip(", ".join(others))}, so it is left out and the '
            f"session counts as having {'that side effect' if len(others) == 1 else 'those side effects'}; "
            f'remove "{word}", or the others if there were none',
            "warning",
        ))
    for path, word in words:
        if path in read.folded and " - " in word:
            problems.append(read.problem(
                path, field_label(path),
                f'"{clip(word)}" is read as one side effect, because its "- " line is indented under '
                "the line before; if these are two, start each with '- ' in the same column",
                "warning",
            ))
    return problems


_NAME_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")


def file_name_warnings(entry: Entry, read: ReadEntry, today: dt.date) -> list[Problem]:
    """A file named after one day holding another day's session is usually a copy whose
    date was not changed (or a typo in one of them)."""
    name = read.source.replace("\\", "/").rsplit("/", 1)[-1]
    match = _NAME_DATE.match(name)
    if not match:
        return []
    year, month, day = match.groups()
    try:
        named = dt.date(int(year), int(month), int(day))
    except ValueError:
        named = None
    if named == entry.day or entry.day > today:  # a future date is already an error
        return []
    return [read.problem(
        ("date",), "date",
        f"{entry.day.isoformat()} is not the day in the file name ({name}); fix the date, or "
        "rename the file, so the two agree",
        "warning",
    )]


# --- warnings that depend on today ------------------------------------------------------

_FOLLOW_UPS = [(name, offset, dt.timedelta(days=offset)) for name, offset in FOLLOW_UP_DAYS.items()]


# Values that are allowed but are far more often a slip of typing than what was meant: a dose
# written per kilogram of body weight, an extra zero, hours written as minutes. Warnings that
# ask for a look, never a judgment of the dose itself.
SMALLEST_LIKELY_MG = 5
LARGEST_LIKELY_MG = 1000
LONGEST_LIKELY_HOLD_MIN = 60


def typing_slip_warnings(entry: Entry, read: ReadEntry) -> list[Problem]:
    """Values worth a second look, each with what it may have been meant as."""
    problems = []
    dose = entry.dose_mg
    if dose < SMALLEST_LIKELY_MG:
        problems.append(read.problem(("dose_mg",), "dose_mg", (
            f"{dose:g} mg is very small; if it is a dose per kilogram of body weight (mg/kg), write "
            "the whole dose in mg, as the prescription or the clinic's record gives it"), "warning"))
    elif dose > LARGEST_LIKELY_MG:
        problems.append(read.problem(("dose_mg",), "dose_mg", (
            f"{dose:g} mg is over {LARGEST_LIKELY_MG:,} mg; check it for a slip of typing (an extra 0?) "
            "against the prescription"), "warning"))
    hold = entry.hold_time_min
    if hold is not None and hold > LONGEST_LIKELY_HOLD_MIN:
        problems.append(read.problem(("hold_time_min",), "hold_time_min", (
            f"{hold:g} minutes is over an hour; hold_time_min is in minutes (15, not 0.25 hours nor "
            "900 seconds)"), "warning"))
    if entry.side_effects == [] and entry.tolerability in ("hard", "intolerable"):
        problems.append(read.problem(("tolerability",), "tolerability", (
            f"is {entry.tolerability}, but side_effects says there were none; list the side effects "
            "that were hard to bear, so the report can show them"), "warning"))
    return problems


def entry_warnings(entry: Entry, read: ReadEntry, today: dt.date) -> list[Problem]:
    problems: list[Problem] = file_name_warnings(entry, read, today) + typing_slip_warnings(entry, read)
    day = entry.day
    if day > today:
        return problems  # reported as an error by cross_entry_problems
    if today > day:
        for name in ("pre_mood", "post_mood_2h"):
            if getattr(entry, name) is None:
                what = "right before the session" if name == "pre_mood" else "about two hours after"
                problems.append(
                    read.problem(
                        (name,), name,
                        f"is empty; the mood {what} is needed to see how much the session helped",
                        "warning",
                    )
                )
    for name, offset, delay in _FOLLOW_UPS:
        due = day + delay
        value = getattr(entry, name)
        if value is None and today > due:
            problems.append(
                read.problem(
                    (name,), name,
                    f"the day-{offset} follow-up was due on {due.isoformat()} and is empty; "
                    # a mood remembered weeks later is a guess, not a rating
                    "add it if you noted it at the time; otherwise leave it empty and the report "
                    "shows it as missing",
                    "warning",
                )
            )
        elif value is not None and today < due:
            problems.append(
                read.problem(
                    (name,), name,
                    f"is recorded for {due.isoformat()}, which has not come yet (today is "
                    f"{today.isoformat()}); check the session's date; until that day it is not "
                    "used for how long the effect lasted",
                    "warning",
                )
            )
    return problems


CROSS_ENTRY_PATHS: tuple[Path_, ...] = (("date",),) + tuple((name,) for name in FOLLOW_UP_DAYS)
"""The values whose places `cross_entry_problems` points at: list here any other value
that a check there points at (see `cross_entry_places`)."""


class Places:
    """What `cross_entry_problems` needs of a file once the file is checked: its name and the
    places of CROSS_ENTRY_PATHS, found exactly as `ReadEntry.position` finds them. A journal
    of thousands of files need not keep the place of every value until all are read (memory,
    and time: `journal check` on 10,000 entries held some 40 MB more for them), nor a whole
    ReadEntry for the few it keeps (12 MB more, and 0.02 s)."""

    __slots__ = ("source", "start", "places")

    def __init__(self, source: str, start: tuple[int, int], places: dict[Path_, tuple[int, int]]):
        self.source = source
        self.start = start
        self.places = places  # by path: the value's place, else its key's

    def position(self, path: Path_) -> tuple[int, int]:
        while path:
            if path in self.places:
                return self.places[path]
            path = path[:-1]
        return self.start

    def problem(self, path: Path_, field_name: str | None, message: str, severity: Severity = "error") -> Problem:
        line, column = self.position(path)
        return Problem(self.source, line, column, field_name, message, severity)


def cross_entry_places(read: ReadEntry) -> Places:
    """The `Places` of a file that `cross_entry_problems` points at."""
    values, keys = read.value_positions, read.key_positions
    places = {}
    for path in CROSS_ENTRY_PATHS:
        while path:  # where `ReadEntry.position` looks: the value, its key, then what holds it
            place = values.get(path) or keys.get(path)
            if place is not None:
                places[path] = place
            path = path[:-1]
    return Places(read.source, read.start, places)


def after_today(read: ReadEntry | Places, when: dt.date, today: dt.date) -> Problem:
    """The error of a session dated after today, at its date."""
    return read.problem(
        ("date",), "date",
        f"{_shown(when, None)} is after today ({today.isoformat()}); an entry is "
        "written after its session, so check the year and the month",
    )


def date_after_today(read: ReadEntry, today: dt.date) -> Problem | None:
    """For a file with other errors (no entry, so the checks across entries never see it):
    its date, when that is a good date after today, so that one run names that error too."""
    if read.data is None or "date" not in read.data:
        return None
    try:
        when = parse_session_date(read.data["date"])
    except Exception:  # noqa: BLE001 - a date that is wrong in itself is reported with the other errors
        return None
    day = when.date() if isinstance(when, dt.datetime) else when
    return after_today(read, when, today) if day > today else None


def cross_entry_problems(
    pairs: Iterable[tuple[Entry, Places]], today: dt.date,
    providers: tuple[tuple[str, tuple[str, ...]], ...] = (),
    ordered: list[tuple[Entry, Places]] | None = None,
) -> list[Problem]:
    """Every check across entries, in one pass over them: sessions dated after today and one
    session written down in two files (errors), one day rated with two moods
    (`_day_rated_two_ways`) and one prescriber written several ways (`_provider_spellings`;
    `providers` is the setting that joins spellings) (warnings). `pairs` in the order the
    files were found; `ordered`: the same pairs in date order (Entry.sort_key), when the
    caller has them. Each `read` needs only its name and the places of CROSS_ENTRY_PATHS
    (`cross_entry_places`)."""
    given = list(pairs)
    if ordered is None:
        ordered = sorted(given, key=lambda pair: pair[0].sort_key)
    problems: list[Problem] = []
    by_when: dict[Any, list[tuple[Entry, Places]]] = defaultdict(list)
    by_day: dict[dt.date, list[tuple[Entry, Places, str, int]]] = defaultdict(list)
    by_spelling: dict[str, list[tuple[Entry, Places]]] = {}
    for pair in ordered:
        entry, read = pair
        day = entry.day
        if day > today:
            problems.append(after_today(read, entry.date, today))
        by_when[entry.date].append(pair)
        for name, _offset, delay in _FOLLOW_UPS:
            value = getattr(entry, name)
            if value is not None:
                by_day[day + delay].append((entry, read, name, value))
        provider = entry.provider
        if provider is not None:
            spelled = by_spelling.get(provider)
            if spelled is None:
                by_spelling[provider] = spelled = []
            spelled.append(pair)
    twice = [group for group in by_when.values() if len(group) > 1]
    if twice:
        # each message names the other files in the order they were found
        found = {id(read): i for i, (_, read) in enumerate(given)}
        for group in twice:
            problems.extend(_one_session_twice(sorted(group, key=lambda pair: found[id(pair[1])])))
    problems.extend(_day_rated_two_ways(by_day))
    problems.extend(_provider_spellings(by_spelling, providers))
    return problems


def _one_session_twice(group: list[tuple[Entry, Places]]) -> list[Problem]:
    when = group[0][0].date
    problems = []
    for _entry, read in group:
        sources = [r.source for _, r in group if r is not read]
        # thousands of copies of one session must not make each message list them all
        others = ", ".join(sources[:3]) + (f" and {len(sources) - 3} more files" if len(sources) > 3 else "")
        problems.append(
            read.problem(
                ("date",), "date",
                f"{_shown(when, None)} is also the date of {others}; one session in two files "
                "would be counted twice (for two sessions on one day, add the time to each, "
                "e.g. 2026-04-02 09:00)",
            )
        )
    return problems


def _day_rated_two_ways(by_day: dict[dt.date, list[tuple[Entry, Places, str, int]]]) -> list[Problem]:
    """Two entries rating the same calendar day with different moods: a day-N follow-up of one
    session and a follow-up of another (11 Oct as one session's day 7 and the next one's day 1).
    Each follow-up is that day's mood, so they should agree; the warning names both files. The
    moods before and two hours after a session are moments of a day, not the day, and are not
    compared. One warning per pair, at the earlier session's field. `by_day`: each day's
    follow-up ratings (entry, read, field, value), in date order of the entries."""
    problems: list[Problem] = []
    # most days are rated once, or alike: only the others are sorted and looked at
    disputed = [day for day, ratings in by_day.items() if len(ratings) > 1 and len({r[3] for r in ratings}) > 1]
    for day in sorted(disputed):
        ratings = by_day[day]
        ratings.sort(key=lambda r: r[0].sort_key)
        for i, (entry, read, name, value) in enumerate(ratings):
            differing = [r for r in ratings[i + 1:] if r[3] != value and r[0] is not entry]
            # many copies of one session must not make thousands of messages: the first three
            for _other, other_read, other_name, other_value in differing[:3]:
                line, column = other_read.position((other_name,))
                problems.append(read.problem(
                    (name,), name,
                    f"rates {day.isoformat()} as {value}, and {other_read.source}:{line}:{column} rates the same "
                    f"day as {other_value} ({other_name}); one day, two moods: check which is right",
                    "warning",
                ))
    return problems


# The provider's place too, for the warning about spellings of one prescriber.
CROSS_ENTRY_PATHS += (("provider",),)
# Prescribers compared pairwise: a journal names a handful; past this many (a generated
# journal), only the most frequent are compared, so a check never slows down on it.
PRESCRIBERS_COMPARED = 200
FILES_NAMED = 3


def _provider_spellings(
    by_spelling: dict[str, list[tuple[Entry, Places]]], providers: tuple[tuple[str, tuple[str, ...]], ...] = ()
) -> list[Problem]:
    """Provider names that are probably one prescriber written in different ways (see
    `providers.likely_same`), and that the `providers` setting does not join yet: one warning
    per likely pair, at the first file of the less frequent one, naming both with their files.
    Two names the setting lists as two prescribers are taken at its word. `by_spelling`: the
    entries naming each spelling, in date order, the spellings in the order first written."""
    prescribers = Prescribers(providers)
    configured = {name_key(name) for name, _ in providers}
    groups: dict[str, list[tuple[Entry, Places]]] = {}
    joined = set()
    for spelling, spelled in by_spelling.items():  # each spelling's key worked out once
        key = prescribers.key(spelling)
        if key in groups:
            groups[key] += spelled
            joined.add(key)
        else:
            groups[key] = list(spelled)
    for key in joined:  # spellings of one prescriber, each in date order: the group in date order
        groups[key].sort(key=lambda pair: pair[0].sort_key)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))[:PRESCRIBERS_COMPARED]
    problems = []
    for i, (key_a, a) in enumerate(ranked):
        for key_b, b in ranked[i + 1:]:
            if key_a in configured and key_b in configured:
                continue
            reason = next(
                (why for x in _spellings(a, prescribers) for y in _spellings(b, prescribers) if (why := likely_same(x, y))),
                None,
            )
            if reason is None:
                continue
            # located where the less frequent name is first written: the likelier slip
            main, odd = (a, b) if (len(a), b[0][0].sort_key) >= (len(b), a[0][0].sort_key) else (b, a)
            problems.append(odd[0][1].problem(
                ("provider",), "provider",
                f"{_named(odd, prescribers)} and {_named(main, prescribers)} may be one prescriber written two ways "
                f"({reason}); if so, list them under one name in the providers setting (in journal.yml, or under "
                "the journal plugin in mkdocs.yml), and the report counts them as one",
                "warning",
            ))
    return problems


def _spellings(group: list[tuple[Entry, Places]], prescribers: Prescribers) -> list[str]:
    written = list(dict.fromkeys(entry.provider for entry, _ in group if entry.provider is not None))
    return list(dict.fromkeys([prescribers.resolve(written[0]), *written]))


def _named(group: list[tuple[Entry, Places]], prescribers: Prescribers) -> str:
    """'"Dr. A. Osei" (entries/a.yaml and entries/b.yaml)': as the report will name it."""
    # every entry of a group names its provider (the first one's is the group's)
    name = prescribers.resolve(next(entry.provider for entry, _ in group if entry.provider is not None))
    files = list(dict.fromkeys(read.source for _, read in group))
    shown = files[:FILES_NAMED]
    more = len(files) - len(shown)
    listed = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 and not more else ", " if more else "") + shown[-1]
    if more:
        listed += f" and {more} more {'file' if more == 1 else 'files'}"
    return f'"{name}" ({listed})'
