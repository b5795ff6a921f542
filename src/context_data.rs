//! Threat-protection context (`UserContextData`): what the app's provider gives per request, and
//! where it is written.

use crate::json::Writer;
use crate::prelude::*;

/// `UserContextData { IpAddress?, EncodedData? }` of one request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserContextData {
    pub ip_address: Option<String>,
    /// What Amazon's advanced-security script computes (`getData(username, poolId, clientId)`).
    pub encoded_data: Option<String>,
}

impl UserContextData {
    fn is_empty(&self) -> bool {
        self.ip_address.is_none() && self.encoded_data.is_none()
    }
}

/// Called per request with the username the request is about; `None` sends nothing.
pub type ContextFn<'f> = dyn Fn(&str) -> Option<UserContextData> + 'f;

/// The client's provider.
pub type ContextProvider = Box<ContextFn<'static>>;

/// A borrowed [`ContextProvider`], or none: what a sign-in asks per request.
#[derive(Clone, Copy, Default)]
pub struct ContextSource<'a>(pub Option<&'a ContextFn<'a>>);

impl ContextSource<'_> {
    /// The provider's context for a request about `username`.
    pub fn for_user(&self, username: &str) -> Option<UserContextData> {
        self.0.and_then(|provider| provider(username))
    }
}

impl core::fmt::Debug for ContextSource<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(if self.0.is_some() {
            "ContextSource(provider)"
        } else {
            "ContextSource(none)"
        })
    }
}

/// `"UserContextData":{…}` when there is something to send.
pub fn write_user_context(w: &mut Writer, context: Option<&UserContextData>) {
    let Some(context) = context.filter(|c| !c.is_empty()) else {
        return;
    };
    w.begin_object("UserContextData");
    w.opt_string("EncodedData", context.encoded_data.as_deref());
    w.opt_string("IpAddress", context.ip_address.as_deref());
    w.end_object();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_only_when_not_empty() {
        let mut w = Writer::object();
        write_user_context(&mut w, Some(&UserContextData::default()));
        write_user_context(&mut w, None);
        assert_eq!(w.finish(), "{}");
        let mut w = Writer::object();
        let context = UserContextData {
            ip_address: Some("192.0.2.1".into()),
            encoded_data: Some("e\"".into()),
        };
        write_user_context(&mut w, Some(&context));
        assert_eq!(
            w.finish(),
            r#"{"UserContextData":{"EncodedData":"e\"","IpAddress":"192.0.2.1"}}"#
        );
    }
}
