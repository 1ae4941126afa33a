import { worstCaseFailoverTime } from '../../lib/model/failover-time';

describe('worstCaseFailoverTime', () => {
  test('GIVEN Route 53 failover, 10 s checks, threshold 3, alias to a load balancer THEN 58 s to detect, 60 s of TTL, 118 s in all', () => {
    const time = worstCaseFailoverTime({ routing: 'failover', intervalSeconds: 10, failureThreshold: 3 });
    expect(time).toMatchObject({
      trafficDirector: 'route53',
      probingSeconds: 30, // 3 failed checks, 10 s apart
      probeTimeoutSeconds: 18, // each may run to the HTTPS timeout: 4 s connect + 2 s status
      aggregationSeconds: 10, // one interval allowed for Route 53 to act (not published by AWS)
      detectionSeconds: 58,
      dnsPropagationSeconds: 60, // the ELB DNS TTL an alias inherits
      totalSeconds: 118,
    });
  });

  test('GIVEN 30 s checks and threshold 1 THEN the terms scale with them', () => {
    const time = worstCaseFailoverTime({ routing: 'latency', intervalSeconds: 30, failureThreshold: 1, ttlSeconds: 30 });
    expect(time).toMatchObject({ probingSeconds: 30, probeTimeoutSeconds: 6, aggregationSeconds: 30, detectionSeconds: 66, dnsPropagationSeconds: 30, totalSeconds: 96 });
  });

  test('the aggregation allowance is an explicit, replaceable assumption', () => {
    const time = worstCaseFailoverTime({ routing: 'failover', intervalSeconds: 10, failureThreshold: 3, aggregationAllowanceSeconds: 0 });
    expect(time.detectionSeconds).toBe(48);
    expect(time.notes.join('\n')).toMatch(/AWS publishes no delay.*0 s is allowed for it \(an assumption\)/);
  });

  test('the notes say what the numbers rest on and where reality can be worse', () => {
    const notes = worstCaseFailoverTime({ routing: 'failover', intervalSeconds: 10, failureThreshold: 3 }).notes.join('\n');
    expect(notes).toMatch(/18 % or fewer of its checkers/);
    expect(notes).toMatch(/4 s to connect, 2 s for a status/);
    expect(notes).toMatch(/cache longer than the TTL/);
    expect(notes).toMatch(/fails open/);
    expect(notes).toMatch(/the TTL of an alias to a load balancer/);
  });

  test('geolocation notes warn that the default site has no fallback', () => {
    const notes = worstCaseFailoverTime({ routing: 'geolocation', intervalSeconds: 10, failureThreshold: 3 }).notes.join('\n');
    expect(notes).toMatch(/default \('\*'\) record/);
  });

  test('GIVEN Global Accelerator THEN no DNS term: the anycast addresses never change', () => {
    const time = worstCaseFailoverTime({ trafficDirector: 'global-accelerator', routing: 'failover', intervalSeconds: 10, failureThreshold: 3, ttlSeconds: 300 });
    expect(time).toMatchObject({ probingSeconds: 30, probeTimeoutSeconds: 0, aggregationSeconds: 10, detectionSeconds: 40, dnsPropagationSeconds: 0, totalSeconds: 40 });
    const notes = time.notes.join('\n');
    expect(notes).toMatch(/static anycast addresses/);
    expect(notes).toMatch(/load balancer's own health checks/);
    expect(notes).toMatch(/ignores the traffic dial/);
  });

  test.each([
    [{ intervalSeconds: 15 }, /intervalSeconds 15 is not 10 or 30/],
    [{ failureThreshold: 0 }, /failureThreshold 0 is not a whole number from 1 to 10/],
    [{ failureThreshold: 11 }, /failureThreshold 11 is not a whole number from 1 to 10/],
    [{ failureThreshold: 2.5 }, /failureThreshold 2.5/],
    [{ ttlSeconds: -1 }, /ttlSeconds -1 is not a whole number of seconds/],
    [{ aggregationAllowanceSeconds: -5 }, /aggregationAllowanceSeconds -5/],
    [{ trafficDirector: 'global-accelerator' as const, routing: 'geolocation' as const }, /'geolocation' is not available with Global Accelerator; .*use 'latency'/],
  ])('rejects %p with the setting, the value and a fix', (override, message) => {
    expect(() => worstCaseFailoverTime({ routing: 'failover', intervalSeconds: 10, failureThreshold: 3, ...override })).toThrow(message);
  });
});
