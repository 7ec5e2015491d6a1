import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { createApi, Customer } from './api';
import { Layout } from './components/Layout';
import { useI18n } from './i18n';
import { href, navigate, parseRoute, Route, useLocation } from './router';
import { SignIn } from './screens/SignIn';
import { can, loadSession, saveSession, Session } from './session';

// Each screen behind sign-in is its own chunk, fetched when first shown: the sign-in page loads only
// what it needs (a build check holds it to a size budget, scripts/console-budget.js).
const AuditLog = lazy(() => import('./screens/AuditLog').then((m) => ({ default: m.AuditLog })));
const CustomerDetail = lazy(() => import('./screens/CustomerDetail').then((m) => ({ default: m.CustomerDetail })));
const Customers = lazy(() => import('./screens/Customers').then((m) => ({ default: m.Customers })));
const Stores = lazy(() => import('./screens/Stores').then((m) => ({ default: m.Stores })));
const Webhooks = lazy(() => import('./screens/Webhooks').then((m) => ({ default: m.Webhooks })));
const MyAccount = lazy(() => import('./screens/MyAccount').then((m) => ({ default: m.MyAccount })));
const PasswordOptions = lazy(() => import('./screens/PasswordOptions').then((m) => ({ default: m.PasswordOptions })));

export function App() {
  const { t } = useI18n();
  const location = useLocation();
  const route = parseRoute(location.pathname);
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);
  const [customer, setCustomer] = useState<Customer | null>(null);

  const signOut = useCallback((reason: string | null) => {
    saveSession(null);
    setNotice(reason);
    setSession(null);
  }, []);
  const expire = useCallback(() => signOut(t('signIn.expired')), [signOut, t]);

  // Back to sign-in when the token's time is up, not only at the next refused request.
  useEffect(() => {
    if (!session) return;
    const timer = window.setTimeout(expire, Math.max(0, session.expiresAt - Date.now()));
    return () => window.clearTimeout(timer);
  }, [session, expire]);

  const api = useMemo(() => (session ? createApi(session.token, expire) : null), [session, expire]);
  const onCustomerLoaded = useCallback((c: Customer | null) => setCustomer(c), []);

  if (!session || !api) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(next) => {
          saveSession(next);
          setNotice(null);
          setSession(next);
          if (route.screen === 'not-found') navigate(href('customers'));
        }}
      />
    );
  }

  const customersCrumbs = [{ label: t('nav.customers') }, { label: t('nav.allCustomers'), href: href('customers') }];
  const screen = ((r: Route) => {
    switch (r.screen) {
      case 'customers':
        return {
          title: t('customers.title'),
          crumbs: [{ label: t('nav.customers') }, { label: t('nav.allCustomers') }],
          body: <Customers api={api} locationSearch={location.search} />,
        };
      case 'customer':
        return {
          title: customer && customer.id === r.id ? `${customer.firstName} ${customer.lastName}` : t('customer.title'),
          crumbs: customersCrumbs,
          body: <CustomerDetail key={r.id} api={api} session={session} id={r.id} onLoaded={onCustomerLoaded} />,
        };
      case 'passwordOptions':
        return can(session, 'config.manage')
          ? { title: t('options.title'), body: <PasswordOptions api={api} /> }
          : { title: t('common.forbiddenTitle'), body: <p>{t('common.forbidden')}</p> };
      case 'stores':
        return can(session, 'stores.manage')
          ? { title: t('stores.title'), crumbs: [{ label: t('nav.stores') }, { label: t('nav.allStores') }], body: <Stores api={api} /> }
          : { title: t('common.forbiddenTitle'), body: <p>{t('common.forbidden')}</p> };
      case 'webhooks':
        return can(session, 'webhooks.manage')
          ? { title: t('webhooks.title'), body: <Webhooks api={api} /> }
          : { title: t('common.forbiddenTitle'), body: <p>{t('common.forbidden')}</p> };
      case 'audit':
        return { title: t('audit.title'), body: <AuditLog api={api} locationSearch={location.search} /> };
      case 'account':
        return { title: t('account.title'), body: <MyAccount api={api} session={session} /> };
      case 'not-found':
        return { title: t('common.notFoundTitle'), body: <p>{t('common.notFound')}</p> };
    }
  })(route);

  return (
    <Layout
      session={session}
      api={api}
      route={route}
      title={screen.title}
      breadcrumbs={'crumbs' in screen ? screen.crumbs : undefined}
      onSignOut={() => signOut(null)}
    >
      <Suspense fallback={null}>{screen.body}</Suspense>
    </Layout>
  );
}
