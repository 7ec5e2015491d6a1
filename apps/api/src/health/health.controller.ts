import { EntityManager } from '@mikro-orm/postgresql';
import { Controller, Get, HttpCode, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import Redis from 'ioredis';
import { REDIS_CLIENT } from '@customer-access/redis';

@ApiTags('ops')
@Controller('health')
export class HealthController {
  constructor(
    private readonly em: EntityManager,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The process can do its job: PostgreSQL and Redis answer. */
  @Get('ready')
  async ready(): Promise<{ status: 'ok'; checks: Record<string, 'up' | 'down'> }> {
    const [database, redis] = await Promise.all([
      this.em.execute('select 1').then(() => 'up' as const, () => 'down' as const),
      this.redis.ping().then(() => 'up' as const, () => 'down' as const),
    ]);
    const checks = { database, redis };
    if (database !== 'up' || redis !== 'up') {
      throw new ServiceUnavailableException({ message: `Not ready: ${JSON.stringify(checks)}`, checks });
    }
    return { status: 'ok', checks };
  }
}
