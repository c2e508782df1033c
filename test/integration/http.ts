// A bare HTTP client for integration tests: exact requests and raw answers, no Skiff client code.
import { Agent, request } from 'undici';
import type { TestCluster } from './harness.js';

export interface Answer<T = Record<string, any>> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
  text: string;
}

export type Http = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Answer>;

export function httpFor(cluster: Pick<TestCluster, 'url' | 'token' | 'pki'>): Http {
  const dispatcher = new Agent({ connect: { ca: cluster.pki.caCert } });
  return async (method, path, body, headers = {}) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const allHeaders: Record<string, string> = {
      authorization: `Bearer ${cluster.token}`,
      ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    };
    // An empty content-type means "send none", as kubectl does for PUT .../scale.
    if (allHeaders['content-type'] === '') delete allHeaders['content-type'];
    const res = await request(cluster.url + path, { method: method as 'GET', dispatcher, body: payload, headers: allHeaders });
    const text = await res.body.text();
    let parsed: Record<string, any> = {};
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = { raw: text };
    }
    return { status: res.statusCode, headers: res.headers, body: parsed, text };
  };
}

/** Reads a watch stream line by line until `until` says stop or the timeout passes. */
export async function readWatch(
  cluster: Pick<TestCluster, 'url' | 'token' | 'pki'>,
  path: string,
  until: (events: { type: string; object: Record<string, any> }[]) => boolean,
  timeoutMs = 10_000,
  headers: Record<string, string> = {},
): Promise<{ type: string; object: Record<string, any> }[]> {
  const dispatcher = new Agent({ connect: { ca: cluster.pki.caCert } });
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const events: { type: string; object: Record<string, any> }[] = [];
  try {
    const res = await request(cluster.url + path, {
      dispatcher,
      signal: ac.signal,
      headers: { authorization: `Bearer ${cluster.token}`, ...headers },
    });
    let buf = '';
    for await (const chunk of res.body) {
      buf += chunk.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
      if (until(events)) break;
    }
  } catch (err) {
    if (!ac.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
    await dispatcher.close().catch(() => {});
  }
  return events;
}
