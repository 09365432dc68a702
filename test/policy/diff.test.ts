// Tests of diffPolicies: semantic differences by path (value changes, added/removed monitors, a changed
// embedded component), and nothing reported between a policy and its own round trip.
import assert from 'node:assert/strict';
import { readCpt, writeCpt } from '../../lib/component/cpt.js';
import { diffPolicies, diffPolicySets, formatDifference } from '../../lib/policy/diff.js';
import { buildPolicy, readPolicy } from '../../lib/policy/profile.js';
import type { Policy } from '../../lib/policy/types.js';
import { brightStatus } from './fixtures.js';
import { smallPolicy } from './helpers.js';

describe('policy diff', () => {
  it('finds nothing between a policy and its .pcy', () => {
    const p = smallPolicy();
    assert.deepEqual(diffPolicies(p, readPolicy('x', buildPolicy(p))), []);
  });

  it('names each changed value by its path, with both values', () => {
    const a = smallPolicy();
    const b = structuredClone(a);
    b.monitors[0]!.priority = 'Critical';
    if (b.monitors[0]!.type === 'eventlog') {
      b.monitors[0]!.codes = [26108, 8];
      delete b.monitors[0]!.trigger.windowMins;
    }
    b.monitors[1]!.responses.email.push('ops@example.com');
    b.enabled = true;
    assert.deepEqual(diffPolicies(a, b), [
      { path: 'enabled', kind: 'changed', a: false, b: true },
      { path: 'monitors[0].codes[1]', kind: 'changed', a: 7, b: 8 },
      { path: 'monitors[0].trigger.windowMins', kind: 'removed', a: 30 },
      { path: 'monitors[0].priority', kind: 'changed', a: 'High', b: 'Critical' },
      { path: 'monitors[1].responses.email[0]', kind: 'added', b: 'ops@example.com' },
    ]);
    assert.equal(formatDifference(diffPolicies(a, b)[3]!), '~ monitors[0].priority: "High" → "Critical"');
  });

  it('reports an added monitor, and a monitor whose type changed', () => {
    const a = smallPolicy();
    const b: Policy = {
      ...structuredClone(a),
      monitors: [...structuredClone(a.monitors), structuredClone(a.monitors[1]!)],
    };
    const d = diffPolicies(a, b);
    assert.equal(d.length, 1);
    assert.equal(d[0]?.path, 'monitors[2]');
    assert.equal(d[0]?.kind, 'added');
    const c = structuredClone(a);
    c.monitors[1] = {
      type: 'service',
      service: 'BvAntiSrv',
      state: 'stopped',
      priority: 'Low',
      responses: { email: [], ticket: false },
    };
    const paths = diffPolicies(a, c).map((x) => `${x.kind} ${x.path}`);
    assert.deepEqual(paths, [
      'changed monitors[1].type',
      'removed monitors[1].process',
      'added monitors[1].service',
    ]);
  });

  it('sees a change inside an embedded component (same name and UID, other script)', () => {
    const c1 = readCpt('a', writeCpt(brightStatus()));
    const c2 = readCpt('b', writeCpt({ ...brightStatus(), body: Buffer.from('exit 0\n') }));
    const mk = (c: typeof c1): Policy => ({
      ...smallPolicy(),
      monitors: [
        {
          type: 'component',
          component: { strategy: 'embed', uid: c.general.uid!, name: c.general.name!, component: c },
          variables: [],
          intervalMins: 15,
          priority: 'High',
          responses: { email: [], ticket: false },
        },
      ],
    });
    const d = diffPolicies(mk(c1), mk(c2));
    assert.deepEqual(
      d.map((x) => x.path),
      ['monitors[0].component.sha256'],
    );
  });

  it('matches policies of two files by name', () => {
    const a = smallPolicy();
    const b = { ...smallPolicy(), name: 'Other' };
    const c = structuredClone(a);
    c.scope = 'global';
    const d = diffPolicySets([a, b], [c]);
    assert.deepEqual(
      d.map((x) => `${x.kind} ${x.path}`),
      ['changed "Small & <simple>".scope', 'removed "Other"'],
    );
  });
});
