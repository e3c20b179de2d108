// Unit tests of the OIDF module reporter (no server needed):
//   node --test unit/
import test from 'node:test';
import assert from 'node:assert/strict';
import moduleReport, { isModuleFile, outcome, errorLine, render } from '../lib/module-report.mjs';

test('isModuleFile accepts oidf/*.test.mjs only', () => {
  assert.equal(isModuleFile('/x/conformance/oidf/basic-op.test.mjs'), true);
  assert.equal(isModuleFile('file:///x/conformance/oidf/pkce.test.mjs'), true);
  assert.equal(isModuleFile('/x/conformance/oidf/lib/suite.mjs'), false);
  assert.equal(isModuleFile('/x/conformance/tests/code-flow.test.mjs'), false);
  assert.equal(isModuleFile('/x/conformance/oidfx/a.test.mjs'), false);
  assert.equal(isModuleFile(undefined), false);
});

test('outcome: passed, failed, not applicable, other skips', () => {
  assert.deepEqual(outcome('test:pass', {}), { result: 'passed', reason: '' });
  assert.deepEqual(outcome('test:pass', { skip: 'not applicable: no request objects' }), { result: 'not applicable', reason: 'no request objects' });
  assert.deepEqual(outcome('test:pass', { skip: 'Not Applicable:x' }), { result: 'not applicable', reason: 'x' });
  assert.deepEqual(outcome('test:pass', { skip: 'later' }), { result: 'skipped', reason: 'later' });
  assert.deepEqual(outcome('test:pass', { skip: true }), { result: 'skipped', reason: '' });
  const cause = new Error('expected 401\nmore detail');
  const wrapped = Object.assign(new Error('test failed'), { code: 'ERR_TEST_FAILURE', cause });
  assert.deepEqual(outcome('test:fail', { details: { error: wrapped } }), { result: 'failed', reason: 'expected 401' });
});

test('errorLine keeps the first non-empty line, shortened', () => {
  assert.equal(errorLine(new Error('\n\n  first  \nsecond')), 'first');
  assert.equal(errorLine('x'.repeat(400)).length, 300);
  assert.equal(errorLine(undefined), 'failed');
});

test('render: one table line per module, grouped by file, pipes escaped', () => {
  const md = render(
    [
      { file: '/c/oidf/basic-op.test.mjs', name: 'oidcc-server', result: 'passed', reason: '', notes: ['a | b'], durationMs: 1234 },
      { file: '/c/oidf/basic-op.test.mjs', name: 'oidcc-x', result: 'not applicable', reason: 'why', notes: [] },
      { file: '/c/oidf/pkce.test.mjs', name: 'pkce-y', result: 'failed', reason: 'boom', notes: [] },
    ],
    { mode: 'embedded', date: new Date(0) },
  );
  assert.match(md, /^# OIDF test modules: embedded/);
  assert.match(md, /\*\*3 modules: 1 passed, 1 failed, 1 not applicable\.\*\*/);
  assert.match(md, /## Basic OP plan/);
  assert.match(md, /## PKCE checks/);
  assert.match(md, /\| `oidcc-server` \| passed \| a \\\| b \| 1\.2 s \|/);
  assert.match(md, /\| `oidcc-x` \| not applicable \| why \|/);
  assert.match(md, /\| `pkce-y` \| failed \| boom \|/);
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
    yield { type: 'test:diagnostic', data: { message: 'tests 2', nesting: 0 } };
  }
  let out = '';
  for await (const chunk of moduleReport(events())) out += chunk;
  assert.match(out, /\| `oidcc-server` \| passed \| hello \|/);
  assert.match(out, /\| `oidcc-y` \| not applicable \| because \|/);
  assert.doesNotMatch(out, /unit thing|`sub`|tests 2|not a note/);
});
