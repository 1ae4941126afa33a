import { Construct } from 'constructs';
import { Route, Route53ZoneAssociation, VpcPeeringConnection, VpcPeeringConnectionAccepterA, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from '../private/aws-classes';
import { overlaps, parseCidr } from '../model/cidr';
import { TerraformProvider, TerraformStack, Token } from '../private/cdktf';
import { AwsSiteContext } from './site-context';
import { SiteNetwork } from './site-network';

/** A site as seen from the other end of a peering. */
export interface PeerSite {
  readonly context: AwsSiteContext;
  readonly network: SiteNetwork;
}

export interface PeeringSideProps extends PeerSite {
  /** The site at the other end. */
  readonly peer: PeerSite;
  /**
   * AWS provider for this site's region, in the stack that holds this side.
   * @default - `context.provider`, right when this side lives in the site's own stack
   */
  readonly provider?: TerraformProvider;
}

export interface PeeringAccepterProps extends PeeringSideProps {
  /** The `pcx-` id of the requester's connection (a cross-stack reference is fine). */
  readonly connectionId: string;
}

/** One site's end of a `SitePeering`. */
export interface PeeringEnd extends PeerSite {
  /**
   * Where this end's resources go. Its stack holds them: see `SitePeering` for which layouts work.
   */
  readonly scope: Construct;
  /**
   * AWS provider for the site's region, in the stack of `scope`.
   * @default - `context.provider`, right when `scope` is in the site's own stack
   */
  readonly provider?: TerraformProvider;
}

export interface SitePeeringProps {
  /** Creates the connection (in its region) and routes its VPC to the accepter. */
  readonly requester: PeeringEnd;
  /** Accepts the connection (in its region) and routes its VPC to the requester. */
  readonly accepter: PeeringEnd;
}

/** Traffic from a security group of one end of a peering to a security group of the other. */
export interface PeerGroupRuleOptions {
  /** The end whose group sends. */
  readonly from: 'requester' | 'accepter';
  /** The sending group (of the `from` end's VPC). */
  readonly fromGroupId: string;
  /** The receiving group (of the other end's VPC). */
  readonly toGroupId: string;
  readonly port: number;
  readonly description: string;
  /** Also allow the traffic out of `fromGroupId` (for groups whose egress is restricted). @default false */
  readonly egress?: boolean;
}

export interface PeerIngressOptions {
  /** The security group of this side that receives the traffic. */
  readonly securityGroupId: string;
  /** TCP ports to open, e.g. `[7900]` for the Infinispan cross-site bridge. */
  readonly ports: readonly number[];
  /** What the traffic is; each rule adds the peer site and zone. */
  readonly description: string;
}

/**
 * What both ends of a peering do in their own VPC: route the peer's block through the
 * connection, and let the peer in on chosen ports only.
 *
 * Construct IDs come from site names (`<site>-to-<peer>`, then `Zone<n>PrivateRoute`,
 * `DatabaseRoute`, rules named by the caller), so adding a third site never changes the
 * addresses of an existing peering.
 */
export abstract class PeeringSide extends Construct {
  readonly siteName: string;
  readonly peerSiteName: string;
  /** The `pcx-` id; on the accepter side it resolves once the connection is accepted. */
  abstract readonly connectionId: string;
  /** Whether both ends are in one region (where security groups may reference each other). */
  readonly sameRegionAsPeer: boolean;
  /** The AWS provider of this end's region, in the stack that holds it. */
  readonly provider?: TerraformProvider;
  protected readonly context: AwsSiteContext;
  protected readonly network: SiteNetwork;
  private readonly peer: PeerSite;

  protected constructor(scope: Construct, id: string, props: PeeringSideProps) {
    super(scope, id);
    checkPair(props, props.peer);
    this.context = props.context;
    this.network = props.network;
    this.peer = props.peer;
    this.siteName = props.context.site.name;
    this.peerSiteName = props.peer.context.site.name;
    this.sameRegionAsPeer = sameRegion(props.context, props.peer.context);
    const provider = props.provider ?? props.context.provider;
    if (provider) checkProviderStack(this, provider, this.siteName);
    this.provider = provider;
  }

  /**
   * Opens TCP ports on one of this side's security groups to the peer's private subnets (one
   * rule per port and peer zone). Addresses, not group references: security groups cannot
   * reference each other across regions. Construct IDs: `<id>Port<port>FromZone<n>`.
   */
  allowFromPeer(id: string, options: PeerIngressOptions): VpcSecurityGroupIngressRule[] {
    const ports = checkPorts(options.ports, `${id}.ports`);
    checkDescription(options.description, `${id}.description`);
    const rules: VpcSecurityGroupIngressRule[] = [];
    for (const port of ports) {
      for (const zone of this.peer.network.plan.zones) {
        const n = zone.index + 1;
        rules.push(new VpcSecurityGroupIngressRule(this, `${id}Port${port}FromZone${n}`, {
          provider: this.provider,
          securityGroupId: options.securityGroupId,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          cidrIpv4: zone.private,
          description: `${options.description} from site ${this.peerSiteName} zone ${n}`,
          tags: this.context.tags,
        }));
      }
    }
    return rules;
  }

  /**
   * Makes a private hosted zone, typically the peer's Cloud Map namespace, answer in this side's
   * VPC, so that tasks here resolve the peer's service names (e.g. the Infinispan relay nodes)
   * to addresses routed through the peering. The two sites' namespaces need distinct names:
   * Route 53 refuses to associate a VPC with two private zones of the same name.
   */
  associateZone(id: string, hostedZoneId: string): Route53ZoneAssociation {
    return new Route53ZoneAssociation(this, id, {
      provider: this.provider,
      zoneId: hostedZoneId,
      vpcId: this.network.vpc.id,
      vpcRegion: this.context.site.region,
    });
  }

  /**
   * Every private route table and the database route table send the peer's block through the
   * connection; the database subnets need it for the replies to the peer's clients.
   */
  protected addRoutes(connectionId: string): void {
    const destinationCidrBlock = this.peer.network.plan.cidr;
    this.network.privateRouteTableIds.forEach((routeTableId, index) => {
      new Route(this, `Zone${index + 1}PrivateRoute`, {
        provider: this.provider,
        routeTableId,
        destinationCidrBlock,
        vpcPeeringConnectionId: connectionId,
      });
    });
    new Route(this, 'DatabaseRoute', {
      provider: this.provider,
      routeTableId: this.network.databaseRouteTableId,
      destinationCidrBlock,
      vpcPeeringConnectionId: connectionId,
    });
  }
}

/**
 * The requester's end: the peering connection, created in the requester's region and left for
 * the accepter to accept (`auto_accept` only works within one region). Its routes exist from the
 * start and carry traffic once the connection is accepted.
 */
export class PeeringRequester extends PeeringSide {
  readonly connection: VpcPeeringConnection;
  readonly connectionId: string;

  constructor(scope: Construct, id: string, props: PeeringSideProps) {
    super(scope, id, props);
    const peerRegion = props.peer.context.site.region;
    this.connection = new VpcPeeringConnection(this, 'Resource', {
      provider: this.provider,
      vpcId: props.network.vpc.id,
      peerVpcId: props.peer.network.vpc.id,
      // Omitted within one region, where AWS defaults to the requester's own region.
      ...(sameRegion(props.context, props.peer.context) ? {} : { peerRegion }),
      autoAccept: false,
      tags: connectionTags(props.context, this.peerSiteName),
    });
    this.connectionId = this.connection.id;
    this.addRoutes(this.connectionId);
  }
}

/**
 * The accepter's end: accepts the connection in the accepter's region. Its routes use the
 * accepter's id, so they wait for the acceptance.
 */
export class PeeringAccepter extends PeeringSide {
  readonly accepter: VpcPeeringConnectionAccepterA;
  readonly connectionId: string;

  constructor(scope: Construct, id: string, props: PeeringAccepterProps) {
    super(scope, id, props);
    this.accepter = new VpcPeeringConnectionAccepterA(this, 'Resource', {
      provider: this.provider,
      vpcPeeringConnectionId: props.connectionId,
      autoAccept: true,
      // Within one region both resources manage the same connection's tags: different tags on
      // each would undo each other on every apply. Across regions each side has its own tags.
      tags: sameRegion(props.context, props.peer.context)
        ? connectionTags(props.peer.context, this.siteName)
        : connectionTags(props.context, this.peerSiteName),
    });
    this.connectionId = this.accepter.id;
    this.addRoutes(this.connectionId);
  }
}

/**
 * Connects two sites' VPCs with a VPC peering connection, in one region or across regions:
 * routes in both VPCs, and ingress only where `allowFromPeer` opens it.
 *
 * Not a construct itself: each end's resources go to that end's `scope`, so each lands in the
 * stack that should hold it. Layouts that work:
 * - both ends in one stack, each with the provider of its region;
 * - both ends in an interconnect stack of their own (a provider per region), the sites' VPCs in
 *   the sites' stacks: neither site stack then depends on the other, so a region outage never
 *   blocks the other site's deployments;
 * - the requester in its site's stack, the accepter in a stack of its own.
 *
 * The accepter cannot live in the stack of either VPC while the requester is elsewhere: the
 * requester needs the accepter's VPC id and the accepter needs the requester's connection id,
 * so the two stacks would depend on each other. That layout is rejected with a fix.
 *
 * Both sites are in one AWS account (no `peer_owner_id`). An unaccepted request expires after
 * 7 days, so deploy the accepter's stack soon after the requester's when they are apart.
 *
 * The peering's DNS option (`allow_remote_vpc_dns_resolution`) is not set: it only makes the peer's
 * public EC2 host names resolve to private addresses, and can only be set once the connection is
 * active. The names the sites need from each other are private (Cloud Map): `associateZone`.
 */
export class SitePeering {
  readonly requester: PeeringRequester;
  readonly accepter: PeeringAccepter;

  constructor(props: SitePeeringProps) {
    const { requester, accepter } = props;
    checkPair(requester, accepter);
    checkStackLayout(props);
    const requesterSite = requester.context.site.name;
    const accepterSite = accepter.context.site.name;
    this.requester = new PeeringRequester(requester.scope, `${requesterSite}-to-${accepterSite}`, {
      context: requester.context,
      network: requester.network,
      provider: requester.provider,
      peer: accepter,
    });
    this.accepter = new PeeringAccepter(accepter.scope, `${accepterSite}-to-${requesterSite}`, {
      context: accepter.context,
      network: accepter.network,
      provider: accepter.provider,
      peer: requester,
      connectionId: this.requester.connectionId,
    });
  }
}

/**
 * Within one region only: opens `options.port` to `toGroupId` from `fromGroupId` by group
 * reference, so only members of that group in the peer VPC get in, not the peer's whole subnets
 * (security groups of peered VPCs may reference each other within a region, not across regions:
 * Amazon VPC Peering guide, "Update your security groups to reference peer security groups").
 * Each rule lives with its group's end (its stack and provider) and waits for the acceptance.
 * Construct IDs: `<id>From<from site>` (ingress) and `<id>To<to site>` (egress).
 */
export function allowBetweenPeerGroups(peering: SitePeering, id: string, options: PeerGroupRuleOptions): void {
  const sending = options.from === 'requester' ? peering.requester : peering.accepter;
  const receiving = options.from === 'requester' ? peering.accepter : peering.requester;
  if (!sending.sameRegionAsPeer) {
    throw new Error(`allowBetweenPeerGroups: sites '${sending.siteName}' and '${receiving.siteName}' are in different regions, ` +
      'where security groups cannot reference each other; use allowFromPeer (addresses)');
  }
  checkPorts([options.port], `${id}.port`);
  checkDescription(options.description, `${id}.description`);
  const rule = { ipProtocol: 'tcp', fromPort: options.port, toPort: options.port, dependsOn: [peering.accepter.accepter] };
  new VpcSecurityGroupIngressRule(receiving, `${id}From${sending.siteName}`, {
    ...rule, provider: receiving.provider, securityGroupId: options.toGroupId, referencedSecurityGroupId: options.fromGroupId,
    description: `${options.description} from site ${sending.siteName}`,
  });
  if (options.egress) {
    new VpcSecurityGroupEgressRule(sending, `${id}To${receiving.siteName}`, {
      ...rule, provider: sending.provider, securityGroupId: options.fromGroupId, referencedSecurityGroupId: options.toGroupId,
      description: `${options.description} to site ${receiving.siteName}`,
    });
  }
}

function sameRegion(a: AwsSiteContext, b: AwsSiteContext): boolean {
  const [x, y] = [a.site.region, b.site.region];
  return !Token.isUnresolved(x) && !Token.isUnresolved(y) && x === y;
}

/** Tags of the connection, named from the requester's side in the requester's region. */
function connectionTags(context: AwsSiteContext, peerSiteName: string): Record<string, string> {
  return { ...context.tags, Name: `${context.name}-to-${peerSiteName}` };
}

function checkPair(local: PeerSite, peer: PeerSite): void {
  const [a, b] = [local.context.site, peer.context.site];
  if (a.name === b.name || local.network === peer.network) {
    const what = a.name === b.name ? `site '${a.name}' (requester.context.site.name and accepter.context.site.name)`
      : `one network (requester.network and accepter.network, sites '${a.name}' and '${b.name}')`;
    throw new Error(
      `site peering: both ends are ${what}; a site cannot be peered with itself. Fix: pass the ends of two different sites`,
    );
  }
  const [blockA, blockB] = [local.network.plan.cidr, peer.network.plan.cidr];
  const [x, y] = [parseCidr(blockA), parseCidr(blockB)];
  if (x && y && overlaps(x, y)) {
    throw new Error(
      `site peering: the networks of site '${a.name}' (sites.${a.name}.cidr '${blockA}') and site '${b.name}' ` +
      `(sites.${b.name}.cidr '${blockB}') overlap, and a peering cannot route between overlapping blocks. ` +
      `Fix: give each site its own block, e.g. '10.0.0.0/16' and '10.1.0.0/16'`,
    );
  }
}

function checkStackLayout(props: SitePeeringProps): void {
  const requesterStack = TerraformStack.of(props.requester.scope);
  const accepterStack = TerraformStack.of(props.accepter.scope);
  if (requesterStack === accepterStack) return;
  // The requester needs both VPCs (ids, route tables); the accepter needs the requester.
  const vpcStacks = [props.requester.network, props.accepter.network].map((network) => TerraformStack.of(network));
  if (vpcStacks.includes(accepterStack)) {
    const accepterSite = props.accepter.context.site.name;
    throw new Error(
      `site peering: accepter.scope is in stack '${accepterStack.node.id}', which holds a peered VPC, while ` +
      `requester.scope is in stack '${requesterStack.node.id}': the requester needs that VPC and the accepter ` +
      'needs the requester\'s connection, so the two stacks would depend on each other. Fix: put accepter.scope ' +
      `in a stack of its own (e.g. '${accepterSite}-peering', with a provider for ${props.accepter.context.site.region}), ` +
      'or both ends in one interconnect stack with a provider per region',
    );
  }
}

function checkProviderStack(side: Construct, provider: TerraformProvider, siteName: string): void {
  const sideStack = TerraformStack.of(side);
  const providerStack = TerraformStack.of(provider);
  if (sideStack !== providerStack) {
    throw new Error(
      `site peering: the provider of site '${siteName}' is in stack '${providerStack.node.id}', but this end's ` +
      `resources go to stack '${sideStack.node.id}', which cannot use it. Fix: pass provider, an AWS provider ` +
      `for the site's region in stack '${sideStack.node.id}'`,
    );
  }
}

function checkPorts(ports: readonly number[], path: string): number[] {
  const invalid = ports.filter((port) => !Number.isInteger(port) || port < 1 || port > 65535);
  if (ports.length === 0 || invalid.length > 0) {
    throw new Error(`site peering: ${path} must list TCP ports 1–65535 (got [${ports.join(', ')}]). Fix: e.g. [7900]`);
  }
  return [...new Set(ports)];
}

/** What EC2 accepts in a security group rule description; checked here rather than at apply. */
const RULE_DESCRIPTION = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]{1,200}$/;

function checkDescription(description: string, path: string): void {
  if (typeof description !== 'string' || !RULE_DESCRIPTION.test(description)) {
    throw new Error(
      `site peering: ${path} must be 1–200 characters of letters, digits, spaces and ._-:/()#,@[]+=&;{}!$* ` +
      `(got '${description}'). Fix: e.g. 'Infinispan cross-site bridge'`,
    );
  }
}
