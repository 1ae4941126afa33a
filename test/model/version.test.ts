import { KeycloakVersion } from '../../lib/model/version';

describe('KeycloakVersion', () => {
  test('26.4 pairs with Infinispan 15.0 and JGroups 5.3', () => {
    const v = KeycloakVersion.V26_4_0;
    expect([v.infinispan, v.jgroups]).toEqual(['15.0', '5.3']);
    expect(v.infinispanConfigNamespace).toBe('urn:infinispan:config:15.0');
    expect(v.infinispanServerNamespace).toBe('urn:infinispan:server:15.0');
  });

  test('26.6 and later pair with Infinispan 16.0 and JGroups 5.5', () => {
    for (const v of [KeycloakVersion.of('26.6.0'), KeycloakVersion.V26_7_0]) {
      expect([v.infinispan, v.jgroups]).toEqual(['16.0', '5.5']);
    }
    expect(KeycloakVersion.of('26.5.9').infinispan).toBe('15.0');
  });

  test('the default is the newest checked release', () => {
    expect(KeycloakVersion.LATEST.text).toBe('26.7.0');
    expect(KeycloakVersion.LATEST.isChecked).toBe(true);
    expect(KeycloakVersion.of('26.5.1').isChecked).toBe(false);
  });

  test('the image follows the version', () => {
    expect(KeycloakVersion.of('26.4.2').officialImage).toBe('quay.io/keycloak/keycloak:26.4.2');
  });

  test('user-event metrics are supported (no feature flag) from 26.2 on', () => {
    expect(KeycloakVersion.of('26.1.4').hasUserEventMetrics).toBe(false);
    expect(KeycloakVersion.of('26.2.0').hasUserEventMetrics).toBe(true);
  });

  test('cache owner options exist from 26.4 on', () => {
    expect(KeycloakVersion.of('26.3.5').hasCacheOwnerOptions).toBe(false);
    expect(KeycloakVersion.V26_4_0.hasCacheOwnerOptions).toBe(true);
  });

  test.each(['25.0.6', '26.4', 'latest', '26.4.0-rc1', ''])('rejects %p with a message naming the value and the fix', (text) => {
    expect(() => KeycloakVersion.of(text)).toThrow(new RegExp(`\\[version-invalid\\] version: .*26\\.MINOR\\.PATCH \\(got '${text.replace(/\./g, '\\.')}'\\)\\. Fix: use e\\.g\\. KeycloakVersion\\.of`));
  });

  test('compares and equals by release', () => {
    expect(KeycloakVersion.of('26.7.0').equals(KeycloakVersion.V26_7_0)).toBe(true);
    expect(KeycloakVersion.V26_4_0.compare(KeycloakVersion.V26_7_0)).toBeLessThan(0);
    expect(KeycloakVersion.of('26.4.10').compare(KeycloakVersion.of('26.4.9'))).toBeGreaterThan(0);
  });
});
