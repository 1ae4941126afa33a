import { identitiesBatch, infinispanGroupOf, INFINISPAN_IDENTITIES } from '../../lib/render/infinispan-identities';

describe('Infinispan identities', () => {
  test('Keycloak\'s Hot Rod user is not an administrator: deployer (caches, schema upload), the operator alone is admin', () => {
    expect(infinispanGroupOf('keycloak')).toBe('deployer');
    expect(infinispanGroupOf('operator')).toBe('admin');
    expect(INFINISPAN_IDENTITIES.filter((i) => i.group === 'admin').map((i) => i.user)).toEqual(['operator']);
  });

  test('the CLI batch creates each user in its group, one line each', () => {
    expect(identitiesBatch({ keycloak: { username: 'kc', password: 'abc123' }, operator: { username: 'op', password: 'def456' } })).toBe(
      'user create kc -p abc123 -g deployer\nuser create op -p def456 -g admin\n');
  });
});
