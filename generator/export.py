"""The provider export: one zip to hand to a new prescriber.

`journal export` writes a zip holding one folder:

    README.txt          what is inside, what was left out, how to check it
    summary.html        one printable document: no JavaScript, CSS and charts inline
    site/               the whole report, built to be read from disk (file://)
    data/sessions.csv   one row per session (columns in data/README.txt)
    data/entries/...    each entry file without the fields that stay private
    data/README.txt
    manifest.json       every other file with its size and SHA-256

What never leaves: `private_notes`, in any part. `notes` only when the person asks.
Invalid entries stop the export (an export is a clinical record: no silent gaps).
The zip is written beside its target and renamed into place at the end, and the
same journal and options give the same bytes, so a person can verify what they
handed over.

This module is core: it knows nothing of MkDocs. The site part is built by a
function handed in by the command (`plugin.build_provider_site`).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import __version__, words
from .cache import DrawingCache
from .entries import SCHEMA_PATH, Entry
from .fhir import fhir_bundle_json
from .hygiene import unused_site_files
from .init import BUNDLE_SCHEMA, bundle_schema_reference, point_schema_line
from .journal import Journal, load_journal
from .names import safe_name
from .output import STAGING_MARK, OutputOverlapsEntries, check_output, replace_file, writing_output
from .pages import render_document
from .problems import one_line
from .reading import read_entry, text_encoding
from .report import Audience, Report, build_report
from .settings import Settings
from .trends import SessionFigures, Trends
from .validation import validate
from .words import csv_columns, duration_text

SITE_FOLDER = "site"
ENTRIES_FOLDER = "data/entries"
FHIR_FILE = "data/fhir-bundle.json"
# Pages a search engine uses; nothing in a bundle read from disk needs them, and
# their build date would make two exports differ.
SITE_FILES_LEFT_OUT = ("sitemap.xml", "sitemap.xml.gz")


class ExportStopped(Exception):
    """The export cannot be made as asked; `details` are the lines to show (the
    located messages of invalid entries, for example). Nothing was written."""

    def __init__(self, message: str, details: Sequence[str] = ()):
        super().__init__(message)
        self.details = list(details)


@dataclass(frozen=True)
class ExportOptions:
    entries_dir: Path
    today: dt.date
    since: dt.date | None = None
    include_notes: bool = False
    settings: Settings = Settings()
    site_name: str = "Treatment journal"
    templates_dir: Path | None = None  # the person's own templates, as set in mkdocs.yml
    patient: Mapping[str, Any] = field(default_factory=dict)  # the `patient` setting; may be empty
    chart_cache: Path | None = None  # the journal's .journal-cache/ (see cache.py), shared with its builds

    @property
    def audience(self) -> Audience:
        """Who the bundle is for: a provider, with notes only if asked, from `since` on."""
        return Audience.for_provider(self.include_notes, self.since)

    @property
    def withheld_fields(self) -> tuple[str, ...]:
        return self.audience.withheld


# A function that builds the report site for the export into `folder` from the provider's
# report, already built, and returns the names of the person's own added pages it left
# out (see plugin.build_provider_site).
SiteBuilder = Callable[[Path, Report], list[str]]


# --------------------------------------------------------------------------- the journal


def load_for_export(options: ExportOptions, base: Path | None = None) -> Journal:
    """The journal, checked, with each entry's bytes kept for its copy. Any invalid entry
    stops the export with its located message, as does a journal with nothing to export."""
    journal = load_journal(options.entries_dir, options.today, base=base, providers=options.settings.providers,
                           keep_originals=True)
    if journal.errors:
        raise ExportStopped(
            f"the journal has errors ({journal.summary()}); an export is a record for a clinician, "
            "so nothing is exported until every entry is valid. Fix these and export again:",
            [str(p) for p in journal.errors],
        )
    if not journal.entries:
        raise ExportStopped("the journal has no sessions yet, so there is nothing to export")
    if options.since and journal.entries[-1].day < options.since:
        raise ExportStopped(
            f"there are no sessions on or after {options.since.isoformat()} (the last one is on "
            f"{journal.entries[-1].day.isoformat()}); choose an earlier --since"
        )
    return journal


def provider_report(journal: Journal, options: ExportOptions) -> Report:
    """The report the whole bundle is made from: summary, site, data and README. Its charts
    have their static pictures: the summary forbids scripts, so it cannot draw them."""
    return build_report(
        journal, options.audience, options.settings, site_name=options.site_name, patient=options.patient,
        drawing_cache=DrawingCache(options.chart_cache) if options.chart_cache else None, chart_pictures=True,
    )


# --------------------------------------------------------------------------- entry copies


def strip_fields(text: str, names: Sequence[str]) -> str:
    """The entry's text without the top-level fields `names`: each field's key, value and
    the rest of its last line (a trailing comment) are cut out; every other character,
    comments included, stays as it was. Raises ValueError for a layout this cannot cut
    safely (a mapping written in braces, say); `entry_copy` checks the result anyway."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)  # pure Python: marks count characters
    if not isinstance(root, yaml.MappingNode) or root.flow_style:
        raise ValueError("not a block mapping")
    spans: list[tuple[int, int]] = []
    for key_node, value_node in root.value:
        if not (isinstance(key_node, yaml.ScalarNode) and key_node.value in names):
            continue
        if key_node.start_mark.column != root.start_mark.column:
            raise ValueError("a field that does not start its line")
        start = key_node.start_mark.index - key_node.start_mark.column
        end = value_node.end_mark.index
        if value_node.end_mark.column != 0:  # block scalars end at the start of the next line already
            end = _after_line_break(text, end)
        spans.append((start, end))
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + text[end:]
    return text


_LINE_BREAKS = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")  # what YAML counts as a line break


def _after_line_break(text: str, index: int) -> int:
    found = _LINE_BREAKS.search(text, index)
    return found.end() if found else len(text)


def _comparable(entry: Entry, withheld: Sequence[str]) -> dict[str, Any]:
    return entry.model_dump(exclude=set(withheld))


def entry_copy(raw: bytes, source: str, original: Entry, withheld: Sequence[str]) -> bytes:
    """The bytes of an entry file without the withheld fields, checked: the copy must be a
    valid entry equal to the original in everything else. Where the text cannot be cut
    (an alias pointing into a removed field, for example) the values are written out
    again as plain YAML instead, and checked the same way."""
    bom, codec = text_encoding(raw)  # the copy keeps the file's encoding (UTF-16 from Notepad, say)
    candidates: list[bytes] = []
    try:
        text = raw[len(bom):].decode(codec)
        candidates.append(bom + strip_fields(text, withheld).encode(codec))
    except (ValueError, yaml.YAMLError):  # UnicodeError is a ValueError
        pass
    read = read_entry(raw, source)
    if read.data is not None:
        kept = {k: v for k, v in read.data.items() if k not in withheld}
        rewritten = (
            f"# Copied from {one_line(Path(source).name)} by journal export; rewritten because the fields left out "
            "could not be cut from the text alone.\n"
            + yaml.safe_dump(kept, sort_keys=False, allow_unicode=True, default_flow_style=False)
        )
        candidates.append(rewritten.encode("utf-8"))
    expected = _comparable(original, withheld)
    for candidate in candidates:
        copy_read = read_entry(candidate, source)
        entry, problems = validate(copy_read)
        if (
            entry is not None
            and not any(p.severity == "error" for p in problems)
            and not any(name in (copy_read.data or {}) for name in withheld)
            and _comparable(entry, withheld) == expected
        ):
            return candidate
    raise ExportStopped(
        f"{source}: the fields that stay private could not be removed from a copy of this entry "
        "safely, so nothing was exported. Please report this; the entry itself is fine."
    )


def entry_copies(journal: Journal, withheld: Sequence[str], entries_dir: Path) -> dict[str, tuple[str, bytes]]:
    """Each entry's real path -> (data/entries/<its path inside the entries folder, made safe
    and unique on every system>, the copy's bytes), made from the bytes the journal was
    loaded from (`keep_originals`): no file is read again. The entry's own contents are not
    changed for its name: a name is only what the copy is called."""
    root = os.path.abspath(entries_dir)
    relative = {e.path: os.path.relpath(os.path.abspath(e.path), root).split(os.sep) for e in journal.entries}
    names = member_names(relative)
    copies: dict[str, tuple[str, bytes]] = {}
    for entry in journal.entries:
        raw = journal.originals[entry.path]
        copies[entry.path] = (f"{ENTRIES_FOLDER}/{names[entry.path]}", entry_copy(raw, entry.source, entry, withheld))
    return copies


def member_names(paths: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """Each key's path (its parts, as the system names them) -> a name for it in a zip that
    any system can extract: every part made safe (`safe_name`), and told apart from the
    others when two would be alike, ignoring case, with -2, -3... Names that needed no change
    come first, so they keep it."""
    def safe_parts(parts: Sequence[str]) -> list[str]:
        *folders, name = parts
        stem, dot, suffix = name.rpartition(".")
        return [safe_name(folder) for folder in folders] + [safe_name(stem) + dot + suffix]

    safe = {key: safe_parts(parts) for key, parts in paths.items()}
    order = sorted(paths, key=lambda key: (safe[key] != list(paths[key]), list(paths[key])))
    taken: set[str] = set()
    names: dict[str, str] = {}
    for key in order:
        *folders, name = safe[key]
        stem, dot, suffix = name.rpartition(".")
        number, candidate = 1, "/".join([*folders, name])
        while candidate.casefold() in taken:
            number += 1
            candidate = "/".join([*folders, f"{stem}-{number}{dot}{suffix}"])
        taken.add(candidate.casefold())
        names[key] = candidate
    return names


# --------------------------------------------------------------------------- sessions.csv

# Spreadsheets run text beginning with these as a formula; such text is written with a
# leading apostrophe so that it is shown, never evaluated.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _number_text(value: float | int | None, digits: int | None = None) -> str:
    if value is None:
        return ""
    if digits is not None:
        value = round(float(value), digits)
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _typed_text(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def session_row(figure: SessionFigures, entry_file: str, include_notes: bool) -> dict[str, str]:
    e = figure.entry
    d = figure.duration
    scores = e.scores
    phq9 = scores.phq9 if scores else None
    gad7 = scores.gad7 if scores else None
    row = {
        "date": e.day.isoformat(),
        "time": e.date.strftime("%H:%M") if isinstance(e.date, dt.datetime) else "",
        "dose_mg": _number_text(e.dose_mg),
        "route": e.route or "",
        "hold_time_min": _number_text(e.hold_time_min),
        "provider": _typed_text(e.provider),
        "pre_mood": _number_text(e.pre_mood),
        "post_mood_2h": _number_text(e.post_mood_2h),
        "days_since_previous": _number_text(figure.interval_days),
        "lift": _number_text(figure.lift),
        "mood_day1": _number_text(e.mood_day1),
        "mood_day3": _number_text(e.mood_day3),
        "mood_day7": _number_text(e.mood_day7),
        "after_next_session": " ".join(figure.after_next),
        "effect_lasted_days": _number_text(d.days, 1),
        # not known when the reading stopped at a next session before day 7, still above
        "effect_past_day7": "" if d.days is None or d.at_next else ("yes" if d.beyond_day7 else "no"),
        "effect_lasted": duration_text(d),
        "dissociation": e.dissociation or "",
        "side_effects": "" if e.side_effects is None else (_typed_text("; ".join(e.side_effects)) or "none"),
        "tolerability": e.tolerability or "",
        "phq9_total": _number_text(scores.phq9_total if scores else None),
        "phq9_answers": " ".join(map(str, phq9)) if isinstance(phq9, list) else "",
        "gad7_total": _number_text(scores.gad7_total if scores else None),
        "gad7_answers": " ".join(map(str, gad7)) if isinstance(gad7, list) else "",
        "missing": " ".join(figure.missing),
        "still_to_come": " ".join(figure.pending),
        "entry_file": entry_file,
    }
    if include_notes:
        row["notes"] = _typed_text(e.notes)
    return row


def sessions_csv(trends: Trends, entry_files: Mapping[str, str], include_notes: bool) -> bytes:
    """One row per session, oldest first. UTF-8 with a byte order mark, so that
    spreadsheet programs read accents and dashes right; rows end in CRLF (RFC 4180).
    `entry_files`: each entry's `path` -> its copy's name in the bundle, from data/."""
    columns = [name for name, _ in csv_columns(include_notes)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for figure in trends.sessions:
        writer.writerow(session_row(figure, entry_files.get(figure.entry.path, ""), include_notes))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def summary_context(report: Report, options: ExportOptions) -> dict[str, Any]:
    """The summary's template context: the report and its views (generator.views), put
    together; nothing is computed here."""
    trends, views = report.trends, report.views
    sessions = trends.sessions
    return {
        "report": report,
        "trends": trends,
        "words": views.words,
        "signals": report.analysis.signals,
        "talking_points": report.analysis.talking_points,
        "journal": report.journal,
        "charts": report.charts,
        "first": sessions[0].entry.day,
        "last": sessions[-1].entry.day,
        "today": options.today,
        "dose_periods": views.dose_periods,
        "provider_periods": views.provider_periods,
        "provider_keys": views.provider_keys,
        "provider_legend": views.provider_legend,
        "several_providers": views.several_providers,
        "routes": views.routes,
        "tolerability_recorded": views.tolerability_recorded,
        "completeness": views.completeness,
        "score_rows": views.score_rows,
        "notes": views.notes,
        "include_notes": report.shows_notes,
        "left_out_on_purpose": report.left_out_on_purpose,
        "version": __version__,
        "patient": dict(report.patient),
    }


def render_summary(report: Report, options: ExportOptions) -> str:
    return render_document("summary.html", summary_context(report, options), options.templates_dir)


# --------------------------------------------------------------------------- texts in the bundle


def bundle_readme(report: Report, options: ExportOptions) -> str:
    sessions = report.trends.sessions
    return words.bundle_readme(len(sessions), sessions[0].entry.day, sessions[-1].entry.day, options.today,
                               report.left_out_on_purpose)


def data_readme(options: ExportOptions) -> str:
    return words.data_readme(options.include_notes, options.withheld_fields)


def manifest_json(files: Mapping[str, bytes], report: Report, options: ExportOptions) -> bytes:
    trends = report.trends
    listing = [
        {"path": name, "size": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        for name, content in sorted(files.items())
    ]
    manifest = {
        "created_by": f"ketamine-journal {__version__} (journal export)",
        "exported_on": options.today.isoformat(),
        "sessions": len(trends.sessions),
        "first_session": trends.sessions[0].entry.day.isoformat(),
        "last_session": trends.sessions[-1].entry.day.isoformat(),
        "since": options.since.isoformat() if options.since else None,
        "earlier_sessions_left_out": len(report.left_out_sessions),
        "notes_included": options.include_notes,
        "fields_left_out": list(options.withheld_fields),
        "files": listing,
    }
    if options.patient:  # only when the person set it: otherwise no trace of who it is
        manifest["patient"] = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in options.patient.items()}
    return (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- the zip


def bundle_name(trends: Trends) -> str:
    first, last = trends.sessions[0].entry.day, trends.sessions[-1].entry.day
    return f"journal-export-{first.isoformat()}-to-{last.isoformat()}"


def write_zip(files: Mapping[str, bytes], target: Path, stamp: dt.date) -> None:
    """Every file, in name order, with one timestamp and plain permissions, so the same
    files always give the same bytes. Written beside `target` and renamed into place."""
    date_time = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)

    def write(path: Path) -> None:
        with zipfile.ZipFile(path, "w") as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 3  # Unix, whatever system made it
                info.external_attr = 0o100644 << 16  # a plain file, readable by all
                archive.writestr(info, files[name], compresslevel=9)

    replace_file(target, write)


def _site_files(folder: Path, prefix: str) -> dict[str, bytes]:
    files = {}
    unused = unused_site_files(folder)  # source maps, other languages' search rules
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative not in SITE_FILES_LEFT_OUT and relative not in unused:
            files[f"{prefix}{SITE_FOLDER}/{relative}"] = path.read_bytes()
    return files


@dataclass
class ExportResult:
    path: Path
    sha256: str
    sessions: int
    first: dt.date
    last: dt.date
    files: int
    left_out: list[Entry]
    own_files_left_out: list[str]


def export_journal(options: ExportOptions, out: Path | None, build_site: SiteBuilder | None) -> ExportResult:
    """Make the bundle and write it to `out` (a .zip path, or a folder for the default
    name). The journal is read once and its report built once (`build_report`): the
    summary, the data, the README and the site (`build_site`) are all made from them.
    Raises ExportStopped, with nothing written, when the journal cannot be exported,
    and output.OutputError when the zip cannot be written there."""
    journal = load_for_export(options)
    report = provider_report(journal, options)
    name = bundle_name(report.trends)
    # A path ending in .zip is the file to write; any other is the folder to write it in.
    target = Path(out) if out is not None else Path(name + ".zip")
    if target.is_dir() or target.suffix.lower() != ".zip":
        target = target / f"{name}.zip"
    try:
        target = check_output(target, options.entries_dir, "--out")
    except OutputOverlapsEntries as refused:
        raise ExportStopped(str(refused)) from None
    with writing_output(target, "journal export", folder=False):
        return _write_bundle(options, report, name, target, build_site)


def _write_bundle(options: ExportOptions, report: Report, name: str, target: Path,
                  build_site: SiteBuilder | None) -> ExportResult:
    prefix = f"{name}/"
    trends = report.trends
    files: dict[str, bytes] = {}
    copies = entry_copies(report.journal, options.withheld_fields, options.entries_dir)
    # each copy's editor schema line points at the schema in the bundle (data/entry.schema.json)
    copies = {path: (member, point_schema_line(content, bundle_schema_reference(member)))
              for path, (member, content) in copies.items()}
    files[prefix + BUNDLE_SCHEMA] = SCHEMA_PATH.read_bytes()
    for member, content in copies.values():
        files[prefix + member] = content
    by_path = {path: member.removeprefix("data/") for path, (member, _) in copies.items()}
    files[prefix + "data/sessions.csv"] = sessions_csv(trends, by_path, options.include_notes)
    files[prefix + "data/README.txt"] = data_readme(options).encode("utf-8")
    files[prefix + FHIR_FILE] = fhir_bundle_json(report.journal.entries, options.today, options.patient, name)

    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING_MARK}", dir=target.parent))
    try:
        if build_site is not None:
            # the person's own pages are left out of the site: the summary and README say so too
            report = report.leaving_out_own_files(build_site(staging / SITE_FOLDER, report))
            files.update(_site_files(staging / SITE_FOLDER, prefix))
        files[prefix + "summary.html"] = render_summary(report, options).encode("utf-8")
        files[prefix + "README.txt"] = bundle_readme(report, options).encode("utf-8")
        files[prefix + "manifest.json"] = manifest_json({k.removeprefix(prefix): v for k, v in files.items()}, report, options)
        write_zip(files, target, trends.sessions[-1].entry.day)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return ExportResult(
        path=target,
        sha256=hashlib.sha256(target.read_bytes()).hexdigest(),
        sessions=len(trends.sessions),
        first=trends.sessions[0].entry.day,
        last=trends.sessions[-1].entry.day,
        files=len(files),
        left_out=list(report.left_out_sessions),
        own_files_left_out=list(report.own_files_left_out),
    )
