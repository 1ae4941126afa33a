/** The public address Keycloak issues tokens for, split into its parts. */
export interface ParsedHostname {
  /** DNS name, e.g. `auth.example.com`. */
  readonly host: string;
  /** `https://host`: the value given to Keycloak's `hostname` option. */
  readonly url: string;
}

/** Why a hostname was rejected, with a fix a user can apply. */
export interface HostnameProblem {
  readonly code: 'hostname-scheme' | 'hostname-invalid' | 'hostname-port' | 'hostname-path';
  readonly message: string;
  readonly fix: string;
}

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Accepts `auth.example.com` or `https://auth.example.com`. Every site gets this one value:
 * the `iss` claim derives from it, and refresh tokens are checked against it.
 */
export function parseHostname(text: string): ParsedHostname | HostnameProblem {
  const fix = "give a bare host name such as 'auth.example.com' or an https URL such as 'https://auth.example.com'";
  if (typeof text !== 'string' || text.trim() === '') {
    return { code: 'hostname-invalid', message: 'the hostname is empty', fix };
  }
  if (/^[a-z]+\/\//i.test(text)) {
    return { code: 'hostname-scheme', message: "the scheme is missing its ':'", fix };
  }
  let rest = text;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(\/*)/.exec(text);
  if (scheme && !/^[a-z0-9.-]+:\d+/i.test(text)) {
    if (scheme[1] !== 'https' || scheme[2] !== '//') {
      return {
        code: 'hostname-scheme',
        message: `the scheme '${scheme[0]}' is not 'https://'; the load balancer serves Keycloak over HTTPS only`,
        fix,
      };
    }
    rest = text.slice(scheme[0].length);
  }
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash).replace(/\/+$/, '');
  if (/:\d*$/.test(authority)) {
    return {
      code: 'hostname-port',
      message: 'the hostname names a port, but the load balancer listens on 443 only',
      fix: 'drop the port from the hostname',
    };
  }
  const labels = authority.split('.');
  if (authority.length > 253 || labels.length < 2 || !labels.every((label) => LABEL.test(label))) {
    return {
      code: 'hostname-invalid',
      message: `'${authority}' is not a lower-case DNS name with at least two labels`,
      fix,
    };
  }
  if (path !== '') {
    // Keycloak would then expect the proxy to map the path (or http-relative-path); the load
    // balancer forwards paths unchanged, so every request would miss.
    return {
      code: 'hostname-path',
      message: `the hostname carries the path '${path}', but Keycloak is served at the root of its hostname`,
      fix: `drop '${path}' and give Keycloak a hostname of its own, e.g. 'auth.${authority.split('.').slice(-2).join('.')}'`,
    };
  }
  return { host: authority, url: `https://${authority}` };
}

/**
 * The hostname of a topology `validate()` accepted, parsed. A problem here means the caller skipped
 * validation: it throws rather than return a problem nobody would read.
 */
export function validatedHostname(text: string): ParsedHostname {
  const parsed = parseHostname(text);
  if (isHostnameProblem(parsed)) throw new Error(`hostname '${text}': ${parsed.message}; validate() the topology first`);
  return parsed;
}

/** Type guard separating a parse result from a problem. */
export function isHostnameProblem(value: ParsedHostname | HostnameProblem): value is HostnameProblem {
  return 'code' in value;
}
