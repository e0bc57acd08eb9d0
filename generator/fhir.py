"""The export's data/fhir-bundle.json: the journal as a FHIR R4 Bundle a clinic's record can import.

One Bundle of type "collection":

- a MedicationAdministration per session: ketamine (RxNorm 6130), the dose as a UCUM quantity
  in mg, the route (SNOMED CT route code and text), the day, and the time when it was written;
- Observations for the patient's own mood ratings (1 worst to 10 best): patient-reported, not a
  standard instrument, so they carry a text code only, category "survey", and point at the
  session they follow (partOf);
- for PHQ-9 and GAD-7: an Observation of the total (LOINC 44261-6, 70274-6) and, when the item
  answers were written, a QuestionnaireResponse for the panel (LOINC 44249-1, 69737-5);
- a Patient only when the person set the `patient` setting; otherwise the subject is a
  reference that only says who it is in words, so nothing identifies the person.

`private_notes` are never read here; `notes` only reach it when the entries hand them in
(the export empties them unless --include-notes). The same entries and export day give the
same bytes: ids are derived from the entries' slugs, and the only date not taken from an entry
is the export day.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from .entries import Entry

# A fixed namespace: the same entry gets the same resource id in every export.
_NAMESPACE = uuid.UUID("5f0b8a52-3c1e-4d55-9b0e-6a4c1d2e7f90")

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

# SNOMED CT "route of administration" concepts for the entry's routes.
ROUTE_CODES: dict[str, tuple[str, str]] = {
    "sublingual": ("37839007", "Sublingual route"),
    "oral": ("26643006", "Oral route"),
    "intranasal": ("46713006", "Nasal route"),
    "intramuscular": ("78421000", "Intramuscular route"),
    "intravenous": ("47625008", "Intravenous route"),
}

# (panel code, panel name, total code, total name, item count)
QUESTIONNAIRES: dict[str, tuple[str, str, str, str, int]] = {
    "phq9": ("44249-1", "PHQ-9 quick depression assessment panel", "44261-6",
             "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]", 9),
    "gad7": ("69737-5", "Generalized anxiety disorder 7 item (GAD-7)", "70274-6",
             "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]", 7),
}

MOOD_SCALE = "Mood, the patient's own rating from 1 (worst) to 10 (best); patient-reported, not a standard instrument"
# field -> (when, in words; days after the session, or None for the session's own day and time)
MOOD_RATINGS: dict[str, tuple[str, int | None]] = {
    "pre_mood": ("right before the session", None),
    "post_mood_2h": ("about 2 hours after the session", None),
    "mood_day1": ("on the day after the session", 1),
    "mood_day3": ("on day 3 after the session", 3),
    "mood_day7": ("on day 7 after the session", 7),
}


def _id(*parts: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(parts)))


def _when(entry: Entry, hours: int = 0) -> str:
    """The calendar day of the session (or `hours` after its time). A FHIR time needs a UTC
    offset, and an entry's time has none: taking the computer's would make the file depend on
    the time zone it is exported in. The time itself goes into the dosage text."""
    if isinstance(entry.date, dt.datetime):
        return (entry.date + dt.timedelta(hours=hours)).date().isoformat()
    return entry.day.isoformat()


def _time_text(entry: Entry) -> str | None:
    return f"at {entry.date:%H:%M}, local time" if isinstance(entry.date, dt.datetime) else None


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _category() -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}]


def fhir_bundle(entries: Sequence[Entry], today: dt.date, patient: Mapping[str, Any], bundle_id: str) -> dict[str, Any]:
    resources: list[dict[str, Any]] = []
    if patient:
        # from the person's details, so two people's bundles never share a Patient id
        patient_id = _id("patient", *(str(patient.get(k, "")) for k in ("name", "date_of_birth", "record_number")))
        resources.append(_patient(patient_id, patient))
        subject = {"reference": f"urn:uuid:{patient_id}"}
    else:
        subject = {"display": "The patient who kept this journal (not named in this export)"}
    for entry in entries:
        session_id = _id(entry.slug, "session")
        resources.append(_administration(entry, session_id, subject))
        for field, (words, days) in MOOD_RATINGS.items():
            value = getattr(entry, field)
            if value is None:
                continue
            if days is None:
                effective = _when(entry, 2 if field == "post_mood_2h" else 0)
            else:
                effective = (entry.day + dt.timedelta(days=days)).isoformat()
            resources.append({
                "resourceType": "Observation",
                "id": _id(entry.slug, field),
                "status": "final",
                "category": _category(),
                "code": {"text": f"{MOOD_SCALE}: {words}"},
                "subject": subject,
                "effectiveDateTime": effective,
                "partOf": [{"reference": f"urn:uuid:{session_id}"}],
                "valueInteger": value,
            })
        if entry.scores is not None:
            for name, (panel, panel_name, total_code, total_name, count) in QUESTIONNAIRES.items():
                resources += _questionnaire(entry, name, panel, panel_name, total_code, total_name, count, subject)
    return {
        "resourceType": "Bundle",
        "id": bundle_id,
        "type": "collection",
        # the export day, not the clock: the same journal exported the same day gives the same file
        "timestamp": f"{today.isoformat()}T00:00:00Z",
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def _patient(patient_id: str, patient: Mapping[str, Any]) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient", "id": patient_id, "name": [{"text": patient["name"]}]}
    born = patient.get("date_of_birth")
    if isinstance(born, str):
        try:
            born = dt.date.fromisoformat(born.strip())
        except ValueError:
            born = None  # a date of birth written some other way: not guessed at
    if isinstance(born, dt.date):
        resource["birthDate"] = born.isoformat()
    if patient.get("record_number"):
        resource["identifier"] = [{"type": {"text": "Record number at the clinic"}, "value": str(patient["record_number"])}]
    return resource


def _administration(entry: Entry, session_id: str, subject: dict[str, Any]) -> dict[str, Any]:
    dosage: dict[str, Any] = {}
    if entry.route is not None:
        code, display = ROUTE_CODES[entry.route]
        dosage["route"] = {"coding": [{"system": SNOMED, "code": code, "display": display}], "text": entry.route}
    dosage["dose"] = {"value": _number(entry.dose_mg), "unit": "mg", "system": UCUM, "code": "mg"}
    if _time_text(entry):
        dosage["text"] = f"{_number(entry.dose_mg)} mg {_time_text(entry)}"
    ketamine = {"coding": [{"system": RXNORM, "code": "6130", "display": "ketamine"}], "text": "ketamine"}
    resource: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": session_id,
        "status": "completed",
        "medicationCodeableConcept": ketamine,
        "subject": subject,
        "effectiveDateTime": _when(entry),
        "dosage": dosage,
    }
    if entry.provider:
        # The prescriber (or clinic) responsible for the session, not who gave the dose (the
        # performer: at home, the patient): the requester of the order the session follows,
        # an order the journal knows nothing else of (status unknown), kept inside the session.
        resource["contained"] = [{
            "resourceType": "MedicationRequest", "id": "order", "status": "unknown", "intent": "order",
            "medicationCodeableConcept": ketamine, "subject": subject, "requester": {"display": entry.provider},
        }]
        resource["request"] = {"reference": "#order"}
    if entry.notes:  # present only when the person chose --include-notes
        resource["note"] = [{"text": entry.notes}]
    return resource


def _questionnaire(entry: Entry, name: str, panel: str, panel_name: str, total_code: str, total_name: str,
                   count: int, subject: dict[str, Any]) -> list[dict[str, Any]]:
    answers = getattr(entry.scores, name)
    total = getattr(entry.scores, f"{name}_total")
    if total is None:
        return []
    resources: list[dict[str, Any]] = []
    total_obs: dict[str, Any] = {
        "resourceType": "Observation",
        "id": _id(entry.slug, name, "total"),
        "status": "final",
        "category": _category(),
        "code": {"coding": [{"system": LOINC, "code": total_code, "display": total_name}], "text": total_name},
        "subject": subject,
        "effectiveDateTime": _when(entry),
        "valueInteger": total,
    }
    if isinstance(answers, list):
        response_id = _id(entry.slug, name, "answers")
        resources.append({
            "resourceType": "QuestionnaireResponse",
            "id": response_id,
            "questionnaire": f"{LOINC}/q/{panel}",
            "status": "completed",
            "subject": subject,
            "authored": _when(entry),
            "item": [
                {"linkId": f"{panel}-item-{number}", "text": f"{panel_name}: item {number}",
                 "answer": [{"valueInteger": answer}]}
                for number, answer in enumerate(answers, start=1)
            ],
        })
        total_obs["derivedFrom"] = [{"reference": f"urn:uuid:{response_id}"}]
    resources.append(total_obs)
    return resources


def fhir_bundle_json(entries: Sequence[Entry], today: dt.date, patient: Mapping[str, Any], bundle_id: str) -> bytes:
    return (json.dumps(fhir_bundle(entries, today, patient, bundle_id), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
