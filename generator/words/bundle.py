"""The words of the export's bundle: the CSV's columns explained, the bundle's two README
files, and what a copy for a provider leaves out on purpose. `generator.export` and
`generator.report` only put them together."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..entries import Entry
from .numbers import format_day

# --------------------------------------------------------------------------- sessions.csv


def _meaning(name: str) -> str:
    """An entry field's meaning as the entry model describes it (the one definition)."""
    return Entry.model_fields[name].description or ""


CSV_COLUMNS: list[tuple[str, str]] = [
    ("date", "Day of the session, YYYY-MM-DD."),
    ("time", "Time of the session, HH:MM, when one was written down; empty otherwise."),
    ("dose_mg", "Dose in milligrams."),
    ("route", "sublingual, oral, intranasal, intramuscular or intravenous; empty when not recorded."),
    ("hold_time_min", "Minutes the dose was held in the mouth."),
    ("provider", "The prescriber or clinic responsible for the session, as the patient wrote it."),
    ("pre_mood", _meaning("pre_mood")),
    ("post_mood_2h", _meaning("post_mood_2h")),
    ("days_since_previous", "Calendar days since the previous session in this file; empty for the first."),
    ("lift", "post_mood_2h minus pre_mood; empty when either is missing."),
    ("mood_day1", _meaning("mood_day1")),
    ("mood_day3", _meaning("mood_day3")),
    ("mood_day7", _meaning("mood_day7")),
    ("after_next_session", "Follow-up mood fields dated after the next session, separated by spaces: they no "
     "longer show this session alone and are not used for effect_lasted_days."),
    ("effect_lasted_days", "Days until mood fell back to pre_mood, read on straight lines between the follow-ups "
     "and only up to the next session (its pre_mood is the last point); 7 when it was still above pre_mood on "
     "day 7 (a lower bound, see effect_past_day7), or the days until the next session when it was still above "
     "at that session (a lower bound too, see effect_lasted); empty when unknown."),
    ("effect_past_day7", "yes when mood was still above pre_mood on day 7, no when it fell back earlier; empty when "
     "unknown, and when it was still above at a next session before day 7 (the reading stops there)."),
    ("effect_lasted", "The same in words, as in the report, with the reason when it is unknown."),
    ("dissociation", "none, mild, moderate or strong."),
    ("side_effects", "Side effects separated by '; '; 'none' when none were written down; empty when not recorded."),
    ("tolerability", "How bearable the side effects were: fine, manageable, hard or intolerable; empty when not recorded."),
    ("phq9_total", "PHQ-9 total, 0-27."),
    ("phq9_answers", "The nine PHQ-9 answers (0-3) separated by spaces, when written item by item; item 9 asks about thoughts of self-harm."),
    ("gad7_total", "GAD-7 total, 0-21."),
    ("gad7_answers", "The seven GAD-7 answers (0-3) separated by spaces, when written item by item."),
    ("missing", "Mood fields left empty after their day had passed, separated by spaces."),
    ("still_to_come", "Mood fields whose day had not come yet on the export date, separated by spaces."),
    ("notes", "The patient's free-text notes. Only in exports made with --include-notes."),
    ("entry_file", "The copy of the session's entry file in this bundle."),
]


def csv_columns(include_notes: bool) -> list[tuple[str, str]]:
    """The CSV's columns with their meaning; the notes column only with the notes."""
    return [c for c in CSV_COLUMNS if include_notes or c[0] != "notes"]


# --------------------------------------------------------------------------- left out on purpose


def left_out_sentences(provider: bool, include_notes: bool, since: date | None = None,
                       left_out: Sequence[date] = (), own_files: int = 0) -> list[str]:
    """What a copy for a provider leaves out on purpose, for the provider to read (summary,
    site, the bundle's README); nothing for the person's own report. `left_out`: the days of
    the sessions before `since`, oldest first; `own_files`: how many pages the person added."""
    if not provider:
        return []
    sentences = ["Private notes: they never leave the patient's personal report."]
    if not include_notes:
        sentences.append("Notes: the patient chose not to include their free-text notes in this export.")
    if left_out and since is not None:
        first, last = left_out[0], left_out[-1]
        count = len(left_out)
        sentences.append(
            f"{count} earlier {'session' if count == 1 else 'sessions'} ({format_day(first)} to {format_day(last)}): "
            f"this export covers the sessions from {format_day(since)} on. "
            "The figures use only the sessions in this export; the phase of treatment counts from the first session in the journal, "
            "and the current dose from its first session in the journal."
        )
    if own_files:
        sentences.append(
            f"{own_files} {'page or file' if own_files == 1 else 'pages or files'} the patient added to their "
            "report by hand: only what is computed from the journal entries is exported."
        )
    return sentences


# --------------------------------------------------------------------------- texts in the bundle


def bundle_readme(sessions: int, first: date, last: date, today: date, left_out: Sequence[str]) -> str:
    """README.txt at the top of the bundle: what it is, what is in it, what was left out on
    purpose (`left_out`: the report's sentences, see left_out_sentences), how to check it."""
    lines = [
        "KETAMINE TREATMENT JOURNAL: EXPORT FOR A PRESCRIBER",
        "",
        "This is a patient's own session journal, kept by the patient and exported with",
        "ketamine-journal on their computer. It is not a clinical record made by a",
        "clinician: moods are the patient's own ratings (1 worst to 10 best), and the",
        "figures are computed from them. Nothing in it is medical advice or suggests a dose.",
        "",
        f"Sessions: {sessions}, from {first.isoformat()} to {last.isoformat()}. "
        f"Exported on {today.isoformat()}.",
        "",
        "WHAT IS INSIDE",
        "  summary.html       Start here. A summary for a prescriber: dosing history, trends,",
        "                     what the journal shows, scores, missing data. Opens in any",
        "                     browser without a network and prints on A4 or US Letter.",
        "  site/index.html    The patient's whole report, for reading from disk: every session,",
        "                     all charts, check-in sheet. Search works without a network.",
        "  data/sessions.csv  One row per session, for a spreadsheet; columns in data/README.txt.",
        "  data/entries/      The entry files themselves, without the fields left out below.",
        "  data/fhir-bundle.json  The same sessions as FHIR R4 resources, for a clinic's record",
        "                     system to import (see data/README.txt).",
        "  manifest.json      Every other file with its size and SHA-256 checksum.",
        "",
        "LEFT OUT ON PURPOSE",
    ]
    lines += [f"  - {sentence}" for sentence in left_out]
    lines += [
        "",
        "CHECKING THAT NOTHING WAS CHANGED",
        "  The same journal exported with the same options gives the same zip, byte for byte,",
        "  so the zip's SHA-256 (printed by journal export) identifies what was handed over.",
        "  Each file's SHA-256 is in manifest.json; compare with, for example,",
        "  `sha256sum summary.html` (Linux), `shasum -a 256 summary.html` (macOS) or",
        "  `Get-FileHash summary.html` (Windows PowerShell).",
        "",
    ]
    return "\n".join(lines)


def data_readme(include_notes: bool, withheld_fields: Sequence[str]) -> str:
    """data/README.txt: the data files, each CSV column explained (CSV_COLUMNS), and the
    entry files without `withheld_fields`."""
    lines = [
        "DATA FILES",
        "",
        "sessions.csv: one row per session, oldest first, with a header row. UTF-8 (with a",
        "byte order mark, for spreadsheet programs), comma-separated, rows ending in CRLF.",
        "An empty cell means the value was not written down. Text a person typed that begins",
        "with = + - or @ is written with a leading ' so that spreadsheets do not run it.",
        "",
        "Columns:",
    ]
    for name, meaning in csv_columns(include_notes):
        lines.append(f"  {name}: {meaning}")
    withheld = ", ".join(withheld_fields)
    lines += [
        "",
        f"entries/: each session's entry file (YAML), as the patient wrote it, without: {withheld}.",
        "Those fields were cut out of the text; every other line, comments included, is as written,",
        "in the file's own encoding, except the first line's schema path, which points at",
        "entry.schema.json here: the entry format, which editors with a YAML extension use to",
        "explain and check each field. A file name some systems cannot hold (a : or a line break",
        "in it, a reserved name such as CON, bytes that are not UTF-8, over 100 bytes) is made safe",
        "here; the entry_file column of sessions.csv names each session's copy as it is in this bundle.",
        "The files follow the entry format in the ketamine-journal README.",
        "",
        "fhir-bundle.json: the same sessions as a FHIR R4 Bundle (JSON, type collection), for a",
        "clinic's electronic record to import instead of retyping them:",
        "  MedicationAdministration, one per session: ketamine (RxNorm 6130), the dose in mg",
        "    (UCUM), the route (SNOMED CT), the day and, when written, the time"
        + (", and the notes." if include_notes else "."),
        "    The prescriber or clinic the patient named for the session is the requester of a",
        "    MedicationRequest contained in it (its request), not a performer: the journal does not",
        "    say who gave the dose.",
        "  Observation, one per mood rating: the patient's own scale, 1 (worst) to 10 (best),",
        "    patient-reported and not a standard instrument, so coded by text only (category",
        "    survey); partOf points at the session the rating follows.",
        "  Observation for PHQ-9 (LOINC 44261-6) and GAD-7 (LOINC 70274-6) totals, and a",
        "    QuestionnaireResponse (panel LOINC 44249-1, 69737-5) when the item answers were written.",
        "  Patient: only when the patient set their details in the report's settings; otherwise",
        "    the resources name no one.",
        "Dates are calendar days, as the patient wrote them; a session's time, when written, is in",
        "the MedicationAdministration's dosage text (local time: a FHIR time would need a UTC offset,",
        "which the journal does not record). The Bundle's timestamp is the export day; resource ids",
        "stay the same from one export to the next.",
        "",
    ]
    return "\n".join(lines)
