//! `waymark help-now`, `settings region` and `safety-plan` end to end.

mod common;

use common::Profile;
use serde_json::Value;

fn phones(lines: &Value) -> Vec<String> {
    lines.as_array().unwrap().iter().filter_map(|l| l["phone"].as_str().map(String::from)).collect()
}

#[test]
fn help_now_gives_each_regions_lines_emergency_first() {
    let profile = Profile::new();
    let us = profile.json(&["help-now", "--region", "US", "--json"]);
    assert_eq!((us[0]["kind"].as_str(), us[0]["phone"].as_str()), (Some("emergency"), Some("911")));
    assert_eq!(us[1]["phone"], "988");
    assert!(!profile.ok(&["help-now", "--region", "US"]).contains("273-8255"), "never the retired number");
    for field in
        ["name", "phone", "text", "hours", "open_24_7", "source", "source_date", "checked", "confidence", "kind"]
    {
        assert!(us[1].get(field).is_some(), "{field}");
    }
    assert_eq!((us[1]["open_24_7"].as_bool(), us[1]["confidence"].as_str()), (Some(true), Some("high")));
    let text_line = us.as_array().unwrap().iter().find(|l| l["name"] == "Crisis Text Line").unwrap();
    assert_eq!(text_line["open_24_7"], false);
    let shown = profile.ok(&["help-now", "--region", "IT"]);
    assert!(shown.starts_with("Help now (IT):\n  European emergency number: Call 112 (24/7)"), "{shown}");
    assert!(
        shown.contains("(Not open 24/7: daily 09:00-24:00 as of January 2026")
            && shown.contains("At night, call the emergency number first"),
        "{shown}"
    );
    let turkey = profile.json(&["help-now", "--region", "TR", "--json"]);
    assert_eq!((turkey[0]["kind"].as_str(), turkey[0]["phone"].as_str()), (Some("emergency"), Some("112")));
    for region in ["GB", "IE"] {
        assert!(phones(&profile.json(&["help-now", "--region", region, "--json"])).contains(&"116 123".to_string()));
    }
    assert!(phones(&profile.json(&["help-now", "--region", "AU", "--json"])).contains(&"13 11 14".to_string()));
    let unknown = profile.json(&["help-now", "--region", "ZZ", "--json"]);
    assert_eq!(
        (unknown[0]["kind"].as_str(), unknown[0]["source"].as_str()),
        (Some("directory"), Some("https://findahelpline.com"))
    );
    let denmark = profile.json(&["help-now", "--region", "DK", "--json"]);
    assert!(denmark.as_array().unwrap().iter().all(|l| l["kind"] == "emergency") && !phones(&denmark).is_empty());
    assert!(!profile.path.exists(), "asking for help creates nothing");
}

#[test]
fn the_region_setting_chooses_the_lines() {
    let profile = Profile::new();
    assert_eq!(profile.ok(&["settings", "region", "gb"]).trim(), "Region: GB");
    assert!(profile.ok(&["help-now"]).contains("Samaritans: Call 116 123"));
    let output = profile.run(&["settings", "region", "Great Britain"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(profile.ok(&["settings", "region"]).trim(), "Region: GB");
    assert!(profile.ok(&["settings", "region", "--clear"]).contains("not set"));
}

#[test]
fn the_system_locale_is_the_default_region_and_language() {
    let profile = Profile::new();
    let in_locale = |locale: &str, args: &[&str]| {
        let output = profile.command(args).env("LANG", locale).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(in_locale("en_GB.UTF-8", &["help-now"]).contains("Samaritans: Call 116 123"));
    let words = in_locale("es_ES.UTF-8", &["help-now"]);
    assert!(words.starts_with("Ayuda ahora (ES):") && words.contains("Llamar al 024"), "{words}");
    let spanish = in_locale("es_ES.UTF-8", &["help-now", "--json"]);
    let lines: Value = serde_json::from_str(&spanish).unwrap();
    assert_eq!(lines[0]["name"], "Número europeo de emergencias");
    assert_eq!(lines[0]["phone"], "112");
    assert!(in_locale("C", &["help-now"]).contains("findahelpline.com"), "no locale, no region: the fallback");

    assert_eq!(profile.ok(&["settings", "language", "es-MX"]).trim(), "Language: es");
    assert_eq!(profile.ok(&["settings", "region", "mx"]).trim(), "Region: MX");
    let mexico = profile.json(&["help-now", "--json"]);
    assert_eq!(
        (mexico[0]["name"].as_str(), mexico[0]["phone"].as_str()),
        (Some("Servicios de emergencia"), Some("911"))
    );
    assert!(profile.ok(&["safety-plan", "export"]).starts_with("Mi plan de seguridad"));
    assert_eq!(profile.run(&["settings", "language", "español"]).status.code(), Some(2));
    assert!(profile.ok(&["settings", "language", "--clear"]).contains("not set"));

    std::fs::remove_file(profile.path.join("waymark.key")).unwrap();
    let output = profile.command(&["help-now"]).env("LANG", "en_AU.UTF-8").output().unwrap();
    assert!(output.status.success(), "help shows even when the profile cannot be opened");
    assert!(String::from_utf8_lossy(&output.stdout).contains("13 11 14"));
    assert!(String::from_utf8_lossy(&output.stderr).contains("showing help for the system locale"));
}

#[test]
fn the_safety_plan_is_edited_and_exported() {
    let profile = Profile::new();
    profile.ok(&["safety-plan", "add", "warning-signs", "Not sleeping"]);
    profile.ok(&["safety-plan", "add", "1", "Cancelling plans"]);
    profile.ok(&["safety-plan", "add", "people-to-ask", "My sister Ana"]);
    let text = profile.ok(&["safety-plan", "remove", "1", "1"]);
    assert!(text.contains("1. Warning signs\n   - Cancelling plans\n"), "{text}");
    let plan = profile.json(&["safety-plan", "show", "--json"]);
    assert_eq!(plan["sections"][3]["items"][0]["text"], "My sister Ana");
    assert!(profile.ok(&["safety-plan", "export"]).starts_with("My safety plan"));
    let text = profile.ok(&["safety-plan", "reason", "Seeing my daughter grow up"]);
    assert!(text.trim_end().ends_with("worth living for:\n   Seeing my daughter grow up"), "{text}");
    assert!(text.contains("6. Making my surroundings safe\n   (nothing yet)"), "{text}");
    for (args, expected) in [
        (vec!["safety-plan", "add", "7", "x"], "not a step"),
        (vec!["safety-plan", "add", "2", "   "], "cannot be empty"),
        (vec!["safety-plan", "remove", "2", "1"], "does not have an item 1"),
    ] {
        let output = profile.run(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(String::from_utf8(output.stderr).unwrap().contains(expected), "{args:?}");
    }
}

#[test]
fn safety_pages_list_show_and_search_in_english_and_spanish() {
    let profile = Profile::new();
    let list = profile.ok(&["safety", "list", "--locale", "en"]);
    assert!(list.contains("after-session") && list.contains("warning-signs"), "{list}");
    let page = profile.ok(&["safety", "show", "after-session", "--locale", "es"]);
    assert!(page.starts_with("Las horas después de una sesión") && page.contains("Sources:"), "{page}");
    for (query, locale) in [("drive", "en"), ("driving", "en"), ("conducir", "es")] {
        let hits = profile.json(&["safety", "search", query, "--locale", locale, "--json"]);
        assert_eq!(hits[0]["id"], "after-session", "{query}");
        assert_eq!(hits.as_array().unwrap().last().unwrap()["kind"], "help_now", "{query}: Help now is always offered");
    }
    for (query, locale) in [("I want to die", "en"), ("quiero morir", "es"), ("hacerme daño", "en")] {
        let shown = profile.ok(&["safety", "search", query, "--locale", locale]);
        let first: Vec<&str> = shown.lines().take(2).map(|line| line.split_whitespace().next().unwrap()).collect();
        assert_eq!(first, ["help-now", "warning-signs"], "{query}: {shown}");
    }
    let output = profile.run(&["safety", "show", "nope"]);
    assert_eq!(output.status.code(), Some(2));
}
