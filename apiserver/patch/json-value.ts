// The JSON shapes the patch engine works on: objects decoded from request bodies and storage.

/** JsonObject is a decoded JSON object (never an array or null). */
export type JsonObject = Record<string, unknown>;

/** isJsonObject reports whether v is a plain JSON object, as opposed to an array, null or scalar. */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** deepCopy returns a copy sharing no structure with v, so patching never touches the caller's object. */
export function deepCopy<T>(v: T): T {
  return structuredClone(v);
}

/** describe renders a value compactly for error messages. */
export function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}
