import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/** Why a destination is refused, recorded on the delivery row (`lastError`). */
export class DestinationRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DestinationRefused';
  }
}

/** A host as the URL writes it, brackets of an IPv6 literal removed, lower case. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/**
 * The range of an address, as ipaddr.js names it, after unwrapping an IPv4-mapped IPv6 address
 * (`::ffff:127.0.0.1`, `::ffff:7f00:1`) to the IPv4 it carries. Only `unicast` is a public address.
 */
export function addressRange(address: string): string {
  return ipaddr.process(bareHost(address)).range();
}

/**
 * The SSRF rules of webhook destinations (docs/webhooks.md): only public unicast addresses, unless
 * allowed by WEBHOOK_ALLOWED_HOSTS, whose entries are hosts (matched against the URL's host as
 * written: `hooks.internal`, `127.0.0.1`, `[::1]`) or CIDRs (matched against the address the host
 * resolves to: `10.1.0.0/16`); `https:` only in production. Refused: private, loopback, link-local,
 * multicast, unique-local, CGNAT, reserved, unspecified, broadcast and the IPv6 forms that embed an
 * IPv4 address (mapped, 6to4, Teredo, NAT64), all checked on the resolved address itself.
 */
export class DestinationPolicy {
  private readonly hosts = new Set<string>();
  private readonly cidrs: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];

  constructor(
    allowedHosts: readonly string[],
    private readonly httpsOnly: boolean,
  ) {
    for (const entry of allowedHosts) {
      if (entry.includes('/')) {
        try {
          this.cidrs.push(ipaddr.parseCIDR(entry));
        } catch {
          throw new Error(`WEBHOOK_ALLOWED_HOSTS: "${entry}" is not a CIDR`);
        }
      } else {
        this.hosts.add(bareHost(entry));
      }
    }
  }

  /** A URL an endpoint may have (checked when it is saved, and again at each send); null when fine. */
  urlProblem(raw: string): string | null {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return 'url must be an absolute http(s) URL';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'url must use http: or https:';
    if (this.httpsOnly && url.protocol !== 'https:') return 'url must use https: in production';
    if (url.username || url.password) return 'url must not carry a user name or password';
    return null;
  }

  /** The refusal for sending to `address`, which `hostname` (as the URL writes it) resolved to; null when allowed. */
  addressProblem(hostname: string, address: string): string | null {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      parsed = ipaddr.process(bareHost(address));
    } catch {
      return `${address} is not an IP address`;
    }
    const range = parsed.range();
    if (range === 'unicast') return null;
    if (this.hosts.has(bareHost(hostname))) return null;
    if (this.cidrs.some(([net, bits]) => net.kind() === parsed.kind() && parsed.match(net, bits))) return null;
    const [host, bare] = [bareHost(hostname), bareHost(address)];
    const via = host === bare ? '' : ` (${host} resolves to it)`;
    return `${bare} is a ${range} address${via}; not allowed unless in WEBHOOK_ALLOWED_HOSTS`;
  }

  /** Whether `hostname` is an IP literal (then no lookup happens: the check is on the literal). */
  static isLiteral(hostname: string): boolean {
    return isIP(bareHost(hostname)) !== 0;
  }
}
