import { Body, Controller, HttpCode, Ip, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Messages } from '@customer-access/common';
import { normalizeEmail } from '@customer-access/customers';
import { MailJob, MailProducer } from '@customer-access/notification';
import { PasswordResetService } from '@customer-access/password-reset';
import { ResetRequestThrottlerGuard } from '../throttling/reset-request-throttler.guard';
import { ResetTokenGuessLimiter } from '../throttling/reset-token-guess-limiter';
import { ForgotPasswordDto, ResetPasswordDto, ValidateResetTokenDto } from './storefront.dto';

@ApiTags('storefront')
@Controller('customers/password')
export class PasswordResetController {
  constructor(
    private readonly producer: MailProducer,
    private readonly passwordReset: PasswordResetService,
    private readonly guessLimiter: ResetTokenGuessLimiter,
  ) {}

  /**
   * Only throttles and enqueues: no database work, so the answer and its timing are the same
   * whether or not the account exists. The worker does the lookup.
   */
  @Post('forgot')
  @HttpCode(202)
  @UseGuards(ResetRequestThrottlerGuard)
  async forgot(@Body() dto: ForgotPasswordDto): Promise<{ message: string }> {
    await this.producer.enqueue(MailJob.PasswordResetRequested, { email: normalizeEmail(dto.email) });
    return { message: Messages.forgotAccepted(dto.email) };
  }

  /** Both token routes share a per-IP budget of wrong tokens (429 beyond it): see ResetTokenGuessLimiter. */
  @Post('reset/validate')
  @HttpCode(200)
  async validate(@Body() dto: ValidateResetTokenDto, @Ip() ip: string): Promise<{ valid: true }> {
    await this.guessLimiter.run(ip, () => this.passwordReset.validate(dto.token));
    return { valid: true };
  }

  @Post('reset')
  @HttpCode(200)
  async reset(@Body() dto: ResetPasswordDto, @Ip() ip: string): Promise<{ message: string }> {
    await this.guessLimiter.run(ip, () => this.passwordReset.resetPassword(dto));
    return { message: Messages.passwordUpdated };
  }
}
