use super::*;
use crate::journal::JournalQuery;
use crate::test_support::open_store;

const Y2017: &str = "\u{feff}year,date,weekday,time,mood,activities,note\n\
2017,September 13,Wednesday,5:01 PM,good,\"work | friends | reading \",\"Nice<br>day &amp; calm\"\n\
2017,September 12,Tuesday,10:00 pm,awful,\"\",\"\"";
const Y2019: &str = "\u{feff}full_date,date,weekday,time,mood,activities,note\n\
2019-05-02,May 2,Thursday,15:26,meh,\"family\",\"He said \"\"fine\"\"\"\n\
2019-05-01,May 1,Wednesday,9:03,rad,\"\",\"\"";
const Y2021: &str = "full_date,date,weekday,time,mood,activities,note_title,note\n\
2021-11-20,20 novembre,sabato,8:15,bad,\"\",\"Tired\",\"Slept badly<br>again\"";
const Y2026: &str = "\u{feff}full_date,date,weekday,time,mood,activities,scales,note_title,note\n\
2026-02-03,February 3,Tuesday,7:45 AM,good,\"calm\",\"Sleep Quality:\u{a0}8/10 points | Sleep Time:\u{a0}7:30\",\"\",\"\"";

fn entries(store: &Store) -> Vec<crate::journal::CheckIn> {
    let page = store.journal_page(&JournalQuery { limit: 100, ..JournalQuery::default() }).unwrap();
    page.entries.iter().map(|row| store.checkin(&row.id).unwrap()).collect()
}

#[test]
fn every_generation_of_the_export_reads() {
    let (_dir, store) = open_store();
    for (file, count) in [(Y2017, 2), (Y2019, 2), (Y2021, 1), (Y2026, 1)] {
        let preview = store.preview_daylio(file, &[], "Europe/Paris".parse().unwrap()).unwrap();
        assert_eq!((preview.entries, preview.unmapped.len()), (count, 0), "{file}");
        assert_eq!(store.import_daylio(file, &[], "Europe/Paris".parse().unwrap()).unwrap().added, count);
    }
    let all = entries(&store);
    assert_eq!(all.len(), 6);
    let september = all.iter().find(|e| e.text.starts_with("Nice")).unwrap();
    assert_eq!(september.valence, 2);
    assert_eq!(september.text, "Nice\nday & calm\n\nActivities: reading");
    assert_eq!(september.areas, [LifeArea::Work, LifeArea::Friends]);
    assert_eq!(crate::time::rfc3339::format(september.occurred_at), "2017-09-13T15:01:00.000Z", "17:01 in Paris");
    let quoted = all.iter().find(|e| e.text.starts_with("He said")).unwrap();
    assert_eq!((quoted.text.as_str(), quoted.valence), ("He said \"fine\"", 0));
    assert!(all.iter().any(|e| e.text == "Tired\n\nSlept badly\nagain" && e.valence == -2));
    let scaled = all.iter().find(|e| e.sleep_hours.is_some()).unwrap();
    assert_eq!((scaled.sleep_hours, scaled.labels.as_slice()), (Some(7.5), &[EmotionLabel::Calm][..]));
    assert_eq!(scaled.text, "Sleep Quality: 8/10 points");
}

#[test]
fn importing_the_same_file_twice_adds_nothing_the_second_time() {
    let (_dir, store) = open_store();
    let doubled = format!("{Y2019}\n2019-05-01,May 1,Wednesday,9:03,rad,\"\",\"\"");
    assert_eq!(
        store.import_daylio(&doubled, &[], "UTC".parse().unwrap()).unwrap(),
        ImportResult { added: 3, skipped: 0 }
    );
    assert_eq!(store.preview_daylio(&doubled, &[], "UTC".parse().unwrap()).unwrap().already_imported, 3);
    assert_eq!(
        store.import_daylio(&doubled, &[], "UTC".parse().unwrap()).unwrap(),
        ImportResult { added: 0, skipped: 3 }
    );
    assert_eq!(entries(&store).len(), 3, "two identical rows stay two entries, once");
}

#[test]
fn one_broken_row_imports_nothing_and_names_its_line() {
    let (_dir, store) = open_store();
    let broken = "full_date,date,weekday,time,mood,activities,note\n\
2019-05-02,May 2,Thursday,15:26,meh,\"\",\"\"\n\
2019-05-01,May 1,Wednesday,noon,rad,\"\",\"\"";
    assert!(matches!(
        store.import_daylio(broken, &[], "UTC".parse().unwrap()),
        Err(ImportError::BadRow { line: 3, .. })
    ));
    assert!(entries(&store).is_empty());
    assert!(matches!(
        store.import_daylio("date,mood\n1,2", &[], "UTC".parse().unwrap()),
        Err(ImportError::NotDaylio { .. })
    ));
}

#[test]
fn a_custom_mood_imports_nothing_until_it_is_mapped() {
    let (_dir, store) = open_store();
    let custom = "full_date,date,weekday,time,mood,activities,note\n\
2023-01-02,Jan 2,Monday,9:00,Sick,\"\",\"\"\n\
2023-01-01,Jan 1,Sunday,9:00,good,\"\",\"\"\n\
2023-01-01,Jan 1,Sunday,8:00,Sick,\"\",\"\"";
    let preview = store.preview_daylio(custom, &[], "UTC".parse().unwrap()).unwrap();
    assert_eq!(preview.unmapped, ["Sick"]);
    assert_eq!(preview.moods[0], MoodCount { name: "Sick".into(), count: 2, valence: None });
    assert!(matches!(store.import_daylio(custom, &[], "UTC".parse().unwrap()), Err(ImportError::UnmappedMoods { .. })));
    assert!(entries(&store).is_empty());
    let mapping = [MoodMapping { name: "sick".into(), valence: -2 }];
    assert!(matches!(
        store.import_daylio(custom, &[MoodMapping { name: "Sick".into(), valence: -4 }], "UTC".parse().unwrap()),
        Err(ImportError::InvalidMapping { .. })
    ));
    assert_eq!(store.import_daylio(custom, &mapping, "UTC".parse().unwrap()).unwrap().added, 3);
}
