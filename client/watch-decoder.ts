// Decodes a watch response body (newline-delimited JSON watch events) into WatchEvents.
// Lines and multi-byte UTF-8 characters may be split across chunks. A malformed line is an
// error: silently skipping it would hide a lost event from the informer.

import type { KubeObject, WatchEvent, WatchEventType } from '../api/meta.js';

const EVENT_TYPES: ReadonlySet<string> = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** WatchDecodeError is thrown for a line that is not a well-formed watch event. */
export class WatchDecodeError extends Error {
  constructor(
    message: string,
    readonly line: string,
  ) {
    super(message);
    this.name = 'WatchDecodeError';
  }
}

/** WatchLineDecoder is the pure, incremental decoder: feed chunks, get complete events. */
export class WatchLineDecoder {
  private text = new TextDecoder('utf-8', { fatal: true });
  private partial = '';

  /** push consumes one chunk and returns the events completed by it. */
  push(chunk: Uint8Array | string): WatchEvent[] {
    this.partial += typeof chunk === 'string' ? chunk : this.text.decode(chunk, { stream: true });
    const lines = this.partial.split('\n');
    this.partial = lines.pop() ?? '';
    return decodeLines(lines);
  }

  /** end flushes the final line, which may lack its newline. */
  end(): WatchEvent[] {
    const rest = this.partial + this.text.decode();
    this.partial = '';
    return decodeLines([rest]);
  }
}

/** decodeWatchStream turns a byte stream into watch events. */
export async function* decodeWatchStream(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<WatchEvent> {
  const decoder = new WatchLineDecoder();
  for await (const chunk of chunks) yield* decoder.push(chunk);
  yield* decoder.end();
}

function decodeLines(lines: string[]): WatchEvent[] {
  return lines.filter((l) => l.trim() !== '').map(decodeWatchLine);
}

/** decodeWatchLine parses one `{"type":..., "object":{...}}` line, throwing WatchDecodeError. */
export function decodeWatchLine(line: string): WatchEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    throw new WatchDecodeError(`malformed watch event: ${(err as Error).message}`, line);
  }
  if (!isRecord(parsed) || typeof parsed.type !== 'string' || !EVENT_TYPES.has(parsed.type)) {
    throw new WatchDecodeError('malformed watch event: missing or unknown "type"', line);
  }
  if (!isRecord(parsed.object)) throw new WatchDecodeError('malformed watch event: "object" is not an object', line);
  return { type: parsed.type as WatchEventType, object: parsed.object as KubeObject };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
