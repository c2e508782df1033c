// Kinds with a few flat columns (Namespace, ConfigMap, Secret, Lease) and the default
// NAME / CREATED AT table for anything without a printer.

import type { KubeObject } from '../../api/meta.js';
import type { ConfigMap, Namespace, Secret } from '../../api/types/core.js';
import type { Lease } from '../../api/types/misc.js';
import { since } from './duration.js';
import { AGE, NAME, column, printer } from './columns.js';

function keyCount(...maps: (Record<string, string> | undefined)[]): number {
  return maps.reduce((n, m) => n + Object.keys(m ?? {}).length, 0);
}

export const namespacePrinter = printer<Namespace>(
  [NAME, column('Status', 'The status of the namespace'), AGE],
  (ns, now) => [ns.metadata.name, ns.status?.phase ?? '', since(ns.metadata.creationTimestamp, now)],
);

export const configMapPrinter = printer<ConfigMap>(
  [NAME, column('Data', 'Data contains the configuration data.'), AGE],
  (cm, now) => [cm.metadata.name, keyCount(cm.data, cm.binaryData), since(cm.metadata.creationTimestamp, now)],
);

export const secretPrinter = printer<Secret>(
  [NAME, column('Type', 'Used to facilitate programmatic handling of secret data.'), column('Data', 'Data contains the secret data.'), AGE],
  (s, now) => [s.metadata.name, s.type ?? 'Opaque', keyCount(s.data), since(s.metadata.creationTimestamp, now)],
);

export const leasePrinter = printer<Lease>(
  [NAME, column('Holder', 'holderIdentity contains the identity of the holder of a current lease.'), AGE],
  (l, now) => [l.metadata.name, l.spec?.holderIdentity ?? '', since(l.metadata.creationTimestamp, now)],
);

/** The server's default table: a raw RFC 3339 date, which kubectl prints as is. */
export const defaultPrinter = printer<KubeObject>(
  [NAME, column('Created At', 'CreationTimestamp is a timestamp representing the server time when this object was created.', { type: 'date' })],
  (obj) => [obj.metadata.name, obj.metadata.creationTimestamp ?? ''],
);
