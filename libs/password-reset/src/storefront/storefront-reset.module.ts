import { Module } from '@nestjs/common';
import { NotificationModule } from '@customer-access/notification';
import { PasswordResetModule } from '../password-reset.module';
import { RedisThrottlerStorage } from './redis-throttler.storage';
import { ResetChallenge } from './reset-challenge';
import { ResetTokenGuessLimiter } from './reset-token-guess-limiter';
import { StorefrontResetFlow } from './storefront-reset-flow';

/**
 * The storefront reset flow with its limiters, for the API's doors. Needs the global Redis,
 * settings, observability (ApiMetrics) and the mail queue's producer connection.
 */
@Module({
  imports: [PasswordResetModule, NotificationModule],
  providers: [RedisThrottlerStorage, ResetTokenGuessLimiter, ResetChallenge, StorefrontResetFlow],
  exports: [StorefrontResetFlow, ResetChallenge],
})
export class StorefrontResetModule {}
