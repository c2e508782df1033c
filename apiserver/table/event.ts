// core/v1 Event rows, as upstream's printEvent. LAST SEEN prefers the series, then
// lastTimestamp, then the first sighting (firstTimestamp or eventTime).

import type { Event } from '../../api/types/core.js';
import { since } from './duration.js';
import { NAME, column, printer, wide } from './columns.js';

function firstSeen(ev: Event, now: Date): string {
  return since(ev.firstTimestamp || ev.eventTime, now);
}

function lastSeen(ev: Event, now: Date): string {
  if (ev.series?.lastObservedTime) return since(ev.series.lastObservedTime, now);
  return ev.lastTimestamp ? since(ev.lastTimestamp, now) : firstSeen(ev, now);
}

function count(ev: Event): number {
  if (ev.series) return ev.series.count ?? 0;
  return ev.count || 1;
}

/** `pod/web-1`, or just the kind when the object has no name. */
export function eventObject(ev: Event): string {
  const kind = (ev.involvedObject?.kind ?? '').toLowerCase();
  return ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
}

function source(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || '';
  const host = ev.source?.host || ev.reportingInstance || '';
  return host ? `${component}, ${host}` : component;
}

export const eventPrinter = printer<Event>(
  [
    column('Last Seen', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    column('Object', 'The object that this event is about.'),
    wide('Subobject', 'The path within the object the event is about, if any.'),
    wide('Source', 'The component reporting this event. Should be a short machine understandable string.'),
    column('Message', 'A human-readable description of the status of this operation.'),
    wide('First Seen', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)'),
    wide('Count', 'The number of times this event has occurred.'),
    { ...NAME, priority: 1 },
  ],
  (ev, now) => [
    lastSeen(ev, now),
    ev.type ?? '',
    ev.reason ?? '',
    eventObject(ev),
    ev.involvedObject?.fieldPath ?? '',
    source(ev),
    (ev.message ?? '').trim(),
    firstSeen(ev, now),
    count(ev),
    ev.metadata.name,
  ],
);
