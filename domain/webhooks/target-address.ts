// Which addresses a webhook may be delivered to: public unicast only. Loopback, private,
// link-local (cloud metadata at 169.254.169.254 among them), unique-local, carrier-grade NAT
// (another cloud's metadata), multicast, broadcast, unspecified and reserved ranges are inside
// some network; IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry, and
// tunnel and translation prefixes (6to4, Teredo, NAT64) as what they may hide: refused.
// ipaddr.js (the address parser of Express's proxy-addr) knows the IANA special ranges.
import ipaddr from 'ipaddr.js';

export function isIpAddress(text: string): boolean {
  return ipaddr.isValid(text);
}

/** Why an address is not a webhook target, or undefined when it may be one. */
export function forbiddenAddressClass(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range === 'unicast') return undefined;
  const names: Record<string, string> = {
    loopback: 'loopback',
    private: 'private',
    linkLocal: 'link-local (cloud metadata lives there)',
    uniqueLocal: 'unique-local',
    carrierGradeNat: 'carrier-grade NAT (shared address space)',
    multicast: 'multicast',
    broadcast: 'broadcast',
    unspecified: 'unspecified',
  };
  return names[range] ?? `reserved (${range})`;
}

/**
 * The deployment's exceptions (FULCRUM_WEBHOOK_ALLOW_HOSTS): hostnames, matched exactly, or IP
 * addresses and CIDR ranges, matched against the address a host resolves to.
 */
export interface AllowedTargets {
  hosts: Set<string>;
  ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][];
}

export function allowedTargets(entries: readonly string[]): AllowedTargets {
  const hosts = new Set<string>();
  const ranges: AllowedTargets['ranges'] = [];
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (ipaddr.isValidCIDR(entry)) {
      const [range, bits] = ipaddr.parseCIDR(entry);
      ranges.push([range.kind() === 'ipv6' && (range as ipaddr.IPv6).isIPv4MappedAddress() ? (range as ipaddr.IPv6).toIPv4Address() : range, bits]);
    } else if (ipaddr.isValid(entry)) {
      const address = ipaddr.process(entry);
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (entry !== '') {
      hosts.add(entry);
    }
  }
  return { hosts, ranges };
}

/** Why `address` (what `host` resolved to) may not be delivered to, or undefined when it may. */
export function refusedTarget(host: string, address: string, allowed: AllowedTargets): string | undefined {
  const why = forbiddenAddressClass(address);
  if (!why) return undefined;
  if (allowed.hosts.has(host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, ''))) return undefined;
  if (ipaddr.isValid(address)) {
    const parsed = ipaddr.process(address);
    if (allowed.ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits))) return undefined;
  }
  return `${address} is ${why}`;
}
