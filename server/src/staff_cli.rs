//! `greenwatch-server staff add --username NAME --role admin|operator`:
//! creates a staff account (the first administrator too) in the store's
//! database (the data folder's, or `--database-url`), the password read from standard input. The audit log
//! records it as done from the command line.

use std::io::BufRead;

use protocol::staff::{NewPassword, Role, StaffMe, Username};

use crate::auth::hash_password;
use crate::clock;
use crate::config::StaffCommand;
use crate::store::{AuditActor, NewUserOutcome, Store, StoreError, StoreLocation};

#[derive(Debug, thiserror::Error)]
pub enum StaffCliError {
    #[error("{}", .0.message().en)]
    Username(#[from] protocol::staff::UsernameError),
    #[error("{}", .0.message().en)]
    Password(#[from] protocol::staff::NewPasswordError),
    #[error("a staff account named {0} already exists")]
    NameTaken(Username),
    #[error("cannot read the password from standard input: {0}")]
    Stdin(std::io::Error),
    #[error("cannot create the data folder: {0}")]
    DataDir(std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Hash(#[from] crate::auth::PasswordError),
}

/// The first line of `input`, without its line ending.
pub fn read_password(mut input: impl BufRead) -> Result<String, StaffCliError> {
    let mut line = String::new();
    input.read_line(&mut line).map_err(StaffCliError::Stdin)?;
    while line.ends_with(['\n', '\r']) {
        line.pop();
    }
    Ok(line)
}

/// Creates account `username` with `role` and `password` in the store
/// at `location` (created and migrated if needed).
pub async fn add_staff_user(
    location: &StoreLocation,
    username: &str,
    role: Role,
    password: &str,
) -> Result<StaffMe, StaffCliError> {
    let username = Username::parse(username)?;
    let password = NewPassword::parse(password)?;
    tokio::fs::create_dir_all(&location.data_dir)
        .await
        .map_err(StaffCliError::DataDir)?;
    let store = Store::open(location).await?;
    let hash = hash_password(password.expose())?;
    let outcome = store
        .create_staff_user(
            &username,
            &hash,
            role,
            AuditActor::CommandLine,
            clock::now(),
        )
        .await;
    store.close().await;
    match outcome? {
        NewUserOutcome::Created(user) => Ok(StaffMe {
            username: user.username,
            role: user.role,
        }),
        NewUserOutcome::NameTaken => Err(StaffCliError::NameTaken(username)),
    }
}

/// Runs a `staff` command; what to print goes to stdout / stderr.
pub async fn run(
    location: &StoreLocation,
    command: &StaffCommand,
) -> Result<String, StaffCliError> {
    match command {
        StaffCommand::Add { username, role, .. } => {
            if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
                eprintln!("Password (one line; it will be shown as typed, better pipe it in):");
            }
            let password = read_password(std::io::stdin().lock())?;
            let me = add_staff_user(location, username, Role::from(*role), &password).await?;
            Ok(format!(
                "Created staff account {} ({}).",
                me.username,
                me.role.code()
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_the_first_line_without_its_ending() {
        let read = |input: &str| read_password(input.as_bytes()).expect("read");
        assert_eq!(read("secret words here\r\nmore"), "secret words here");
        assert_eq!(read(" spaces kept \n"), " spaces kept ");
        assert_eq!(read(""), "");
    }
}
