import { TerraformStack, Testing } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { KeycloakOnAws } from '../../lib';
import { resourceBlocksBelow, ResourceBlocks } from '../../lib/private/cdktf';
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
