// Pure parts of the node simulator (no control plane: this file is in the "unit" project).
import { describe, expect, it } from 'vitest';
import { backoffSeconds, behaviourFor, crashPhaseAt, describeError } from './simulator.js';

describe('behaviourFor: the failure-image convention', () => {
  it.each([
    ['registry.example/app:1.0', 'healthy'],
    ['registry.example/app:crashloop', 'crashloop'],
    ['CrashLoop/app@sha256:abc', 'crashloop'],
    ['ghcr.io/org/errimagepull:1', 'errimagepull'],
    ['app:NotReady', 'notready'],
    ['', 'healthy'],
  ])('%s → %s', (image, want) => {
    expect(behaviourFor(image)).toBe(want);
  });
});

describe('crash-loop timeline', () => {
  it('follows the kubelet back-off: 10 s doubling, capped at 5 min', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(backoffSeconds)).toEqual([10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it.each([
    [0, { restartCount: 0, state: 'running' }],
    [1200, { restartCount: 0, state: 'terminated' }], // first exit, restarted at once
    [1600, { restartCount: 1, state: 'running' }],
    [2600, { restartCount: 1, state: 'backoff', backoff: 10 }],
    [12_600, { restartCount: 2, state: 'running' }],
    [13_600, { restartCount: 2, state: 'backoff', backoff: 20 }],
    [34_000, { restartCount: 3, state: 'running' }],
    [34_600, { restartCount: 3, state: 'backoff', backoff: 40 }],
  ])('at %i ms', (elapsed, want) => {
    expect(crashPhaseAt(elapsed)).toMatchObject(want);
  });

  it('reports the previous run as finished before the current one started', () => {
    const p = crashPhaseAt(13_000);
    expect(p.state).toBe('running');
    expect(p.finishedAt).toBeLessThan(p.startedAt);
  });
});

describe('describeError', () => {
  it('turns a client-node ApiException into one line', () => {
    const e = Object.assign(new Error('HTTP-Code: 409 …headers…'), {
      code: 409,
      body: JSON.stringify({ kind: 'Status', reason: 'Conflict', message: 'Operation cannot be fulfilled on nodes "n"' }),
    });
    expect(describeError(e)).toBe('HTTP 409 Conflict: Operation cannot be fulfilled on nodes "n"');
    expect(describeError(new Error('plain'))).toBe('plain');
  });
});
