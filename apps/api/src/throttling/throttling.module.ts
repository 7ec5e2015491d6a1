import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { SettingsService } from '@customer-access/settings';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { resetRequestThrottlers } from './reset-request-throttlers';
import { ResetRequestThrottlerGuard } from './reset-request-throttler.guard';
import { ResetTokenGuessLimiter } from './reset-token-guess-limiter';

@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
class ThrottlerStorageModule {}

@Module({
  imports: [
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
  providers: [ResetRequestThrottlerGuard, ResetTokenGuessLimiter],
  exports: [ResetRequestThrottlerGuard, ResetTokenGuessLimiter, ThrottlerModule],
})
export class ThrottlingModule {}
