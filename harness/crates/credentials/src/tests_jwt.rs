//! Unit tests for claims, JWT encoding, verification and defects.

use nkeys::KeyPair;

use super::claims::{AccountClaims, ClaimsData, OperatorClaims, UserClaims};
use super::defects::{self, JwtDefect};
use super::jwt::{self, JwtError, JwtPart};
use super::keys;

fn signed_user() -> (String, keys::Identity) {
    let account = keys::account();
    let user = keys::user();
    let mut claims = UserClaims::new(user.public_key(), "alice");
    claims.nats.permissions.publish.allow = vec!["orders.>".into()];
    (jwt::encode(&mut claims, &account).unwrap(), account)
}

#[test]
fn signature_verifies_with_nkeys() {
    let (token, account) = signed_user();
    let decoded = jwt::verify(&token).unwrap();
    assert_eq!(decoded.issuer(), Some(account.public_key()));
    assert_eq!(decoded.header.typ, "JWT");
    assert_eq!(decoded.header.alg, "ed25519-nkey");
    // Independently of jwt::verify: nkeys with the public key alone.
    let public = KeyPair::from_public_key(account.public_key()).unwrap();
    public.verify(decoded.signing_input.as_bytes(), &decoded.signature).unwrap();
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts[0], "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ");
    assert!(!token.contains('='), "no padding");
}

#[test]
fn tampered_signature_fails() {
    let (token, _) = signed_user();
    let bad = defects::tamper_signature(&token).unwrap();
    assert_ne!(bad, token);
    jwt::decode(&bad).expect("a tampered JWT still decodes");
    assert!(matches!(jwt::verify(&bad), Err(JwtError::BadSignature { .. })));
}

#[test]
fn other_defects_fail_with_their_kind() {
    let (token, account) = signed_user();
    let cases = [
        (JwtDefect::Truncate, "not three parts"),
        (JwtDefect::StripSignature, "bad signature"),
        (JwtDefect::CorruptBase64(JwtPart::Claims), "bad base64 claims"),
        (JwtDefect::CorruptBase64(JwtPart::Signature), "bad base64 signature"),
    ];
    for (defect, what) in cases {
        let bad = defect.apply(&token).unwrap();
        let err = jwt::verify(&bad).unwrap_err();
        let ok = match (defect, &err) {
            (JwtDefect::Truncate, JwtError::NotThreeParts { found: 2 }) => true,
            (JwtDefect::StripSignature, JwtError::BadSignature { .. }) => true,
            (JwtDefect::CorruptBase64(p), JwtError::BadBase64 { part }) => p == *part,
            _ => false,
        };
        assert!(ok, "{what}: got {err}");
    }
    let edited = defects::tamper_claims(&token, |c| c["nats"]["subs"] = 1000.into()).unwrap();
    assert!(matches!(jwt::verify(&edited), Err(JwtError::BadSignature { .. })));

    let mut claims = UserClaims::new(keys::user().public_key(), "bob");
    let wrong = defects::sign_with_wrong_key(&mut claims, &account, &keys::account()).unwrap();
    assert_eq!(jwt::decode(&wrong).unwrap().issuer(), Some(account.public_key()));
    assert!(matches!(jwt::verify(&wrong), Err(JwtError::BadSignature { .. })));
}

#[test]
fn jti_matches_known_vector() {
    // Expected value computed independently with Python:
    //   s = '{"exp":1700003600,"iat":1700000000,"iss":"AAJPZ5PXUEBSAZIF3KCGXIIEOXCA7RAM53LW7TAOEPEKYNTTU3T3QWQL",'
    //       '"name":"alice \\u003cops\\u003e","sub":"UBPDBK5EPG2YY7BCIJBYR4K6TLW3QBCYEQ7VAHGTH5RIQNZ5UZYDEO5Q"}'
    //   base64.b32encode(hashlib.new('sha512_256', s.encode()).digest()).decode().rstrip('=')
    // (The keys are arbitrary strings: the hash does not validate them.
    // `<` and `>` are escaped as Go's encoding/json does.)
    let data = ClaimsData {
        aud: None,
        exp: Some(1_700_003_600),
        jti: "ignored: jti is cleared before hashing".into(),
        iat: 1_700_000_000,
        iss: "AAJPZ5PXUEBSAZIF3KCGXIIEOXCA7RAM53LW7TAOEPEKYNTTU3T3QWQL".into(),
        name: "alice <ops>".into(),
        nbf: None,
        sub: "UBPDBK5EPG2YY7BCIJBYR4K6TLW3QBCYEQ7VAHGTH5RIQNZ5UZYDEO5Q".into(),
    };
    let jti = jwt::compute_jti(&data).unwrap();
    assert_eq!(jti, "PL5N6AERGZL3ET3VFLNPR57YWGVHQ3Z6ZJDWIFWAYL5GUM3AUEVQ");
    assert_eq!(jwt::compute_jti(&data).unwrap(), jti, "deterministic");
}

#[test]
fn jti_is_deterministic_through_encode() {
    let account = keys::account();
    let user = keys::user();
    let mut a = UserClaims::new(user.public_key(), "u");
    a.data.iat = 1_700_000_000;
    let mut b = a.clone();
    let ta = jwt::encode(&mut a, &account).unwrap();
    let tb = jwt::encode(&mut b, &account).unwrap();
    assert_eq!(ta, tb, "ed25519 is deterministic, and so is the jti");
    assert_eq!(a.data.jti, jwt::compute_jti(&a.data).unwrap());
    assert_eq!(a.data.jti.len(), 52);
}

#[test]
fn account_json_has_nsc_defaults() {
    let operator = keys::operator();
    let account = keys::account();
    let mut claims = AccountClaims::new(account.public_key(), "APP");
    claims.data.iat = 1_700_000_000;
    let token = jwt::encode(&mut claims, &operator).unwrap();
    let v = jwt::decode(&token).unwrap().claims;
    let expected_nats = serde_json::json!({
        "limits": {"subs": -1, "data": -1, "payload": -1, "imports": -1, "exports": -1,
                   "wildcards": true, "conn": -1, "leaf": -1},
        "default_permissions": {"pub": {}, "sub": {}},
        "type": "account", "version": 2
    });
    assert_eq!(v["nats"], expected_nats);
    let text = jwt::go_json(&claims).unwrap();
    let order = ["\"jti\"", "\"iat\"", "\"iss\"", "\"name\"", "\"sub\"", "\"nats\""];
    let pos: Vec<usize> = order.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "Go field order: {text}");
    assert!(!text.contains("\"exp\"") && !text.contains("\"aud\""), "omitted: {text}");
    let back: AccountClaims = jwt::decode(&token).unwrap().claims_as().unwrap();
    assert_eq!(back, claims);
}

#[test]
fn user_and_operator_json_shapes() {
    let account = keys::account();
    let signing = keys::account_signing_key();
    let mut user = UserClaims::new(keys::user().public_key(), "alice");
    user.nats.issuer_account = account.public_key().into();
    let token = jwt::encode(&mut user, &signing).unwrap();
    let v = jwt::decode(&token).unwrap().claims;
    assert_eq!(
        v["nats"],
        serde_json::json!({"pub": {}, "sub": {}, "subs": -1, "data": -1, "payload": -1,
            "issuer_account": account.public_key(), "type": "user", "version": 2})
    );
    assert_eq!(v["iss"], signing.public_key());

    let op = keys::operator();
    let mut oc = OperatorClaims::new(op.public_key(), "OP");
    oc.nats.system_account = account.public_key().into();
    let token = jwt::encode(&mut oc, &op).unwrap();
    let v = jwt::verify(&token).unwrap().claims;
    assert_eq!(v["iss"], v["sub"]);
    assert_eq!(
        v["nats"],
        serde_json::json!({"system_account": account.public_key(), "type": "operator", "version": 2})
    );
}

#[test]
fn expire_and_revoke_helpers() {
    let mut u = UserClaims::new(keys::user().public_key(), "x");
    defects::expire(&mut u, 30);
    let now = super::claims::now_unix();
    assert!(u.data.exp.unwrap() <= now - 30 && u.data.iat < u.data.exp.unwrap());
    let mut a = AccountClaims::new(keys::account().public_key(), "A");
    defects::revoke(&mut a, &u.data.sub, now);
    assert_eq!(a.nats.revocations.get(&u.data.sub), Some(&now));
}
