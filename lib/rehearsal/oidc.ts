import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';

/** Where a URL's host really is: the rehearsal's stand-in for public DNS. */
export interface Route { readonly address: string; readonly port: number }

export interface HttpResponse { readonly status: number; readonly headers: Record<string, string | string[] | undefined>; readonly body: string }

/** A browser's cookies, by name (one host, so domain and path matching is not needed). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(setCookie: string | string[] | undefined): void {
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name); else this.cookies.set(name, value);
    }
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/**
 * An HTTP client that resolves the public hostname to a chosen load balancer (as DNS would) and
 * trusts the rehearsal's CA; TLS uses the public name for SNI and certificate checks.
 */
export class Http {
  constructor(private readonly ca: string, private readonly timeoutMs = 10_000) {}

  send(url: string, options: { route: Route; method?: string; headers?: Record<string, string>; body?: string; jar?: CookieJar }): Promise<HttpResponse> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const headers: Record<string, string> = { host: target.host, ...options.headers };
    if (options.jar) {
      const cookie = options.jar.header();
      if (cookie) headers.cookie = cookie;
    }
    if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
    return new Promise((resolve, reject) => {
      const req = (secure ? httpsRequest : httpRequest)({
        host: options.route.address, port: options.route.port, path: `${target.pathname}${target.search}`, method: options.method ?? 'GET', headers,
        ...(secure ? { ca: this.ca, ...(isIP(target.hostname) ? {} : { servername: target.hostname }) } : {}),
        agent: false, timeout: this.timeoutMs,
      }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { body += d; });
        res.on('end', () => {
          options.jar?.take(res.headers['set-cookie']);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`timeout after ${this.timeoutMs} ms`)));
      req.on('error', reject);
      req.end(options.body);
    });
  }
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** What the rehearsal sets up in Keycloak through the admin API (generated names and secrets). */
export interface TestRealm {
  readonly realm: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  readonly users: readonly { readonly username: string; readonly password: string }[];
}

/** Realm, confidential client and users, created through the admin API of one node. */
export async function createTestRealm(http: Http, node: { base: string; route: Route }, admin: { username: string; password: string }, realm: TestRealm): Promise<void> {
  const token = await http.send(`${node.base}/realms/master/protocol/openid-connect/token`, {
    route: node.route, method: 'POST', headers: FORM,
    body: form({ grant_type: 'password', client_id: 'admin-cli', username: admin.username, password: admin.password }),
  });
  if (token.status !== 200) throw new Error(`admin token: HTTP ${token.status} ${token.body.slice(0, 200)}`);
  const bearer = { authorization: `Bearer ${(JSON.parse(token.body) as { access_token: string }).access_token}`, 'content-type': 'application/json' };
  const post = async (path: string, body: unknown) => {
    const res = await http.send(`${node.base}/admin/realms${path}`, { route: node.route, method: 'POST', headers: bearer, body: JSON.stringify(body) });
    if (res.status !== 201 && res.status !== 409) throw new Error(`admin POST ${path || '/'}: HTTP ${res.status} ${res.body.slice(0, 200)}`);
  };
  // Brute-force protection stays off (Keycloak's default): the drills' back-to-back logins that fail
  // during an outage would otherwise lock the test users out and fail every login after it.
  await post('', { realm: realm.realm, enabled: true, bruteForceProtected: false });
  await post(`/${realm.realm}/clients`, {
    clientId: realm.clientId, enabled: true, publicClient: false, secret: realm.clientSecret, standardFlowEnabled: true,
    directAccessGrantsEnabled: false, redirectUris: [realm.redirectUri], protocol: 'openid-connect',
  });
  for (const user of realm.users) {
    await post(`/${realm.realm}/users`, {
      username: user.username, enabled: true, emailVerified: true, email: `${user.username}@rehearsal.invalid`, firstName: user.username, lastName: 'Rehearsal',
      credentials: [{ type: 'password', value: user.password, temporary: false }],
    });
  }
}

/** An authorization-code login in progress: the browser has the login form. */
export interface PendingLogin { readonly jar: CookieJar; readonly action: string; readonly username: string; readonly password: string }

export interface Tokens { readonly accessToken: string; readonly refreshToken: string; readonly issuer: string }

/** A browser's view of Keycloak through one site's load balancer. */
export class Browser {
  constructor(private readonly http: Http, private readonly hostname: string, private readonly realm: TestRealm, readonly route: Route) {}

  private url(path: string): string {
    return `${this.hostname}/realms/${this.realm.realm}/protocol/openid-connect${path}`;
  }

  /** Opens the login page (the authentication session is created on the node the request lands on). */
  async begin(user: { username: string; password: string }): Promise<PendingLogin> {
    const jar = new CookieJar();
    const query = form({ client_id: this.realm.clientId, redirect_uri: this.realm.redirectUri, response_type: 'code', scope: 'openid', state: 'rehearsal' });
    const page = await this.http.send(this.url(`/auth?${query}`), { route: this.route, jar });
    if (page.status !== 200) throw new Error(`login page: HTTP ${page.status}`);
    const action = /<form[^>]*id="kc-form-login"[^>]*action="([^"]+)"/.exec(page.body)?.[1] ?? /action="([^"]*login-actions\/authenticate[^"]*)"/.exec(page.body)?.[1];
    if (!action) throw new Error('login page: no login form');
    return { jar, action: action.replace(/&amp;/g, '&'), ...user };
  }

  /** Submits the credentials and redeems the code at the token endpoint. */
  async complete(pending: PendingLogin): Promise<Tokens> {
    const submit = await this.http.send(pending.action, {
      route: this.route, method: 'POST', headers: FORM, jar: pending.jar,
      body: form({ username: pending.username, password: pending.password, credentialId: '' }),
    });
    const location = String(submit.headers.location ?? '');
    const code = location.startsWith(this.realm.redirectUri) ? new URL(location).searchParams.get('code') : null;
    if (submit.status !== 302 || !code) throw new Error(`credentials: HTTP ${submit.status}${location ? ` → ${location.slice(0, 120)}` : ''}`);
    return this.tokens({ grant_type: 'authorization_code', code, redirect_uri: this.realm.redirectUri });
  }

  async login(user: { username: string; password: string }): Promise<Tokens> {
    return this.complete(await this.begin(user));
  }

  /** What `/lb-check` (Keycloak's multi-site health, on the main port) answers through this load balancer; 0 when nothing answers. */
  async lbCheck(): Promise<number> {
    const res = await this.http.send(`${this.hostname}/lb-check`, { route: this.route }).catch(() => undefined);
    return res?.status ?? 0;
  }

  /** A refresh-token grant: works only while the user session exists. */
  refresh(tokens: Tokens): Promise<Tokens> {
    return this.tokens({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken });
  }

  private async tokens(grant: Record<string, string>): Promise<Tokens> {
    const res = await this.http.send(this.url('/token'), {
      route: this.route, method: 'POST', headers: FORM,
      body: form({ ...grant, client_id: this.realm.clientId, client_secret: this.realm.clientSecret }),
    });
    if (res.status !== 200) throw new Error(`token endpoint: HTTP ${res.status} ${res.body.slice(0, 160)}`);
    const body = JSON.parse(res.body) as { access_token: string; refresh_token: string };
    const payload = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString('utf8')) as { iss: string };
    return { accessToken: body.access_token, refreshToken: body.refresh_token, issuer: payload.iss };
  }
}
