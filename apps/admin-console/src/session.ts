/**
 * The signed-in admin. Kept in sessionStorage (this tab only, gone when it closes), never in
 * localStorage: a token that outlives the tab is a token left behind on a shared computer.
 */
export interface Session {
  token: string;
  email: string;
  role: string;
  permissions: string[];
  /** Epoch milliseconds. */
  expiresAt: number;
}

const KEY = 'customer-access.admin-session';

export function loadSession(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return session && typeof session.token === 'string' && session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

export const can = (session: Session, permission: string): boolean => session.permissions.includes(permission);
