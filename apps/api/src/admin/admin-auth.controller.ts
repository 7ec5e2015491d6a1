import { Body, Controller, Header, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags, getSchemaPath } from '@nestjs/swagger';
import {
  ADMIN_ROLES,
  AdminAuthService,
  AdminMfaService,
  AdminRole,
  IssuedAdminToken,
  MFA_METHODS,
  MfaMethod,
  MfaSignedIn,
  Permission,
  WebAuthnOptions,
  PublicAdminRoute,
  ROLE_PERMISSIONS,
} from '@customer-access/admin';
import { AdminSignInDto, MfaCodeDto, MfaTokenDto, WebAuthnAnswerDto } from './admin.dto';

export class AdminTokenDto {
  @ApiProperty()
  access_token: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type: 'Bearer';

  @ApiProperty({ example: 900, description: 'Seconds until the token expires.' })
  expires_in: number;

  /**
   * Not secret, and only a hint: the admin console hides what the role may not do. Every route
   * still reads the role from the database and answers 403 without the permission.
   */
  @ApiProperty({ enum: ADMIN_ROLES, description: 'The role when the token was issued (for display only; the server checks each request).' })
  role: AdminRole;

  @ApiProperty({ enum: Permission, isArray: true, description: "The role's permissions when the token was issued." })
  permissions: Permission[];

  @ApiPropertyOptional({ type: [String], description: 'Only when this sign-in enrolled the first factor: 10 recovery codes, shown once.' })
  recovery_codes?: string[];
}

export class MfaRequiredDto {
  @ApiProperty({ enum: [true] })
  mfa_required: true;

  @ApiProperty({ description: 'For the MFA calls only; 5 minutes.' })
  mfa_token: string;

  @ApiProperty({ description: 'false: no factor yet, enroll one of `methods`; true: `methods` are your own.' })
  enrolled: boolean;

  @ApiProperty({ enum: MFA_METHODS, isArray: true })
  methods: MfaMethod[];
}

export class TotpSetupDto {
  @ApiProperty({ description: 'Base32, for typing into an authenticator app.' })
  secret: string;

  @ApiProperty({ example: 'otpauth://totp/...' })
  otpauth_url: string;
}

export class WebAuthnOptionsDto {
  @ApiProperty({
    enum: ['register', 'authenticate'],
    description: 'register: pass `options` to navigator.credentials.create; authenticate: to .get.',
  })
  ceremony: 'register' | 'authenticate';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON.',
  })
  options: Record<string, unknown>;
}

export const webauthnOptionsAnswer = (o: WebAuthnOptions): WebAuthnOptionsDto => ({
  ceremony: o.ceremony,
  options: o.options as unknown as Record<string, unknown>,
});

function tokenAnswer(issued: IssuedAdminToken, recoveryCodes?: string[]): AdminTokenDto {
  return {
    access_token: issued.accessToken,
    token_type: 'Bearer',
    expires_in: issued.expiresIn,
    role: issued.role,
    permissions: [...ROLE_PERMISSIONS[issued.role]].sort(),
    ...(recoveryCodes ? { recovery_codes: recoveryCodes } : {}),
  };
}

const signedIn = ({ token, recoveryCodes }: MfaSignedIn): AdminTokenDto => tokenAnswer(token, recoveryCodes);

/**
 * Admin sign-in: the password, then (ADMIN_MFA=required, or an admin with a factor) a second
 * factor with the mfa_token. These are the admin routes without an admin JWT: they are where it
 * comes from. Nothing here is cached.
 */
@ApiTags('admin')
@ApiExtraModels(AdminTokenDto, MfaRequiredDto)
@Controller('admin/auth')
export class AdminAuthController {
  constructor(
    private readonly auth: AdminAuthService,
    private readonly mfa: AdminMfaService,
  ) {}

  @Post('token')
  @PublicAdminRoute()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ schema: { oneOf: [{ $ref: getSchemaPath(AdminTokenDto) }, { $ref: getSchemaPath(MfaRequiredDto) }] } })
  async token(@Body() dto: AdminSignInDto, @Ip() ip: string): Promise<AdminTokenDto | MfaRequiredDto> {
    const result = await this.auth.signIn(dto.email, dto.password, ip);
    if (result.challenge) {
      const { mfaToken, enrolled, methods } = result.challenge;
      return { mfa_required: true, mfa_token: mfaToken, enrolled, methods };
    }
    return tokenAnswer(result.token);
  }

  @Post('mfa/totp/setup')
  @PublicAdminRoute()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A new authenticator secret, while the admin has no factor (401 MFA_INVALID for a bad mfa_token).' })
  @ApiOkResponse({ type: TotpSetupDto })
  async totpSetup(@Body() dto: MfaTokenDto, @Ip() ip: string): Promise<TotpSetupDto> {
    const setup = await this.mfa.totpSetup(dto.mfa_token, ip);
    return { secret: setup.secret, otpauth_url: setup.otpauthUrl };
  }

  @Post('mfa/totp')
  @PublicAdminRoute()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'An authenticator code: the admin JWT (401 MFA_INVALID for a wrong or replayed code; 5 end the mfa_token).' })
  @ApiOkResponse({ type: AdminTokenDto })
  async totp(@Body() dto: MfaCodeDto, @Ip() ip: string): Promise<AdminTokenDto> {
    return signedIn(await this.mfa.totpSignIn(dto.mfa_token, dto.code, ip));
  }

  @Post('mfa/webauthn/options')
  @PublicAdminRoute()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      'WebAuthn options: registration while the admin has no factor (enrolling a security key or passkey), else authentication with their keys (403 when they have none). The challenge works once.',
  })
  @ApiOkResponse({ type: WebAuthnOptionsDto })
  async webauthnOptions(@Body() dto: MfaTokenDto, @Ip() ip: string): Promise<WebAuthnOptionsDto> {
    return webauthnOptionsAnswer(await this.mfa.webauthnOptions(dto.mfa_token, ip));
  }

  @Post('mfa/webauthn')
  @PublicAdminRoute()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary:
      "The browser's answer to the options: the admin JWT, plus recovery_codes when this enrolled the first factor (401 MFA_INVALID for a wrong, replayed or foreign answer; it counts as a wrong code).",
  })
  @ApiOkResponse({ type: AdminTokenDto })
  async webauthn(@Body() dto: WebAuthnAnswerDto, @Ip() ip: string): Promise<AdminTokenDto> {
    return signedIn(await this.mfa.webauthnSignIn(dto.mfa_token, dto.response, dto.name, ip));
  }

  @Post('mfa/recovery')
  @PublicAdminRoute()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A recovery code, once: the admin JWT (401 MFA_INVALID otherwise).' })
  @ApiOkResponse({ type: AdminTokenDto })
  async recovery(@Body() dto: MfaCodeDto, @Ip() ip: string): Promise<AdminTokenDto> {
    return signedIn(await this.mfa.recoverySignIn(dto.mfa_token, dto.code, ip));
  }
}
