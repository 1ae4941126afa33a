import { Certificate, HostedZone } from '../../lib/aws/references';

describe('importers', () => {
  test('Certificate.fromArn takes an ACM ARN and names the prop, value and form when it is not one', () => {
    const arn = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-1234567890ab';
    expect(Certificate.fromArn(arn).certificateArn).toBe(arn);
    expect(() => Certificate.fromArn('arn:aws:iam::123456789012:server-certificate/x')).toThrow(
      /\[certificate-arn-invalid\] certificate: .*ACM certificate ARN \(got 'arn:aws:iam::123456789012:server-certificate\/x'\)\. Fix: pass 'arn:aws:acm:/,
    );
  });

  test('HostedZone.fromAttributes checks the zone id and the domain', () => {
    expect(HostedZone.fromAttributes({ zoneId: 'Z04213802QEXAMPLE1234', zoneName: 'example.com' }).zoneName).toBe('example.com');
    expect(() => HostedZone.fromAttributes({ zoneId: 'example.com', zoneName: 'example.com' })).toThrow(/\[hosted-zone-id-invalid\] hostedZone\.zoneId: .*zone id \(got 'example\.com'\)/);
    expect(() => HostedZone.fromAttributes({ zoneId: 'Z123', zoneName: 'example.com.' })).toThrow(/\[hosted-zone-name-invalid\] hostedZone\.zoneName: .*\(got 'example\.com\.'\).*no trailing dot/);
  });
});
