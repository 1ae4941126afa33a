/** An alarm as an operator reads it: what it watches, when it fires, why, and what to do. */
export interface AlarmSummary {
  /** Alarm name, e.g. `keycloak-eu-west-running-tasks`. */
  readonly name: string;
  /** Namespace, metric (or formula), statistic and dimensions in words. */
  readonly metric: string;
  readonly comparison: 'above' | 'below';
  readonly threshold: number;
  readonly unit: string;
  /** How long the condition must hold, e.g. `5 of 5 periods of 60 s`. */
  readonly window: string;
  readonly why: string;
  readonly action: string;
}
