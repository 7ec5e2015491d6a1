import { Body, Controller, Delete, Get, Header, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  AdminActor,
  AdminMfaService,
  CurrentAdmin,
  MFA_METHODS,
  MfaFactorView,
  MfaMethod,
  Permission,
  RequirePermission,
} from '@customer-access/admin';
import { NewSecurityKeyDto } from './admin.dto';
import { AdminGuarded } from './admin-guarded.decorator';
import { webauthnOptionsAnswer, WebAuthnOptionsDto } from './admin-auth.controller';

export class MfaFactorDto {
  @ApiProperty()
  id: string;

  @ApiProperty({ enum: MFA_METHODS })
  kind: MfaMethod;

  @ApiProperty({ example: 'YubiKey 5C' })
  name: string;

  @ApiPropertyOptional({
    enum: ['singleDevice', 'multiDevice'],
    nullable: true,
    description: 'WebAuthn: singleDevice (a security key) or multiDevice (a passkey that may be synced); null for TOTP.',
  })
  deviceType: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true })
  lastUsedAt: string | null;
}

export class MyFactorsDto {
  @ApiProperty({ type: [MfaFactorDto] })
  items: MfaFactorDto[];

  @ApiProperty({ description: 'Unused recovery codes.' })
  recoveryCodesLeft: number;

  @ApiProperty({
    description: 'True while ADMIN_MFA=required: the only factor cannot be removed (DELETE answers 403), so a console disables its Remove.',
  })
  lastFactorKept: boolean;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: '10 new codes, shown this once; the old ones stop working.' })
  recovery_codes: string[];
}

/**
 * My Account: the signed-in admin's own second factors (docs/admin-sign-in.md). `account.manage`
 * is held by every role and by no API key: only the person manages their factors. Every change
 * is audited.
 */
@AdminGuarded()
@Controller('admin/account')
export class AdminAccountController {
  constructor(private readonly mfa: AdminMfaService) {}

  @Get('factors')
  @RequirePermission(Permission.AccountManage)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Your second factors (name, type, created, last used; never a secret) and how many recovery codes are left.' })
  @ApiOkResponse({ type: MyFactorsDto })
  async factors(@CurrentAdmin() admin: AdminActor): Promise<MyFactorsDto> {
    const [items, recoveryCodesLeft] = await Promise.all([this.mfa.factors(admin), this.mfa.recoveryCodesLeft(admin)]);
    return { items: items.map((f: MfaFactorView) => ({ ...f })), recoveryCodesLeft, lastFactorKept: this.mfa.lastFactorKept() };
  }

  @Delete('factors/:id')
  @HttpCode(204)
  @RequirePermission(Permission.AccountManage)
  @ApiOperation({
    summary:
      'Removes one of your factors (403 for the only one while ADMIN_MFA=required: add another first). The recovery codes go with the last factor.',
  })
  @ApiNoContentResponse()
  removeFactor(@CurrentAdmin() admin: AdminActor, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.mfa.removeFactor(admin, id);
  }

  @Post('recovery-codes')
  @RequirePermission(Permission.AccountManage)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '10 new recovery codes replace the old ones (403 without a factor).' })
  @ApiCreatedResponse({ type: RecoveryCodesDto })
  async regenerateRecoveryCodes(@CurrentAdmin() admin: AdminActor): Promise<RecoveryCodesDto> {
    return { recovery_codes: await this.mfa.regenerateRecoveryCodes(admin) };
  }

  @Post('webauthn/options')
  @HttpCode(200)
  @RequirePermission(Permission.AccountManage)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Registration options for a new security key or passkey (for navigator.credentials.create); the challenge works once.',
  })
  @ApiOkResponse({ type: WebAuthnOptionsDto })
  async webauthnOptions(@CurrentAdmin() admin: AdminActor): Promise<WebAuthnOptionsDto> {
    return webauthnOptionsAnswer(await this.mfa.accountWebauthnOptions(admin));
  }

  @Post('webauthn')
  @RequirePermission(Permission.AccountManage)
  @ApiOperation({ summary: 'Adds the new key (401 MFA_INVALID when its answer does not verify; audited either way).' })
  @ApiCreatedResponse({ type: MfaFactorDto })
  addSecurityKey(@CurrentAdmin() admin: AdminActor, @Body() dto: NewSecurityKeyDto): Promise<MfaFactorDto> {
    return this.mfa.accountWebauthnAdd(admin, dto.response, dto.name);
  }
}
