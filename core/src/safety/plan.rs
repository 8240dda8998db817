//! The patient's own safety plan: the six steps of the Stanley-Brown Safety
//! Planning Intervention, in order (Stanley & Brown, Cognitive and Behavioral
//! Practice 2012;19:256-264), each a list the patient edits.

use std::time::SystemTime;

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;

use super::{help, library, stored_language, HelpLine};
use crate::store::{Store, StoreError};
use crate::text;
use crate::time;

/// The longest item the plan keeps, in characters.
pub const MAX_ITEM_CHARS: usize = 2_000;

#[derive(Debug, thiserror::Error)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Error), uniffi(flat_error))]
pub enum SafetyError {
    #[error("an item of the safety plan cannot be empty; write what you want to remember")]
    EmptyItem,
    #[error("the item is {chars} characters long; shorten it to at most {max}")]
    ItemTooLong { chars: u32, max: u32 },
    #[error("\"{region}\" is not a region; use a two-letter country code such as GB or US")]
    InvalidRegion { region: String },
    #[error("\"{language}\" is not a language; use a code such as en or es, or a locale such as es-MX")]
    InvalidLanguage { language: String },
    #[error("there is no safety page \"{id}\"; pick one from the list")]
    UnknownPage { id: String },
    #[error("step {step} does not have an item {number}; it has {count}")]
    NoSuchItem { step: u32, number: u32, count: u32 },
    #[error("no item of the safety plan has the id {id}; read the plan again and pick one from it")]
    UnknownItem { id: String },
    #[error("an item can move to places 0 to {last} of its step, not {index}")]
    InvalidPosition { index: u32, last: u32 },
    #[error("what matters most is {chars} characters long; shorten it to at most {max}")]
    ReasonTooLong { chars: u32, max: u32 },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for SafetyError {
    fn from(error: rusqlite::Error) -> Self {
        SafetyError::Store(error.into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SafetyPlanStep {
    WarningSigns,
    CopingStrategies,
    Distractions,
    PeopleToAsk,
    Professionals,
    SafeEnvironment,
}

impl SafetyPlanStep {
    pub const ALL: [SafetyPlanStep; 6] = [
        SafetyPlanStep::WarningSigns,
        SafetyPlanStep::CopingStrategies,
        SafetyPlanStep::Distractions,
        SafetyPlanStep::PeopleToAsk,
        SafetyPlanStep::Professionals,
        SafetyPlanStep::SafeEnvironment,
    ];

    /// 1 to 6, the step's place in the plan.
    pub fn number(self) -> u32 {
        Self::ALL.iter().position(|s| *s == self).expect("every step is listed") as u32 + 1
    }

    pub fn from_number(number: u32) -> Option<Self> {
        Self::ALL.get(usize::try_from(number).ok()?.checked_sub(1)?).copied()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyPlanItem {
    pub id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyPlanSection {
    pub step: SafetyPlanStep,
    pub number: u32,
    pub title: String,
    /// Oldest first.
    pub items: Vec<SafetyPlanItem>,
    /// A prompt shown under the title; step 6's names medicines, take-home ketamine included.
    pub hint: Option<String>,
    /// Step 5 only: the crisis and emergency lines Waymark has for the patient's region, to offer beside their own.
    pub suggested_lines: Vec<HelpLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyPlan {
    /// "My safety plan", in `locale`.
    pub title: String,
    /// The language of the titles, which may be the English fallback.
    pub locale: String,
    /// All six steps, in order, even when empty.
    pub sections: Vec<SafetyPlanSection>,
    /// The heading of the plan's last line: the one thing most important to the patient.
    pub reason_title: String,
    /// What the patient wrote under it, if anything.
    pub reason: Option<String>,
    pub source: String,
}

const REASON_KEY: &str = "plan_reason";

/// The plan with its titles in `language` (a code `library::language` returned),
/// step 5 offering the lines for the patient's region.
pub(crate) fn read_plan(conn: &Connection, language: &'static str) -> rusqlite::Result<SafetyPlan> {
    let strings = library::strings(language);
    let region = super::effective_setting(conn, super::REGION_KEY)?;
    let lines = help::help_now(region.as_deref(), language).lines;
    let mut sections: Vec<SafetyPlanSection> = SafetyPlanStep::ALL
        .iter()
        .zip(&strings.plan_steps)
        .map(|(&step, title)| SafetyPlanSection {
            step,
            number: step.number(),
            title: title.clone(),
            items: Vec::new(),
            hint: match step {
                SafetyPlanStep::Professionals => Some(text::get(language, "plan.professionals_hint").to_string()),
                SafetyPlanStep::SafeEnvironment => Some(text::get(language, "plan.environment_hint").to_string()),
                _ => None,
            },
            suggested_lines: if step == SafetyPlanStep::Professionals { lines.clone() } else { Vec::new() },
        })
        .collect();
    let mut statement =
        conn.prepare_cached("SELECT step, id, text FROM safety_plan_item ORDER BY step, position, id")?;
    let rows = statement.query_map([], |row| Ok((row.get::<_, u32>(0)?, row.get(1)?, row.get(2)?)))?;
    for row in rows {
        let (step, id, text) = row?;
        if let Some(section) = sections.get_mut(step as usize - 1) {
            section.items.push(SafetyPlanItem { id, text });
        }
    }
    Ok(SafetyPlan {
        title: strings.plan_title.clone(),
        locale: language.to_string(),
        sections,
        reason_title: text::get(language, "plan.reason_title").to_string(),
        reason: super::setting(conn, REASON_KEY)?,
        source: strings.plan_source.clone(),
    })
}

impl SafetyPlan {
    /// The step's `number`-th item (1-based, as a printed plan shows it).
    pub fn item_at(&self, step: SafetyPlanStep, number: u32) -> Result<&SafetyPlanItem, SafetyError> {
        let items = &self.sections[step.number() as usize - 1].items;
        number.checked_sub(1).and_then(|index| items.get(index as usize)).ok_or(SafetyError::NoSuchItem {
            step: step.number(),
            number,
            count: items.len() as u32,
        })
    }

    /// Plain text to share, e.g. by email with someone the patient trusts.
    pub fn to_text(&self) -> String {
        let empty = &library::strings(library::language(&self.locale)).plan_empty;
        let mut text = format!("{}\n", self.title);
        for section in &self.sections {
            text.push_str(&format!("\n{}. {}\n", section.number, section.title));
            if section.items.is_empty() {
                text.push_str(&format!("   {empty}\n"));
            }
            for item in &section.items {
                text.push_str(&format!("   - {}\n", item.text.replace('\n', "\n     ")));
            }
            for line in &section.suggested_lines {
                let how: Vec<&str> = [line.phone.as_deref(), line.text.as_deref()].into_iter().flatten().collect();
                text.push_str(&format!("   * {}: {}\n", line.name, how.join(", ")));
            }
        }
        text.push_str(&format!("\n{}\n   {}\n", self.reason_title, self.reason.as_deref().unwrap_or(empty)));
        text
    }
}

impl Store {
    pub fn safety_plan(&self) -> Result<SafetyPlan, SafetyError> {
        self.read(|conn| Ok(read_plan(conn, stored_language(conn)?)?))
    }

    /// Adds an item at the end of a step; returns the whole plan.
    pub fn add_safety_plan_item(&self, step: SafetyPlanStep, text: &str) -> Result<SafetyPlan, SafetyError> {
        let text = item_text(text)?;
        let now = time::to_millis(SystemTime::now());
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO safety_plan_item (id, step, text, created_at, updated_at, position) \
                 VALUES (?1, ?2, ?3, ?4, ?4, \
                 (SELECT COALESCE(MAX(position) + 1, 0) FROM safety_plan_item WHERE step = ?2))",
            )?
            .execute(params![uuid::Uuid::now_v7().to_string(), step.number(), text, now])?;
            Ok(read_plan(tx, stored_language(tx)?)?)
        })
    }

    /// Rewrites an item's text, in its place; returns the whole plan.
    pub fn edit_safety_plan_item(&self, id: &str, text: &str) -> Result<SafetyPlan, SafetyError> {
        let text = item_text(text)?;
        let now = time::to_millis(SystemTime::now());
        self.write(|tx| {
            let changed = tx
                .prepare_cached("UPDATE safety_plan_item SET text = ?2, updated_at = ?3 WHERE id = ?1")?
                .execute(params![id, text, now])?;
            if changed == 0 {
                return Err(SafetyError::UnknownItem { id: id.to_string() });
            }
            Ok(read_plan(tx, stored_language(tx)?)?)
        })
    }

    /// Removes an item; returns the whole plan.
    pub fn remove_safety_plan_item(&self, id: &str) -> Result<SafetyPlan, SafetyError> {
        self.write(|tx| {
            let step = step_of(tx, id)?;
            tx.prepare_cached("DELETE FROM safety_plan_item WHERE id = ?1")?.execute([id])?;
            renumber(tx, step, &ids_in_step(tx, step)?)?;
            Ok(read_plan(tx, stored_language(tx)?)?)
        })
    }

    /// Moves an item to `index` (0 first) within its step; returns the whole plan.
    pub fn move_safety_plan_item(&self, id: &str, index: u32) -> Result<SafetyPlan, SafetyError> {
        self.write(|tx| {
            let step = step_of(tx, id)?;
            let mut ids = ids_in_step(tx, step)?;
            let last = ids.len() as u32 - 1;
            if index > last {
                return Err(SafetyError::InvalidPosition { index, last });
            }
            ids.retain(|other| other != id);
            ids.insert(index as usize, id.to_string());
            renumber(tx, step, &ids)?;
            Ok(read_plan(tx, stored_language(tx)?)?)
        })
    }

    /// Sets the plan's last line, the one thing most important to the patient, or clears it with `None`.
    pub fn set_plan_reason(&self, reason: Option<&str>) -> Result<SafetyPlan, SafetyError> {
        let reason = reason.map(str::trim).filter(|reason| !reason.is_empty());
        if let Some(chars) = reason.map(|r| r.chars().count()).filter(|chars| *chars > MAX_ITEM_CHARS) {
            return Err(SafetyError::ReasonTooLong { chars: chars as u32, max: MAX_ITEM_CHARS as u32 });
        }
        self.write(|tx| {
            super::put_setting(tx, REASON_KEY, reason)?;
            Ok(read_plan(tx, stored_language(tx)?)?)
        })
    }
}

/// The item's text, trimmed, if it may be stored.
fn item_text(text: &str) -> Result<&str, SafetyError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(SafetyError::EmptyItem);
    }
    let chars = text.chars().count();
    if chars > MAX_ITEM_CHARS {
        return Err(SafetyError::ItemTooLong { chars: chars as u32, max: MAX_ITEM_CHARS as u32 });
    }
    Ok(text)
}

fn step_of(conn: &Connection, id: &str) -> Result<u32, SafetyError> {
    conn.prepare_cached("SELECT step FROM safety_plan_item WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()?
        .ok_or_else(|| SafetyError::UnknownItem { id: id.to_string() })
}

fn ids_in_step(conn: &Connection, step: u32) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached("SELECT id FROM safety_plan_item WHERE step = ?1 ORDER BY position, id")?
        .query_map([step], |row| row.get(0))?
        .collect()
}

fn renumber(conn: &Connection, step: u32, ids: &[String]) -> rusqlite::Result<()> {
    let mut update = conn.prepare_cached("UPDATE safety_plan_item SET position = ?2 WHERE id = ?1 AND step = ?3")?;
    for (position, id) in ids.iter().enumerate() {
        update.execute(params![id, position as u32, step])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::open_store;

    #[test]
    fn an_empty_plan_has_the_six_steps_in_order() {
        let (_dir, store) = open_store();
        let plan = store.safety_plan().unwrap();
        let numbers: Vec<u32> = plan.sections.iter().map(|s| s.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5, 6]);
        assert_eq!(plan.sections[0].step, SafetyPlanStep::WarningSigns);
        assert_eq!(plan.sections[5].step, SafetyPlanStep::SafeEnvironment);
        assert!(plan.source.contains("Stanley"));
    }

    #[test]
    fn items_are_added_removed_and_exported_as_text() {
        let (_dir, store) = open_store();
        store.add_safety_plan_item(SafetyPlanStep::WarningSigns, "Not sleeping for two nights").unwrap();
        store.add_safety_plan_item(SafetyPlanStep::WarningSigns, "Cancelling plans with friends").unwrap();
        let plan = store.add_safety_plan_item(SafetyPlanStep::PeopleToAsk, "  My sister Ana, 0612 345 678  ").unwrap();
        assert_eq!(plan.sections[3].items[0].text, "My sister Ana, 0612 345 678");
        let first = plan.item_at(SafetyPlanStep::WarningSigns, 1).unwrap().id.clone();
        let plan = store.remove_safety_plan_item(&first).unwrap();
        assert_eq!(
            plan.sections[0].items.iter().map(|i| i.text.as_str()).collect::<Vec<_>>(),
            ["Cancelling plans with friends"]
        );
        let text = plan.to_text();
        assert!(text.contains("1. Warning signs\n   - Cancelling plans with friends\n"), "{text}");
        assert!(text.contains("5. Professionals and crisis lines I can contact\n   (nothing yet)"), "{text}");
    }

    #[test]
    fn step_5_offers_the_bundled_lines_step_6_names_medicines_and_the_plan_ends_with_what_matters_most() {
        let (_dir, store) = open_store();
        store.set_region(Some("GB")).unwrap();
        let plan = store.safety_plan().unwrap();
        let professionals = &plan.sections[4];
        assert!(professionals.suggested_lines.iter().any(|line| line.phone.as_deref() == Some("116 123")));
        assert_eq!(professionals.suggested_lines[0].phone.as_deref(), Some("999"));
        assert!(plan
            .sections
            .iter()
            .filter(|s| s.step != SafetyPlanStep::Professionals)
            .all(|s| s.suggested_lines.is_empty()));
        let environment = plan.sections[5].hint.as_deref().unwrap();
        assert!(environment.contains("medicines") && environment.contains("ketamine"), "{environment}");
        assert!(plan.reason_title.contains("most important to me") && plan.reason.is_none());
        let plan = store.set_plan_reason(Some("  My daughter  ")).unwrap();
        assert_eq!(plan.reason.as_deref(), Some("My daughter"));
        let text = plan.to_text();
        assert!(text.contains("   * Samaritans: 116 123\n"), "{text}");
        assert!(text.trim_end().ends_with("My daughter"), "{text}");
        assert!(matches!(
            store.set_plan_reason(Some(&"x".repeat(MAX_ITEM_CHARS + 1))),
            Err(SafetyError::ReasonTooLong { .. })
        ));
        assert_eq!(
            store.safety_plan().unwrap().reason.as_deref(),
            Some("My daughter"),
            "a refused change keeps what was there"
        );
        assert_eq!(store.set_plan_reason(None).unwrap().reason, None);
        store.set_language(Some("es")).unwrap();
        let spanish = store.safety_plan().unwrap();
        assert!(spanish.sections[5].hint.as_deref().unwrap().contains("ketamina"));
        assert_eq!(spanish.sections[4].suggested_lines[0].call_label.as_deref(), Some("Llamar al 999"));
    }

    #[test]
    fn bad_items_are_refused_and_nothing_changes() {
        let (_dir, store) = open_store();
        assert!(matches!(store.add_safety_plan_item(SafetyPlanStep::Distractions, "   "), Err(SafetyError::EmptyItem)));
        let long = "x".repeat(MAX_ITEM_CHARS + 1);
        assert!(matches!(
            store.add_safety_plan_item(SafetyPlanStep::Distractions, &long),
            Err(SafetyError::ItemTooLong { .. })
        ));
        let plan = store.safety_plan().unwrap();
        assert!(matches!(plan.item_at(SafetyPlanStep::Distractions, 1), Err(SafetyError::NoSuchItem { count: 0, .. })));
        assert!(matches!(plan.item_at(SafetyPlanStep::Distractions, 0), Err(SafetyError::NoSuchItem { .. })));
        assert!(matches!(store.remove_safety_plan_item("nope"), Err(SafetyError::UnknownItem { .. })));
        assert!(matches!(store.edit_safety_plan_item("nope", "text"), Err(SafetyError::UnknownItem { .. })));
        assert!(matches!(store.move_safety_plan_item("nope", 0), Err(SafetyError::UnknownItem { .. })));
        assert!(store.safety_plan().unwrap().sections.iter().all(|s| s.items.is_empty()));
        assert_eq!(SafetyPlanStep::from_number(7), None);
        assert_eq!(SafetyPlanStep::from_number(5), Some(SafetyPlanStep::Professionals));
    }

    fn texts(plan: &SafetyPlan, step: SafetyPlanStep) -> Vec<String> {
        plan.sections[step.number() as usize - 1].items.iter().map(|i| i.text.clone()).collect()
    }

    #[test]
    fn items_are_edited_moved_and_removed_by_id_and_a_bad_change_keeps_the_plan() {
        let (_dir, store) = open_store();
        let step = SafetyPlanStep::CopingStrategies;
        for text in ["Walk", "Music", "Breathe"] {
            store.add_safety_plan_item(step, text).unwrap();
        }
        store.add_safety_plan_item(SafetyPlanStep::Distractions, "Cinema").unwrap();
        let plan = store.safety_plan().unwrap();
        let id = |plan: &SafetyPlan, n| plan.item_at(step, n).unwrap().id.clone();
        let breathe = id(&plan, 3);
        let plan = store.move_safety_plan_item(&breathe, 0).unwrap();
        assert_eq!(texts(&plan, step), ["Breathe", "Walk", "Music"]);
        let plan = store.move_safety_plan_item(&breathe, 2).unwrap();
        assert_eq!(texts(&plan, step), ["Walk", "Music", "Breathe"]);
        let plan = store.edit_safety_plan_item(&id(&plan, 2), "  Loud music  ").unwrap();
        assert_eq!(texts(&plan, step), ["Walk", "Loud music", "Breathe"]);
        assert!(matches!(
            store.move_safety_plan_item(&breathe, 3),
            Err(SafetyError::InvalidPosition { index: 3, last: 2 })
        ));
        assert!(matches!(store.edit_safety_plan_item(&breathe, " "), Err(SafetyError::EmptyItem)));
        let plan = store.remove_safety_plan_item(&id(&plan, 1)).unwrap();
        assert_eq!(texts(&plan, step), ["Loud music", "Breathe"]);
        let plan = store.add_safety_plan_item(step, "Call Ana").unwrap();
        assert_eq!(texts(&plan, step), ["Loud music", "Breathe", "Call Ana"], "a new item goes last");
        assert_eq!(texts(&plan, SafetyPlanStep::Distractions), ["Cinema"], "other steps keep theirs");
    }
}
