#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets under corpus/<target>/.

The seeds are realistic inputs: requests as relying parties send them, JWTs
and entity statements signed with the fixture keys of src/lib.rs (so they
verify and the fuzzer starts from valid tokens), WebAuthn bodies and client
data as browsers post them. Run it again after changing a fixture:

    python3 fuzz/make_corpus.py        # needs python3-cryptography

Deterministic apart from ES256 signatures (ECDSA is randomized); seeds are
overwritten by name, so rerunning changes only those files.
"""
import base64
import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils

HERE = os.path.dirname(os.path.abspath(__file__))
LIB = open(os.path.join(HERE, "src", "lib.rs")).read()


def pem(name):
    start = LIB.index(f"pub const {name}: &str = \"") + len(f"pub const {name}: &str = \"")
    return LIB[start:LIB.index("\";", start)].encode()


ES256 = serialization.load_pem_private_key(pem("ES256_PEM"), None)
ED25519 = serialization.load_pem_private_key(pem("ED25519_PEM"), None)
NOW = 1_750_000_000
ISSUER = "https://login.example.fr"
RP_ID = "login.example.fr"


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def jwt(header, claims, key="es256"):
    signing_input = f"{b64(json.dumps(header, separators=(',', ':')).encode())}.{b64(json.dumps(claims, separators=(',', ':')).encode())}"
    if key == "es256":
        der = ES256.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256()))
        r, s = utils.decode_dss_signature(der)
        sig = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        sig = ED25519.sign(signing_input.encode())
    return f"{signing_input}.{b64(sig)}"


def public_jwks():
    n = ES256.public_key().public_numbers()
    raw = ED25519.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return [
        {"kty": "EC", "crv": "P-256", "x": b64(n.x.to_bytes(32, "big")), "y": b64(n.y.to_bytes(32, "big")), "kid": "fuzz-es256", "alg": "ES256", "use": "sig"},
        {"kty": "OKP", "crv": "Ed25519", "x": b64(raw), "kid": "fuzz-ed25519", "alg": "EdDSA", "use": "sig"},
    ]


def write(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def frame(a, b, rest):
    return struct.pack(">H", len(a)) + a + struct.pack(">H", len(b)) + b + rest


# --- authorization requests ----------------------------------------------------
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
base = f"client_id=rp&redirect_uri=https%3A%2F%2Frp.example%2Fcb&response_type=code&scope=openid%20profile%20email&state=af0ifjsldkj&nonce=n-0S6_WzA2Mj&code_challenge={CHALLENGE}&code_challenge_method=S256"
write("authorize_request", "code_flow", base)
write("authorize_request", "form_post_prompt", base + "&response_mode=form_post&prompt=login+consent&max_age=600&ui_locales=fr%20en&acr_values=eidas2&display=page&login_hint=alice%40example.fr")
write("authorize_request", "claims", base + "&claims=" + "%7B%22id_token%22%3A%7B%22acr%22%3A%7B%22essential%22%3Atrue%2C%22values%22%3A%5B%22eidas2%22%5D%7D%7D%2C%22userinfo%22%3A%7B%22email%22%3Anull%7D%7D")
write("authorize_request", "native_public", f"client_id=app&redirect_uri=com.example.app%3A%2Fcb&response_type=code&scope=openid+offline_access&code_challenge={CHALLENGE}&code_challenge_method=S256&prompt=none")
write("authorize_request", "duplicate_state", base + "&state=second")
write("authorize_request", "bad_redirect", "client_id=rp&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&response_type=code&scope=openid")
write("authorize_request", "loopback_no_pkce", "client_id=rp&redirect_uri=http%3A%2F%2F127.0.0.1%3A8000%2Fcb&response_type=code&scope=openid&state=s")

# --- client registration -------------------------------------------------------
write("client_registration", "web_rp", json.dumps({
    "redirect_uris": ["https://rp.example.fr/cb"], "client_name": "Mairie de Lyon", "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic", "scope": "openid profile email offline_access",
    "subject_type": "pairwise", "id_token_signed_response_alg": "ES256", "contacts": ["dsi@rp.example.fr"], "default_max_age": 3600,
    "post_logout_redirect_uris": ["https://rp.example.fr/bye"], "backchannel_logout_uri": "https://rp.example.fr/bcl",
    "backchannel_logout_session_required": True, "frontchannel_logout_uri": "https://rp.example.fr/fcl", "logo_uri": "https://rp.example.fr/logo.png",
}, indent=1))
write("client_registration", "private_key_jwt", json.dumps({
    "redirect_uris": ["https://a.example.fr/cb", "https://b.example.fr/cb"], "token_endpoint_auth_method": "private_key_jwt",
    "token_endpoint_auth_signing_alg": "ES256", "jwks": {"keys": public_jwks()}, "sector_identifier_uri": "https://rp.example.fr/sector.json",
    "require_auth_time": True, "default_acr_values": ["eidas2"], "application_type": "web",
}))
write("client_registration", "native_public", json.dumps({
    "redirect_uris": ["com.example.app:/cb", "http://127.0.0.1/cb"], "application_type": "native", "token_endpoint_auth_method": "none",
    "software_id": "4NRB1-0XZABZI9E6-5SM3R", "software_version": "2.1",
}))
write("client_registration", "refused", json.dumps({
    "redirect_uris": "https://rp.example.fr/cb", "id_token_encrypted_response_alg": "RSA-OAEP", "jwks_uri": "http://rp.example.fr/jwks",
}))
write("client_registration", "sector_document", json.dumps(["https://a.example.fr/cb", "https://b.example.fr/cb"]))

# --- PKCE, scope, claims -------------------------------------------------------
write("pkce_scope_claims", "scope", "openid profile email address phone offline_access")
write("pkce_scope_claims", "pkce_rfc7636", f"{CHALLENGE} dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
write("pkce_scope_claims", "claims", json.dumps({"userinfo": {"given_name": {"essential": True}, "nickname": None, "email": {"essential": True}, "picture": None},
                                                  "id_token": {"auth_time": {"essential": True}, "acr": {"values": ["eidas2", "eidas3"]}, "sub": {"value": "248289761001"}}}))

# --- JWTs (client assertions) --------------------------------------------------
assertion = {"iss": "rp", "sub": "rp", "aud": f"{ISSUER}/token", "exp": NOW + 60, "iat": NOW, "jti": "d25d00ab-552b-46fc-ae19-98f440f25064"}
write("jwt_verify", "client_assertion_es256", jwt({"alg": "ES256", "typ": "JWT", "kid": "fuzz-es256"}, assertion))
write("jwt_verify", "client_assertion_eddsa", jwt({"alg": "EdDSA", "kid": "fuzz-ed25519"}, assertion, key="ed25519"))
write("jwt_verify", "access_token_no_kid", jwt({"alg": "ES256", "typ": "at+jwt"}, {"iss": ISSUER, "sub": "alice", "aud": "rp", "scope": "openid", "exp": NOW + 300, "client_id": "rp"}))
payload = b64(json.dumps(assertion).encode())
write("jwt_verify", "alg_none", b64(b'{"alg":"none"}') + "." + payload + ".")
write("jwt_verify", "hs256", b64(b'{"alg":"HS256","kid":"fuzz-es256"}') + "." + payload + ".c2lnbmF0dXJl")

# --- federation ----------------------------------------------------------------
jwks = {"keys": public_jwks()}
ec_claims = {
    "iss": "https://rp.example.fr", "sub": "https://rp.example.fr", "iat": NOW, "exp": NOW + 86400, "jwks": jwks,
    "authority_hints": ["https://ta.example.fr"],
    "metadata": {"openid_relying_party": {"client_name": "Mairie", "redirect_uris": ["https://rp.example.fr/cb"], "grant_types": ["authorization_code"],
                                          "token_endpoint_auth_method": "private_key_jwt"},
                 "federation_entity": {"organization_name": "Mairie de Lyon"}},
    "trust_marks": [{"trust_mark_type": "https://ta.example.fr/tm/member", "trust_mark": "eyJ..."}],
}
policy = {"openid_relying_party": {
    "grant_types": {"default": ["authorization_code"], "subset_of": ["authorization_code", "refresh_token"], "superset_of": ["authorization_code"]},
    "token_endpoint_auth_method": {"one_of": ["private_key_jwt", "self_signed_tls_client_auth"], "essential": True},
    "subject_type": {"value": "pairwise"}, "contacts": {"add": ["helpdesk@federation.example.org"]}}}
ss_claims = {
    "iss": "https://ta.example.fr", "sub": "https://rp.example.fr", "iat": NOW, "exp": NOW + 86400, "jwks": jwks,
    "metadata_policy": policy, "metadata_policy_crit": ["regexp"], "source_endpoint": "https://ta.example.fr/fetch",
    "constraints": {"max_path_length": 1, "naming_constraints": {"permitted": [".example.fr"], "excluded": ["evil.example.fr"]},
                    "allowed_entity_types": ["openid_relying_party"]},
    "crit": ["jti"], "jti": "7l2lncFdY6SlhNia",
}
ta_claims = {"iss": "https://ta.example.fr", "sub": "https://ta.example.fr", "iat": NOW, "exp": NOW + 86400, "jwks": jwks,
             "trust_mark_issuers": {"https://ta.example.fr/tm/member": ["https://tmi.example.fr"]},
             "trust_mark_owners": {"https://ta.example.fr/tm/delegated": {"sub": "https://owner.example.fr", "jwks": jwks}},
             "metadata": {"federation_entity": {"federation_fetch_endpoint": "https://ta.example.fr/fetch"}}}
head = {"alg": "ES256", "typ": "entity-statement+jwt", "kid": "fuzz-es256"}
write("fed_entity_statement", "entity_configuration", jwt(head, ec_claims))
write("fed_entity_statement", "subordinate_statement", jwt(head, ss_claims))
write("fed_entity_statement", "trust_anchor_eddsa", jwt({"alg": "EdDSA", "typ": "entity-statement+jwt", "kid": "fuzz-ed25519"}, ta_claims, key="ed25519"))
write("fed_entity_statement", "claims_subordinate.json", json.dumps(ss_claims))
write("fed_entity_statement", "claims_configuration.json", json.dumps(ec_claims))

tm = {"iss": "https://tmi.example.fr", "sub": "https://rp.example.fr", "trust_mark_type": "https://ta.example.fr/tm/member", "iat": NOW, "exp": NOW + 3600,
      "logo_uri": "https://tmi.example.fr/logo.svg", "ref": "https://tmi.example.fr/about"}
delegation = jwt({"alg": "ES256", "typ": "trust-mark-delegation+jwt", "kid": "fuzz-es256"},
                 {"iss": "https://owner.example.fr", "sub": "https://tmi.example.fr", "trust_mark_type": "https://ta.example.fr/tm/delegated", "iat": NOW})
write("fed_trust_mark", "member", jwt({"alg": "ES256", "typ": "trust-mark+jwt", "kid": "fuzz-es256"}, tm))
write("fed_trust_mark", "open_eddsa", jwt({"alg": "EdDSA", "typ": "trust-mark+jwt", "kid": "fuzz-ed25519"}, dict(tm, trust_mark_type="https://ta.example.fr/tm/open", iss="https://any.example.fr"), key="ed25519"))
write("fed_trust_mark", "delegated", jwt({"alg": "ES256", "typ": "trust-mark+jwt", "kid": "fuzz-es256"}, dict(tm, trust_mark_type="https://ta.example.fr/tm/delegated", delegation=delegation)))

for name in ("entity_configuration", "subordinate_statement"):
    write("fed_jws", name, open(os.path.join(HERE, "corpus", "fed_entity_statement", name)).read())
write("fed_jws", "trust_mark", open(os.path.join(HERE, "corpus", "fed_trust_mark", "member")).read())
write("fed_jws", "jwks.json", json.dumps(jwks))

int_policy = {"openid_relying_party": {"grant_types": {"subset_of": ["authorization_code"]}, "token_endpoint_auth_method": {"one_of": ["self_signed_tls_client_auth"]},
                                       "contacts": {"add": ["helpdesk@org.example.org"]}, "scope": {"subset_of": ["openid", "email"], "default": ["openid"]}}}
write("fed_policy", "chain", json.dumps({
    "policies": [policy, int_policy], "crit": ["regexp"],
    "metadata": {"openid_relying_party": {"grant_types": ["authorization_code", "implicit"], "token_endpoint_auth_method": "self_signed_tls_client_auth",
                                          "contacts": ["rp_admins@cs.example.com"], "redirect_uris": ["https://rp.example.fr/cb"]},
                 "federation_entity": {"organization_name": "Mairie"}},
    "constraints": ss_claims["constraints"], "entity_ids": ["https://rp.example.fr", "https://int.example.fr", "https://evil.example.fr"],
}))
write("fed_policy", "operators", json.dumps({"openid_provider": {"id_token_signing_alg_values_supported": {"subset_of": ["ES256", "RS256"], "superset_of": ["ES256"], "essential": True},
                                                                 "issuer": {"value": None}, "scopes_supported": {"add": ["openid"], "one_of": None}}}))

# --- form bodies ---------------------------------------------------------------
write("form_urlencoded", "token_request", "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient%2Eexample%2Ecom%2Fcb&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
write("form_urlencoded", "client_assertion", "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=" + open(os.path.join(HERE, "corpus", "jwt_verify", "client_assertion_es256")).read())
write("form_urlencoded", "utf8_and_plus", "name=%C3%89lise+Dupr%C3%A9&x=%E2%82%AC&empty=&flag&a=b=c")
write("form_urlencoded", "basic_header", "Basic " + base64.b64encode(b"rp%3Aone:s3cr%C3%A9t+x").decode())
write("form_urlencoded", "bad_utf8", b"code=%FF%FE&state=\xff")

# --- WebAuthn ------------------------------------------------------------------
def cbor_head(major, n):
    m = major << 5
    if n < 24:
        return bytes([m | n])
    if n < 256:
        return bytes([m | 24, n])
    return bytes([m | 25]) + struct.pack(">H", n)


def cbor_text(s):
    return cbor_head(3, len(s)) + s.encode()


def cbor_bytes(b):
    return cbor_head(2, len(b)) + b


ED_X = ED25519.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
COSE = bytes([0xa4, 0x01, 0x01, 0x03, 0x27, 0x20, 0x06, 0x21]) + cbor_bytes(ED_X)
RP_HASH = hashlib.sha256(RP_ID.encode()).digest()
CRED = b"\x9a\x1c\x04\x7e" * 8


def att_object(auth_data):
    return bytes([0xa3]) + cbor_text("fmt") + cbor_text("none") + cbor_text("attStmt") + bytes([0xa0]) + cbor_text("authData") + cbor_bytes(auth_data)


def reg_auth_data(flags=0x5d, counter=0, ext=b""):
    return RP_HASH + bytes([flags]) + struct.pack(">I", counter) + bytes(16) + struct.pack(">H", len(CRED)) + CRED + COSE + ext


create = lambda challenge="{{challenge}}", origin=ISSUER: json.dumps({"type": "webauthn.create", "challenge": challenge, "origin": origin, "crossOrigin": False}, separators=(",", ":")).encode()
get = lambda challenge="{{challenge}}", origin=ISSUER: json.dumps({"type": "webauthn.get", "challenge": challenge, "origin": origin, "crossOrigin": False}, separators=(",", ":")).encode()
# credProtect = 3 (user verification required) as an authenticator extension.
CRED_PROTECT = bytes([0xa1]) + cbor_text("credProtect") + bytes([0x03])

write("webauthn_registration", "parts_platform", frame(create(), CRED, att_object(reg_auth_data())))
write("webauthn_registration", "parts_cred_protect", frame(create(), CRED, att_object(reg_auth_data(flags=0xc5, ext=CRED_PROTECT))))
write("webauthn_registration", "parts_chrome_extra_fields", frame(
    b'{"type":"webauthn.create","challenge":"{{challenge}}","origin":"https://login.example.fr","crossOrigin":false,"other_keys_can_be_added_here":"do not compare clientDataJSON against a template. See https://goo.gl/yabPex"}',
    CRED, att_object(reg_auth_data())))
write("webauthn_registration", "parts_no_uv", frame(create(), CRED, att_object(reg_auth_data(flags=0x41))))
spki = bytes.fromhex("302a300506032b6570032100") + ED_X
write("webauthn_registration", "body.json", json.dumps({
    "id": b64(CRED), "rawId": b64(CRED), "type": "public-key", "authenticatorAttachment": "cross-platform",
    "response": {"clientDataJSON": b64(create("dGVzdC1jaGFsbGVuZ2UtMTIzNA")), "attestationObject": b64(att_object(reg_auth_data())),
                 "transports": ["usb", "nfc"], "publicKeyAlgorithm": -8, "publicKey": b64(spki), "authenticatorData": b64(reg_auth_data())},
    "clientExtensionResults": {"credProps": {"rk": True}},
}))

def sign_auth_data(flags=0x05, counter=6, ext=b""):
    return RP_HASH + bytes([flags]) + struct.pack(">I", counter) + ext


write("webauthn_sign_in", "discoverable", frame(get(), sign_auth_data(), b"\x00"))
write("webauthn_sign_in", "username_first", frame(get(), sign_auth_data(0x1d, 7), b"\x01"))
write("webauthn_sign_in", "counter_zero_allow", frame(get(), sign_auth_data(counter=0), b"\x02"))
write("webauthn_sign_in", "no_user_handle", frame(get(), sign_auth_data(), b"\x04"))
write("webauthn_sign_in", "extensions", frame(get(), sign_auth_data(0x85, 9, CRED_PROTECT), b"\x00"))
write("webauthn_sign_in", "wrong_origin", frame(get(origin="https://evil.example"), sign_auth_data(), b"\x00"))
write("webauthn_sign_in", "body.json", json.dumps({
    "id": b64(b"fuzz-credential-0001"), "rawId": b64(b"fuzz-credential-0001"), "type": "public-key", "authenticatorAttachment": "platform",
    "response": {"clientDataJSON": b64(get("dGVzdC1jaGFsbGVuZ2UtMTIzNA")), "authenticatorData": b64(sign_auth_data()),
                 "signature": b64(ED25519.sign(sign_auth_data() + hashlib.sha256(get("dGVzdC1jaGFsbGVuZ2UtMTIzNA")).digest())),
                 "userHandle": b64(b"fuzz-user-handle")},
    "clientExtensionResults": {},
}))

# --- settings ------------------------------------------------------------------
write("config_toml", "defaults", "")
write("config_toml", "production", """listen = "0.0.0.0:8443"
public_url = "https://login.ville.fr/"
data_dir = "/var/lib/trame"
database_url = "postgres://trame@db.internal/trame"
redis_url = "redis://cache.internal:6379/0"
redis_prefix = "trame:"
log_format = "json"
log_level = "info,trame_web=debug"
trusted_proxies = ["10.0.0.0/8", "192.0.2.1"]
smtp_url = "smtps://mailer:correct-horse-battery@smtp.ville.fr:465"
mail_from = "Mairie <noreply@ville.fr>"
outbound_reach = "public"
""")
write("config_toml", "problems", """listen = "nowhere"
public_url = "ftp://x"
redis_url = "http://r"
smtp_url = "smtp://u:hunter2hunter2@"
tls_cert_file = "/nonexistent/cert.pem"
unknown_key = 1
#ENV TRAME_LISTEN=127.0.0.1:9001
#ENV TRAME_TRUSTED_PROXIES=10.0.0.0/8, nonsense
""")
write("config_toml", "env_only", "#ENV TRAME_PUBLIC_URL=https://id.example.fr\n#ENV TRAME_OUTBOUND_REACH=any\n#ENV TRAME_MAIL_OUTBOX_DIR=\n")
# Found by the fuzzer: a quoted empty key must still be named in the problem.
write("config_toml", "quoted_keys", '"" = ""\n"log level" = "info"\n')
write("cas", "saml_request", '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Header/><SOAP-ENV:Body><samlp:Request xmlns:samlp="urn:oasis:names:tc:SAML:1.0:protocol" MajorVersion="1" MinorVersion="1" RequestID="_1" IssueInstant="2026-01-01T00:00:00Z"><samlp:AssertionArtifact>ST-0123abc</samlp:AssertionArtifact></samlp:Request></SOAP-ENV:Body></SOAP-ENV:Envelope>')
write("cas", "service_under_prefix", "https://intranet.ville.fr/apps/courrier/index.php?page=1#top")
write("cas", "dot_segments", "https://intranet.ville.fr/apps/%2e%2e/admin/")
print("corpus written under", os.path.join(HERE, "corpus"))
