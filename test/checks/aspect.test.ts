import { IConstruct } from 'constructs';
import { App, Aspects, IAspect, TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { KeycloakOnAws, runChecks, suppressCheck } from '../../lib';
import { MultiAzStack } from '../../examples/aws-multi-az/stack';
import { awsProps } from '../helpers';

/** A stack with one deployment whose HTTPS listener a user weakened after the fact. */
function weakened(suppress?: (keycloak: KeycloakOnAws) => void): { app: App; keycloak: KeycloakOnAws } {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'stack');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const keycloak = new KeycloakOnAws(stack, 'Keycloak', awsProps());
  (keycloak.sites['eu-west'].loadBalancer.httpsListener as LbListener).sslPolicy = 'ELBSecurityPolicy-2016-08';
  suppress?.(keycloak);
  return { app, keycloak };
}

describe('KeycloakChecks aspect', () => {
  test('the example passes the check pack with zero findings', () => {
    const stack = new MultiAzStack(Testing.app(), 'keycloak-multi-az');
    const resources = JSON.parse(Testing.synth(stack)).resource as Record<string, Record<string, Record<string, unknown>>>;
    expect(stack.keycloak.checks?.findings).toEqual([]);
    // The rules themselves, over every synthesized resource: empty findings above could also mean the aspect never ran.
    const all = Object.entries(resources).flatMap(([type, byName]) => Object.entries(byName).map(([name, body]) => ({ type, name, path: name, body })));
    expect(all.length).toBeGreaterThan(90);
    expect(runChecks(all)).toEqual([]);
  });

  test('GIVEN a weakened TLS policy THEN synthesis fails with the rule, the resource and the fix', () => {
    const { app, keycloak } = weakened();
    expect(() => app.synth()).toThrow(/\[listener-tls\] aws_lb_listener\.Keycloak_eu-west_LoadBalancer_Https_[0-9A-F]+: ssl_policy is 'ELBSecurityPolicy-2016-08'.*Fix: use an 'ELBSecurityPolicy-TLS13-\*' policy/s);
    expect(keycloak.checks?.findings.map((f) => f.ruleId)).toEqual(['listener-tls']);
  });

  test('the pack checks what the user\'s own aspects leave: a stack-wide aspect that weakens TLS is caught, one that fixes it clears the finding', () => {
    // cdktf visits aspects top-down and the pack's aspect sits on the construct, so checking when it
    // reaches the construct saw the listeners before the stack's aspects visited them.
    const setPolicy = (policy: string): IAspect => ({
      visit(node: IConstruct) {
        if (node instanceof LbListener && node.node.id === 'Https') node.sslPolicy = policy;
      },
    });
    const weakening = Testing.app();
    const weak = new TerraformStack(weakening, 'stack');
    new AwsProvider(weak, 'aws', { region: 'eu-west-1' });
    const caught = new KeycloakOnAws(weak, 'Keycloak', awsProps());
    Aspects.of(weak).add(setPolicy('ELBSecurityPolicy-2016-08'));
    expect(() => weakening.synth()).toThrow(/\[listener-tls\]/);
    expect(caught.checks?.findings.map((f) => f.ruleId)).toEqual(['listener-tls']);

    const { app, keycloak } = weakened();
    Aspects.of(keycloak.node.scope as IConstruct).add(setPolicy('ELBSecurityPolicy-TLS13-1-2-2021-06'));
    expect(() => app.synth()).not.toThrow();
    expect(keycloak.checks?.findings).toEqual([]);
  });

  test('a suppression with a reason silences exactly that rule on that construct', () => {
    const { app, keycloak } = weakened((k) =>
      suppressCheck(k.sites['eu-west'].loadBalancer, 'listener-tls', 'legacy clients need TLS 1.0 until the 2027 migration'));
    expect(() => app.synth()).not.toThrow();
    expect(keycloak.checks?.findings).toEqual([]);
  });

  test('a suppression needs a known rule and a real reason', () => {
    const { keycloak } = weakened();
    expect(() => suppressCheck(keycloak, 'listener-tls', 'because')).toThrow(/reason 'because' for 'listener-tls' is too short/);
    expect(() => suppressCheck(keycloak, 'tls', 'legacy clients need it')).toThrow(/ruleId 'tls' is not a rule; use one of stateful-deletion-protection/);
  });

  test('checks can be turned off', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    expect(new KeycloakOnAws(stack, 'Keycloak', awsProps({ checks: false })).checks).toBeUndefined();
  });
});
