// Tiny builders for the JSON Schemas ajv compiles. Every node carries `goType` (the Go type
// upstream decodes into) so a structural error can be reported in encoding/json's words, and
// struct nodes carry `title` (the Go struct name). JSON null is accepted everywhere, because Go
// decodes null into any field as "leave it zero".

/** A schema node as these builders produce it. */
export interface Schema {
  type: string | string[];
  goType: string;
  title?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  minimum?: number;
  maximum?: number;
  quantity?: true;
}

/** The property table of a struct: exactly the keys of T (the compiler checks both ways). */
export type Props<T> = { [K in keyof Required<T>]: Schema };

const leaf = (type: string | string[], goType: string): Schema => ({ type: nullable(type), goType });

function nullable(type: string | string[]): string[] {
  return [...(Array.isArray(type) ? type : [type]), 'null'];
}

export const str: Schema = leaf('string', 'string');
export const bool: Schema = leaf('boolean', 'bool');
export const int32: Schema = { ...leaf('integer', 'int32'), minimum: -(2 ** 31), maximum: 2 ** 31 - 1 };
export const int64: Schema = { ...leaf('integer', 'int64'), minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
export const time: Schema = leaf('string', 'v1.Time');
export const microTime: Schema = leaf('string', 'v1.MicroTime');
/** intstr.IntOrString: JSONSchemaType cannot express the union, so it is written by hand. */
export const intOrString: Schema = leaf(['integer', 'string'], 'intstr.IntOrString');
/** resource.Quantity: a string or number that must parse (the `quantity` keyword). */
export const quantity: Schema = { ...leaf(['string', 'number'], 'resource.Quantity'), quantity: true };
/** Free-form JSON object (opaque to Skiff). */
export const anyObject = (goType: string): Schema => leaf('object', goType);

export function arr(items: Schema): Schema {
  return { ...leaf('array', `[]${items.goType}`), items };
}

export function map(values: Schema): Schema {
  return { ...leaf('object', `map[string]${values.goType}`), additionalProperties: values };
}

export const strings: Schema = arr(str);
export const stringMap: Schema = map(str);

/** A Go struct `pkg.Name` whose JSON keys are exactly those of T. */
export function struct<T>(name: string, props: Props<T>, pkg = 'v1'): Schema {
  return {
    ...leaf('object', `${pkg}.${name}`),
    title: name,
    properties: props as Record<string, Schema>,
    additionalProperties: false,
  };
}

/** A root kind: apiVersion, kind, metadata plus the kind's own fields. */
export function kind<T>(name: string, props: Omit<Props<T>, 'apiVersion' | 'kind' | 'metadata'>, meta: Schema): Schema {
  return struct<T>(name, { apiVersion: str, kind: str, metadata: meta, ...props } as Props<T>);
}
