import { ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { DomainError, ErrorCode, Messages } from '@customer-access/common';
import { SettingsService } from '@customer-access/settings';

/** Applies the reset-request throttlers and answers DESIGN.md's 429 with a plain Retry-After. */
@Injectable()
export class ResetRequestThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly settings: SettingsService,
  ) {
    super(options, storage, reflector);
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new DomainError(
      ErrorCode.ResetRateLimited,
      Messages.resetRateLimited(this.settings.current().supportEmail),
      HttpStatus.TOO_MANY_REQUESTS,
      { 'Retry-After': String(Math.max(1, detail.timeToBlockExpire)) },
    );
  }
}
