import { Body, Controller, Header, Headers, HttpCode, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { OAuthService } from '@customer-access/oauth';
import { INPUT_LIMITS } from '@customer-access/common';
import { SettingsService, StoreRegistry } from '@customer-access/settings';
import { formField } from '../http/form-field';
import { OAuthError } from '../http/oauth-error';
import { ErrorResponseDto, OAuthErrorDto } from '../openapi/api-errors';
import { ApiStoreHeader, STORE_UNKNOWN_ERROR } from '../openapi/store-header';
import { AccessTokenDto, PasswordGrantRequestDto, RevokeTokenRequestDto } from './storefront.responses';

const field = (body: unknown, name: string): string => formField(body, name, INPUT_LIMITS.text);

/** A 400 of an OAuth route: RFC 6749's shape, or the service's STORE_UNKNOWN (the Store header is checked first). */
function ApiOAuthBadRequest(description: string, example: { error: string; error_description: string }) {
  const unknown = { statusCode: 400, code: STORE_UNKNOWN_ERROR.code, message: STORE_UNKNOWN_ERROR.message };
  return ApiBadRequestResponse({
    description: `${description}\n\n\`${STORE_UNKNOWN_ERROR.code}\` (${STORE_UNKNOWN_ERROR.when}): ${STORE_UNKNOWN_ERROR.message}`,
    content: {
      'application/json': {
        schema: { oneOf: [{ $ref: getSchemaPath(OAuthErrorDto) }, { $ref: getSchemaPath(ErrorResponseDto) }] },
        examples: {
          [example.error]: { value: example },
          [STORE_UNKNOWN_ERROR.code]: { summary: STORE_UNKNOWN_ERROR.when, value: unknown },
        },
      },
    },
  });
}

/**
 * OAuth 2.0 endpoints for customers. They speak RFC 6749/7009 error shapes rather than the
 * service's `{code}` errors, and accept JSON or form-encoded bodies, as OAuth clients expect.
 */
@ApiTags('oauth')
@ApiStoreHeader()
@ApiExtraModels(OAuthErrorDto, ErrorResponseDto)
@Controller('oauth')
export class OAuthController {
  constructor(
    private readonly oauth: OAuthService,
    private readonly stores: StoreRegistry,
    private readonly settings: SettingsService,
  ) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Customer access token (RFC 6749 password grant)',
    description: 'JSON or form-encoded. Wrong credentials and a locked account both answer 400 invalid_grant.',
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: PasswordGrantRequestDto })
  @ApiOkResponse({ type: AccessTokenDto })
  @ApiOAuthBadRequest('RFC 6749 section 5.2: invalid_grant (wrong credentials, locked out), invalid_request, unsupported_grant_type.', {
    error: 'invalid_grant',
    error_description: 'The username or password is incorrect, or the account is locked.',
  })
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async token(
    @Body() body: unknown,
    @Headers('store') store?: string,
  ): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    // The Store header's website holds the account (accountSharingScope = website); global: any website.
    const view = this.stores.forRequest(store);
    const website = this.settings.current().accountSharingScope === 'global' ? null : view.websiteCode;
    const grantType = field(body, 'grant_type');
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
    if (grantType !== 'password') throw new OAuthError('unsupported_grant_type', 'Only the password grant is supported.');
    const username = field(body, 'username');
    const password = field(body, 'password');
    if (!username || !password) throw new OAuthError('invalid_request', 'username and password are required.');

    const issued = await this.oauth.passwordGrant(username, password, website);
    if (!issued) throw new OAuthError('invalid_grant', 'The username or password is incorrect, or the account is locked.');
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
  }

  /** RFC 7009: 200 whether or not the token existed. */
  @Post('revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a customer access token (RFC 7009)', description: '200 whether or not the token existed.' })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded')
  @ApiBody({ type: RevokeTokenRequestDto })
  @ApiOkResponse({ schema: { type: 'object', example: {} } })
  @ApiOAuthBadRequest('invalid_request: token is missing.', { error: 'invalid_request', error_description: 'token is required.' })
  async revoke(@Body() body: unknown, @Headers('store') store?: string): Promise<Record<string, never>> {
    this.stores.forRequest(store);
    const token = field(body, 'token');
    if (!token) throw new OAuthError('invalid_request', 'token is required.');
    await this.oauth.revoke(token);
    return {};
  }
}
