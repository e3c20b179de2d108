// Passkeys on Trame's pages: sign-in (autofill and button), sign-up, and
// adding a passkey on the account page. The server sends WebAuthn options as
// JSON ({ publicKey: ... }, binary values in base64url) and takes back
// PublicKeyCredential.toJSON(); the ceremony state stays on the server.
"use strict";
(function () {
  const supported = typeof window.PublicKeyCredential === "function";

  function b64urlToBuf(s) {
    const b64 = s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function bufToB64url(buf) {
    const bytes = new Uint8Array(buf);
    let bin = "";
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  // Older browsers lack parse*OptionsFromJSON and toJSON: convert by hand.
  function creationOptions(pk) {
    if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(pk);
    const o = Object.assign({}, pk);
    o.challenge = b64urlToBuf(pk.challenge);
    o.user = Object.assign({}, pk.user, { id: b64urlToBuf(pk.user.id) });
    o.excludeCredentials = (pk.excludeCredentials || []).map((c) => Object.assign({}, c, { id: b64urlToBuf(c.id) }));
    return o;
  }
  function requestOptions(pk) {
    if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(pk);
    const o = Object.assign({}, pk);
    o.challenge = b64urlToBuf(pk.challenge);
    o.allowCredentials = (pk.allowCredentials || []).map((c) => Object.assign({}, c, { id: b64urlToBuf(c.id) }));
    return o;
  }
  function credentialJSON(cred) {
    if (typeof cred.toJSON === "function") return cred.toJSON();
    const r = cred.response;
    const response = { clientDataJSON: bufToB64url(r.clientDataJSON) };
    if (r.attestationObject) {
      response.attestationObject = bufToB64url(r.attestationObject);
      response.transports = r.getTransports ? r.getTransports() : [];
      if (r.getAuthenticatorData) response.authenticatorData = bufToB64url(r.getAuthenticatorData());
      if (r.getPublicKey && r.getPublicKey()) response.publicKey = bufToB64url(r.getPublicKey());
      if (r.getPublicKeyAlgorithm) response.publicKeyAlgorithm = r.getPublicKeyAlgorithm();
    } else {
      response.authenticatorData = bufToB64url(r.authenticatorData);
      response.signature = bufToB64url(r.signature);
      response.userHandle = r.userHandle ? bufToB64url(r.userHandle) : null;
    }
    return {
      id: cred.id, rawId: bufToB64url(cred.rawId), type: cred.type, response,
      authenticatorAttachment: cred.authenticatorAttachment || null,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
    };
  }

  async function post(url, body) {
    const r = await fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body),
    });
    let data = {};
    try { data = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) throw Object.assign(new Error(data.error_description || "request failed"), { serverError: data.error || "request_failed" });
    return data;
  }

  // The default name of a new passkey: the browser and the device it was
  // made on, in the page's language ("Clé d’accès – Chrome sur Android").
  // The page gives the wording (data-name-template with {browser} and
  // {os}, data-name-template-one with {device} when only one is known);
  // browser and system names are proper nouns, not translated. Client
  // hints when the browser has them, else the User-Agent string; coarse
  // on purpose (no versions, no model).
  const BROWSERS = [
    ["Microsoft Edge", /Edg(e|A|iOS)?\//, "Edge"], ["Opera", /OPR\/|OPiOS\//, "Opera"],
    ["Samsung Internet", /SamsungBrowser\//, "Samsung Internet"], ["Brave", null, "Brave"],
    ["Firefox", /Firefox\/|FxiOS\//, "Firefox"], ["Google Chrome", /Chrome\/|CriOS\//, "Chrome"],
    ["Chromium", /Chromium\//, "Chromium"], [null, /Version\/[\d.]+.*Safari\//, "Safari"],
  ];
  const SYSTEMS = [
    ["Android", /Android/, "Android"], ["iOS", /iPhone|iPod/, "iOS"], [null, /iPad/, "iPadOS"],
    ["Windows", /Windows/, "Windows"], ["Chrome OS", /CrOS/, "ChromeOS"], ["Chromium OS", null, "ChromeOS"],
    ["macOS", /Macintosh|Mac OS X/, "macOS"], ["Linux", /Linux|X11/, "Linux"],
  ];
  function browserAndSystem() {
    const hints = navigator.userAgentData;
    const brands = hints && Array.isArray(hints.brands) ? hints.brands.map((b) => b.brand) : [];
    const platform = hints && typeof hints.platform === "string" ? hints.platform : "";
    const ua = navigator.userAgent || "";
    const pick = (table, hinted) => {
      for (const [hint, , name] of table) if (hint && hinted(hint)) return name;
      for (const [, re, name] of table) if (re && re.test(ua)) return name;
      return "";
    };
    return {
      browser: pick(BROWSERS, (h) => brands.includes(h)),
      os: pick(SYSTEMS, (h) => h === platform),
    };
  }
  function defaultName(holder) {
    const { browser, os } = browserAndSystem();
    const both = holder.dataset.nameTemplate;
    const one = holder.dataset.nameTemplateOne;
    let name = "";
    if (browser && os && both) name = both.replace("{browser}", browser).replace("{os}", os);
    else if ((browser || os) && one) name = one.replace("{device}", browser || os);
    // The server keeps at most 64 characters and otherwise names the
    // passkey after the authenticator's model.
    return name && Array.from(name).length <= 64 ? name : undefined;
  }

  function status(el, message) {
    const s = document.getElementById("passkey-status");
    if (!s) return;
    s.textContent = message;
    s.hidden = !message;
    s.dataset.code = el || "";
  }
  function failure(holder, err) {
    // A dismissed browser dialog is the person's choice, not an error.
    if (err && (err.name === "AbortError")) return;
    // Only the server's answers carry an error code (a DOMException's `code`
    // is its legacy number, 11 for InvalidStateError). The page has a
    // message in its own language for the codes a person can act on
    // (data-msg-<code>, e.g. data-msg-username-taken); the server's
    // error_description is English and is not shown.
    const server = err && err.serverError;
    const key = server ? "msg" + server.replace(/(?:^|_)([a-z])/g, (_, c) => c.toUpperCase()) : "";
    status(server || "error", (key && holder.dataset[key]) || holder.dataset.msgFailed);
  }

  // --- Sign-in page -------------------------------------------------------
  const login = document.getElementById("login");
  if (login) {
    const fields = () => ({ interaction: login.interaction.value, csrf: login.csrf.value });
    let pending = null;

    async function signIn(conditional) {
      // The autofill request can be cancelled (by the button) from the
      // start, also while its options are still on their way.
      const controller = conditional ? (pending = new AbortController()) : null;
      const body = fields();
      const username = login.username.value.trim();
      if (!conditional && username) body.username = username;
      let cred;
      try {
        const options = await post(login.dataset.options, body);
        if (controller && controller.signal.aborted) return;
        const publicKey = requestOptions(options.publicKey);
        const req = { publicKey };
        if (controller) {
          req.mediation = "conditional";
          req.signal = controller.signal;
        }
        cred = await navigator.credentials.get(req);
      } catch (e) {
        // The autofill request runs in the background from the page's
        // load: until the person picks a passkey in it, its failures
        // (options refused, request aborted or not allowed) are nothing
        // they did, and the page says nothing.
        if (conditional) return;
        throw e;
      }
      if (!cred) return;
      // From here the person chose a passkey: a refusal is theirs to see.
      // A passkey below the level the service asks for leads to the page
      // that says what would reach it (and may add it).
      let done;
      try {
        done = await post(login.dataset.finish, Object.assign(fields(), { credential: credentialJSON(cred) }));
      } catch (e) {
        if (e.serverError === "below_required_level" && login.dataset.level) {
          window.location.assign(login.dataset.level);
          return;
        }
        throw e;
      }
      window.location.assign(done.location);
    }

    const button = document.getElementById("passkey-button");
    if (!supported) {
      button.hidden = true;
    } else {
      button.addEventListener("click", async () => {
        if (pending) { pending.abort(); pending = null; }
        status("", "");
        try { await signIn(false); } catch (e) { failure(login, e); }
      });
      if (PublicKeyCredential.isConditionalMediationAvailable) {
        PublicKeyCredential.isConditionalMediationAvailable().then((ok) => {
          if (ok) signIn(true).catch((e) => failure(login, e));
        });
      }
    }
  }

  // --- Sign-up page -------------------------------------------------------
  const FIELD_ERRORS = ["invalid_username", "invalid_email", "username_taken"];
  const signup = document.getElementById("signup");
  if (signup) {
    signup.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      status("", "");
      if (!supported) { status("unsupported", signup.dataset.msgUnsupported); return; }
      try {
        const base = { csrf: signup.csrf.value };
        let options;
        try {
          options = await post(signup.dataset.options, Object.assign({}, base, {
            username: signup.username.value, email: signup.email.value,
            interaction: signup.interaction.value, invitation: signup.invitation.value,
          }));
        } catch (e) {
          // A field the server refused: the form goes to the server as it
          // would without script, which shows each error at its field
          // (aria-invalid, the first one focused) and creates nothing.
          if (FIELD_ERRORS.includes(e.serverError)) { signup.submit(); return; }
          throw e;
        }
        const cred = await navigator.credentials.create({ publicKey: creationOptions(options.publicKey) });
        const done = await post(signup.dataset.finish, Object.assign({}, base, { credential: credentialJSON(cred), name: defaultName(signup) }));
        const list = document.getElementById("code-list");
        for (const c of done.recovery_codes) {
          const li = document.createElement("li");
          const code = document.createElement("code");
          code.textContent = c;
          li.appendChild(code);
          list.appendChild(li);
        }
        document.getElementById("codes-continue").href = done.location;
        document.getElementById("signup-step").hidden = true;
        document.getElementById("codes").hidden = false;
        document.getElementById("codes-title").focus();
      } catch (e) { failure(signup, e); }
    });
  }

  // --- Account page (and the level page's enrolment): add a passkey ------
  const add = document.getElementById("add-passkey");
  if (add) {
    document.getElementById("add-passkey-button").addEventListener("click", async () => {
      status("", "");
      if (!supported) { status("unsupported", add.dataset.msgUnsupported); return; }
      try {
        const options = await post(add.dataset.options, { csrf: add.dataset.csrf });
        const cred = await navigator.credentials.create({ publicKey: creationOptions(options.publicKey) });
        // From the level page: the sign-in this passkey is added for.
        const finish = { csrf: add.dataset.csrf, credential: credentialJSON(cred), name: defaultName(add) };
        if (add.dataset.interaction) finish.interaction = add.dataset.interaction;
        const done = await post(add.dataset.finish, finish);
        window.location.assign(done.location);
      } catch (e) { failure(add, e); }
    });
  }
})();
