// A node:test reporter for the OIDF plan mirrors (oidf/*.test.mjs): one line
// per test module, in a Markdown file. run.sh passes it next to the spec
// reporter:
//
//   node --test --test-reporter=spec --test-reporter-destination=stdout \
//     --test-reporter=./lib/module-report.mjs \
//     --test-reporter-destination=report/modules-<mode>.md ...
//
// Only top-level tests of files under oidf/ count: each is named after one
// module of the OpenID Foundation's test plans. What the report says of a
// module is what the real suite would say of it:
//   - passed;
//   - failed by design: the suite fails the module, because Trame refuses
//     on purpose what the module requires (the test marks itself
//     `t.todo('failed by design: <reason>')` at the failing check, then
//     fails);
//   - failed: the suite fails the module; either a known failure (the test
//     marks itself `t.todo('failed: <reason>')` at the failing check, then
//     fails), or an unexpected one (no mark: the first line of the error);
//   - not applicable: the suite skips the module (`test(name, { skip: 'not
//     applicable: ...' })`, or `t.skip('not applicable: ...')` after
//     checking the answer on which the suite skips); any other skip is
//     "skipped".
// Marked failures are node:test "todo" failures: they do not fail the run.
// An unexpected failure does, so a module that regresses from passed fails
// the run; a marked module that passes is reported passed, with a note.
// Diagnostics of a module starting with "note:" (`t.diagnostic('note: ...')`)
// are added to its line. Everything else (unit, tests/, browser/ files) is
// ignored. The report is deterministic (no dates, durations, ports): the
// same results give the same file. The pure functions are exported for the
// unit tests.

import path from 'node:path';

/** Titles of the oidf/ files, by base name, in report order; other files show their name, after these. */
export const PLANS = {
  'basic-op.test.mjs': 'Basic OP plan (oidcc-basic-certification-test-plan, response_type=code, client_secret_basic)',
  'config-op.test.mjs': 'Config OP plan (oidcc-config-certification-test-plan)',
  'pkce.test.mjs': 'PKCE checks of the OAuth 2.1 profile',
  'formpost-basic-op.test.mjs': 'Form post OP plan (oidcc-formpost-basic-certification-test-plan, response_mode=form_post)',
  'rp-initiated-logout.test.mjs': 'RP-Initiated Logout OP plan (oidcc-rp-initiated-logout-certification-test-plan)',
  'dynamic-op.test.mjs': 'Dynamic OP plan (oidcc-dynamic-certification-test-plan, response_type=code, private_key_jwt, dynamic client), and RFC 7591/7592',
  'logout-channels.test.mjs': 'Back-Channel and Front-Channel RP-Initiated Logout OP plans (oidcc-backchannel-/oidcc-frontchannel-rp-initiated-logout-certification-test-plan, dynamic client)',
  'rfc9700.test.mjs': 'OAuth 2.0 Security Best Current Practice (RFC 9700): the items that apply to an authorization server',
};

/** The results, in the order of the summary lines. */
export const RESULTS = ['passed', 'failed by design', 'failed', 'not applicable'];

const NOT_APPLICABLE = /^not applicable:\s*/i;
const FAILED_BY_DESIGN = /^failed by design:\s*/i;
const FAILED = /^failed:\s*/i;

/** True when `file` (a path or file: URL) is a test file under oidf/. */
export function isModuleFile(file) {
  if (!file) return false;
  const p = String(file).startsWith('file:') ? new URL(file).pathname : String(file);
  return p.split(/[\\/]/).includes('oidf') && p.endsWith('.test.mjs');
}

/**
 * Takes out what changes from run to run without the results changing: the
 * port of the test issuer and of the local stand-in servers.
 */
export function stable(text) {
  return String(text).replace(/\b(localhost|127\.0\.0\.1):\d+/g, '$1:<port>');
}

/** First line of an error, for a table cell. */
export function errorLine(error) {
  let e = error;
  // Failures come wrapped (ERR_TEST_FAILURE) with the assertion as cause.
  while (e && e.code === 'ERR_TEST_FAILURE' && e.cause) e = e.cause;
  const text = stable(String(e?.message ?? e ?? 'failed'));
  const first = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? 'failed';
  return first.length > 300 ? `${first.slice(0, 297)}...` : first;
}

function cell(text) {
  return stable(text).replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function marker(value) {
  return value !== undefined && value !== false ? (typeof value === 'string' ? value : '') : undefined;
}

/**
 * The outcome of one module from its test:pass / test:fail event data.
 * `expected` is false only for a failure the test did not mark (one that
 * fails the run).
 * @returns {{result: 'passed'|'failed by design'|'failed'|'not applicable'|'skipped'|'todo', reason: string, expected: boolean, notes?: string[]}}
 */
export function outcome(type, data) {
  const todo = marker(data.todo);
  if (type === 'test:fail') {
    if (todo !== undefined && FAILED_BY_DESIGN.test(todo)) return { result: 'failed by design', reason: todo.replace(FAILED_BY_DESIGN, ''), expected: true };
    if (todo !== undefined && FAILED.test(todo)) return { result: 'failed', reason: todo.replace(FAILED, ''), expected: true };
    if (todo !== undefined) return { result: 'todo', reason: todo, expected: true };
    return { result: 'failed', reason: errorLine(data.details?.error), expected: false };
  }
  const skip = marker(data.skip);
  if (skip !== undefined) {
    if (NOT_APPLICABLE.test(skip)) return { result: 'not applicable', reason: skip.replace(NOT_APPLICABLE, ''), expected: true };
    return { result: 'skipped', reason: skip, expected: true };
  }
  if (todo !== undefined && (FAILED_BY_DESIGN.test(todo) || FAILED.test(todo))) {
    return { result: 'passed', reason: '', expected: true, notes: [`marked "${todo}" but passed: the mark should go`] };
  }
  if (todo !== undefined) return { result: 'todo', reason: todo, expected: true };
  return { result: 'passed', reason: '', expected: true };
}

/** One summary line: "N modules: a passed, b failed by design, c failed, d not applicable". */
export function summary(modules) {
  const count = (r) => modules.filter((m) => m.result === r).length;
  const others = ['skipped', 'todo'].filter((r) => count(r) > 0).map((r) => `, ${count(r)} ${r}`).join('');
  return `${modules.length} modules: ${RESULTS.map((r) => `${count(r)} ${r}`).join(', ')}${others}`;
}

function planOrder(base) {
  const i = Object.keys(PLANS).indexOf(base);
  return i === -1 ? Object.keys(PLANS).length : i;
}

/** The Markdown report for a list of module records. */
export function render(modules, { mode = 'unknown' } = {}) {
  const lines = [];
  lines.push(`# OIDF test modules: ${mode}`);
  lines.push('');
  lines.push(
    `Written by \`conformance/run.sh <binary> ${mode}\`: the OpenID Foundation's OP test modules as reproduced by ` +
      'conformance/oidf/ (see conformance/README.md, "OIDF test plans"), one line per module, with what the ' +
      "foundation's suite would say of it: passed; failed by design (Trame refuses on purpose what the module " +
      'requires); failed; not applicable (the suite skips the module).',
  );
  lines.push('');
  lines.push(`**All plans: ${summary(modules)}.**`);
  const byFile = new Map();
  for (const m of modules) {
    const base = path.basename(m.file);
    if (!byFile.has(base)) byFile.set(base, []);
    byFile.get(base).push(m);
  }
  const files = [...byFile.keys()].sort((a, b) => planOrder(a) - planOrder(b) || a.localeCompare(b));
  for (const base of files) {
    const list = byFile.get(base);
    lines.push('');
    lines.push(`## ${PLANS[base] ?? base}`);
    lines.push('');
    lines.push(`File: \`oidf/${base}\``);
    lines.push('');
    lines.push(`**${summary(list)}.**`);
    const notPassed = list.filter((m) => m.result !== 'passed');
    if (notPassed.length > 0) {
      lines.push('');
      for (const m of notPassed) {
        const unexpected = m.expected === false ? ' (not expected: this fails the run)' : '';
        lines.push(`- ${m.result}${unexpected}: \`${cell(m.name)}\` — ${cell(m.reason || 'no reason given')}`);
      }
    }
    lines.push('');
    lines.push('| Module | Result | Reason / notes |');
    lines.push('| --- | --- | --- |');
    for (const m of list) {
      const notes = [m.reason, ...m.notes].filter(Boolean).map(cell).join(' — ');
      lines.push(`| \`${cell(m.name)}\` | ${m.result} | ${notes} |`);
    }
  }
  lines.push('');
  return lines.join('\n');
}

export default async function* moduleReport(source) {
  const modules = [];
  let last;
  for await (const event of source) {
    const data = event.data ?? {};
    switch (event.type) {
      case 'test:pass':
      case 'test:fail': {
        if (data.nesting !== 0 || !isModuleFile(data.file)) break;
        const { notes = [], ...o } = outcome(event.type, data);
        last = { file: String(data.file), name: data.name, ...o, notes };
        modules.push(last);
        break;
      }
      case 'test:diagnostic': {
        // A module's diagnostics follow its pass/fail event.
        const msg = String(data.message ?? '');
        if (last && msg.startsWith('note:') && isModuleFile(data.file) && String(data.file) === last.file) {
          last.notes.push(msg.slice('note:'.length).trim());
        }
        break;
      }
      default:
        break;
    }
  }
  yield render(modules, { mode: process.env.TRAME_E2E_MODE || 'local' });
}
