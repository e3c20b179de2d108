// Unit tests of the browser stand-in (no server needed):
//   node --test unit/
import test from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import {
  htmlUnescape,
  parseAttributes,
  parseForms,
  hiddenFields,
  isSignInForm,
  isConsentForm,
  parseSetCookie,
  CookieJar,
  Browser,
  authorize,
} from '../tests/lib/browser.mjs';

test('htmlUnescape decodes named and numeric references', () => {
  assert.equal(htmlUnescape('a&amp;b&lt;c&gt;&quot;d&quot;&#39;e&#x2F;f&#47;'), 'a&b<c>"d"\'e/f/');
  assert.equal(htmlUnescape('&unknown; &amp'), '&unknown; &amp');
  assert.equal(htmlUnescape('x&amp;amp;y'), 'x&amp;y', 'decoded once only');
});

test('parseAttributes handles quoting styles, bare attributes and case', () => {
  assert.deepEqual(parseAttributes(` NAME="a&amp;b" value='x y' type=hidden required /`), {
    name: 'a&b',
    value: 'x y',
    type: 'hidden',
    required: '',
  });
});

const SIGN_IN = `<!doctype html><html><body>
<!-- <form method="post" action="/commented-out"></form> -->
<form method="POST" action="">
  <input type="hidden" name="csrf_token" value="abc&amp;def">
  <input type="hidden" name="interaction" value='i-123' />
  <label>User <input name="username" autocomplete="username"></label>
  <input name="password" type="password">
  <button type="submit">Sign in</button>
</form></body></html>`;

test('parseForms finds the sign-in form, resolves an empty action, unescapes values', () => {
  const forms = parseForms(SIGN_IN, 'http://localhost:1234/signin?x=1');
  assert.equal(forms.length, 1);
  const [f] = forms;
  assert.equal(f.method, 'post');
  assert.equal(f.action, 'http://localhost:1234/signin?x=1');
  assert.deepEqual(hiddenFields(f), [
    ['csrf_token', 'abc&def'],
    ['interaction', 'i-123'],
  ]);
  assert.ok(isSignInForm(f));
  assert.ok(!isConsentForm(f));
});

test('parseForms finds the consent form and its decision buttons; relative action', () => {
  const html = `<form method="post" action="consent?i=1&amp;j=2"><input type="hidden" name="csrf" value="t">
    <button name="decision" value="approve">Allow</button>
    <button type="submit" name="decision" value="deny">Deny</button>
    <button type="button" name="other" value="x">noop</button></form>`;
  const [f] = parseForms(html, 'http://localhost:1234/interaction/abc');
  assert.equal(f.action, 'http://localhost:1234/interaction/consent?i=1&j=2');
  assert.ok(isConsentForm(f));
  assert.equal(f.buttons.length, 2, 'type=button is not a submit button');
  assert.ok(!isSignInForm(f));
});

test('parseForms: form_post page', () => {
  const html = `<html><body onload="document.forms[0].submit()"><form method="post" action="http://localhost:9/cb">
  <input type="hidden" name="code" value="c0de"/><input type="hidden" name="state" value="st"/>
  <input type="hidden" name="iss" value="http://localhost:1234"/><noscript><input type="submit" value="Continue"></noscript></form></body></html>`;
  const [f] = parseForms(html, 'http://localhost:1234/authorize');
  assert.equal(f.action, 'http://localhost:9/cb');
  assert.deepEqual(Object.fromEntries(hiddenFields(f)), { code: 'c0de', state: 'st', iss: 'http://localhost:1234' });
  assert.equal(f.buttons.length, 1);
});

test('parseSetCookie reads attributes and expiry', () => {
  const c = parseSetCookie('sid=abc=def; Path=/; HttpOnly; SameSite=Lax');
  assert.equal(c.name, 'sid');
  assert.equal(c.value, 'abc=def');
  assert.equal(c.path, '/');
  assert.equal(c.expired, false);
  assert.equal(parseSetCookie('sid=; Max-Age=0').expired, true);
  assert.equal(parseSetCookie('sid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT').expired, true);
  assert.equal(parseSetCookie('sid=x; Expires=Thu, 01 Jan 2099 00:00:00 GMT').expired, false);
});

test('CookieJar keeps cookies per host and path, deletes expired ones', () => {
  const jar = new CookieJar();
  jar.store('http://localhost:1234/a/b', ['one=1; Path=/', 'two=2; Path=/a', 'three=3']);
  jar.store('http://127.0.0.1:1234/', ['other=x']);
  assert.equal(jar.header('http://localhost:1234/a/c'), 'two=2; three=3; one=1');
  assert.equal(jar.header('http://localhost:1234/'), 'one=1');
  assert.equal(jar.header('http://localhost:5678/abc'), 'one=1', 'ports are ignored');
  assert.equal(jar.header('http://127.0.0.1:1234/'), 'other=x');
  assert.equal(jar.header('http://example.test/'), undefined);
  jar.store('http://localhost:1234/', ['one=; Path=/; Max-Age=0']);
  assert.equal(jar.header('http://localhost:1234/'), undefined);
  jar.store('http://localhost:1234/', ['one=new; Path=/']);
  assert.equal(jar.header('http://localhost:1234/'), 'one=new');
});

// A fake IdP exercising Browser + authorize end to end, without Trame.
function fakeIdp() {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const cookies = Object.fromEntries((req.headers.cookie ?? '').split(/;\s*/).filter(Boolean).map((c) => c.split('=')));
    if (url.pathname === '/authorize') {
      res.writeHead(303, { location: '/signin?i=42', 'set-cookie': 'interaction=42; Path=/; HttpOnly' });
      return res.end();
    }
    if (url.pathname === '/signin' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<form method="post"><input type="hidden" name="csrf" value="t&amp;1"><input name="username"><input type="password" name="password"></form>`);
    }
    if (url.pathname === '/signin' && req.method === 'POST') {
      if (cookies.interaction !== '42' || form.get('csrf') !== 't&1' || form.get('password') !== 'secret-pw') {
        res.writeHead(401, { 'content-type': 'text/html' });
        return res.end(`<p>Wrong</p><form method="post"><input type="hidden" name="csrf" value="t&amp;1"><input name="username"><input type="password" name="password"></form>`);
      }
      res.writeHead(303, { location: '/consent', 'set-cookie': 'session=s1; Path=/' });
      return res.end();
    }
    if (url.pathname === '/consent' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(`<form method="post" action="/consent"><input type="hidden" name="csrf" value="c"><button name="decision" value="approve">Yes</button><button name="decision" value="deny">No</button></form>`);
    }
    if (url.pathname === '/consent' && req.method === 'POST') {
      const ok = cookies.session === 's1' && form.get('csrf') === 'c';
      const params = ok && form.get('decision') === 'approve' ? 'code=abc&state=xyz' : 'error=access_denied&state=xyz';
      res.writeHead(303, { location: `http://localhost:9/cb?${params}&iss=x` });
      return res.end();
    }
    res.writeHead(404);
    res.end();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('authorize drives sign-in and consent against a fake IdP', async (t) => {
  const server = await fakeIdp();
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}`;
  const user = { username: 'alice', password: 'secret-pw', redirectUri: 'http://localhost:9/cb' };

  const ok = await authorize(new Browser(), `${base}/authorize`, user);
  assert.equal(ok.params.get('code'), 'abc');
  assert.ok(ok.signInShown && ok.consentShown);
  assert.equal(ok.redirectStatus, 303);

  const denied = await authorize(new Browser(), `${base}/authorize`, { ...user, decision: 'deny' });
  assert.equal(denied.params.get('error'), 'access_denied');

  await assert.rejects(authorize(new Browser(), `${base}/authorize`, { ...user, password: 'nope' }), /sign-in page shown again/);
});

test('CookieJar.clone is independent of the original', () => {
  const jar = new CookieJar();
  jar.store('http://localhost/', ['a=1; Path=/']);
  const copy = jar.clone();
  jar.store('http://localhost/', ['a=; Path=/; Max-Age=0']);
  assert.equal(jar.header('http://localhost/'), undefined);
  assert.equal(copy.header('http://localhost/'), 'a=1');
  assert.equal(new Browser(copy).jar, copy);
});
