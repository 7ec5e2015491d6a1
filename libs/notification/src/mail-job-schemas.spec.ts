import { InvalidMailJobError, parseMailJob } from './mail-job-schemas';
import { MailJob } from './mail-jobs';

const id = '0b6f3c1e-8a8e-4d1c-9d6e-2f1f5b0a9c11';

describe('parseMailJob (one schema per job name, producer and worker alike)', () => {
  it('accepts each job with exactly its fields', () => {
    expect(parseMailJob(MailJob.PasswordResetRequested, { email: 'a@b.test' }).name).toBe(MailJob.PasswordResetRequested);
    expect(parseMailJob(MailJob.AdminPasswordResetRequested, { customerId: id, adminId: id }).payload).toEqual({
      customerId: id,
      adminId: id,
    });
    expect(parseMailJob(MailJob.PasswordChanged, { customerId: id }).payload).toEqual({ customerId: id });
    expect(parseMailJob(MailJob.AdminPasswordResetRequested, { customerId: id, adminId: id, emailLogId: id }).payload).toMatchObject({
      emailLogId: id,
    });
    const test = { template: 'password-changed', locale: 'zh-CN', to: 'admin@shop.test', adminId: id };
    expect(parseMailJob(MailJob.TestEmail, test).payload).toEqual(test);
    const notice = { customerId: id, previousEmail: 'old@shop.test', adminId: id };
    expect(parseMailJob(MailJob.EmailChanged, notice).payload).toEqual(notice);
  });

  it.each([
    ['an unknown name', 'password-reset-requsted', { email: 'a@b.test' }, /unknown job name/],
    ['a non-object payload', MailJob.PasswordChanged, 'x', /not an object/],
    ['a null payload', MailJob.PasswordChanged, null, /not an object/],
    ['a missing field', MailJob.AdminPasswordResetRequested, { customerId: id }, /adminId must be a UUID/],
    ['a field of the wrong kind', MailJob.PasswordChanged, { customerId: 42 }, /customerId must be a UUID/],
    [
      'a malformed email log id',
      MailJob.AdminPasswordResetRequested,
      { customerId: id, adminId: id, emailLogId: 'x' },
      /emailLogId must be a UUID/,
    ],
    [
      'an unknown template',
      MailJob.TestEmail,
      { template: 'welcome', locale: 'en', to: 'a@b.test', adminId: id },
      /template must be an email template name/,
    ],
    ['a notice without its address', MailJob.EmailChanged, { customerId: id }, /previousEmail must be an email address/],
    [
      'an extra field (e.g. a token that must never travel)',
      MailJob.PasswordResetRequested,
      { email: 'a@b.test', token: 't' },
      /unexpected field token/,
    ],
  ])('refuses %s with a message naming the problem', (_what, name, payload, message) => {
    expect(() => parseMailJob(name, payload)).toThrow(InvalidMailJobError);
    expect(() => parseMailJob(name, payload)).toThrow(message);
  });
});
