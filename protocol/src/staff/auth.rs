//! Staff accounts, roles, login and the answers to a missing or
//! insufficient session.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::report::UnixMillis;
use crate::LocalizedText;

/// What a staff member may do. An administrator may do everything an
/// operator may, and manage staff accounts and read the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Handles cases.
    Operator,
    /// Handles cases, creates staff accounts, reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Operator, Role::Admin];

    /// Whether someone with this role may do what `required` may.
    pub fn allows(self, required: Role) -> bool {
        match required {
            Role::Operator => true,
            Role::Admin => self == Role::Admin,
        }
    }

    /// The stable name, as stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            Role::Operator => "operator",
            Role::Admin => "admin",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }
}

/// A staff login name: 3 to 32 characters of `a-z`, `0-9`, `.`, `_`, `-`,
/// starting with a letter or digit. Stored and compared in lowercase;
/// surrounding whitespace is dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum UsernameError {
    #[error("a username has 3 to 32 characters")]
    Length,
    #[error("a username uses only a-z, 0-9, '.', '_' and '-', and starts with a letter or digit")]
    Characters,
}

impl Username {
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 32;

    pub fn parse(raw: &str) -> Result<Username, UsernameError> {
        let name = raw.trim().to_ascii_lowercase();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&name.chars().count()) {
            return Err(UsernameError::Length);
        }
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c);
        let first_ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !first_ok || !name.chars().all(allowed) {
            return Err(UsernameError::Characters);
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Username {
    type Error = UsernameError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Username::parse(&raw)
    }
}

impl From<Username> for String {
    fn from(name: Username) -> Self {
        name.0
    }
}

impl UsernameError {
    pub fn message(&self) -> LocalizedText {
        LocalizedText::new(
            "用户名须为 3 至 32 个字符，只能使用小写字母、数字和 . _ -，并以字母或数字开头。",
            "A username has 3 to 32 characters: a-z, 0-9, '.', '_' or '-', starting with a letter or digit.",
        )
    }
}

/// The password of a new account: 12 to 256 characters, not only
/// whitespace. (Logging in takes whatever was typed: [`LoginRequest`].)
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NewPassword(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum NewPasswordError {
    #[error("a password has 12 to 256 characters")]
    Length,
}

impl NewPassword {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 256;

    pub fn parse(raw: &str) -> Result<NewPassword, NewPasswordError> {
        let chars = raw.chars().count();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&chars) || raw.trim().is_empty() {
            return Err(NewPasswordError::Length);
        }
        Ok(NewPassword(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

impl TryFrom<String> for NewPassword {
    type Error = NewPasswordError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        NewPassword::parse(&raw)
    }
}

impl From<NewPassword> for String {
    fn from(password: NewPassword) -> Self {
        password.0
    }
}

impl NewPasswordError {
    pub fn message(&self) -> LocalizedText {
        LocalizedText::new(
            "密码须为 12 至 256 个字符。",
            "A password has 12 to 256 characters.",
        )
    }
}

/// `POST /api/v1/staff/login`. Unchecked strings: a wrong name and a wrong
/// password get the same 401, whatever their shape.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

impl fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginRequest")
            .field("username", &self.username)
            .finish_non_exhaustive()
    }
}

/// Who is signed in: the answer to login and `GET /api/v1/staff/me`, and
/// to creating an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMe {
    pub username: Username,
    pub role: Role,
}

/// `POST /api/v1/staff/users` (administrators): a new staff account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStaffUser {
    pub username: Username,
    pub password: NewPassword,
    pub role: Role,
}

/// One line of `GET /api/v1/staff/users` (administrators), oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    pub username: Username,
    pub role: Role,
    pub created_at: UnixMillis,
    /// A disabled account cannot sign in and has no sessions.
    pub disabled: bool,
}

/// Why an account could not be disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DisableError {
    #[error("an administrator cannot disable their own account")]
    Yourself,
    #[error("the last enabled administrator cannot be disabled")]
    LastAdmin,
}

impl DisableError {
    pub fn message(self) -> LocalizedText {
        match self {
            DisableError::Yourself => LocalizedText::new(
                "不能停用自己的账号。",
                "You cannot disable your own account.",
            ),
            DisableError::LastAdmin => LocalizedText::new(
                "至少须保留一个启用的管理员账号。",
                "At least one enabled administrator must remain.",
            ),
        }
    }
}

/// Whether `target` may be disabled by `by`: never oneself, never the last
/// enabled administrator (`enabled_admins` counts the enabled ones,
/// `target` included if it is one).
pub fn may_disable(
    by: &Username,
    target: &Username,
    target_role: Role,
    enabled_admins: u64,
) -> Result<(), DisableError> {
    if by == target {
        return Err(DisableError::Yourself);
    }
    if target_role == Role::Admin && enabled_admins <= 1 {
        return Err(DisableError::LastAdmin);
    }
    Ok(())
}

/// The codes of the staff API's 401 and 403 answers, in the same
/// `{code, message}` body as [`ApiError`](crate::ApiError).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthErrorCode {
    /// No session, an expired one, or a failed login: 401.
    Unauthorized,
    /// A session whose role may not do this: 403.
    Forbidden,
}

impl AuthErrorCode {
    pub fn status(self) -> u16 {
        match self {
            AuthErrorCode::Unauthorized => 401,
            AuthErrorCode::Forbidden => 403,
        }
    }

    pub fn message(self) -> LocalizedText {
        match self {
            AuthErrorCode::Unauthorized => LocalizedText::new(
                "请先登录，或登录已过期。",
                "Please sign in; no session, or it has expired.",
            ),
            AuthErrorCode::Forbidden => {
                LocalizedText::new("您的账号无权执行此操作。", "Your account may not do this.")
            }
        }
    }

    /// The message of a failed login: the same for an unknown name and a
    /// wrong password.
    pub fn bad_credentials() -> LocalizedText {
        LocalizedText::new("用户名或密码不正确。", "Wrong username or password.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admins_may_do_what_operators_may() {
        assert!(Role::Admin.allows(Role::Operator));
        assert!(Role::Admin.allows(Role::Admin));
        assert!(Role::Operator.allows(Role::Operator));
        assert!(!Role::Operator.allows(Role::Admin));
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
            let json = serde_json::to_string(&role).expect("serialise");
            assert_eq!(json, format!("\"{}\"", role.code()));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn usernames_are_lowercase_and_plain() {
        assert_eq!(
            Username::parse("  Zhang.Wei ").expect("ok").as_str(),
            "zhang.wei"
        );
        assert_eq!(Username::parse("ab"), Err(UsernameError::Length));
        assert_eq!(Username::parse(&"a".repeat(33)), Err(UsernameError::Length));
        for bad in ["-abc", "a b c", "张伟伟", "abc/def", "ab;c"] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Username>("\"x\"").is_err());
    }

    #[test]
    fn new_passwords_have_a_length_and_never_print() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse(&" ".repeat(20)).is_err());
        assert!(NewPassword::parse(&"x".repeat(257)).is_err());
        let password = NewPassword::parse("correct horse battery").expect("ok");
        assert!(!format!("{password:?}").contains("horse"));
        let login = LoginRequest {
            username: "a".into(),
            password: "secret-words".into(),
        };
        assert!(!format!("{login:?}").contains("secret"));
    }

    #[test]
    fn nobody_disables_themself_or_the_last_admin() {
        let a = Username::parse("admin").expect("ok");
        let b = Username::parse("boss").expect("ok");
        let op = Username::parse("operator").expect("ok");
        assert_eq!(
            may_disable(&a, &a, Role::Admin, 2),
            Err(DisableError::Yourself)
        );
        assert_eq!(
            may_disable(&a, &b, Role::Admin, 1),
            Err(DisableError::LastAdmin)
        );
        assert_eq!(may_disable(&a, &b, Role::Admin, 2), Ok(()));
        assert_eq!(may_disable(&a, &op, Role::Operator, 1), Ok(()));
    }

    #[test]
    fn auth_codes_have_statuses_and_messages() {
        assert_eq!(AuthErrorCode::Unauthorized.status(), 401);
        assert_eq!(AuthErrorCode::Forbidden.status(), 403);
        assert_eq!(
            serde_json::to_string(&AuthErrorCode::Unauthorized).expect("json"),
            "\"unauthorized\""
        );
        for code in [AuthErrorCode::Unauthorized, AuthErrorCode::Forbidden] {
            assert!(!code.message().zh_cn.is_empty() && !code.message().en.is_empty());
        }
    }
}
