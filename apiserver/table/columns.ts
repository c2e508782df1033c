// Table column definitions and the printer shape every kind implements.

import type { KubeObject } from '../../api/meta.js';

export interface ColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format: string;
  description: string;
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** Renders one kind. The server always renders every column; kubectl hides priority >= 1 unless -o wide. */
export interface Printer {
  columns: ColumnDefinition[];
  cells(obj: KubeObject, now: Date): unknown[];
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}

type ColumnOptions = Partial<Pick<ColumnDefinition, 'type' | 'format' | 'priority'>>;

export function column(name: string, description: string, opts: ColumnOptions = {}): ColumnDefinition {
  return { name, type: opts.type ?? 'string', format: opts.format ?? '', description, priority: opts.priority ?? 0 };
}

/** A column shown only with -o wide. */
export function wide(name: string, description: string): ColumnDefinition {
  return column(name, description, { priority: 1 });
}

export const NAME = column(
  'Name',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  { format: 'name' },
);

export const AGE = column(
  'Age',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.',
);

/** Typed printers: the cast from the stored object happens here, once. */
export function printer<T>(
  columns: ColumnDefinition[],
  cells: (obj: T, now: Date) => unknown[],
  conditions?: (obj: T) => TableRowCondition[] | undefined,
): Printer {
  const p: Printer = { columns, cells: (obj, now) => cells(obj as unknown as T, now) };
  if (conditions) p.conditions = (obj) => conditions(obj as unknown as T);
  return p;
}

/** `<none>` stands in for empty text, as upstream's printers do. */
export function orNone(s: string | undefined): string {
  return s ? s : '<none>';
}
