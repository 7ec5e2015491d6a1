import { ConfigValidationError, loadConfig } from './app-config';

describe('configuration of the operability settings', () => {
  it('defaults: worker metrics on port 9465, /metrics without a token', () => {
    const config = loadConfig({});
    expect(config.workerMetricsPort).toBe(9465);
    expect(config.metricsToken).toBeUndefined();
  });

  it('WORKER_METRICS_PORT=0 turns the worker metrics off; METRICS_TOKEN is taken as given', () => {
    const config = loadConfig({ WORKER_METRICS_PORT: '0', METRICS_TOKEN: 'a-long-scrape-token-123' });
    expect(config.workerMetricsPort).toBe(0);
    expect(config.metricsToken).toBe('a-long-scrape-token-123');
  });

  it('LOG_FORMAT: pretty in development (the default NODE_ENV), JSON elsewhere, either when asked', () => {
    const production = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://shop.example.com',
      JWT_SECRET: 'x'.repeat(40),
      MFA_ENCRYPTION_KEY: 'm'.repeat(40),
    };
    expect(loadConfig({}).logFormat).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'development' }).logFormat).toBe('pretty');
    expect(loadConfig(production).logFormat).toBe('json');
    expect(loadConfig({ NODE_ENV: 'test' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }).logFormat).toBe('json');
    expect(loadConfig({ ...production, LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadConfig({ LOG_FORMAT: 'yaml' })).toThrow('LOG_FORMAT must be json or pretty');
  });

  it('lists every bad value in one message, next to the other problems', () => {
    let error: unknown;
    try {
      loadConfig({ WORKER_METRICS_PORT: '70000', METRICS_TOKEN: 'short', LOG_LEVEL: 'loud', NODE_ENV: 'production' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { message, problems } = error as ConfigValidationError;
    expect(problems).toEqual(
      expect.arrayContaining([
        'WORKER_METRICS_PORT must be an integer from 0 to 65535 (got "70000")',
        expect.stringMatching(/^METRICS_TOKEN must be at least 16 characters/),
        expect.stringMatching(/^LOG_LEVEL must be one of/),
        expect.stringMatching(/^JWT_SECRET is required when NODE_ENV=production/),
      ]),
    );
    expect(message.split('\n')[0]).toBe('Invalid configuration:');
    for (const problem of problems) expect(message).toContain(problem);
  });
});
