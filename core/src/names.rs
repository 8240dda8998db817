//! One spelling per enum variant for the database, JSON, ids and the CLI.

/// Gives an enum `ALL`, `as_str`, `from_stored` (that exact spelling and no
/// other), and SQL conversions that read any other text as a damaged row
/// rather than guessing a variant.
macro_rules! stored_names {
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + $crate::names::stored_names!(@count $($tail)*) };
    ($type:ident { $($variant:ident => $name:literal,)+ }) => {
        impl $type {
            pub const ALL: [$type; $crate::names::stored_names!(@count $($variant)+)] = [$($type::$variant,)+];

            /// The name stored in the database and written in exports and ids.
            pub fn as_str(self) -> &'static str {
                match self { $($type::$variant => $name,)+ }
            }

            /// The variant stored as `name`.
            pub fn from_stored(name: &str) -> Option<Self> {
                match name { $($name => Some($type::$variant),)+ _ => None }
            }
        }

        impl rusqlite::types::ToSql for $type {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.as_str().into())
            }
        }

        impl rusqlite::types::FromSql for $type {
            fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
                let text = value.as_str()?;
                $type::from_stored(text).ok_or_else(|| {
                    rusqlite::types::FromSqlError::Other(format!("\"{text}\" is not a name Waymark stores").into())
                })
            }
        }
    };
}

pub(crate) use stored_names;

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use crate::course::{AppointmentKind, AppointmentStatus, CareItemKind, CourseTemplate};
    use crate::measures::Instrument;
    use crate::prompts::PromptPhase;
    use crate::reminders::NotificationKind;
    use crate::safety::SafetyAlertKind;
    use crate::share::ShareScope;
    use crate::sync::Role;

    fn round_trips<T: Copy + PartialEq + std::fmt::Debug>(
        all: &[T],
        name: fn(T) -> &'static str,
        back: fn(&str) -> Option<T>,
    ) {
        for &variant in all {
            assert_eq!(back(name(variant)), Some(variant));
        }
        let names: std::collections::HashSet<_> = all.iter().map(|v| name(*v)).collect();
        assert_eq!(names.len(), all.len(), "each name once");
    }

    #[test]
    fn every_stored_name_reads_back_as_its_variant_and_no_other() {
        round_trips(&AppointmentKind::ALL, AppointmentKind::as_str, AppointmentKind::from_stored);
        round_trips(&AppointmentStatus::ALL, AppointmentStatus::as_str, AppointmentStatus::from_stored);
        round_trips(&CareItemKind::ALL, CareItemKind::as_str, CareItemKind::from_stored);
        round_trips(&CourseTemplate::ALL, CourseTemplate::as_str, CourseTemplate::from_stored);
        round_trips(&Instrument::ALL, Instrument::as_str, Instrument::from_stored);
        round_trips(&PromptPhase::ALL, PromptPhase::as_str, PromptPhase::from_stored);
        round_trips(&NotificationKind::ALL, NotificationKind::as_str, NotificationKind::from_stored);
        round_trips(&SafetyAlertKind::ALL, SafetyAlertKind::as_str, SafetyAlertKind::from_stored);
        round_trips(&ShareScope::ALL, ShareScope::as_str, ShareScope::from_stored);
        round_trips(&Role::ALL, Role::as_str, Role::from_stored);
        assert_eq!(AppointmentKind::from_stored("Medical-Check"), None, "user spellings are the CLI's to read");
    }

    #[test]
    fn a_stored_name_waymark_never_wrote_is_a_damaged_row_not_a_guess() {
        let conn = Connection::open_in_memory().unwrap();
        let read = |text: &str| conn.query_row("SELECT ?1", [text], |row| row.get::<_, Role>(0));
        assert_eq!(read("clinician").unwrap(), Role::Clinician);
        assert!(read("admin").is_err());
        assert!(read("Patient").is_err());
        let written: String = conn.query_row("SELECT ?1", [Role::Patient], |row| row.get(0)).unwrap();
        assert_eq!(written, "patient");
    }
}
