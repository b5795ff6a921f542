//! Secret values: wiped from memory on drop, never printed.
//!
//! `Debug` prints `[redacted]` so a secret inside a struct cannot leak through `{:?}`, a log line
//! or an error message. Reading the value takes an explicit, greppable `expose_secret()`.

use crate::prelude::*;
use core::fmt;
use zeroize::Zeroize;

/// A secret string: a password, a client secret, a token or a confirmation code.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(value.into())
    }

    /// The secret itself. Call it only where the value is sent or hashed.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        SecretString(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        SecretString(value.to_owned())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for SecretString {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Secret bytes: an SRP exponent or a derived key.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretBytes(Vec<u8>);

impl SecretBytes {
    pub fn new(value: Vec<u8>) -> Self {
        SecretBytes(value)
    }

    /// The secret itself. Call it only where the value is used in a computation.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for SecretBytes {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_the_value() {
        let password = SecretString::new("hunter2-Ω");
        let key = SecretBytes::new(vec![0xde, 0xad]);
        assert_eq!(format!("{password:?}"), "[redacted]");
        assert_eq!(format!("{key:?}"), "[redacted]");
        assert_eq!(password.expose_secret(), "hunter2-Ω");
        assert_eq!(key.expose_secret(), &[0xde, 0xad]);
    }
}
