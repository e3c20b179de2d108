//! The CAS protocol 3.0 (Apereo's specification): which services a CAS
//! client of a tenant may name, the tickets, and the validation answers
//! (CAS 1 text, CAS 2/3 XML and JSON).
//!
//! A CAS service is a client of the tenant with CAS settings
//! ([`CasService`]), registered by the operator: CAS has no dynamic
//! registration and no client authentication, so the service URL is all
//! that identifies a service, and it is matched exactly or by a registered
//! prefix ending at a path segment, never by a pattern an operator typed.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use url::Url;

use crate::user::UserProfile;

/// Service tickets start with this (CAS 3.0 §3.1.1).
pub const SERVICE_TICKET_PREFIX: &str = "ST-";

/// A new service ticket: `ST-` and 256 random bits in hexadecimal. CAS
/// 3.0 §3.7 limits tickets to letters, digits and `-` (mod_auth_cas
/// ignores any other), so not base64url.
pub fn new_service_ticket(rng: &dyn crate::Randomness) -> String {
    let mut buf = [0u8; 32];
    rng.fill(&mut buf);
    let mut t = String::with_capacity(SERVICE_TICKET_PREFIX.len() + 64);
    t.push_str(SERVICE_TICKET_PREFIX);
    for b in buf {
        t.push_str(&format!("{b:02x}"));
    }
    t
}

/// The longest ticket a validation request may carry: Trame's are 46
/// characters; the specification lets clients expect up to 256.
pub const MAX_TICKET: usize = 256;

/// The account attributes a CAS service may be given (claim names).
pub const ATTRIBUTES: &[&str] =
    &["preferred_username", "name", "given_name", "family_name", "email", "email_verified", "phone_number", "phone_number_verified", "locale"];

/// What `<cas:user>` holds for a service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CasUser {
    /// The account's username: what legacy applications match their own
    /// accounts by (GLPI, Maarch, an ENT).
    #[default]
    Username,
    /// The `sub` the client would see in OpenID Connect (pairwise unless
    /// the client is public): for services that need no name.
    Subject,
}

impl CasUser {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "username" => Some(Self::Username),
            "subject" => Some(Self::Subject),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Subject => "subject",
        }
    }
}

/// A client's CAS settings, validated (`registration::cas_service`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasService {
    /// Service URLs accepted as they are, byte for byte.
    pub service_urls: Vec<String>,
    /// Prefixes ending in `/`: a service URL under one of them (same
    /// origin, path below it once normalised) is accepted.
    #[serde(default)]
    pub service_prefixes: Vec<String>,
    /// Account attributes released in validation answers ([`ATTRIBUTES`]).
    #[serde(default)]
    pub attributes: Vec<String>,
    #[serde(default)]
    pub user: CasUser,
}

/// CAS settings as the operator gave them.
#[derive(Debug, Clone, Default)]
pub struct CasRequest {
    pub service_urls: Vec<String>,
    pub service_prefixes: Vec<String>,
    pub attributes: Vec<String>,
    pub user: Option<String>,
}

impl CasService {
    /// The settings as a request again (for an update that changes part).
    pub fn to_request(&self) -> CasRequest {
        CasRequest {
            service_urls: self.service_urls.clone(),
            service_prefixes: self.service_prefixes.clone(),
            attributes: self.attributes.clone(),
            user: Some(self.user.as_str().to_owned()),
        }
    }

    /// Whether `service` is one of this client's services.
    pub fn accepts(&self, service: &str) -> bool {
        if self.service_urls.iter().any(|u| u == service) {
            return true;
        }
        if self.service_prefixes.is_empty() || service.len() > 4096 {
            return false;
        }
        // Both the URL as sent and its normalised form must be under the
        // prefix: `/app/%2e%2e/admin` and `/app/..\admin` start with
        // `/app/` as text, not once the dot segments are resolved.
        let Ok(url) = Url::parse(service) else { return false };
        if !url.username().is_empty() || url.password().is_some() {
            return false;
        }
        self.service_prefixes.iter().any(|p| service.starts_with(p.as_str()) && url.as_str().starts_with(p.as_str()))
    }
}

/// The service URL with the ticket appended (`ticket=`, after any query
/// the service already has, before a fragment).
pub fn service_with_ticket(service: &str, ticket: &str) -> String {
    let (base, fragment) = match service.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (service, None),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    let encoded: String = url::form_urlencoded::byte_serialize(ticket.as_bytes()).collect();
    match fragment {
        Some(f) => format!("{base}{sep}ticket={encoded}#{f}"),
        None => format!("{base}{sep}ticket={encoded}"),
    }
}

/// The failure codes of a validation (CAS 3.0 §2.5.3, §2.7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// A required parameter is missing.
    InvalidRequest,
    /// A proxy ticket given to `/serviceValidate`.
    InvalidTicketSpec,
    /// Unknown, used, expired, or for an account that can no longer sign in.
    InvalidTicket,
    /// The ticket was issued for another service.
    InvalidService,
    InternalError,
}

impl Failure {
    pub fn code(self) -> &'static str {
        match self {
            Self::InvalidRequest => "INVALID_REQUEST",
            Self::InvalidTicketSpec => "INVALID_TICKET_SPEC",
            Self::InvalidTicket => "INVALID_TICKET",
            Self::InvalidService => "INVALID_SERVICE",
            Self::InternalError => "INTERNAL_ERROR",
        }
    }
}

/// A successful validation: the user and the attributes released, each
/// with one or more values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Success {
    pub user: String,
    pub attributes: Vec<(String, Vec<String>)>,
}

/// The account attributes `names` of `user`, as CAS attribute values
/// (text); an attribute the account lacks is left out.
pub fn account_attributes(user: &UserProfile, names: &[String]) -> Vec<(String, Vec<String>)> {
    names
        .iter()
        .filter_map(|n| {
            let v = user.claim(n)?;
            let text = match v {
                Value::String(s) => s,
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((n.clone(), vec![text]))
        })
        .collect()
}

/// Unix seconds as CAS and SAML write a time (`2026-01-01T00:00:00Z`).
fn timestamp(at: i64) -> String {
    jiff::Timestamp::from_second(at).map(|t| t.to_string()).unwrap_or_default()
}

/// The attributes every validation answer carries about the sign-in
/// itself, under the names Apereo's server uses, and the assurance Trame
/// reached: `acr` (its level, `eidas1`…) and `amr` (RFC 8176 methods), so
/// a service can check the level it needs.
pub fn authentication_attributes(auth_time: i64, new_login: bool, acr: &str, amr: &[String]) -> Vec<(String, Vec<String>)> {
    let date = timestamp(auth_time);
    let mut out = vec![
        ("authenticationDate".to_owned(), vec![date]),
        ("isFromNewLogin".to_owned(), vec![new_login.to_string()]),
        ("longTermAuthenticationRequestTokenUsed".to_owned(), vec!["false".to_owned()]),
        ("acr".to_owned(), vec![acr.to_owned()]),
    ];
    if !amr.is_empty() {
        out.push(("amr".to_owned(), amr.to_vec()));
    }
    out
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// An attribute name usable as an XML element name after `cas:` (names
/// come from [`ATTRIBUTES`] and Trame's own, but the rule is kept here).
fn xml_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && !name.as_bytes()[0].is_ascii_digit()
}

const XML_OPEN: &str = "<cas:serviceResponse xmlns:cas=\"http://www.yale.edu/tp/cas\">\n";
const XML_CLOSE: &str = "</cas:serviceResponse>\n";

/// The XML answer of `/serviceValidate` and `/p3/serviceValidate`.
pub fn success_xml(s: &Success) -> String {
    let mut out = String::from(XML_OPEN);
    out.push_str(" <cas:authenticationSuccess>\n");
    out.push_str(&format!("  <cas:user>{}</cas:user>\n", xml_escape(&s.user)));
    out.push_str("  <cas:attributes>\n");
    for (name, values) in s.attributes.iter().filter(|(n, _)| xml_name(n)) {
        for v in values {
            out.push_str(&format!("   <cas:{name}>{}</cas:{name}>\n", xml_escape(v)));
        }
    }
    out.push_str("  </cas:attributes>\n");
    out.push_str(" </cas:authenticationSuccess>\n");
    out.push_str(XML_CLOSE);
    out
}

/// The XML answer of a failed validation.
pub fn failure_xml(f: Failure, description: &str) -> String {
    format!("{XML_OPEN} <cas:authenticationFailure code=\"{}\">{}</cas:authenticationFailure>\n{XML_CLOSE}", f.code(), xml_escape(description))
}

/// The JSON answer (`format=JSON`): one value as a string, several as an
/// array, as Apereo's server writes them.
pub fn success_json(s: &Success) -> Value {
    let mut attributes = Map::new();
    for (name, values) in &s.attributes {
        let v = match values.as_slice() {
            [one] => json!(one),
            many => json!(many),
        };
        attributes.insert(name.clone(), v);
    }
    json!({ "serviceResponse": { "authenticationSuccess": { "user": s.user, "attributes": attributes } } })
}

pub fn failure_json(f: Failure, description: &str) -> Value {
    json!({ "serviceResponse": { "authenticationFailure": { "code": f.code(), "description": description } } })
}

/// The single-logout message posted to a service (CAS 3.0 §2.3.3), as
/// the form field `logoutRequest`: a SAML 2.0 `LogoutRequest` naming the
/// ticket the service validated, which is how it finds its own session.
/// `id` is random, `at` the time of the logout.
pub fn logout_request(id: &str, at: i64, ticket: &str) -> String {
    let instant = timestamp(at);
    format!(
        "<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" \
         ID=\"{}\" Version=\"2.0\" IssueInstant=\"{}\"><saml:NameID>@NOT_USED@</saml:NameID>\
         <samlp:SessionIndex>{}</samlp:SessionIndex></samlp:LogoutRequest>",
        xml_escape(id),
        instant,
        xml_escape(ticket)
    )
}

/// The ticket of a SAML 1.1 validation request (`/samlValidate`, CAS 3.0
/// §2.8): the text of its one `AssertionArtifact` element (any namespace
/// prefix). `None` for anything else: not XML, a document type
/// declaration (no entity is ever expanded), no artifact or several.
pub fn saml_artifact(body: &str) -> Option<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(body);
    let mut found: Option<String> = None;
    loop {
        match reader.read_event().ok()? {
            Event::DocType(_) => return None,
            Event::Start(e) if e.local_name().as_ref() == "AssertionArtifact" => {
                let text = reader.read_text(e.name()).ok()?;
                // The raw content: an element inside is markup, never a ticket.
                if found.is_some() || text.contains('<') {
                    return None;
                }
                found = Some(text.trim().to_owned());
            }
            Event::Eof => return found.filter(|t| !t.is_empty()),
            _ => {}
        }
    }
}

/// What a SAML 1.1 answer is about: its ids, when, the service
/// (`Recipient`, `Audience`), and Trame's issuer.
pub struct SamlContext<'a> {
    pub response_id: &'a str,
    pub assertion_id: &'a str,
    pub now: i64,
    pub service: &'a str,
    pub issuer: &'a str,
}

const SOAP_OPEN: &str = "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Header/><SOAP-ENV:Body>";
const SOAP_CLOSE: &str = "</SOAP-ENV:Body></SOAP-ENV:Envelope>";
const SAML_NAMESPACES: &str = "xmlns=\"urn:oasis:names:tc:SAML:1.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:1.0:assertion\" \
     xmlns:samlp=\"urn:oasis:names:tc:SAML:1.0:protocol\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" \
     xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";

/// The SAML 1.1 answer of a successful `/samlValidate`, as Apereo's server
/// writes it: the user as `NameIdentifier`, the attributes in an
/// `AttributeStatement`, valid 30 seconds for the service alone.
pub fn saml_success(s: &Success, c: &SamlContext<'_>) -> String {
    let (now, until) = (timestamp(c.now), timestamp(c.now + 30));
    let subject = format!(
        "<Subject><NameIdentifier>{}</NameIdentifier><SubjectConfirmation><ConfirmationMethod>urn:oasis:names:tc:SAML:1.0:cm:artifact</ConfirmationMethod></SubjectConfirmation></Subject>",
        xml_escape(&s.user)
    );
    let mut attributes = String::new();
    for (name, values) in s.attributes.iter().filter(|(n, _)| xml_name(n)) {
        attributes.push_str(&format!("<Attribute AttributeName=\"{name}\" AttributeNamespace=\"http://www.ja-sig.org/products/cas/\">"));
        for v in values {
            attributes.push_str(&format!("<AttributeValue>{}</AttributeValue>", xml_escape(v)));
        }
        attributes.push_str("</Attribute>");
    }
    let auth_instant = s.attributes.iter().find(|(n, _)| n == "authenticationDate").and_then(|(_, v)| v.first()).cloned().unwrap_or_else(|| now.clone());
    format!(
        "{SOAP_OPEN}<Response {SAML_NAMESPACES} IssueInstant=\"{now}\" MajorVersion=\"1\" MinorVersion=\"1\" Recipient=\"{service}\" ResponseID=\"{rid}\">\
         <Status><StatusCode Value=\"samlp:Success\"></StatusCode></Status>\
         <Assertion xmlns=\"urn:oasis:names:tc:SAML:1.0:assertion\" AssertionID=\"{aid}\" IssueInstant=\"{now}\" Issuer=\"{issuer}\" MajorVersion=\"1\" MinorVersion=\"1\">\
         <Conditions NotBefore=\"{now}\" NotOnOrAfter=\"{until}\"><AudienceRestrictionCondition><Audience>{service}</Audience></AudienceRestrictionCondition></Conditions>\
         <AttributeStatement>{subject}{attributes}</AttributeStatement>\
         <AuthenticationStatement AuthenticationInstant=\"{auth_instant}\" AuthenticationMethod=\"urn:oasis:names:tc:SAML:1.0:am:unspecified\">{subject}</AuthenticationStatement>\
         </Assertion></Response>{SOAP_CLOSE}",
        service = xml_escape(c.service),
        rid = xml_escape(c.response_id),
        aid = xml_escape(c.assertion_id),
        issuer = xml_escape(c.issuer),
        auth_instant = xml_escape(&auth_instant),
    )
}

/// The SAML 1.1 answer of a failed `/samlValidate`: `samlp:Requester` for
/// a request that cannot be read, `samlp:Responder` otherwise, the CAS
/// code and description as the message.
pub fn saml_failure(f: Failure, description: &str, c: &SamlContext<'_>) -> String {
    let code = if f == Failure::InvalidRequest { "samlp:Requester" } else { "samlp:Responder" };
    format!(
        "{SOAP_OPEN}<Response {SAML_NAMESPACES} IssueInstant=\"{now}\" MajorVersion=\"1\" MinorVersion=\"1\" Recipient=\"{service}\" ResponseID=\"{rid}\">\
         <Status><StatusCode Value=\"{code}\"></StatusCode><StatusMessage>{message}</StatusMessage></Status></Response>{SOAP_CLOSE}",
        now = timestamp(c.now),
        service = xml_escape(c.service),
        rid = xml_escape(c.response_id),
        message = xml_escape(&format!("{}: {description}", f.code())),
    )
}

/// The CAS 1 answer of `/validate` (§2.4.2): `yes` and the user, or `no`.
pub fn cas1(user: Option<&str>) -> String {
    match user {
        // A line break in a username would forge a second line.
        Some(u) if !u.contains(['\n', '\r']) => format!("yes\n{u}\n"),
        _ => "no\n\n".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(urls: &[&str], prefixes: &[&str]) -> CasService {
        CasService {
            service_urls: urls.iter().map(|s| s.to_string()).collect(),
            service_prefixes: prefixes.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn exact_urls_match_byte_for_byte() {
        let s = service(&["https://glpi.ville.fr/index.php"], &[]);
        assert!(s.accepts("https://glpi.ville.fr/index.php"));
        for other in [
            "https://glpi.ville.fr/index.php?x=1",
            "https://glpi.ville.fr/index.ph",
            "https://glpi.ville.fr/INDEX.php",
            "https://glpi.ville.fr/index.php/",
            "http://glpi.ville.fr/index.php",
            "https://glpi.ville.fr.evil.example/index.php",
            "",
        ] {
            assert!(!s.accepts(other), "{other}");
        }
    }

    #[test]
    fn prefixes_stop_at_their_segment_and_origin() {
        let s = service(&[], &["https://intranet.ville.fr/glpi/"]);
        for ok in ["https://intranet.ville.fr/glpi/", "https://intranet.ville.fr/glpi/front/central.php?a=1&b=2", "https://intranet.ville.fr/glpi/x#frag"] {
            assert!(s.accepts(ok), "{ok}");
        }
        for refused in [
            "https://intranet.ville.fr/glpi",
            "https://intranet.ville.fr/glpi-admin/",
            "https://intranet.ville.fr/glpi/../admin/",
            "https://intranet.ville.fr/glpi/%2e%2e/admin/",
            "https://intranet.ville.fr/glpi/%2E%2E/admin/",
            "https://intranet.ville.fr/glpi/..\\admin",
            "https://intranet.ville.fr/glpi/.%2e/admin",
            "https://intranet.ville.fr.evil.example/glpi/",
            "https://intranet.ville.fr:444/glpi/",
            "https://user@intranet.ville.fr/glpi/",
            "javascript:alert(1)//https://intranet.ville.fr/glpi/",
            "https://evil.example/?https://intranet.ville.fr/glpi/",
        ] {
            assert!(!s.accepts(refused), "{refused}");
        }
    }

    #[test]
    fn tickets_use_the_alphabet_cas_allows() {
        let a = new_service_ticket(&crate::OsRandom);
        let b = new_service_ticket(&crate::OsRandom);
        assert_ne!(a, b);
        assert_eq!(a.len(), 67);
        assert!(a.starts_with("ST-") && a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'), "{a}");
    }

    #[test]
    fn ticket_is_appended_to_the_query() {
        assert_eq!(service_with_ticket("https://a.fr/app", "ST-1"), "https://a.fr/app?ticket=ST-1");
        assert_eq!(service_with_ticket("https://a.fr/app?x=1", "ST-1"), "https://a.fr/app?x=1&ticket=ST-1");
        assert_eq!(service_with_ticket("https://a.fr/app?x=1#top", "ST-a_b"), "https://a.fr/app?x=1&ticket=ST-a_b#top");
    }

    #[test]
    fn answers_escape_what_they_carry() {
        let s = Success {
            user: "o'brien<&>".into(),
            attributes: vec![("email".into(), vec!["a@b.fr".into()]), ("amr".into(), vec!["pwd".into(), "otp".into()]), ("bad name>".into(), vec!["x".into()])],
        };
        let xml = success_xml(&s);
        assert!(xml.contains("<cas:user>o&apos;brien&lt;&amp;&gt;</cas:user>"), "{xml}");
        assert!(xml.contains("<cas:amr>pwd</cas:amr>\n   <cas:amr>otp</cas:amr>"), "{xml}");
        assert!(!xml.contains("bad name"), "an attribute whose name is not an XML name is left out");
        let j = success_json(&s);
        assert_eq!(j["serviceResponse"]["authenticationSuccess"]["attributes"]["amr"], json!(["pwd", "otp"]));
        assert_eq!(j["serviceResponse"]["authenticationSuccess"]["attributes"]["email"], json!("a@b.fr"));
        let f = failure_xml(Failure::InvalidTicket, "ticket <x> not recognised");
        assert!(f.contains("code=\"INVALID_TICKET\">ticket &lt;x&gt; not recognised<"), "{f}");
        assert_eq!(failure_json(Failure::InvalidService, "d")["serviceResponse"]["authenticationFailure"]["code"], "INVALID_SERVICE");
        assert_eq!(cas1(Some("alice")), "yes\nalice\n");
        assert_eq!(cas1(Some("al\nice")), "no\n\n");
        assert_eq!(cas1(None), "no\n\n");
        assert_eq!(xml_escape("a\u{1}b"), "a\u{FFFD}b");
    }

    #[test]
    fn authentication_attributes_say_when_and_how() {
        let a = authentication_attributes(1_700_000_000, true, "eidas2", &["hwk".into(), "user".into()]);
        assert_eq!(a[0], ("authenticationDate".to_owned(), vec!["2023-11-14T22:13:20Z".to_owned()]));
        assert_eq!(a[1].1, ["true"]);
        assert_eq!(a[3], ("acr".to_owned(), vec!["eidas2".to_owned()]));
        assert_eq!(a[4].1, ["hwk", "user"]);
        assert_eq!(authentication_attributes(0, false, "eidas1", &[]).len(), 4);
    }

    #[test]
    fn logout_request_names_the_ticket() {
        let r = logout_request("LR-1", 1_700_000_000, "ST-abc");
        assert!(r.starts_with("<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\""), "{r}");
        assert!(r.contains(" ID=\"LR-1\" Version=\"2.0\" IssueInstant=\"2023-11-14T22:13:20Z\">"), "{r}");
        // phpCAS and mod_auth_cas read the ticket between these exact tags.
        assert!(r.contains("<samlp:SessionIndex>ST-abc</samlp:SessionIndex>"), "{r}");
        assert!(r.contains("<saml:NameID>@NOT_USED@</saml:NameID>"), "{r}");
        assert!(!r.contains('\n'));
    }

    #[test]
    fn saml_requests_give_their_one_artifact() {
        let request = |artifact: &str| {
            format!(
                "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Header/><SOAP-ENV:Body>\
                 <samlp:Request xmlns:samlp=\"urn:oasis:names:tc:SAML:1.0:protocol\" MajorVersion=\"1\" MinorVersion=\"1\" RequestID=\"_1\" IssueInstant=\"2026-01-01T00:00:00Z\">\
                 {artifact}</samlp:Request></SOAP-ENV:Body></SOAP-ENV:Envelope>"
            )
        };
        assert_eq!(saml_artifact(&request("<samlp:AssertionArtifact>\n ST-abc \n</samlp:AssertionArtifact>")).as_deref(), Some("ST-abc"));
        assert_eq!(saml_artifact(&request("<AssertionArtifact>ST-abc</AssertionArtifact>")).as_deref(), Some("ST-abc"), "any prefix");
        let two = request("<samlp:AssertionArtifact>ST-a</samlp:AssertionArtifact><samlp:AssertionArtifact>ST-b</samlp:AssertionArtifact>");
        for refused in [
            request(""),
            request("<samlp:AssertionArtifact></samlp:AssertionArtifact>"),
            request("<samlp:AssertionArtifact>ST-a"),
            request("<samlp:AssertionArtifact><x>ST-a</x></samlp:AssertionArtifact>"),
            two,
            "<!DOCTYPE x [<!ENTITY t \"ST-abc\">]><samlp:AssertionArtifact>&t;</samlp:AssertionArtifact>".to_owned(),
            "not xml at all <".to_owned(),
            String::new(),
        ] {
            assert_eq!(saml_artifact(&refused), None, "{refused}");
        }
    }

    #[test]
    fn saml_answers_carry_the_user_and_attributes_escaped() {
        let s = Success {
            user: "a<b".into(),
            attributes: vec![("authenticationDate".into(), vec!["2026-01-01T00:00:00Z".into()]), ("amr".into(), vec!["pwd".into(), "otp".into()])],
        };
        let c = SamlContext { response_id: "_r1", assertion_id: "_a1", now: 1_700_000_000, service: "https://a.fr/?x=1&y=2", issuer: "https://id.ville.fr" };
        let ok = saml_success(&s, &c);
        assert!(ok.contains("<StatusCode Value=\"samlp:Success\">"), "{ok}");
        assert!(ok.contains("<NameIdentifier>a&lt;b</NameIdentifier>"), "{ok}");
        assert!(ok.contains("Recipient=\"https://a.fr/?x=1&amp;y=2\""), "{ok}");
        assert!(ok.contains("<Attribute AttributeName=\"amr\" AttributeNamespace=\"http://www.ja-sig.org/products/cas/\"><AttributeValue>pwd</AttributeValue><AttributeValue>otp</AttributeValue></Attribute>"), "{ok}");
        assert!(ok.contains("AuthenticationInstant=\"2026-01-01T00:00:00Z\""), "{ok}");
        assert!(ok.contains("NotOnOrAfter=\"2023-11-14T22:13:50Z\""), "{ok}");
        assert_eq!(saml_artifact(&ok), None, "an answer is not a request");
        let failed = saml_failure(Failure::InvalidTicket, "not <recognised>", &c);
        assert!(
            failed.contains("<StatusCode Value=\"samlp:Responder\"></StatusCode><StatusMessage>INVALID_TICKET: not &lt;recognised&gt;</StatusMessage>"),
            "{failed}"
        );
        assert!(saml_failure(Failure::InvalidRequest, "x", &c).contains("samlp:Requester"));
    }

    #[test]
    fn attributes_are_the_accounts_as_text() {
        let u = UserProfile {
            username: "alice".into(),
            email: Some("alice@ville.fr".into()),
            email_verified: true,
            given_name: Some("Alice".into()),
            ..Default::default()
        };
        let names: Vec<String> = ["email", "email_verified", "given_name", "family_name"].iter().map(|s| s.to_string()).collect();
        assert_eq!(
            account_attributes(&u, &names),
            vec![
                ("email".to_owned(), vec!["alice@ville.fr".to_owned()]),
                ("email_verified".to_owned(), vec!["true".to_owned()]),
                ("given_name".to_owned(), vec!["Alice".to_owned()]),
            ]
        );
    }
}
