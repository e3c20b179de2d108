// Browser suite: an agent of a mairie's OpenLDAP directory (Debian's
// slapd, started here with its own configuration, data and test CA, over
// StartTLS) signs in with the directory password, sees on the account page
// what the directory manages, adds a passkey, then signs in with the
// passkey alone. When the directory stops answering, the password sign-in
// says so. Every page state is checked by axe-core.
import test, { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ISSUER } from '../tests/lib/setup.mjs';
import { launch, openContext, signInWith, waitForSignIn, trameCli, messages, LANGUAGES, TEST_TIMEOUT, freePort, listening, start } from './lib/harness.mjs';

const FR = messages('fr');
const AGENT = { uid: 'agent-e2e', password: 'directory-password-e2e', givenName: 'Agnès', familyName: 'Annuaire', email: 'agnes.annuaire@mairie.test' };
const BASE_DN = 'ou=people,dc=mairie,dc=test';
const SERVICE_DN = 'cn=trame,ou=services,dc=mairie,dc=test';
const SERVICE_PASSWORD = 'service-account-e2e';

const work = mkdtempSync(path.join(tmpdir(), 'trame-ldap-'));
let browser;
let slapd;

function openssl(args) {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

before(async () => {
  browser = await launch();
  // A test CA and the server's certificate for 127.0.0.1.
  const f = (n) => path.join(work, n);
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=Trame e2e CA',
    '-keyout', f('ca.key'), '-out', f('ca.pem')]);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr')]);
  writeFileSync(f('ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '1', '-extfile', f('ext'), '-out', f('server.pem')]);
  mkdirSync(f('db'));
  writeFileSync(f('slapd.conf'), `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${f('slapd.pid')}
TLSCACertificateFile ${f('ca.pem')}
TLSCertificateFile ${f('server.pem')}
TLSCertificateKeyFile ${f('server.key')}
database mdb
suffix "dc=mairie,dc=test"
rootdn "cn=admin,dc=mairie,dc=test"
rootpw root-e2e
directory ${f('db')}
access to attrs=userPassword by anonymous auth by self write by * none
access to * by users read by * none
`);
  writeFileSync(f('data.ldif'), `dn: dc=mairie,dc=test
objectClass: dcObject
objectClass: organization
o: Mairie
dc: mairie

dn: ou=people,dc=mairie,dc=test
objectClass: organizationalUnit
ou: people

dn: ou=services,dc=mairie,dc=test
objectClass: organizationalUnit
ou: services

dn: ${SERVICE_DN}
objectClass: person
cn: trame
sn: service
userPassword: ${SERVICE_PASSWORD}

dn: uid=${AGENT.uid},${BASE_DN}
objectClass: inetOrgPerson
uid: ${AGENT.uid}
cn: ${AGENT.givenName} ${AGENT.familyName}
givenName: ${AGENT.givenName}
sn: ${AGENT.familyName}
mail: ${AGENT.email}
userPassword: ${AGENT.password}
`);
  execFileSync('/usr/sbin/slapadd', ['-f', f('slapd.conf'), '-l', f('data.ldif')], { stdio: 'ignore' });
  const port = await freePort();
  slapd = start('/usr/sbin/slapd', ['-d', '0', '-f', f('slapd.conf'), '-h', `ldap://127.0.0.1:${port}/`]);
  await listening(port, 'slapd', slapd);
  // Connected as an operator would. Debian's slapd has no ppolicy overlay:
  // the preset's disabled filter (pwdAccountLockedTime) would exclude every
  // agent, so Trame refuses it and says what to give instead.
  const add = (extra) => trameCli(['directory', 'add', '--tenant', 'default', '--name', 'e2e', '--preset', 'openldap', '--url', `ldap://127.0.0.1:${port}`,
    '--starttls', '--ca-file', f('ca.pem'), '--bind-dn', SERVICE_DN, '--bind-password-stdin', '--base-dn', BASE_DN, ...extra], `${SERVICE_PASSWORD}\n`);
  await assert.rejects(add([]), (e) => /does not know the attribute pwdAccountLockedTime/.test(e.stderr), 'a disabled filter the server cannot evaluate is refused');
  assert.match(await add(['--disabled-filter', '']), /directory e2e added/);
});

after(async () => {
  await browser?.close();
  if (slapd && slapd.exitCode === null) {
    slapd.kill('SIGTERM');
    await new Promise((r) => slapd.once('exit', r));
  }
  await trameCli(['directory', 'remove', '--tenant', 'default', '--name', 'e2e']).catch(() => {});
  rmSync(work, { recursive: true, force: true });
});

test('directory: an agent signs in with the directory password, adds a passkey, then signs in with it alone', { timeout: TEST_TIMEOUT * 3 }, async () => {
  const s = await openContext(browser, 'directory', { webauthn: true });
  try {
    const page = await s.newPage();
    await s.addAuthenticator(page);
    await page.goto(`${ISSUER}/account`);
    await waitForSignIn(page);
    await signInWith(page, { username: AGENT.uid, password: AGENT.password });
    await page.waitForURL(`${ISSUER}/account`);
    await page.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor();
    const main = await page.locator('main').innerText();
    for (const key of ['directory-managed-profile', 'directory-managed-password']) {
      assert.ok(main.includes(FR[key]), `the account page says ${key}: ${main}`);
    }
    assert.ok(main.includes(AGENT.givenName) && main.includes(AGENT.familyName), 'the names read from the directory are shown');
    assert.equal(await page.locator('input[name="given_name"]').count(), 0, 'no form for the names the directory manages');
    assert.equal(await page.locator('input[name="password"]').count(), 0, 'no local password');
    await s.shot(page, 'account');

    await page.getByRole('button', { name: FR['passkey-add'], exact: true }).click();
    await page.waitForURL(`${ISSUER}/account?notice=passkey-added`);
    await s.shot(page, 'passkey-added');

    // Signed out, the passkey alone signs the agent in again.
    await s.context.clearCookies();
    const posted = s.requests.filter((r) => r.url.startsWith(`${ISSUER}/login?`) && r.method === 'POST').length;
    assert.ok(posted >= 1, 'the first sign-in posted the directory password');
    // The sign-in page's autofill request finds the passkey and signs in.
    await page.goto(`${ISSUER}/account`);
    await page.waitForURL(`${ISSUER}/account`);
    await page.getByRole('heading', { level: 1, name: 'Votre compte' }).waitFor();
    assert.equal(s.requests.filter((r) => r.url.startsWith(`${ISSUER}/login?`) && r.method === 'POST').length, posted, 'no password was posted');
    assert.ok((await page.locator('main').innerText()).includes(FR['passkey-used-now']), 'the passkey signed in');
    s.assertClean();

    // The directory account's page in every other shipped language, from
    // the same session: what the directory manages said in each, axe-core
    // clean.
    for (const lang of LANGUAGES.filter((l) => l !== 'fr')) {
      const other = await openContext(browser, `directory-${lang}`, { locale: lang, storageState: await s.context.storageState() });
      try {
        const p = await other.newPage();
        await p.goto(`${ISSUER}/account`);
        const said = messages(lang)['directory-managed-profile'];
        await p.getByText(said, { exact: true }).waitFor();
        assert.equal(await p.getAttribute('html', 'lang'), lang);
        await other.shot(p, 'account');
        other.assertClean();
      } finally {
        await other.close();
      }
    }
  } finally {
    await s.close();
  }
});

test('directory: when the directory stops answering, the password sign-in says so, in every language', { timeout: TEST_TIMEOUT * 3 }, async () => {
  slapd.kill('SIGTERM');
  await new Promise((r) => (slapd.exitCode !== null ? r() : slapd.once('exit', r)));
  for (const lang of LANGUAGES) {
    const s = await openContext(browser, `directory-down-${lang}`, { locale: lang });
    try {
      const page = await s.newPage();
      await page.goto(`${ISSUER}/account`);
      await waitForSignIn(page, lang);
      const answer = page.waitForResponse((r) => r.url().startsWith(`${ISSUER}/login?`) && r.request().method() === 'POST');
      await signInWith(page, { username: AGENT.uid, password: AGENT.password, lang });
      assert.equal((await answer).status(), 503);
      await page.getByText(messages(lang)['directory-unavailable'], { exact: true }).waitFor();
      await s.shot(page, 'directory-unavailable');
      s.assertClean();
    } finally {
      await s.close();
    }
  }
});
