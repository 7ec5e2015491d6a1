import { PasswordHasher, PasswordPolicy } from '@customer-access/customers';
import { AdminAccountsService, newAdminProblems } from './admin-accounts.service';
import { AdminUser } from './admin-user.entity';
import { AdminUserRepository } from './admin-user.repository';

const policy = new PasswordPolicy();
const GOOD = { email: 'Ops.Lead@Example.com', password: 'correct-horse-battery-9', role: 'support' };

describe('admin account creation', () => {
  it('accepts a good input', () => {
    expect(newAdminProblems(GOOD, policy)).toEqual([]);
  });

  it('names an unknown role and the valid ones', () => {
    expect(newAdminProblems({ ...GOOD, role: 'root' }, policy)).toEqual(['Unknown role "root": use one of administrator, support.']);
  });

  it('refuses a weak password with the reason', () => {
    const [short] = newAdminProblems({ ...GOOD, password: 'Short-pw-1' }, policy);
    expect(short).toMatch(/^Weak password: .*at least 15 characters/);
    const [spaces] = newAdminProblems({ ...GOOD, password: 'has spaces in it 12345' }, policy);
    expect(spaces).toMatch(/^Weak password: .*spaces/);
  });

  it('lists every problem at once', () => {
    expect(newAdminProblems({}, policy)).toHaveLength(3);
    expect(newAdminProblems({ email: 'not-an-email', password: 'x', role: 'boss' }, policy)).toHaveLength(3);
  });

  it('stores a normalized email and an argon2id hash, never the password', async () => {
    const insert = jest.fn(async (data: Partial<AdminUser>) => Object.assign(new AdminUser(), data));
    const service = new AdminAccountsService({ insert } as unknown as AdminUserRepository, new PasswordHasher(), policy);
    const created = await service.create(GOOD);
    expect(created).toEqual({ id: expect.any(String), email: 'ops.lead@example.com', role: 'support' });
    const stored = insert.mock.calls[0][0];
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(stored)).not.toContain(GOOD.password);
  });

  it('creates nothing for a bad input', async () => {
    const insert = jest.fn();
    const service = new AdminAccountsService({ insert } as unknown as AdminUserRepository, new PasswordHasher(), policy);
    await expect(service.create({ ...GOOD, role: 'owner' })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(insert).not.toHaveBeenCalled();
  });
});
