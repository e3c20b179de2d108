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
use minijinja::{Value, context};

use crate::themes::{Loaded, Themes};

impl Themes {
    /// A page, rendered by the middleware around the request
    /// ([`render_deferred`]), which adds what only the request knows: the
    /// language switcher's links back to this very page.
    pub fn page(&self, status: StatusCode, template: &'static str, ctx: Value) -> Response {
        Deferred::Page { status, template, ctx }.into_response()
    }
}

/// Renders a page now with the tenant's theme; if a template the tenant's
/// folder replaced fails, with the built-in one (a theme bug must not
/// take the page down); a plain error if the built-in one fails too.
fn render_page(loaded: &Loaded, slug: Option<&str>, status: StatusCode, template: &str, ctx: Value) -> Response {
    let theme = loaded.theme(slug);
    let html = theme.render(template, &ctx).or_else(|e| {
        if Arc::ptr_eq(theme, &loaded.base) {
            return Err(e);
        }
        tracing::error!(error = %e, template, tenant = slug, "a template of the themes folder failed: the built-in one is shown");
        loaded.base.render(template, &ctx)
    });
    match html {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, template, "template rendering failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
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

/// The language the person chose with the switcher, if it is installed.
pub fn chosen_lang(themes: &Themes, headers: &HeaderMap) -> Option<String> {
    let v = crate::cookies::read(headers, LANG_COOKIE_SECURE).or_else(|| crate::cookies::read(headers, LANG_COOKIE))?;
    themes.installed(&v)
}

/// The language for this request: the switcher's choice, else
/// Accept-Language (`ui_locales` are applied by the handlers that know
/// them, after the choice: [`crate::pages::lang_for`]).
pub fn lang_of(themes: &Themes, headers: &axum::http::HeaderMap) -> String {
    match chosen_lang(themes, headers) {
        Some(l) => l,
        None => themes.negotiate(&[], headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())),
    }
}

/// What the middleware keeps of a request for the page it may render:
/// cheap copies (a header value, the URI's shared bytes), taken before the
/// request goes in.
pub struct PageRequest {
    accept_language: Option<HeaderValue>,
    chosen: Option<String>,
    /// The page's own address, for the switcher's way back: GET requests
    /// only (a page answering a form post cannot be asked for again).
    here: Option<axum::http::Uri>,
}

impl PageRequest {
    pub fn of(themes: &Themes, req: &axum::extract::Request) -> Self {
        Self {
            accept_language: req.headers().get(header::ACCEPT_LANGUAGE).cloned(),
            chosen: chosen_lang(themes, req.headers()),
            here: (req.method() == axum::http::Method::GET).then(|| req.uri().clone()),
        }
    }

    fn lang(&self, themes: &Themes) -> String {
        match &self.chosen {
            Some(l) => l.clone(),
            None => themes.negotiate(&[], self.accept_language.as_ref().and_then(|v| v.to_str().ok())),
        }
    }
}

/// The switcher's links: each language, by its own name, through
/// `<issuer>/language` back to `here`.
fn switcher(loaded: &Loaded, ctx: &Value, here: Option<&axum::http::Uri>) -> Option<Vec<Value>> {
    let here = here?.path_and_query()?.as_str();
    let endpoint = ctx.get_attr("tenant").ok()?.get_attr("language").ok()?;
    let endpoint = endpoint.as_str()?;
    let current = ctx.get_attr("lang").ok();
    let back = percent_encoding::utf8_percent_encode(here, percent_encoding::NON_ALPHANUMERIC).to_string();
    Some(
        loaded
            .languages
            .iter()
            .map(|(code, name)| {
                context! {
                    code => code,
                    name => name,
                    href => format!("{endpoint}?set={code}&back={back}"),
                    current => current.as_ref().and_then(|c| c.as_str()) == Some(code.as_str()),
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
    let entry = res.extensions_mut().remove::<std::sync::Arc<trame_app::TenantEntry>>();
    let slug = entry.as_ref().map(|t| t.tenant.slug.as_str());
    let loaded = themes.current();
    // The tenant's own stylesheet from its themes folder, after the
    // default one and its colour.
    // Its other assets by name, at their versioned addresses, for the
    // folder's templates (`{{ theme_assets["logo.svg"] }}`).
    let (theme_style, theme_assets) = match (slug, &entry) {
        (Some(_), Some(t)) => {
            let theme = loaded.theme(slug);
            let base = t.tenant.issuer.path_prefix();
            let url = |name: &str, v: &str| format!("{base}/brand/static/{name}?v={v}");
            let assets: std::collections::BTreeMap<&str, String> = theme.asset_versions.iter().map(|(n, v)| (n.as_str(), url(n, v))).collect();
            (theme.style().map(|v| url("theme.css", v)), (!assets.is_empty()).then_some(assets))
        }
        _ => (None, None),
    };
    let mut page = match deferred {
        Deferred::Page { status, template, ctx } => {
            let languages = switcher(&loaded, &ctx, req.here.as_ref());
            render_page(&loaded, slug, status, template, context! { languages => languages, theme_style => theme_style, theme_assets => theme_assets, ..ctx })
        }
        Deferred::ErrorPage { status, message, detail } => {
            let lang = req.lang(themes);
            let tenant = entry.as_ref().map(|t| crate::branding::view(&t.tenant));
            let ctx = context! { lang => lang, tenant => tenant, title => "error-title", message => message, detail => detail, is_error => true };
            let languages = switcher(&loaded, &ctx, req.here.as_ref());
            render_page(
                &loaded,
                slug,
                status,
                "message.html",
                context! { languages => languages, theme_style => theme_style, theme_assets => theme_assets, ..ctx },
            )
        }
        Deferred::FormPost { action, fields } => {
            render_page(&loaded, slug, StatusCode::OK, "form_post.html", context! { lang => req.lang(themes), action => action, fields => fields })
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
        let langs: Vec<&str> = crate::themes::builtin::LOCALES.iter().map(|(l, _)| *l).collect();
        assert_eq!(langs, trame_app::i18n::BUILT_IN, "the languages embedded are the ones discovery lists");
        let reference = crate::themes::builtin::LOCALES[0].1.join("\n");
        for (lang, files) in crate::themes::builtin::LOCALES {
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
