export { PasswordResetModule } from './password-reset.module';
export { type IssuedResetToken, PasswordResetService, type UsableResetToken } from './password-reset.service';
export { CompletePasswordReset, type ResetPasswordInput } from './complete-password-reset';
export { PasswordResetToken, type ResetOrigin, RESET_ORIGINS } from './password-reset-token.entity';
export { type ResetRequest, StorefrontResetFlow } from './storefront/storefront-reset-flow';
export { StorefrontResetModule } from './storefront/storefront-reset.module';
export {
  type Challenge,
  type ChallengeKeys,
  challengeKeys,
  checkSolution,
  mintChallenge,
  ResetChallenge,
  CHALLENGE_TTL_SECONDS,
  MAX_CHALLENGE_PAYLOAD_LENGTH,
} from './storefront/reset-challenge';
