import { CheckRule, ofType, valueAt } from '../rule';

/** A login stays on the node that holds its authentication session. */
export const stickiness: CheckRule = {
  id: 'stickiness-auth-session',
  severity: 'warning',
  explanation: 'without stickiness on AUTH_SESSION_ID every login step may land on another node and fetch the session remotely',
  fix: "enable stickiness of type 'app_cookie' with cookie_name 'AUTH_SESSION_ID'",
  evaluate(resources) {
    return ofType(resources, 'aws_lb_target_group')
      .filter((tg) => !(valueAt(tg.body, 'stickiness.enabled') !== false &&
        valueAt(tg.body, 'stickiness.type') === 'app_cookie' && valueAt(tg.body, 'stickiness.cookie_name') === 'AUTH_SESSION_ID'))
      .map((resource) => ({ resource, detail: `stickiness is ${JSON.stringify(valueAt(resource.body, 'stickiness') ?? 'off')}` }));
  },
};
