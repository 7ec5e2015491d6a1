export { PasswordResetModule } from './password-reset.module';
export { IssuedResetToken, PasswordResetService, UsableResetToken } from './password-reset.service';
export { CompletePasswordReset, ResetPasswordInput } from './complete-password-reset';
export { PasswordResetToken, ResetOrigin, RESET_ORIGINS } from './password-reset-token.entity';
export { ResetRequest, StorefrontResetFlow } from './storefront/storefront-reset-flow';
export { StorefrontResetModule } from './storefront/storefront-reset.module';
export {
  Challenge,
  ChallengeKeys,
  challengeKeys,
  checkSolution,
  mintChallenge,
  ResetChallenge,
  CHALLENGE_TTL_SECONDS,
  MAX_CHALLENGE_PAYLOAD_LENGTH,
} from './storefront/reset-challenge';
