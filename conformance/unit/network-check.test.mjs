// Unit tests of the after-suite network check (no server needed).
import test from 'node:test';
import assert from 'node:assert/strict';
import { offMachine, hostName } from '../lib/network-check.mjs';

test('local origins and schemes pass; a third-party asset or fetch fails', () => {
  const clean = offMachine(['http://localhost:8080', 'http://127.0.0.1:9', 'data:', 'about:'], [
    { hosts: [{ host: '127.0.0.1:4711', requests: 3, unexpected: false }, { host: 'localhost', requests: 1, unexpected: true }] },
  ]);
  assert.deepEqual(clean.problems, []);
  assert.deepEqual(clean.flagged, ['localhost']);

  const dirty = offMachine(['https://fonts.example.com', 'http://localhost:8080'], [{ hosts: [{ host: 'cdn.example.net:443', requests: 2, unexpected: true }] }]);
  assert.equal(dirty.problems.length, 2);
  assert.match(dirty.problems[0], /fonts\.example\.com/);
  assert.match(dirty.problems[1], /cdn\.example\.net:443/);
});

test('host names keep IPv6 brackets and drop ports', () => {
  assert.equal(hostName('[::1]:8080'), '[::1]');
  assert.equal(hostName('localhost:9'), 'localhost');
  assert.equal(hostName('example.org'), 'example.org');
});
