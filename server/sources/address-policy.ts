import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, type Dispatcher } from 'undici';

/** Where a source may point, and the names of the ranges it may not. */
const PUBLIC_RANGES = new Set(['unicast']);
const RANGE_NAMES: Record<string, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  uniqueLocal: 'a private address',
  linkLocal: 'a link-local address',
  carrierGradeNat: 'a shared (carrier-grade NAT) address',
  unspecified: 'an unspecified address',
  broadcast: 'a broadcast address',
  multicast: 'a multicast address',
  reserved: 'a reserved address',
};

export class AddressRefused extends Error {}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Keeps the sources admins create, and the previews they ask for, away from this machine and
 * its network (server-side request forgery): a host that is, or resolves to, a loopback,
 * link-local or private address is refused unless SOURCES_ALLOW_HOSTS lists it (by name or
 * by CIDR range). The check happens when the connection is made, on the address actually
 * dialled, so a redirect or a name that resolves differently later is caught too.
 */
export class AddressPolicy {
  private readonly names = new Set<string>();
  private readonly ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  private agent: Agent | undefined;

  constructor(allowed: readonly string[] = []) {
    for (const entry of allowed) {
      if (entry.includes('/')) this.ranges.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry)) this.ranges.push(ipaddr.parseCIDR(`${entry}/${ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128}`));
      else this.names.add(entry.toLowerCase());
    }
  }

  /** Reads SOURCES_ALLOW_HOSTS ("127.0.0.1,intranet.example,10.0.0.0/8"); throws naming a bad entry. */
  static fromList(text: string | undefined): AddressPolicy {
    const entries = (text ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    for (const entry of entries) {
      const valid = entry.includes('/') ? isCidr(entry) : ipaddr.isValid(entry) || /^[a-z0-9.-]+$/i.test(entry);
      if (!valid) throw new Error(`"${entry}" is neither a host name, an address nor a CIDR range`);
    }
    return new AddressPolicy(entries);
  }

  /** Why an address may not be reached, or undefined when it may. */
  refusal(host: string, address: string): string | undefined {
    if (this.names.has(host.toLowerCase().replace(/^\[|\]$/g, ''))) return undefined;
    let parsed = ipaddr.parse(address);
    if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
    if (this.ranges.some(([range, bits]) => range.kind() === parsed.kind() && (parsed as ipaddr.IPv4).match(range as ipaddr.IPv4, bits))) {
      return undefined;
    }
    const range = parsed.range();
    if (PUBLIC_RANGES.has(range)) return undefined;
    const shown = host === address ? address : `${host} (${address})`;
    return `${shown} is ${RANGE_NAMES[range] ?? `an address of the ${range} range`}; an admin may allow it with SOURCES_ALLOW_HOSTS`;
  }

  /** Resolves the URL's host and says why it may not be reached, or undefined when it may. */
  async check(url: string): Promise<string | undefined> {
    const { hostname } = new URL(url);
    const resolved = await this.resolve(hostname);
    return 'refused' in resolved ? resolved.refused : undefined;
  }

  /**
   * The address to dial for a host (a name or an address, IPv6 in brackets or not), or why it
   * may not be reached: every address the name resolves to must be allowed.
   */
  async resolve(hostname: string): Promise<LookupAddress | { refused: string }> {
    const host = hostname.replace(/^\[|\]$/g, '');
    const family = isIP(host);
    if (family) {
      const refused = this.refusal(host, host);
      return refused ? { refused } : { address: host, family };
    }
    let addresses: LookupAddress[];
    try {
      addresses = await new Promise((resolve, reject) =>
        dnsLookup(host, { all: true }, (error, found) => (error ? reject(error) : resolve(found))),
      );
    } catch (error) {
      return { refused: `${host} cannot be found (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})` };
    }
    if (!this.names.has(host.toLowerCase())) {
      for (const { address } of addresses) {
        const refused = this.refusal(host, address);
        if (refused) return { refused };
      }
    }
    return addresses[0] ?? { refused: `${host} has no address` };
  }

  /** An HTTP agent that dials only addresses this policy allows. */
  dispatcher(): Dispatcher {
    this.agent ??= new Agent({ connect: { lookup: (hostname, options, callback) => this.lookup(hostname, options, callback) } });
    return this.agent;
  }

  private lookup(hostname: string, options: object, callback: LookupCallback): void {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.map(({ address }) => this.refusal(hostname, address)).find(Boolean);
      if (refused) return callback(Object.assign(new AddressRefused(refused), { code: 'EADDRREFUSED' }), []);
      const wantsAll = (options as { all?: boolean }).all;
      if (wantsAll) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  }
}

function isCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}
