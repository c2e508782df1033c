// The host's resolver configuration, read once when the agent starts (the I/O edge of resolv-conf.ts).

import { readFileSync } from 'node:fs';
import { chooseHostResolvConf, parseResolvConf, type DnsConfig } from './resolv-conf.js';

const SYSTEMD_RESOLV_CONF = '/run/systemd/resolve/resolv.conf';

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** readHostDns parses the host's resolv.conf (systemd-resolved's upstream file behind its stub). */
export function readHostDns(path = '/etc/resolv.conf'): DnsConfig {
  return parseResolvConf(chooseHostResolvConf(readOrUndefined(path) ?? '', readOrUndefined(SYSTEMD_RESOLV_CONF)));
}
