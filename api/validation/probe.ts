// Probes and lifecycle handlers (core/validation's validateProbe and validateHandler).

import { fieldErr, type FieldError } from '../errors.js';
import { isValidPortNum } from '../names.js';
import type { HTTPGetAction, LifecycleHandler, Probe } from '../types/pod.js';
import { child } from './path.js';
import { each, nonNegative, oneOf, portNumOrName, positive } from './common.js';

type Handler = LifecycleHandler & Pick<Probe, 'grpc'>;
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const;

/** Exactly one handler; the second and later ones are reported as forbidden. */
export function validateHandler(h: Handler, path: string): FieldError[] {
  const set = HANDLERS.filter((k) => h[k] !== undefined && h[k] !== null);
  if (set.length === 0) return [fieldErr.required(path, 'must specify a handler type')];
  const errs = set.slice(1).map((k) => fieldErr.forbidden(child(path, k), 'may not specify more than 1 handler type'));
  if (h.exec && !h.exec.command?.length) errs.push(fieldErr.required(child(path, 'exec', 'command'), ''));
  if (h.httpGet) errs.push(...validateHTTPGet(h.httpGet, child(path, 'httpGet')));
  if (h.tcpSocket) errs.push(...portNumOrName(h.tcpSocket.port, child(path, 'tcpSocket', 'port')));
  if (h.grpc) errs.push(...each(child(path, 'grpc', 'port'), h.grpc.port, isValidPortNum(h.grpc.port)));
  if (h.sleep) errs.push(...positive(h.sleep.seconds, child(path, 'sleep', 'seconds')));
  return errs;
}

function validateHTTPGet(http: HTTPGetAction, path: string): FieldError[] {
  const errs = http.path ? [] : [fieldErr.required(child(path, 'path'), '')];
  errs.push(...portNumOrName(http.port, child(path, 'port')));
  errs.push(...oneOf(http.scheme, child(path, 'scheme'), ['HTTP', 'HTTPS'], false));
  (http.httpHeaders ?? []).forEach((h, i) => {
    if (!/^[-A-Za-z0-9!#$%&'*+.^_`|~]+$/.test(h.name ?? '')) {
      errs.push(fieldErr.invalid(`${path}.httpHeaders[${i}].name`, h.name, 'a valid HTTP header must consist of alphanumeric characters or \'-\''));
    }
  });
  return errs;
}

const NUMERIC = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const;

/** `kind` decides the extra rules: liveness and startup need successThreshold 1. */
export function validateProbe(probe: Probe | undefined, path: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!probe) return [];
  const errs = validateHandler({ exec: probe.exec, httpGet: probe.httpGet, tcpSocket: probe.tcpSocket, grpc: probe.grpc }, path);
  for (const f of NUMERIC) errs.push(...nonNegative(probe[f], child(path, f)));
  if (kind !== 'readiness' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
    errs.push(fieldErr.invalid(child(path, 'successThreshold'), probe.successThreshold, 'must be 1'));
  }
  if (kind === 'readiness' && probe.terminationGracePeriodSeconds !== undefined) {
    errs.push(fieldErr.invalid(child(path, 'terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
  }
  errs.push(...positive(probe.terminationGracePeriodSeconds, child(path, 'terminationGracePeriodSeconds')));
  return errs;
}
