// List filters shared by sandboxes and containers.

/** matchLabels is true when every selector pair is among the labels (no selector matches all). */
export function matchLabels(labels: Record<string, string>, selector?: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);
}
