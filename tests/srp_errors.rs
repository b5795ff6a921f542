//! Every server answer the SRP core refuses gives its typed error, natively and in wasm.

use cognito_wasm::map::VecMap;
use cognito_wasm::secret::{SecretBytes, SecretString};
use cognito_wasm::srp::{
    compute_premaster_secret, compute_u, group::Group, hex::to_hex, respond_to_password_verifier,
    scrambler_from_digest, ClientEphemeral, PasswordVerifierChallenge, SrpError, Uint,
};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn parameters(overrides: &[(&str, Option<&str>)]) -> VecMap<String, String> {
    let mut map: VecMap<String, String> = [
        ("SALT", "00e3a1"),
        ("SRP_B", "0123456789abcdef"),
        ("SECRET_BLOCK", "c2VjcmV0LWJsb2Nr"),
        ("USER_ID_FOR_SRP", "alice"),
        ("USERNAME", "alice"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    for (key, value) in overrides {
        match value {
            Some(value) => map.insert((*key).to_owned(), (*value).to_owned()),
            None => map.remove(*key),
        };
    }
    map
}

fn parse(overrides: &[(&str, Option<&str>)]) -> Result<PasswordVerifierChallenge, SrpError> {
    PasswordVerifierChallenge::from_parameters(&parameters(overrides))
}

fn ephemeral() -> ClientEphemeral {
    ClientEphemeral::from_secret(SecretBytes::new(vec![7; 32])).expect("a = 0x0707…")
}

#[test]
fn a_well_formed_challenge_parses() {
    let challenge = parse(&[]).expect("parses");
    assert_eq!(challenge.salt, Uint::from(0xe3a1));
    assert_eq!(challenge.secret_block_bytes, b"secret-block");
    assert_eq!(challenge.user_id_for_srp, "alice");
}

#[test]
fn missing_parameters() {
    for field in ["SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"] {
        assert_eq!(
            parse(&[(field, None)]),
            Err(SrpError::MissingParameter { field })
        );
    }
    assert_eq!(
        parse(&[("USER_ID_FOR_SRP", Some(""))]),
        Err(SrpError::MissingParameter {
            field: "USER_ID_FOR_SRP"
        })
    );
}

#[test]
fn non_hex_salt_and_b() {
    for bad in ["", "-00ab", "xyz", "12 34", "0x12"] {
        assert_eq!(
            parse(&[("SALT", Some(bad))]),
            Err(SrpError::InvalidHex { field: "SALT" }),
            "{bad:?}"
        );
        assert_eq!(
            parse(&[("SRP_B", Some(bad))]),
            Err(SrpError::InvalidHex { field: "SRP_B" }),
            "{bad:?}"
        );
    }
    let too_long = "1".repeat(2 * 385 + 9);
    assert_eq!(
        parse(&[("SRP_B", Some(&too_long))]),
        Err(SrpError::InvalidHex { field: "SRP_B" })
    );
}

#[test]
fn invalid_base64_secret_block() {
    for bad in ["not base64!", "abc", "****"] {
        assert_eq!(
            parse(&[("SECRET_BLOCK", Some(bad))]),
            Err(SrpError::InvalidBase64 {
                field: "SECRET_BLOCK"
            }),
            "{bad:?}"
        );
    }
}

#[test]
fn b_zero_mod_n_or_not_below_n() {
    let n = &Group::cognito().unwrap().n;
    let multiples = [
        Uint::default(),
        n.clone(),
        n.mul(&Uint::from(2)),
        n.add(&Uint::from(1)),
    ];
    for b in multiples {
        let challenge = parse(&[("SRP_B", Some(&to_hex(&b)))]).expect("form is fine");
        let result = respond_to_password_verifier(
            "pool",
            &SecretString::new("pw"),
            &ephemeral(),
            &challenge,
            1_700_000_000,
        );
        assert_eq!(
            result,
            Err(SrpError::InvalidServerPublicKey),
            "B = {}",
            to_hex(&b)
        );
    }
    let u = Uint::from(5);
    assert_eq!(
        compute_premaster_secret(&ephemeral(), n, &u, &u),
        Err(SrpError::InvalidServerPublicKey)
    );
}

#[test]
fn zero_u_is_refused() {
    assert_eq!(
        scrambler_from_digest(&[0; 32]),
        Err(SrpError::ZeroScrambler)
    );
    let mut one = [0; 32];
    one[31] = 1;
    assert_eq!(scrambler_from_digest(&one), Ok(Uint::from(1)));
    assert!(compute_u(&Uint::from(2), &Uint::from(3)).is_ok());
}

#[test]
fn zero_client_secret_is_refused() {
    assert_eq!(
        ClientEphemeral::from_secret(SecretBytes::new(vec![0; 32])).map(|_| ()),
        Err(SrpError::InvalidClientSecret)
    );
}

#[test]
fn random_ephemerals_are_fresh_and_redacted() {
    let first = ClientEphemeral::random().expect("CSPRNG");
    let second = ClientEphemeral::random().expect("CSPRNG");
    assert_ne!(first.public(), second.public());
    assert!(first.public() < &Group::cognito().unwrap().n);
    assert_eq!(format!("{first:?}").matches("[redacted]").count(), 1);
}
