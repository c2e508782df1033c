// Time formats the agent writes: metav1.Time is RFC 3339 with whole seconds.

/** rfc3339 formats ms since the epoch as 2024-05-01T10:00:00Z (metav1.Time). */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** rfc3339Nano formats ms since the epoch with nanosecond digits, as CRI log timestamps. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}
