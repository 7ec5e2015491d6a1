/** The admin routes the console uses (docs/api.md, Admin routes), all under /api/v1/admin. */
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/browser';

export interface ApiError {
  status: number;
  code: string;
  message: string;
}

export class ApiFailure extends Error implements ApiError {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Customer {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  locale: string;
  createdAt: string;
  activeTokenCount: number;
  lockedUntil?: string | null;
  /** The website and store view the customer registered in (docs/api.md, Stores). */
  websiteCode?: string;
  storeViewCode?: string;
}

/** GET /admin/websites: a website holds store views. */
export interface Website {
  code: string;
  name: string;
}

/** GET /admin/store-views: what a store's emails and pages are made of. */
export interface StoreView {
  code: string;
  websiteCode: string;
  name: string;
  locale: string;
  timezone: string;
  baseUrl: string;
  mailFrom: string;
  supportEmail: string;
  isActive: boolean;
  /** Fields this store view does not set itself: their values above are the installation's (environment, settings). */
  inherits?: string[];
}

/** PUT /admin/store-views/:code: the fields sent change (code and website stay). */
export type StoreViewEdit = Partial<Omit<StoreView, 'code' | 'websiteCode' | 'inherits'>>;

export interface AuditEvent {
  id: string;
  createdAt: string;
  action: string;
  adminId: string | null;
  adminEmail: string;
  customerId: string | null;
  customerName: string | null;
  clientIp: string | null;
  details: Record<string, unknown>;
}

/** GET /admin/customers/:id/emails (docs/api.md, Admin routes). */
export interface EmailLogItem {
  id: string;
  template: string;
  origin: string;
  locale: string;
  storeViewCode?: string | null;
  status: string;
  attempts: number;
  requestedAt: string;
  sentAt: string | null;
  messageId: string | null;
  lastError: string | null;
  link?: string | null;
}

/** GET /admin/webhooks (docs/webhooks.md): an endpoint as admins see it, never its secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: string[];
  description: string;
  enabled: boolean;
  /** Why the service turned it off (such as "410 Gone"); null when an admin did, or while enabled. */
  disabledReason: string | null;
  /** After a rotation: until when the previous secret is still accepted. */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The answer of POST /admin/webhooks and rotate-secret: the only time the `whsec_…` secret is shown. */
export type WebhookEndpointWithSecret = WebhookEndpoint & { secret: string };

/** GET /admin/webhooks/:id/deliveries: the 50 newest. */
export interface WebhookDelivery {
  id: string;
  eventId: string;
  endpointId: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed' | 'refused';
  attempts: number;
  lastResponseCode: number | null;
  /** The last failure, or the refusal's reason (SSRF rules). */
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export type WebhookEdit = Partial<Pick<WebhookEndpoint, 'url' | 'events' | 'description' | 'enabled'>>;

export type Settings = Record<string, number | string | boolean>;

/** PUT /admin/customers/:id: the fields sent change. */
export interface CustomerEdit {
  firstName?: string;
  lastName?: string;
  email?: string;
  locale?: string;
}

/** GET /admin/audit-events filters; `from` inclusive, `to` exclusive (ISO 8601). */
export interface AuditFilter {
  customerId?: string;
  adminId?: string;
  action?: string;
  from?: string;
  to?: string;
}

function auditParams(filter: AuditFilter, extra: Record<string, string>): URLSearchParams {
  const params = new URLSearchParams(extra);
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  return params;
}

export interface SignedIn {
  access_token: string;
  expires_in: number;
  role: string;
  permissions: string[];
  /** Only when this sign-in enrolled the first second factor: shown once. */
  recovery_codes?: string[];
}

/** The password was right; a second factor is needed (docs/admin-sign-in.md). */
export interface MfaRequired {
  mfa_required: true;
  mfa_token: string;
  enrolled: boolean;
  methods: string[];
}

/** One of the admin's second factors, as My Account lists it. */
export interface MfaFactor {
  id: string;
  kind: 'totp' | 'webauthn';
  name: string;
  deviceType: 'singleDevice' | 'multiDevice' | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** GET /account/factors. `lastFactorKept`: the only factor cannot be removed (ADMIN_MFA=required). */
export interface MyFactors {
  items: MfaFactor[];
  recoveryCodesLeft: number;
  lastFactorKept: boolean;
}

/** What the server asks of navigator.credentials: create (a new key) or get (sign in with one). */
export type WebAuthnOptions =
  | { ceremony: 'register'; options: PublicKeyCredentialCreationOptionsJSON }
  | { ceremony: 'authenticate'; options: PublicKeyCredentialRequestOptionsJSON };

const BASE = '/api/v1/admin';

async function send(method: string, path: string, token: string | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiFailure(0, 'NETWORK', 'The service cannot be reached.');
  }
  if (!response.ok) await failure(response);
  return response;
}

async function failure(response: Response): Promise<never> {
  const text = await response.text();
  let error: Partial<ApiError> = {};
  try {
    error = (text ? JSON.parse(text) : {}) as Partial<ApiError>;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  throw new ApiFailure(response.status, error.code ?? `HTTP_${response.status}`, error.message ?? response.statusText);
}

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const response = await send(method, path, token, body);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A list answer's items (`{items}`). */
const itemsOf = <T>(answer: { items: T[] }): T[] => answer.items;

/**
 * A client bound to one admin's token; `onUnauthorized` runs on a 401 that says the token is no
 * longer good (expired or revoked). A 401 MFA_INVALID (My Account: a security key that did not
 * verify) refuses the key, not the session: the admin stays signed in and sees the message.
 */
export function createApi(token: string, onUnauthorized: () => void) {
  const guard = async <T>(request: Promise<T>): Promise<T> => {
    try {
      return await request;
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401 && error.code !== 'MFA_INVALID') onUnauthorized();
      throw error;
    }
  };
  const authed = <T>(method: string, path: string, body?: unknown): Promise<T> => guard(call<T>(method, path, token, body));
  return {
    customers: (query: { search: string; website?: string; page: number; pageSize: number }) => {
      const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
      if (query.search) params.set('search', query.search);
      if (query.website) params.set('website', query.website);
      return authed<Page<Customer>>('GET', `/customers?${params}`);
    },
    customer: (id: string) => authed<Customer>('GET', `/customers/${encodeURIComponent(id)}`),
    customerEmails: (id: string) => authed<{ items: EmailLogItem[] }>('GET', `/customers/${encodeURIComponent(id)}/emails`),
    resetPassword: (id: string) => authed<{ message: string }>('POST', `/customers/${encodeURIComponent(id)}/password-reset`),
    forceSignIn: (id: string) => authed<{ revoked: number; message: string }>('POST', `/customers/${encodeURIComponent(id)}/force-sign-in`),
    updateCustomer: (id: string, edit: CustomerEdit) => authed<Customer>('PUT', `/customers/${encodeURIComponent(id)}`, edit),
    unlockCustomer: (id: string) => authed<Customer>('POST', `/customers/${encodeURIComponent(id)}/unlock`),
    /** Everything stored about the customer (GDPR art. 15/20), as the JSON the server sends. */
    exportCustomer: (id: string) => authed<Record<string, unknown>>('GET', `/customers/${encodeURIComponent(id)}/export`),
    deleteCustomer: (id: string) => authed<void>('DELETE', `/customers/${encodeURIComponent(id)}`),
    auditEvents: (query: AuditFilter & { page: number; pageSize: number }) => {
      const { page, pageSize, ...filter } = query;
      return authed<Page<AuditEvent>>('GET', `/audit-events?${auditParams(filter, { page: String(page), pageSize: String(pageSize) })}`);
    },
    /** The filtered log as a CSV file, with the name the server gives it. */
    exportAudit: (filter: AuditFilter) =>
      guard(
        send('GET', `/audit-events?${auditParams(filter, { format: 'csv' })}`, token).then(async (response) => ({
          blob: await response.blob(),
          filename: /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'audit-log.csv',
        })),
      ),
    settings: () => authed<Settings>('GET', '/config/customer-password'),
    saveSettings: (patch: Settings) => authed<Settings>('PUT', '/config/customer-password', patch),
    openQueueDashboard: () => authed<void>('POST', '/queue-dashboard/session'),
    websites: () => authed<{ items: Website[] }>('GET', '/websites').then(itemsOf),
    storeViews: () => authed<{ items: StoreView[] }>('GET', '/store-views').then(itemsOf),
    createWebsite: (website: Website) => authed<Website>('POST', '/websites', website),
    createStoreView: (view: Omit<StoreView, 'inherits'>) => authed<StoreView>('POST', '/store-views', view),
    updateStoreView: (code: string, edit: StoreViewEdit) => authed<StoreView>('PUT', `/store-views/${encodeURIComponent(code)}`, edit),
    webhooks: () => authed<{ items: WebhookEndpoint[] }>('GET', '/webhooks').then(itemsOf),
    createWebhook: (input: { url: string; events: string[]; description?: string }) =>
      authed<WebhookEndpointWithSecret>('POST', '/webhooks', input),
    updateWebhook: (id: string, edit: WebhookEdit) => authed<WebhookEndpoint>('PUT', `/webhooks/${encodeURIComponent(id)}`, edit),
    deleteWebhook: (id: string) => authed<void>('DELETE', `/webhooks/${encodeURIComponent(id)}`),
    rotateWebhookSecret: (id: string) => authed<WebhookEndpointWithSecret>('POST', `/webhooks/${encodeURIComponent(id)}/rotate-secret`),
    testWebhook: (id: string) => authed<{ eventId: string }>('POST', `/webhooks/${encodeURIComponent(id)}/test`),
    webhookDeliveries: (id: string) =>
      authed<{ items: WebhookDelivery[] }>('GET', `/webhooks/${encodeURIComponent(id)}/deliveries`).then(itemsOf),
    retryWebhookDelivery: (id: string) => authed<void>('POST', `/webhook-deliveries/${encodeURIComponent(id)}/retry`),
    myFactors: () => authed<MyFactors>('GET', '/account/factors'),
    removeFactor: (id: string) => authed<void>('DELETE', `/account/factors/${encodeURIComponent(id)}`),
    regenerateRecoveryCodes: () => authed<{ recovery_codes: string[] }>('POST', '/account/recovery-codes'),
    securityKeyOptions: () => authed<WebAuthnOptions>('POST', '/account/webauthn/options'),
    addSecurityKey: (response: unknown, name: string) => authed<MfaFactor>('POST', '/account/webauthn', { response, name }),
  };
}

export type AdminApi = ReturnType<typeof createApi>;

export const signIn = (email: string, password: string) => call<SignedIn | MfaRequired>('POST', '/auth/token', null, { email, password });

export const totpSetup = (mfaToken: string) =>
  call<{ secret: string; otpauth_url: string }>('POST', '/auth/mfa/totp/setup', null, { mfa_token: mfaToken });
export const totpSignIn = (mfaToken: string, code: string) => call<SignedIn>('POST', '/auth/mfa/totp', null, { mfa_token: mfaToken, code });
export const recoverySignIn = (mfaToken: string, code: string) =>
  call<SignedIn>('POST', '/auth/mfa/recovery', null, { mfa_token: mfaToken, code });
export const webauthnOptions = (mfaToken: string) =>
  call<WebAuthnOptions>('POST', '/auth/mfa/webauthn/options', null, { mfa_token: mfaToken });
export const webauthnSignIn = (mfaToken: string, response: unknown, name?: string) =>
  call<SignedIn>('POST', '/auth/mfa/webauthn', null, { mfa_token: mfaToken, response, ...(name ? { name } : {}) });
