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
