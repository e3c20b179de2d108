// A tiny browser stand-in for the end-to-end suite: a cookie jar, manual
// redirects and hand-rolled parsing of the server-rendered HTML forms.
//
// Everything that does not touch the network (cookie parsing, HTML
// unescaping, form extraction) is exported on its own so that it can be
// unit-tested without a running server (see ../../unit/).

const MAX_STEPS = 12;

// ---------------------------------------------------------------------------
// HTML helpers

const NAMED_ENTITIES = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Decodes HTML character references (&amp; &#39; &#x2F; ...). */
export function htmlUnescape(text) {
  return text.replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);/g, (whole, ref) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    const named = NAMED_ENTITIES[ref.toLowerCase()];
    return named ?? whole;
  });
}

/**
 * Parses the attributes of one start tag (the text between the tag name and
 * the closing `>`). Names are lower-cased, values unescaped; a bare attribute
 * gets the empty string.
 */
export function parseAttributes(source) {
  const attrs = {};
  const re = /([^\s"'<>\/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  let m;
  while ((m = re.exec(source))) {
    const name = m[1].toLowerCase();
    if (name in attrs) continue; // first occurrence wins, as in HTML
    const raw = m[2] ?? m[3] ?? m[4] ?? '';
    attrs[name] = htmlUnescape(raw);
  }
  return attrs;
}

function stripComments(html) {
  return html.replace(/<!--[\s\S]*?-->/g, '');
}

/**
 * Extracts every <form> of a page: its method, its action resolved against
 * the page URL, its <input>s and its <button>s (submit buttons only).
 *
 * @param {string} html
 * @param {string | URL} pageUrl
 */
export function parseForms(html, pageUrl) {
  const forms = [];
  const source = stripComments(html);
  const formRe = /<form\b([^>]*)>([\s\S]*?)<\/form\s*>/gi;
  let fm;
  while ((fm = formRe.exec(source))) {
    const attrs = parseAttributes(fm[1]);
    const body = fm[2];
    const inputs = [];
    const inputRe = /<input\b([^>]*)>/gi;
    let im;
    while ((im = inputRe.exec(body))) {
      const a = parseAttributes(im[1]);
      inputs.push({ name: a.name, type: (a.type || 'text').toLowerCase(), value: a.value ?? '', attrs: a });
    }
    const buttons = [];
    const buttonRe = /<button\b([^>]*)>([\s\S]*?)<\/button\s*>/gi;
    let bm;
    while ((bm = buttonRe.exec(body))) {
      const a = parseAttributes(bm[1]);
      const type = (a.type || 'submit').toLowerCase();
      if (type !== 'submit') continue;
      buttons.push({ name: a.name, value: a.value ?? '', label: bm[2].replace(/<[^>]*>/g, '').trim(), attrs: a });
    }
    for (const i of inputs) {
      if (i.type === 'submit' || i.type === 'image') {
        buttons.push({ name: i.name, value: i.value, label: i.value, attrs: i.attrs });
      }
    }
    const action = new URL(attrs.action ?? '', pageUrl).href;
    forms.push({
      method: (attrs.method || 'get').toLowerCase(),
      action,
      attrs,
      inputs: inputs.filter((i) => i.type !== 'submit' && i.type !== 'image'),
      buttons,
    });
  }
  return forms;
}

/** The name/value pairs of the hidden inputs of a form. */
export function hiddenFields(form) {
  const fields = [];
  for (const i of form.inputs) {
    if (i.type === 'hidden' && i.name) fields.push([i.name, i.value]);
  }
  return fields;
}

/** True when the form is the sign-in form (username + password inputs). */
export function isSignInForm(form) {
  return (
    form.method === 'post' &&
    form.inputs.some((i) => i.name === 'password' && i.type === 'password') &&
    form.inputs.some((i) => i.name === 'username')
  );
}

/** True when the form is the consent form (decision=approve / deny). */
export function isConsentForm(form) {
  return (
    form.method === 'post' &&
    form.buttons.some((b) => b.name === 'decision' && b.value === 'approve') &&
    form.buttons.some((b) => b.name === 'decision' && b.value === 'deny')
  );
}

// ---------------------------------------------------------------------------
// Cookies

/**
 * Parses one Set-Cookie header value.
 * @returns {{name: string, value: string, path?: string, expired: boolean, attrs: Record<string,string>}}
 */
export function parseSetCookie(header, now = Date.now()) {
  const parts = header.split(';');
  const first = parts.shift();
  const eq = first.indexOf('=');
  const name = (eq === -1 ? '' : first.slice(0, eq)).trim();
  const value = (eq === -1 ? first : first.slice(eq + 1)).trim();
  const attrs = {};
  for (const p of parts) {
    const i = p.indexOf('=');
    const k = (i === -1 ? p : p.slice(0, i)).trim().toLowerCase();
    const v = i === -1 ? '' : p.slice(i + 1).trim();
    if (k) attrs[k] = v;
  }
  let expired = false;
  if ('max-age' in attrs) {
    const maxAge = Number(attrs['max-age']);
    if (Number.isFinite(maxAge) && maxAge <= 0) expired = true;
  } else if ('expires' in attrs) {
    const t = Date.parse(attrs.expires);
    if (Number.isFinite(t) && t <= now) expired = true;
  }
  const path = attrs.path && attrs.path.startsWith('/') ? attrs.path : undefined;
  return { name, value, path, expired, attrs };
}

function defaultPath(url) {
  const p = new URL(url).pathname;
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function pathMatches(requestPath, cookiePath) {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** Cookies kept per host name (ports are ignored, as browsers do). */
export class CookieJar {
  constructor() {
    /** @type {Map<string, Map<string, {value: string, path: string}>>} */
    this.hosts = new Map();
  }

  /** Stores the Set-Cookie headers of a response to `url`. */
  store(url, setCookieHeaders) {
    const host = new URL(url).hostname;
    let jar = this.hosts.get(host);
    if (!jar) this.hosts.set(host, (jar = new Map()));
    for (const h of setCookieHeaders) {
      const c = parseSetCookie(h);
      if (!c.name) continue;
      const path = c.path ?? defaultPath(url);
      const key = `${c.name}\u0000${path}`;
      if (c.expired) jar.delete(key);
      else jar.set(key, { name: c.name, value: c.value, path });
    }
  }

  /** The Cookie header to send to `url` (undefined when there is none). */
  header(url) {
    const u = new URL(url);
    const jar = this.hosts.get(u.hostname);
    if (!jar) return undefined;
    const matching = [...jar.values()]
      .filter((c) => pathMatches(u.pathname, c.path))
      .sort((a, b) => b.path.length - a.path.length);
    if (matching.length === 0) return undefined;
    return matching.map((c) => `${c.name}=${c.value}`).join('; ');
  }

  /** An independent copy of the jar. */
  clone() {
    const copy = new CookieJar();
    for (const [host, jar] of this.hosts) {
      copy.hosts.set(host, new Map([...jar].map(([k, c]) => [k, { ...c }])));
    }
    return copy;
  }

  /** Cookie names stored for a host. */
  names(hostname) {
    return [...(this.hosts.get(hostname)?.values() ?? [])].map((c) => c.name);
  }
}

// ---------------------------------------------------------------------------
// Browser

function sameEndpoint(a, b) {
  const x = new URL(a);
  const y = new URL(b);
  return x.origin === y.origin && x.pathname === y.pathname;
}

/** A browser without JavaScript: keeps cookies, never follows redirects itself. */
export class Browser {
  /**
   * @param {CookieJar} [jar] start with these cookies (e.g. a clone)
   * @param {{headers?: Record<string, string>}} [options] headers sent with
   *   every request (e.g. Accept-Language), unless a request sets its own
   */
  constructor(jar = new CookieJar(), { headers = {} } = {}) {
    this.jar = jar;
    this.headers = headers;
    /** Every response seen, for debugging failures. */
    this.history = [];
  }

  /**
   * One HTTP request. Returns {status, url, headers, location, body}; the
   * Location header (if any) is resolved against the request URL.
   */
  async request(url, { method = 'GET', form, headers = {} } = {}) {
    const h = new Headers(this.headers);
    for (const [k, v] of new Headers(headers)) h.set(k, v);
    const cookie = this.jar.header(url);
    if (cookie) h.set('cookie', cookie);
    if (!h.has('accept')) h.set('accept', 'text/html,application/xhtml+xml');
    let body;
    if (form) {
      body = new URLSearchParams(form).toString();
      h.set('content-type', 'application/x-www-form-urlencoded');
    }
    const res = await fetch(url, { method, headers: h, body, redirect: 'manual' });
    this.jar.store(url, res.headers.getSetCookie());
    const text = await res.text();
    const loc = res.headers.get('location');
    const result = {
      status: res.status,
      url: String(url),
      method,
      headers: res.headers,
      location: loc === null ? null : new URL(loc, url).href,
      body: text,
    };
    this.history.push(result);
    return result;
  }

  get(url, options = {}) {
    return this.request(url, { ...options, method: 'GET' });
  }

  post(url, form, options = {}) {
    return this.request(url, { ...options, method: 'POST', form });
  }

  /** Submits a parsed form with its hidden inputs plus `extra` fields. */
  submit(form, extra = []) {
    const fields = [...hiddenFields(form), ...(Array.isArray(extra) ? extra : Object.entries(extra))];
    if (form.method === 'post') return this.post(form.action, fields);
    const u = new URL(form.action);
    for (const [k, v] of fields) u.searchParams.append(k, v);
    return this.get(u.href);
  }

  /**
   * Follows 3xx redirects (GET) from `res` while they stay away from
   * `stopAt`; returns the first response that is not a redirect or whose
   * Location points at `stopAt` (compared on origin + path).
   */
  async follow(res, stopAt) {
    for (let i = 0; i < MAX_STEPS; i++) {
      if (!isRedirect(res) || !res.location) return res;
      if (stopAt && sameEndpoint(res.location, stopAt)) return res;
      res = await this.get(res.location);
    }
    throw new Error(`too many redirects, last: ${res.url}`);
  }

  /** A short trace of the requests made so far (for assertion messages). */
  trace() {
    return this.history
      .map((r) => `${r.method} ${r.url} -> ${r.status}${r.location ? ` ${r.location}` : ''}`)
      .join('\n');
  }
}

export function isRedirect(res) {
  return res.status >= 300 && res.status < 400;
}

/**
 * Drives an authorization request to its end as a user would: sign in when
 * asked, answer the consent page with `decision`, and stop when the server
 * sends the browser back to `redirectUri`.
 *
 * @returns {Promise<{
 *   callbackUrl: URL,           // redirect_uri with the response parameters
 *   params: URLSearchParams,    // the response parameters (query or form_post)
 *   formPost: boolean,          // true when delivered by response_mode=form_post
 *   formPostPage?: string,      // the HTML of the form_post page
 *   signInShown: boolean,
 *   consentShown: boolean,
 *   signInPage?: object,        // the first sign-in page shown (a request() result)
 *   redirectStatus?: number,    // the status of the final redirect
 * }>}
 */
export async function authorize(browser, authUrl, { username, password, redirectUri, decision = 'approve' }) {
  let res = await browser.get(String(authUrl));
  let signInShown = false;
  let consentShown = false;
  let signInPosts = 0;
  let signInPage;
  for (let step = 0; step < MAX_STEPS; step++) {
    res = await browser.follow(res, redirectUri);
    if (isRedirect(res)) {
      // Location points at the redirect URI.
      const callbackUrl = new URL(res.location);
      const params = new URLSearchParams(callbackUrl.search);
      if (callbackUrl.hash.length > 1) {
        for (const [k, v] of new URLSearchParams(callbackUrl.hash.slice(1))) params.append(k, v);
      }
      return { callbackUrl, params, formPost: false, signInShown, consentShown, signInPage, redirectStatus: res.status };
    }
    if (res.status !== 200 && res.status !== 401) {
      throw new Error(`unexpected ${res.status} page at ${res.url}:\n${res.body.slice(0, 800)}\ntrace:\n${browser.trace()}`);
    }
    const forms = parseForms(res.body, res.url);
    const formPost = forms.find((f) => f.method === 'post' && sameEndpoint(f.action, redirectUri));
    if (formPost) {
      const params = new URLSearchParams(hiddenFields(formPost));
      const callbackUrl = new URL(formPost.action);
      return { callbackUrl, params, formPost: true, formPostForm: formPost, formPostPage: res.body, formPostPageUrl: res.url, signInShown, consentShown, signInPage };
    }
    const signIn = forms.find(isSignInForm);
    if (signIn) {
      if (signInPosts > 0) {
        throw new Error(`sign-in page shown again after posting credentials (status ${res.status}):\n${res.body.slice(0, 800)}`);
      }
      signInShown = true;
      signInPage = res;
      signInPosts++;
      res = await browser.submit(signIn, [
        ['username', username],
        ['password', password],
      ]);
      continue;
    }
    const consent = forms.find(isConsentForm);
    if (consent) {
      consentShown = true;
      res = await browser.submit(consent, [['decision', decision]]);
      continue;
    }
    throw new Error(`page at ${res.url} has neither a sign-in, a consent nor a form_post form:\n${res.body.slice(0, 1200)}\ntrace:\n${browser.trace()}`);
  }
  throw new Error(`authorization did not finish within ${MAX_STEPS} steps:\n${browser.trace()}`);
}
