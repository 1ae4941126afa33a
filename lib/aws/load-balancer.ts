import { Construct } from 'constructs';
import { Lb, LbListener, LbListenerRule, LbTargetGroup, SecurityGroup, VpcSecurityGroupIngressRule } from '../private/aws-classes';
import { KEYCLOAK_PORTS, LB_CHECK_PATH } from '../model/topology';
import { AwsSiteContext } from './site-context';
import { SiteNetwork } from './site-network';

export interface KeycloakLoadBalancerProps {
  readonly network: SiteNetwork;
  /** ACM certificate of the hostname, in the site's region. */
  readonly certificateArn: string;
}

/**
 * TLS 1.3 with TLS 1.2 fallback and forward-secret ciphers only: AWS's recommended policy for
 * HTTPS listeners (Elastic Load Balancing, "Security policies for your Application Load Balancer").
 */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

/**
 * Paths a browser or client needs (https://www.keycloak.org/server/reverseproxy, "Exposed path
 * recommendations"): OIDC/SAML endpoints, static resources, RFC 8414 metadata, robots.txt.
 * `/admin/` is forwarded only from `traffic.adminAllowedCidrs`; `/`, `/metrics` and `/health` never.
 */
export const PUBLIC_PATHS = ['/realms/*', '/resources/*', '/.well-known/*', '/robots.txt'] as const;

/**
 * Condition values one listener rule may hold, all conditions together (Elastic Load Balancing,
 * "Quotas for your Application Load Balancers": condition values per rule 5).
 */
const ALB_RULE_CONDITION_VALUES = 5;

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * The site's Application Load Balancer: HTTPS on 443 with a modern TLS policy, HTTP on 80 only to
 * redirect, and a target group that keeps a login on one node (`AUTH_SESSION_ID` stickiness) and
 * checks each node's readiness on the management port, never `/`.
 */
export class KeycloakLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly securityGroup: SecurityGroup;
  readonly targetGroup: LbTargetGroup;
  readonly httpsListener: LbListener;

  constructor(scope: Construct, id: string, context: AwsSiteContext, props: KeycloakLoadBalancerProps) {
    super(scope, id);
    const { provider, tags, name, topology } = context;
    const { traffic } = topology;
    const vpcId = props.network.vpc.id;

    this.securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      provider,
      name: `${name}-load-balancer`,
      description: 'Keycloak load balancer: HTTPS (and HTTP to redirect) in, Keycloak ports out',
      vpcId,
      tags: { ...tags, Name: `${name}-load-balancer` },
    });
    for (const cidr of traffic.allowedClientCidrs) {
      for (const port of [443, 80]) {
        new VpcSecurityGroupIngressRule(this, `Allow${port}From${cidr.replace(/[./]/g, '-')}`, {
          provider,
          securityGroupId: this.securityGroup.id,
          cidrIpv4: cidr,
          ipProtocol: 'tcp',
          fromPort: port,
          toPort: port,
          description: port === 443 ? 'HTTPS from clients' : 'HTTP from clients, redirected to HTTPS',
        });
      }
    }

    this.loadBalancer = new Lb(this, 'Resource', {
      provider,
      name,
      loadBalancerType: 'application',
      internal: !traffic.internetFacing,
      subnets: props.network.publicSubnetIds,
      securityGroups: [this.securityGroup.id],
      dropInvalidHeaderFields: true,
      enableHttp2: true,
      idleTimeout: 60,
      tags,
    });

    const check = traffic.targetHealthCheck;
    this.targetGroup = new LbTargetGroup(this, 'TargetGroup', {
      provider,
      // A generated name lets a replacement group exist beside the old one while the listener moves.
      namePrefix: 'kc-',
      lifecycle: { createBeforeDestroy: true },
      vpcId,
      targetType: 'ip',
      protocol: 'HTTP',
      port: KEYCLOAK_PORTS.http,
      deregistrationDelay: String(traffic.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        protocol: 'HTTP',
        path: check.path,
        port: String(check.port),
        matcher: '200',
        interval: check.intervalSeconds,
        timeout: check.timeoutSeconds,
        healthyThreshold: check.healthyThreshold,
        unhealthyThreshold: check.unhealthyThreshold,
      },
      // Keycloak names the node that holds a login in its AUTH_SESSION_ID cookie; keeping the
      // browser there avoids a remote cache lookup on every step of the login.
      stickiness: {
        enabled: true,
        type: 'app_cookie',
        cookieName: traffic.stickyCookie,
        cookieDuration: traffic.stickinessSeconds,
      },
      tags,
    });

    this.httpsListener = new LbListener(this, 'Https', {
      provider,
      loadBalancerArn: this.loadBalancer.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: TLS_POLICY,
      certificateArn: props.certificateArn,
      // Only the paths Keycloak's proxy guide says to expose reach Keycloak; the rest is a 404.
      defaultAction: [{ type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not found' } }],
      tags,
    });
    const forward = [{ type: 'forward', targetGroupArn: this.targetGroup.arn }];
    new LbListenerRule(this, 'PublicPaths', {
      provider,
      listenerArn: this.httpsListener.arn,
      priority: 10,
      // With several sites, DNS or accelerator health checks probe /lb-check (Keycloak's multi-site feature).
      condition: [{ pathPattern: { values: [...PUBLIC_PATHS, ...(topology.mode === 'single-site' ? [] : [LB_CHECK_PATH])] } }],
      action: forward,
      tags,
    });
    // An ALB rule takes at most 5 condition values in all: the path and 4 networks per rule.
    chunks(traffic.adminAllowedCidrs, ALB_RULE_CONDITION_VALUES - 1).forEach((cidrs, i) => {
      new LbListenerRule(this, i === 0 ? 'AdminPaths' : `AdminPaths${i + 1}`, {
        provider,
        listenerArn: this.httpsListener.arn,
        priority: 20 + i,
        condition: [{ pathPattern: { values: ['/admin/*'] } }, { sourceIp: { values: cidrs } }],
        action: forward,
        tags,
      });
    });
    new LbListener(this, 'HttpRedirect', {
      provider,
      loadBalancerArn: this.loadBalancer.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
      tags,
    });
  }
}
