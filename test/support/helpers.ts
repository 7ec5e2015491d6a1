import { createHash, randomBytes } from 'node:crypto';
import { ApiResponse } from './http-client';
import { allOf, MailPredicate, ReceivedMail, sentTo, subjectMatches } from './smtp-sink';
import { Stack, STOREFRONT_URL } from './stack';

/** Messages fixed by docs/api.md. */
export const MESSAGES = {
  forgotAccepted: (email: string) =>
    `If there is an account associated with ${email} you will receive an email with a link to reset your password.`,
  resetRateLimited: (supportEmail: string) =>
    `We received too many requests for password resets. Please wait and try again later or contact ${supportEmail}.`,
  resetTokenInvalid: 'The password token is mismatched. Reset and try again.',
  resetTokenExpired: 'Your password reset link has expired.',
  passwordMismatch: "New Password and Confirm New Password values didn't match.",
  passwordUpdated: 'You updated your password.',
} as const;

/** Settings that let a test send as many forgot requests from 127.0.0.1 as it likes. */
export const NO_RESET_THROTTLING = { resetProtectionType: 'none', maxResetRequestsPerHour: 0, minSecondsBetweenResetRequests: 0 };

export const isPasswordChangedMail: MailPredicate = (m) => /password/i.test(m.subject) && /changed/i.test(m.subject);
export const isResetMail: MailPredicate = (m) => /reset/i.test(m.subject) && !isPasswordChangedMail(m);

export function sha256hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** A unique, lower-case address on example.com, readable in failure output. */
export function uniqueEmail(label = 'customer'): string {
  const slug =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'customer';
  return `${slug}-${Date.now().toString(36)}${randomBytes(3).toString('hex')}@example.com`;
}

/** A password that satisfies the default policy and is not a common one. */
export function strongPassword(label = 'Pw'): string {
  return `${label}-${randomBytes(6).toString('base64url')}-9x!`;
}

export interface RegisteredCustomer {
  id: string;
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  response: ApiResponse;
}

/** Registers a customer through POST /api/v1/customers and insists on 201. */
export async function registerCustomer(
  stack: Stack,
  overrides: Partial<{ email: string; password: string; firstName: string; lastName: string; locale: string; label: string }> = {},
): Promise<RegisteredCustomer> {
  const { label, ...fields } = overrides;
  const body = {
    email: uniqueEmail(label ?? 'customer'),
    password: strongPassword(),
    firstName: 'Ada',
    lastName: 'Lovelace',
    ...fields,
  };
  const res = await stack.api('/api/v1/customers', { json: body });
  if (res.status !== 201) {
    throw new Error(`registerCustomer(${body.email}) expected 201, got ${res.status}: ${res.text}`);
  }
  return {
    id: res.body?.id,
    email: body.email,
    password: body.password,
    firstName: body.firstName,
    lastName: body.lastName,
    response: res,
  };
}

export function forgot(stack: Stack, email: unknown): Promise<ApiResponse> {
  return stack.api('/api/v1/customers/password/forgot', { json: { email } });
}

export function validateToken(stack: Stack, token: unknown): Promise<ApiResponse> {
  return stack.api('/api/v1/customers/password/reset/validate', { json: { token } });
}

export function resetPassword(stack: Stack, token: string, password: string, passwordConfirmation = password): Promise<ApiResponse> {
  return stack.api('/api/v1/customers/password/reset', { json: { token, password, passwordConfirmation } });
}

/** POST /api/v1/oauth/token with the password grant, as JSON (default) or as a form. */
export function passwordGrant(stack: Stack, username: string, password: string, as: 'json' | 'form' = 'json'): Promise<ApiResponse> {
  const fields = { grant_type: 'password', username, password };
  return stack.api('/api/v1/oauth/token', as === 'json' ? { json: fields } : { form: fields });
}

/** An access token for the customer; throws unless the grant answers 200. */
export async function accessTokenFor(stack: Stack, username: string, password: string): Promise<string> {
  const res = await passwordGrant(stack, username, password);
  if (res.status !== 200 || typeof res.body?.access_token !== 'string') {
    throw new Error(`password grant for ${username} expected 200 with access_token, got ${res.status}: ${res.text}`);
  }
  return res.body.access_token;
}

/** The reset link in an email's HTML (`{STOREFRONT_URL}/customer/account/createPassword?token=…`). */
export function extractResetLink(mail: ReceivedMail): string {
  const pattern = /href\s*=\s*(["'])([^"']*\/customer\/account\/createPassword\?[^"']*)\1/i;
  const match = pattern.exec(mail.html);
  if (!match) {
    throw new Error(`No createPassword link in the HTML of mail #${mail.seq} (${mail.subject}):\n${mail.html.slice(0, 2000)}`);
  }
  return decodeHtmlEntities(match[2]);
}

/** The raw reset token from the email's link. */
export function extractResetToken(mail: ReceivedMail): string {
  const link = extractResetLink(mail);
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`Reset link without a token: ${link}`);
  return token;
}

function decodeHtmlEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;|&#61;/gi, '=')
    .replace(/&#x2F;|&#47;/gi, '/')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/gi, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

export const RESET_LINK_PREFIX = `${STOREFRONT_URL}/customer/account/createPassword?token=`;

/**
 * Asks for a reset of `email` (expecting 202) and waits for the reset mail that arrives after the
 * request; returns the mail and its token.
 */
export async function requestResetToken(stack: Stack, email: string, timeoutMs = 10_000): Promise<{ mail: ReceivedMail; token: string }> {
  const since = stack.sink.mark();
  const res = await forgot(stack, email);
  if (res.status !== 202) throw new Error(`forgot(${email}) expected 202, got ${res.status}: ${res.text}`);
  const mail = await stack.sink.waitFor(allOf(sentTo(email), isResetMail), { timeoutMs, since });
  return { mail, token: extractResetToken(mail) };
}

export { allOf, sentTo, subjectMatches };

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
