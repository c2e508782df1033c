// The validators `npm run build` writes (dist/api/schemas/validators/KIND.cjs, which the API
// server loads) must judge every object as the schemas compiled at run time do: same verdicts, same
// errors. The tests run the sources, so schemaErrors here is the compiled path.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { isQuantity } from '../../api/quantity.js';
import { schemaDigest, schemaErrors, SCHEMAS, type PrebuiltValidator } from '../../api/schemas/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIR = join(ROOT, 'dist/api/schemas/validators');
const load = (kind: string) => createRequire(import.meta.url)(join(DIR, `${kind}.cjs`)) as PrebuiltValidator;

const manifests = ['demo.yaml', 'nginx-deployment.yaml'].flatMap((f) =>
  parseAllDocuments(readFileSync(join(ROOT, 'manifests', f), 'utf8')).map((d) => d.toJS() as { kind: string }),
);

const pod = (resources: unknown, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', labels: { app: 'x' } },
  spec: { containers: [{ name: 'c', image: 'busybox', resources, ...extra }] },
});

/** Objects each schema should accept and objects it should refuse, for every way a body can be wrong. */
const CASES: { kind: string; obj: unknown }[] = [
  ...manifests.map((m) => ({ kind: m.kind, obj: m })),
  { kind: 'Pod', obj: pod({ limits: { cpu: '100m', memory: '64Mi' } }) },
  { kind: 'Pod', obj: pod({ limits: { cpu: 0.5, memory: 'lots' } }) },
  { kind: 'Pod', obj: pod({ requests: { cpu: '1.5.5' } }) },
  { kind: 'Pod', obj: pod({}, { ports: [{ containerPort: 'eighty' }] }) },
  { kind: 'Pod', obj: pod({}, { ports: [{ containerPort: 2 ** 40 }] }) },
  { kind: 'Pod', obj: pod({}, { unknownField: true, command: 'not-a-list' }) },
  { kind: 'Pod', obj: { ...pod({}), spec: null } },
  { kind: 'Node', obj: { metadata: { name: 'n' }, status: { capacity: { cpu: '2', pods: 'x1' } } } },
  { kind: 'Lease', obj: { metadata: { name: 'l' }, spec: { holderIdentity: 'a', leaseDurationSeconds: '15' } } },
  { kind: 'ConfigMap', obj: { metadata: { name: 'c' }, data: { a: 1 } } },
  { kind: 'Deployment', obj: { metadata: { name: 'd' }, spec: { replicas: -1.5, template: pod({ limits: { memory: '1Xi' } }) } } },
  { kind: 'Service', obj: { metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 'http' }], extra: 1 } } },
];

const shape = (errors: { keyword: string; instancePath: string; params: unknown }[]) =>
  errors.map((e) => ({ keyword: e.keyword, instancePath: e.instancePath, params: e.params }));

describe('prebuilt validators (dist/api/schemas/validators/)', () => {
  it.each(Object.keys(SCHEMAS))('%s exists after the build and was written from this schema', (kind) => {
    expect(existsSync(join(DIR, `${kind}.cjs`)), `${kind}.cjs is missing in ${DIR}: npm run build writes it`).toBe(true);
    expect(load(kind).DIGEST).toBe(schemaDigest(kind));
  });

  it.each(Object.keys(SCHEMAS))('%s is also beside the bundled command (dist/skiff/validators/), which loads it from there', (kind) => {
    // hack/bundle.mjs copies them: the bundled API server looks next to its own module.
    expect(readFileSync(join(ROOT, 'dist/skiff/validators', `${kind}.cjs`), 'utf8')).toBe(readFileSync(join(DIR, `${kind}.cjs`), 'utf8'));
  });

  it.each(CASES.map((c, i) => [i, c.kind, c.obj] as const))('case %i (%s): the same verdict and errors as the compiled schema', (_i, kind, obj) => {
    const validate = load(kind).build(isQuantity);
    const ok = validate(obj);
    const compiled = schemaErrors(kind, obj);
    expect(ok).toBe(compiled.length === 0);
    expect(shape(validate.errors ?? [])).toEqual(shape(compiled));
  });

  it('the cases include refusals, quantity ones among them', () => {
    const refused = CASES.filter((c) => schemaErrors(c.kind, c.obj).length > 0);
    expect(refused.length).toBeGreaterThanOrEqual(8);
    expect(refused.some((c) => schemaErrors(c.kind, c.obj).some((e) => e.keyword === 'quantity'))).toBe(true);
  });
});
