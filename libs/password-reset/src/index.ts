export { PasswordResetModule } from './password-reset.module';
export { IssuedResetToken, PasswordResetService } from './password-reset.service';
export { CompletePasswordReset, ResetPasswordInput } from './complete-password-reset';
export { PasswordResetToken, ResetOrigin, RESET_ORIGINS } from './password-reset-token.entity';
