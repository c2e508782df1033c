// Server-side apply and managedFields bookkeeping (apiserver/apply): tables over pure functions.
import { describe, expect, it } from 'vitest';
import { isStatusError, type StatusError } from '../../../api/errors.js';
import { recordUpdate, serverSideApply } from '../../../apiserver/apply/index.js';

type Obj = Record<string, unknown>;
const NOW = '2025-01-02T03:04:05Z';
const LATER = '2025-01-02T04:00:00Z';

interface Container {
  name: string;
  image: string;
  ports?: { containerPort: number; protocol?: string }[];
  env?: { name: string; value: string }[];
}

/** A Deployment manifest; `spec` fields override the defaults, undefined drops them; null labels drop them. */
function deploy(spec: Obj = {}, labels: Obj | null = { app: 'web' }): Obj {
  const base: Obj = {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
    },
  };
  const merged = Object.fromEntries(Object.entries({ ...base, ...spec }).filter(([, v]) => v !== undefined));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...(labels ? { labels } : {}) },
    spec: merged,
  };
}

function containers(...cs: Container[]): Obj {
  return { template: { metadata: { labels: { app: 'web' } }, spec: { containers: cs } } };
}

/** A partial configuration for a second manager: just identity plus `spec`. */
function partial(spec: Obj): Obj {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec };
}

function opts(manager: string, force = false, now = NOW) {
  return { manager, force, kind: 'Deployment', apiVersion: 'apps/v1', now };
}

/** Applies configurations in turn, as [manager, config, force?] steps, from nothing. */
function applyAll(steps: [string, Obj, boolean?][]): Obj | undefined {
  let live: Obj | undefined;
  for (const [manager, config, force] of steps) live = serverSideApply(live, config, opts(manager, force)).object;
  return live;
}

function entries(obj: Obj | undefined): Obj[] {
  return ((obj?.metadata as Obj | undefined)?.managedFields as Obj[] | undefined) ?? [];
}

function fieldsOf(obj: Obj | undefined, manager: string): unknown {
  return entries(obj).find((e) => e.manager === manager)?.fieldsV1;
}

function spec(obj: Obj | undefined): Obj {
  return (obj?.spec ?? {}) as Obj;
}

function podContainers(obj: Obj | undefined): Container[] {
  return ((spec(obj).template as Obj).spec as Obj).containers as Container[];
}

function caught(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (isStatusError(err)) return err;
    throw err;
  }
  throw new Error('expected a StatusError');
}

const WEB_CONTAINER_FIELDS = {
  '.': {},
  'f:image': {},
  'f:name': {},
  'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
};

const DEPLOYMENT_FIELDS = {
  'f:metadata': { 'f:labels': { 'f:app': {} } },
  'f:spec': {
    'f:replicas': {},
    'f:selector': {},
    'f:template': {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"web"}': WEB_CONTAINER_FIELDS } },
    },
  },
};

describe('serverSideApply: create', () => {
  it('creates the object from the configuration with one Apply entry in upstream FieldsV1 shape', () => {
    const { object } = serverSideApply(undefined, deploy(), opts('kubectl'));
    expect(object).toEqual({
      ...deploy(),
      metadata: {
        name: 'web',
        namespace: 'default',
        labels: { app: 'web' },
        managedFields: [
          {
            manager: 'kubectl',
            operation: 'Apply',
            apiVersion: 'apps/v1',
            time: NOW,
            fieldsType: 'FieldsV1',
            fieldsV1: DEPLOYMENT_FIELDS,
          },
        ],
      },
    });
  });

  it('writes `.` first and sorts fields before keys, as upstream serialises', () => {
    const fields = fieldsOf(serverSideApply(undefined, deploy(), opts('kubectl')).object, 'kubectl') as Obj;
    const item = ((((fields['f:spec'] as Obj)['f:template'] as Obj)['f:spec'] as Obj)['f:containers'] as Obj)[
      'k:{"name":"web"}'
    ] as Obj;
    expect(Object.keys(item)).toEqual(['.', 'f:image', 'f:name', 'f:ports']);
  });

  it('trims the time to seconds and ignores status and server metadata in the set', () => {
    const config: Obj = { ...deploy(), status: { replicas: 9 } };
    (config.metadata as Obj).uid = 'u-1';
    const { object } = serverSideApply(undefined, config, { ...opts('kubectl'), now: '2025-01-02T03:04:05.678Z' });
    expect(entries(object)[0]?.time).toBe(NOW);
    expect(object.status).toBeUndefined();
    expect(fieldsOf(object, 'kubectl')).toEqual(DEPLOYMENT_FIELDS);
  });
});

describe('serverSideApply: merging and pruning', () => {
  const cases: { name: string; steps: [string, Obj, boolean?][]; check: (obj: Obj | undefined) => void }[] = [
    {
      name: 're-apply with a change updates the value and keeps ownership',
      steps: [
        ['kubectl', deploy()],
        ['kubectl', deploy({ replicas: 5 })],
      ],
      check: (obj) => {
        expect(spec(obj).replicas).toBe(5);
        expect(entries(obj)).toHaveLength(1);
      },
    },
    {
      name: 're-apply dropping a field removes it from the object and the set',
      steps: [
        ['kubectl', deploy()],
        ['kubectl', deploy({ replicas: undefined }, null)],
      ],
      check: (obj) => {
        expect(spec(obj).replicas).toBeUndefined();
        expect((obj?.metadata as Obj).labels).toBeUndefined();
        expect((obj?.metadata as Obj).name).toBe('web');
        const fields = fieldsOf(obj, 'kubectl') as Obj;
        expect(fields['f:metadata']).toBeUndefined();
        expect(fields['f:spec']).not.toHaveProperty('f:replicas');
      },
    },
    {
      name: 're-apply dropping a container removes that list item only',
      steps: [
        ['kubectl', deploy(containers({ name: 'web', image: 'nginx' }, { name: 'side', image: 'busybox' }))],
        ['kubectl', deploy(containers({ name: 'web', image: 'nginx' }))],
      ],
      check: (obj) => expect(podContainers(obj)).toEqual([{ name: 'web', image: 'nginx' }]),
    },
    {
      name: 're-apply dropping an env var merges the rest by name',
      steps: [
        [
          'kubectl',
          deploy(
            containers({
              name: 'web',
              image: 'nginx',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
            }),
          ),
        ],
        ['kubectl', deploy(containers({ name: 'web', image: 'nginx', env: [{ name: 'B', value: '3' }] }))],
      ],
      check: (obj) => expect(podContainers(obj)[0]?.env).toEqual([{ name: 'B', value: '3' }]),
    },
    {
      name: 'a field another manager also applied stays when one drops it',
      steps: [
        ['a', deploy()],
        ['b', partial({ replicas: 3 })],
        ['a', deploy({ replicas: undefined })],
      ],
      check: (obj) => {
        expect(spec(obj).replicas).toBe(3);
        expect(fieldsOf(obj, 'b')).toEqual({ 'f:spec': { 'f:replicas': {} } });
      },
    },
    {
      name: 'two managers applying the same value share the field',
      steps: [
        ['a', deploy()],
        ['b', partial({ replicas: 3 })],
      ],
      check: (obj) => {
        expect(entries(obj).map((e) => e.manager)).toEqual(['a', 'b']);
        expect((fieldsOf(obj, 'a') as Obj)['f:spec']).toHaveProperty('f:replicas');
        expect(fieldsOf(obj, 'b')).toEqual({ 'f:spec': { 'f:replicas': {} } });
      },
    },
    {
      name: 'list items keyed by name: each manager owns its container, re-applies keep the other',
      steps: [
        ['a', deploy()],
        ['b', partial(containers({ name: 'side', image: 'busybox' }))],
        ['a', deploy({ replicas: 4 })],
      ],
      check: (obj) => {
        expect(podContainers(obj).map((c) => c.name)).toEqual(['web', 'side']);
        const b = fieldsOf(obj, 'b') as Obj;
        expect(JSON.stringify(b)).toContain('"k:{\\"name\\":\\"side\\"}":{".":{},"f:image":{},"f:name":{}}');
        expect(JSON.stringify(b)).not.toContain('"name\\":\\"web');
      },
    },
    {
      name: 'new list items follow the configuration order, live-only items keep their place',
      steps: [
        ['a', deploy(containers({ name: 'x', image: 'x' }, { name: 'y', image: 'y' }))],
        ['b', partial(containers({ name: 'y', image: 'y' }, { name: 'z', image: 'z' }))],
      ],
      check: (obj) => expect(podContainers(obj).map((c) => c.name)).toEqual(['x', 'y', 'z']),
    },
    {
      name: 'force moves the conflicting field to the applier',
      steps: [
        ['a', deploy()],
        ['b', partial({ replicas: 5 }), true],
      ],
      check: (obj) => {
        expect(spec(obj).replicas).toBe(5);
        expect((fieldsOf(obj, 'a') as Obj)['f:spec']).not.toHaveProperty('f:replicas');
        expect(fieldsOf(obj, 'b')).toEqual({ 'f:spec': { 'f:replicas': {} } });
      },
    },
    {
      name: 'a field lost to force is not pruned when its old owner re-applies without it',
      steps: [
        ['a', deploy()],
        ['b', partial({ replicas: 5 }), true],
        ['a', deploy({ replicas: undefined })],
      ],
      check: (obj) => expect(spec(obj).replicas).toBe(5),
    },
  ];

  it.each(cases)('$name', ({ steps, check }) => check(applyAll(steps)));

  it('a re-apply that changes nothing keeps the recorded time', () => {
    const live = serverSideApply(undefined, deploy(), opts('kubectl')).object;
    const again = serverSideApply(live, deploy(), opts('kubectl', false, LATER)).object;
    expect(again).toEqual(live);
  });

  it('a re-apply that changes something records the new time', () => {
    const live = serverSideApply(undefined, deploy(), opts('kubectl')).object;
    const again = serverSideApply(live, deploy({ replicas: 1 }), opts('kubectl', false, LATER)).object;
    expect(entries(again)[0]?.time).toBe(LATER);
  });

  it('keeps the live object server metadata', () => {
    const live = serverSideApply(undefined, deploy(), opts('kubectl')).object;
    Object.assign(live.metadata as Obj, { uid: 'u-1', resourceVersion: '7', creationTimestamp: NOW });
    const config = deploy();
    Object.assign(config.metadata as Obj, { uid: 'other', resourceVersion: '3' });
    const meta = serverSideApply(live, config, opts('kubectl')).object.metadata as Obj;
    expect(meta).toMatchObject({ uid: 'u-1', resourceVersion: '7', creationTimestamp: NOW });
  });
});

describe('serverSideApply: conflicts', () => {
  const clientSideApplied = recordUpdate(undefined, deploy(), {
    manager: 'kubectl-client-side-apply',
    apiVersion: 'apps/v1',
    now: NOW,
  });
  const unmanaged = deploy();

  const cases: {
    name: string;
    live: Obj;
    config: Obj;
    manager: string;
    message: string;
    causes: { reason: string; message: string; field: string }[];
  }[] = [
    {
      name: 'one field of an applier',
      live: serverSideApply(undefined, deploy(), opts('kubectl')).object,
      config: partial({ replicas: 5 }),
      manager: 'other',
      message: 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas',
      causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }],
    },
    {
      name: 'one field of an updater names its apiVersion',
      live: clientSideApplied,
      config: partial({ replicas: 5 }),
      manager: 'kubectl',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: '.spec.replicas',
        },
      ],
    },
    {
      name: 'two fields, one inside a keyed list item',
      live: clientSideApplied,
      config: partial({ replicas: 5, ...containers({ name: 'web', image: 'nginx:1.26' }) }),
      manager: 'kubectl',
      message:
        'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n' +
        '- .spec.replicas\n' +
        '- .spec.template.spec.containers[name="web"].image',
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: '.spec.replicas',
        },
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "kubectl-client-side-apply" using apps/v1',
          field: '.spec.template.spec.containers[name="web"].image',
        },
      ],
    },
    {
      name: 'an object without managedFields belongs to before-first-apply',
      live: unmanaged,
      config: partial({ replicas: 5 }),
      manager: 'kubectl',
      message: 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas',
      causes: [
        {
          reason: 'FieldManagerConflict',
          message: 'conflict with "before-first-apply" using apps/v1',
          field: '.spec.replicas',
        },
      ],
    },
  ];

  it.each(cases)('$name', ({ live, config, manager, message, causes }) => {
    const err = caught(() => serverSideApply(live, config, opts(manager)));
    expect(err.status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message,
      reason: 'Conflict',
      details: { causes },
      code: 409,
    });
  });

  it('applying the value an updater already set is no conflict and shares the field', () => {
    const { object } = serverSideApply(clientSideApplied, partial({ replicas: 3 }), opts('kubectl'));
    expect(fieldsOf(object, 'kubectl')).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect((fieldsOf(object, 'kubectl-client-side-apply') as Obj)['f:spec']).toHaveProperty('f:replicas');
  });

  it.each(cases)('force resolves: $name', ({ live, config, manager }) => {
    const { object } = serverSideApply(live, config, opts(manager, true));
    expect(spec(object).replicas).toBe(5);
    const others = entries(object).filter((e) => e.manager !== manager);
    for (const e of others) expect((e.fieldsV1 as Obj)['f:spec']).not.toHaveProperty('f:replicas');
  });
});

describe('serverSideApply: bad configurations', () => {
  const cases: { name: string; config: Obj; message: string }[] = [
    {
      name: 'managedFields in the configuration',
      config: { ...deploy(), metadata: { name: 'web', managedFields: [] } },
      message: 'metadata.managedFields must be nil',
    },
    {
      name: 'another version',
      config: { ...deploy(), apiVersion: 'apps/v1beta1' },
      message: 'Incorrect version specified in apply patch. Specified patch version: apps/v1beta1, expected: apps/v1',
    },
    {
      name: 'a list item without its key',
      config: deploy(containers({ image: 'nginx' } as Container)),
      message:
        '.spec.template.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    },
    {
      name: 'a repeated list key',
      config: deploy(containers({ name: 'a', image: 'x' }, { name: 'a', image: 'y' })),
      message: '.spec.template.spec.containers: duplicate entries for key [name="a"]',
    },
  ];

  it.each(cases)('$name is a 400', ({ config, message }) => {
    const err = caught(() => serverSideApply(undefined, config, opts('kubectl')));
    expect(err.status).toMatchObject({ code: 400, reason: 'BadRequest', message });
  });
});

describe('recordUpdate', () => {
  const upd = (manager: string, now = NOW, subresource?: string) => ({
    manager,
    apiVersion: 'apps/v1',
    now,
    ...(subresource ? { subresource } : {}),
  });

  it('a create gives the creator every field it set, as upstream diffs against the zero object', () => {
    const created = recordUpdate(undefined, deploy(), upd('kubectl-create'));
    expect(entries(created)).toEqual([
      {
        manager: 'kubectl-create',
        operation: 'Update',
        apiVersion: 'apps/v1',
        time: NOW,
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': {
                'f:containers': {
                  '.': {},
                  'k:{"name":"web"}': {
                    ...WEB_CONTAINER_FIELDS,
                    'f:ports': {
                      '.': {},
                      'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} },
                    },
                  },
                },
              },
            },
          },
        },
      },
    ]);
  });

  const cases: { name: string; steps: [string, Obj, string?][]; want: Record<string, unknown> }[] = [
    {
      name: 'an update takes only what it changed',
      steps: [
        ['creator', deploy()],
        ['kubectl-edit', deploy({ replicas: 4 })],
      ],
      want: { 'kubectl-edit': { 'f:spec': { 'f:replicas': {} } } },
    },
    {
      name: 'an update that changes nothing records nothing',
      steps: [
        ['creator', deploy()],
        ['kubectl-edit', deploy()],
      ],
      want: { 'kubectl-edit': undefined },
    },
    {
      name: 'a removed field leaves its owner',
      steps: [
        ['creator', deploy()],
        ['kubectl-edit', deploy({}, null)],
      ],
      want: { 'kubectl-edit': undefined, creator: expect.not.objectContaining({ 'f:metadata': expect.anything() }) },
    },
    {
      name: 'status writes are tracked under the subresource only',
      steps: [
        ['creator', deploy()],
        ['controller', { ...deploy(), status: { replicas: 3 } }, 'status'],
      ],
      want: { controller: { 'f:status': { '.': {}, 'f:replicas': {} } } },
    },
  ];

  it.each(cases)('$name', ({ steps, want }) => {
    let live: Obj | undefined;
    for (const [manager, obj, sub] of steps) live = recordUpdate(live, obj, upd(manager, LATER, sub));
    for (const [manager, fields] of Object.entries(want)) expect(fieldsOf(live, manager)).toEqual(fields);
  });

  it('an update taking a field from an applier lets the applier conflict on it next time', () => {
    const applied = serverSideApply(undefined, deploy(), opts('kubectl')).object;
    const scaled = recordUpdate(applied, { ...applied, spec: { ...spec(applied), replicas: 7 } }, upd('kubectl-scale'));
    expect((fieldsOf(scaled, 'kubectl') as Obj)['f:spec']).not.toHaveProperty('f:replicas');
    const err = caught(() => serverSideApply(scaled, deploy(), opts('kubectl')));
    expect(err.status.message).toBe(
      'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas',
    );
  });

  it('managedFields [{}] in the request clears them', () => {
    const live = recordUpdate(undefined, deploy(), upd('creator'));
    const cleared = { ...live, metadata: { ...(live.metadata as Obj), managedFields: [{}] } };
    expect(entries(recordUpdate(live, cleared, upd('kubectl-edit')))).toEqual([]);
  });
});
