// Browser suite: Trame's CAS server with the CAS clients the applications
// of a mairie use, unchanged: phpCAS (Debian's php-cas, what GLPI uses) in
// a small PHP application on PHP's built-in server, and Apache's
// mod_auth_cas (Debian's libapache2-mod-auth-cas) protecting a folder.
// Chromium signs in once at the first, reaches the second without a
// prompt, and one logout ends both (single logout). phpCAS validates with
// /cas/p3/serviceValidate (CAS 3.0), mod_auth_cas with /cas/samlValidate
// (SAML 1.1, as ENTs do), over https only: an nginx in front of Trame, with
// a certificate the test makes, carries its validations.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, chownSync, chmodSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUER, USER } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, trameCli, messages, TEST_TIMEOUT, freePort, listening, start } from './lib/harness.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const TRAME = new URL(ISSUER);

const work = mkdtempSync(path.join(tmpdir(), 'trame-cas-'));
const children = [];
let browser;
let php;
let apache;

before(async () => {
  browser = await launch();
  const [phpPort, apachePort, tlsPort] = [await freePort(), await freePort(), await freePort()];
  php = `http://127.0.0.1:${phpPort}`;
  apache = `http://127.0.0.1:${apachePort}`;

  // The certificate of the https front that mod_auth_cas validates through.
  const tls = path.join(work, 'tls');
  mkdirSync(tls);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost', '-keyout', path.join(tls, 'key.pem'), '-out', path.join(tls, 'cert.pem')], { stdio: 'ignore' });
  const nginxConf = path.join(work, 'nginx.conf');
  writeFileSync(nginxConf, `daemon off;
pid ${work}/nginx.pid;
error_log ${work}/nginx-error.log;
events {}
http {
  access_log off;
  client_body_temp_path ${work}/nginx-body;
  proxy_temp_path ${work}/nginx-proxy;
  server {
    listen 127.0.0.1:${tlsPort} ssl;
    ssl_certificate ${tls}/cert.pem;
    ssl_certificate_key ${tls}/key.pem;
    location /cas/ {
      proxy_pass http://127.0.0.1:${TRAME.port};
      proxy_set_header Host ${TRAME.host};
    }
  }
}
`);
  const nginx = start('nginx', ['-c', nginxConf, '-e', `${work}/nginx-error.log`]);
  children.push(nginx);

  // phpCAS, sessions in a folder of the test.
  const sessions = path.join(work, 'php-sessions');
  mkdirSync(sessions);
  const phpServer = start('php', ['-d', `session.save_path=${sessions}`, '-S', `127.0.0.1:${phpPort}`, '-t', path.join(HERE, '..', 'cas', 'phpcas')], {
    env: { ...process.env, TRAME_E2E_CAS_BASE: `${ISSUER}/cas`, TRAME_E2E_PHPCAS: php },
  });
  children.push(phpServer);

  // Apache with mod_auth_cas over /protected/, SAML 1.1 validation, single logout on.
  const root = path.join(work, 'apache');
  const cookies = path.join(root, 'cas-cookies');
  mkdirSync(path.join(root, 'htdocs', 'protected'), { recursive: true });
  mkdirSync(cookies);
  writeFileSync(path.join(root, 'htdocs', 'protected', 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Apache folder</title></head><body><h1>Protected by mod_auth_cas</h1></body></html>\n');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // mkdtemp makes the folder private to root.
    chmodSync(work, 0o755);
    // Apache drops root for www-data, which writes the CAS cookies.
    const uid = Number(execFileSync('id', ['-u', 'www-data']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'www-data']).toString().trim());
    chownSync(cookies, uid, gid);
  }
  const modules = '/usr/lib/apache2/modules';
  const apacheConf = path.join(root, 'apache2.conf');
  writeFileSync(apacheConf, `ServerRoot ${root}
ServerName 127.0.0.1:${apachePort}
UseCanonicalName On
Listen 127.0.0.1:${apachePort}
PidFile ${root}/httpd.pid
ErrorLog ${root}/error.log
LogLevel warn auth_cas:info
${asRoot ? 'User www-data\nGroup www-data' : ''}
LoadModule mpm_event_module ${modules}/mod_mpm_event.so
LoadModule authn_core_module ${modules}/mod_authn_core.so
LoadModule authz_core_module ${modules}/mod_authz_core.so
LoadModule authz_user_module ${modules}/mod_authz_user.so
LoadModule dir_module ${modules}/mod_dir.so
LoadModule mime_module ${modules}/mod_mime.so
LoadModule auth_cas_module ${modules}/mod_auth_cas.so
TypesConfig /dev/null
AddType text/html .html
DirectoryIndex index.html
DocumentRoot ${root}/htdocs
CASCookiePath ${cookies}/
CASLoginURL ${ISSUER}/cas/login
CASValidateURL https://localhost:${tlsPort}/cas/samlValidate
CASValidateSAML On
CASCertificatePath ${tls}/cert.pem
CASSSOEnabled On
<Directory ${root}/htdocs>
  Require all granted
</Directory>
<Location /protected/>
  AuthType CAS
  Require valid-user
</Location>
`);
  const httpd = start('apache2', ['-d', root, '-f', apacheConf, '-DFOREGROUND'], { env: { ...process.env, APACHE_RUN_DIR: root, APACHE_LOCK_DIR: root, APACHE_LOG_DIR: root } });
  children.push(httpd);

  await listening(tlsPort, 'nginx', nginx);
  await listening(phpPort, 'php -S', phpServer);
  await listening(apachePort, 'apache2', httpd);

  // The two services, registered as an operator would.
  await trameCli(['client', 'add', '--tenant', 'default', '--client-id', 'cas-phpcas', '--name', 'GLPI (phpCAS)', '--protocol', 'cas',
    '--service-url-prefix', `${php}/`, '--attribute', 'email', '--attribute', 'given_name', '--attribute', 'family_name']);
  await trameCli(['client', 'add', '--tenant', 'default', '--client-id', 'cas-apache', '--name', 'Intranet (Apache)', '--protocol', 'cas',
    '--service-url-prefix', `${apache}/protected/`]);
});

after(async () => {
  await browser?.close();
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))));
  // The two clients stay: the network check after the suites finds
  // their hosts (single logout) among the configured ones.
  rmSync(work, { recursive: true, force: true });
});

test('CAS: phpCAS and mod_auth_cas sign in through Trame once, and one logout ends both', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const s = await openContext(browser, 'cas');
  try {
    const page = await s.newPage();
    // phpCAS sends the browser to Trame's CAS login; Trame's sign-in page names the service.
    await page.goto(`${php}/index.php`);
    await waitForSignIn(page);
    assert.ok(page.url().startsWith(`${ISSUER}/login?interaction=`), page.url());
    assert.ok((await page.textContent('body')).includes('GLPI (phpCAS)'), 'the sign-in page names the CAS service');
    await s.shot(page, 'sign-in');
    await signInWith(page, USER);
    await page.waitForURL((u) => u.href.startsWith(`${php}/index.php`) && !u.searchParams.has('ticket'));
    assert.equal(await page.textContent('#user'), USER.username, 'phpCAS validated the ticket (CAS 3.0) and got the user');
    assert.equal(await page.textContent('#attr-email'), USER.email);
    assert.equal(await page.textContent('#attr-given_name'), USER.givenName);
    assert.equal(await page.textContent('#attr-acr'), 'eidas1');
    assert.equal(await page.textContent('#attr-isFromNewLogin'), 'true');

    // Apache's folder: signed in already, no second prompt.
    const folder = await page.goto(`${apache}/protected/`);
    assert.equal(folder.status(), 200, apacheLog());
    assert.equal(new URL(page.url()).href, `${apache}/protected/`, `mod_auth_cas removed the ticket once validated: ${apacheLog()}`);
    assert.equal(await page.textContent('h1'), 'Protected by mod_auth_cas');
    const prompts = s.requests.filter((r) => r.type === 'document' && r.method === 'GET' && r.url.startsWith(`${ISSUER}/login?`));
    assert.equal(prompts.length, 1, `one sign-in page for both applications:\n${s.trace()}`);

    // Sign out at phpCAS: Trame ends the session, tells both applications
    // (single logout, server to server) and returns to the application.
    await page.goto(`${php}/index.php?logout=1`);
    await page.waitForURL((u) => u.href.startsWith(`${php}/index.php?signed-out=1`));
    // Both applications ask for a sign-in again: their sessions are gone.
    await expectSignIn(page, `${php}/index.php`);
    await expectSignIn(page, `${apache}/protected/`);
    s.assertClean([`${php}/index.php`, `${apache}/protected/`]);
  } finally {
    await s.close();
  }
});

/** Apache's error log, for a failure's message. */
function apacheLog() {
  const file = path.join(work, 'apache', 'error.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '(no Apache log)';
}

/**
 * Opens `url` and expects Trame's sign-in page: the application's session
 * ended (Trame's single-logout request may take a moment to arrive).
 */
async function expectSignIn(page, url) {
  for (let i = 0; ; i += 1) {
    await page.goto(url);
    if (page.url().startsWith(`${ISSUER}/login?interaction=`)) return;
    if (i === 20) assert.fail(`${url} is still signed in: ${page.url()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('CAS: an unregistered service gets a page in the person\'s language, never a redirect', { timeout: TEST_TIMEOUT }, async () => {
  for (const [lang, locale] of [['fr', 'fr-FR'], ['en', 'en-GB']]) {
    const s = await openContext(browser, `cas-unregistered-${lang}`, { locale });
    try {
      const page = await s.newPage();
      const r = await page.goto(`${ISSUER}/cas/login?service=${encodeURIComponent('https://evil.example/steal')}`);
      assert.equal(r.status(), 400);
      assert.equal(new URL(page.url()).origin, TRAME.origin, 'no redirect');
      assert.ok((await page.textContent('main')).includes(messages(lang)['error-cas-service']), `the page says why (${lang})`);
      await s.shot(page, 'unregistered');
      s.assertClean();
    } finally {
      await s.close();
    }
  }
});

test('CAS: the validation endpoints answer phpCAS\'s and mod_auth_cas\'s refusals in CAS XML', { timeout: TEST_TIMEOUT }, async () => {
  const res = await fetch(`${ISSUER}/cas/serviceValidate?service=${encodeURIComponent(`${php}/index.php`)}&ticket=ST-forged`);
  assert.equal(res.status, 200);
  const body = await res.text();
  assert.match(body, /<cas:authenticationFailure code="INVALID_TICKET">/);
});
