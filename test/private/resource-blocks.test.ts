import { App, TerraformElement, TerraformStack, Testing, Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { KeycloakOnAws } from '../../lib';
import { resolveInStack, resolveSparingly, resourceBlocksBelow, ResourceBlocks } from '../../lib/private/cdktf';
import { multiRegionStacks } from '../../examples/aws-multi-region/stack';
import { kubernetesTwoSitesStacks } from '../../examples/kubernetes-two-sites/stack';
import { awsProps } from '../helpers';

/** What the check pack used to read: the stack's whole synthesized configuration, filtered to `root`'s resources. */
function fromWholeStack(stack: TerraformStack, root: KeycloakOnAws): ResourceBlocks {
  const prefix = `${root.node.path}/`;
  const all = (stack.toTerraform() as { resource: ResourceBlocks }).resource;
  return Object.fromEntries(Object.entries(all)
    .map(([type, byName]) => [type, Object.fromEntries(Object.entries(byName).filter(([, body]) =>
      String((body['//'] as { metadata: { path: string } }).metadata.path).startsWith(prefix)))] as const)
    .filter(([, byName]) => Object.keys(byName).length > 0));
}

/** Two deployments in one stack, after a resource of the stack's own (so types start in another order than a deployment's). */
function twoDeployments(): { stack: TerraformStack; second: KeycloakOnAws } {
  const stack = new TerraformStack(Testing.app(), 'stack');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new SnsTopic(stack, 'Topic', { name: 'operations' });
  new KeycloakOnAws(stack, 'First', awsProps({ name: 'first', sites: { 'eu-west': { region: 'eu-west-1', cidr: '10.1.0.0/16' } } }));
  const second = new KeycloakOnAws(stack, 'Second', awsProps({ name: 'second', sites: { 'eu-west': { region: 'eu-west-1', cidr: '10.2.0.0/16' } } }));
  return { stack, second };
}

describe('resourceBlocksBelow', () => {
  test('gives the resource blocks of one deployment as the stack synthesizes them, in the same order', () => {
    const { stack, second } = twoDeployments();
    const blocks = resourceBlocksBelow(second);
    expect(Object.keys(blocks).length).toBeGreaterThan(20);
    // Serialized, so that the order of types and blocks counts too (findings are reported in that order).
    expect(JSON.stringify(blocks)).toBe(JSON.stringify(fromWholeStack(stack, second)));
  });

  test('sees a stack-level override of a resource block', () => {
    const { stack, second } = twoDeployments();
    const [name] = Object.keys(resourceBlocksBelow(second).aws_lb_listener);
    stack.addOverride(`resource.aws_lb_listener.${name}.ssl_policy`, 'ELBSecurityPolicy-2016-08');
    const blocks = resourceBlocksBelow(second);
    expect(blocks.aws_lb_listener[name].ssl_policy).toBe('ELBSecurityPolicy-2016-08');
    expect(JSON.stringify(blocks)).toBe(JSON.stringify(fromWholeStack(stack, second)));
  });
});

describe('resolveSparingly', () => {
  test.each([
    ['aws-multi-region', (app: App) => { const { global, sites } = multiRegionStacks(app); return [global, ...Object.values(sites)]; }],
    ['kubernetes-two-sites', (app: App) => { const { global, sites } = kubernetesTwoSitesStacks(app); return [global, ...Object.values(sites)]; }],
  ])('resolves every element of %s as cdktf does', (_, build) => {
    const app = Testing.app();
    const stacks = build(app);
    stacks.forEach((stack) => stack.prepareStack());
    const elements = stacks.flatMap((stack) => stack.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c)));
    expect(elements.length).toBeGreaterThan(75);
    for (const element of elements) {
      const stack = TerraformStack.of(element);
      expect(JSON.stringify(resolveSparingly(stack, element.toTerraform()))).toBe(JSON.stringify(resolveInStack(stack, element.toTerraform())));
    }
  });

  test('leaves a token to cdktf wherever it sits, and drops undefined as cdktf does', () => {
    const stack = new TerraformStack(Testing.app(), 'stack');
    const value = {
      plain: { text: 'a ${literal} 1e5', list: [1, undefined, 'x'], gone: undefined },
      string: `id-${Token.asString({ resolve: () => 'resolved' })}`,
      number: Token.asNumber({ resolve: () => 42 }),
      list: Token.asList({ resolve: () => ['a', 'b'] }),
      nested: [{ deep: Token.asString({ resolve: () => ({ inner: 'object' }) }) }],
    };
    expect(resolveSparingly(stack, value)).toEqual(resolveInStack(stack, value));
    expect(resolveSparingly(stack, value)).toEqual({
      plain: { text: 'a ${literal} 1e5', list: [1, 'x'] },
      string: 'id-resolved',
      number: 42,
      list: ['a', 'b'],
      nested: [{ deep: { inner: 'object' } }],
    });
  });
});
