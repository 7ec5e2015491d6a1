export { DomainError, ErrorCode, Messages, resetTokenExpired, resetTokenInvalid } from './errors';
export { generateToken, hashToken, isWellFormedToken } from './secure-token';
export { projectRoot } from './project-root';
