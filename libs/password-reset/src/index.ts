export { PasswordResetModule } from './password-reset.module';
export { IssuedResetToken, PasswordResetService, ResetPasswordInput } from './password-reset.service';
export { PasswordResetToken, ResetOrigin } from './password-reset-token.entity';
