import { Body, Controller, Header, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ADMIN_ROLES, AdminAuthService, AdminRole, Permission, PublicAdminRoute, ROLE_PERMISSIONS } from '@customer-access/admin';
import { AdminSignInDto } from './admin.dto';

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
}

@ApiTags('admin')
@Controller('admin/auth')
export class AdminAuthController {
  constructor(private readonly auth: AdminAuthService) {}

  /** The only admin route without a token: it is where the token comes from. */
  @Post('token')
  @PublicAdminRoute()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: AdminTokenDto })
  async token(@Body() dto: AdminSignInDto, @Ip() ip: string): Promise<AdminTokenDto> {
    const issued = await this.auth.signIn(dto.email, dto.password, ip);
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      role: issued.role,
      permissions: [...ROLE_PERMISSIONS[issued.role]].sort(),
    };
  }
}
