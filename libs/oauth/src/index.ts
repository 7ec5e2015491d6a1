export { ACCESS_TOKEN_RETIRED_AT, AccessToken } from './access-token.entity';
export { AccessTokenRepository, type AuthenticatedCustomer } from './access-token.repository';
export { AccessTokenSql } from './access-token.queries';
export { CustomerAuthGuard, type CustomerRequest, bearerToken } from './customer-auth.guard';
export { OAuthModule } from './oauth.module';
export { type IssuedAccessToken, OAuthService } from './oauth.service';
