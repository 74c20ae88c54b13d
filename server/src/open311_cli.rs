//! `greenwatch-server open311 key add --name NAME`: makes an Open311 API
//! key (32 random bytes, base64url), stores only its SHA-256 under `NAME`,
//! and prints the key once. A lost key cannot be shown again; add another.

use crate::auth::{new_session_token, token_hash};
use crate::clock;
use crate::config::{Open311Command, Open311KeyCommand};
use crate::store::{NewKeyOutcome, Store, StoreError, StoreLocation};

/// The longest key name, in characters.
pub const MAX_KEY_NAME_CHARS: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum Open311CliError {
    #[error("a key name has 1 to {MAX_KEY_NAME_CHARS} characters, no control characters")]
    BadName,
    #[error("an Open311 key named {0:?} already exists")]
    NameTaken(String),
    #[error("cannot create the data folder: {0}")]
    DataDir(std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Random(#[from] crate::auth::PasswordError),
}

/// A key's name: trimmed, 1 to 64 characters, no control characters.
fn key_name(raw: &str) -> Result<&str, Open311CliError> {
    let name = raw.trim();
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_KEY_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(Open311CliError::BadName);
    }
    Ok(name)
}

/// Creates key `name` in the store at `location` and returns the key.
pub async fn add_key(location: &StoreLocation, name: &str) -> Result<String, Open311CliError> {
    let name = key_name(name)?;
    tokio::fs::create_dir_all(&location.data_dir)
        .await
        .map_err(Open311CliError::DataDir)?;
    let store = Store::open(location).await?;
    let key = new_session_token()?;
    let id = uuid::Builder::from_random_bytes(crate::auth::random_bytes::<16>()?)
        .into_uuid()
        .to_string();
    let outcome = store
        .create_open311_key(&id, name, &token_hash(&key), clock::now())
        .await;
    store.close().await;
    match outcome? {
        NewKeyOutcome::Created(_) => Ok(key),
        NewKeyOutcome::NameTaken => Err(Open311CliError::NameTaken(name.to_owned())),
    }
}

/// Runs an `open311` command; prints the key alone on the first line, so
/// scripts can read it.
pub async fn run(
    location: &StoreLocation,
    command: &Open311Command,
) -> Result<String, Open311CliError> {
    match command {
        Open311Command::Key(Open311KeyCommand::Add { name }) => {
            let key = add_key(location, name).await?;
            Ok(format!(
                "{key}\nOpen311 API key for {:?}. It is shown only this once; \
                 only its SHA-256 is stored.",
                name.trim()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_are_trimmed_and_bounded() {
        assert_eq!(key_name("  city app ").unwrap(), "city app");
        assert!(key_name("   ").is_err());
        assert!(key_name("a\nb").is_err());
        assert!(key_name(&"x".repeat(65)).is_err());
    }
}
