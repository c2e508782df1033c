// The small files a pod's containers share: /etc/hostname, /etc/hosts and /etc/resolv.conf.
import type { PodSandboxConfig } from '../api.js';

/** hostsFile is /etc/hosts for a pod with the given IP ('' for none, as with hostNetwork). */
export function hostsFile(hostname: string, ip: string): string {
  const lines = ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback'];
  if (ip) lines.push(`${ip}\t${hostname}`);
  else lines.push(`127.0.1.1\t${hostname}`);
  return `${lines.join('\n')}\n`;
}

/** resolvConf is the pod's resolv.conf: its dnsConfig, or the host's file when there is none. */
export function resolvConf(dns: PodSandboxConfig['dnsConfig'], hostResolvConf: string): string {
  if (!dns || (dns.servers.length === 0 && dns.searches.length === 0 && dns.options.length === 0)) {
    return hostResolvConf;
  }
  const lines = dns.servers.map((s) => `nameserver ${s}`);
  if (dns.searches.length > 0) lines.push(`search ${dns.searches.join(' ')}`);
  if (dns.options.length > 0) lines.push(`options ${dns.options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
