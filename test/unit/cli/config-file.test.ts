// --config FILE for the component commands (cli/config-file.ts): YAML keys are long flag names,
// values go through each flag's parser, the command line wins, and every mistake names the file
// and the key.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { withConfigFile } from '../../../cli/config-file.js';
import { portNumber } from '../../../cli/components.js';

const dir = mkdtempSync(join(tmpdir(), 'skiff-config-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** run parses argv for a command shaped like `skiff agent` and resolves to the options its action saw. */
async function run(yaml: string | undefined, argv: string[] = []): Promise<Record<string, unknown>> {
  const file = join(dir, `c${n++}.yaml`);
  if (yaml !== undefined) writeFileSync(file, yaml);
  let seen: Record<string, unknown> = {};
  const program = new Command('skiff').exitOverride();
  withConfigFile(program.command('agent'))
    .option('--home <dir>', 'state', '/root/.skiff')
    .option('--log-server-port <port>', 'port', portNumber, 10250)
    .option('--node-labels <k=v,...>', 'labels', '')
    .option('--disable <components>', 'list', '')
    .option('--hollow', 'a plain switch', false)
    .option('--no-cluster-dns', 'a negatable switch')
    .action((o: Record<string, unknown>) => void (seen = o));
  await program.parseAsync(['agent', '--config', file, ...argv], { from: 'user' });
  return seen;
}

describe('--config file', () => {
  it.each([
    ['a string flag', 'home: /srv/skiff\n', { home: '/srv/skiff' }],
    ['a number through its parser', 'log-server-port: 11250\n', { logServerPort: 11250 }],
    ['a list joined with commas', 'disable: [scheduler, controller-manager]\n', { disable: 'scheduler,controller-manager' }],
    ['a switch', 'hollow: true\n', { hollow: true }],
    ['a --no- flag by its feature name', 'cluster-dns: false\n', { clusterDns: false }],
    ['a --no- flag as written', 'no-cluster-dns: true\n', { clusterDns: false }],
    ['an empty file changes nothing', '', { home: '/root/.skiff', logServerPort: 10250, clusterDns: true }],
  ])('sets %s', async (_what, yaml, want) => {
    expect(await run(yaml)).toMatchObject(want);
  });

  it('lets the command line win over the file, and the file over the defaults', async () => {
    const o = await run('home: /from/file\nlog-server-port: 11250\n', ['--home', '/from/flag']);
    expect(o).toMatchObject({ home: '/from/flag', logServerPort: 11250 });
  });

  it.each([
    ['an unknown key', 'colour: blue\n', /config file .*c\d+\.yaml: unknown key "colour" \(not a flag of skiff agent/],
    ['a bad value, with the flag parser\'s message', 'log-server-port: 99999\n', /key "log-server-port": must be a port number/],
    ['a switch given a string', 'hollow: "yes"\n', /key "hollow": must be true or false/],
    ['a mapping as a value', 'home: {a: 1}\n', /key "home": must be a value, not a mapping/],
    ['a file that is not a mapping', '- a\n- b\n', /must be a mapping of flag names to values/],
    ['YAML that does not parse', 'home: [unclosed\n', /not valid YAML/],
    ['a missing file', undefined, /config file .*: no such file/],
  ])('refuses %s', async (_what, yaml, message) => {
    await expect(run(yaml)).rejects.toThrow(message);
  });
});
