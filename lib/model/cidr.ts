import * as ipaddr from 'ipaddr.js';

/**
 * IPv4 CIDR blocks. Parsing is ipaddr.js's; the subnet arithmetic is done here because the
 * library needs Terraform's `cidrsubnet()` results at synth time (to validate, to configure
 * Keycloak's trusted proxies and to show the plan to reviewers), not as tokens at apply time.
 */
export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; undefined unless it is a four-part address whose host bits are zero. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  if (typeof text !== 'string') return undefined;
  const [address, prefixText, ...rest] = text.split('/');
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return undefined;
  const prefix = Number(prefixText);
  if (prefix > 32) return undefined;
  const network = toNumber(ipaddr.IPv4.parse(address));
  if ((network & hostMask(prefix)) >>> 0 !== 0) return undefined;
  return { network, prefix };
}

/** Formats a block as `a.b.c.d/n`. */
export function formatCidr(cidr: Ipv4Cidr): string {
  const n = cidr.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${cidr.prefix}`;
}

/** Terraform's `cidrsubnet(base, newBits, index)`. */
export function subnet(base: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = base.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new RangeError(`subnet ${index} of /${base.prefix} with ${newBits} new bits does not exist`);
  }
  return { network: (base.network + index * 2 ** (32 - prefix)) >>> 0, prefix };
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const shorter = Math.min(a.prefix, b.prefix);
  const mask = ~hostMask(shorter) >>> 0;
  return ((a.network & mask) >>> 0) === ((b.network & mask) >>> 0);
}

/** True for RFC 1918 and RFC 6598 (carrier-grade NAT) blocks, the ranges AWS accepts for VPCs. */
export function isPrivate(cidr: Ipv4Cidr): boolean {
  const range = ipaddr.IPv4.parse(formatCidr(cidr).split('/')[0]).range();
  return range === 'private' || range === 'carrierGradeNat';
}

function hostMask(prefix: number): number {
  return prefix === 0 ? 0xffffffff : (2 ** (32 - prefix) - 1) >>> 0;
}

function toNumber(address: ipaddr.IPv4): number {
  return address.octets.reduce((acc, octet) => acc * 256 + octet, 0) >>> 0;
}
