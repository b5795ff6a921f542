//! Device SRP, as amazon-cognito-identity-js 6.x does it: the verifier ConfirmDevice registers
//! and the DEVICE_PASSWORD_VERIFIER answer. Pure: the random bytes and the clock come in.
//!
//! - ConfirmDevice sends `v = g^x`, `x = H(bytes(hex(salt)) ‖ H(deviceGroupKey ‖ deviceKey ‖ ":" ‖
//!   password))` (`generateHashDevice`), the password being `base64` of 40 random bytes and the
//!   salt 16 more.
//! - DEVICE_PASSWORD_VERIFIER is answered exactly as PASSWORD_VERIFIER with `deviceGroupKey` for
//!   the pool name, `deviceKey` for the user id and the device password.

use crate::prelude::*;
use cognito_wasm_modexp::Uint;
use zeroize::Zeroize;

use super::group::Group;
use super::hex::to_signed_bytes;
use super::{
    compute_x, respond_to_password_verifier, ClientEphemeral, PasswordVerifierChallenge, SrpError,
};
use crate::map::VecMap;
use crate::secret::SecretString;

/// ConfirmDevice's `DeviceSecretVerifierConfig` and the password it was made from.
#[derive(Debug, Clone)]
pub struct DeviceVerifier {
    pub password: SecretString,
    /// `base64(bytes(hex(salt)))`.
    pub salt: String,
    /// `base64(bytes(hex(v)))`.
    pub password_verifier: String,
}

/// Length of the device password's random bytes and of the salt (amazon-cognito-identity-js).
pub const PASSWORD_BYTES: usize = 40;
pub const SALT_BYTES: usize = 16;
/// Random bytes one device verifier takes: the password's, then the salt's.
pub const RANDOM_BYTES: usize = PASSWORD_BYTES + SALT_BYTES;

/// The verifier of `password` for a device, with `salt` as big-endian bytes
/// (`generateHashDevice`: leading zero bytes of the salt do not count).
pub fn device_verifier(
    device_group_key: &str,
    device_key: &str,
    password: &SecretString,
    salt: &[u8],
) -> Result<DeviceVerifier, SrpError> {
    let salt = Uint::from_bytes_be(salt);
    let x = compute_x(&salt, device_group_key, device_key, password);
    let v = Group::cognito()?.pow_g(&x);
    Ok(DeviceVerifier {
        password: password.clone(),
        salt: crate::b64::encode(&to_signed_bytes(&salt)),
        password_verifier: crate::b64::encode(&to_signed_bytes(&v)),
    })
}

/// The device password `base64(random[..40])` and salt `random[40..]`, and their verifier.
pub fn device_verifier_from_random(
    device_group_key: &str,
    device_key: &str,
    random: &[u8; RANDOM_BYTES],
) -> Result<DeviceVerifier, SrpError> {
    let (password, salt) = random.split_at(PASSWORD_BYTES);
    let password = SecretString::new(crate::b64::encode(password));
    device_verifier(device_group_key, device_key, &password, salt)
}

/// [`device_verifier_from_random`] over the platform's CSPRNG.
pub fn random_device_verifier(
    device_group_key: &str,
    device_key: &str,
) -> Result<DeviceVerifier, SrpError> {
    let mut bytes = [0u8; RANDOM_BYTES];
    if getrandom::fill(&mut bytes).is_err() {
        return Err(SrpError::RandomSource);
    }
    let verifier = device_verifier_from_random(device_group_key, device_key, &bytes);
    bytes.zeroize();
    verifier
}

/// The DEVICE_PASSWORD_VERIFIER `ChallengeResponses` (without `SECRET_HASH`) at `unix_seconds`:
/// PASSWORD_VERIFIER's math with `device_group_key` as the pool name and `device_key` as the user
/// id, plus `USERNAME` and `DEVICE_KEY`.
pub fn respond_to_device_password_verifier(
    username: &str,
    device_key: &str,
    device_group_key: &str,
    device_password: &SecretString,
    ephemeral: &ClientEphemeral,
    parameters: &VecMap<String, String>,
    unix_seconds: u64,
) -> Result<VecMap<String, String>, SrpError> {
    let mut parameters = parameters.clone();
    parameters.insert("USER_ID_FOR_SRP".into(), device_key.to_owned());
    let challenge = PasswordVerifierChallenge::from_parameters(&parameters)?;
    let response = respond_to_password_verifier(
        device_group_key,
        device_password,
        ephemeral,
        &challenge,
        unix_seconds,
    )?;
    let mut responses = response.into_parameters();
    responses.insert("USERNAME".into(), username.to_owned());
    responses.insert("DEVICE_KEY".into(), device_key.to_owned());
    Ok(responses)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::{compute_premaster_secret, compute_u, derive_key, password_signature};
    use base64::Engine;
    use num_bigint::BigUint;

    fn big(x: &Uint) -> BigUint {
        BigUint::from_bytes_be(x.as_bytes_be())
    }

    fn uint(x: &BigUint) -> Uint {
        Uint::from_bytes_be(&x.to_bytes_be())
    }

    #[test]
    fn verifier_is_generate_hash_device() {
        let password = SecretString::from("pw");
        let salt = [0u8, 0x80, 1, 2];
        let v = device_verifier("-group", "us-east-1_dev", &password, &salt).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        // Leading zero bytes dropped, then 00 prepended as the top bit is set.
        assert_eq!(b64.decode(&v.salt).unwrap(), vec![0, 0x80, 1, 2]);
        let salt_int = Uint::from_bytes_be(&salt);
        let x = compute_x(&salt_int, "-group", "us-east-1_dev", &password);
        let expected = Group::cognito().unwrap().pow_g(&x);
        assert_eq!(
            Uint::from_bytes_be(&b64.decode(&v.password_verifier).unwrap()),
            expected
        );
    }

    #[test]
    fn verifier_from_random_splits_password_and_salt() {
        let mut random = [7u8; RANDOM_BYTES];
        random[PASSWORD_BYTES] = 0x80;
        let v = device_verifier_from_random("g", "k", &random).unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        assert_eq!(
            b64.decode(v.password.expose_secret()).unwrap(),
            vec![7u8; PASSWORD_BYTES]
        );
        let mut salt = vec![0u8, 0x80];
        salt.extend([7u8; SALT_BYTES - 1]);
        assert_eq!(b64.decode(&v.salt).unwrap(), salt);
    }

    #[test]
    fn device_answer_verifies_against_the_verifier() {
        // Server side of SRP with the device verifier: S = (A·v^u)^b.
        let verifier = random_device_verifier("-grp", "dk").unwrap();
        let b64 = base64::engine::general_purpose::STANDARD;
        // The server's side in num-bigint, independently of the kernel.
        let v = BigUint::from_bytes_be(&b64.decode(&verifier.password_verifier).unwrap());
        let salt = BigUint::from_bytes_be(&b64.decode(&verifier.salt).unwrap());
        let group = Group::cognito().unwrap();
        let (n, k) = (big(&group.n), big(&group.k));
        let b = BigUint::from(123_456_789u64);
        let big_b = (&k * &v + BigUint::from(2u32).modpow(&b, &n)) % &n;
        let ephemeral = ClientEphemeral::random().unwrap();
        let params = VecMap::from([
            ("SALT".to_owned(), salt.to_str_radix(16)),
            ("SRP_B".to_owned(), big_b.to_str_radix(16)),
            ("SECRET_BLOCK".to_owned(), b64.encode(b"block")),
            ("USERNAME".to_owned(), "alice".to_owned()),
        ]);
        let r = respond_to_device_password_verifier(
            "alice",
            "dk",
            "-grp",
            &verifier.password,
            &ephemeral,
            &params,
            0,
        )
        .unwrap();
        assert_eq!(
            (r["USERNAME"].as_str(), r["DEVICE_KEY"].as_str()),
            ("alice", "dk")
        );
        let u = compute_u(ephemeral.public(), &uint(&big_b)).unwrap();
        let s_server = ((big(ephemeral.public()) * v.modpow(&big(&u), &n)) % &n).modpow(&b, &n);
        let s_server = uint(&s_server);
        let key = derive_key(&u, &s_server);
        let expected = password_signature(&key, "-grp", "dk", b"block", &r["TIMESTAMP"]);
        assert_eq!(r["PASSWORD_CLAIM_SIGNATURE"], expected);
        // The client's own S agrees.
        let x = compute_x(&uint(&salt), "-grp", "dk", &verifier.password);
        let s_client = compute_premaster_secret(&ephemeral, &uint(&big_b), &u, &x).unwrap();
        assert_eq!(s_client, s_server);
    }
}
