import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import type { RedisTopology } from '@customer-access/config';
import { redisOptionsFromUrl } from './redis-options';

/** A connection of any of the three forms: both classes share ioredis' command interface. */
export type RedisConnection = Redis | Cluster;

/**
 * How a connection behaves while Redis is unreachable (down, or in a Sentinel/Cluster failover):
 * - `fail-fast`: commands fail at once (no offline queue, one retry, 2 s bounds), so a request
 *   that needs Redis answers 503 instead of hanging, and a forgot request is never answered 202
 *   for a job that was not stored;
 * - `patient`: commands wait in the offline queue and are retried until Redis is back (pub/sub
 *   subscribers, BullMQ's blocking worker connections).
 */
export type ConnectionBehaviour = 'fail-fast' | 'patient';

const retryStrategy = (attempt: number): number => Math.min(attempt * 200, 2000);

/**
 * A primary demoted to replica by a failover answers writes with READONLY while the client is
 * still connected to it: reconnect (and, with Sentinel, ask for the new primary) and resend.
 */
const reconnectOnError = (error: Error): 2 | false => (error.message.startsWith('READONLY') ? 2 : false);

function behaviourOptions(behaviour: ConnectionBehaviour, bullmqBlocking: boolean): RedisOptions {
  const base: RedisOptions = { retryStrategy, reconnectOnError, connectTimeout: 2000 };
  if (behaviour === 'fail-fast') return { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 };
  // BullMQ requires maxRetriesPerRequest null on the connections of a Worker (it blocks on them).
  return { ...base, maxRetriesPerRequest: bullmqBlocking ? null : 20 };
}

export interface ConnectionRequest {
  /** Shown in CLIENT LIST as `customer-access:<name>`. */
  name: string;
  behaviour: ConnectionBehaviour;
  /** For a BullMQ Worker: maxRetriesPerRequest null. */
  bullmqBlocking?: boolean;
  /**
   * ioredis auto-pipelining, for the shared command connection (REDIS_CLIENT), which carries every
   * request's forgot throttle script: the commands that concurrent requests issue within one turn of
   * the event loop leave in one write and come back in one read, instead of a system call each way
   * per command; each keeps its own reply, error, timeout and place in the connection's order
   * (docs/performance.md, Round 3). Not for BullMQ's connections: ioredis builds each pipeline with a
   * copy of every script the connection defines, and BullMQ defines dozens. Not on a Cluster, where
   * ioredis groups auto-pipelines by a command's first argument, the key count of our scripts.
   */
  autoPipelining?: boolean;
}

/**
 * ioredis options for one Redis or a Sentinel-managed primary (BullMQ takes these and makes its
 * own connections). Not for a Cluster, which ioredis only reaches through a Cluster instance.
 */
export function standaloneOptions(topology: Exclude<RedisTopology, { kind: 'cluster' }>, request: ConnectionRequest): RedisOptions {
  const options: RedisOptions = {
    connectionName: `customer-access:${request.name}`,
    ...behaviourOptions(request.behaviour, request.bullmqBlocking ?? false),
    ...(request.autoPipelining ? { enableAutoPipelining: true } : {}),
  };
  if (topology.kind === 'single') return { ...redisOptionsFromUrl(topology.url), ...options };
  return {
    ...options,
    sentinels: topology.sentinels,
    name: topology.name,
    role: 'master',
    // Sentinels are asked again on every reconnect; a quick retry finds the new primary soon after
    // the election. A primary that is alive but demoted is left on its READONLY answer
    // (reconnectOnError). Not ioredis' failoverDetector: its "+switch-master" disconnect can land
    // while the connection is already reconnecting after the primary died, which ends the
    // connection for good ("Connection is closed." on every later command; seen in the infra test).
    sentinelRetryStrategy: (attempt: number) => Math.min(attempt * 200, 1000),
  };
}

/** Creates a connection of the configured form. The caller owns it (quit it on shutdown). */
export function createRedisConnection(topology: RedisTopology, request: ConnectionRequest): RedisConnection {
  let connection: RedisConnection;
  if (topology.kind === 'cluster') {
    const perNode = behaviourOptions(request.behaviour, request.bullmqBlocking ?? false);
    const options: ClusterOptions = {
      redisOptions: { ...perNode, connectionName: `customer-access:${request.name}` },
      enableOfflineQueue: perNode.enableOfflineQueue ?? true,
      clusterRetryStrategy: retryStrategy,
      // A MOVED/ASK after a resharding or a failover is followed; the slot map is then refreshed.
      retryDelayOnFailover: 200,
      retryDelayOnClusterDown: 300,
      slotsRefreshTimeout: 2000,
      scaleReads: 'master',
    };
    connection = new Cluster(topology.nodes, options);
  } else {
    connection = new Redis(standaloneOptions(topology, request));
  }
  // Errors surface on the commands; without a listener ioredis would print every reconnect attempt.
  connection.on('error', () => undefined);
  return connection;
}
