// After the suites: no connection left the test machine. Two records are
// read: the origins of every request Chromium sent (written by the browser
// harness to $TRAME_E2E_NETWORK_LOG), and the hosts Trame's own outbound
// client reached, as each tenant's transparency page lists them
// (<issuer>/transparence.json). Every one must be this machine (localhost,
// 127.0.0.1, ::1) or a scheme that loads nothing from a network (data:,
// blob:, about:). A page loading a third-party asset, or Trame fetching
// from a host the tests did not start, fails the run.
//
//   node lib/network-check.mjs <issuer> [<issuer>…]

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const LOCAL = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const LOCAL_SCHEMES = new Set(['data:', 'blob:', 'about:', 'chrome-error:']);

/** The name of `host[:port]` (an IPv6 literal keeps its brackets). */
export function hostName(hostWithPort) {
  if (hostWithPort.startsWith('[')) return hostWithPort.slice(0, hostWithPort.indexOf(']') + 1);
  return hostWithPort.split(':')[0];
}

/**
 * What left the machine: `origins` as the harness logs them (`http://host:port`
 * or a bare scheme such as `data:`), `reports` the transparency JSON
 * documents. Returns one sentence per problem, and the hosts Trame flagged.
 */
export function offMachine(origins, reports) {
  const problems = [];
  for (const origin of origins) {
    if (LOCAL_SCHEMES.has(origin)) continue;
    let host;
    try {
      host = new URL(origin).hostname;
    } catch {
      problems.push(`Chromium requested an unparsable address (${origin})`);
      continue;
    }
    if (!LOCAL.has(host)) problems.push(`Chromium loaded from ${origin}, a host the tests did not set up`);
  }
  const flagged = new Set();
  for (const report of reports) {
    for (const h of report.hosts) {
      if (!LOCAL.has(hostName(h.host))) problems.push(`Trame reached ${h.host} (${h.requests} requests), a host the tests did not set up`);
      if (h.unexpected) flagged.add(h.host);
    }
  }
  return { problems, flagged: [...flagged] };
}

async function main(issuers) {
  const log = process.env.TRAME_E2E_NETWORK_LOG;
  const origins = log && existsSync(log) ? [...new Set(readFileSync(log, 'utf8').split('\n').filter(Boolean))] : [];
  const reports = [];
  const problems = [];
  for (const issuer of issuers) {
    const res = await fetch(`${issuer}/transparence.json`);
    if (res.ok) reports.push(await res.json());
    else problems.push(`${issuer}/transparence.json answered ${res.status}`);
  }
  const found = offMachine(origins, reports);
  problems.push(...found.problems);
  const rows = reports.reduce((n, r) => n + r.hosts.length, 0);
  console.log(`network check: ${origins.length} origins requested by Chromium, ${rows} host rows on ${reports.length} transparency pages` +
    (found.flagged.length ? `; hosts Trame flags as neither configured nor declared (fetches the tests asked for and Trame refused to register): ${found.flagged.join(', ')}` : ''));
  for (const p of problems) console.error(`network check: ${p}`);
  return problems.length === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit((await main(process.argv.slice(2))) ? 0 : 1);
}
