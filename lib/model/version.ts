import { TopologyError } from './diagnostic';

/**
 * A Keycloak release and everything that follows from it: the Infinispan and JGroups lines it
 * embeds (and that an external Infinispan must match), the schema namespaces, and the image.
 * Use sites ask this object instead of parsing version strings.
 *
 * Pairings: Keycloak 26.0–26.5 embed Infinispan 15.0 / JGroups 5.3; 26.6 and later embed
 * Infinispan 16.0 / JGroups 5.5 (26.7.0 ships Infinispan 16.0.12).
 * Source: Keycloak release notes and the `infinispan.version` property of keycloak/pom.xml per tag.
 */
export class KeycloakVersion {
  /** Keycloak 26.4.0 (Infinispan 15.0, JGroups 5.3). */
  static readonly V26_4_0 = new KeycloakVersion(26, 4, 0);
  /** Keycloak 26.7.0 (Infinispan 16.0, JGroups 5.5). */
  static readonly V26_7_0 = new KeycloakVersion(26, 7, 0);
  /** The newest release this library has been checked against. */
  static readonly LATEST = KeycloakVersion.V26_7_0;

  /** Minor lines whose options, defaults and pairings this library was checked against. */
  private static readonly CHECKED_MINORS: readonly number[] = [4, 7];

  /**
   * Any Keycloak 26.x release, e.g. `KeycloakVersion.of('26.4.2')`.
   * @throws a `TopologyError` (code `version-invalid`) when the text is not `26.MINOR.PATCH`: older
   *   majors lack the options this library emits (management port 9000, `jdbc-ping`, hostname v2, `--proxy-headers`).
   */
  static of(version: string): KeycloakVersion {
    const match = typeof version === 'string' ? /^(\d+)\.(\d+)\.(\d+)$/.exec(version) : null;
    if (!match || Number(match[1]) !== 26) {
      throw new TopologyError([{
        code: 'version-invalid', severity: 'error', path: 'version', value: version,
        message: 'KeycloakVersion.of takes a Keycloak 26 release written as 26.MINOR.PATCH',
        fix: `use e.g. KeycloakVersion.of('${KeycloakVersion.LATEST.text}') or KeycloakVersion.LATEST`,
      }]);
    }
    return new KeycloakVersion(Number(match[1]), Number(match[2]), Number(match[3]));
  }

  private constructor(
    readonly major: number,
    readonly minor: number,
    readonly patch: number,
  ) {}

  /** `MAJOR.MINOR.PATCH`. */
  get text(): string {
    return `${this.major}.${this.minor}.${this.patch}`;
  }

  /** Whether this minor line is one the library was checked against (others get a warning). */
  get isChecked(): boolean {
    return KeycloakVersion.CHECKED_MINORS.includes(this.minor);
  }

  /** Owner counts of distributed caches can be set (`--spi-cache-embedded--default--*-owners`, 26.4+). */
  get hasCacheOwnerOptions(): boolean {
    return this.minor >= 4;
  }

  /**
   * User-event metrics (`event-metrics-user-enabled`, counter `keycloak_user_events_total`) work
   * without a feature flag: the `user-event-metrics` feature was a preview in 26.1 and is supported,
   * on by default, since 26.2 (keycloak PR 37391). 26.0 has no such option.
   */
  get hasUserEventMetrics(): boolean {
    return this.minor >= 2;
  }

  /**
   * `KCRAW_<OPTION>` environment variables pass their value literally, where a `KC_` value goes
   * through expression evaluation (`$$` becomes `$`, `${...}` is resolved or fails), which breaks
   * generated passwords (keycloak issue 46657, PR 47197, merged 2026-03-17). The PR predates 26.6.0
   * but the library confirmed it only in 26.7, so earlier lines keep `KC_`.
   */
  get hasRawEnvironmentVariables(): boolean {
    return this.minor >= 7;
  }

  /** Infinispan `MAJOR.MINOR` embedded in this Keycloak; an external Infinispan must match it. */
  get infinispan(): '15.0' | '16.0' {
    return this.minor >= 6 ? '16.0' : '15.0';
  }

  /** JGroups `MAJOR.MINOR` of the embedded Infinispan. */
  get jgroups(): '5.3' | '5.5' {
    return this.minor >= 6 ? '5.5' : '5.3';
  }

  /** XML namespace of Infinispan cache configuration. */
  get infinispanConfigNamespace(): string {
    return `urn:infinispan:config:${this.infinispan}`;
  }

  /** XML namespace of the Infinispan server configuration. */
  get infinispanServerNamespace(): string {
    return `urn:infinispan:server:${this.infinispan}`;
  }

  /** The upstream container image of this release. */
  get officialImage(): string {
    return `quay.io/keycloak/keycloak:${this.text}`;
  }

  /** True when both are the same release. */
  equals(other: KeycloakVersion): boolean {
    return this.text === other.text;
  }

  /** Negative, zero or positive as this release is older than, equal to or newer than `other`. */
  compare(other: KeycloakVersion): number {
    return this.major - other.major || this.minor - other.minor || this.patch - other.patch;
  }
}
