//! `waymark export` and `waymark erase` end to end.

mod common;

use std::io::Write;
use std::process::Stdio;

use common::Profile;

const SENTINEL: &str = "ERASE-SENTINEL a note that must not survive";

fn grep(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    entries
        .map(|e| e.unwrap().path())
        .filter(|p| std::fs::read(p).is_ok_and(|b| b.windows(needle.len()).any(|w| w == needle.as_bytes())))
        .map(|p| p.display().to_string())
        .collect()
}

#[test]
fn export_writes_json_and_csv_files() {
    let profile = Profile::new();
    profile.ok(&[
        "checkin",
        "--valence",
        "2",
        "--energy",
        "4",
        "--label",
        "calm",
        "--note",
        "river walk",
        "--at",
        "2026-11-04T08:00:00Z",
    ]);
    profile.ok(&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,0"]);
    let out = profile.path.parent().unwrap().join("export");
    let listed = profile.ok(&["export", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert!(listed.contains("checkins.csv") && listed.contains("measures.csv"));
    let checkins = std::fs::read_to_string(out.join("checkins.csv")).unwrap();
    assert!(checkins.contains(",2026-11-04T09:00:00+01:00,Europe/Paris,2,4,,,calm,,river walk,false,,"), "{checkins}");
    profile.ok(&["export", "--format", "json", "--out", out.to_str().unwrap()]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("waymark-export.json")).unwrap()).unwrap();
    assert_eq!(json["tables"]["assessment"][0]["total"], 8);
    assert_eq!(profile.run(&["export", "--format", "xml", "--out", "x"]).status.code(), Some(2));
}

#[test]
fn erase_asks_first_then_leaves_nothing_of_the_store() {
    let profile = Profile::new();
    profile.ok(&["checkin", "--valence", "0", "--note", SENTINEL]);
    let before = profile.files();
    let mut refused = profile
        .command(&["erase"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    refused.stdin.take().unwrap().write_all(b"no\n").unwrap();
    let refused = refused.wait_with_output().unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Type \"erase\" to confirm"));
    assert_eq!(profile.files().len(), before.len(), "nothing was erased");

    profile.ok(&["erase", "--yes"]);
    assert!(
        !profile.path.exists() || std::fs::read_dir(&profile.path).unwrap().next().is_none(),
        "no file of the store remains"
    );
    assert!(grep(&profile.path, "ERASE-SENTINEL").is_empty());
    assert_eq!(profile.run(&["erase", "--yes"]).status.code(), Some(2), "nothing left to erase");

    let typed = Profile::new();
    typed.ok(&["checkin", "--valence", "0", "--note", SENTINEL]);
    let mut confirmed =
        typed.command(&["erase"]).stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    confirmed.stdin.take().unwrap().write_all(b"erase\n").unwrap();
    assert!(confirmed.wait().unwrap().success());
    assert!(!typed.path.join("waymark.db").exists() && !typed.path.join("waymark.key").exists());
}

#[test]
fn a_backup_restores_into_a_fresh_profile_and_a_wrong_passphrase_changes_nothing() {
    let (source, target) = (Profile::new(), Profile::new());
    source.ok(&["checkin", "--valence", "2", "--note", "BACKUP-SENTINEL river walk"]);
    source.ok(&["assess", "phq9", "--answers", "1,1,1,1,1,1,1,1,0"]);
    let file = source.path.parent().unwrap().join("journal.waymark");
    let with = |profile: &Profile, args: &[&str], passphrase: &str| {
        profile.command(args).env("PASS", passphrase).output().unwrap()
    };
    let made = with(
        &source,
        &["backup", "create", file.to_str().unwrap(), "--passphrase-env", "PASS"],
        "long enough passphrase",
    );
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    assert!(!grep(file.parent().unwrap(), "BACKUP-SENTINEL").iter().any(|p| p.ends_with("journal.waymark")));

    let wrong =
        with(&target, &["backup", "restore", file.to_str().unwrap(), "--passphrase-env", "PASS"], "not the passphrase");
    assert_eq!(wrong.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("passphrase does not open"));
    assert!(!target.path.join("waymark.db").exists() && !target.path.join("waymark.key").exists(), "nothing made");

    let restored = with(
        &target,
        &["backup", "restore", file.to_str().unwrap(), "--passphrase-env", "PASS"],
        "long enough passphrase",
    );
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    assert!(String::from_utf8_lossy(&restored.stdout).contains("Restored 1 journal entries, 1 results"));
    let export = |profile: &Profile| {
        let out = profile.path.parent().unwrap().join("export");
        profile.ok(&["export", "--format", "csv", "--out", out.to_str().unwrap()]);
        std::fs::read_to_string(out.join("checkins.csv")).unwrap()
            + &std::fs::read_to_string(out.join("measures.csv")).unwrap()
    };
    assert_eq!(export(&target), export(&source));
    let again = with(
        &target,
        &["backup", "restore", file.to_str().unwrap(), "--passphrase-env", "PASS"],
        "long enough passphrase",
    );
    assert_eq!(again.status.code(), Some(2), "a profile with a journal is not replaced without --force");
}

const DAYLIO: &str = "\u{feff}full_date,date,weekday,time,mood,activities,note_title,note\n\
2023-01-02,January 2,Monday,9:00 PM,Sick,\"work\",\"\",\"Fever<br>stayed in\"\n\
2023-01-01,January 1,Sunday,10:15,good,\"friends | board games\",\"New year\",\"\"";

#[test]
fn daylio_imports_once_after_custom_moods_are_mapped() {
    let profile = Profile::new();
    let file = profile.path.parent().unwrap().join("daylio.csv");
    std::fs::write(&file, DAYLIO).unwrap();
    let path = file.to_str().unwrap();
    let preview = profile.ok(&["import", "daylio", path, "--preview"]);
    assert!(preview.contains("2 entries") && preview.contains("Sick") && preview.contains("not mapped"), "{preview}");
    assert!(!profile.path.exists(), "a preview writes nothing");
    let refused = profile.run(&["import", "daylio", path]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("Sick"));
    let listed = profile.ok(&["journal", "list", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&listed).unwrap().as_array().unwrap().len(),
        0,
        "nothing imported"
    );
    assert_eq!(profile.json(&["import", "daylio", path, "--map", "Sick=-2", "--json"])["added"], 2);
    assert_eq!(profile.json(&["import", "daylio", path, "--map", "Sick=-2", "--json"])["added"], 0, "once");
    let bad_map = profile.run(&["import", "daylio", path, "--map", "Sick"]);
    assert_eq!(bad_map.status.code(), Some(2));
}
