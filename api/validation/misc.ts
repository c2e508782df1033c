// Smaller kinds: Namespace, Node, Event, Lease, Endpoints, Scale, Binding.

import { fieldErr, type FieldError } from '../errors.js';
import { isQualifiedName, isValidPortNum } from '../names.js';
import type { Endpoints, Event, Namespace, Node } from '../types/core.js';
import type { Binding, Lease, Scale } from '../types/misc.js';
import { child, index } from './path.js';
import { each, IP_MSG, isIP, nonNegative, oneOf, positive } from './common.js';

export function validateNamespaceSpec(ns: Namespace): FieldError[] {
  return (ns.spec?.finalizers ?? []).flatMap((f, i) => each(index('spec.finalizers', i), f, isQualifiedName(f)));
}

export function validateNodeSpec(node: Node): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (node.spec?.taints ?? []).forEach((t, i) => {
    const p = index('spec.taints', i);
    errs.push(...(t.key ? each(child(p, 'key'), t.key, isQualifiedName(t.key)) : [fieldErr.required(child(p, 'key'), '')]));
    errs.push(...oneOf(t.effect, child(p, 'effect'), ['NoSchedule', 'PreferNoSchedule', 'NoExecute'], true));
    const id = `${t.key}/${t.effect}`;
    if (seen.has(id)) errs.push(fieldErr.duplicate(p, { key: t.key, effect: t.effect }));
    seen.add(id);
  });
  return errs;
}

export function validateEvent(ev: Event): FieldError[] {
  const errs: FieldError[] = [];
  const involvedNs = ev.involvedObject?.namespace;
  if (involvedNs && involvedNs !== ev.metadata.namespace) {
    errs.push(fieldErr.invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  }
  errs.push(...nonNegative(ev.count, 'count'));
  errs.push(...oneOf(ev.type, 'type', ['Normal', 'Warning'], false));
  return errs;
}

export function validateLease(lease: Lease): FieldError[] {
  return [
    ...positive(lease.spec?.leaseDurationSeconds, 'spec.leaseDurationSeconds'),
    ...nonNegative(lease.spec?.leaseTransitions, 'spec.leaseTransitions'),
  ];
}

export function validateEndpoints(ep: Endpoints): FieldError[] {
  return (ep.subsets ?? []).flatMap((s, i) => {
    const p = index('subsets', i);
    const addrs = (field: 'addresses' | 'notReadyAddresses'): FieldError[] =>
      (s[field] ?? []).flatMap((a, j) => (isIP(a.ip) ? [] : [fieldErr.invalid(child(index(child(p, field), j), 'ip'), a.ip, IP_MSG)]));
    const ports = (s.ports ?? []).flatMap((port, j) => {
      const pp = index(child(p, 'ports'), j);
      return [...each(child(pp, 'port'), port.port, isValidPortNum(port.port)), ...oneOf(port.protocol, child(pp, 'protocol'), ['SCTP', 'TCP', 'UDP'], true)];
    });
    return [...addrs('addresses'), ...addrs('notReadyAddresses'), ...ports];
  });
}

export function validateScale(scale: Scale): FieldError[] {
  return nonNegative(scale.spec?.replicas, 'spec.replicas');
}

export function validateBinding(b: Binding): FieldError[] {
  const errs: FieldError[] = [];
  if (b.target?.kind && b.target.kind !== 'Node') errs.push(fieldErr.notSupported('target.kind', b.target.kind, ['Node', '<empty>']));
  if (!b.target?.name) errs.push(fieldErr.required('target.name', ''));
  return errs;
}
