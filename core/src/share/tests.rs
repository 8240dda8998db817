use super::*;
use crate::journal::CheckInDraft;
use crate::measures::{Answer, AssessmentDraft, Instrument};
use crate::sync::{Pairing, SyncError};
use crate::test_support::{at, open_store};

fn request(scopes: &[ShareScope]) -> ShareRequest {
    ShareRequest {
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
        zone: "Europe/Paris".parse().unwrap(),
        scopes: scopes.to_vec(),
    }
}

fn summary(store: &Store, scopes: &[ShareScope]) -> Summary {
    serde_json::from_str(&store.preview_share(&request(scopes)).unwrap().json).unwrap()
}

fn note(store: &Store, when: &str, text: &str, shared: bool) {
    let draft = CheckInDraft {
        text: text.into(),
        shared,
        occurred_at: Some(at(when)),
        energy: Some(3),
        ..CheckInDraft::new(1, "Europe/Paris".parse().unwrap())
    };
    store.add_checkin(&draft).unwrap();
}

fn seeded() -> (tempfile::TempDir, Store) {
    let (dir, store) = open_store();
    note(&store, "2026-11-03T08:00:00Z", "PRIVATE-SENTINEL stays on the phone", false);
    note(&store, "2026-11-04T08:00:00Z", "Shared: calmer after the session", true);
    note(&store, "2026-10-31T22:30:00Z", "Shared, but the evening before the range in Paris", true);
    note(&store, "2026-11-30T23:30:00Z", "Shared, on 1 December in Paris", true);
    let answers = [1, 1, 1, 1, 1, 1, 1, 1, 0].map(|value| Answer::Score { value }).to_vec();
    let draft = AssessmentDraft {
        instrument: Instrument::Phq9,
        answers,
        taken_at: Some(at("2026-11-10T09:00:00Z")),
        zone: "Europe/Paris".parse().unwrap(),
        session_id: None,
        shared: false,
    };
    store.add_assessment(&draft).unwrap();
    (dir, store)
}

#[test]
fn a_summary_holds_only_the_scopes_picked() {
    let (_dir, store) = seeded();
    let mood_only = summary(&store, &[ShareScope::Mood]);
    assert_eq!(mood_only.schema, "waymark.summary/1");
    assert_eq!(mood_only.scopes, [ShareScope::Mood]);
    assert_eq!(mood_only.mood.as_ref().unwrap().len(), 2, "local days in Paris: 3 and 4 November");
    assert!(mood_only.measures.is_none() && mood_only.notes.is_none() && mood_only.sessions.is_none());
    let json = store.preview_share(&request(&[ShareScope::Mood])).unwrap().json;
    assert!(!json.contains("calmer") && !json.contains("SENTINEL"), "mood carries no text");

    let measures = summary(&store, &[ShareScope::Measures, ShareScope::Safety]);
    let phq9 = &measures.measures.unwrap()[0];
    assert_eq!((phq9.instrument.as_str(), phq9.total, phq9.severity.as_str()), ("phq9", 8, "mild"));
    assert_eq!(phq9.items.len(), 9);
    assert!(measures.safety.unwrap().is_empty() && measures.mood.is_none());
}

#[test]
fn notes_are_only_those_marked_shareable() {
    let (_dir, store) = seeded();
    let notes = summary(&store, &[ShareScope::Notes]).notes.unwrap();
    assert_eq!(notes.iter().map(|n| n.text.as_str()).collect::<Vec<_>>(), ["Shared: calmer after the session"]);
}

#[test]
fn bad_requests_are_typed_errors() {
    let (_dir, store) = seeded();
    let bad = |change: fn(&mut ShareRequest)| {
        let mut request = request(&[ShareScope::Mood]);
        change(&mut request);
        store.preview_share(&request).unwrap_err()
    };
    assert!(matches!(bad(|r| r.from = "1 Nov".into()), ShareError::InvalidDate { .. }));
    assert!(matches!(bad(|r| r.to = "2026-10-01".into()), ShareError::BackwardsRange { .. }));
    assert!(matches!(bad(|r| r.from = "2024-01-01".into()), ShareError::RangeTooLong { days: 1065, max: 366 }));
    assert!(matches!(bad(|r| r.scopes.clear()), ShareError::NoScopes));
}

#[test]
fn sharing_needs_a_pairing_and_then_queues_one_sealed_envelope() {
    let (_dir, store) = seeded();
    let refused = store.share(&request(&[ShareScope::Notes]));
    assert!(matches!(refused, Err(SyncError::NotPaired)));
    let code = Pairing::new("http://127.0.0.1:9").unwrap().code();
    store.pair(&code).unwrap();
    let preview = store.share(&request(&[ShareScope::Notes, ShareScope::Mood])).unwrap();
    assert!(preview.json.contains("calmer after the session"));
    let status = store.sync_status().unwrap();
    assert_eq!(status.channels.len(), 1);
    assert_eq!(status.channels[0].pending, 1);
    let envelope: Vec<u8> = store
        .read(|conn| Ok::<_, ShareError>(conn.query_row("SELECT envelope FROM outbox", [], |r| r.get(0))?))
        .unwrap();
    assert!(!envelope.windows(6).any(|w| w == b"calmer"), "the outbox holds ciphertext");
}

#[test]
fn the_report_is_self_contained_and_its_figures_match_the_summary() {
    let (_dir, store) = seeded();
    note(&store, "2026-11-04T18:00:00Z", "<script>alert('x')</script> & \"quotes\"", true);
    let forms = store.preview_share(&request(&ShareScope::ALL)).unwrap();
    let html = &forms.html;
    assert!(html.starts_with("<!doctype html>") && html.contains("default-src 'none'"));
    for forbidden in ["<script", "src=\"http", "href=\"http", "@import", "url("] {
        assert!(!html.contains(forbidden), "the report fetches nothing and runs nothing: {forbidden}");
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    // 4 November in Paris: +1 twice (09:00 and 19:00 local), so a mean of +1.0 from 2 check-ins.
    assert!(html.contains("<tr><td>2026-11-04</td><td>+1.0</td><td>2</td></tr>"), "{html}");
    assert!(html.contains(r#"data-series="mood" data-day="2026-11-04" data-value="1""#));
    assert!(html.contains(r#"data-series="phq9" data-day="2026-11-10" data-value="8""#));
    assert!(html.contains(
        r#"<td>PHQ-9</td><td data-total="8">8</td><td>mild</td><td>Thoughts that you would be better off dead or of hurting yourself in some way: not at all</td>"#
    ));
    assert!(
        !html.contains(r#"id="item9-alert""#) && !html.contains(r#"class="item9-mark""#),
        "item 9 at 0 raises no mark"
    );
    assert!(!html.contains("PRIVATE-SENTINEL"));
}

fn phq9_with_item9(store: &Store, when: &str, item9: Answer) {
    let mut answers = [1, 0, 0, 0, 0, 0, 0, 0, 0].map(|value| Answer::Score { value }).to_vec();
    answers[8] = item9;
    let draft = AssessmentDraft {
        taken_at: Some(at(when)),
        ..AssessmentDraft::new(Instrument::Phq9, answers, "Europe/Paris".parse().unwrap())
    };
    store.add_assessment(&draft).unwrap();
}

#[test]
fn item_9_is_shown_in_words_and_marked_with_only_the_measures_scope() {
    let (_dir, store) = open_store();
    phq9_with_item9(&store, "2026-11-12T09:00:00Z", Answer::Score { value: 3 });
    phq9_with_item9(&store, "2026-11-14T09:00:00Z", Answer::PreferNotToAnswer);
    let html = store.preview_share(&request(&[ShareScope::Measures])).unwrap().html;
    let words = "Thoughts that you would be better off dead or of hurting yourself in some way: nearly every day";
    let alert = html
        .split(r#"<div class="item9-alert" id="item9-alert">"#)
        .nth(1)
        .expect("the item-9 box")
        .split("</div>")
        .next()
        .unwrap();
    assert!(alert.contains(&format!("2026-11-12 10:00: {words}")), "{alert}");
    assert!(alert.contains("2026-11-14 10:00: Thoughts that you would be better off dead or of hurting yourself in some way: prefer not to answer"), "{alert}");
    assert!(html.contains(&format!(r#"<tr class="item9"><td>2026-11-12 10:00</td><td>PHQ-9</td><td data-total="4">4</td><td>minimal</td><td>{words}</td></tr>"#)), "{html}");
    assert!(html.contains(r#"<td data-total="1">1 (incomplete)</td><td>not scored: an item was not answered</td>"#));
    assert!(html.contains(r#"<circle class="item9-mark" data-day="2026-11-12" data-item9="3" cx=""#));
    assert!(html.contains(&format!("<title>{words}</title></circle>")));
    assert_eq!(html.matches("class=\"item9-mark\"").count(), 1, "a declined item is no answer above 0");
}

#[test]
fn a_declined_item_9_exports_its_answers_but_no_phq9_total() {
    let (_dir, store) = open_store();
    phq9_with_item9(&store, "2026-11-14T09:00:00Z", Answer::PreferNotToAnswer);
    let forms = store.preview_share(&request(&[ShareScope::Measures])).unwrap();
    let summary: Summary = serde_json::from_str(&forms.json).unwrap();
    let entry = &summary.measures.unwrap()[0];
    assert_eq!((entry.total, entry.complete, entry.items[8]), (1, false, None));
    let bundle: serde_json::Value = serde_json::from_str(&forms.fhir).unwrap();
    let resources: Vec<&serde_json::Value> =
        bundle["entry"].as_array().unwrap().iter().map(|e| &e["resource"]).collect();
    let codes: Vec<&str> = resources.iter().filter_map(|r| r["code"]["coding"][0]["code"].as_str()).collect();
    assert_eq!(codes, ["total-incomplete"], "no LOINC 44261-6 total");
    let response = resources.iter().find(|r| r["resourceType"] == "QuestionnaireResponse").unwrap();
    assert_eq!(response["item"].as_array().unwrap().len(), 8, "the answered items");
    let incomplete = resources.iter().find(|r| r["code"]["coding"][0]["code"] == "total-incomplete").unwrap();
    assert!(incomplete["valueString"].as_str().unwrap().contains("no PHQ-9 total"));
    assert!(incomplete.get("valueInteger").is_none());
}

#[test]
fn a_received_summary_that_claims_completeness_with_a_missing_item_reads_as_incomplete() {
    let (_dir, store) = open_store();
    phq9_with_item9(&store, "2026-11-14T09:00:00Z", Answer::PreferNotToAnswer);
    let json = store.preview_share(&request(&[ShareScope::Measures])).unwrap().json;
    let mut claimed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(claimed["measures"][0]["complete"], false);
    claimed["measures"][0]["complete"] = true.into();
    let summary: Summary = serde_json::from_value(claimed.clone()).unwrap();
    assert!(summary.measures.as_ref().unwrap()[0].complete, "the sender claims completeness");
    assert!(!summary.measures.as_ref().unwrap()[0].is_complete(), "but item 9 is null");
    let html = html::render(&summary);
    assert!(html.contains("(incomplete)") && !html.contains(r#"data-series="phq9""#), "not plotted as a total");
    claimed["measures"][0].as_object_mut().unwrap().remove("complete");
    let older: Summary = serde_json::from_value(claimed).unwrap();
    assert!(older.measures.as_ref().unwrap()[0].complete, "an older summary has no field, read as complete");
    assert!(!older.measures.unwrap()[0].is_complete(), "so it is worked out from its items");
    let mut odd: serde_json::Value = serde_json::from_str(&json).unwrap();
    odd["measures"][0]["items"] = serde_json::json!([]);
    let odd: Summary = serde_json::from_value(odd).unwrap();
    let entry = &odd.measures.as_ref().unwrap()[0];
    assert_eq!((entry.item9(), entry.item9_declined()), (None, false));
    assert!(html::render(&odd).contains("PHQ-9"), "a malformed entry renders without a panic");
}

#[test]
fn the_fhir_bundle_codes_each_result_with_loinc() {
    let (_dir, store) = seeded();
    let forms = store.preview_share(&request(&[ShareScope::Measures, ShareScope::Mood])).unwrap();
    let bundle: serde_json::Value = serde_json::from_str(&forms.fhir).unwrap();
    assert_eq!((bundle["resourceType"].as_str(), bundle["type"].as_str()), (Some("Bundle"), Some("collection")));
    let resources: Vec<&serde_json::Value> =
        bundle["entry"].as_array().unwrap().iter().map(|entry| &entry["resource"]).collect();
    let response = resources.iter().find(|r| r["resourceType"] == "QuestionnaireResponse").unwrap();
    assert_eq!(response["questionnaire"], "http://loinc.org/q/44249-1");
    let links: Vec<&str> = response["item"].as_array().unwrap().iter().map(|i| i["linkId"].as_str().unwrap()).collect();
    assert_eq!(links.len(), 9);
    assert_eq!((links[0], links[8]), ("44250-9", "44260-8"));
    assert_eq!(response["item"][0]["answer"][0]["valueCoding"]["code"], "LA6569-3", "1 = several days");
    assert_eq!(response["item"][8]["answer"][0]["valueCoding"]["code"], "LA6568-5", "0 = not at all");
    let total = resources.iter().find(|r| r["code"]["coding"][0]["code"] == "44261-6").unwrap();
    assert_eq!(total["valueInteger"], 8);
    assert_eq!(total["derivedFrom"][0]["reference"], format!("urn:uuid:{}", response["id"].as_str().unwrap()));
    let moods = resources.iter().filter(|r| r["code"]["coding"][0]["code"] == "valence").count();
    assert_eq!(moods, 2);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
    #[test]
    fn no_note_text_can_break_out_of_the_report(text in ".{0,80}") {
        let (_dir, store) = open_store();
        note(&store, "2026-11-04T08:00:00Z", &format!("{text}<b>x</b>"), true);
        let html = store.preview_share(&request(&[ShareScope::Notes])).unwrap().html;
        proptest::prop_assert!(!html.contains("<b>x</b>"));
        proptest::prop_assert!(!html.contains("<script"));
    }
}

/// Queues one summary of November 2026's mood for the paired `store`'s therapist.
pub(crate) fn share_everything(store: &Store) {
    store.share(&request(&[ShareScope::Mood])).unwrap();
}
