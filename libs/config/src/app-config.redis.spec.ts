import { ConfigValidationError, loadConfig } from './app-config';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
};

describe('configuration of the Redis form (REDIS_URL | REDIS_CLUSTER_NODES | REDIS_SENTINELS)', () => {
  it('defaults to one Redis at REDIS_URL', () => {
    expect(loadConfig({}).redis).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379' });
    expect(loadConfig({ REDIS_URL: 'rediss://cache:6380/2' }).redis).toEqual({ kind: 'single', url: 'rediss://cache:6380/2' });
  });

  it('REDIS_CLUSTER_NODES: a Redis Cluster from its seed nodes; REDIS_URL is then ignored', () => {
    const config = loadConfig({ REDIS_URL: 'redis://ignored:6379', REDIS_CLUSTER_NODES: '10.0.0.1:7000, redis-b:7001,[::1]:7002' });
    expect(config.redis).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-b', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
  });

  it('REDIS_SENTINELS with REDIS_SENTINEL_NAME: a Sentinel-managed primary', () => {
    expect(loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'mymaster' }).redis).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      name: 'mymaster',
    });
  });

  it.each([
    [
      { REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'm' },
      /^REDIS_CLUSTER_NODES cannot be combined with REDIS_SENTINELS/,
    ],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINEL_NAME: 'm' }, /^REDIS_CLUSTER_NODES cannot be combined/],
    [{ REDIS_SENTINELS: 's:26379' }, /^REDIS_SENTINELS is set without REDIS_SENTINEL_NAME/],
    [{ REDIS_SENTINEL_NAME: 'mymaster' }, /^REDIS_SENTINEL_NAME is set without REDIS_SENTINELS/],
  ])('a bad combination stops the start with one message naming the three forms: %j', (env, first) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(first);
    expect(problems[0]).toContain(
      'set REDIS_URL alone (one Redis), or REDIS_CLUSTER_NODES (Redis Cluster), or REDIS_SENTINELS together with REDIS_SENTINEL_NAME',
    );
  });

  it.each(['a', 'a:0', 'a:70000', 'a:7000,', ':7000', 'a:b'])('rejects a malformed node list: REDIS_CLUSTER_NODES=%j', (raw) => {
    expect(problemsOf({ REDIS_CLUSTER_NODES: raw })).toEqual([
      expect.stringMatching(/^REDIS_CLUSTER_NODES must be a comma-separated list of host:port/),
    ]);
  });

  it('DATABASE_MIGRATION_URL defaults to DATABASE_URL and may point elsewhere (past PgBouncer)', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@bouncer:6432/db' }).databaseMigrationUrl).toBe('postgres://u@bouncer:6432/db');
    expect(
      loadConfig({ DATABASE_URL: 'postgres://u@bouncer:6432/db', DATABASE_MIGRATION_URL: 'postgres://u@pg:5432/db' }).databaseMigrationUrl,
    ).toBe('postgres://u@pg:5432/db');
  });
});
