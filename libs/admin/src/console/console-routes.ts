/**
 * The admin console's screens, in one place: the API answers each of these paths with the app's
 * page (so a reload or a bookmark works, and any other path under /admin stays a 404), and the
 * app's router picks the screen from the same table. Plain data with no imports, so the console's
 * bundle can take it as it is.
 */
export const CONSOLE_BASE = '/admin';

export const CONSOLE_SCREENS = {
  customers: '/customers',
  customer: '/customers/:id',
  passwordOptions: '/config/customer-password',
  audit: '/audit',
  stores: '/stores',
  webhooks: '/webhooks',
  account: '/account',
} as const;

export type ConsoleScreen = keyof typeof CONSOLE_SCREENS;

/** The screen at the base path itself (`/admin`, `/admin/`). */
export const CONSOLE_HOME: ConsoleScreen = 'customers';

/** Every path the server answers with the console's page, in Fastify's `:param` form. */
export function consolePagePaths(): string[] {
  return [CONSOLE_BASE, `${CONSOLE_BASE}/`, ...Object.values(CONSOLE_SCREENS).map((path) => `${CONSOLE_BASE}${path}`)];
}

type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? { [K in Name]: string } & ParamsOf<Rest>
  : P extends `${string}:${infer Name}`
    ? { [K in Name]: string }
    : Record<never, never>;

/** A screen's address, its parameters encoded: `consoleHref('customer', { id })`. */
export function consoleHref<S extends ConsoleScreen>(
  screen: S,
  ...[params]: keyof ParamsOf<(typeof CONSOLE_SCREENS)[S]> extends never ? [] : [ParamsOf<(typeof CONSOLE_SCREENS)[S]>]
): string {
  const path = CONSOLE_SCREENS[screen].replace(/:(\w+)/g, (_, name: string) =>
    encodeURIComponent((params as Record<string, string>)[name]),
  );
  return `${CONSOLE_BASE}${path}`;
}

/** The screen a path shows, with its decoded parameters; null for a path that is no screen. */
export function matchConsolePath(pathname: string): { screen: ConsoleScreen; params: Record<string, string> } | null {
  const path = pathname.replace(/\/+$/, '');
  if (path === CONSOLE_BASE) return { screen: CONSOLE_HOME, params: {} };
  for (const [screen, pattern] of Object.entries(CONSOLE_SCREENS) as Array<[ConsoleScreen, string]>) {
    const names: string[] = [];
    const regex = new RegExp(`^${CONSOLE_BASE}${pattern.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
    const match = regex.exec(path);
    if (match) return { screen, params: Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])])) };
  }
  return null;
}
