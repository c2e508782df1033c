// Runs one probe or lifecycle handler: exec through the runtime, httpGet with fetch to the pod IP,
// tcpSocket with a plain connect (upstream pkg/kubelet/prober/prober.go). Results follow upstream:
// exec exit 0, HTTP 200-399, a TCP connect are success; a timeout is a failure.

import { connect } from 'node:net';
import type { Container, HTTPGetAction, Probe } from '../api/types/pod.js';
import type { IntOrString } from '../api/types/common.js';
import type { RuntimeService } from '../runtime/api.js';

/** ProbeResult of one probe run. */
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** ProbeOutcome carries the output for the Unhealthy event. */
export interface ProbeOutcome {
  result: ProbeResult;
  output: string;
}

/** ProbeTarget is what a probe runs against. */
export interface ProbeTarget {
  container: Container;
  containerId: string;
  podIP: string;
}

/** Prober runs probes; tests substitute a scripted one. */
export interface Prober {
  run(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome>;
}

/** runtimeProber is the real Prober over a RuntimeService. */
export function runtimeProber(runtime: RuntimeService): Prober {
  return {
    async run(probe, target) {
      const timeoutS = probe.timeoutSeconds ?? 1;
      try {
        if (probe.exec) return await execProbe(runtime, target.containerId, probe.exec.command ?? [], timeoutS);
        if (probe.httpGet) return await httpProbe(probe.httpGet, target, timeoutS);
        if (probe.tcpSocket) return await tcpProbe(probe.tcpSocket.host || target.podIP, resolvePort(probe.tcpSocket.port, target.container), timeoutS);
        return { result: 'unknown', output: 'missing probe handler' };
      } catch (err) {
        return { result: 'failure', output: (err as Error).message };
      }
    },
  };
}

async function execProbe(runtime: RuntimeService, id: string, cmd: string[], timeoutS: number): Promise<ProbeOutcome> {
  const r = await runtime.execSync(id, cmd, timeoutS);
  const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8');
  return { result: r.exitCode === 0 ? 'success' : 'failure', output: r.exitCode === 0 ? output : output || `command ${JSON.stringify(cmd)} exited with ${r.exitCode}` };
}

/** httpGetUrl builds the URL an httpGet handler targets. */
export function httpGetUrl(h: HTTPGetAction, target: ProbeTarget): string {
  const scheme = (h.scheme ?? 'HTTP').toLowerCase();
  const host = h.host || target.podIP;
  const path = h.path ? (h.path.startsWith('/') ? h.path : `/${h.path}`) : '/';
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${resolvePort(h.port, target.container)}${path}`;
}

async function httpProbe(h: HTTPGetAction, target: ProbeTarget, timeoutS: number): Promise<ProbeOutcome> {
  const headers: Record<string, string> = { 'user-agent': 'kube-probe/1.30', accept: '*/*' };
  for (const x of h.httpHeaders ?? []) headers[x.name.toLowerCase()] = x.value;
  const res = await fetch(httpGetUrl(h, target), { headers, signal: AbortSignal.timeout(timeoutS * 1000), redirect: 'manual' });
  const body = (await res.text()).slice(0, 10 * 1024);
  if (res.status >= 200 && res.status < 400) return { result: 'success', output: body };
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${res.status}` };
}

function tcpProbe(host: string, port: number, timeoutS: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    const sock = connect({ host, port, timeout: timeoutS * 1000 });
    const done = (o: ProbeOutcome): void => {
      sock.destroy();
      resolve(o);
    };
    sock.once('connect', () => done({ result: 'success', output: '' }));
    sock.once('timeout', () => done({ result: 'failure', output: `dial tcp ${host}:${port}: i/o timeout` }));
    sock.once('error', (e) => done({ result: 'failure', output: `dial tcp ${host}:${port}: ${e.message}` }));
  });
}

/** resolvePort turns a port number or a named container port into a number. */
export function resolvePort(port: IntOrString, c: Container): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const named = c.ports?.find((p) => p.name === port);
  if (!named) throw new Error(`couldn't find port: ${port} in container ${c.name}`);
  return named.containerPort;
}
