import { createHash } from 'node:crypto';
import { PageAssets } from './page-assets';

describe('PageAssets', () => {
  const assets = new PageAssets();

  it('serves the stylesheet and the script at addresses that carry their content hash', () => {
    for (const asset of [assets.stylesheet, assets.script, ...Object.values(assets.challenge)]) {
      const hash = createHash('sha256').update(asset.content).digest('base64url').slice(0, 12);
      expect(asset.url).toMatch(new RegExp(`^/static/pages/[a-z-]+\\.${hash.replace(/[-_]/g, '\\$&')}\\.(css|js)$`));
      expect(assets.find(asset.url)).toBe(asset);
    }
    expect(assets.stylesheet.contentType).toBe('text/css; charset=utf-8');
    expect(assets.script.contentType).toBe('text/javascript; charset=utf-8');
  });

  it("serves the ALTCHA widget's strict-CSP build, stylesheet and SHA-256 worker from the installed package", () => {
    expect(assets.challenge.widget.content.toString()).toContain('altcha-widget');
    expect(assets.challenge.widget.content.toString()).not.toContain('createObjectURL');
    expect(assets.challenge.styles.contentType).toBe('text/css; charset=utf-8');
    expect(assets.challenge.worker.content.toString()).toContain('crypto.subtle.digest');
  });

  it('knows no unfingerprinted or other address', () => {
    for (const url of ['/static/pages/pages.css', '/static/pages/password-fields.js', '/static/pages/password-rules.js', '/favicon.ico']) {
      expect(assets.find(url)).toBeUndefined();
    }
  });

  it('has a real icon for /favicon.ico', () => {
    expect(assets.favicon.url).toBe('/favicon.ico');
    // ICONDIR: reserved 0, type 1 (icon), at least one image.
    expect([...assets.favicon.content.subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    expect(assets.favicon.content.readUInt16LE(4)).toBeGreaterThan(0);
  });
});
