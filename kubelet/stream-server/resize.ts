// Terminal resize messages: JSON `{"Width":80,"Height":24}` (one per WebSocket message; one per
// line on the SPDY resize stream, where Go's json.Encoder writes them back to back).
import type { Readable } from 'node:stream';
import type { TerminalSize } from './types.js';

/** parseResize decodes one resize message; malformed ones yield undefined (the kubelet ignores them). */
export function parseResize(text: string): TerminalSize | undefined {
  try {
    const value = JSON.parse(text) as { Width?: unknown; Height?: unknown };
    if (typeof value.Width === 'number' && typeof value.Height === 'number') {
      return { width: value.Width, height: value.Height };
    }
  } catch {
    // Not JSON.
  }
  return undefined;
}

/** readResizes reports every newline-terminated resize message read from `stream`. */
export function readResizes(stream: Readable, listener: (size: TerminalSize) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const size = line.trim() === '' ? undefined : parseResize(line);
      if (size) listener(size);
    }
  });
}
