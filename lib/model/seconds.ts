/** A duration range in seconds. */
export interface SecondsRange {
  readonly min: number;
  readonly max: number;
}

/** `12.5` → `'12.5'`, `60` → `'60'`: at most one decimal, no trailing zero. */
export function formatSeconds(value: number): string {
  return String(Number(value.toFixed(1)));
}

/** `{ min: 30, max: 60 }` → `'30–60 s'`; a single value when both ends are equal. */
export function formatSecondsRange(range: SecondsRange): string {
  return range.min === range.max ? `${formatSeconds(range.min)} s` : `${formatSeconds(range.min)}–${formatSeconds(range.max)} s`;
}
