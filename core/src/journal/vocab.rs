//! The fixed vocabularies of a check-in, taken from HealthKit's State of Mind
//! so entries export to it one to one.
//!
//! Sources: developer.apple.com/documentation/healthkit/hkstateofmind/label
//! (38 labels, also HL7 PHR IG `state-of-mind-label-codes`) and
//! developer.apple.com/documentation/healthkit/hkstateofmind/association (18 areas).

use std::fmt;
use std::str::FromStr;

use super::JournalError;
use crate::text;

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $unknown:ident { $($variant:ident = $word:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        pub enum $name { $($variant,)+ }

        crate::names::stored_names!($name { $($variant => $word,)+ });

        impl FromStr for $name {
            type Err = JournalError;

            /// Accepts any case, and `self_care`, `self-care` or HealthKit's `selfCare`.
            fn from_str(text: &str) -> Result<Self, JournalError> {
                let wanted = squash(text);
                Self::ALL
                    .iter()
                    .copied()
                    .find(|word| squash(word.as_str()) == wanted)
                    .ok_or_else(|| JournalError::$unknown { name: text.to_string() })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

fn squash(word: &str) -> String {
    word.chars().filter(|c| !matches!(c, '_' | '-' | ' ')).flat_map(char::to_lowercase).collect()
}

vocabulary! {
    /// How the patient feels: HealthKit's `HKStateOfMind.Label`.
    EmotionLabel, UnknownLabel {
        Amazed = "amazed",
        Amused = "amused",
        Angry = "angry",
        Annoyed = "annoyed",
        Anxious = "anxious",
        Ashamed = "ashamed",
        Brave = "brave",
        Calm = "calm",
        Confident = "confident",
        Content = "content",
        Disappointed = "disappointed",
        Discouraged = "discouraged",
        Disgusted = "disgusted",
        Drained = "drained",
        Embarrassed = "embarrassed",
        Excited = "excited",
        Frustrated = "frustrated",
        Grateful = "grateful",
        Guilty = "guilty",
        Happy = "happy",
        Hopeful = "hopeful",
        Hopeless = "hopeless",
        Indifferent = "indifferent",
        Irritated = "irritated",
        Jealous = "jealous",
        Joyful = "joyful",
        Lonely = "lonely",
        Overwhelmed = "overwhelmed",
        Passionate = "passionate",
        Peaceful = "peaceful",
        Proud = "proud",
        Relieved = "relieved",
        Sad = "sad",
        Satisfied = "satisfied",
        Scared = "scared",
        Stressed = "stressed",
        Surprised = "surprised",
        Worried = "worried",
    }
}

vocabulary! {
    /// What the feeling is about: HealthKit's `HKStateOfMind.Association`.
    LifeArea, UnknownArea {
        Community = "community",
        CurrentEvents = "current_events",
        Dating = "dating",
        Education = "education",
        Family = "family",
        Fitness = "fitness",
        Friends = "friends",
        Health = "health",
        Hobbies = "hobbies",
        Identity = "identity",
        Money = "money",
        Partner = "partner",
        SelfCare = "self_care",
        Spirituality = "spirituality",
        Tasks = "tasks",
        Travel = "travel",
        Weather = "weather",
        Work = "work",
    }
}

/// An emotion label and its name in the patient's language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct LabelName {
    pub label: EmotionLabel,
    pub name: String,
}

/// A life area and its name in the patient's language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AreaName {
    pub area: LifeArea,
    pub name: String,
}

/// One of HealthKit's seven valence classes, as the check-in offers it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ValenceName {
    /// -3 to +3, the value a check-in stores.
    pub valence: i32,
    pub name: String,
}

/// HealthKit's valence classes from -3 to +3 (developer.apple.com/documentation/healthkit/hkstateofmind/valenceclassification).
const VALENCES: [(i32, &str); 7] = [
    (-3, "very_unpleasant"),
    (-2, "unpleasant"),
    (-1, "slightly_unpleasant"),
    (0, "neutral"),
    (1, "slightly_pleasant"),
    (2, "pleasant"),
    (3, "very_pleasant"),
];

/// What a check-in screen offers, named in one language.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Vocabulary {
    /// The language of the names: `locale`'s where Waymark speaks it, else English.
    pub language: String,
    /// The mood scale, from very unpleasant to very pleasant, so no shell keeps its range.
    pub valences: Vec<ValenceName>,
    /// In HealthKit's order, which is alphabetical in English.
    pub labels: Vec<LabelName>,
    pub areas: Vec<AreaName>,
}

/// The labels and areas named in `locale`'s language (`es`, `es-MX`, ...).
pub fn vocabulary(locale: &str) -> Vocabulary {
    let language = crate::safety::library::language(locale);
    Vocabulary {
        language: language.to_string(),
        valences: VALENCES
            .iter()
            .map(|&(valence, key)| ValenceName {
                valence,
                name: text::get(language, &format!("valence.{key}")).to_string(),
            })
            .collect(),
        labels: EmotionLabel::ALL
            .iter()
            .map(|&label| LabelName { label, name: text::get(language, &format!("label.{label}")).to_string() })
            .collect(),
        areas: LifeArea::ALL
            .iter()
            .map(|&area| AreaName { area, name: text::get(language, &format!("area.{area}")).to_string() })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_and_area_has_a_name_in_each_language() {
        let english = vocabulary("en-GB");
        let spanish = vocabulary("es_MX");
        assert_eq!((english.language.as_str(), spanish.language.as_str()), ("en", "es"));
        assert_eq!((english.labels.len(), english.areas.len()), (38, 18));
        let scale: Vec<i32> = english.valences.iter().map(|v| v.valence).collect();
        assert_eq!(scale, (-3..=3).collect::<Vec<_>>(), "the scale is the one check-ins store");
        assert_eq!(
            (english.valences[0].name.as_str(), spanish.valences[6].name.as_str()),
            ("Very unpleasant", "Muy agradable")
        );
        let name = |v: &Vocabulary, area| v.areas.iter().find(|a| a.area == area).unwrap().name.clone();
        assert_eq!(
            (name(&english, LifeArea::SelfCare), name(&spanish, LifeArea::SelfCare)),
            ("Self-care".into(), "Autocuidado".into())
        );
        for (en, es) in english.labels.iter().zip(&spanish.labels) {
            assert_eq!(en.label, es.label);
            assert_ne!(en.name, es.name, "{:?} is not translated", en.label);
        }
        assert_eq!(vocabulary("fr").language, "en", "a language Waymark does not speak falls back to English");
    }

    #[test]
    fn the_vocabularies_match_healthkit_in_size() {
        assert_eq!(EmotionLabel::ALL.len(), 38);
        assert_eq!(LifeArea::ALL.len(), 18);
    }

    #[test]
    fn names_round_trip_and_accept_healthkit_spelling() {
        for label in EmotionLabel::ALL {
            assert_eq!(label.as_str().parse::<EmotionLabel>().unwrap(), label);
        }
        for area in LifeArea::ALL {
            assert_eq!(area.as_str().parse::<LifeArea>().unwrap(), area);
        }
        assert_eq!("selfCare".parse::<LifeArea>().unwrap(), LifeArea::SelfCare);
        assert_eq!("Current-Events".parse::<LifeArea>().unwrap(), LifeArea::CurrentEvents);
        assert_eq!("ANXIOUS".parse::<EmotionLabel>().unwrap(), EmotionLabel::Anxious);
    }

    #[test]
    fn unknown_words_are_typed_errors() {
        assert!(
            matches!("elated".parse::<EmotionLabel>(), Err(JournalError::UnknownLabel { name }) if name == "elated")
        );
        assert!(matches!("school".parse::<LifeArea>(), Err(JournalError::UnknownArea { .. })));
    }
}
