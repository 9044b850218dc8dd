import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { GantryError } from '@gantry/contracts';
import ipaddr from 'ipaddr.js';

/** Resolves every address of a host name, as `dns.lookup` with `all: true` does. */
export type ResolveAll = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** `net.connect`'s `lookup` option, in either of the two forms Node calls it with. */
type ConnectLookup = (
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/**
 * The range an address falls in when a webhook may not go there, else null. Only ordinary public unicast
 * passes: loopback, private, link-local (169.254.169.254, the cloud metadata address), unique-local
 * (fd00:ec2::254), carrier-grade NAT (100.100.100.200), unspecified, multicast, reserved and the IPv6 forms
 * that carry an IPv4 address (mapped, 6to4, Teredo…) are all refused; a mapped one is judged as its IPv4.
 */
export function forbiddenRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return 'invalid';
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? null : range;
}

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();

/**
 * Where webhooks may go. A literal address in the URL is judged at submission (and again at delivery); a
 * host name at delivery, after DNS, on the very addresses the connection then uses: every address it
 * resolves to must pass, so a name that also resolves to 10.0.0.1 is refused whole. Hosts named in
 * WEBHOOK_ALLOWED_HOSTS (for development) skip the check.
 */
export class WebhookAddressPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(
    allowedHosts: readonly string[],
    private readonly resolveAll: ResolveAll = dnsLookup,
  ) {
    this.allowed = new Set(allowedHosts.map(bare));
  }

  /** A refusal for a URL whose host is a literal address that may not be reached; null otherwise. */
  refuseLiteral(url: string, field: readonly (string | number)[]): GantryError | null {
    const host = bare(new URL(url).hostname);
    if (this.allowed.has(host) || !ipaddr.isValid(host)) return null;
    const range = forbiddenRange(host);
    return range === null ? null : refusal(host, host, range, field);
  }

  /** A `lookup` for the connection to `url`'s host: it refuses forbidden addresses after resolving. */
  lookupFor(field: readonly (string | number)[]): ConnectLookup {
    return (hostname, options, callback) => {
      this.resolveAll(hostname, { family: toFamily(options.family), all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        if (!this.allowed.has(bare(hostname))) {
          for (const { address } of addresses) {
            const range = forbiddenRange(address);
            if (range !== null) return callback(refusal(hostname, address, range, field), []);
          }
        }
        const first = addresses[0];
        if (options.all) return callback(null, addresses);
        if (!first)
          return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
        callback(null, first.address, first.family);
      });
    };
  }
}

function toFamily(family: number | string | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

function refusal(
  host: string,
  address: string,
  range: string,
  field: readonly (string | number)[],
): GantryError {
  const what = address === host ? `${host} is` : `${host} resolves to ${address},`;
  const message = `webhook host ${what} a ${range} address; webhooks go to public addresses only (WEBHOOK_ALLOWED_HOSTS allows others)`;
  return new GantryError('WEBHOOK_URL_FORBIDDEN', message, {
    details: {
      field: field.join('.'),
      host,
      address,
      range,
      issues: [{ path: field, message, code: 'forbidden_address' }],
    },
  });
}
