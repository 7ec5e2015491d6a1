import { ReactNode, useEffect, useId, useRef, useState } from 'react';
import { AdminApi } from '../api';
import { LANGUAGE_NAMES, Locale, LOCALES, useI18n } from '../i18n';
import { href, Link, Route } from '../router';
import { can, Session } from '../session';

/** The queue dashboard (bull-board), served by the API beside the console. */
const QUEUE_DASHBOARD = '/admin/queues';

export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  const id = useId();
  return (
    <div className="language">
      <label htmlFor={id}>{t('common.language')}</label>
      <select id={id} value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {(Object.keys(LOCALES) as Locale[]).map((code) => (
          <option key={code} value={code} lang={code}>
            {LANGUAGE_NAMES[code]}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The header of the signed-out screens (Sign In, Two-Factor Authentication): the name and the language. */
export function SignedOutHeader() {
  const { t } = useI18n();
  return (
    <header className="header">
      <p className="brand">{t('app.title')}</p>
      <div className="header-tools">
        <LanguageSwitch />
      </div>
    </header>
  );
}

/**
 * The page around every screen: skip link, header with the admin and the language, the menu, and
 * the screen's heading, which takes the focus when the screen changes so that a screen reader
 * announces where the admin now is.
 */
export function Layout(props: {
  session: Session;
  api: AdminApi;
  route: Route;
  title: string;
  breadcrumbs?: Array<{ label: string; href?: string }>;
  onSignOut(): void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  const [dashboardError, setDashboardError] = useState<string | null>(null);
  const screenKey = props.route.screen === 'customer' ? `customer:${props.route.id}` : props.route.screen;

  useEffect(() => {
    document.title = `${props.title} · ${t('app.title')}`;
  }, [props.title, t]);
  // A new screen moves the focus to its heading; the first one (a page load, or right after
  // signing in) leaves it at the top of the page, as a page load does, so the skip link comes first.
  const shownScreen = useRef(screenKey);
  useEffect(() => {
    if (shownScreen.current === screenKey) return;
    shownScreen.current = screenKey;
    heading.current?.focus();
  }, [screenKey]);

  /**
   * The dashboard opens in a new tab, so the console stays where it was. The tab is opened during
   * the click (a tab opened after an await is taken for a pop-up and blocked) and sent to the
   * dashboard once its short-lived cookie, scoped to /admin/queues, is set.
   */
  const openQueueDashboard = async () => {
    setDashboardError(null);
    const tab = window.open('about:blank', '_blank');
    if (tab) tab.opener = null;
    try {
      await props.api.openQueueDashboard();
      if (tab) tab.location.href = QUEUE_DASHBOARD;
      else window.location.assign(QUEUE_DASHBOARD);
    } catch {
      tab?.close();
      setDashboardError(t('nav.queueDashboardFailed'));
    }
  };

  const current = (screen: Route['screen']) => (props.route.screen === screen ? 'page' : undefined);
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="header">
        <p className="brand">{t('app.title')}</p>
        <div className="header-tools">
          <LanguageSwitch />
          <p className="who">
            <span className="visually-hidden">{t('header.signedInAs')} </span>
            {props.session.email}
          </p>
          <button type="button" className="button button-header" onClick={props.onSignOut}>
            {t('header.signOut')}
          </button>
        </div>
      </header>
      <nav className="menu" aria-label={t('nav.label')}>
        <ul>
          <li>
            <span className="menu-group">{t('nav.customers')}</span>
            <ul>
              <li>
                <Link href={href('customers')} aria-current={current('customers')}>
                  {t('nav.allCustomers')}
                </Link>
              </li>
            </ul>
          </li>
          {can(props.session, 'stores.manage') && (
            <li>
              <span className="menu-group">{t('nav.stores')}</span>
              <ul>
                <li>
                  <Link href={href('stores')} aria-current={current('stores')}>
                    {t('nav.allStores')}
                  </Link>
                </li>
              </ul>
            </li>
          )}
          {can(props.session, 'webhooks.manage') && (
            <li>
              <Link href={href('webhooks')} aria-current={current('webhooks')}>
                {t('nav.webhooks')}
              </Link>
            </li>
          )}
          {can(props.session, 'config.manage') && (
            <li>
              <Link href={href('passwordOptions')} aria-current={current('passwordOptions')}>
                {t('nav.passwordOptions')}
              </Link>
            </li>
          )}
          <li>
            <Link href={href('audit')} aria-current={current('audit')}>
              {t('nav.auditLog')}
            </Link>
          </li>
          <li>
            <Link href={href('account')} aria-current={current('account')}>
              {t('nav.myAccount')}
            </Link>
          </li>
          {can(props.session, 'queues.view') && (
            <li>
              <button type="button" className="menu-button" onClick={() => void openQueueDashboard()}>
                {t('nav.queueDashboard')}
                <span className="visually-hidden"> {t('nav.opensInNewTab')}</span>
              </button>
            </li>
          )}
        </ul>
        {dashboardError && (
          <p role="alert" className="message message-error">
            {dashboardError}
          </p>
        )}
      </nav>
      <main id="main" className="main">
        {props.breadcrumbs && (
          <nav aria-label={t('nav.breadcrumb')} className="breadcrumbs">
            <ol>
              {props.breadcrumbs.map((crumb, i) => (
                <li key={i}>{crumb.href ? <Link href={crumb.href}>{crumb.label}</Link> : <span>{crumb.label}</span>}</li>
              ))}
            </ol>
          </nav>
        )}
        <h1 ref={heading} tabIndex={-1}>
          {props.title}
        </h1>
        {props.children}
      </main>
    </>
  );
}
