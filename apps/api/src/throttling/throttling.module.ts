import { Module } from '@nestjs/common';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { ResetRequestThrottle } from './reset-request-throttle';
import { ResetRequestThrottlerGuard } from './reset-request-throttler.guard';
import { ResetTokenGuessLimiter } from './reset-token-guess-limiter';

/** The storefront's limiters: the forgot throttle (REST guard and hosted page) and the wrong-token limiter. */
@Module({
  providers: [RedisThrottlerStorage, ResetRequestThrottle, ResetRequestThrottlerGuard, ResetTokenGuessLimiter],
  exports: [ResetRequestThrottle, ResetRequestThrottlerGuard, ResetTokenGuessLimiter],
})
export class ThrottlingModule {}
