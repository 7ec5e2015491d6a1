import { ConfigValidationError, loadConfig } from './app-config';

describe('configuration of data retention', () => {
  it('defaults: docs/configuration.md (24 h, 24 h, 90 d, 365 d, every 60 min), batches of 5,000 with a pause', () => {
    expect(loadConfig({}).retention).toEqual({
      accessTokenHours: 24,
      resetTokenHours: 24,
      emailLogDays: 90,
      auditDays: 365,
      intervalMinutes: 60,
      batchSize: 5000,
      batchPauseMs: 200,
      webhookDeliveryDays: 30,
    });
  });

  it('0 is accepted for every retention (keep forever)', () => {
    const { retention } = loadConfig({
      ACCESS_TOKEN_RETENTION_HOURS: '0',
      RESET_TOKEN_RETENTION_HOURS: '0',
      EMAIL_LOG_RETENTION_DAYS: '0',
      AUDIT_RETENTION_DAYS: '0',
    });
    expect(retention).toMatchObject({ accessTokenHours: 0, resetTokenHours: 0, emailLogDays: 0, auditDays: 0 });
  });

  it('refuses negative, fractional and non-numeric values, and an interval of 0, all in one message', () => {
    let error: unknown;
    try {
      loadConfig({
        ACCESS_TOKEN_RETENTION_HOURS: '-1',
        RESET_TOKEN_RETENTION_HOURS: '1.5',
        EMAIL_LOG_RETENTION_DAYS: 'ninety',
        AUDIT_RETENTION_DAYS: '99999',
        RETENTION_INTERVAL_MINUTES: '0',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems).toEqual([
      'ACCESS_TOKEN_RETENTION_HOURS must be an integer from 0 to 87600 (got "-1")',
      'RESET_TOKEN_RETENTION_HOURS must be an integer from 0 to 87600 (got "1.5")',
      'EMAIL_LOG_RETENTION_DAYS must be an integer from 0 to 36500 (got "ninety")',
      'AUDIT_RETENTION_DAYS must be an integer from 0 to 36500 (got "99999")',
      'RETENTION_INTERVAL_MINUTES must be an integer from 1 to 10080 (got "0")',
    ]);
  });
});
