//! The `error` values of Trame's answers, typed: each variant is one code of
//! the specifications (or of Trame's own JSON for its pages' scripts) with
//! the HTTP status it is answered with. A code answered with two statuses
//! depending on why (an `invalid_request` refused for its origin is 403) is
//! two variants, so a call site picks a meaning, never a string and a
//! number apart.

/// Declares [`ErrorCode`] from one table: each variant, its `error` value
/// and its HTTP status, so the list, the names and the statuses cannot drift
/// apart.
macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident => $name:literal, $status:literal;)*) => {
        /// An error code and its status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
        }

        impl ErrorCode {
            /// Every code, for [`ErrorCode::parse`].
            pub const ALL: &[ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The `error` value.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $name,)*
                }
            }

            /// The HTTP status the code is answered with when it is not
            /// sent to a redirect URI.
            pub fn status(self) -> u16 {
                match self {
                    $(ErrorCode::$variant => $status,)*
                }
            }
        }
    };
}

error_codes! {
    // RFC 6749 §4.1.2.1 and §5.2.
    InvalidRequest => "invalid_request", 400;
    /// `invalid_request`, 403: the request came from another origin or with
    /// a bad CSRF token (a page's script).
    ForbiddenRequest => "invalid_request", 403;
    InvalidClient => "invalid_client", 401;
    InvalidGrant => "invalid_grant", 400;
    UnauthorizedClient => "unauthorized_client", 400;
    UnsupportedGrantType => "unsupported_grant_type", 400;
    UnsupportedResponseType => "unsupported_response_type", 400;
    InvalidScope => "invalid_scope", 400;
    AccessDenied => "access_denied", 400;
    ServerError => "server_error", 500;
    /// `temporarily_unavailable`, 503: a store did not answer.
    TemporarilyUnavailable => "temporarily_unavailable", 503;
    /// `temporarily_unavailable`, 429: too many requests from one address.
    RateLimited => "temporarily_unavailable", 429;
    /// `slow_down`, 429 (the RFC 8628 name for "ask less often").
    SlowDown => "slow_down", 429;
    // RFC 6750 §3.1.
    InvalidToken => "invalid_token", 401;
    InsufficientScope => "insufficient_scope", 403;
    // OpenID Connect Core §3.1.2.6, RFC 9101 and RFC 9470.
    LoginRequired => "login_required", 400;
    InteractionRequired => "interaction_required", 400;
    ConsentRequired => "consent_required", 400;
    InvalidRequestUri => "invalid_request_uri", 400;
    InvalidRequestObject => "invalid_request_object", 400;
    RequestNotSupported => "request_not_supported", 400;
    RequestUriNotSupported => "request_uri_not_supported", 400;
    UnmetAuthenticationRequirements => "unmet_authentication_requirements", 400;
    // RFC 7591 §3.2.2.
    InvalidRedirectUri => "invalid_redirect_uri", 400;
    InvalidClientMetadata => "invalid_client_metadata", 400;
    // OpenID Federation 1.0 §8.9.
    InvalidTrustChain => "invalid_trust_chain", 400;
    /// `invalid_trust_anchor`, 404 at the resolve endpoint.
    InvalidTrustAnchor => "invalid_trust_anchor", 404;
    /// `invalid_trust_anchor`, 400 where a registration names an anchor.
    InvalidTrustAnchorRequest => "invalid_trust_anchor", 400;
    InvalidMetadata => "invalid_metadata", 400;
    InvalidSubject => "invalid_subject", 404;
    NotFound => "not_found", 404;
    UnsupportedParameter => "unsupported_parameter", 400;
    // Trame's pages' scripts (sign-in, sign-up, account).
    SignedOut => "signed_out", 401;
    InteractionExpired => "interaction_expired", 400;
    CeremonyExpired => "ceremony_expired", 400;
    PasskeysUnavailable => "passkeys_unavailable", 400;
    UnknownCredential => "unknown_credential", 400;
    BelowRequiredLevel => "below_required_level", 403;
    SignupNotAllowed => "signup_not_allowed", 403;
    InvalidEmail => "invalid_email", 400;
    InvalidUsername => "invalid_username", 400;
    UsernameTaken => "username_taken", 400;
    Conflict => "conflict", 400;
    // Passkey ceremonies refused (`trame-webauthn`'s codes).
    BadSignature => "bad_signature", 400;
    CounterRegression => "counter_regression", 400;
    Expired => "expired", 400;
    InvalidRp => "invalid_rp", 400;
    Malformed => "malformed", 400;
    Refused => "refused", 400;
    UserNotVerified => "user_not_verified", 400;
    WrongCeremony => "wrong_ceremony", 400;
    WrongOrigin => "wrong_origin", 400;
    WrongRpId => "wrong_rp_id", 400;
}

impl ErrorCode {
    /// The code named `s` by a library that speaks in strings (the
    /// federation library, the passkey ceremonies); where two variants share
    /// a name, the first (the usual status) is taken.
    pub fn parse(s: &str) -> Option<ErrorCode> {
        Self::ALL.iter().copied().find(|c| c.as_str() == s)
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_specifications_names_and_statuses_their_classes() {
        assert_eq!(ErrorCode::InvalidRequest.as_str(), "invalid_request");
        assert_eq!(ErrorCode::ForbiddenRequest.as_str(), "invalid_request");
        assert_eq!((ErrorCode::ForbiddenRequest.status(), ErrorCode::InvalidRequest.status()), (403, 400));
        // RFC 6749 §5.2: invalid_client may be 401; RFC 6750 §3.1: invalid_token is 401.
        assert_eq!((ErrorCode::InvalidClient.status(), ErrorCode::InvalidToken.status()), (401, 401));
        assert_eq!((ErrorCode::RateLimited.as_str(), ErrorCode::RateLimited.status()), ("temporarily_unavailable", 429));
        assert_eq!((ErrorCode::TemporarilyUnavailable.status(), ErrorCode::ServerError.status()), (503, 500));
        assert_eq!((ErrorCode::InvalidTrustAnchor.status(), ErrorCode::InvalidTrustAnchorRequest.status()), (404, 400));
        assert_eq!(ErrorCode::UnmetAuthenticationRequirements.to_string(), "unmet_authentication_requirements");
    }

    #[test]
    fn every_code_parses_back_to_a_variant_of_its_name() {
        for &c in ErrorCode::ALL {
            let parsed = ErrorCode::parse(c.as_str()).expect("listed");
            assert_eq!(parsed.as_str(), c.as_str());
        }
        assert_eq!(ErrorCode::parse("invalid_request"), Some(ErrorCode::InvalidRequest));
        assert_eq!(ErrorCode::parse("invalid_trust_anchor"), Some(ErrorCode::InvalidTrustAnchor));
        assert_eq!(ErrorCode::parse("no_such_code"), None);
    }
}
