import { Body, Controller, Header, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AdminAuthService, PublicAdminRoute } from '@customer-access/admin';
import { AdminSignInDto } from './admin.dto';

@ApiTags('admin')
@Controller('admin/auth')
export class AdminAuthController {
  constructor(private readonly auth: AdminAuthService) {}

  /** The only admin route without a token: it is where the token comes from. */
  @Post('token')
  @PublicAdminRoute()
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  async token(@Body() dto: AdminSignInDto, @Ip() ip: string): Promise<{ access_token: string; token_type: 'Bearer'; expires_in: number }> {
    const issued = await this.auth.signIn(dto.email, dto.password, ip);
    return { access_token: issued.accessToken, token_type: 'Bearer', expires_in: issued.expiresIn };
  }
}
