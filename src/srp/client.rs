//! The client's side of one USER_SRP_AUTH sign-in, one pure function per step.

use crate::prelude::*;
use core::fmt;

use cognito_wasm_modexp::Uint;
use zeroize::Zeroize;

use super::challenge::{PasswordVerifierChallenge, PasswordVerifierResponse};
use super::group::Group;
use super::hex::{to_hex, to_signed_bytes};
use super::timestamp::format_timestamp;
use super::SrpError;
use crate::crypto::{hmac_sha256, sha256};
use crate::secret::{SecretBytes, SecretString};

/// The client's ephemeral pair: the secret `a` and `A = g^a mod N`.
///
/// `a` is kept as zeroized bytes. The integer and limb temporaries of the exponentiations that use
/// it are freed, not wiped.
#[derive(Debug)]
pub struct ClientEphemeral {
    secret: SecretBytes,
    public: Uint,
}

impl ClientEphemeral {
    /// Length of a fresh `a`: 256 bits, as RFC 5054 and Cognito's own clients require at least.
    pub const SECRET_BYTES: usize = 32;

    /// A fresh `a` from the platform's CSPRNG (`crypto.getRandomValues` under wasm).
    pub fn random() -> Result<Self, SrpError> {
        Self::from_random(os_random)
    }

    /// A fresh `a` from the random source `fill`.
    pub(crate) fn from_random(
        fill: fn(&mut [u8]) -> Result<(), SrpError>,
    ) -> Result<Self, SrpError> {
        let mut bytes = vec![0u8; Self::SECRET_BYTES];
        if let Err(e) = fill(&mut bytes) {
            bytes.zeroize();
            return Err(e);
        }
        Self::from_secret(SecretBytes::new(bytes))
    }

    /// `A = g^a mod N` for a caller-supplied big-endian `a`; refuses `a = 0` (it gives `A = 1`).
    pub fn from_secret(a: SecretBytes) -> Result<Self, SrpError> {
        let exponent = Uint::from_bytes_be(a.expose_secret());
        if exponent.is_zero() {
            return Err(SrpError::InvalidClientSecret);
        }
        let public = Group::cognito()?.pow_g(&exponent);
        if public.is_zero() {
            return Err(SrpError::InvalidClientSecret);
        }
        Ok(ClientEphemeral { secret: a, public })
    }

    /// `A`.
    pub fn public(&self) -> &Uint {
        &self.public
    }

    /// `hex(A)`, the `SRP_A` auth parameter.
    pub fn public_hex(&self) -> String {
        to_hex(&self.public)
    }

    fn secret_exponent(&self) -> Uint {
        Uint::from_bytes_be(self.secret.expose_secret())
    }
}

/// The platform's CSPRNG (`crypto.getRandomValues` under wasm).
pub(crate) fn os_random(buffer: &mut [u8]) -> Result<(), SrpError> {
    getrandom::fill(buffer).map_err(|_| SrpError::RandomSource)
}

/// `u = H(bytes(hex(A) ‖ hex(B)))`; refuses `u = 0`.
pub fn compute_u(client_public: &Uint, server_public: &Uint) -> Result<Uint, SrpError> {
    scrambler_from_digest(&sha256(&[
        &to_signed_bytes(client_public),
        &to_signed_bytes(server_public),
    ]))
}

/// `u` read from its digest; refuses `u = 0` (separate so that refusal can be tested: no SHA-256
/// preimage of zero is known).
pub fn scrambler_from_digest(digest: &[u8; 32]) -> Result<Uint, SrpError> {
    let u = Uint::from_bytes_be(digest);
    if u.is_zero() {
        return Err(SrpError::ZeroScrambler);
    }
    Ok(u)
}

/// `x = H(bytes(hex(salt)) ‖ H(utf8(poolName ‖ userId ‖ ":" ‖ password)))`.
pub fn compute_x(salt: &Uint, pool_name: &str, user_id: &str, password: &SecretString) -> Uint {
    let mut identity = sha256(&[
        pool_name.as_bytes(),
        user_id.as_bytes(),
        b":",
        password.expose_secret().as_bytes(),
    ]);
    let x = Uint::from_bytes_be(&sha256(&[&to_signed_bytes(salt), &identity]));
    identity.zeroize();
    x
}

/// `S = ((B − k·g^x) mod N)^(a + u·x) mod N`, after refusing `B ≡ 0 (mod N)` and `B ≥ N`.
///
/// The base is taken as `B + N − (k·g^x mod N)`, in `(0, 2N)`, and reduced by the
/// exponentiation; the exponent `a + u·x` is the plain integer (not reduced).
pub fn compute_premaster_secret(
    ephemeral: &ClientEphemeral,
    server_public: &Uint,
    u: &Uint,
    x: &Uint,
) -> Result<Uint, SrpError> {
    let group = Group::cognito()?;
    if server_public.is_zero() || server_public >= &group.n {
        return Err(SrpError::InvalidServerPublicKey);
    }
    let k_gx = group.mul(&group.k, &group.pow_g(x));
    let base = server_public
        .add(&group.n)
        .checked_sub(&k_gx)
        .ok_or(SrpError::Arithmetic)?;
    let exponent = ephemeral.secret_exponent().add(&u.mul(x));
    Ok(group.pow(&base, &exponent))
}

/// The 16-byte key `K` derived from `S` (HKDF-SHA-256 with one output block, truncated).
#[derive(Clone, PartialEq, Eq)]
pub struct SessionKey([u8; 16]);

impl SessionKey {
    pub fn expose_secret(&self) -> &[u8; 16] {
        &self.0
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Drop for SessionKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// `prk = HMAC(bytes(hex(u)), bytes(hex(S)))`, `K = HMAC(prk, "Caldera Derived Key" ‖ 0x01)[..16]`.
pub fn derive_key(u: &Uint, premaster_secret: &Uint) -> SessionKey {
    let mut prk = hmac_sha256(&to_signed_bytes(u), &[&to_signed_bytes(premaster_secret)]);
    let mut okm = hmac_sha256(&prk, &[b"Caldera Derived Key", &[1]]);
    let mut key = [0u8; 16];
    key.copy_from_slice(&okm[..16]);
    prk.zeroize();
    okm.zeroize();
    SessionKey(key)
}

/// `base64(HMAC(K, utf8(poolName) ‖ utf8(userId) ‖ secretBlock ‖ utf8(timestamp)))`.
pub fn password_signature(
    key: &SessionKey,
    pool_name: &str,
    user_id: &str,
    secret_block: &[u8],
    timestamp: &str,
) -> String {
    let mac = hmac_sha256(
        key.expose_secret(),
        &[
            pool_name.as_bytes(),
            user_id.as_bytes(),
            secret_block,
            timestamp.as_bytes(),
        ],
    );
    crate::b64::encode(&mac)
}

/// The whole PASSWORD_VERIFIER answer at `unix_seconds`, for the user `USER_ID_FOR_SRP` names.
pub fn respond_to_password_verifier(
    pool_name: &str,
    password: &SecretString,
    ephemeral: &ClientEphemeral,
    challenge: &PasswordVerifierChallenge,
    unix_seconds: u64,
) -> Result<PasswordVerifierResponse, SrpError> {
    let user_id = challenge.user_id_for_srp.as_str();
    let u = compute_u(ephemeral.public(), &challenge.server_public)?;
    let x = compute_x(&challenge.salt, pool_name, user_id, password);
    let premaster_secret = compute_premaster_secret(ephemeral, &challenge.server_public, &u, &x)?;
    let key = derive_key(&u, &premaster_secret);
    let timestamp = format_timestamp(unix_seconds);
    let signature = password_signature(
        &key,
        pool_name,
        user_id,
        &challenge.secret_block_bytes,
        &timestamp,
    );
    Ok(PasswordVerifierResponse {
        username: user_id.to_owned(),
        secret_block: challenge.secret_block.clone(),
        timestamp,
        signature,
    })
}
