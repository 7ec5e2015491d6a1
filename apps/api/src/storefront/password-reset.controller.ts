import { Body, Controller, HttpCode, Ip, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode, Messages } from '@customer-access/common';
import { LogContext } from '@customer-access/observability';
import { CompletePasswordReset, PasswordResetService } from '@customer-access/password-reset';
import { ApiErrors, COMMON_INPUT_ERRORS, ErrorExample, RETRY_AFTER } from '../openapi/api-errors';
import { ResetRequestThrottlerGuard } from '../throttling/reset-request-throttler.guard';
import { ResetTokenGuessLimiter } from '../throttling/reset-token-guess-limiter';
import { ForgotPasswordService } from './forgot-password.service';
import { ResetOutcomeInterceptor } from './reset-outcome.interceptor';
import { ForgotPasswordDto, ResetPasswordDto, ValidateResetTokenDto } from './storefront.dto';
import { ForgotPasswordAcceptedDto, PasswordUpdatedDto, ResetTokenValidDto } from './storefront.responses';

const RATE_LIMITED: ErrorExample = {
  status: 429,
  code: ErrorCode.ResetRateLimited,
  message: Messages.resetRateLimited('support@example.com'),
  when: 'too many requests; the address is the supportEmail setting',
  headers: RETRY_AFTER,
};
const TOKEN_ERRORS: ErrorExample[] = [
  {
    status: 400,
    code: ErrorCode.ResetTokenInvalid,
    message: Messages.resetTokenInvalid,
    when: 'unknown, already used or superseded token',
  },
  { status: 400, code: ErrorCode.ResetTokenExpired, message: Messages.resetTokenExpired },
  { ...RATE_LIMITED, when: 'too many wrong tokens from this IP' },
];

@ApiTags('storefront')
@Controller('customers/password')
export class PasswordResetController {
  constructor(
    private readonly forgotPassword: ForgotPasswordService,
    private readonly passwordReset: PasswordResetService,
    private readonly completeReset: CompletePasswordReset,
    private readonly guessLimiter: ResetTokenGuessLimiter,
    private readonly logContext: LogContext,
  ) {}

  /** Throttles (guard) and enqueues (ForgotPasswordService): the same answer whether or not the account exists. */
  @Post('forgot')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Forgot Your Password?: send a reset link',
    description:
      'Always 202 with the same body, whether or not an account exists: the worker looks the address up and ' +
      'emails a link to the address stored on the account. Throttled per IP and/or email (settings).',
  })
  @ApiAcceptedResponse({ type: ForgotPasswordAcceptedDto })
  @ApiErrors(...COMMON_INPUT_ERRORS, RATE_LIMITED)
  @UseGuards(ResetRequestThrottlerGuard)
  async forgot(@Body() dto: ForgotPasswordDto): Promise<{ message: string }> {
    await this.forgotPassword.request(dto.email);
    return { message: Messages.forgotAccepted(dto.email) };
  }

  /** Both token routes share a per-IP budget of wrong tokens (429 beyond it): see ResetTokenGuessLimiter. */
  @Post('reset/validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a reset token before showing the new-password form' })
  @ApiOkResponse({ type: ResetTokenValidDto })
  @ApiErrors(...COMMON_INPUT_ERRORS, ...TOKEN_ERRORS)
  async validate(@Body() dto: ValidateResetTokenDto, @Ip() ip: string): Promise<{ valid: true }> {
    await this.guessLimiter.run(ip, () => this.passwordReset.validate(dto.token));
    return { valid: true };
  }

  @Post('reset')
  @HttpCode(200)
  @UseInterceptors(ResetOutcomeInterceptor)
  @ApiOperation({
    summary: 'Set a new password with a reset token',
    description:
      "The token works once. On success the customer's reset tokens are deleted, their access tokens revoked " +
      '(revokeTokensOnReset), a lockout is lifted, and a "password changed" email is sent.',
  })
  @ApiOkResponse({ type: PasswordUpdatedDto })
  @ApiErrors(
    ...COMMON_INPUT_ERRORS,
    {
      status: 400,
      code: ErrorCode.PasswordPolicy,
      message: 'The password needs at least 6 characters. Create a new password and try again.',
      when: 'the new password breaks the password policy',
    },
    { status: 400, code: ErrorCode.PasswordMismatch, message: Messages.passwordMismatch },
    ...TOKEN_ERRORS,
  )
  async reset(@Body() dto: ResetPasswordDto, @Ip() ip: string): Promise<{ message: string }> {
    const { customerId } = await this.guessLimiter.run(ip, () => this.completeReset.execute(dto));
    this.logContext.assign({ customerId });
    return { message: Messages.passwordUpdated };
  }
}
