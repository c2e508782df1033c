import Fastify, { type FastifyInstance } from 'fastify';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RESOURCES, groupVersion } from '../../../api/registry.js';
import { openapiRoutes } from '../../../apiserver/openapi.js';

// The subset of gnostic's openapiv2/OpenAPIv2.proto that our document uses, field numbers as
// upstream's, so decoding proves the hand-written encoder puts each value where kubectl reads it.
const GNOSTIC_SUBSET = `
syntax = "proto3";
package openapi.v2;
message Document { string swagger = 1; Info info = 2; Paths paths = 8; Definitions definitions = 9; }
message Definitions { repeated NamedSchema additional_properties = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message Schema { string ref = 1; string format = 2; string description = 4; repeated string required = 19;
  AdditionalPropertiesItem additional_properties = 21; TypeItem type = 22; ItemsItem items = 23;
  Properties properties = 25; repeated NamedAny vendor_extension = 31; }
message AdditionalPropertiesItem { Schema schema = 1; }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message Properties { repeated NamedSchema additional_properties = 1; }
message Info { string title = 1; string version = 2; }
message Paths { repeated NamedPathItem path = 2; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message PathItem { Operation patch = 8; }
message Operation { string operation_id = 5; repeated ParametersItem parameters = 8; Responses responses = 9; repeated NamedAny vendor_extension = 13; }
message ParametersItem { Parameter parameter = 1; }
message Parameter { NonBodyParameter non_body_parameter = 2; }
message NonBodyParameter { QueryParameterSubSchema query_parameter_sub_schema = 3; }
message QueryParameterSubSchema { string in = 2; string name = 4; string type = 6; }
message Responses { repeated NamedResponseValue response_code = 1; }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message ResponseValue { Response response = 1; }
message Response { string description = 1; }
message NamedAny { string name = 1; Any value = 2; }
message Any { string yaml = 2; }
`;

interface Param { name: string; in: string }
interface Operation { parameters: Param[]; 'x-kubernetes-group-version-kind': { group: string; version: string; kind: string } }
interface SchemaObj { description?: string; required?: string[]; properties?: Record<string, Record<string, unknown>>; [ext: string]: unknown }
type SchemaDoc = { components: { schemas: Record<string, SchemaObj> } };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: object } };

let app: FastifyInstance;
beforeAll(async () => {
  app = Fastify();
  await app.register(openapiRoutes);
  await app.ready();
});
afterAll(() => app.close());

async function index(): Promise<Record<string, { serverRelativeURL: string }>> {
  const res = await app.inject({ url: '/openapi/v3?timeout=32s' });
  expect(res.statusCode).toBe(200);
  return res.json().paths;
}

function itemPath(r: (typeof RESOURCES)[number]): string {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}/{name}` : `${prefix}/${r.plural}/{name}`;
}

describe('/openapi/v3 index', () => {
  it('has one entry per group-version, keyed without a leading slash, URL carrying a hash', async () => {
    const paths = await index();
    const gvs = [...new Set(RESOURCES.map((r) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`)))];
    expect(Object.keys(paths).sort()).toEqual(gvs.sort());
    expect(paths['apis/apps/v1']!.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
  });

  it('hashes differ between documents', async () => {
    const paths = await index();
    const hashes = Object.values(paths).map((p) => p.serverRelativeURL.split('hash=')[1]);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

describe('/openapi/v3 group-version documents', () => {
  it.each(RESOURCES.map((r) => [`${groupVersion(r)} ${r.kind}`, r] as const))(
    '%s: item path has a patch with the GVK and fieldValidation',
    async (_name, r) => {
      const paths = await index();
      const key = r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
      const res = await app.inject({ url: paths[key]!.serverRelativeURL });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('public, immutable');
      const doc = res.json() as Doc;
      const patch = doc.paths[itemPath(r)]!.patch!;
      expect(patch['x-kubernetes-group-version-kind']).toEqual({ group: r.group, version: r.version, kind: r.kind });
      expect(patch.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
    },
  );

  it('collection paths carry list, create and deletecollection', async () => {
    const res = await app.inject({ url: '/openapi/v3/apis/apps/v1' });
    const doc = res.json() as Doc;
    const coll = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments']!;
    expect(Object.keys(coll).filter((k) => k !== 'parameters').sort()).toEqual(['delete', 'get', 'post']);
    const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!.patch!;
    expect(scale['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', version: 'v1', kind: 'Scale' });
    expect(doc.components.schemas).toHaveProperty(['io.k8s.api.autoscaling.v1.Scale']);
  });

  it('components carry the kinds with their GVK, descriptions and required fields', async () => {
    const schemas = ((await app.inject({ url: '/openapi/v3/apis/apps/v1' })).json() as SchemaDoc).components.schemas;
    expect(schemas['io.k8s.api.apps.v1.Deployment']!['x-kubernetes-group-version-kind']).toEqual([{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const spec = schemas['io.k8s.api.apps.v1.DeploymentSpec']!;
    expect(spec.description).toMatch(/desired behaviour/);
    expect(spec.required).toEqual(['selector', 'template']);
    expect(spec.properties!['replicas']).toMatchObject({ type: 'integer', format: 'int32', description: expect.any(String) });
    expect(spec.properties!['template']).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' }],
      description: expect.any(String),
    });
    expect(schemas['io.k8s.api.apps.v1.Deployment']!.properties!['metadata']).toMatchObject({
      allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }],
    });
  });

  it('lists carry the patch strategy and merge key the server merges by', async () => {
    const core = ((await app.inject({ url: '/openapi/v3/api/v1' })).json() as SchemaDoc).components.schemas;
    const apps = ((await app.inject({ url: '/openapi/v3/apis/apps/v1' })).json() as SchemaDoc).components.schemas;
    const prop = (schemas: typeof core, def: string, field: string) => schemas[`io.k8s.api.core.v1.${def}`]?.properties?.[field] ?? apps[def]?.properties?.[field];
    expect(prop(core, 'PodSpec', 'containers')).toMatchObject({
      type: 'array',
      items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['name'],
    });
    expect(prop(core, 'PodSpec', 'volumes')).toMatchObject({ 'x-kubernetes-patch-strategy': 'merge,retainKeys' });
    expect(prop(core, 'Container', 'ports')).toMatchObject({
      'x-kubernetes-patch-merge-key': 'containerPort',
      'x-kubernetes-list-map-keys': ['containerPort', 'protocol'],
    });
    expect(prop(core, 'Container', 'env')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'name' });
    expect(prop(core, 'Container', 'args')).toMatchObject({ 'x-kubernetes-list-type': 'atomic' });
    expect(prop(core, 'Container', 'args')).not.toHaveProperty('x-kubernetes-patch-strategy');
    expect(prop(core, 'ServiceSpec', 'ports')).toMatchObject({ 'x-kubernetes-patch-merge-key': 'port' });
    expect(apps['io.k8s.api.apps.v1.DeploymentSpec']!.properties!['strategy']).toMatchObject({ 'x-kubernetes-patch-strategy': 'retainKeys' });
    expect(apps['io.k8s.api.apps.v1.DeploymentSpec']!.properties!['selector']).toMatchObject({ 'x-kubernetes-map-type': 'atomic' });
  });

  it.each(['/openapi/v3/api/v1', '/openapi/v3/apis/apps/v1', '/openapi/v3/apis/coordination.k8s.io/v1'])('%s: every $ref resolves inside the document', async (url) => {
    const doc = (await app.inject({ url })).json() as SchemaDoc;
    const refs = JSON.stringify(doc.components.schemas).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas).toHaveProperty([ref.split('/').pop()!.slice(0, -1)]);
  });

  it('a stale hash is still served but not marked immutable', async () => {
    const res = await app.inject({ url: '/openapi/v3/api/v1?hash=OLD' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache, private');
  });

  it.each(['/openapi/v3/api/v2', '/openapi/v3/apis/nope/v1', '/openapi/v3/apis/apps/v2'])('%s is a 404 Status', async (url) => {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});

describe('/openapi/v2 protobuf', () => {
  const Document = protobuf.parse(GNOSTIC_SUBSET).root.lookupType('openapi.v2.Document');

  async function decoded() {
    const res = await app.inject({
      url: '/openapi/v2?timeout=32s',
      headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/octet-stream');
    return Document.toObject(Document.decode(res.rawPayload)) as {
      swagger: string;
      info: { title: string };
      paths: { path: { name: string; value: { patch: Record<string, any> } }[] };
      definitions: { additionalProperties: { name: string; value: Record<string, any> }[] };
    };
  }

  it('is a swagger 2.0 document with one patch path per kind', async () => {
    const doc = await decoded();
    expect(doc.swagger).toBe('2.0');
    expect(doc.info.title).toBe('Kubernetes');
    expect(doc.paths.path.map((p) => p.name).sort()).toEqual(RESOURCES.map(itemPath).sort());
  });

  it('each patch has a fieldValidation query parameter, a 200 response and the GVK as YAML', async () => {
    const doc = await decoded();
    const deploy = doc.paths.path.find((p) => p.name.endsWith('/deployments/{name}'))!.value.patch;
    const query = deploy.parameters.map((p: any) => p.parameter.nonBodyParameter.queryParameterSubSchema);
    expect(query).toContainEqual({ in: 'query', name: 'fieldValidation', type: 'string' });
    expect(deploy.responses.responseCode[0]).toEqual({ name: '200', value: { response: { description: 'OK' } } });
    expect(deploy.vendorExtension).toEqual([
      { name: 'x-kubernetes-group-version-kind', value: { yaml: 'group: "apps"\nkind: Deployment\nversion: v1\n' } },
    ]);
    expect(deploy.operationId).toBe('patchAppsV1NamespacedDeployment');
  });

  it('carries the schema definitions: GVK, descriptions, refs and merge keys', async () => {
    const defs = new Map((await decoded()).definitions.additionalProperties.map((d) => [d.name, d.value]));
    const deploy = defs.get('io.k8s.api.apps.v1.Deployment')!;
    expect(deploy.vendorExtension).toContainEqual({
      name: 'x-kubernetes-group-version-kind',
      value: { yaml: '- group: apps\n  kind: Deployment\n  version: v1\n' },
    });
    const props = (d: Record<string, any>) => new Map(d.properties.additionalProperties.map((p: any) => [p.name, p.value]));
    const spec = props(deploy).get('spec') as Record<string, unknown>;
    expect(spec).toMatchObject({ ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec', description: expect.any(String) });
    const podSpec = defs.get('io.k8s.api.core.v1.PodSpec')!;
    expect(podSpec.required).toEqual(['containers']);
    const containers = props(podSpec).get('containers') as Record<string, any>;
    expect(containers.type).toEqual({ value: ['array'] });
    expect(containers.items.schema[0].ref).toBe('#/definitions/io.k8s.api.core.v1.Container');
    expect(containers.vendorExtension).toContainEqual({ name: 'x-kubernetes-patch-merge-key', value: { yaml: 'name\n' } });
    expect(containers.vendorExtension).toContainEqual({ name: 'x-kubernetes-patch-strategy', value: { yaml: 'merge\n' } });
    const labels = props(defs.get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')!).get('labels') as Record<string, any>;
    expect(labels.additionalProperties.schema.type).toEqual({ value: ['string'] });
  });
});
