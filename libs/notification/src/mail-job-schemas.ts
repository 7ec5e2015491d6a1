import { EMAIL_TEMPLATE_NAMES } from './email-log/email-log-entry.entity';
import { MailJob, MailJobPayloads } from './mail-jobs';
import { isUuid } from '@customer-access/common';
import { STORE_CODE_PATTERN } from '@customer-access/settings';

/** A checked job: its name, and the payload type of that name. */
export type ParsedMailJob<N extends MailJob = MailJob> = { [K in N]: { name: K; payload: MailJobPayloads[K] } }[N];

type Field = 'uuid' | 'email' | 'optional uuid' | 'template' | 'locale' | 'optional store code';
const FIELD_CHECKS: Record<Field, (value: unknown) => boolean> = {
  uuid: (value) => typeof value === 'string' && isUuid(value),
  email: (value) => typeof value === 'string' && value.length > 0 && value.length <= 320 && value.includes('@'),
  /** Absent in jobs queued before the field existed. */
  'optional uuid': (value) => value === undefined || (typeof value === 'string' && isUuid(value)),
  template: (value) => typeof value === 'string' && (EMAIL_TEMPLATE_NAMES as readonly string[]).includes(value),
  locale: (value) => typeof value === 'string' && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/.test(value),
  /** Absent in jobs queued before store views existed. */
  'optional store code': (value) => value === undefined || (typeof value === 'string' && STORE_CODE_PATTERN.test(value)),
};
const DESCRIPTIONS: Record<Field, string> = {
  uuid: 'a UUID',
  email: 'an email address',
  'optional uuid': 'a UUID',
  template: 'an email template name',
  locale: 'a locale',
  'optional store code': 'a store view code',
};

/** One schema per job name: its fields and their kinds. Nothing else may be in a payload. */
const MAIL_JOB_SCHEMAS: { [N in MailJob]: Record<keyof MailJobPayloads[N], Field> } = {
  [MailJob.PasswordResetRequested]: { email: 'email', storeView: 'optional store code' },
  [MailJob.AdminPasswordResetRequested]: { customerId: 'uuid', adminId: 'uuid', emailLogId: 'optional uuid' },
  [MailJob.PasswordChanged]: { customerId: 'uuid' },
  [MailJob.TestEmail]: { template: 'template', locale: 'locale', to: 'email', adminId: 'uuid' },
  [MailJob.EmailChanged]: { customerId: 'uuid', previousEmail: 'email', adminId: 'uuid' },
  [MailJob.AccountInvitation]: { customerId: 'uuid', emailLogId: 'uuid' },
};

/** A job that can never succeed, however often it is retried. */
export class InvalidMailJobError extends Error {
  constructor(name: string, problems: string[]) {
    super(`Invalid mail job "${name}": ${problems.join('; ')}`);
    this.name = 'InvalidMailJobError';
  }
}

function isMailJob(name: string): name is MailJob {
  return Object.prototype.hasOwnProperty.call(MAIL_JOB_SCHEMAS, name);
}

/**
 * Checks a job at the queue boundary, by the producer before it enqueues and by the worker before it
 * acts (a payload from Redis is data, not a type). Throws InvalidMailJobError naming every problem.
 */
export function parseMailJob(name: string, payload: unknown): ParsedMailJob {
  if (!isMailJob(name)) throw new InvalidMailJobError(name, ['unknown job name']);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidMailJobError(name, ['the payload is not an object']);
  }
  const schema: Record<string, Field> = MAIL_JOB_SCHEMAS[name];
  const record = payload as Record<string, unknown>;
  const problems = [
    ...Object.entries(schema)
      .filter(([field, kind]) => !FIELD_CHECKS[kind](record[field]))
      .map(([field, kind]) => `${field} must be ${DESCRIPTIONS[kind]}`),
    ...Object.keys(record)
      .filter((field) => !(field in schema))
      .map((field) => `unexpected field ${field}`),
  ];
  if (problems.length > 0) throw new InvalidMailJobError(name, problems);
  // The schema check above is what makes the record this name's payload.
  return { name, payload: record } as ParsedMailJob;
}
