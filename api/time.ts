// The timestamp formats of the API, both RFC 3339 in UTC: metav1.Time has whole seconds
// (2024-05-01T10:00:00Z), metav1.MicroTime six fractional digits (2024-05-01T10:00:00.123000Z).
// JavaScript clocks have milliseconds, so MicroTime's last three digits are always zero.

/** rfc3339 formats a time (ms since the epoch or a Date) as metav1.Time: whole seconds, truncated. */
export function rfc3339(t: number | Date): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** rfc3339Micro formats ms since the epoch as metav1.MicroTime: six fractional digits. */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
