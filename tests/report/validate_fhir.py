"""Validates Waymark's FHIR Bundle against the R4(B) models of fhir.resources,
and checks the LOINC coding the issue asks for. Usage: validate_fhir.py BUNDLE.json [MIN_INCOMPLETE]"""
import json
import sys

from fhir.resources.R4B.bundle import Bundle

PHQ9 = ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"]
GAD7 = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"]
ANSWERS = {"LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"}

text = open(sys.argv[1], encoding="utf-8").read()
bundle = Bundle.model_validate_json(text)  # raises on anything R4B does not allow
raw = json.loads(text)
resources = [entry["resource"] for entry in raw["entry"]]
responses = [r for r in resources if r["resourceType"] == "QuestionnaireResponse"]
totals = {r["derivedFrom"][0]["reference"]: r for r in resources if "derivedFrom" in r}
assert responses, "the bundle holds questionnaire responses"
incomplete = 0
for response in responses:
    links = [item["linkId"] for item in response["item"]]
    expected = PHQ9 if response["questionnaire"].endswith("44249-1") else GAD7
    assert set(links) <= set(expected) and links == [l for l in expected if l in links], links
    for item in response["item"]:
        assert item["answer"][0]["valueCoding"]["code"] in ANSWERS, item
    total = totals["urn:uuid:" + response["id"]]
    if len(links) < len(expected):
        # An item declined: the answered items, and no total under the instrument's LOINC code.
        incomplete += 1
        assert total["code"]["coding"][0]["code"] == "total-incomplete", total
        assert "valueInteger" not in total and "incomplete" in total["valueString"].lower(), total
        continue
    assert total["code"]["coding"][0]["code"] in ("44261-6", "70274-6")
    scores = {"LA6568-5": 0, "LA6569-3": 1, "LA6570-1": 2, "LA6571-9": 3}
    assert total["valueInteger"] == sum(scores[i["answer"][0]["valueCoding"]["code"]] for i in response["item"])
minimum_incomplete = int(sys.argv[2]) if len(sys.argv) > 2 else 0
assert incomplete >= minimum_incomplete, f"{incomplete} incomplete responses, expected {minimum_incomplete}"
print(f"fhir: valid R4B Bundle with {len(bundle.entry)} entries, {len(responses)} questionnaire responses "
      f"({incomplete} with an item declined and no total)")
