"""The session entry: one YAML file per ketamine session.

This module is the single definition of what an entry may hold. Validation
(`generator.validation`) and the JSON Schema that editors use
(`entry.schema.json`) are both derived from the `Entry` model below.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .names import safe_name

SCHEMA_PATH = Path(__file__).with_name("entry.schema.json")

Route = Literal["sublingual", "oral", "intranasal", "intramuscular", "intravenous"]
ROUTES: tuple[str, ...] = get_args(Route)

Dissociation = Literal["none", "mild", "moderate", "strong"]
DISSOCIATION_LEVELS: tuple[str, ...] = get_args(Dissociation)

Tolerability = Literal["fine", "manageable", "hard", "intolerable"]
TOLERABILITY_LEVELS: tuple[str, ...] = get_args(Tolerability)

FOLLOW_UP_DAYS: dict[str, int] = {"mood_day1": 1, "mood_day3": 3, "mood_day7": 7}

# Spelling variants people write, mapped to one name so that counts add up.
# Anything not listed is kept exactly as written.
KNOWN_SIDE_EFFECTS: dict[str, str] = {
    "nausea": "nausea",
    "nauseous": "nausea",
    "nauseated": "nausea",
    "vomiting": "vomiting",
    "vomited": "vomiting",
    "dizziness": "dizziness",
    "dizzy": "dizziness",
    "headache": "headache",
    "headaches": "headache",
    "fatigue": "fatigue",
    "tired": "fatigue",
    "tiredness": "fatigue",
    "exhaustion": "fatigue",
    "blurred vision": "blurred vision",
    "blurry vision": "blurred vision",
    "anxiety": "anxiety",
    "anxious": "anxiety",
    "raised blood pressure": "raised blood pressure",
    "high blood pressure": "raised blood pressure",
    "increased blood pressure": "raised blood pressure",
    "insomnia": "insomnia",
    "trouble sleeping": "insomnia",
    "numbness": "numbness",
    "confusion": "confusion",
    "bladder pain": "bladder pain",
}
NO_SIDE_EFFECTS = {"none", "no", "nothing", "-"}

# The dates an entry may have, and the dates --today, --since and `new --date` take: what every
# later stage handles. A zip stores dates from 1980 on; gzip and the build's timestamps stop in
# 2106; a year typed with two digits (0026) would give charts dates before year 1.
EARLIEST_DATE = dt.date(1980, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)
DATE_RANGE = f"{EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}"

_DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?$"
)
# For editors: the years EARLIEST_DATE to LATEST_DATE (the check itself reads any four-digit
# year, to say what is wrong with one outside them).
DATE_PATTERN = r"^(19[89]\d|20\d\d)-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2})?)?$"


def date_in_range(day: dt.date) -> bool:
    """Whether a day is one the journal accepts (EARLIEST_DATE to LATEST_DATE)."""
    return EARLIEST_DATE <= day <= LATEST_DATE


def _in_range(value: dt.date) -> dt.date:
    day = value.date() if isinstance(value, dt.datetime) else value
    if not date_in_range(day):
        shown = value.isoformat(sep=" ", timespec="minutes") if isinstance(value, dt.datetime) else value.isoformat()
        raise PydanticCustomError(
            "session_date_range", "outside the dates the journal accepts", {"year": day.year, "shown": shown}
        )
    return value


def parse_session_date(value: Any) -> Any:
    """Accept a YAML date, a YAML timestamp, or text like '2026-04-02 18:30'."""
    if isinstance(value, dt.datetime):
        return _in_range(value.replace(tzinfo=None, microsecond=0))
    if isinstance(value, dt.date):
        return _in_range(value)
    if isinstance(value, str):
        match = _DATE_RE.match(value.strip())
        if not match:
            raise PydanticCustomError("session_date_format", "not a date")
        parts = {k: int(v) if v else 0 for k, v in match.groupdict().items()}
        try:
            day = dt.date(parts["y"], parts["m"], parts["d"])
        except ValueError:
            raise PydanticCustomError("session_date_calendar", "not a calendar date") from None
        if match.group("H") is None:
            return _in_range(day)
        try:
            when = dt.datetime(day.year, day.month, day.day, parts["H"], parts["M"], parts["S"])
        except ValueError:
            raise PydanticCustomError("session_date_time", "not a time of day") from None
        return _in_range(when)
    raise PydanticCustomError("session_date_format", "not a date")


def normalise_side_effect(word: str) -> str:
    cleaned = " ".join(word.split())
    return KNOWN_SIDE_EFFECTS.get(cleaned.lower(), cleaned)


def _split_side_effects(value: Any) -> Any:
    # A single line such as "nausea, headache" is a list written the short way.
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if isinstance(value, list):
        words = []
        for item in value:
            if isinstance(item, str):
                item = " ".join(item.split())
                if not item or item.lower() in NO_SIDE_EFFECTS:
                    continue
            words.append(item)
        return words
    return value


SessionDate = Annotated[
    dt.datetime | dt.date,
    BeforeValidator(parse_session_date),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": DATE_PATTERN,
            "examples": ["2026-04-02", "2026-04-02 18:30"],
        }
    ),
]
Mood = Annotated[int, Field(ge=1, le=10)]
ItemAnswer = Annotated[int, Field(ge=0, le=3)]


class Scores(BaseModel):
    """Questionnaire scores, as the clinic records them."""

    model_config = ConfigDict(extra="forbid", strict=True)

    phq9: (
        Annotated[int, Field(ge=0, le=27)]
        | Annotated[list[ItemAnswer], Field(min_length=9, max_length=9)]
        | None
    ) = Field(
        default=None,
        description=(
            "PHQ-9 (depression): the total 0-27, or the nine answers in order, each 0-3, "
            "e.g. [1, 2, 1, 0, 2, 1, 1, 0, 0]. Item 9 asks about thoughts of self-harm."
        ),
    )
    gad7: (
        Annotated[int, Field(ge=0, le=21)]
        | Annotated[list[ItemAnswer], Field(min_length=7, max_length=7)]
        | None
    ) = Field(
        default=None,
        description="GAD-7 (anxiety): the total 0-21, or the seven answers in order, each 0-3.",
    )

    @property
    def phq9_total(self) -> int | None:
        return sum(self.phq9) if isinstance(self.phq9, list) else self.phq9

    @property
    def gad7_total(self) -> int | None:
        return sum(self.gad7) if isinstance(self.gad7, list) else self.gad7

    @property
    def phq9_item9(self) -> int | None:
        """The self-harm item, known only when the nine answers were written."""
        return self.phq9[8] if isinstance(self.phq9, list) else None


class Entry(BaseModel):
    """One ketamine treatment session. Only `date` and `dose_mg` are required:
    the rest is filled in over the following week."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        title="Ketamine journal session entry",
        json_schema_extra={"additionalProperties": False},
    )

    date: SessionDate = Field(
        description=(
            "Required. The day of the session, as 2026-04-02, or with the time as "
            "2026-04-02 18:30 (needed when there are two sessions on one day); "
            f"from {EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}."
        )
    )
    dose_mg: Annotated[float, Field(gt=0, allow_inf_nan=False)] = Field(
        description="Required. The dose in milligrams, as a number only: 150, not 150mg."
    )
    route: Route | None = Field(
        default=None,
        description="How it was taken: sublingual, oral, intranasal, intramuscular or intravenous.",
    )
    hold_time_min: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = Field(
        default=None,
        description="Minutes the dose was held in the mouth (sublingual or oral), 0 or more.",
    )
    pre_mood: Mood | None = Field(
        default=None, description="Mood right before the session, 1 (worst) to 10 (best)."
    )
    dissociation: Dissociation | None = Field(
        default=None, description="How dissociated you felt: none, mild, moderate or strong."
    )
    post_mood_2h: Mood | None = Field(
        default=None, description="Mood about two hours after the session, 1 to 10."
    )
    side_effects: Annotated[
        list[str],
        BeforeValidator(_split_side_effects),
        # The check also takes one line of words ("nausea, headache"); so does the editor.
        WithJsonSchema({"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]}),
    ] | None = Field(
        default=None,
        description=(
            "Side effects, as a list of words: [nausea, headache]. Write [] for none. "
            "Common ones are recognised in any spelling; others are kept as written."
        ),
    )
    tolerability: Tolerability | None = Field(
        default=None,
        description=(
            "How bearable the side effects were: fine, manageable, hard or intolerable. "
            "Separate from how well the session worked."
        ),
    )
    mood_day1: Mood | None = Field(default=None, description="Mood the day after, 1 to 10.")
    mood_day3: Mood | None = Field(default=None, description="Mood on day 3, 1 to 10.")
    mood_day7: Mood | None = Field(default=None, description="Mood on day 7, 1 to 10.")
    provider: str | None = Field(
        default=None, description="The prescriber or clinic responsible for this session."
    )
    scores: Scores | None = Field(
        default=None,
        description="Optional questionnaire scores the clinic uses: phq9 and gad7.",
    )
    notes: str | None = Field(
        default=None,
        description=(
            "Free text. Stays in your personal report; shared with a provider only if you "
            "choose to include notes in an export."
        ),
    )
    private_notes: str | None = Field(
        default=None,
        description="Free text that never leaves your personal report, not even in an export.",
    )

    _source: str = PrivateAttr(default="")
    _path: str = PrivateAttr(default="")  # the file's real path, for reading it again (see `path`)
    _slug: str = PrivateAttr(default="")  # set by `assign_slugs`, unique in its journal

    if TYPE_CHECKING:
        # pydantic declares it `dict | None`; a model with private attributes always has it,
        # and the entry's three (above) are text.
        __pydantic_private__: dict[str, str]

    @field_validator("side_effects", mode="after")
    @classmethod
    def _normalise_side_effects(cls, words: list[str] | None) -> list[str] | None:
        if words is None:
            return None
        # each name once, in the order written; a dict, so that a long list is not quadratic
        return list(dict.fromkeys(normalise_side_effect(word) for word in words))

    @field_validator("provider", "notes", "private_notes", mode="after")
    @classmethod
    def _blank_text_is_absent(cls, text: str | None) -> str | None:
        # An empty `notes: |` left from the template means nothing was written.
        return text if text is not None and text.strip() else None

    # Private attributes are read and written in pydantic's own dict: `self._source` goes
    # through BaseModel.__getattr__ (and `entry._slug = ...` through __setattr__), a few
    # microseconds each. Measured (benchmarks/RESULTS.md, "Speed tricks"): 13-17 ms of CPU
    # in loading 1,000 entries (0.12 s), 0.1-0.25 s in `journal check` of 10,000 entries.
    @property
    def source(self) -> str:
        """Where the entry came from, as shown in messages (entries/2026-04-02.yaml)."""
        return self.__pydantic_private__["_source"]

    @property
    def path(self) -> str:
        """The file's real path, as the system gave it: `source` is for messages only, and
        shows a name that is not UTF-8 (caf\\xe9.yaml) as no file is named."""
        private = self.__pydantic_private__
        return private["_path"] or private["_source"]

    @property
    def day(self) -> dt.date:
        return self.date.date() if isinstance(self.date, dt.datetime) else self.date

    @property
    def sort_key(self) -> tuple[dt.date, dt.time, str]:
        when = self.date
        if isinstance(when, dt.datetime):
            return (when.date(), when.time(), self.__pydantic_private__["_source"])
        return (when, dt.time.min, self.__pydantic_private__["_source"])

    @property
    def slug(self) -> str:
        """A stable identifier for links: the file name without its extension, made safe as
        a page name on every system (see `names.safe_name`)."""
        private = self.__pydantic_private__
        if private["_slug"]:
            return private["_slug"]
        if private["_path"] or private["_source"]:
            return safe_name(_stem(private["_path"] or private["_source"]))
        return self.date.strftime("%Y-%m-%d-%H%M") if isinstance(self.date, dt.datetime) else str(self.date)

    @property
    def lift(self) -> int | None:
        if self.pre_mood is None or self.post_mood_2h is None:
            return None
        return self.post_mood_2h - self.pre_mood


TEXT_FIELDS = frozenset({"provider", "notes", "private_notes"})
"""Fields whose values are kept as the characters typed (a note that reads
'yes' stays 'yes', never a boolean)."""
TEXT_LIST_FIELDS = frozenset({"side_effects"})


def _stem(source: str) -> str:
    """Path(source).stem: worked out here for the usual name (`entries/2026-04-02.yaml`),
    which is much quicker for thousands of entries; anything else is left to Path."""
    if os.name == "posix":  # where "/" alone separates folders, as in PurePosixPath
        name = source.rpartition("/")[2]
        dot = name.rfind(".")
        if 0 < dot < len(name) - 1:
            return name[:dot]
    return Path(source).stem


def assign_slugs(entries: list[Entry]) -> None:
    """Give every entry a page name of its own: its file name without the extension, with
    -2, -3... when names would clash (x.yaml and x.yml, a/x.yaml and b/x.yaml, X.yaml and
    x.yaml on a disk that ignores case), and never `index`, the name of the sessions list.
    Otherwise one session's page would silently replace another's. A name that had to be
    made safe (a<b.yaml is a_b) gives way to one that did not (a_b.yaml)."""
    taken = {"index"}
    # each entry's name worked out once: the sort and the name need it both
    named = []
    for entry in entries:
        private = entry.__pydantic_private__  # what `entry._slug = ...` sets, without its cost
        private["_slug"] = ""
        source = private["_path"] or private["_source"]
        stem = _stem(source) if source else ""
        base = safe_name(stem) if source else entry.slug  # what `slug` gives without a _slug
        named.append((bool(source) and base != stem, private["_source"].count("/"), private["_source"], base, private))
    # top level first
    named.sort(key=lambda item: item[:3])
    for *_, base, private in named:
        slug = base
        number = 1
        while slug.casefold() in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug.casefold())
        private["_slug"] = slug


def with_source(entry: Entry, source: str, path: str = "") -> Entry:
    """The entry, named `source` in messages; `path` is its real path when that differs."""
    private = entry.__pydantic_private__  # `entry._source = source`, quicker
    private["_source"] = source
    private["_path"] = path
    return entry


def entry_json_schema() -> dict[str, Any]:
    """The JSON Schema editors use to complete and check entries while typing."""
    schema = Entry.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "entry.schema.json"
    return schema


def entry_json_schema_text() -> str:
    return json.dumps(entry_json_schema(), indent=2, sort_keys=True) + "\n"


def entry_template(day: dt.date | dt.datetime, schema_ref: str) -> str:
    """The text of a new entry: every field, empty, with its range in a comment."""
    when = day.strftime("%Y-%m-%d %H:%M") if isinstance(day, dt.datetime) else day.isoformat()
    return f"""\
# yaml-language-server: $schema={schema_ref}
# One session. Fill in what you know now; come back on day 1, 3 and 7 for the
# follow-up moods. Leave a field empty until you know it. Moods are 1 (worst) to 10 (best).
date: {when}{' ' * max(1, 28 - len('date: ' + when))}# required: the day, or day and time (2026-04-02 18:30)
dose_mg:                    # required: the dose in mg, a number only (150, not 150mg)
route:                      # sublingual, oral, intranasal, intramuscular or intravenous
hold_time_min:              # minutes held in the mouth, 0 or more
pre_mood:                   # 1-10, right before the session
dissociation:               # none, mild, moderate or strong
post_mood_2h:               # 1-10, about two hours after
side_effects:               # a list of words, e.g. [nausea, headache]; [] for none
tolerability:               # how bearable the side effects were: fine, manageable, hard or intolerable
mood_day1:                  # 1-10, the day after
mood_day3:                  # 1-10, on day 3
mood_day7:                  # 1-10, on day 7
provider:                   # the prescriber or clinic
scores:                     # optional; remove or fill in what your clinic uses
  phq9:                     #   PHQ-9 total 0-27, or its nine answers 0-3: [1, 2, 1, 0, 2, 1, 1, 0, 0]
  gad7:                     #   GAD-7 total 0-21, or its seven answers 0-3
notes: |                    # free text on the lines below, indented; shared only if you choose
  
private_notes: |            # free text that never leaves your personal report
  
"""  # noqa: W293  the blank lines under `|` keep the indentation the text is typed at
