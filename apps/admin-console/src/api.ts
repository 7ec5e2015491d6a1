/** The admin routes the console uses (docs/api.md, Admin routes), all under /api/v1/admin. */

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
}

export interface AuditEvent {
  id: string;
  createdAt: string;
  action: string;
  adminEmail: string;
  customerId: string | null;
  clientIp: string | null;
  details: Record<string, unknown>;
}

/** GET /admin/customers/:id/emails (docs/api.md, Admin routes). */
export interface EmailLogItem {
  id: string;
  template: string;
  origin: string;
  locale: string;
  status: string;
  attempts: number;
  requestedAt: string;
  sentAt: string | null;
  messageId: string | null;
  lastError: string | null;
  link?: string | null;
}

export type Settings = Record<string, number | string | boolean>;

export interface SignedIn {
  access_token: string;
  expires_in: number;
  role: string;
  permissions: string[];
}

const BASE = '/api/v1/admin';

async function call<T>(method: string, path: string, token: string | null, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${BASE}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiFailure(0, 'NETWORK', 'The service cannot be reached.');
  }
  const text = await response.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (json ?? {}) as Partial<ApiError>;
    throw new ApiFailure(response.status, error.code ?? `HTTP_${response.status}`, error.message ?? response.statusText);
  }
  return json as T;
}

/** A client bound to one admin's token; `onUnauthorized` runs on any 401 (expired or revoked). */
export function createApi(token: string, onUnauthorized: () => void) {
  const authed = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    try {
      return await call<T>(method, path, token, body);
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) onUnauthorized();
      throw error;
    }
  };
  return {
    customers: (query: { search: string; page: number; pageSize: number }) => {
      const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
      if (query.search) params.set('search', query.search);
      return authed<Page<Customer>>('GET', `/customers?${params}`);
    },
    customer: (id: string) => authed<Customer>('GET', `/customers/${encodeURIComponent(id)}`),
    customerEmails: (id: string) => authed<{ items: EmailLogItem[] }>('GET', `/customers/${encodeURIComponent(id)}/emails`),
    resetPassword: (id: string) => authed<{ message: string }>('POST', `/customers/${encodeURIComponent(id)}/password-reset`),
    forceSignIn: (id: string) => authed<{ revoked: number; message: string }>('POST', `/customers/${encodeURIComponent(id)}/force-sign-in`),
    auditEvents: (query: { customerId?: string; page: number; pageSize: number }) => {
      const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
      if (query.customerId) params.set('customerId', query.customerId);
      return authed<Page<AuditEvent>>('GET', `/audit-events?${params}`);
    },
    settings: () => authed<Settings>('GET', '/config/customer-password'),
    saveSettings: (patch: Settings) => authed<Settings>('PUT', '/config/customer-password', patch),
    openQueueDashboard: () => authed<void>('POST', '/queue-dashboard/session'),
  };
}

export type AdminApi = ReturnType<typeof createApi>;

export const signIn = (email: string, password: string) => call<SignedIn>('POST', '/auth/token', null, { email, password });
