/** An OAuth 2.0 error answer (RFC 6749 5.2), which has its own body shape: `{ error, error_description }`. */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_grant' | 'unsupported_grant_type' | 'invalid_client',
    readonly description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}
