use std::collections::HashSet;

use super::*;
use crate::course::tests::start;
use crate::course::CourseTemplate;
use crate::test_support::{at, open_store};

#[test]
fn prompts_follow_a_session_on_the_clinic_calendar_across_dst() {
    let (_dir, store) = open_store();
    // New York leaves summer time on 2026-11-01.
    start(&store, CourseTemplate::IvInduction, "2026-10-30T09:00", "America/New_York");
    let first = store.appointments().unwrap().remove(0);
    let all = store.read(|conn| prompts(conn, at("2026-10-01T00:00:00Z"), true)).unwrap();
    let of_first: Vec<(PromptPhase, SystemTime)> =
        all.iter().filter(|p| p.session_id.as_ref() == Some(&first.id)).map(|p| (p.phase, p.due_at)).collect();
    assert_eq!(
        of_first,
        [
            (PromptPhase::Intention, at("2026-10-29T23:00:00Z")),
            (PromptPhase::SameDay, at("2026-10-30T23:00:00Z")),
            (PromptPhase::Day1, at("2026-10-31T14:00:00Z")),
            (PromptPhase::Day3, at("2026-11-02T15:00:00Z")),
            (PromptPhase::Day7, at("2026-11-06T15:00:00Z")),
        ],
        "19:00 and 10:00 local on both sides of the change"
    );
    let last = store.appointments().unwrap().pop().unwrap();
    let end = all.iter().find(|p| p.phase == PromptPhase::CourseEnd).unwrap();
    assert_eq!(end.session_id.as_ref(), Some(&last.id));
}

#[test]
fn no_prompt_repeats_within_a_course() {
    let (_dir, store) = open_store();
    start(&store, CourseTemplate::Esketamine, "2026-11-02T10:00", "UTC");
    let all = store.read(|conn| prompts(conn, at("2026-10-01T00:00:00Z"), true)).unwrap();
    let ids: Vec<&str> = all.iter().map(|p| p.prompt_id.as_str()).collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    assert_eq!(
        all.iter().filter(|p| p.phase == PromptPhase::Day1).count(),
        6,
        "a phase's prompts run out, then its slots stay empty"
    );
}

#[test]
fn a_low_latest_check_in_brings_grounding_instead_of_reflection() {
    let (_dir, store) = open_store();
    start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "UTC");
    let now = at("2026-11-03T12:00:00Z");
    let open = store.prompts_due(now).unwrap();
    assert!(!open.is_empty() && open.iter().all(|p| !p.grounding));
    store
        .add_checkin(&CheckInDraft {
            occurred_at: Some(at("2026-11-03T11:00:00Z")),
            ..CheckInDraft::new(-2, "UTC".parse().unwrap())
        })
        .unwrap();
    let low = store.prompts_due(now).unwrap();
    assert!(low.iter().all(|p| p.grounding && p.text.contains("safety plan")), "{low:?}");
    assert_eq!(low.iter().map(|p| &p.id).collect::<Vec<_>>(), open.iter().map(|p| &p.id).collect::<Vec<_>>());
}

#[test]
fn an_item_9_alert_brings_grounding_for_the_week_after_it() {
    use crate::measures::tests::phq9;
    let (_dir, store) = open_store();
    start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "UTC");
    let grounding = |now: &str| store.prompts_due(at(now)).unwrap().iter().map(|p| p.grounding).collect::<Vec<_>>();
    assert!(grounding("2026-11-03T12:00:00Z").iter().all(|g| !g));
    store.add_assessment(&phq9([0, 0, 0, 0, 0, 0, 0, 0, 1], "2026-11-03T11:00:00Z")).unwrap();
    let after = grounding("2026-11-03T12:00:00Z");
    assert!(!after.is_empty() && after.iter().all(|g| *g), "the same prompts turn to grounding: {after:?}");
    let six_days_on = grounding("2026-11-09T10:59:00Z");
    assert!(!six_days_on.is_empty() && six_days_on.iter().all(|g| *g));
    let a_week_on = grounding("2026-11-10T11:01:00Z");
    assert!(!a_week_on.is_empty() && a_week_on.iter().all(|g| !g), "reflection returns after the week");

    let (_dir, declined) = open_store();
    start(&declined, CourseTemplate::IvInduction, "2026-11-02T10:00", "UTC");
    let mut draft = phq9([0; 9], "2026-11-03T11:00:00Z");
    draft.answers[8] = crate::measures::Answer::PreferNotToAnswer;
    declined.add_assessment(&draft).unwrap();
    assert!(declined.prompts_due(at("2026-11-03T12:00:00Z")).unwrap().iter().all(|p| p.grounding));
}

#[test]
fn an_answer_is_a_journal_entry_linked_to_its_session_and_prompt() {
    let (_dir, store) = open_store();
    start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "UTC");
    let now = at("2026-11-03T12:00:00Z");
    let open = store.prompts_due(now).unwrap();
    let day_1 = open.iter().find(|p| p.phase == PromptPhase::Day1).unwrap();
    let entry =
        store.answer_prompt_at(now, &day_1.id, "Calmer than I expected.", 1, "UTC".parse().unwrap(), true).unwrap();
    assert_eq!(
        (entry.session_id.as_deref(), entry.prompt_id.as_deref()),
        (day_1.session_id.as_deref(), Some(day_1.prompt_id.as_str()))
    );
    assert_eq!(store.checkin(&entry.id).unwrap(), entry);
    assert!(entry.shared, "marked for the therapist");
    assert!(store.prompts_due(now).unwrap().iter().all(|p| p.id != day_1.id), "an answered prompt is no longer due");
    assert!(matches!(
        store.answer_prompt_at(now, &day_1.id, "again", 1, "UTC".parse().unwrap(), false),
        Err(PromptError::NotOpen { .. })
    ));
    assert!(matches!(
        store.answer_prompt_at(now, "nope", "x", 1, "UTC".parse().unwrap(), false),
        Err(PromptError::NotOpen { .. })
    ));
    let other = store.prompts_due(now).unwrap().remove(0);
    assert!(matches!(
        store.answer_prompt_at(now, &other.id, "  ", 1, "UTC".parse().unwrap(), false),
        Err(PromptError::EmptyAnswer)
    ));
    assert!(matches!(
        store.answer_prompt_at(now, &other.id, "x", 9, "UTC".parse().unwrap(), false),
        Err(PromptError::Journal(_))
    ));
}

#[test]
fn each_course_draws_on_the_whole_library() {
    let (_dir, store) = open_store();
    start(&store, CourseTemplate::IvInduction, "2026-09-07T10:00", "UTC");
    start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "UTC");
    let all = store.read(|conn| prompts(conn, at("2026-01-01T00:00:00Z"), true)).unwrap();
    let courses: Vec<Option<String>> = store.appointments().unwrap().into_iter().map(|a| a.course_id).collect();
    let first_course = courses.first().unwrap();
    let sessions = store.appointments().unwrap();
    let course_of = |session: &str| sessions.iter().find(|a| a.id == session).unwrap().course_id.clone();
    for course in [first_course.clone(), courses.last().unwrap().clone()] {
        let of_course: Vec<&DuePrompt> =
            all.iter().filter(|p| course_of(p.session_id.as_deref().unwrap()) == course).collect();
        let ids: HashSet<&str> = of_course.iter().map(|p| p.prompt_id.as_str()).collect();
        assert_eq!(ids.len(), of_course.len(), "no repeats within a course");
        assert_eq!(of_course[0].prompt_id, "intention-1", "each course starts the library afresh");
        assert_eq!(of_course.iter().filter(|p| p.phase == PromptPhase::CourseEnd).count(), 1);
    }
}

#[test]
fn every_pack_has_the_english_prompts_translated_in_order() {
    let english = &packs()[0];
    for pack in packs() {
        assert_eq!((pack.pack.as_str(), pack.version), ("prompts", 1));
        let shape = |p: &Pack| p.prompts.iter().map(|prompt| (prompt.id.clone(), prompt.phase)).collect::<Vec<_>>();
        assert_eq!(shape(pack), shape(english), "{}: the same ids and phases", pack.locale);
        if pack.locale != "en" {
            for (translated, original) in pack.prompts.iter().zip(&english.prompts) {
                assert_ne!(translated.text, original.text, "{}/{} is translated", pack.locale, original.id);
            }
        }
    }
    let spanish = packs().iter().find(|pack| pack.locale == "es").unwrap();
    assert!(spanish
        .prompts
        .iter()
        .filter(|p| p.phase == PromptPhase::Grounding)
        .all(|p| p.text.contains("plan de seguridad")));
}

#[test]
fn prompts_and_their_answers_speak_the_patients_language() {
    let (_dir, store) = open_store();
    store.set_language(Some("es")).unwrap();
    start(&store, CourseTemplate::IvInduction, "2026-11-02T10:00", "UTC");
    let open = store.prompts_due(at("2026-11-03T12:00:00Z")).unwrap();
    let day_1 = open.iter().find(|p| p.phase == PromptPhase::Day1).unwrap();
    let spanish = &packs()[1].prompts.iter().find(|p| p.id == day_1.prompt_id).unwrap().text;
    assert_eq!(&day_1.text, spanish);
    assert_eq!(
        store.read(|conn| Ok::<_, StoreError>(text_of(conn, &day_1.prompt_id)?)).unwrap().as_ref(),
        Some(spanish)
    );
}

#[test]
fn the_course_end_prompts_never_say_the_treatment_is_over() {
    for pack in packs() {
        for prompt in pack.prompts.iter().filter(|p| p.phase == PromptPhase::CourseEnd) {
            let lower = prompt.text.to_lowercase();
            for over in ["has ended", "is over", "course has", "ha terminado", "ha finalizado", "se acabó"] {
                assert!(!lower.contains(over), "{}/{}: {}", pack.locale, prompt.id, prompt.text);
            }
        }
    }
}

#[test]
fn the_pack_is_valid_sourced_and_every_prompt_is_unique() {
    let pack = &packs()[0];
    assert_eq!((pack.pack.as_str(), pack.locale.as_str(), pack.version), ("prompts", "en", 1));
    assert!(!pack.sources.is_empty(), "the pack cites what its timing rests on");
    for source in &pack.sources {
        let cited = source.url.as_deref().is_some_and(|url| url.starts_with("https://"))
            || source.reference.as_deref().is_some_and(|r| !r.trim().is_empty());
        assert!(cited && source.accessed.len() == 7 && source.accessed.starts_with("20"), "{source:?}");
    }
    for prompt in library() {
        let text = prompt.text.trim();
        assert!(!prompt.id.is_empty() && text.ends_with(['?', '.']), "{}: a whole sentence", prompt.id);
        assert!(prompt.id.starts_with(&prompt.phase.as_str().replace('_', "-")), "{}: named for its phase", prompt.id);
    }
    let ids: HashSet<&str> = library().iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids.len(), library().len());
    for phase in [
        PromptPhase::Intention,
        PromptPhase::SameDay,
        PromptPhase::Day1,
        PromptPhase::Day3,
        PromptPhase::Day7,
        PromptPhase::CourseEnd,
        PromptPhase::Grounding,
    ] {
        assert!(of_phase(phase).count() >= 3, "{phase:?}");
    }
    assert!(of_phase(PromptPhase::Grounding).all(|p| p.text.contains("safety plan")));
}
