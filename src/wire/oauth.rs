//! The hosted UI's JSON: `/oauth2/token` answers and the pending request this client stores.

use super::FromJson;
use crate::json::{fields, DecodeError, Value, Writer};
use crate::prelude::*;

/// A successful `/oauth2/token` answer.
pub struct TokenBody {
    pub access_token: String,
    pub id_token: Option<String>,
    pub refresh_token: Option<String>,
    pub expires_in: Option<u64>,
    pub token_type: Option<String>,
}

impl FromJson for TokenBody {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct TokenBody")?;
        Ok(TokenBody {
            access_token: f.string("access_token")?,
            id_token: f.opt_string("id_token")?,
            refresh_token: f.opt_string("refresh_token")?,
            expires_in: f.opt_u64("expires_in")?,
            token_type: f.opt_string("token_type")?,
        })
    }
}

/// An `/oauth2/token` refusal: `{error, error_description}`.
pub struct OAuthErrorBody {
    pub error: Option<String>,
    pub error_description: Option<String>,
}

impl FromJson for OAuthErrorBody {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct OAuthErrorBody")?;
        Ok(OAuthErrorBody {
            error: f.opt_string("error")?,
            error_description: f.opt_string("error_description")?,
        })
    }
}

/// The stored hosted-UI request under way: `{state, verifier, redirectUri, customState?}`.
pub struct StoredPending {
    pub state: String,
    pub verifier: String,
    pub redirect_uri: String,
    pub custom_state: Option<String>,
}

impl StoredPending {
    pub fn to_json(&self) -> String {
        let mut w = Writer::object();
        w.string("state", &self.state);
        w.string("verifier", &self.verifier);
        w.string("redirectUri", &self.redirect_uri);
        w.opt_string("customState", self.custom_state.as_deref());
        w.finish()
    }
}

impl FromJson for StoredPending {
    fn from_json(value: &Value) -> Result<Self, DecodeError> {
        let f = fields(value, "struct StoredPending")?;
        Ok(StoredPending {
            state: f.string("state")?,
            verifier: f.string("verifier")?,
            redirect_uri: f.string("redirectUri")?,
            custom_state: f.opt_string("customState")?,
        })
    }
}
