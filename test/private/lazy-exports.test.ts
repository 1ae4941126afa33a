import * as awsClasses from '../../lib/private/aws-classes';
import * as kubernetesClasses from '../../lib/private/kubernetes-classes';
import * as rehearsalParts from '../../lib/private/rehearsal-parts';

describe.each([
  ['aws-classes', awsClasses, '@cdktf/provider-aws/lib/vpc', 'Vpc'],
  ['kubernetes-classes', kubernetesClasses, '@cdktf/provider-kubernetes/lib/stateful-set-v1', 'StatefulSetV1'],
])('provider classes of lib/private/%s', (_, classes, deepPath, sample) => {
  it('loads a class from its deep path only when it is first used', () => {
    expect(Object.getOwnPropertyDescriptor(classes, sample)?.get).toBeDefined();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the deep path the class must come from
    const expected = (require(deepPath) as Record<string, unknown>)[sample];
    expect((classes as Record<string, unknown>)[sample]).toBe(expected);
    expect(Object.getOwnPropertyDescriptor(classes, sample)?.value).toBe(expected);
  });

  it.each(Object.keys(classes))('%s is the provider class of that name', (name) => {
    const value = (classes as Record<string, unknown>)[name] as { name?: string; tfResourceType?: unknown } | undefined;
    expect(typeof value).toBe('function');
    expect(value?.name).toBe(name);
    expect(typeof value?.tfResourceType).toBe('string');
  });
});

describe('rehearsal parts of lib/private/rehearsal-parts', () => {
  it('loads a module only when the rehearsal first uses it', () => {
    expect(Object.getOwnPropertyDescriptor(rehearsalParts, 'rehearseSites')?.get).toBeDefined();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module the function must come from
    expect(rehearsalParts.rehearseSites).toBe((require('../../lib/rehearsal/multi-site') as typeof import('../../lib/rehearsal/multi-site')).rehearseSites);
  });

  it.each(Object.keys(rehearsalParts))('%s is the function or class of that name', (name) => {
    const value = (rehearsalParts as Record<string, unknown>)[name] as { name?: string } | undefined;
    expect(typeof value).toBe('function');
    expect(value?.name).toBe(name);
  });
});
