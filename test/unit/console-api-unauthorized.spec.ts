import { ApiFailure, createApi } from '../../apps/admin-console/src/api';

/** When the console's API client signs the admin out: only for a 401 about the session itself. */
describe('console API client, 401 answers', () => {
  const realFetch = global.fetch;
  afterEach(() => {
    global.fetch = realFetch;
  });

  const answering = (status: number, body: object) => {
    global.fetch = jest.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  };

  it('keeps the admin signed in when My Account refuses a security key (401 MFA_INVALID)', async () => {
    answering(401, { statusCode: 401, code: 'MFA_INVALID', message: 'The security key could not be verified. Try again.' });
    const signOut = jest.fn();
    const failure = await createApi('jwt', signOut)
      .addSecurityKey({ id: 'x' }, 'YubiKey')
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).code).toBe('MFA_INVALID');
    expect(signOut).not.toHaveBeenCalled();
  });

  it('signs the admin out on a 401 for an expired or revoked token', async () => {
    answering(401, { statusCode: 401, code: 'UNAUTHORIZED', message: 'A valid admin access token is required.' });
    const signOut = jest.fn();
    await expect(createApi('jwt', signOut).addSecurityKey({ id: 'x' }, 'YubiKey')).rejects.toBeInstanceOf(ApiFailure);
    expect(signOut).toHaveBeenCalledTimes(1);
  });
});
