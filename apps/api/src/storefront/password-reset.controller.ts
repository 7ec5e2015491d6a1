import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Messages } from '@customer-access/common';
import { normalizeEmail } from '@customer-access/customers';
import { MailJob, MailProducer } from '@customer-access/notification';
import { PasswordResetService } from '@customer-access/password-reset';
import { ResetRequestThrottlerGuard } from '../throttling/reset-request-throttler.guard';
import { ForgotPasswordDto, ResetPasswordDto, ValidateResetTokenDto } from './storefront.dto';

@ApiTags('storefront')
@Controller('customers/password')
export class PasswordResetController {
  constructor(
    private readonly producer: MailProducer,
    private readonly passwordReset: PasswordResetService,
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

  @Post('reset/validate')
  @HttpCode(200)
  async validate(@Body() dto: ValidateResetTokenDto): Promise<{ valid: true }> {
    await this.passwordReset.validate(dto.token);
    return { valid: true };
  }

  @Post('reset')
  @HttpCode(200)
  async reset(@Body() dto: ResetPasswordDto): Promise<{ message: string }> {
    await this.passwordReset.resetPassword(dto);
    return { message: Messages.passwordUpdated };
  }
}
