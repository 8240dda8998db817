//! The summary as a FHIR R4 Bundle (type `collection`): each PHQ-9 and GAD-7
//! as a QuestionnaireResponse with LOINC item linkIds and LOINC answer codes
//! (list LL358-3), an Observation of its total derived from it, vitals as
//! vital-signs Observations, and check-ins as survey Observations.
//! Codes: LOINC, via the HL7 personal health record IG (shared/domain.md).

use serde_json::{json, Value};

use super::summary::{MeasureEntry, Summary};

const LOINC: &str = "http://loinc.org";
const CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
/// Waymark's own codes, for what no standard code covers (a check-in's mood).
const WAYMARK: &str = "https://waymark.app/fhir/CodeSystem/checkin";
/// Waymark's own code for a questionnaire with an item declined, which has no total.
const WAYMARK_MEASURE: &str = "https://waymark.app/fhir/CodeSystem/measure";

const PHQ9_ITEMS: [&str; 9] =
    ["44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3", "44260-8"];
const GAD7_ITEMS: [&str; 7] = ["69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7"];
const ANSWERS: [(&str, &str); 4] = [
    ("LA6568-5", "Not at all"),
    ("LA6569-3", "Several days"),
    ("LA6570-1", "More than half the days"),
    ("LA6571-9", "Nearly every day"),
];

fn coding(system: &str, code: &str, display: &str) -> Value {
    json!({ "coding": [{ "system": system, "code": code, "display": display }], "text": display })
}

fn category(code: &str, display: &str) -> Value {
    json!([{ "coding": [{ "system": CATEGORY, "code": code, "display": display }] }])
}

fn entry(resource: Value) -> Value {
    let id = resource["id"].as_str().expect("every resource has an id").to_string();
    json!({ "fullUrl": format!("urn:uuid:{id}"), "resource": resource })
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A result's QuestionnaireResponse, then the Observation of its total, or,
/// when an item was declined, one that says the total is incomplete (never the
/// LOINC total); nothing for an instrument this build does not know.
fn measure(m: &MeasureEntry) -> Option<[Value; 2]> {
    let (panel, total_code, items, name) = match m.instrument.as_str() {
        "phq9" => ("44249-1", "44261-6", &PHQ9_ITEMS[..], "PHQ-9 total score"),
        "gad7" => ("69737-5", "70274-6", &GAD7_ITEMS[..], "GAD-7 total score"),
        _ => return None,
    };
    let answered: Vec<Value> = items
        .iter()
        .zip(&m.items)
        // "Prefer not to answer" leaves the item out, as unanswered.
        .filter_map(|(link, score)| {
            let (code, display) = ANSWERS.get(usize::try_from((*score)?).ok()?)?;
            Some(json!({
                "linkId": link,
                "answer": [{ "valueCoding": { "system": LOINC, "code": code, "display": display } }]
            }))
        })
        .collect();
    let response_id = new_id();
    let mut response = json!({
        "resourceType": "QuestionnaireResponse",
        "id": response_id,
        "questionnaire": format!("http://loinc.org/q/{panel}"),
        "status": "completed",
        "authored": m.at,
    });
    // FHIR JSON has no empty arrays: a form with no scored answer has no items.
    if !answered.is_empty() {
        response["item"] = Value::Array(answered);
    }
    let derived_from = json!([{ "reference": format!("urn:uuid:{response_id}") }]);
    let total = if m.is_complete() {
        json!({
            "resourceType": "Observation",
            "id": new_id(),
            "status": "final",
            "category": category("survey", "Survey"),
            "code": coding(LOINC, total_code, name),
            "effectiveDateTime": m.at,
            "valueInteger": m.total,
            "interpretation": [{ "text": m.severity.replace('_', " ") }],
            "derivedFrom": derived_from,
        })
    } else {
        json!({
            "resourceType": "Observation",
            "id": new_id(),
            "status": "final",
            "category": category("survey", "Survey"),
            "code": coding(WAYMARK_MEASURE, "total-incomplete", "Questionnaire total incomplete: an item was not answered"),
            "effectiveDateTime": m.at,
            "valueString": format!(
                "Incomplete: {} was not answered (prefer not to answer), so there is no {} total. \
                 The answered items are in the QuestionnaireResponse.",
                if m.instrument == "phq9" { "item 9 (thoughts that you would be better off dead or of hurting yourself in some way)" } else { "an item" },
                if m.instrument == "phq9" { "PHQ-9" } else { "GAD-7" },
            ),
            "derivedFrom": derived_from,
        })
    };
    Some([response, total])
}

pub fn render(summary: &Summary) -> Value {
    let mut entries = Vec::new();
    for m in summary.measures.iter().flatten() {
        entries.extend(measure(m).into_iter().flat_map(|pair| pair.map(entry)));
    }
    for v in summary.vitals.iter().flatten() {
        if let (Some(systolic), Some(diastolic)) = (v.systolic, v.diastolic) {
            let component = |code: &str, display: &str, value: i32| {
                json!({
                    "code": coding(LOINC, code, display),
                    "valueQuantity": { "value": value, "unit": "mm[Hg]", "system": "http://unitsofmeasure.org", "code": "mm[Hg]" }
                })
            };
            entries.push(entry(json!({
                "resourceType": "Observation",
                "id": new_id(),
                "status": "final",
                "category": category("vital-signs", "Vital Signs"),
                "code": coding(LOINC, "85354-9", "Blood pressure panel with all children optional"),
                "effectiveDateTime": v.at,
                "component": [component("8480-6", "Systolic blood pressure", systolic), component("8462-4", "Diastolic blood pressure", diastolic)],
            })));
        }
        if let Some(rate) = v.heart_rate {
            entries.push(entry(json!({
                "resourceType": "Observation",
                "id": new_id(),
                "status": "final",
                "category": category("vital-signs", "Vital Signs"),
                "code": coding(LOINC, "8867-4", "Heart rate"),
                "effectiveDateTime": v.at,
                "valueQuantity": { "value": rate, "unit": "beats/minute", "system": "http://unitsofmeasure.org", "code": "/min" },
            })));
        }
    }
    for c in summary.mood.iter().flatten() {
        let mut components = Vec::new();
        if let Some(energy) = c.energy {
            components.push(json!({ "code": coding(WAYMARK, "energy", "Energy (1 to 5)"), "valueInteger": energy }));
        }
        if let Some(anxiety) = c.anxiety {
            components
                .push(json!({ "code": coding(WAYMARK, "anxiety", "Anxiety (0 to 10)"), "valueInteger": anxiety }));
        }
        if let Some(hours) = c.sleep_hours {
            components.push(json!({
                "code": coding(WAYMARK, "sleep", "Sleep"),
                "valueQuantity": { "value": hours, "unit": "h", "system": "http://unitsofmeasure.org", "code": "h" }
            }));
        }
        let mut observation = json!({
            "resourceType": "Observation",
            "id": new_id(),
            "status": "final",
            "category": category("survey", "Survey"),
            "code": coding(WAYMARK, "valence", "Mood check-in (-3 very unpleasant to +3 very pleasant)"),
            "effectiveDateTime": c.at,
            "valueInteger": c.valence,
        });
        if !components.is_empty() {
            observation["component"] = Value::Array(components);
        }
        if !c.labels.is_empty() {
            observation["note"] = json!([{ "text": c.labels.join(", ") }]);
        }
        entries.push(entry(observation));
    }
    let mut bundle = json!({
        "resourceType": "Bundle",
        "id": summary.id,
        "type": "collection",
        "timestamp": summary.created_at,
    });
    if !entries.is_empty() {
        bundle["entry"] = Value::Array(entries);
    }
    bundle
}
