import { adminSignInFailureKeys } from '@customer-access/redis/key-layout';
import type { RedisConnection } from '@customer-access/redis/redis-connections';

/**
 * Forgets an admin email's failed sign-ins, the count AdminSignInLimiter keeps per email: after a
 * successful sign-in, and for admin:unlock, which loads this file without Nest. True when there were
 * some. (The per-network count is left to expire: it is shared by everyone behind that network.)
 */
export async function clearAdminSignInFailures(redis: Pick<RedisConnection, 'del'>, email: string): Promise<boolean> {
  const [byEmail] = adminSignInFailureKeys(email, '');
  return (await redis.del(byEmail)) > 0;
}
