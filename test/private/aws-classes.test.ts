import * as classes from '../../lib/private/aws-classes';

describe('AWS provider classes of lib/private/aws-classes', () => {
  const names = Object.keys(classes);

  it('loads a class from its deep path only when it is first used', () => {
    const before = Object.getOwnPropertyDescriptor(classes, 'Vpc');
    expect(before?.get).toBeDefined();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the deep path the class must come from
    expect(classes.Vpc).toBe((require('@cdktf/provider-aws/lib/vpc') as typeof import('@cdktf/provider-aws/lib/vpc')).Vpc);
    expect(Object.getOwnPropertyDescriptor(classes, 'Vpc')?.value).toBe(classes.Vpc);
  });

  it.each(names)('%s is the provider class of that name', (name) => {
    const value = (classes as Record<string, unknown>)[name] as { name?: string; tfResourceType?: unknown } | undefined;
    expect(typeof value).toBe('function');
    expect(value?.name).toBe(name);
    expect(typeof value?.tfResourceType).toBe('string');
  });
});
