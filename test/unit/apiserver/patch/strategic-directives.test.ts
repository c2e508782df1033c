// Strategic merge patch directives and list semantics, one named case each. Cases marked
// "upstream:" are vectors from apimachinery's strategicpatch tests (current + patch -> result).

import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../apiserver/patch/index.js';
import { expectBadRequest, names, type Obj } from './fixtures.js';

interface Case {
  name: string;
  kind?: string;
  original: Obj;
  patch: Obj;
  want: Obj;
}

const pod = (spec: Obj, extra: Obj = {}): Obj => ({ kind: 'Pod', metadata: { name: 'p' }, spec, ...extra });
const c = (name: string, extra: Obj = {}): Obj => ({ name, image: `${name}:1`, ...extra });

const mapCases: Case[] = [
  {
    name: 'maps merge recursively and null deletes',
    original: { metadata: { labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { a: null, c: '3' } } },
    want: { metadata: { labels: { b: '2', c: '3' } } },
  },
  {
    name: 'null for an absent key is ignored',
    original: { metadata: { name: 'p' } },
    patch: { metadata: { labels: null }, spec: { x: null } },
    want: { metadata: { name: 'p' }, spec: {} },
  },
  {
    name: '$patch: replace on a map replaces it',
    original: { metadata: { labels: { a: '1', b: '2' } } },
    patch: { metadata: { labels: { $patch: 'replace', c: '3' } } },
    want: { metadata: { labels: { c: '3' } } },
  },
  {
    name: '$patch: delete on a map deletes it',
    original: { metadata: { name: 'p', labels: { a: '1' } } },
    patch: { metadata: { labels: { $patch: 'delete' } } },
    want: { metadata: { name: 'p' } },
  },
  {
    name: '$patch: delete on the whole object leaves {}',
    original: { metadata: { name: 'p' } },
    patch: { $patch: 'delete' },
    want: {},
  },
  {
    name: '$retainKeys drops live keys not listed',
    kind: 'Deployment',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: { spec: { strategy: { type: 'Recreate' } } },
  },
  {
    name: 'a new map is built from the patch without directives',
    original: { metadata: { name: 'p' } },
    patch: { spec: { containers: [{ name: 'a', env: [{ name: 'X', $patch: 'delete' }, { name: 'Y' }] }] } },
    want: { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', env: [{ name: 'Y' }] }] } },
  },
  {
    name: 'a value of another type is replaced',
    original: { spec: { a: 'x', b: { c: 1 } } },
    patch: { spec: { a: { d: 1, e: null }, b: 'y' } },
    want: { spec: { a: { d: 1 }, b: 'y' } },
  },
];

const listCases: Case[] = [
  {
    name: 'merge list: merges by key; a new element wins ties with server-only ones (upstream order)',
    original: pod({ containers: [c('a'), c('b')] }),
    patch: {
      spec: {
        containers: [
          { name: 'new', image: 'n' },
          { name: 'b', image: 'b:2' },
        ],
      },
    },
    want: pod({ containers: [{ name: 'new', image: 'n' }, c('a'), c('b', { image: 'b:2' })] }),
  },
  {
    name: 'merge list: patch order wins over live order, server-only items interleave',
    original: pod({ containers: [c('B'), c('C'), c('A')] }),
    patch: { spec: { containers: [{ name: 'A', x: 1 }, { name: 'B', x: 1 }, { name: 'D' }] } },
    want: pod({ containers: [c('C'), c('A', { x: 1 }), c('B', { x: 1 }), { name: 'D' }] }),
  },
  {
    name: '$patch: delete element removes every element with that key',
    original: pod({ volumes: [{ name: 'v', emptyDir: {} }, { name: 'w' }, { name: 'v' }] }),
    patch: { spec: { volumes: [{ name: 'v', $patch: 'delete' }] } },
    want: pod({ volumes: [{ name: 'w' }] }),
  },
  {
    name: '$patch: delete of an absent element is a no-op',
    original: pod({ volumes: [{ name: 'w' }] }),
    patch: { spec: { volumes: [{ name: 'zz', $patch: 'delete' }] } },
    want: pod({ volumes: [{ name: 'w' }] }),
  },
  {
    name: '{$patch: replace} element replaces the whole list',
    original: pod({ containers: [c('a'), c('b')] }),
    patch: { spec: { containers: [{ name: 'z', image: 'z' }, { $patch: 'replace' }] } },
    want: pod({ containers: [{ name: 'z', image: 'z' }] }),
  },
  {
    name: 'merged primitive list is a union without duplicates',
    original: { metadata: { finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['b', 'c', 'c'] } },
    want: { metadata: { finalizers: ['a', 'b', 'c'] } },
  },
  {
    name: '$deleteFromPrimitiveList removes values',
    original: { metadata: { finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'zz'] } },
    want: { metadata: { finalizers: ['a', 'c'] } },
  },
  {
    name: 'list without strategy (tolerations) is replaced',
    original: pod({ tolerations: [{ key: 'a' }, { key: 'b' }] }),
    patch: { spec: { tolerations: [{ key: 'c' }] } },
    want: pod({ tolerations: [{ key: 'c' }] }),
  },
  {
    name: 'empty patch list leaves a merge list alone',
    original: pod({ containers: [c('a')] }),
    patch: { spec: { containers: [] } },
    want: pod({ containers: [c('a')] }),
  },
  {
    name: 'unknown kind: lists replace, maps merge',
    kind: 'Widget',
    original: { spec: { containers: [c('a'), c('b')], m: { x: 1 } } },
    patch: { spec: { containers: [{ name: 'a', image: 'a:2' }], m: { y: 2 } } },
    want: { spec: { containers: [{ name: 'a', image: 'a:2' }], m: { x: 1, y: 2 } } },
  },
  {
    name: 'unknown field of a known kind: list replaced',
    original: pod({ futureList: [1, 2] }),
    patch: { spec: { futureList: [3] } },
    want: pod({ futureList: [3] }),
  },
  {
    name: 'container ports merge by containerPort',
    original: pod({ containers: [c('a', { ports: [{ containerPort: 80 }, { containerPort: 443 }] })] }),
    patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 443, name: 'https' }] }] } },
    want: pod({
      containers: [c('a', { ports: [{ containerPort: 80 }, { containerPort: 443, name: 'https' }] })],
    }),
  },
  {
    name: 'volumeMounts merge by mountPath',
    original: pod({ containers: [c('a', { volumeMounts: [{ name: 'v', mountPath: '/a' }] })] }),
    patch: {
      spec: { containers: [{ name: 'a', volumeMounts: [{ name: 'w', mountPath: '/a', readOnly: true }] }] },
    },
    want: pod({ containers: [c('a', { volumeMounts: [{ name: 'w', mountPath: '/a', readOnly: true }] })] }),
  },
  {
    name: 'pod status conditions merge by type',
    original: pod(
      {},
      {
        status: {
          conditions: [
            { type: 'Ready', status: 'False' },
            { type: 'PodScheduled', status: 'True' },
          ],
        },
      },
    ),
    patch: { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
    want: pod(
      {},
      {
        status: {
          conditions: [
            { type: 'Ready', status: 'True' },
            { type: 'PodScheduled', status: 'True' },
          ],
        },
      },
    ),
  },
  {
    name: 'ownerReferences merge by uid',
    original: { metadata: { ownerReferences: [{ uid: '1', name: 'a' }] } },
    patch: { metadata: { ownerReferences: [{ uid: '2', name: 'b' }] } },
    want: {
      metadata: {
        ownerReferences: [
          { uid: '2', name: 'b' },
          { uid: '1', name: 'a' },
        ],
      },
    },
  },
  {
    name: 'Service ports merge by port',
    kind: 'Service',
    original: { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
    patch: { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
    want: { spec: { ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } },
  },
  {
    name: 'Node status addresses merge by type',
    kind: 'Node',
    original: {
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.0.1' },
          { type: 'Hostname', address: 'n1' },
        ],
      },
    },
    patch: { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }] } },
    want: {
      status: {
        addresses: [
          { type: 'InternalIP', address: '10.0.0.2' },
          { type: 'Hostname', address: 'n1' },
        ],
      },
    },
  },
];

const orderCases: Case[] = [
  {
    name: '$setElementOrder alone reorders the live list',
    original: pod({ containers: [c('b'), c('a')] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }] } },
    want: pod({ containers: [c('a'), c('b')] }),
  },
  {
    name: 'upstream: add an item in a list and preserve order',
    original: {
      metadata: {
        ownerReferences: [
          { uid: 1, other: 'a' },
          { uid: 2, value: 2, other: 'b' },
        ],
      },
    },
    patch: {
      metadata: {
        '$setElementOrder/ownerReferences': [{ uid: 3 }, { uid: 1 }, { uid: 2 }],
        ownerReferences: [{ uid: 3, value: 3 }],
      },
    },
    want: {
      metadata: {
        ownerReferences: [
          { uid: 3, value: 3 },
          { uid: 1, other: 'a' },
          { uid: 2, value: 2, other: 'b' },
        ],
      },
    },
  },
  {
    name: 'upstream: nested patch merge with empty list',
    original: pod({ containers: [{ name: 'hello2' }] }),
    patch: {
      spec: {
        '$setElementOrder/containers': [{ name: 'hello' }, { name: 'doesntexist' }],
        containers: [{ name: 'hello' }],
      },
    },
    want: pod({ containers: [{ name: 'hello' }, { name: 'hello2' }] }),
  },
  {
    name: 'upstream: $setElementOrder names an item missing from the list',
    original: pod({ containers: [{ name: '1' }, { name: '3' }] }),
    patch: {
      spec: {
        '$setElementOrder/containers': [{ name: '3' }, { name: '2' }, { name: '1' }],
        containers: [
          { name: '3', value: 3 },
          { name: '1', value: 1 },
        ],
      },
    },
    want: pod({
      containers: [
        { name: '3', value: 3 },
        { name: '1', value: 1 },
      ],
    }),
  },
  {
    name: 'upstream: delete in one list, reorder another',
    original: pod({ containers: [{ name: 'a' }, { name: 'b' }], volumes: [{ name: 'c' }, { name: 'd' }] }),
    patch: {
      spec: {
        '$setElementOrder/containers': [{ name: 'b' }],
        '$setElementOrder/volumes': [{ name: 'd' }, { name: 'c' }],
        containers: [{ $patch: 'delete', name: 'a' }],
      },
    },
    want: pod({ containers: [{ name: 'b' }], volumes: [{ name: 'd' }, { name: 'c' }] }),
  },
  {
    name: 'upstream: delete items in lists of scalars, with order',
    original: { metadata: { finalizers: ['1', '2', '3'] } },
    patch: {
      metadata: { '$setElementOrder/finalizers': ['2', '1'], '$deleteFromPrimitiveList/finalizers': ['3'] },
    },
    want: { metadata: { finalizers: ['2', '1'] } },
  },
  {
    name: 'patch item missing from $setElementOrder goes last',
    original: pod({ containers: [c('a'), c('b')] }),
    patch: {
      spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }], containers: [{ name: 'z' }] },
    },
    want: pod({ containers: [c('b'), c('a'), { name: 'z' }] }),
  },
  {
    name: '$setElementOrder on a list that is new',
    original: pod({}),
    patch: {
      spec: {
        '$setElementOrder/initContainers': [{ name: 'x' }, { name: 'y' }],
        initContainers: [{ name: 'x' }, { name: 'z', $patch: 'delete' }, { name: 'y' }],
      },
    },
    want: pod({ initContainers: [{ name: 'x' }, { name: 'y' }] }),
  },
];

describe('applyPatch strategic: directives and lists', () => {
  it.each([...mapCases, ...listCases, ...orderCases])('$name', ({ kind = 'Pod', original, patch, want }) => {
    const before = structuredClone(original);
    const frozenPatch = structuredClone(patch);
    expect(applyPatch('strategic', original, patch, kind)).toEqual(want);
    expect(original).toEqual(before);
    expect(patch).toEqual(frozenPatch);
  });

  it('result shares no structure with the original', () => {
    const original = pod({ containers: [c('a')], tolerations: [{ key: 't' }] });
    const out = applyPatch('strategic', original, { metadata: { labels: { x: 'y' } } }, 'Pod');
    ((out.spec as Obj).containers as Obj[]).push(c('b'));
    expect(names((original.spec as Obj).containers)).toEqual(['a']);
  });
});

const rejected: { name: string; patch: unknown; message: RegExp }[] = [
  {
    name: 'body is an array',
    patch: [{ op: 'add' }],
    message: /strategic merge patch must be a JSON object, got an array/,
  },
  { name: 'body is null', patch: null, message: /got null/ },
  {
    name: 'unknown $patch on a map',
    patch: { metadata: { labels: { $patch: 'merge' } } },
    message: /unknown patch type: "merge" in map at \.metadata\.labels/,
  },
  {
    name: 'unknown $patch in a list element',
    patch: { spec: { containers: [{ name: 'a', $patch: 'frob' }] } },
    message: /unknown patch type: "frob" in list element/,
  },
  {
    name: 'delete element without merge key',
    patch: { spec: { containers: [{ $patch: 'delete' }] } },
    message: /does not contain declared merge key: name/,
  },
  {
    name: 'merge element without merge key',
    patch: { spec: { containers: [{ image: 'x' }] } },
    message: /does not contain declared merge key: name/,
  },
  {
    name: 'mixed element types in a merge list',
    patch: { spec: { containers: ['a', { name: 'b' }] } },
    message: /list element types are not identical/,
  },
  {
    name: 'list of lists',
    patch: { metadata: { finalizers: [['a']] } },
    message: /lists of lists are not supported/,
  },
  {
    name: '$retainKeys not a list',
    patch: { spec: { $retainKeys: 'x' } },
    message: /\$retainKeys must be a list/,
  },
  {
    name: 'patch field not in $retainKeys',
    patch: { spec: { $retainKeys: ['a'], b: 1 } },
    message: /field b is not listed in \$retainKeys/,
  },
  {
    name: '$setElementOrder not a list',
    patch: { spec: { '$setElementOrder/containers': { name: 'a' } } },
    message: /\$setElementOrder must be a list/,
  },
  {
    name: '$setElementOrder without field',
    patch: { spec: { '$setElementOrder/': [] } },
    message: /must be "\$setElementOrder\/<field>"/,
  },
  {
    name: 'bare $deleteFromPrimitiveList',
    patch: { metadata: { $deleteFromPrimitiveList: ['a'] } },
    message: /must be "\$deleteFromPrimitiveList\/<field>"/,
  },
  {
    name: '$deleteFromPrimitiveList not a list',
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } },
    message: /must be a list of values/,
  },
  {
    name: 'patch list order contradicts $setElementOrder',
    patch: {
      spec: {
        '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }],
        containers: [{ name: 'b' }, { name: 'a' }],
      },
    },
    message: /doesn't match \$setElementOrder list/,
  },
  {
    name: '$setElementOrder entry without merge key',
    patch: { spec: { '$setElementOrder/containers': [{ image: 'a' }], containers: [{ name: 'a' }] } },
    message: /does not contain declared merge key: name/,
  },
];

describe('applyPatch strategic: malformed patches are 400 BadRequest', () => {
  it.each(rejected)('$name', ({ patch, message }) => {
    const original = pod({ containers: [c('a'), c('b')] }, { metadata: { name: 'p', finalizers: ['f'] } });
    const before = structuredClone(original);
    expectBadRequest(() => applyPatch('strategic', original, patch, 'Pod'), message);
    expect(original).toEqual(before);
  });
});
