// Tiny builders for patch tests: objects shaped like what the API server stores.

import { expect } from 'vitest';
import { isStatusError } from '../../../../api/errors.js';

export type Obj = Record<string, unknown>;

/** container builds a container with the fields a stored Deployment carries. */
export function container(name: string, image = `${name}:1`, extra: Obj = {}): Obj {
  return {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    ports: [{ containerPort: 80, protocol: 'TCP' }],
    ...extra,
  };
}

/** deployment builds a Deployment whose pod template holds `containers`. */
export function deployment(containers: Obj[], templateSpec: Obj = {}): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, finalizers: ['a', 'b'] },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers, restartPolicy: 'Always', ...templateSpec },
      },
    },
  };
}

/** podSpecOf digs out the pod template spec of a Deployment-shaped object. */
export function podSpecOf(obj: Obj): Obj {
  return ((obj.spec as Obj).template as Obj).spec as Obj;
}

/** names lists the merge-key values of a list of objects, in order. */
export function names(list: unknown, key = 'name'): unknown[] {
  return (list as Obj[]).map((item) => item[key]);
}

/** expectBadRequest asserts that `fn` throws a 400 StatusError whose message matches. */
export function expectBadRequest(fn: () => unknown, message: RegExp): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(isStatusError(caught, 'BadRequest')).toBe(true);
  if (isStatusError(caught)) {
    expect(caught.code).toBe(400);
    expect(caught.message).toMatch(message);
  }
}
