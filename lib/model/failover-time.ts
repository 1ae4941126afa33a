/**
 * Worst-case time for users to reach another site after one Keycloak site goes down, from the
 * health-check and DNS settings in front of the sites. Pure: no cdktf, unit-tested in milliseconds,
 * reused by the GeoDns construct and the review bundle.
 *
 * Sources (re-check them when AWS changes a figure):
 * - Route 53, "How Amazon Route 53 determines whether a health check is healthy"
 *   (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html):
 *   checkers in several regions probe every 10 or 30 s without coordinating with one another; each
 *   applies the failure threshold (consecutive failures) on its own; Route 53 aggregates their
 *   verdicts and calls the endpoint healthy while more than 18 % of checkers do; an HTTPS check
 *   fails unless the TCP connection is made within 4 s and an HTTP status arrives within 2 s of it.
 * - Route 53 API (HealthCheckConfig): failure threshold 1-10; the request interval is counted
 *   from the endpoint's response to the next request.
 * - Route 53, "How Amazon Route 53 chooses records when health checking is configured": when every
 *   record of a group is unhealthy, Route 53 answers as if all were healthy (fails open).
 * - Alias records to an AWS resource carry no TTL of their own; Route 53 uses the target's, and an
 *   Elastic Load Balancing DNS name has a TTL of 60 s.
 * - AWS Global Accelerator, "Endpoint groups" and "How failover works for unhealthy endpoints":
 *   endpoint-group checks run every 10 or 30 s with a threshold of 1-10 (default 30 s and 3) and
 *   apply to EC2 instance and Elastic IP endpoints; Network and Application Load Balancer endpoints
 *   are judged by the load balancer's own health checks. Failover ignores the traffic dial (a group
 *   dialled to 0 % still takes over) and, with no healthy endpoint in the three nearest groups,
 *   Global Accelerator fails open.
 */

/** What steers users between sites: DNS answers, or the anycast addresses of an accelerator. */
export type TrafficDirector = 'route53' | 'global-accelerator';

/** The Route 53 routing policy of the per-site records of the shared hostname. */
export type DnsRoutingKind = 'failover' | 'latency' | 'geolocation';

/** The only request intervals Route 53 health checks (and accelerator endpoint groups) accept. */
export const HEALTH_CHECK_INTERVALS_SECONDS: readonly number[] = [10, 30];

/** Consecutive failed checks before an endpoint is declared unhealthy: Route 53's and Global Accelerator's bounds. */
export const HEALTH_CHECK_FAILURE_THRESHOLD = { min: 1, max: 10 } as const;

/** TTL Route 53 serves for an alias to a load balancer: Elastic Load Balancing's DNS TTL. */
export const LOAD_BALANCER_ALIAS_TTL_SECONDS = 60;

/** Longest an HTTPS Route 53 check can take to fail: 4 s to connect plus 2 s for a status. */
export const ROUTE53_HTTPS_CHECK_TIMEOUT_SECONDS = 6;

export interface FailoverTimeInput {
  /** @default 'route53' */
  readonly trafficDirector?: TrafficDirector;
  /** Routing policy of the hostname's records; with Global Accelerator, 'failover' or 'latency'. */
  readonly routing: DnsRoutingKind;
  /** Seconds between health checks: 10 or 30. */
  readonly intervalSeconds: number;
  /** Consecutive failed checks before a site is unhealthy: 1-10. */
  readonly failureThreshold: number;
  /**
   * TTL of the hostname's records. Ignored with Global Accelerator, whose addresses never change.
   * @default 60 - an alias to a load balancer (Elastic Load Balancing's DNS TTL)
   */
  readonly ttlSeconds?: number;
  /**
   * Allowance for the director to gather its checkers' verdicts and act on them (Route 53: push
   * the new status to its name servers). AWS publishes no figure for it.
   * @default - one request interval
   */
  readonly aggregationAllowanceSeconds?: number;
  /**
   * Failover routing: the sites in the order they take over (primary first). With three or more
   * the notes state how the chain of records behaves.
   */
  readonly failoverOrder?: readonly string[];
}

/** Worst-case failover of one site, in seconds, with the reasoning behind each term. */
export interface FailoverTime {
  readonly trafficDirector: TrafficDirector;
  readonly routing: DnsRoutingKind;
  /** `failureThreshold × intervalSeconds`: the consecutive failed checks that must be seen. */
  readonly probingSeconds: number;
  /** Time the failed checks themselves may take before they count (timeouts). */
  readonly probeTimeoutSeconds: number;
  /** The stated allowance for aggregation and propagation inside the director. */
  readonly aggregationSeconds: number;
  /** From the site going down to the director no longer sending users to it. */
  readonly detectionSeconds: number;
  /** Time resolvers may keep answering with the failed site: the record TTL (0 with an accelerator). */
  readonly dnsPropagationSeconds: number;
  readonly totalSeconds: number;
  /** Assumptions and caveats, one sentence each, for the review bundle. */
  readonly notes: readonly string[];
}

/**
 * The worst case for one site failing: it stops answering right after a successful check, every
 * checker then needs `failureThreshold` consecutive failures, each of which may run to its timeout,
 * the director aggregates, and resolvers keep the old answer for the TTL.
 * @throws when a setting is outside what Route 53 or Global Accelerator accept.
 */
export function worstCaseFailoverTime(input: FailoverTimeInput): FailoverTime {
  const trafficDirector = input.trafficDirector ?? 'route53';
  const { routing, intervalSeconds, failureThreshold } = input;
  check(
    HEALTH_CHECK_INTERVALS_SECONDS.includes(intervalSeconds),
    `intervalSeconds ${String(intervalSeconds)} is not 10 or 30`,
    'Route 53 health checks and accelerator endpoint groups check every 10 or 30 seconds; use 10 for faster failover',
  );
  const { min, max } = HEALTH_CHECK_FAILURE_THRESHOLD;
  check(
    Number.isInteger(failureThreshold) && failureThreshold >= min && failureThreshold <= max,
    `failureThreshold ${String(failureThreshold)} is not a whole number from ${min} to ${max}`,
    'use 3 (the AWS default) or a value from 1 to 10',
  );
  if (trafficDirector === 'global-accelerator') {
    check(
      routing !== 'geolocation',
      "routing 'geolocation' is not available with Global Accelerator",
      "an accelerator sends each user to the nearest healthy region; use 'latency' (all sites active) or 'failover' (active/passive)",
    );
  }
  const ttlSeconds = input.ttlSeconds ?? LOAD_BALANCER_ALIAS_TTL_SECONDS;
  check(
    Number.isInteger(ttlSeconds) && ttlSeconds >= 0,
    `ttlSeconds ${String(ttlSeconds)} is not a whole number of seconds`,
    'give the record TTL in seconds (an alias to a load balancer has 60)',
  );
  const aggregationSeconds = input.aggregationAllowanceSeconds ?? intervalSeconds;
  check(
    Number.isFinite(aggregationSeconds) && aggregationSeconds >= 0,
    `aggregationAllowanceSeconds ${String(aggregationSeconds)} is not a number of seconds`,
    'leave it unset (one interval) or give a non-negative number',
  );

  const probingSeconds = failureThreshold * intervalSeconds;
  const notes: string[] = [];
  let probeTimeoutSeconds: number;
  let dnsPropagationSeconds: number;

  if (trafficDirector === 'route53') {
    // Route 53 counts the interval from a response to the next request, so a site that hangs
    // instead of refusing stretches every failed check by its timeout.
    probeTimeoutSeconds = failureThreshold * ROUTE53_HTTPS_CHECK_TIMEOUT_SECONDS;
    dnsPropagationSeconds = ttlSeconds;
    notes.push(
      `detection: each Route 53 checker needs ${failureThreshold} consecutive failed checks ${intervalSeconds} s apart ` +
        `(${probingSeconds} s); a site that hangs makes each HTTPS check wait up to ${ROUTE53_HTTPS_CHECK_TIMEOUT_SECONDS} s ` +
        `(4 s to connect, 2 s for a status), adding up to ${probeTimeoutSeconds} s; a site answering 503 on /lb-check fails each check at once`,
      'checkers do not coordinate, but none can finish its count later than one whose check succeeded just before the site failed, so the bound above holds for every checker',
      `aggregation: Route 53 calls a site unhealthy once 18 % or fewer of its checkers report it healthy; AWS publishes no delay ` +
        `for gathering their verdicts and updating DNS answers, so ${aggregationSeconds} s is allowed for it (an assumption)`,
      `DNS: resolvers keep the old answer for the record TTL (${ttlSeconds} s${input.ttlSeconds === undefined ? ', the TTL of an alias to a load balancer' : ''}); ` +
        'some resolvers and client runtimes cache longer than the TTL, and open connections stay on the failed site until they break',
      'if every site is unhealthy, Route 53 answers as if all were healthy (fails open)',
    );
    notes.push(ROUTING_NOTES[routing]);
    const order = input.failoverOrder ?? [];
    if (routing === 'failover' && order.length > 2) {
      notes.push(
        `failover order ${order.join(' → ')}: Route 53 takes one PRIMARY and one SECONDARY record per name, so each standby but ` +
          `the last is the PRIMARY of a name of its own (standby-1.<hostname>, ...) that the name before reaches through a SECONDARY ` +
          'alias evaluating its health; Route 53 walks that chain when it answers, from the sites\' own checks, so it adds no probing of its own',
        `worst case for any depth: sites failing together are probed in parallel, so users reach the first healthy site in the order ` +
          'within the bound above; a standby failing after taking over is a new failover with the same bound',
      );
    }
  } else {
    probeTimeoutSeconds = 0;
    dnsPropagationSeconds = 0;
    notes.push(
      `detection: ${failureThreshold} consecutive failed checks ${intervalSeconds} s apart (${probingSeconds} s); ` +
        'Global Accelerator publishes no per-check timeout, so none is added (an assumption)',
      'for Network and Application Load Balancer endpoints, Global Accelerator uses the load balancer\'s own health checks, ' +
        'not the endpoint group\'s: give the target group\'s interval and unhealthy threshold for an exact figure',
      `aggregation: ${aggregationSeconds} s allowed for the accelerator to act on the new status (AWS publishes no figure; an assumption)`,
      'DNS: none in the failover path; the hostname resolves to the accelerator\'s static anycast addresses, which do not change when a site fails',
      'failover ignores the traffic dial, so a passive region dialled to 0 % takes over; with no healthy endpoint in the three nearest regions the accelerator fails open',
    );
    if (routing === 'failover') notes.push('active/passive: the passive region receives traffic only while the active one is unhealthy');
  }

  const detectionSeconds = probingSeconds + probeTimeoutSeconds + aggregationSeconds;
  return {
    trafficDirector,
    routing,
    probingSeconds,
    probeTimeoutSeconds,
    aggregationSeconds,
    detectionSeconds,
    dnsPropagationSeconds,
    totalSeconds: detectionSeconds + dnsPropagationSeconds,
    notes,
  };
}

const ROUTING_NOTES: Readonly<Record<DnsRoutingKind, string>> = {
  failover: 'failover routing: once the primary is unhealthy, Route 53 answers with the secondary',
  latency: 'latency routing: users of the failed site are answered with the healthy site of next-lowest latency',
  geolocation:
    "geolocation routing: users of the failed site's locations fall back to the default ('*') record; " +
    'when the default record points at the failed site too, they have no healthy site to fall back to',
};

function check(condition: boolean, problem: string, fix: string): void {
  if (!condition) throw new Error(`worstCaseFailoverTime: ${problem}; ${fix}`);
}
