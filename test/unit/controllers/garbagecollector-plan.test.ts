import { describe, expect, it } from 'vitest';
import type { KubeObject, OwnerReference } from '../../../api/meta.js';
import { ownerStateOf, planDependent, planOwner, type OwnerState } from '../../../controllers/garbagecollector/index.js';

const ref = (uid: string, block = false): OwnerReference => ({ apiVersion: 'v1', kind: 'ConfigMap', name: uid, uid, blockOwnerDeletion: block });
const obj = (name: string, refs: OwnerReference[] = [], extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  metadata: { name, namespace: 'ns', uid: `uid-${name}`, ownerReferences: refs, ...extra },
});
const deleting = { deletionTimestamp: '2024-01-01T00:00:00Z' };

describe('planDependent', () => {
  const cases: { name: string; obj: KubeObject; states: Record<string, OwnerState>; hasDependents?: boolean; want: unknown }[] = [
    { name: 'no owners: nothing', obj: obj('d'), states: {}, want: { action: 'none' } },
    { name: 'live owner: nothing', obj: obj('d', [ref('o')]), states: { o: 'present' }, want: { action: 'none' } },
    { name: 'owner gone: background delete', obj: obj('d', [ref('o')]), states: { o: 'absent' }, want: { action: 'delete', policy: 'Background' } },
    { name: 'owner of a kind not served (no state): kept', obj: obj('d', [ref('o')]), states: {}, want: { action: 'none' } },
    { name: 'one of two owners gone: drop that reference only', obj: obj('d', [ref('a'), ref('b')]), states: { a: 'absent', b: 'present' }, want: { action: 'removeOwnerRefs', uids: ['a'] } },
    { name: 'all owners gone: delete', obj: obj('d', [ref('a'), ref('b')]), states: { a: 'absent', b: 'absent' }, want: { action: 'delete', policy: 'Background' } },
    { name: 'owner deleting in foreground, leaf dependent: background delete', obj: obj('d', [ref('o', true)]), states: { o: 'deletingDependents' }, want: { action: 'delete', policy: 'Background' } },
    { name: 'owner deleting in foreground, dependent has dependents: foreground cascade', obj: obj('d', [ref('o', true)]), states: { o: 'deletingDependents' }, hasDependents: true, want: { action: 'delete', policy: 'Foreground' } },
    { name: 'foreground owner plus a live owner: drop the waiting reference', obj: obj('d', [ref('a'), ref('b')]), states: { a: 'deletingDependents', b: 'present' }, want: { action: 'removeOwnerRefs', uids: ['a'] } },
    { name: 'already being deleted: nothing', obj: obj('d', [ref('o')], deleting), states: { o: 'absent' }, want: { action: 'none' } },
  ];
  for (const tc of cases) {
    it(tc.name, () => expect(planDependent(tc.obj, new Map(Object.entries(tc.states)), tc.hasDependents ?? false)).toEqual(tc.want));
  }
});

describe('ownerStateOf', () => {
  const cases = [
    { name: 'missing', owner: undefined, want: 'absent' },
    { name: 'same name, other uid (recreated)', owner: { metadata: { name: 'o', uid: 'new' } }, want: 'absent' },
    { name: 'present', owner: { metadata: { name: 'o', uid: 'o' } }, want: 'present' },
    { name: 'background-deleting is still present', owner: { metadata: { name: 'o', uid: 'o', ...deleting, finalizers: ['x'] } }, want: 'present' },
    { name: 'foreground-deleting', owner: { metadata: { name: 'o', uid: 'o', ...deleting, finalizers: ['foregroundDeletion'] } }, want: 'deletingDependents' },
  ];
  for (const tc of cases) it(tc.name, () => expect(ownerStateOf(ref('o'), tc.owner)).toBe(tc.want));
});

describe('planOwner', () => {
  const owner = (finalizers: string[], del = true) => obj('o', [], { uid: 'o', finalizers, ...(del ? deleting : {}) });
  const blocking = obj('a', [ref('o', true)]);
  const plain = obj('b', [ref('o')]);
  const cases = [
    { name: 'not being deleted', owner: owner(['foregroundDeletion'], false), deps: [blocking], want: { action: 'none' } },
    { name: 'no policy finalizer', owner: owner(['other']), deps: [blocking], want: { action: 'none' } },
    { name: 'orphan: every dependent is released', owner: owner(['orphan']), deps: [blocking, plain], want: { action: 'orphan', dependents: [blocking, plain] } },
    { name: 'orphan wins over foreground', owner: owner(['foregroundDeletion', 'orphan']), deps: [plain], want: { action: 'orphan', dependents: [plain] } },
    { name: 'foreground with a blocking dependent waits', owner: owner(['foregroundDeletion']), deps: [blocking, plain], want: { action: 'foreground', dependents: [blocking], removeFinalizer: false } },
    { name: 'foreground with only non-blocking dependents finishes', owner: owner(['foregroundDeletion']), deps: [plain], want: { action: 'foreground', dependents: [], removeFinalizer: true } },
    { name: 'foreground: a terminating blocking dependent still blocks', owner: owner(['foregroundDeletion']), deps: [obj('a', [ref('o', true)], deleting)], want: { action: 'foreground', dependents: [obj('a', [ref('o', true)], deleting)], removeFinalizer: false } },
    { name: 'foreground without dependents finishes', owner: owner(['foregroundDeletion']), deps: [], want: { action: 'foreground', dependents: [], removeFinalizer: true } },
  ];
  for (const tc of cases) it(tc.name, () => expect(planOwner(tc.owner, tc.deps)).toEqual(tc.want));
});
