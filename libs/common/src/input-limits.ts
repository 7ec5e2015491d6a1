/**
 * The longest text each kind of input field may carry, whichever door it comes through (REST
 * bodies, hosted page forms, OAuth forms). They bound the work per request; the rules themselves
 * (the password policy, a token's exact shape) are stricter and give the answer.
 */
export const INPUT_LIMITS = {
  /** RFC 5321's limit on an address in a mail path. */
  email: 254,
  /** The password policy stops at 256 characters: a longer password is refused by the policy, not cut. */
  password: 1024,
  /** A reset token is 43 characters; anything longer than this is refused without looking it up. */
  token: 512,
  /** A customer's first or last name. */
  name: 255,
  /** Any other text field (an OAuth grant type, username or access token). */
  text: 1024,
} as const;
