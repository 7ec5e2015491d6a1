import { MailJob, MailJobPayload, MailJobPayloads } from './mail-jobs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Field = 'uuid' | 'email';
const FIELD_CHECKS: Record<Field, (value: unknown) => boolean> = {
  uuid: (value) => typeof value === 'string' && UUID.test(value),
  email: (value) => typeof value === 'string' && value.length > 0 && value.length <= 320 && value.includes('@'),
};

/** One schema per job name: its fields and their kinds. Nothing else may be in a payload. */
const MAIL_JOB_SCHEMAS: { [N in MailJob]: Record<keyof MailJobPayloads[N], Field> } = {
  [MailJob.PasswordResetRequested]: { email: 'email' },
  [MailJob.AdminPasswordResetRequested]: { customerId: 'uuid', adminId: 'uuid' },
  [MailJob.PasswordChanged]: { customerId: 'uuid' },
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
export function parseMailJob(name: string, payload: unknown): { name: MailJob; payload: MailJobPayload } {
  if (!isMailJob(name)) throw new InvalidMailJobError(name, ['unknown job name']);
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new InvalidMailJobError(name, ['the payload is not an object']);
  }
  const schema: Record<string, Field> = MAIL_JOB_SCHEMAS[name];
  const record = payload as Record<string, unknown>;
  const problems = [
    ...Object.entries(schema)
      .filter(([field, kind]) => !FIELD_CHECKS[kind](record[field]))
      .map(([field, kind]) => `${field} must be ${kind === 'uuid' ? 'a UUID' : 'an email address'}`),
    ...Object.keys(record)
      .filter((field) => !(field in schema))
      .map((field) => `unexpected field ${field}`),
  ];
  if (problems.length > 0) throw new InvalidMailJobError(name, problems);
  return { name, payload: record as MailJobPayload };
}
