import { isHostnameProblem, parseHostname } from '../../lib/model/hostname';

describe('parseHostname', () => {
  test.each([
    ['auth.example.com', 'auth.example.com', 'https://auth.example.com'],
    ['https://auth.example.com', 'auth.example.com', 'https://auth.example.com'],
    ['https://auth.example.com/', 'auth.example.com', 'https://auth.example.com'],
    ['id.eu-1.corp-example.io', 'id.eu-1.corp-example.io', 'https://id.eu-1.corp-example.io'],
  ])('accepts %p', (text, host, url) => {
    expect(parseHostname(text)).toEqual({ host, url });
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
    ['https://example.com/auth', 'hostname-path'],
    ['https://auth.example.com/?x=1', 'hostname-path'],
  ])('rejects %p as %s, with a fix', (text, code) => {
    const result = parseHostname(text);
    expect(isHostnameProblem(result) && result.code).toBe(code);
    expect(isHostnameProblem(result) && result.fix.length).toBeGreaterThan(10);
  });
});
