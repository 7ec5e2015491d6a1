import { isIPv4, isIPv6 } from 'node:net';

/**
 * The rate-limit key of a client address. An IPv4 address is one client. An IPv6 client usually
 * holds a whole /64 (SLAAC, privacy addresses rotate within it), so keying by the full address
 * would give it 2^64 fresh budgets: its key is the /64 prefix. IPv4-mapped IPv6 (`::ffff:a.b.c.d`)
 * is the IPv4 address.
 */
export function clientNetworkKey(ip: string): string {
  if (!ip) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(ip)) return ip;
  return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case hex without leading zeros. */
function expandIPv6(ip: string): string[] {
  const address = ip.split('%')[0]; // a zone id (fe80::1%eth0) is not part of the address
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const toGroups = (part: string) => (part ? part.split(':') : []).flatMap((g) => (g.includes('.') ? ipv4ToGroups(g) : [g]));
  const left = toGroups(head);
  const right = tail === undefined ? [] : toGroups(tail);
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}

function ipv4ToGroups(ipv4: string): string[] {
  const [a, b, c, d] = ipv4.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}
