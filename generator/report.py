"""The report: everything the pages and the export render, built once per audience.

`build_report` is the one function that makes it. Given the loaded journal, the trend
settings and an `Audience` (decided by the command that builds, never read from
mkdocs.yml), it selects the sessions the audience sees, takes what the audience may not
see out of the data itself, computes the figures and signals, draws the charts and
returns a frozen `Report`. Pages and the export only render from it: nothing is added to
a report after it is made, and no template, a person's own included, can show a field
that was withheld, because the data it is given no longer holds it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from . import words
from .analysis import Analysis, analyse
from .cache import DrawingCache
from .charts import Chart, Grouping, build_charts, chart_grouping
from .entries import Entry
from .journal import Journal
from .settings import Settings
from .trends import Trends, compute_trends, with_earlier_sessions
from .views import Views, make_views

PRIVATE_FIELDS: tuple[str, ...] = ("private_notes",)
NOTES_FIELD = "notes"


def withheld_fields(include_notes: bool) -> tuple[str, ...]:
    """The entry fields a copy for a provider never holds."""
    return PRIVATE_FIELDS if include_notes else PRIVATE_FIELDS + (NOTES_FIELD,)


@dataclass(frozen=True)
class Audience:
    """Who a report is for. Personal: the person's own report, everything in it. Provider:
    a copy made to share (`journal export`), which never holds private notes, holds notes
    only with `include_notes`, and covers the sessions from `since` on."""

    provider: bool = False
    include_notes: bool = True
    since: dt.date | None = None

    def __post_init__(self) -> None:
        if not self.provider and not self.include_notes:
            raise ValueError("a personal report always holds the person's notes")

    @classmethod
    def for_provider(cls, include_notes: bool = False, since: dt.date | None = None) -> Audience:
        return cls(provider=True, include_notes=include_notes, since=since)

    @property
    def share(self) -> str:
        """"personal" or "provider", as templates test it."""
        return "provider" if self.provider else "personal"

    @property
    def withheld(self) -> tuple[str, ...]:
        """The entry fields taken out of the data for this audience."""
        return withheld_fields(self.include_notes) if self.provider else ()


PERSONAL = Audience()


def withhold(entries: Sequence[Entry], fields: Sequence[str]) -> list[Entry]:
    """The entries with `fields` emptied: what a provider may not see is taken out of the
    data itself, before anything renders, so no template (the person's own included) can
    show it."""
    emptied = dict.fromkeys(fields)
    return [e.model_copy(update=emptied) if any(getattr(e, f) is not None for f in fields) else e for e in entries]


# --------------------------------------------------------------------------- which sessions


@dataclass
class Selection:
    """The part of the journal an audience sees. `journal` holds the sessions on or after
    `since` (and only their messages); `left_out` the earlier ones, left out on purpose;
    `first_session` is the first session of the whole journal, for the phase."""

    journal: Journal
    left_out: list[Entry] = field(default_factory=list)
    since: dt.date | None = None
    first_session: dt.date | None = None


def select_sessions(journal: Journal, since: dt.date | None, withheld: Sequence[str] = ()) -> Selection:
    """The sessions from `since` on, with the fields `withheld` taken out of every entry."""
    first = journal.entries[0].day if journal.entries else None
    if withheld:
        journal = replace(journal, entries=withhold(journal.entries, withheld))
    if since is None:
        return Selection(journal, [], None, first)
    kept = [e for e in journal.entries if e.day >= since]
    left_out = [e for e in journal.entries if e.day < since]
    sources = {e.source for e in left_out}
    part = replace(
        journal,
        entries=kept,
        problems=[p for p in journal.problems if p.source not in sources],
        files_read=journal.files_read - len(left_out),
    )
    return Selection(part, left_out, since, first)


def selected_trends(selection: Selection, settings: Settings) -> Trends:
    """The figures of the selected sessions. The phase of treatment still counts from the
    first session of the whole journal, and the current dose from the first session at it:
    leaving early sessions out restarts neither (trends.with_earlier_sessions)."""
    journal = selection.journal
    trends = compute_trends(journal.entries, journal.today, settings)
    if selection.left_out and selection.since is not None:
        trends = with_earlier_sessions(trends, selection.left_out, selection.since)
    return trends


def left_out_sentences(audience: Audience, left_out: Sequence[Entry] = (), own_files: Sequence[str] = ()) -> list[str]:
    """What a copy for `audience` leaves out on purpose (words.left_out_sentences): the
    earlier sessions `left_out` and the person's own pages `own_files`."""
    return words.left_out_sentences(audience.provider, audience.include_notes, audience.since,
                                    [e.day for e in left_out], len(own_files))


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class Report:
    """Everything the pages and the export's summary are rendered from; made by
    `build_report`, never changed after."""

    journal: Journal  # the sessions the audience sees, with the withheld fields taken out
    analysis: Analysis  # their figures, the signals and the talking points
    charts: tuple[Chart, ...]
    views: Views  # what the pages and the summary show, prepared (generator.views)
    audience: Audience = PERSONAL
    lenient: bool = False
    site_name: str = "Treatment journal"
    # Who the journal is about, from the `patient` setting: name, date_of_birth, record_number
    # (each optional). Printed on the check-in sheet and the export's summary; empty: a blank.
    patient: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    chart_grouping: Grouping | None = None  # how the charts over time group sessions, if they do
    left_out_sessions: tuple[Entry, ...] = ()  # earlier than the audience's `since`
    own_files_left_out: tuple[str, ...] = ()  # pages a person added, left out of a provider's copy
    left_out_on_purpose: tuple[str, ...] = ()  # sentences, for the pages to say so

    @property
    def trends(self) -> Trends:
        """The figures (generator.trends) of the sessions the audience sees."""
        return self.analysis.figures

    @property
    def share(self) -> str:
        return self.audience.share

    @property
    def shows_notes(self) -> bool:
        return self.audience.include_notes

    @property
    def shows_private_notes(self) -> bool:
        return not self.audience.provider

    @property
    def charts_by_key(self) -> dict[str, Chart]:
        return {c.key: c for c in self.charts}

    @property
    def left_out(self) -> list[str]:
        """The entry files left out because of their errors (a lenient build)."""
        return self.journal.sources_with_errors

    @property
    def left_out_days(self) -> list[tuple[str, dt.date | None]]:
        """`left_out`, each file with the day its entry gives (None when that could not be read)."""
        days = self.journal.error_days
        return [(source, days.get(source)) for source in self.left_out]

    def leaving_out_own_files(self, names: Sequence[str]) -> Report:
        """This report, for a site that left out the pages a person added by hand (a copy
        for a provider): a new report saying so; nothing is computed again."""
        names = tuple(names)
        sentences = left_out_sentences(self.audience, self.left_out_sessions, names)
        return replace(self, own_files_left_out=names, left_out_on_purpose=tuple(sentences))


def build_report(
    journal: Journal,
    audience: Audience,
    settings: Settings,
    *,
    site_name: str = "Treatment journal",
    patient: Mapping[str, Any] | None = None,
    lenient: bool = False,
    drawing_cache: DrawingCache | None = None,
    chart_pictures: bool = False,
) -> Report:
    """The report of `journal` for `audience`: the sessions it sees, without the fields it
    may not see, their figures, signals and charts (made, or taken from `drawing_cache`).
    The site draws the charts in its pages; with `chart_pictures` each also gets its static
    SVG, for a document read without a script (the export's summary)."""
    selection = select_sessions(journal, audience.since, audience.withheld)
    trends = selected_trends(selection, settings)
    analysis = analyse(trends)
    return Report(
        journal=selection.journal,
        analysis=analysis,
        charts=tuple(build_charts(trends, drawing_cache, pictures=chart_pictures)),
        views=make_views(selection.journal, trends, analysis.signals, audience.include_notes),
        audience=audience,
        lenient=lenient,
        site_name=site_name,
        patient=MappingProxyType(dict(patient or {})),
        chart_grouping=chart_grouping(trends),
        left_out_sessions=tuple(selection.left_out),
        left_out_on_purpose=tuple(left_out_sentences(audience, selection.left_out)),
    )
