import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { componentLogger, logFormat } from '../../../cli/log.js';

function sink(): Writable & { text: string } {
  const w = new Writable({
    write(chunk: Buffer, _enc, cb) {
      w.text += chunk.toString();
      cb();
    },
  }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('component logs', () => {
  it.each([
    [{}, false, 'json'],
    [{}, true, 'text'],
    [{ SKIFF_LOG_FORMAT: 'json' }, true, 'json'],
    [{ SKIFF_LOG_FORMAT: 'text' }, false, 'text'],
    [{ SKIFF_LOG_FORMAT: 'xml' }, false, 'json'],
  ])('env %j with a terminal=%s logs %s', (env, tty, want) => {
    expect(logFormat(env, tty)).toBe(want);
  });

  it('writes one JSON object per line with the component, level and message', async () => {
    const out = sink();
    const log = componentLogger('agent', { destination: out, env: {} });
    log.info({ node: 'n1' }, 'registered');
    log.debug('hidden at info');
    log.flush();
    await new Promise((r) => setImmediate(r));
    const lines = out.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ component: 'agent', level: 30, node: 'n1', msg: 'registered' });
    expect(lines[0].time).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('writes a readable line in the text format', async () => {
    const out = sink();
    const log = componentLogger('server', { destination: out, env: { SKIFF_LOG_FORMAT: 'text', SKIFF_LOG_LEVEL: 'debug' } });
    log.debug({ port: 6443 }, 'listening');
    await new Promise((r) => setImmediate(r));
    expect(out.text).toMatch(/DEBUG.*listening/);
    expect(out.text).toContain('port: 6443');
    expect(out.text).not.toContain('{"');
  });
});
