import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { ThrottlerLimitDetail, ThrottlerRequest } from '@nestjs/throttler/dist/throttler.guard.interface';
import { resetRateLimited } from '@customer-access/common';
import { SettingsService } from '@customer-access/settings';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/**
 * Applies the reset-request throttlers and answers DESIGN.md's 429 with a plain Retry-After.
 *
 * Performance (BENCHMARKS.md): the base guard counts each throttler with its own Redis round trip,
 * one after the other. Here the base guard still decides, per throttler, whether it applies and
 * with which limit, ttl, tracker and key (handleRequest only gathers them), and then every counter
 * of the request is counted in one script call with the same semantics: every applicable counter
 * is checked on every request, in the same order, stopping at the first one over its limit.
 */
@Injectable()
export class ResetRequestThrottlerGuard extends ThrottlerGuard {
  /** The throttlers of a request in flight, gathered by handleRequest for one batched count. */
  private readonly gathered = new WeakMap<ExecutionContext, ThrottlerRequest[]>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly settings: SettingsService,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const storage = this.storageService;
    if (!(storage instanceof RedisThrottlerStorage)) return super.canActivate(context);
    const batch: ThrottlerRequest[] = [];
    this.gathered.set(context, batch);
    try {
      await super.canActivate(context);
    } finally {
      this.gathered.delete(context);
    }
    if (batch.length === 0) return true;
    const { req } = this.getRequestResponse(context);
    const counters = await Promise.all(
      batch.map(async (r) => {
        const tracker = await r.getTracker(req, context);
        const name = r.throttler.name ?? 'default';
        return { r, tracker, key: r.generateKey(context, tracker, name), name };
      }),
    );
    const records = await storage.incrementAll(
      counters.map((c) => ({ key: c.key, ttl: c.r.ttl, limit: c.r.limit, throttlerName: c.name })),
    );
    for (let i = 0; i < records.length; i++) {
      const { r, key, tracker } = counters[i];
      if (records[i].isBlocked) await this.throwThrottlingException(context, { limit: r.limit, ttl: r.ttl, key, tracker, ...records[i] });
    }
    return true;
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const batch = this.gathered.get(props.context);
    // ignoreUserAgents is not used by these throttlers; if it ever is, count the classic way.
    if (!batch || props.throttler.ignoreUserAgents || this.commonOptions.ignoreUserAgents) return super.handleRequest(props);
    batch.push(props);
    return true;
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw resetRateLimited(this.settings.current().supportEmail, Math.max(1, detail.timeToBlockExpire));
  }
}
