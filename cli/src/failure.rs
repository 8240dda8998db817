//! Why a command failed, and so which exit code it gets.

use waymark_core::{StorageFailure, WaymarkError};

/// Why a command failed, and so which exit code it gets.
#[derive(Debug)]
pub enum Failure {
    Input(String),
    Other(String),
}

impl Failure {
    pub fn input(message: impl Into<String>) -> Self {
        Failure::Input(message.into())
    }

    pub fn other(message: impl Into<String>) -> Self {
        Failure::Other(message.into())
    }

    pub fn message(&self) -> &str {
        let (Failure::Input(message) | Failure::Other(message)) = self;
        message
    }
}

/// A wrong key or a refused request is the user's input (exit 2); any other
/// storage failure is not.
impl<E: Into<WaymarkError>> From<E> for Failure {
    fn from(error: E) -> Self {
        let error = error.into();
        match error.storage_failure() {
            None | Some(StorageFailure::WrongKey) => Failure::input(error.to_string()),
            Some(_) => Failure::other(error.to_string()),
        }
    }
}
