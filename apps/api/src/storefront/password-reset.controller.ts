import { Body, Controller, Get, Header, Headers, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorCode, Messages } from '@customer-access/common';
import { Challenge, ResetChallenge, StorefrontResetFlow } from '@customer-access/password-reset';
import { StoreRegistry } from '@customer-access/settings';
import { MessageLanguage } from '../http/message-language';
import { ApiStoreHeader, STORE_UNKNOWN_ERROR } from '../openapi/store-header';
import { ApiErrors, COMMON_INPUT_ERRORS, ErrorExample, PASSWORD_BREACHED_ERROR, RETRY_AFTER } from '../openapi/api-errors';
import { ForgotPasswordDto, ResetPasswordDto, ValidateResetTokenDto } from './storefront.dto';
import { ForgotPasswordAcceptedDto, PasswordUpdatedDto, ResetChallengeDto, ResetTokenValidDto } from './storefront.responses';

const RATE_LIMITED: ErrorExample = {
  status: 429,
  code: ErrorCode.ResetRateLimited,
  message: Messages.resetRateLimited('support@example.com'),
  when: 'too many requests; the address is the supportEmail setting',
  headers: RETRY_AFTER,
};
const CHALLENGE_REQUIRED: ErrorExample = {
  status: 400,
  code: ErrorCode.ChallengeRequired,
  message: Messages.challengeRequired,
  when: 'resetChallenge asks for a solved challenge and `altcha` is missing, malformed, tampered with, expired, issued to another client, or already used',
  extra: { challenge: { parameters: { algorithm: 'SHA-256', cost: 1, expiresAt: 1796572800, '…': '…' }, signature: '773ddcf7…' } },
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
@ApiStoreHeader()
@Controller('customers/password')
export class PasswordResetController {
  constructor(
    private readonly flow: StorefrontResetFlow,
    private readonly language: MessageLanguage,
    private readonly stores: StoreRegistry,
    private readonly challenge: ResetChallenge,
  ) {}

  /** A fresh proof-of-work challenge for this client (the ALTCHA widget fetches it; altcha-lib's solver takes it too). */
  @Get('challenge')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'A proof-of-work challenge for Forgot Your Password?',
    description:
      'An ALTCHA (v2) challenge: HMAC-signed, valid 5 minutes, for this client network only; its solution works once, as the ' +
      "`altcha` field of the forgot body (the widget's payload). Needed when the resetChallenge setting asks for it.",
  })
  @ApiOkResponse({ type: ResetChallengeDto })
  @ApiErrors(STORE_UNKNOWN_ERROR)
  challengeFor(@Ip() ip: string, @Headers('store') store?: string): Promise<Challenge> {
    // Like every storefront route: an unknown or inactive Store header is a 400, whatever the route needs of it.
    this.stores.forRequest(store);
    return this.challenge.issue(ip);
  }

  /**
   * The validation pipe refuses a malformed body first, so it never counts against the throttle;
   * the flow then throttles and enqueues: the same answer whether or not the account exists.
   */
  @Post('forgot')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Forgot Your Password?: send a reset link',
    description:
      'Always 202 with the same body, whether or not an account exists: the worker looks the address up and ' +
      'emails a link to the address stored on the account. Throttled per IP and/or email (settings). With resetChallenge ' +
      '`always` (or `adaptive` past resetChallengeThreshold requests from one IP in an hour) the body must carry `altcha`, a ' +
      'solved challenge from GET /customers/password/challenge.',
  })
  @ApiAcceptedResponse({ type: ForgotPasswordAcceptedDto })
  @ApiErrors(...COMMON_INPUT_ERRORS, STORE_UNKNOWN_ERROR, CHALLENGE_REQUIRED, RATE_LIMITED)
  async forgot(
    @Body() dto: ForgotPasswordDto,
    @Ip() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
    @Headers('store') store?: string,
  ): Promise<{ message: string }> {
    // The Store header names the store view (none: default; unknown or inactive: 400 STORE_UNKNOWN).
    await this.flow.request({ ip, email: dto.email, storeView: this.stores.forRequest(store), altcha: dto.altcha });
    return { message: this.language.message(acceptLanguage, 'api.forgotAccepted', { email: dto.email }) };
  }

  /** Both token routes share a per-IP budget of wrong tokens (429 beyond it), with the reset page. */
  @Post('reset/validate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check a reset token before showing the new-password form' })
  @ApiOkResponse({ type: ResetTokenValidDto })
  @ApiErrors(...COMMON_INPUT_ERRORS, STORE_UNKNOWN_ERROR, ...TOKEN_ERRORS)
  async validate(@Body() dto: ValidateResetTokenDto, @Ip() ip: string, @Headers('store') store?: string): Promise<{ valid: true }> {
    // A link works whatever store view it is opened in: links are not tied to the base they were sent with.
    this.stores.forRequest(store);
    await this.flow.check(ip, dto.token);
    return { valid: true };
  }

  @Post('reset')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set a new password with a reset token',
    description:
      "The token works once. On success the token is marked used and the customer's other reset links superseded, their access tokens revoked " +
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
    PASSWORD_BREACHED_ERROR,
    { status: 400, code: ErrorCode.PasswordMismatch, message: Messages.passwordMismatch },
    STORE_UNKNOWN_ERROR,
    ...TOKEN_ERRORS,
  )
  async reset(
    @Body() dto: ResetPasswordDto,
    @Ip() ip: string,
    @Headers('accept-language') acceptLanguage?: string,
    @Headers('store') store?: string,
  ): Promise<{ message: string }> {
    this.stores.forRequest(store);
    await this.flow.complete(ip, dto);
    return { message: this.language.message(acceptLanguage, 'api.passwordUpdated') };
  }
}
