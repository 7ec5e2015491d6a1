import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { SettingsService } from '@customer-access/settings';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { ResetRequestThrottle } from './reset-request-throttle';
import { ResetRequestThrottlerGuard } from './reset-request-throttler.guard';
import { resetRequestThrottlers } from './reset-request-throttlers';
import { ResetTokenGuessLimiter } from './reset-token-guess-limiter';

@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
class ThrottlerStorageModule {}

/** The storefront's limiters: the forgot throttle (REST guard and hosted page) and the wrong-token limiter. */
@Module({
  imports: [
    ThrottlerStorageModule,
    ThrottlerModule.forRootAsync({
      imports: [ThrottlerStorageModule],
      inject: [SettingsService, RedisThrottlerStorage],
      useFactory: (settings: SettingsService, storage: RedisThrottlerStorage) => ({
        throttlers: resetRequestThrottlers(settings),
        storage,
        // Identical headers for every request: X-RateLimit-* would only help an attacker pace itself.
        setHeaders: false,
      }),
    }),
  ],
  providers: [ResetRequestThrottle, ResetRequestThrottlerGuard, ResetTokenGuessLimiter],
  exports: [ResetRequestThrottle, ResetRequestThrottlerGuard, ResetTokenGuessLimiter],
})
export class ThrottlingModule {}
