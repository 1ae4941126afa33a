import { DrillResult } from './drills';
import { Substitution } from './plan';

export interface RehearsalReport {
  readonly deployment: string;
  readonly components: readonly string[];
  readonly scale: readonly string[];
  readonly drills: readonly DrillResult[];
  readonly substitutions: readonly Substitution[];
  readonly totalSeconds: number;
}

// A Terraform token of the construct tree (e.g. the Aurora endpoint) reads as what it is.
const cell = (text: string) => text.replace(/\$\{TfToken\[[^\]]+\]\}/g, '<Terraform reference>').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** REHEARSAL.md: per drill what the failure table computed, what was measured, the verdict; then the substitutions. */
export function renderRehearsalReport(report: RehearsalReport): string {
  const passed = report.drills.filter((d) => d.passed).length;
  const seen = new Set<string>();
  const substitutions = report.substitutions.filter((s) => (seen.has(s.what) ? false : (seen.add(s.what), true)));
  return [
    `# Rehearsal of ${report.deployment}`,
    '',
    `${passed} of ${report.drills.length} drills passed in ${report.totalSeconds.toFixed(0)} s, with the real server software on one machine.`,
    '',
    '## Components',
    '',
    ...report.components.map((c) => `- ${c}`),
    '',
    '## Scaled to this machine',
    '',
    ...report.scale.map((s) => `- ${s}`),
    '',
    '## Drills',
    '',
    '| Drill | Failure table (computed) | Measured | Result |',
    '| --- | --- | --- | --- |',
    ...report.drills.map((d) => `| ${cell(d.title)} | ${cell(d.computed)} | ${cell(d.measured)} | ${d.passed ? 'pass' : '**FAIL**'} (${d.seconds.toFixed(0)} s) |`),
    '',
    ...report.drills.flatMap((d) => [`### ${d.title}`, '', ...d.checks.map((c) => `- [${c.ok ? 'x' : ' '}] ${c.what}`), '']),
    '## Substitutions',
    '',
    'Only what cannot exist on one machine was replaced; everything else is the configuration the stack deploys.',
    '',
    '| What | Deployed | Rehearsed | Why |',
    '| --- | --- | --- | --- |',
    ...substitutions.map((s) => `| ${cell(s.what)} | ${cell(s.deployed)} | ${cell(s.rehearsed)} | ${cell(s.why)} |`),
    '',
    '## What a rehearsal does not prove',
    '',
    '- AWS-managed behaviour: Aurora failover timing, ECS task placement and replacement times, ALB node failure, Route 53 health-check',
    '  propagation and client DNS caching. The database drill restarts one PostgreSQL server; ECS replacement is a process start.',
    '- Capacity: nodes run with small heaps on a 2-core machine; latency figures are not production figures.',
    '',
  ].join('\n');
}
