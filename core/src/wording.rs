//! Checks over every word Waymark shows a patient: none tells anyone to change,
//! stop, skip or add to a medicine or dose on their own, none gives a dose, and
//! every one Waymark writes itself has a Spanish form.

use std::collections::BTreeMap;

use crate::course::{CourseDraft, CourseTemplate};
use crate::measures::{self, Answer, AssessmentDraft, Instrument, ProgressQuery, VitalsDraft};
use crate::safety::{self, help};
use crate::store::Store;
use crate::test_support::{at, open_store};
use crate::{prompts, text};

/// Words that tell someone to take more or less of something: advice on a dose whatever follows.
const DOSE_ADVICE: &[&str] = &[
    "take more",
    "take less",
    "take extra",
    "take an extra",
    "double up",
    "double your",
    "tome mas",
    "tome menos",
    "tome una dosis",
    "duplique",
];

/// Words that tell someone to change a medicine, advice when one is named just after them.
const CHANGES: &[&str] = &[
    "stop",
    "skip",
    "increase",
    "reduce",
    "lower",
    "cut down",
    "halve",
    "taper",
    "wean",
    "come off",
    "change",
    "hold",
    "pause",
    "deje de",
    "suspenda",
    "interrumpa",
    "aumente",
    "reduzca",
    "disminuya",
    "baje",
    "omita",
    "cambie",
];

/// Words that tell someone not to take something: advice when a medicine other than
/// ketamine follows ("never take ketamine alone" is the safety rule itself).
const WITHHOLDS: &[&str] = &["do not take", "don't take", "avoid taking", "no tome", "evite tomar"];

/// Words before an act that make it a request.
const ASKING: &[&str] = &["please", "should", "you can", "you must", "need to", "try to", "debe", "puede", "por favor"];

/// Words that name a medicine or a dose; ketamine's are at the end.
const MEDICINES: &[&str] = &[
    "dose",
    "medicine",
    "medication",
    "tablet",
    "pill",
    "lozenge",
    "benzodiazepine",
    "lamotrigine",
    "antidepressant",
    "opioid",
    "stimulant",
    "dosis",
    "medicamento",
    "medicina",
    "medicacion",
    "pastilla",
    "comprimido",
    "benzodiacepina",
    "lamotrigina",
    "antidepresivo",
    "opioide",
    "estimulante",
    "ketamine",
    "esketamine",
    "ketamina",
    "esketamina",
];
const KETAMINE_WORDS: usize = 4;
/// How many words after an act its object may be.
const OBJECT_WITHIN: usize = 6;

/// The only ways such words may be said: not on your own, or as the clinic or prescriber says.
const SAFE: &[&str] = &[
    "on your own",
    "unless your clinic",
    "unless your prescriber",
    "unless told",
    "ask your clinic",
    "ask your prescriber",
    "talk to your clinic",
    "talk to your prescriber",
    "tell your clinic",
    "tell your prescriber",
    "por su cuenta",
    "salvo que se lo indiquen",
    "pregunte a su clinica",
    "hable con su clinica",
    "hable con quien le receta",
    "informe a su clinica",
    "informe a quien le receta",
];

fn folded(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| match c {
            'á' => 'a',
            'é' => 'e',
            'í' => 'i',
            'ó' => 'o',
            'ú' | 'ü' => 'u',
            '’' => '\'',
            other => other,
        })
        .collect()
}

/// Whether `words` ask the reader to do one of `acts` to one of `objects`: the
/// act leads the sentence or follows a request ("please", "should"), and an
/// object comes within a few words after it.
fn asks(words: &[&str], acts: &[&str], objects: &[&str]) -> bool {
    (0..words.len()).any(|at| {
        let leads =
            at == 0 || (1..=2).any(|back| at >= back && ASKING.contains(&words[at - back..at].join(" ").as_str()));
        let act = acts.iter().find(|act| words[at..].join(" ").starts_with(*act));
        match act {
            Some(act) if leads => {
                let after = at + act.split(' ').count();
                let window = &words[after.min(words.len())..(after + OBJECT_WITHIN).min(words.len())];
                window.iter().any(|word| objects.iter().any(|object| word.starts_with(object)))
            }
            _ => false,
        }
    })
}

/// The sentences of `text` that advise on a medicine or dose, or give an amount of one.
fn advises_on_medicine(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for sentence in folded(text).split(['.', '!', '?', ';', '\n']) {
        let words: Vec<&str> =
            sentence.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).collect();
        let padded = format!(" {} ", words.join(" "));
        let other_medicines = &MEDICINES[..MEDICINES.len() - KETAMINE_WORDS];
        let advice = DOSE_ADVICE.iter().any(|phrase| padded.contains(&format!(" {phrase} ")))
            || asks(&words, CHANGES, MEDICINES)
            || asks(&words, WITHHOLDS, other_medicines);
        let safe = SAFE.iter().any(|phrase| padded.contains(phrase));
        let amount = words.windows(2).any(|pair| {
            pair[0].chars().all(|c| c.is_ascii_digit()) && ["mg", "milligrams", "miligramos", "ml"].contains(&pair[1])
        }) || words.iter().any(|word| {
            let digits = word.trim_end_matches(char::is_alphabetic);
            !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) && word.ends_with("mg")
        });
        if (advice && !safe) || amount {
            found.push(sentence.trim().to_string());
        }
    }
    found
}

#[test]
fn the_guard_catches_advice_on_medicines_and_doses() {
    let advice = [
        "Stop taking your benzodiazepines the day before a session.",
        "Increase your dose if you feel nothing.",
        "Skip your dose if your clinic is closed.",
        "Take extra if you feel no effect.",
        // Clinic rules found in the research: right for a clinic to give, never for Waymark.
        "Hold lamotrigine on the day of your treatment session.",
        "On the day of treatment, please avoid taking any other prescribed psychiatric medications until after your session.",
        "Please pause on ADHD medication such as Adderall on dosing days.",
        "Skip your morning tablets on treatment day.",
        "Take an extra lozenge if the first one does not work.",
        "The usual dose is 56 mg.",
        "Tome 84mg cada semana.",
        "Deje de tomar su medicación antes de la sesión.",
        "Omita sus pastillas de la mañana.",
        "Do not take your ADHD medicine on dosing days.",
        "You should stop your antidepressant a week before.",
        "Por favor, no tome sus medicamentos esa mañana.",
        "Stop your ketamine lozenges if you feel worse.",
    ];
    for text in advice {
        assert_eq!(advises_on_medicine(text).len(), 1, "{text}");
    }
    let fine = [
        "Tell your prescriber about every medicine you take; do not change any dose on your own.",
        "Ask your clinic whether to take your usual medicines that morning; do not skip them unless told.",
        "Talk to your clinic before changing or stopping any treatment.",
        "No cambie ninguna dosis por su cuenta.",
        "Blood pressure peaks about 40 minutes after a dose.",
        "Do not take a bath, swim or use a hot tub until the next day.",
        "Talk to your clinic before changing or stopping any treatment.",
        "CNS depressants (benzodiazepines, opioids, alcohol) may increase sedation.",
        "Blood pressure increases peak about 40 minutes after a dose.",
        "Never take ketamine alone; do not take a bath near ketamine's effects.",
        "No tome nunca ketamina a solas.",
    ];
    for text in fine {
        assert!(advises_on_medicine(text).is_empty(), "{text}: {:?}", advises_on_medicine(text));
    }
}

/// Every text a patient can be shown that comes from Waymark's content.
fn every_patient_text() -> Vec<(String, String)> {
    let mut texts = safety::library::patient_texts();
    texts.extend(prompts::patient_texts());
    for (locale, catalog) in text::catalogs() {
        texts.extend(
            catalog
                .iter()
                .filter(|(key, _)| !text::is_citation(key))
                .map(|(k, t)| (format!("text/{locale}:{k}"), t.clone())),
        );
    }
    for line in help::all_lines() {
        for field in [&line.name, &line.modes, &line.hours, &line.languages] {
            texts.push((format!("crisis-lines/{}", line.country), field.clone()));
        }
    }
    for locale in ["en", "es"] {
        for instrument in Instrument::ALL {
            let form = measures::form(instrument, locale);
            texts.push((format!("form/{locale}/{instrument}"), form.question));
            texts.extend(
                form.items.into_iter().map(|item| (format!("form/{locale}/{instrument}/{}", item.number), item.text)),
            );
        }
    }
    texts
}

#[test]
fn no_patient_facing_text_advises_on_a_medicine_or_dose() {
    let texts = every_patient_text();
    assert!(texts.len() > 400, "{} texts", texts.len());
    let advice: Vec<(String, Vec<String>)> = texts
        .into_iter()
        .map(|(name, text)| (name, advises_on_medicine(&text)))
        .filter(|(_, found)| !found.is_empty())
        .collect();
    assert!(advice.is_empty(), "{advice:#?}");
}

/// Waymark's own words, as a shell would show them, in the store's language:
/// named so the same place can be found in both languages.
fn own_words(store: &Store) -> BTreeMap<String, String> {
    let mut words = BTreeMap::new();
    let mut put = |name: String, text: &str| {
        words.insert(name, text.to_string());
    };
    let zone = "America/Mexico_City";
    let alert = store.assessments(&Default::default()).unwrap();
    for result in &alert {
        let alert = result.safety_alert.as_ref().unwrap();
        let kind = alert.kind.as_str();
        put(format!("alert/{kind}/title"), &alert.title);
        put(format!("alert/{kind}/message"), &alert.message);
        put(format!("alert/{kind}/nobody_is_told"), &alert.nobody_is_told);
        let plan = alert.safety_plan.as_ref().unwrap();
        put("plan/title".into(), &plan.title);
        put("plan/reason_title".into(), &plan.reason_title);
        for section in &plan.sections {
            put(format!("plan/{}/title", section.number), &section.title);
            if let Some(hint) = &section.hint {
                put(format!("plan/{}/hint", section.number), hint);
            }
        }
        let help = alert.help_now.as_ref().unwrap();
        put("help/title".into(), &help.title);
        for (n, line) in help.lines.iter().enumerate() {
            if let Some(label) = &line.call_label {
                put(format!("help/{n}/call"), label);
            }
            if let Some(note) = &line.hours_note {
                put(format!("help/{n}/hours_note"), note);
            }
        }
    }
    let flag = store.add_vitals(&VitalsDraft {
        taken_at: Some(at("2026-11-20T09:00:00Z")),
        ..VitalsDraft::blood_pressure(190, 100, zone.parse().unwrap())
    });
    let flag = flag.unwrap().flag.unwrap();
    put("vitals/title".into(), &flag.title);
    put("vitals/message".into(), &flag.message);
    let now = at("2026-11-03T12:00:00Z");
    let overview = store.course_overview(now, zone.parse().unwrap()).unwrap();
    put("course/title".into(), &overview.course.unwrap().title);
    let next = overview.next.unwrap();
    put("course/next/title".into(), &next.appointment.title);
    for item in &next.care {
        put(format!("care/{}/title", item.kind.as_str()), &item.title);
        put(format!("care/{}/detail", item.kind.as_str()), &item.detail);
    }
    let ending = store.course_overview(at("2027-03-01T12:00:00Z"), zone.parse().unwrap()).unwrap().ending.unwrap();
    put("course/ending/message".into(), &ending.message);
    put("course/ending/clinic_note".into(), &ending.clinic_note);
    let mut planned = store.plan_notifications(at("2026-10-29T12:00:00Z"), zone.parse().unwrap(), Some(1000)).unwrap();
    planned.sort_by_key(|n| (n.fire_at, format!("{:?}", n.route), format!("{:?}", n.kind)));
    for (n, notification) in planned.iter().take(40).enumerate() {
        put(format!("notify/{n}/title"), &notification.title);
        put(format!("notify/{n}/body"), &notification.body);
    }
    for prompt in store.prompts_due(now).unwrap() {
        put(format!("prompt/{}/text", prompt.prompt_id), &prompt.text);
        put(format!("prompt/{}/heading", prompt.prompt_id), &prompt.heading);
    }
    let request = crate::share::ShareRequest {
        from: "2026-11-01".into(),
        to: "2026-11-30".into(),
        zone: zone.parse().unwrap(),
        scopes: vec![crate::share::ShareScope::Measures],
    };
    put("share/nobody_is_told".into(), &store.preview_share(&request).unwrap().nobody_is_told);
    let progress =
        store.progress_at(now, &ProgressQuery { from: None, to: None, zone: zone.parse().unwrap() }).unwrap();
    put("progress/clinic_note".into(), &progress.clinic_note);
    put("progress/response".into(), &progress.phq9.response.as_ref().unwrap().definition);
    put("progress/remission".into(), &progress.phq9.remission.as_ref().unwrap().definition);
    let language = store.content_language().unwrap();
    for instrument in Instrument::ALL {
        let form = measures::form(instrument, &language);
        put(format!("form/{instrument}/question"), &form.question);
        for item in &form.items {
            put(format!("form/{instrument}/{}", item.number), &item.text);
        }
        for option in &form.options {
            put(format!("form/{instrument}/option/{}", option.value), &option.label);
        }
    }
    for hit in safety::search_safety("I want to die", &language).into_iter().take(2) {
        put(format!("search/{:?}/{}", hit.kind, hit.id), &hit.title);
    }
    for page in safety::safety_pages(&language) {
        put(format!("page/{}/title", page.id), &page.title);
        put(format!("page/{}/body", page.id), &page.body);
    }
    words
}

fn profile_in(language: &str) -> (tempfile::TempDir, Store) {
    let (dir, store) = open_store();
    store.set_language(Some(language)).unwrap();
    store.set_region(Some("IT")).unwrap();
    let draft = CourseDraft {
        template: CourseTemplate::Esketamine,
        first_session: "2026-11-02T10:00".into(),
        zone: "America/Mexico_City".parse().unwrap(),
        place: "Clinic".into(),
    };
    store.start_course(&draft).unwrap();
    let answers = |last| [vec![Answer::Score { value: 0 }; 8], vec![last]].concat();
    for (last, when) in
        [(Answer::Score { value: 2 }, "2026-11-01T09:00:00Z"), (Answer::PreferNotToAnswer, "2026-11-02T09:00:00Z")]
    {
        let draft = AssessmentDraft {
            taken_at: Some(at(when)),
            ..AssessmentDraft::new(Instrument::Phq9, answers(last), "UTC".parse().unwrap())
        };
        store.add_assessment(&draft).unwrap();
    }
    (dir, store)
}

#[test]
fn every_word_waymark_writes_itself_has_a_spanish_form() {
    let (_en_dir, english) = profile_in("en");
    let (_es_dir, spanish) = profile_in("es");
    let (english, spanish) = (own_words(&english), own_words(&spanish));
    assert_eq!(english.keys().collect::<Vec<_>>(), spanish.keys().collect::<Vec<_>>(), "the same places in both");
    assert!(english.len() > 150, "{} places", english.len());
    let untranslated: Vec<(&String, &String)> =
        english.iter().filter(|(name, text)| spanish.get(*name) == Some(*text)).collect();
    assert!(untranslated.is_empty(), "shown in English to a Spanish speaker: {untranslated:#?}");
}
