import { formatCidr, isPrivate, overlaps, parseCidr, subnet } from '../../lib/model/cidr';
import { planSiteNetwork } from '../../lib/model/network-plan';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad test CIDR ${text}`);
  return parsed;
};

describe('parseCidr', () => {
  test.each(['10.0.0.0/16', '192.168.16.0/20', '0.0.0.0/0', '10.1.2.3/32'])('accepts %s', (text) => {
    expect(formatCidr(cidr(text))).toBe(text);
  });
  test.each(['10.0.0.1/16', '10.0/16', '10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', '10.0.0.0/16/1', 'ten/8', ''])(
    'rejects %p',
    (text) => expect(parseCidr(text)).toBeUndefined(),
  );
});

describe('subnet', () => {
  test("matches Terraform's cidrsubnet()", () => {
    // cidrsubnet("10.0.0.0/16", 3, 2) = "10.0.64.0/19"; cidrsubnet("10.0.0.0/16", 7, 113) = "10.0.226.0/23"
    expect(formatCidr(subnet(cidr('10.0.0.0/16'), 3, 2))).toBe('10.0.64.0/19');
    expect(formatCidr(subnet(cidr('10.0.0.0/16'), 7, 113))).toBe('10.0.226.0/23');
    expect(formatCidr(subnet(cidr('172.16.0.0/12'), 4, 15))).toBe('172.31.0.0/16');
  });
  test('refuses a subnet that does not exist', () => {
    expect(() => subnet(cidr('10.0.0.0/16'), 3, 8)).toThrow(RangeError);
    expect(() => subnet(cidr('10.0.0.0/30'), 3, 0)).toThrow(RangeError);
  });
});

describe('overlaps and isPrivate', () => {
  test('detects shared addresses both ways', () => {
    expect(overlaps(cidr('10.0.0.0/16'), cidr('10.0.128.0/20'))).toBe(true);
    expect(overlaps(cidr('10.0.128.0/20'), cidr('10.0.0.0/16'))).toBe(true);
    expect(overlaps(cidr('10.0.0.0/16'), cidr('10.1.0.0/16'))).toBe(false);
  });
  test('knows the private ranges', () => {
    expect(['10.0.0.0/16', '172.20.0.0/16', '192.168.0.0/16', '100.64.0.0/16'].map((c) => isPrivate(cidr(c)))).toEqual([true, true, true, true]);
    expect(isPrivate(cidr('8.8.0.0/16'))).toBe(false);
  });
});

describe('planSiteNetwork', () => {
  const all = (plan: ReturnType<typeof planSiteNetwork>) => plan.zones.flatMap((z) => [z.private, z.database, z.cache, z.public]);

  test.each(['10.0.0.0/16', '10.8.0.0/18', '192.168.16.0/20'])('carves disjoint subnets inside %s for six zones', (block) => {
    const plan = planSiteNetwork({ cidr: block, zoneCount: 6 });
    const subnets = all(plan).map(cidr);
    const vpc = cidr(block);
    for (const [i, a] of subnets.entries()) {
      expect(overlaps(a, vpc) && a.prefix > vpc.prefix).toBe(true);
      for (const b of subnets.slice(i + 1)) expect(overlaps(a, b)).toBe(false);
    }
  });

  test('leaves public subnets big enough for a load balancer (/27 or larger) even in a /20', () => {
    const plan = planSiteNetwork({ cidr: '10.0.0.0/20', zoneCount: 3 });
    expect(plan.zones.map((z) => cidr(z.public).prefix)).toEqual([27, 27, 27]);
  });

  test('adding a zone keeps every existing subnet where it was', () => {
    const three = planSiteNetwork({ cidr: '10.0.0.0/16', zoneCount: 3 });
    const four = planSiteNetwork({ cidr: '10.0.0.0/16', zoneCount: 4 });
    expect(four.zones.slice(0, 3)).toEqual(three.zones);
  });

  test('refuses blocks it cannot carve', () => {
    expect(() => planSiteNetwork({ cidr: '10.0.0.0/24', zoneCount: 3 })).toThrow(/must be a \/16–\/20 block/);
    expect(() => planSiteNetwork({ cidr: '10.0.0.0/16', zoneCount: 7 })).toThrow(/zone count 7/);
  });
});
