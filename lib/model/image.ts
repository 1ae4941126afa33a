import { KeycloakVersion } from './version';

/**
 * The AWS Advanced JDBC Wrapper release the example image bundles (`examples/aws-multi-az/Dockerfile`,
 * `AWS_JDBC_WRAPPER_VERSION`) and the rehearsal runs: the one Keycloak's Aurora guide names for 26.4.
 */
export const AWS_JDBC_WRAPPER_VERSION = '2.5.6';

/** Options of an image that was built for this library (see the Dockerfile the package ships: examples/aws-multi-az/Dockerfile). */
export interface KeycloakImageOptions {
  /**
   * The image carries the AWS Advanced JDBC Wrapper in `/opt/keycloak/providers/`, so Keycloak
   * connects through it and follows an Aurora failover within seconds.
   * @default false
   */
  readonly bundlesAwsJdbcWrapper?: boolean;
  /**
   * Path, inside the image, of the Amazon RDS CA bundle (`global-bundle.pem`). With it Keycloak
   * verifies the database server's certificate and host name (`sslmode=verify-full`) instead of
   * only encrypting (`sslmode=require`).
   * @default - none: the connection is encrypted but the server is not verified
   */
  readonly rdsCaBundlePath?: string;
}

/**
 * Which container image runs Keycloak, and what the library may assume about it.
 *
 * The upstream image lacks the AWS Advanced JDBC Wrapper (keycloak issue 24493: without it, pooled
 * connections stay on a demoted Aurora writer). With the upstream image the library therefore
 * connects with the PostgreSQL driver's multi-host URL and `targetServerType=primary`, and warns.
 */
export class KeycloakImage {
  /** The upstream image `quay.io/keycloak/keycloak:<version>` of the topology's version. */
  static official(): KeycloakImage {
    return new KeycloakImage(undefined, false, undefined);
  }

  /** An image from a registry, e.g. one built from the Dockerfile in `examples/aws-multi-az/`. */
  static fromRegistry(uri: string, options: KeycloakImageOptions = {}): KeycloakImage {
    return new KeycloakImage(uri, options.bundlesAwsJdbcWrapper ?? false, options.rdsCaBundlePath);
  }

  private constructor(
    private readonly explicitUri: string | undefined,
    readonly bundlesAwsJdbcWrapper: boolean,
    readonly rdsCaBundlePath: string | undefined,
  ) {}

  /** The image reference to run for `version`. */
  uri(version: KeycloakVersion): string {
    return this.explicitUri ?? version.officialImage;
  }

  /** True when the user named the image (the upstream default is derived from the version). */
  get isCustom(): boolean {
    return this.explicitUri !== undefined;
  }
}
