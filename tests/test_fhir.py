"""data/fhir-bundle.json: read back with a FHIR model library (fhir.resources, its R4B models:
fhir.resources 8 defaults to R5, and R4B is the release of R4 it carries; the resources used
here are the same in R4 and R4B), and checked against the entries a person wrote."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE_TODAY, REPO, run_in, write_project
from generator.journal import load_journal

fhir_bundle = pytest.importorskip("fhir.resources.R4B.bundle")

LOINC, UCUM = "http://loinc.org", "http://unitsofmeasure.org"
BUNDLE = "journal-export-2026-06-01-to-2026-11-22"


def bundle_in(archive: Path) -> tuple[bytes, dict[str, bytes]]:
    with zipfile.ZipFile(archive) as opened:
        files = {i.filename.split("/", 1)[1]: opened.read(i) for i in opened.infolist()}
    return files["data/fhir-bundle.json"], files


def parsed(raw: bytes):
    """The bundle through the model library (which refuses anything R4 does not allow),
    and back as plain JSON, grouped by resource type."""
    model = fhir_bundle.Bundle.model_validate_json(raw)
    again = json.loads(model.model_dump_json())
    by_type: dict[str, list[dict]] = {}
    for item in again["entry"]:
        assert item["fullUrl"] == f"urn:uuid:{item['resource']['id']}"
        by_type.setdefault(item["resource"]["resourceType"], []).append(item["resource"])
    return again, by_type


def test_the_example_bundle_holds_every_session_rating_and_score(example_export):
    raw, files = bundle_in(example_export)
    bundle, by_type = parsed(raw)
    entries = load_journal(REPO / "entries", EXAMPLE_TODAY, base=REPO).entries
    assert bundle["type"] == "collection" and bundle["timestamp"].startswith(EXAMPLE_TODAY)
    assert "Patient" not in by_type  # the example sets no patient: nothing names anyone
    given = by_type["MedicationAdministration"]
    assert len(given) == len(entries) == 32
    by_id = {r["id"]: r for r in given}
    for entry, resource in zip(entries, given):
        assert resource["effectiveDateTime"] == entry.day.isoformat()
        assert resource["medicationCodeableConcept"]["coding"][0]["code"] == "6130"
        assert resource["dosage"]["dose"] == {"value": entry.dose_mg, "unit": "mg", "system": UCUM, "code": "mg"}
        if entry.route:
            assert resource["dosage"]["route"]["text"] == entry.route
        assert "note" not in resource  # notes were not asked for
        # the prescriber is who ordered the session, never named as the one who gave the dose
        assert "performer" not in resource
        if entry.provider:
            (order,) = resource["contained"]
            assert resource["request"] == {"reference": f"#{order['id']}"}
            assert (order["resourceType"], order["intent"], order["requester"]) == (
                "MedicationRequest", "order", {"display": entry.provider})
        else:
            assert "contained" not in resource and "request" not in resource
    assert any("contained" in r for r in given)  # the example names its prescribers
    moods = by_type["Observation"]
    mood_values = {}
    for obs in moods:
        if "coding" not in obs["code"]:
            assert "patient-reported, not a standard instrument" in obs["code"]["text"]
            assert obs["category"][0]["coding"][0]["code"] == "survey"
            session = by_id[obs["partOf"][0]["reference"].removeprefix("urn:uuid:")]
            mood_values.setdefault(session["effectiveDateTime"], []).append((obs["effectiveDateTime"], obs["valueInteger"]))
    for entry in entries:
        day = entry.day
        expected = [(day.isoformat(), entry.pre_mood), (day.isoformat(), entry.post_mood_2h),
                    ((day + dt.timedelta(days=1)).isoformat(), entry.mood_day1),
                    ((day + dt.timedelta(days=3)).isoformat(), entry.mood_day3),
                    ((day + dt.timedelta(days=7)).isoformat(), entry.mood_day7)]
        assert mood_values.get(day.isoformat(), []) == [(d, v) for d, v in expected if v is not None], day
    totals = {(o["code"]["coding"][0]["code"], o["effectiveDateTime"]): o["valueInteger"]
              for o in moods if "coding" in o["code"]}
    scored = [e for e in entries if e.scores]
    assert scored
    for entry in scored:
        if entry.scores.phq9 is not None:
            assert totals[("44261-6", entry.day.isoformat())] == entry.scores.phq9_total
        if entry.scores.gad7 is not None:
            assert totals[("70274-6", entry.day.isoformat())] == entry.scores.gad7_total
    responses = by_type["QuestionnaireResponse"]
    first = next(r for r in responses if r["authored"] == "2026-06-01" and r["questionnaire"].endswith("/44249-1"))
    assert [item["answer"][0]["valueInteger"] for item in first["item"]] == [2, 3, 2, 2, 2, 2, 2, 1, 0]
    text = raw.decode()
    assert "private" not in text.lower()
    for entry in entries:
        for note in (entry.notes, entry.private_notes):
            for line in (note or "").splitlines():
                if len(line.strip()) >= 12:
                    assert line.strip() not in text and json.dumps(line.strip())[1:-1] not in text
    assert "fhir-bundle.json" in files["data/README.txt"].decode() and "fhir-bundle.json" in files["README.txt"].decode()


TIMED = ("date: 2026-06-01 18:30\ndose_mg: 62.5\nroute: intranasal\npre_mood: 3\npost_mood_2h: 6\n"
         "scores:\n  gad7: [1, 2, 1, 0, 2, 1, 1]\n  phq9: 14\n"
         "notes: Slept well after this one, walked in the park\n"
         "private_notes: Argument with my sister about the inheritance\n")


@pytest.fixture(scope="module")
def small_project(tmp_path_factory):
    return write_project(tmp_path_factory.mktemp("fhir"), {"2026-06-01.yaml": TIMED},
                         "patient:\n  name: Alex Example\n  date_of_birth: 1980-02-03\n  record_number: MRN-4711")


def export_of(project: Path, *extra: str) -> bytes:
    out = project / f"out{len(extra)}.zip"
    assert run_in(project, "export", "--out", str(out), *extra) == 0
    return bundle_in(out)[0]


def test_notes_only_with_include_notes_and_a_patient_only_when_set(small_project):
    plain, with_notes = export_of(small_project), export_of(small_project, "--include-notes")
    for raw in (plain, with_notes):
        assert b"inheritance" not in raw and b"sister" not in raw  # private notes: never
        _, by_type = parsed(raw)
        (patient,) = by_type["Patient"]
        assert patient["name"][0]["text"] == "Alex Example" and patient["birthDate"] == "1980-02-03"
        assert patient["identifier"][0]["value"] == "MRN-4711"
        (given,) = by_type["MedicationAdministration"]
        assert given["subject"]["reference"] == f"urn:uuid:{patient['id']}"
        # the calendar day (no UTC offset is known, so none is made up), the written time as text
        assert given["effectiveDateTime"] == "2026-06-01"
        assert given["dosage"]["text"] == "62.5 mg at 18:30, local time"
        assert given["dosage"]["dose"]["value"] == 62.5
        assert given["dosage"]["route"]["coding"][0] == {"system": "http://snomed.info/sct", "code": "46713006",
                                                         "display": "Nasal route"}
        (response,) = by_type["QuestionnaireResponse"]  # GAD-7 items written; PHQ-9 only as a total
        assert response["questionnaire"].endswith("/69737-5")
        assert [i["answer"][0]["valueInteger"] for i in response["item"]] == [1, 2, 1, 0, 2, 1, 1]
        codes = {o["code"]["coding"][0]["code"]: o for o in by_type["Observation"] if "coding" in o["code"]}
        assert codes["70274-6"]["valueInteger"] == 8 and codes["44261-6"]["valueInteger"] == 14
        assert codes["70274-6"]["derivedFrom"][0]["reference"] == f"urn:uuid:{response['id']}"
        two_hours = [o for o in by_type["Observation"] if "2 hours" in o["code"]["text"]]
        assert two_hours[0]["effectiveDateTime"] == "2026-06-01"  # 20:30, the same day
    assert b"walked in the park" not in plain
    assert parsed(with_notes)[1]["MedicationAdministration"][0]["note"] == [
        {"text": "Slept well after this one, walked in the park"}]
