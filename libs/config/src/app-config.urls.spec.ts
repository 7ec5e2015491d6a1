import { ConfigValidationError, loadConfig } from './app-config';

/** PUBLIC_URL, STOREFRONT_URL and HOSTED_PAGES (docs/configuration.md). */
describe('configuration of the public URLs and hosted pages', () => {
  const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigValidationError).problems;
    }
  };

  it('in development, PUBLIC_URL is localhost on PORT and the email links open the hosted pages', () => {
    const config = loadConfig({ PORT: '4100' });
    expect(config.publicUrl).toBe('http://localhost:4100');
    expect(config.storefrontUrl).toBe('http://localhost:4100');
    expect(config.hostedPages).toBe(true);
  });

  it('STOREFRONT_URL defaults to PUBLIC_URL and either may be set on its own (trailing slashes dropped)', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://account.shop.example/' })).toMatchObject({
      publicUrl: 'https://account.shop.example',
      storefrontUrl: 'https://account.shop.example',
    });
    expect(loadConfig({ PUBLIC_URL: 'https://account.shop.example', STOREFRONT_URL: 'https://www.shop.example/' })).toMatchObject({
      publicUrl: 'https://account.shop.example',
      storefrontUrl: 'https://www.shop.example',
    });
  });

  it('production requires PUBLIC_URL (STOREFRONT_URL alone is not enough)', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), MFA_ENCRYPTION_KEY: 'm'.repeat(40) };
    expect(problemsOf({ ...production, STOREFRONT_URL: 'https://www.shop.example' })).toEqual([
      'PUBLIC_URL is required when NODE_ENV=production',
    ]);
    expect(loadConfig({ ...production, PUBLIC_URL: 'https://account.shop.example' }).storefrontUrl).toBe('https://account.shop.example');
  });

  it('HOSTED_PAGES is true or false; anything else is refused', () => {
    expect(loadConfig({ HOSTED_PAGES: 'false' }).hostedPages).toBe(false);
    expect(loadConfig({ HOSTED_PAGES: 'true' }).hostedPages).toBe(true);
    expect(problemsOf({ HOSTED_PAGES: 'no' })).toEqual(['HOSTED_PAGES must be true or false (got "no")']);
    expect(problemsOf({ PUBLIC_URL: 'ftp://x.example' })).toEqual(['PUBLIC_URL must use http: or https: (got "ftp:")']);
  });
});
