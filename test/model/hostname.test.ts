import { isHostnameProblem, parseHostname } from '../../lib';

describe('parseHostname', () => {
  test.each([
    ['auth.example.com', 'auth.example.com', '', 'https://auth.example.com'],
    ['https://auth.example.com', 'auth.example.com', '', 'https://auth.example.com'],
    ['https://auth.example.com/', 'auth.example.com', '', 'https://auth.example.com'],
    ['https://example.com/auth', 'example.com', '/auth', 'https://example.com/auth'],
    ['id.eu-1.corp-example.io', 'id.eu-1.corp-example.io', '', 'https://id.eu-1.corp-example.io'],
  ])('accepts %p', (text, host, path, url) => {
    expect(parseHostname(text)).toEqual({ host, path, url });
  });

  test.each([
    ['htps://auth.example.com', 'hostname-scheme'],
    ['https:/auth.example.com', 'hostname-scheme'],
    ['https//auth.example.com', 'hostname-scheme'],
    ['http://auth.example.com', 'hostname-scheme'],
    ['ftp://auth.example.com', 'hostname-scheme'],
    ['auth.example.com:8443', 'hostname-port'],
    ['https://auth.example.com:443/', 'hostname-port'],
    ['', 'hostname-invalid'],
    ['localhost', 'hostname-invalid'],
    ['Auth.Example.com', 'hostname-invalid'],
    ['auth_1.example.com', 'hostname-invalid'],
    ['-auth.example.com', 'hostname-invalid'],
    ['https://auth.example.com/a b', 'hostname-invalid'],
    ['https://auth.example.com/?x=1', 'hostname-invalid'],
  ])('rejects %p as %s, with a fix', (text, code) => {
    const result = parseHostname(text);
    expect(isHostnameProblem(result) && result.code).toBe(code);
    expect(isHostnameProblem(result) && result.fix.length).toBeGreaterThan(10);
  });
});
