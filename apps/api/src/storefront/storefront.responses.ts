import { ApiProperty } from '@nestjs/swagger';
import { Messages } from '@customer-access/common';

/** Response bodies of the storefront routes, for the OpenAPI document. */

export class CustomerResponseDto {
  @ApiProperty({ format: 'uuid', example: '3f0c2d4e-8a51-4d1b-9c6e-2b7f1a0e9d55' })
  id: string;

  @ApiProperty({ example: 'jane.doe@example.com' })
  email: string;

  @ApiProperty({ example: 'Jane' })
  firstName: string;

  @ApiProperty({ example: 'Doe' })
  lastName: string;

  @ApiProperty({ example: 'zh-CN', description: 'BCP 47, as stored: zh_CN, zh-cn and zh-Hans-CN are stored as zh-CN.' })
  locale: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-27T10:15:00.000Z' })
  createdAt: string;
}

export class ForgotPasswordAcceptedDto {
  @ApiProperty({ example: Messages.forgotAccepted('jane.doe@example.com') })
  message: string;
}

export class ResetTokenValidDto {
  @ApiProperty({ enum: [true], example: true })
  valid: true;
}

export class PasswordUpdatedDto {
  @ApiProperty({ example: Messages.passwordUpdated })
  message: string;
}

export class AccessTokenDto {
  @ApiProperty({ example: 'q1w2e3r4t5y6u7i8o9p0a1s2d3f4g5h6j7k8l9z0x1c' })
  access_token: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  token_type: 'Bearer';

  @ApiProperty({ example: 3600, description: 'Seconds until the token expires.' })
  expires_in: number;
}

export class PasswordGrantRequestDto {
  @ApiProperty({ enum: ['password'], example: 'password' })
  grant_type: 'password';

  @ApiProperty({ example: 'jane.doe@example.com' })
  username: string;

  @ApiProperty({ example: 'Corr3ct-Horse' })
  password: string;
}

export class RevokeTokenRequestDto {
  @ApiProperty({ description: 'The access token to revoke.' })
  token: string;
}
