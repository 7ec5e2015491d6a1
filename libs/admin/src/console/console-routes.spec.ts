import { CONSOLE_SCREENS, consoleHref, consolePagePaths, matchConsolePath } from './console-routes';

describe('console routes (server and client read the same table)', () => {
  it('lists every screen for the server, and the base', () => {
    expect(consolePagePaths()).toEqual([
      '/admin',
      '/admin/',
      '/admin/customers',
      '/admin/customers/:id',
      '/admin/config/customer-password',
      '/admin/audit',
      '/admin/stores',
      '/admin/webhooks',
      '/admin/account',
    ]);
  });

  it('matches each screen back from the address it builds', () => {
    expect(matchConsolePath(consoleHref('customer', { id: 'a b/c' }))).toEqual({ screen: 'customer', params: { id: 'a b/c' } });
    for (const screen of ['customers', 'passwordOptions', 'audit', 'stores', 'webhooks', 'account'] as const) {
      expect(matchConsolePath(consoleHref(screen))).toEqual({ screen, params: {} });
      expect(matchConsolePath(`${consoleHref(screen)}/`)).toEqual({ screen, params: {} });
    }
    expect(Object.keys(CONSOLE_SCREENS)).toHaveLength(7);
  });

  it('opens the grid at the base, and knows no other path', () => {
    expect(matchConsolePath('/admin')).toEqual({ screen: 'customers', params: {} });
    expect(matchConsolePath('/admin/')).toEqual({ screen: 'customers', params: {} });
    for (const path of ['/admin/nope', '/admin/customers/1/2', '/customers', '/admin/auditx']) expect(matchConsolePath(path)).toBeNull();
  });
});
