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
  });

  it.each([
    ['an unknown name', 'password-reset-requsted', { email: 'a@b.test' }, /unknown job name/],
    ['a non-object payload', MailJob.PasswordChanged, 'x', /not an object/],
    ['a null payload', MailJob.PasswordChanged, null, /not an object/],
    ['a missing field', MailJob.AdminPasswordResetRequested, { customerId: id }, /adminId must be a UUID/],
    ['a field of the wrong kind', MailJob.PasswordChanged, { customerId: 42 }, /customerId must be a UUID/],
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
