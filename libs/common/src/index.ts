export {
  challengeRequired,
  DomainError,
  type DomainErrorOptions,
  ErrorCode,
  type ErrorParams,
  type InvalidResetTokenReason,
  Messages,
  passwordBreached,
  passwordMismatch,
  resetRateLimited,
  resetTokenExpired,
  resetTokenInvalid,
} from './errors';
export { generateToken, hashToken, isWellFormedToken } from './secure-token';
export { projectRoot } from './project-root';
export { clientNetworkKey } from './client-network-key';
export { isUuid } from './uuid';
export { STOREFRONT_PAGES } from './storefront-pages';
export { INPUT_LIMITS } from './input-limits';
export { type SealPurpose, SecretBox } from './secret-box';
