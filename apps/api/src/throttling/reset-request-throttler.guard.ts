import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { ThrottlerRequest } from '@nestjs/throttler/dist/throttler.guard.interface';
import { ResetRequestThrottle } from './reset-request-throttle';

/**
 * POST /customers/password/forgot: @nestjs/throttler's guard with the reset-request throttlers
 * (resetRequestThrottlers), counted before validation (a malformed body counts too, under its IP).
 *
 * Performance (BENCHMARKS.md): the base guard would count each throttler with its own Redis round
 * trip. Here it still decides, per throttler, whether it applies and with which limit, ttl, tracker
 * and key (handleRequest only gathers them); then ResetRequestThrottle counts them all in one script
 * call, in the same order, stopping at the first over its limit, exactly as the hosted page does.
 */
@Injectable()
export class ResetRequestThrottlerGuard extends ThrottlerGuard {
  /** The throttlers of a request in flight, gathered by handleRequest for one batched count. */
  private readonly gathered = new WeakMap<ExecutionContext, ThrottlerRequest[]>();

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly throttle: ResetRequestThrottle,
  ) {
    super(options, storage, reflector);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const batch: ThrottlerRequest[] = [];
    this.gathered.set(context, batch);
    try {
      await super.canActivate(context);
    } finally {
      this.gathered.delete(context);
    }
    const { req } = this.getRequestResponse(context);
    const counters = await Promise.all(
      batch.map(async ({ throttler, getTracker, generateKey, ttl, limit }) => {
        const throttlerName = throttler.name ?? 'default';
        return { throttlerName, key: generateKey(context, await getTracker(req, context), throttlerName), ttl, limit };
      }),
    );
    await this.throttle.enforce(counters);
    return true;
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    this.gathered.get(props.context)?.push(props);
    return true;
  }
}
