import { pinsFor } from '../../lib/rehearsal/artifacts';

describe('pinsFor: dependencies pinned to the versions a server manifest lists', () => {
  // `mvn dependency:list` output as Maven writes it.
  const listing = [
    'The following files have been resolved:',
    '   org.wildfly.common:wildfly-common:jar:1.6.0.Final:compile -- module org.wildfly.common',
    '   org.jgroups:jgroups:jar:5.5.1.Final:compile',
    '   io.netty:netty-transport-native-epoll:jar:linux-x86_64:4.1.128.Final:compile',
    '   io.opentelemetry:opentelemetry-api-incubator:jar:1.38.0-alpha:compile',
    '   org.example:not-in-manifest:jar:1.0:compile',
  ].join('\n');

  test('GIVEN Maven resolved other versions than the manifest names THEN exactly those artifacts are pinned to the listed versions', () => {
    const manifest = ['wildfly-common-1.7.0.Final.jar', 'jgroups-5.5.1.Final.jar', 'netty-transport-native-epoll-4.1.130.Final-linux-x86_64.jar',
      'opentelemetry-api-incubator-1.39.0-alpha.jar'];
    expect(pinsFor(listing, manifest).map((p) => `${p.group}:${p.artifact}:${p.version}`).sort()).toEqual([
      'io.netty:netty-transport-native-epoll:4.1.130.Final',
      'io.opentelemetry:opentelemetry-api-incubator:1.39.0-alpha',
      'org.wildfly.common:wildfly-common:1.7.0.Final',
    ]);
  });

  test('GIVEN a manifest without Class-Path THEN nothing is pinned', () => {
    expect(pinsFor(listing, [])).toEqual([]);
  });
});
