import { emailLogIdForJob } from './email-log-id';

describe('emailLogIdForJob', () => {
  it('gives every attempt of a job the same UUID-shaped id', () => {
    const id = emailLogIdForJob('42', 1_764_460_800_000);
    expect(id).toBe(emailLogIdForJob('42', 1_764_460_800_000));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives a job id reused after Redis lost its data (another creation time) another row', () => {
    expect(emailLogIdForJob('42', 1_764_460_800_000)).not.toBe(emailLogIdForJob('42', 1_764_460_800_001));
    expect(emailLogIdForJob('42', 1)).not.toBe(emailLogIdForJob('43', 1));
  });
});
