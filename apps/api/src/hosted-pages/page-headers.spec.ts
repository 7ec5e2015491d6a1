import { STRICT_TRANSPORT_SECURITY } from '../http/browser-plugins';
import { pageSecurityHeaders } from './page-headers';

describe('pageSecurityHeaders', () => {
  it("records helmet's headers once: strict CSP, no referrer, no framing; HSTS only over https", () => {
    const plain = pageSecurityHeaders(false);
    expect(plain['content-security-policy']).toBe(
      "default-src 'none';script-src 'self';style-src 'self';img-src 'self';connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none'",
    );
    expect(plain).toMatchObject({ 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'x-content-type-options': 'nosniff' });
    expect(plain['strict-transport-security']).toBeUndefined();
    const https = pageSecurityHeaders(true);
    // The same value as every other answer gets over https (browser-plugins.ts).
    expect(https['strict-transport-security']).toBe(STRICT_TRANSPORT_SECURITY);
    expect(https['content-security-policy']).toContain('upgrade-insecure-requests');
  });
});
