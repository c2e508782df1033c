// Cluster DNS for the node agent: the server (startClusterDns) and pods' resolv.conf (podDnsConfig).
export { DNS_LINK, NODE_LOCAL_DNS, podDnsSettings, startClusterDns, type ClusterDns, type ClusterDnsOptions } from './cluster-dns.js';
export { readHostDns } from './host.js';
export { podDnsConfig, type DnsConfig, type PodDnsSettings } from './resolv-conf.js';
