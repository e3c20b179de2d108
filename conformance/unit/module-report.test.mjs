// Unit tests of the OIDF module reporter (no server needed):
//   node --test unit/
import test from 'node:test';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import moduleReport, { isModuleFile, outcome, errorLine, render, stable, summary } from '../lib/module-report.mjs';

test('isModuleFile accepts oidf/*.test.mjs only', () => {
  assert.equal(isModuleFile('/x/conformance/oidf/basic-op.test.mjs'), true);
  assert.equal(isModuleFile('file:///x/conformance/oidf/pkce.test.mjs'), true);
  assert.equal(isModuleFile('/x/conformance/oidf/lib/suite.mjs'), false);
  assert.equal(isModuleFile('/x/conformance/tests/code-flow.test.mjs'), false);
  assert.equal(isModuleFile('/x/conformance/oidfx/a.test.mjs'), false);
  assert.equal(isModuleFile(undefined), false);
});

test('outcome: passed, failed by design, failed, not applicable, other skips', () => {
  assert.deepEqual(outcome('test:pass', {}), { result: 'passed', reason: '', expected: true });
  assert.deepEqual(outcome('test:pass', { skip: 'not applicable: no request objects' }), { result: 'not applicable', reason: 'no request objects', expected: true });
  assert.deepEqual(outcome('test:pass', { skip: 'Not Applicable:x' }), { result: 'not applicable', reason: 'x', expected: true });
  assert.deepEqual(outcome('test:pass', { skip: 'later' }), { result: 'skipped', reason: 'later', expected: true });
  assert.deepEqual(outcome('test:pass', { skip: true }), { result: 'skipped', reason: '', expected: true });
  const cause = new Error('expected 401 from http://localhost:41234/token\nmore detail');
  const wrapped = Object.assign(new Error('test failed'), { code: 'ERR_TEST_FAILURE', cause });
  // Unmarked: a failure that fails the run, reported with its error.
  assert.deepEqual(outcome('test:fail', { details: { error: wrapped } }), { result: 'failed', reason: 'expected 401 from http://localhost:<port>/token', expected: false });
  // Marked at the failing check: reported with the mark's reason; node:test
  // counts a todo failure as no failure of the run.
  assert.deepEqual(outcome('test:fail', { todo: 'failed by design: no implicit grant', details: { error: wrapped } }), { result: 'failed by design', reason: 'no implicit grant', expected: true });
  assert.deepEqual(outcome('test:fail', { todo: 'failed: request_uri not supported', details: { error: wrapped } }), { result: 'failed', reason: 'request_uri not supported', expected: true });
  // A marked module that passes is passed, with a note.
  const passedAnyway = outcome('test:pass', { todo: 'failed: request_uri not supported' });
  assert.equal(passedAnyway.result, 'passed');
  assert.match(passedAnyway.notes[0], /the mark should go/);
});

test('stable takes ports out', () => {
  assert.equal(stable('http://localhost:4321/a and 127.0.0.1:9/cb'), 'http://localhost:<port>/a and 127.0.0.1:<port>/cb');
});

test('summary counts every result, in a fixed order', () => {
  const m = (result) => ({ result });
  assert.equal(summary([m('passed'), m('failed'), m('passed')]), '3 modules: 2 passed, 0 failed by design, 1 failed, 0 not applicable');
  assert.equal(summary([m('failed by design'), m('not applicable'), m('skipped')]), '3 modules: 0 passed, 1 failed by design, 0 failed, 1 not applicable, 1 skipped');
});

test('errorLine keeps the first non-empty line, shortened', () => {
  assert.equal(errorLine(new Error('\n\n  first  \nsecond')), 'first');
  assert.equal(errorLine('x'.repeat(400)).length, 300);
  assert.equal(errorLine(undefined), 'failed');
});

test('render: a summary line per plan, each non-passed module with its reason, one table line per module; deterministic', () => {
  const modules = [
    { file: '/c/oidf/pkce.test.mjs', name: 'pkce-y', result: 'failed', reason: 'boom', expected: false, notes: [] },
    { file: '/c/oidf/basic-op.test.mjs', name: 'oidcc-server', result: 'passed', reason: '', notes: ['a | b'] },
    { file: '/c/oidf/basic-op.test.mjs', name: 'oidcc-x', result: 'not applicable', reason: 'why', notes: [] },
    { file: '/c/oidf/dynamic-op.test.mjs', name: 'oidcc-d', result: 'failed by design', reason: 'refused on purpose', expected: true, notes: [] },
    { file: '/c/oidf/dynamic-op.test.mjs', name: 'oidcc-e', result: 'failed', reason: 'known', expected: true, notes: ['seen at http://localhost:5555/x'] },
  ];
  const md = render(modules, { mode: 'embedded' });
  assert.equal(render(modules, { mode: 'embedded' }), md, 'the same results give the same report');
  assert.doesNotMatch(md, /\d{4}-\d{2}-\d{2}T|\d+\.\d s\b|localhost:\d/, 'no date, duration or port');
  assert.match(md, /^# OIDF test modules: embedded/);
  assert.match(md, /\*\*All plans: 5 modules: 1 passed, 1 failed by design, 2 failed, 1 not applicable\.\*\*/);
  // Plans in a fixed order (basic before pkce before dynamic), whatever the event order.
  assert.ok(md.indexOf('## Basic OP plan') < md.indexOf('## PKCE checks'));
  assert.ok(md.indexOf('## PKCE checks') < md.indexOf('## Dynamic OP plan'));
  assert.match(md, /## Basic OP plan[^]*\*\*2 modules: 1 passed, 0 failed by design, 0 failed, 1 not applicable\.\*\*\n\n- not applicable: `oidcc-x` — why\n/);
  assert.match(md, /- failed \(not expected: this fails the run\): `pkce-y` — boom/);
  assert.match(md, /\*\*2 modules: 0 passed, 1 failed by design, 1 failed, 0 not applicable\.\*\*\n\n- failed by design: `oidcc-d` — refused on purpose\n- failed: `oidcc-e` — known\n/);
  assert.match(md, /\| `oidcc-server` \| passed \| a \\\| b \|/);
  assert.match(md, /\| `oidcc-x` \| not applicable \| why \|/);
  assert.match(md, /\| `oidcc-e` \| failed \| known — seen at http:\/\/localhost:<port>\/x \|/);
});

test('the reporter reads test events: top-level oidf tests and their notes only', async () => {
  const file = '/c/oidf/basic-op.test.mjs';
  async function* events() {
    yield { type: 'test:pass', data: { name: 'unit thing', nesting: 0, file: '/c/unit/a.test.mjs' } };
    yield { type: 'test:pass', data: { name: 'sub', nesting: 1, file } };
    yield { type: 'test:pass', data: { name: 'oidcc-server', nesting: 0, file, details: { duration_ms: 10 } } };
    yield { type: 'test:diagnostic', data: { message: 'note: hello', nesting: 0, file } };
    yield { type: 'test:diagnostic', data: { message: 'not a note', nesting: 0, file } };
    yield { type: 'test:pass', data: { name: 'oidcc-y', nesting: 0, file, skip: 'not applicable: because' } };
    yield { type: 'test:fail', data: { name: 'oidcc-z', nesting: 0, file, todo: 'failed by design: refused' } };
    yield { type: 'test:diagnostic', data: { message: 'tests 2', nesting: 0 } };
  }
  let out = '';
  for await (const chunk of moduleReport(events())) out += chunk;
  assert.match(out, /\| `oidcc-server` \| passed \| hello \|/);
  assert.match(out, /\| `oidcc-y` \| not applicable \| because \|/);
  assert.match(out, /\| `oidcc-z` \| failed by design \| refused \|/);
  assert.doesNotMatch(out, /unit thing|`sub`|tests 2|not a note/);
});

// The exit status of a real `node --test` run with this reporter: marked
// failures (failed by design, known failures) leave it at 0; a module that
// fails without a mark (a regression) makes it non-zero.
test('node --test: marked failures keep the run green, an unmarked failure fails it', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'module-report-'));
  try {
    mkdirSync(path.join(dir, 'oidf'));
    const reporter = fileURLToPath(new URL('../lib/module-report.mjs', import.meta.url));
    const run = (body) => {
      const file = path.join(dir, 'oidf', 'plan.test.mjs');
      writeFileSync(file, `import test from 'node:test';\nimport assert from 'node:assert/strict';\n${body}\n`);
      const out = path.join(dir, 'report.md');
      // Without NODE_TEST_CONTEXT: the child is a run of its own, not a
      // subprocess reporting to this one.
      const { NODE_TEST_CONTEXT: _, ...env } = process.env;
      const r = spawnSync(process.execPath, ['--test', `--test-reporter=${reporter}`, `--test-reporter-destination=${out}`, file], { encoding: 'utf8', env: { ...env, TRAME_E2E_MODE: 'fixture' } });
      return { status: r.status, md: readFileSync(out, 'utf8') };
    };
    const marked = run(`
test('m-pass', () => {});
test('m-design', (t) => { t.todo('failed by design: refused on purpose'); assert.fail('x'); });
test('m-known', async (t) => { await Promise.resolve(); t.todo('failed: not supported'); assert.equal(1, 2); });
test('m-na', (t) => { t.skip('not applicable: skipped by the suite'); });`);
    assert.equal(marked.status, 0, marked.md);
    assert.match(marked.md, /\*\*All plans: 4 modules: 1 passed, 1 failed by design, 1 failed, 1 not applicable\.\*\*/);
    const regressed = run(`
test('m-pass', () => { assert.equal(1, 2, 'regressed'); });
test('m-design', (t) => { t.todo('failed by design: refused on purpose'); assert.fail('x'); });`);
    assert.notEqual(regressed.status, 0, 'an unmarked failure fails the run');
    assert.match(regressed.md, /- failed \(not expected: this fails the run\): `m-pass` — regressed/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
