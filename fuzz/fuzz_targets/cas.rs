//! The CAS server's parsers of outside input (`idp/core/src/cas.rs`): the
//! SOAP body of a SAML 1.1 validation (`saml_artifact`), and the service
//! URL of a login or validation, matched against a registered prefix
//! (`CasService::accepts`) and given its ticket (`service_with_ticket`).
//!
//! Invariants: an artifact is non-empty, trimmed and carries no markup; a
//! service accepted under the prefix is, once parsed and normalised, still
//! under it on the same origin, with no credentials; the ticket appended
//! reads back as the `ticket` parameter of the URL.
#![no_main]
use libfuzzer_sys::fuzz_target;
use trame_core::cas::{CasService, saml_artifact, service_with_ticket};

const PREFIX: &str = "https://intranet.ville.fr/apps/";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Some(a) = saml_artifact(text) {
        assert!(!a.is_empty() && a.trim() == a, "{a:?}");
        assert!(!a.contains('<'), "markup in the artifact: {a:?}");
    }

    let service = CasService { service_prefixes: vec![PREFIX.to_owned()], ..Default::default() };
    if service.accepts(text) {
        let url = url::Url::parse(text).expect("an accepted service parses");
        assert!(url.as_str().starts_with(PREFIX), "{text} normalises to {url}");
        assert!(url.username().is_empty() && url.password().is_none());
        let with = service_with_ticket(text, "ST-0123abc");
        let back = url::Url::parse(&with).expect("the service with its ticket parses");
        assert!(back.query_pairs().any(|(k, v)| k == "ticket" && v == "ST-0123abc"), "{with}");
    }
});
