import { AlarmSummary } from '../model/alarm';

/** The "Alarms" section of TOPOLOGY.md: every alarm per site, its threshold and what to do. */
export function renderAlarmSection(alarmsBySite: Readonly<Record<string, readonly AlarmSummary[]>>): string {
  const out = ['## Alarms', '',
    'Each fires to the site\'s alarm topic on entering and on leaving ALARM. Thresholds tied to capacity follow the topology.', ''];
  for (const [site, alarms] of Object.entries(alarmsBySite)) {
    out.push(`### Site ${site}`, '', '| Alarm | Metric | Fires when | For | Why | What to do |', '| --- | --- | --- | --- | --- | --- |');
    for (const a of alarms) {
      out.push(`| \`${a.name}\` | ${cell(a.metric)} | ${a.comparison} ${a.threshold}${a.unit ? ` ${a.unit}` : ''} | ${cell(a.window)} | ${cell(a.why)} | ${cell(a.action)} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
