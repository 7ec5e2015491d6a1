import { AnchorHTMLAttributes, MouseEvent, useEffect, useState } from 'react';

/** The console's screens, under /admin (the API serves the app's page for each of these paths). */
export type Route =
  | { screen: 'customers' }
  | { screen: 'customer'; id: string }
  | { screen: 'password-options' }
  | { screen: 'audit' }
  | { screen: 'not-found' };

export const BASE = '/admin';

export function parseRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '');
  if (path === BASE || path === `${BASE}/customers`) return { screen: 'customers' };
  const customer = /^\/admin\/customers\/([^/]+)$/.exec(path);
  if (customer) return { screen: 'customer', id: decodeURIComponent(customer[1]) };
  if (path === `${BASE}/config/customer-password`) return { screen: 'password-options' };
  if (path === `${BASE}/audit`) return { screen: 'audit' };
  return { screen: 'not-found' };
}

const NAVIGATED = 'admin-console:navigate';

export function navigate(href: string): void {
  window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** The current location, updated on links, back and forward. */
export function useLocation(): { pathname: string; search: string } {
  const read = () => ({ pathname: window.location.pathname, search: window.location.search });
  const [location, setLocation] = useState(read);
  useEffect(() => {
    const update = () => setLocation(read());
    window.addEventListener('popstate', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return location;
}

/** A real link (open in a new tab, copy address) that navigates in place on a plain click. */
export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={follow} {...rest} />;
}
