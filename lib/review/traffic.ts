import { FailoverTime } from '../model/failover-time';
import { formatSeconds } from '../model/seconds';

/** TOPOLOGY.md's "Traffic failover" section: the director, the routing and its worst case, with the reasoning. */
export function renderTrafficFailover(t: FailoverTime): string {
  return [
    '## Traffic failover',
    '',
    `Director: ${t.trafficDirector}, routing: ${t.routing}. Worst case from a site failing to clients reaching another: ` +
      `**${formatSeconds(t.totalSeconds)} s** (detection ${formatSeconds(t.detectionSeconds)} s + DNS ${formatSeconds(t.dnsPropagationSeconds)} s).`,
    '',
    ...t.notes.map((note) => `- ${note}`),
  ].join('\n');
}
