export { ACCESS_TOKEN_RETIRED_AT, AccessToken } from './access-token.entity';
export { AccessTokenRepository, AuthenticatedCustomer } from './access-token.repository';
export { AccessTokenSql } from './access-token.queries';
export { CustomerAuthGuard, CustomerRequest, bearerToken } from './customer-auth.guard';
export { OAuthModule } from './oauth.module';
export { IssuedAccessToken, OAuthService } from './oauth.service';
