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

const CHALLENGE_PARAMETERS_EXAMPLE = {
  algorithm: 'SHA-256',
  cost: 1,
  data: { client: 'q0xkcU1yM2JfZ3Z0S1pXa0' },
  expiresAt: 1796572800,
  keyLength: 32,
  keyPrefix: '25f495c6b21ec95d9476cd4575dab6ec',
  keySignature: '1fdb2d6bc88ad586fe6eda36b38a305017b553b54ad4f7cb150c54c8aaa6d501',
  nonce: '7364751cc695b312260679507b3db327',
  salt: '7e0e74ce6716fef6f484702ab68b10d9',
};

/** An ALTCHA (v2) proof-of-work challenge, as the altcha widget and altcha-lib's solver take it. */
export class ResetChallengeDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: CHALLENGE_PARAMETERS_EXAMPLE,
    description:
      'SHA-256, one hash per try: find the counter whose derived key starts with keyPrefix. expiresAt (seconds) is 5 minutes ' +
      'after issue; data.client binds the challenge to the client network it was issued to.',
  })
  parameters: Record<string, unknown>;

  @ApiProperty({
    example: '773ddcf7f837310c0e5844c55c77e5dd4b880ec2bcbfc3924246165cb3e5895e',
    description: 'HMAC-SHA256 of the parameters.',
  })
  signature: string;
}
