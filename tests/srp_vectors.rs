//! Every field of every reference vector (`srp-vectors.json`, produced by
//! amazon-cognito-identity-js 6.3.21, the client real Cognito accepts), natively and in wasm.

use cognito_wasm::map::VecMap;
use cognito_wasm::secret::{SecretBytes, SecretString};
use cognito_wasm::srp::{
    compute_premaster_secret, compute_u, compute_x, derive_key, format_timestamp, group::Group,
    hex::to_hex, password_signature, respond_to_password_verifier, ClientEphemeral,
    PasswordVerifierChallenge,
};
use serde::Deserialize;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

#[derive(Deserialize)]
struct VectorFile {
    k: String,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Vector {
    user_pool_id: String,
    user_id_for_srp: String,
    password: String,
    a: String,
    #[serde(rename = "A")]
    big_a: String,
    salt: String,
    #[serde(rename = "B")]
    big_b: String,
    secret_block: String,
    timestamp: String,
    u: String,
    x: String,
    #[serde(rename = "S")]
    big_s: String,
    key: String,
    signature: String,
}

fn load() -> VectorFile {
    serde_json::from_str(include_str!("srp-vectors.json")).expect("srp-vectors.json parses")
}

fn bytes(hex: &str) -> Vec<u8> {
    assert_eq!(hex.len() % 2, 0, "odd hex {hex}");
    (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).expect("hex digit"))
        .collect()
}

fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Seconds since the epoch of a vector's `Www Mmm D HH:MM:SS UTC YYYY`, found by search so the
/// test does not reuse the formatter it checks: the formatter must then map it back exactly.
fn parse_timestamp(text: &str) -> u64 {
    let fields: Vec<&str> = text.split(' ').collect();
    assert_eq!(fields.len(), 6, "{text}");
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = months.iter().position(|m| *m == fields[1]).expect("month") as u64 + 1;
    let day: u64 = fields[2].parse().expect("day");
    let year: u64 = fields[5].parse().expect("year");
    let hms: Vec<u64> = fields[3]
        .split(':')
        .map(|f| f.parse().expect("time"))
        .collect();
    let is_leap = |y: u64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days = (1970..year)
        .map(|y| if is_leap(y) { 366 } else { 365 })
        .sum::<u64>();
    let lengths = [
        31,
        if is_leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    days += lengths[..(month - 1) as usize].iter().sum::<u64>() + day - 1;
    days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2]
}

#[test]
fn k_matches_the_vectors() {
    let k = &Group::cognito().unwrap().k;
    assert_eq!(
        num_bigint::BigUint::from_bytes_be(k.as_bytes_be()).to_str_radix(16),
        load().k
    );
}

#[test]
fn every_intermediate_value_of_every_vector() {
    let file = load();
    assert_eq!(file.vectors.len(), 64);
    for (i, v) in file.vectors.iter().enumerate() {
        let pool_name = v.user_pool_id.split_once('_').expect("pool id has _").1;
        let password = SecretString::new(v.password.clone());
        let mut a_hex = v.a.clone();
        if a_hex.len() % 2 == 1 {
            a_hex.insert(0, '0');
        }
        let ephemeral = ClientEphemeral::from_secret(SecretBytes::new(bytes(&a_hex))).expect("a");
        assert_eq!(ephemeral.public_hex(), v.big_a, "vector {i}: A");

        let parameters: VecMap<String, String> = [
            ("SALT", v.salt.as_str()),
            ("SRP_B", v.big_b.as_str()),
            ("SECRET_BLOCK", v.secret_block.as_str()),
            ("USER_ID_FOR_SRP", v.user_id_for_srp.as_str()),
            ("USERNAME", v.user_id_for_srp.as_str()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let challenge = PasswordVerifierChallenge::from_parameters(&parameters).expect("challenge");

        let u = compute_u(ephemeral.public(), &challenge.server_public).expect("u");
        assert_eq!(to_hex(&u), v.u, "vector {i}: u");
        let x = compute_x(&challenge.salt, pool_name, &v.user_id_for_srp, &password);
        assert_eq!(to_hex(&x), v.x, "vector {i}: x");
        let s = compute_premaster_secret(&ephemeral, &challenge.server_public, &u, &x).expect("S");
        assert_eq!(to_hex(&s), v.big_s, "vector {i}: S");
        let key = derive_key(&u, &s);
        assert_eq!(lower_hex(key.expose_secret()), v.key, "vector {i}: key");

        let now = parse_timestamp(&v.timestamp);
        assert_eq!(format_timestamp(now), v.timestamp, "vector {i}: TIMESTAMP");
        let signature = password_signature(
            &key,
            pool_name,
            &v.user_id_for_srp,
            &challenge.secret_block_bytes,
            &v.timestamp,
        );
        assert_eq!(signature, v.signature, "vector {i}: signature");

        let response =
            respond_to_password_verifier(pool_name, &password, &ephemeral, &challenge, now)
                .expect("response");
        assert_eq!(response.username, v.user_id_for_srp, "vector {i}: USERNAME");
        assert_eq!(
            response.secret_block, v.secret_block,
            "vector {i}: secret block"
        );
        assert_eq!(response.timestamp, v.timestamp, "vector {i}: TIMESTAMP");
        assert_eq!(response.signature, v.signature, "vector {i}: signature");
    }
}
