// A lean HTTPS client for driving the API server under load: one keep-alive undici Agent sized
// to the concurrency, bodies read to the end (so latency includes the whole answer).
import { Agent, request } from 'undici';

/** Target is where the API server listens and how to reach it. */
export interface Target {
  url: string;
  token: string;
  caCert: string;
}

/** Reply is a status code and the raw body text. */
export interface Reply {
  status: number;
  text: string;
}

/** ApiClient sends requests over a pool of keep-alive connections. */
export interface ApiClient {
  send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Reply>;
  /** Like send, but throws unless the status is `want`. */
  expect(want: number, method: 'GET' | 'POST', path: string, body?: unknown): Promise<string>;
  /** Sends a GET and reads the body as bytes without decoding it; returns the byte count. */
  drain(want: number, path: string): Promise<number>;
  close(): Promise<void>;
}

/** apiClient opens an Agent with `connections` sockets to target. */
export function apiClient(target: Target, connections: number): ApiClient {
  const dispatcher = new Agent({ connect: { ca: target.caCert }, connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const auth = `Bearer ${target.token}`;
  const send = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Reply> => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = { authorization: auth, accept: 'application/json' };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const res = await request(target.url + path, { method, dispatcher, body: payload, headers, headersTimeout: 60_000, bodyTimeout: 60_000 });
    return { status: res.statusCode, text: await res.body.text() };
  };
  return {
    send,
    async expect(want, method, path, body) {
      const r = await send(method, path, body);
      if (r.status !== want) throw new Error(`${method} ${path}: ${r.status} (want ${want}): ${r.text.slice(0, 300)}`);
      return r.text;
    },
    async drain(want, path) {
      const res = await request(target.url + path, { dispatcher, headers: { authorization: auth, accept: 'application/json' }, headersTimeout: 60_000, bodyTimeout: 60_000 });
      let bytes = 0;
      for await (const chunk of res.body) bytes += (chunk as Buffer).length;
      if (res.statusCode !== want) throw new Error(`GET ${path}: ${res.statusCode} (want ${want}), ${bytes} bytes`);
      return bytes;
    },
    close: () => dispatcher.close(),
  };
}

/** WatchStream is an open watch; `close` aborts it. */
export interface WatchStream {
  close(): void;
  /** Settles when the stream ends (normally after close). */
  done: Promise<void>;
}

/**
 * openWatch starts a watch request and calls onLine for every newline-terminated event line. It
 * resolves once the server has answered with headers, so the watch is registered.
 */
export async function openWatch(target: Target, dispatcher: Agent, path: string, onLine: (line: string) => void): Promise<WatchStream> {
  const ac = new AbortController();
  const res = await request(target.url + path, {
    dispatcher,
    signal: ac.signal,
    headers: { authorization: `Bearer ${target.token}` },
    headersTimeout: 30_000,
    bodyTimeout: 0,
  });
  if (res.statusCode !== 200) throw new Error(`watch ${path}: ${res.statusCode}: ${(await res.body.text()).slice(0, 300)}`);
  const done = (async () => {
    let buf = '';
    try {
      for await (const chunk of res.body) {
        buf += (chunk as Buffer).toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          onLine(buf.slice(0, nl));
          buf = buf.slice(nl + 1);
        }
      }
    } catch (err) {
      if (!ac.signal.aborted) throw err;
    }
  })();
  return { close: () => ac.abort(), done };
}
