//! Page rendering: minijinja templates from the theme, strings from Fluent.
//!
//! Handlers and errors that produce a page return a [`Deferred`] marker in
//! the response extensions; [`render_deferred`], run by the middleware
//! around every request (`crate::app`), which knows the request's
//! language, turns it into HTML. That keeps `ApiError`
//! independent of the state and the request.

use std::sync::Arc;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::value::Kwargs;
use minijinja::{Environment, Value, context};

use trame_app::i18n::I18n;

/// The default theme, compiled into the binary so `trame serve` needs no
/// files beside it.
pub(crate) mod default_theme {
    pub const TEMPLATES: &[(&str, &str)] = &[
        ("base.html", include_str!("../../../themes/default/templates/base.html")),
        ("login.html", include_str!("../../../themes/default/templates/login.html")),
        ("peers.html", include_str!("../../../themes/default/templates/peers.html")),
        ("consent.html", include_str!("../../../themes/default/templates/consent.html")),
        ("logout.html", include_str!("../../../themes/default/templates/logout.html")),
        ("message.html", include_str!("../../../themes/default/templates/message.html")),
        ("form_post.html", include_str!("../../../themes/default/templates/form_post.html")),
        ("frontchannel_logout.html", include_str!("../../../themes/default/templates/frontchannel_logout.html")),
        ("otp.html", include_str!("../../../themes/default/templates/otp.html")),
        ("signup.html", include_str!("../../../themes/default/templates/signup.html")),
        ("account.html", include_str!("../../../themes/default/templates/account.html")),
        ("totp.html", include_str!("../../../themes/default/templates/totp.html")),
        ("recovery_codes.html", include_str!("../../../themes/default/templates/recovery_codes.html")),
        ("recover.html", include_str!("../../../themes/default/templates/recover.html")),
        ("recover_email.html", include_str!("../../../themes/default/templates/recover_email.html")),
        ("confirm_link.html", include_str!("../../../themes/default/templates/confirm_link.html")),
        ("console_base.html", include_str!("../../../themes/default/templates/console_base.html")),
        ("console_records.html", include_str!("../../../themes/default/templates/console_records.html")),
        ("console_users.html", include_str!("../../../themes/default/templates/console_users.html")),
        ("console_user.html", include_str!("../../../themes/default/templates/console_user.html")),
        ("console_clients.html", include_str!("../../../themes/default/templates/console_clients.html")),
        ("console_client_new.html", include_str!("../../../themes/default/templates/console_client_new.html")),
        ("console_client.html", include_str!("../../../themes/default/templates/console_client.html")),
        ("console_client_secret.html", include_str!("../../../themes/default/templates/console_client_secret.html")),
        ("console_keys.html", include_str!("../../../themes/default/templates/console_keys.html")),
        ("console_audit.html", include_str!("../../../themes/default/templates/console_audit.html")),
        ("console_settings.html", include_str!("../../../themes/default/templates/console_settings.html")),
        ("console_tenants.html", include_str!("../../../themes/default/templates/console_tenants.html")),
        ("transparency.html", include_str!("../../../themes/default/templates/transparency.html")),
    ];
    pub const ASSETS: &[(&str, &str, &str)] = &[
        ("trame.css", "text/css; charset=utf-8", include_str!("../../../themes/default/static/trame.css")),
        ("form_post.js", "text/javascript; charset=utf-8", include_str!("../../../themes/default/static/form_post.js")),
        ("passkey.js", "text/javascript; charset=utf-8", include_str!("../../../themes/default/static/passkey.js")),
        ("frontchannel_logout.js", "text/javascript; charset=utf-8", include_str!("../../../themes/default/static/frontchannel_logout.js")),
    ];
    /// Per language (`trame_app::i18n::BUILT_IN`), its Fluent files.
    pub const LOCALES: &[(&str, &[&str])] = &[
        ("fr", &[include_str!("../../../themes/default/locales/fr/main.ftl")]),
        ("en", &[include_str!("../../../themes/default/locales/en/main.ftl")]),
        ("de", &[include_str!("../../../themes/default/locales/de/main.ftl")]),
        ("es", &[include_str!("../../../themes/default/locales/es/main.ftl")]),
        ("it", &[include_str!("../../../themes/default/locales/it/main.ftl")]),
        ("pt", &[include_str!("../../../themes/default/locales/pt/main.ftl")]),
        ("ar", &[include_str!("../../../themes/default/locales/ar/main.ftl")]),
    ];
}

pub struct Themes {
    env: Environment<'static>,
    pub i18n: Arc<I18n>,
    /// Each shipped language and its name in itself (`language-name` of
    /// its own pack), for the language switcher.
    languages: Vec<(&'static str, String)>,
}

impl Themes {
    pub fn default_theme() -> Self {
        let i18n = Arc::new(I18n::new(default_theme::LOCALES));
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
        for (name, src) in default_theme::TEMPLATES {
            env.add_template(name, src).expect("built-in templates parse");
        }
        // dir="{{ dir(lang) }}": right to left for Arabic.
        env.add_function("dir", |lang: String| if trame_app::i18n::is_rtl(&lang) { "rtl" } else { "ltr" });
        let tr = i18n.clone();
        // {{ t("message-id", name=value) }}: the page's language comes from
        // the `lang` variable every page context carries.
        env.add_function("t", move |state: &minijinja::State, id: String, kwargs: Kwargs| -> Result<String, minijinja::Error> {
            let lang = state.lookup("lang").and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| trame_app::i18n::DEFAULT_LANG.into());
            let mut pairs = Vec::new();
            for k in kwargs.args() {
                let v: Value = kwargs.get(k)?;
                // Numbers stay numbers, for the plural forms.
                let arg = match v.as_i64() {
                    Some(n) if v.kind() == minijinja::value::ValueKind::Number => trame_app::i18n::Arg::Number(n),
                    _ => trame_app::i18n::Arg::Text(v.to_string()),
                };
                pairs.push((k, arg));
            }
            let a = trame_app::i18n::args(&pairs);
            Ok(tr.t(&lang, &id, if pairs.is_empty() { None } else { Some(&a) }))
        });
        let languages = trame_app::i18n::BUILT_IN.iter().map(|code| (*code, i18n.t(code, "language-name", None))).collect();
        Self { env, i18n, languages }
    }

    pub fn render(&self, template: &str, ctx: Value) -> Result<String, minijinja::Error> {
        self.env.get_template(template)?.render(ctx)
    }

    pub fn asset(&self, name: &str) -> Option<(&'static str, &'static str)> {
        default_theme::ASSETS.iter().find(|(n, _, _)| *n == name).map(|(_, ct, body)| (*ct, *body))
    }

    /// A page, rendered by the middleware around the request
    /// ([`render_deferred`]), which adds what only the request knows: the
    /// language switcher's links back to this very page.
    pub fn page(&self, status: StatusCode, template: &'static str, ctx: Value) -> Response {
        Deferred::Page { status, template, ctx }.into_response()
    }

    /// Renders a page now, answering a plain error if the template itself
    /// fails (a theme bug must not take the error path down with it).
    fn render_page(&self, status: StatusCode, template: &str, ctx: Value) -> Response {
        match self.render(template, ctx) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, template, "template rendering failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            }
        }
    }
}

/// A page to render once the language is known.
#[derive(Debug, Clone)]
pub enum Deferred {
    /// A handler's page, its context complete but for the switcher.
    Page {
        status: StatusCode,
        template: &'static str,
        ctx: Value,
    },
    ErrorPage {
        status: StatusCode,
        message: &'static str,
        detail: Option<String>,
    },
    FormPost {
        action: String,
        fields: Vec<(String, String)>,
    },
}

impl IntoResponse for Deferred {
    fn into_response(self) -> Response {
        let status = match &self {
            Deferred::Page { status, .. } | Deferred::ErrorPage { status, .. } => *status,
            Deferred::FormPost { .. } => StatusCode::OK,
        };
        let mut r = status.into_response();
        r.extensions_mut().insert(self);
        r
    }
}

/// The cookie that keeps the language a person chose with the switcher
/// (`<issuer>/language`): `__Host-` prefixed on https (set for the whole
/// host, never by a sibling domain), plain in development.
pub const LANG_COOKIE: &str = "trame_lang";
pub const LANG_COOKIE_SECURE: &str = "__Host-trame_lang";

/// The language the person chose with the switcher, if it is one Trame
/// ships.
pub fn chosen_lang(headers: &HeaderMap) -> Option<&'static str> {
    let v = crate::cookies::read(headers, LANG_COOKIE_SECURE).or_else(|| crate::cookies::read(headers, LANG_COOKIE))?;
    trame_app::i18n::BUILT_IN.iter().find(|l| **l == v).copied()
}

/// The language for this request: the switcher's choice, else
/// Accept-Language (`ui_locales` are applied by the handlers that know
/// them, after the choice: [`crate::pages::lang_for`]).
pub fn lang_of(themes: &Themes, headers: &axum::http::HeaderMap) -> String {
    match chosen_lang(headers) {
        Some(l) => l.to_owned(),
        None => themes.i18n.negotiate(&[], headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())),
    }
}

/// What the middleware keeps of a request for the page it may render:
/// cheap copies (a header value, the URI's shared bytes), taken before the
/// request goes in.
pub struct PageRequest {
    accept_language: Option<HeaderValue>,
    chosen: Option<&'static str>,
    /// The page's own address, for the switcher's way back: GET requests
    /// only (a page answering a form post cannot be asked for again).
    here: Option<axum::http::Uri>,
}

impl PageRequest {
    pub fn of(req: &axum::extract::Request) -> Self {
        Self {
            accept_language: req.headers().get(header::ACCEPT_LANGUAGE).cloned(),
            chosen: chosen_lang(req.headers()),
            here: (req.method() == axum::http::Method::GET).then(|| req.uri().clone()),
        }
    }

    fn lang(&self, themes: &Themes) -> String {
        match self.chosen {
            Some(l) => l.to_owned(),
            None => themes.i18n.negotiate(&[], self.accept_language.as_ref().and_then(|v| v.to_str().ok())),
        }
    }
}

/// The switcher's links: each language, by its own name, through
/// `<issuer>/language` back to `here`.
fn switcher(themes: &Themes, ctx: &Value, here: Option<&axum::http::Uri>) -> Option<Vec<Value>> {
    let here = here?.path_and_query()?.as_str();
    let endpoint = ctx.get_attr("tenant").ok()?.get_attr("language").ok()?;
    let endpoint = endpoint.as_str()?;
    let current = ctx.get_attr("lang").ok();
    let back = percent_encoding::utf8_percent_encode(here, percent_encoding::NON_ALPHANUMERIC).to_string();
    Some(
        themes
            .languages
            .iter()
            .map(|(code, name)| {
                context! {
                    code => *code,
                    name => name,
                    href => format!("{endpoint}?set={code}&back={back}"),
                    current => current.as_ref().and_then(|c| c.as_str()) == Some(*code),
                }
            })
            .collect(),
    )
}

/// Renders the response's [`Deferred`] page, if it carries one: a
/// handler's page with the language switcher added, or an error or
/// form-post page in the request's language (the switcher's choice, else
/// Accept-Language: negotiated only for the few responses that are
/// pages). Called by the middleware around every request ([`crate::app`]).
pub fn render_deferred(themes: &Themes, req: &PageRequest, mut res: Response) -> Response {
    let Some(deferred) = res.extensions_mut().remove::<Deferred>() else {
        return res;
    };
    let tenant = res.extensions_mut().remove::<std::sync::Arc<trame_app::TenantEntry>>().map(|t| crate::branding::view(&t.tenant));
    let mut page = match deferred {
        Deferred::Page { status, template, ctx } => {
            let languages = switcher(themes, &ctx, req.here.as_ref());
            themes.render_page(status, template, context! { languages => languages, ..ctx })
        }
        Deferred::ErrorPage { status, message, detail } => {
            let lang = req.lang(themes);
            let ctx = context! { lang => lang, tenant => tenant, title => "error-title", message => message, detail => detail, is_error => true };
            let languages = switcher(themes, &ctx, req.here.as_ref());
            themes.render_page(status, "message.html", context! { languages => languages, ..ctx })
        }
        Deferred::FormPost { action, fields } => {
            themes.render_page(StatusCode::OK, "form_post.html", context! { lang => req.lang(themes), action => action, fields => fields })
        }
    };
    carry_headers(res.headers(), page.headers_mut());
    // What the handler left for the layers outside (the frame sources of
    // the front-channel logout page's CSP) goes on with the page.
    page.extensions_mut().extend(std::mem::take(res.extensions_mut()));
    page.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    page
}

/// The handler's headers onto the rendered page, all values of each (a
/// response may set several cookies), replacing the page's own values of
/// the same names; the body's type and length stay the page's.
fn carry_headers(from: &HeaderMap, to: &mut HeaderMap) {
    let carried = || from.keys().filter(|k| **k != header::CONTENT_TYPE && **k != header::CONTENT_LENGTH);
    for k in carried() {
        to.remove(k);
    }
    for k in carried() {
        for v in from.get_all(k) {
            to.append(k.clone(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_language_is_complete() {
        let langs: Vec<&str> = default_theme::LOCALES.iter().map(|(l, _)| *l).collect();
        assert_eq!(langs, trame_app::i18n::BUILT_IN, "the languages embedded are the ones discovery lists");
        let reference = default_theme::LOCALES[0].1.join("\n");
        for (lang, files) in default_theme::LOCALES {
            let problems = trame_app::i18n::check_pack(&reference, &files.join("\n"));
            assert!(problems.is_empty(), "{lang}: {problems:#?}");
        }
    }

    #[test]
    fn every_template_renders_in_every_language() {
        let themes = Themes::default_theme();
        for lang in trame_app::i18n::BUILT_IN {
            let html =
                themes.render("message.html", context! { lang => *lang, title => "error-title", message => "error-not-found", is_error => true }).unwrap();
            assert!(html.contains(&format!("lang=\"{lang}\"")));
            assert_eq!(html.contains("dir=\"rtl\""), *lang == "ar", "{lang}");
            assert!(!html.contains("error-not-found"), "{lang}: the message id shows instead of its text");
        }
    }

    #[test]
    fn every_cookie_and_header_of_the_handler_reaches_the_page() {
        let mut from = HeaderMap::new();
        from.append(header::SET_COOKIE, HeaderValue::from_static("a=1"));
        from.append(header::SET_COOKIE, HeaderValue::from_static("b=2"));
        from.insert(header::LOCATION, HeaderValue::from_static("/x"));
        from.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let mut to = HeaderMap::new();
        to.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        to.insert(header::LOCATION, HeaderValue::from_static("/page-own"));
        carry_headers(&from, &mut to);
        let cookies: Vec<_> = to.get_all(header::SET_COOKIE).iter().collect();
        assert_eq!(cookies, ["a=1", "b=2"]);
        assert_eq!(to.get_all(header::LOCATION).iter().collect::<Vec<_>>(), ["/x"], "replaced, not added to");
        assert_eq!(to[header::CONTENT_TYPE], "text/html", "the page's body type stays");
    }
}
