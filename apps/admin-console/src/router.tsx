import { AnchorHTMLAttributes, MouseEvent, useEffect, useState } from 'react';
import { ConsoleScreen, matchConsolePath } from '../../../libs/admin/src/console/console-routes';

export { consoleHref as href } from '../../../libs/admin/src/console/console-routes';

/** The screen the address shows (the route table in libs/admin/src/console, which the server serves too). */
export type Route = { screen: Exclude<ConsoleScreen, 'customer'> } | { screen: 'customer'; id: string } | { screen: 'not-found' };

export function parseRoute(pathname: string): Route {
  const match = matchConsolePath(pathname);
  if (!match) return { screen: 'not-found' };
  if (match.screen === 'customer') return { screen: 'customer', id: match.params.id };
  return { screen: match.screen };
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
