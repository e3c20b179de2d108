//! The `error` values of Trame's answers, typed: each variant is one code of
//! the specifications (or of Trame's own JSON for its pages' scripts) with
//! the HTTP status it is answered with. A code answered with two statuses
//! depending on why (an `invalid_request` refused for its origin is 403) is
//! two variants, so a call site picks a meaning, never a string and a
//! number apart.

/// An error code and its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    // RFC 6749 §4.1.2.1 and §5.2.
    InvalidRequest,
    /// `invalid_request`, 403: the request came from another origin or with
    /// a bad CSRF token (a page's script).
    ForbiddenRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedResponseType,
    InvalidScope,
    AccessDenied,
    ServerError,
    /// `temporarily_unavailable`, 503: a store did not answer.
    TemporarilyUnavailable,
    /// `temporarily_unavailable`, 429: too many requests from one address.
    RateLimited,
    /// `slow_down`, 429 (the RFC 8628 name for "ask less often").
    SlowDown,
    // RFC 6750 §3.1.
    InvalidToken,
    InsufficientScope,
    // OpenID Connect Core §3.1.2.6, RFC 9101 and RFC 9470.
    LoginRequired,
    InteractionRequired,
    ConsentRequired,
    InvalidRequestUri,
    InvalidRequestObject,
    RequestNotSupported,
    RequestUriNotSupported,
    UnmetAuthenticationRequirements,
    // RFC 7591 §3.2.2.
    InvalidRedirectUri,
    InvalidClientMetadata,
    // OpenID Federation 1.0 §8.9.
    InvalidTrustChain,
    /// `invalid_trust_anchor`, 404 at the resolve endpoint.
    InvalidTrustAnchor,
    /// `invalid_trust_anchor`, 400 where a registration names an anchor.
    InvalidTrustAnchorRequest,
    InvalidMetadata,
    InvalidSubject,
    NotFound,
    UnsupportedParameter,
    // Trame's pages' scripts (sign-in, sign-up, account).
    SignedOut,
    InteractionExpired,
    CeremonyExpired,
    PasskeysUnavailable,
    UnknownCredential,
    BelowRequiredLevel,
    SignupNotAllowed,
    InvalidEmail,
    InvalidUsername,
    UsernameTaken,
    Conflict,
    // Passkey ceremonies refused (`trame-webauthn`'s codes).
    BadSignature,
    CounterRegression,
    Expired,
    InvalidRp,
    Malformed,
    Refused,
    UserNotVerified,
    WrongCeremony,
    WrongOrigin,
    WrongRpId,
}

impl ErrorCode {
    /// The `error` value.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            InvalidRequest | ForbiddenRequest => "invalid_request",
            InvalidClient => "invalid_client",
            InvalidGrant => "invalid_grant",
            UnauthorizedClient => "unauthorized_client",
            UnsupportedGrantType => "unsupported_grant_type",
            UnsupportedResponseType => "unsupported_response_type",
            InvalidScope => "invalid_scope",
            AccessDenied => "access_denied",
            ServerError => "server_error",
            TemporarilyUnavailable | RateLimited => "temporarily_unavailable",
            SlowDown => "slow_down",
            InvalidToken => "invalid_token",
            InsufficientScope => "insufficient_scope",
            LoginRequired => "login_required",
            InteractionRequired => "interaction_required",
            ConsentRequired => "consent_required",
            InvalidRequestUri => "invalid_request_uri",
            InvalidRequestObject => "invalid_request_object",
            RequestNotSupported => "request_not_supported",
            RequestUriNotSupported => "request_uri_not_supported",
            UnmetAuthenticationRequirements => "unmet_authentication_requirements",
            InvalidRedirectUri => "invalid_redirect_uri",
            InvalidClientMetadata => "invalid_client_metadata",
            InvalidTrustChain => "invalid_trust_chain",
            InvalidTrustAnchor | InvalidTrustAnchorRequest => "invalid_trust_anchor",
            InvalidMetadata => "invalid_metadata",
            InvalidSubject => "invalid_subject",
            NotFound => "not_found",
            UnsupportedParameter => "unsupported_parameter",
            SignedOut => "signed_out",
            InteractionExpired => "interaction_expired",
            CeremonyExpired => "ceremony_expired",
            PasskeysUnavailable => "passkeys_unavailable",
            UnknownCredential => "unknown_credential",
            BelowRequiredLevel => "below_required_level",
            SignupNotAllowed => "signup_not_allowed",
            InvalidEmail => "invalid_email",
            InvalidUsername => "invalid_username",
            UsernameTaken => "username_taken",
            Conflict => "conflict",
            BadSignature => "bad_signature",
            CounterRegression => "counter_regression",
            Expired => "expired",
            InvalidRp => "invalid_rp",
            Malformed => "malformed",
            Refused => "refused",
            UserNotVerified => "user_not_verified",
            WrongCeremony => "wrong_ceremony",
            WrongOrigin => "wrong_origin",
            WrongRpId => "wrong_rp_id",
        }
    }

    /// The HTTP status the code is answered with when it is not sent to a
    /// redirect URI.
    pub fn status(self) -> u16 {
        use ErrorCode::*;
        match self {
            InvalidClient | InvalidToken | SignedOut => 401,
            ForbiddenRequest | InsufficientScope | BelowRequiredLevel | SignupNotAllowed => 403,
            InvalidTrustAnchor | InvalidSubject | NotFound => 404,
            RateLimited | SlowDown => 429,
            ServerError => 500,
            TemporarilyUnavailable => 503,
            _ => 400,
        }
    }
}

impl ErrorCode {
    /// Every code, for [`ErrorCode::parse`].
    pub const ALL: &[ErrorCode] = {
        use ErrorCode::*;
        &[
            InvalidRequest,
            ForbiddenRequest,
            InvalidClient,
            InvalidGrant,
            UnauthorizedClient,
            UnsupportedGrantType,
            UnsupportedResponseType,
            InvalidScope,
            AccessDenied,
            ServerError,
            TemporarilyUnavailable,
            RateLimited,
            SlowDown,
            InvalidToken,
            InsufficientScope,
            LoginRequired,
            InteractionRequired,
            ConsentRequired,
            InvalidRequestUri,
            InvalidRequestObject,
            RequestNotSupported,
            RequestUriNotSupported,
            UnmetAuthenticationRequirements,
            InvalidRedirectUri,
            InvalidClientMetadata,
            InvalidTrustChain,
            InvalidTrustAnchor,
            InvalidTrustAnchorRequest,
            InvalidMetadata,
            InvalidSubject,
            NotFound,
            UnsupportedParameter,
            SignedOut,
            InteractionExpired,
            CeremonyExpired,
            PasskeysUnavailable,
            UnknownCredential,
            BelowRequiredLevel,
            SignupNotAllowed,
            InvalidEmail,
            InvalidUsername,
            UsernameTaken,
            Conflict,
            BadSignature,
            CounterRegression,
            Expired,
            InvalidRp,
            Malformed,
            Refused,
            UserNotVerified,
            WrongCeremony,
            WrongOrigin,
            WrongRpId,
        ]
    };

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
