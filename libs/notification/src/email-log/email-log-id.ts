import { createHash } from 'node:crypto';

/**
 * The email_log id of a mail job that the API did not log itself (storefront resets and
 * confirmations carry no id: the forgot route does no database work). Derived from the queue's job
 * id and creation time, so that every attempt of a job updates the same row, and a job id reused
 * after Redis lost its data never lands on an old row.
 */
export function emailLogIdForJob(jobId: string, createdAtMs: number): string {
  const hex = createHash('sha256').update(`mail:${jobId}:${createdAtMs}`).digest('hex');
  // Formatted as a version-4-shaped UUID (the column's type); the bits come from the hash.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
