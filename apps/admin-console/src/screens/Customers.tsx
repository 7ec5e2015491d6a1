import { FormEvent, useEffect, useId, useState } from 'react';
import { AdminApi, Customer, Page, Website } from '../api';
import { Messages } from '../components/Messages';
import { Pager, PAGE_SIZES } from '../components/Pager';
import { languageLabel, useI18n } from '../i18n';
import { href, Link, navigate } from '../router';

/** Search, page and page size live in the address, so Back and a bookmark return to the same list. */
function readQuery(search: string) {
  const params = new URLSearchParams(search);
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const size = Number.parseInt(params.get('pageSize') ?? '', 10);
  return {
    search: params.get('search') ?? '',
    website: params.get('website') ?? '',
    page,
    pageSize: PAGE_SIZES.includes(size) ? size : PAGE_SIZES[0],
  };
}

function hrefFor(query: { search: string; website: string; page: number; pageSize: number }): string {
  const params = new URLSearchParams();
  if (query.search) params.set('search', query.search);
  if (query.website) params.set('website', query.website);
  if (query.page > 1) params.set('page', String(query.page));
  if (query.pageSize !== PAGE_SIZES[0]) params.set('pageSize', String(query.pageSize));
  const qs = params.toString();
  return `${href('customers')}${qs ? `?${qs}` : ''}`;
}

export function Customers({ api, locationSearch }: { api: AdminApi; locationSearch: string }) {
  const { t, formatDate, formatNumber } = useI18n();
  const query = readQuery(locationSearch);
  const searchId = useId();
  const websiteId = useId();
  const [result, setResult] = useState<Page<Customer> | null>(null);
  const [failed, setFailed] = useState(false);
  // The websites by name, for the filter and the column; a role without stores.manage cannot list
  // them, and filters by the website's code instead.
  const [websites, setWebsites] = useState<Website[] | 'unlisted' | null>(null);

  useEffect(() => {
    let current = true;
    api.websites().then(
      (list) => current && setWebsites(list),
      () => current && setWebsites('unlisted'),
    );
    return () => {
      current = false;
    };
  }, [api]);
  const websiteName = (code: string | undefined) =>
    !code ? '—' : (Array.isArray(websites) && websites.find((w) => w.code === code)?.name) || code;

  useEffect(() => {
    let current = true;
    api.customers(readQuery(locationSearch)).then(
      (page) => {
        if (!current) return;
        setResult(page);
        setFailed(false);
      },
      () => current && setFailed(true),
    );
    return () => {
      current = false;
    };
  }, [api, locationSearch]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const search = String(form.get('search') ?? '').trim();
    const website = String(form.get('website') ?? '').trim();
    navigate(hrefFor({ ...query, search, website, page: 1 }));
  };

  return (
    <>
      <form className="search" role="search" onSubmit={submit} key={locationSearch}>
        <div className="search-row">
          <div className="search-keyword">
            <label htmlFor={searchId}>{t('customers.search')}</label>
            <input id={searchId} name="search" type="search" defaultValue={query.search} />
          </div>
          {websites && (
            <div className="search-website">
              <label htmlFor={websiteId}>{t(websites === 'unlisted' ? 'customers.websiteCode' : 'customers.website')}</label>
              {websites === 'unlisted' ? (
                <input id={websiteId} name="website" type="text" autoComplete="off" spellCheck={false} defaultValue={query.website} />
              ) : (
                <select id={websiteId} name="website" defaultValue={query.website}>
                  <option value="">{t('customers.allWebsites')}</option>
                  {[
                    ...websites,
                    ...(query.website && !websites.some((w) => w.code === query.website)
                      ? [{ code: query.website, name: query.website }]
                      : []),
                  ].map((w) => (
                    <option key={w.code} value={w.code}>
                      {w.name}
                    </option>
                  ))}
                </select>
              )}
            </div>
          )}
          <button type="submit" className="button button-primary">
            {t('customers.searchButton')}
          </button>
        </div>
      </form>
      <Messages message={failed ? { kind: 'error', text: t('common.unavailable') } : null} />
      {result && (
        <>
          <Pager
            page={result.page}
            pageSize={result.pageSize}
            total={result.total}
            onChange={(page, pageSize) => navigate(hrefFor({ ...query, page, pageSize }))}
          />
          <div className="table-wrap" role="region" aria-label={t('customers.tableLabel')} tabIndex={0}>
            <table className="grid">
              <thead>
                <tr>
                  <th scope="col">{t('customers.name')}</th>
                  <th scope="col">{t('customers.email')}</th>
                  <th scope="col">{t('customers.website')}</th>
                  <th scope="col">{t('customers.locale')}</th>
                  <th scope="col">{t('customers.since')}</th>
                  <th scope="col" className="numeric">
                    {t('customers.activeTokens')}
                  </th>
                  <th scope="col">{t('customers.action')}</th>
                </tr>
              </thead>
              <tbody>
                {result.items.length === 0 && (
                  <tr>
                    <td colSpan={7}>{t('customers.none')}</td>
                  </tr>
                )}
                {result.items.map((customer) => (
                  <tr key={customer.id}>
                    <td>
                      {customer.firstName} {customer.lastName}
                    </td>
                    <td className="break">{customer.email}</td>
                    <td>{websiteName(customer.websiteCode)}</td>
                    <td lang={customer.locale}>{languageLabel(customer.locale)}</td>
                    <td>{formatDate(customer.createdAt)}</td>
                    <td className="numeric">{formatNumber(customer.activeTokenCount)}</td>
                    <td>
                      <Link href={href('customer', { id: customer.id })}>
                        {t('customers.edit')}
                        <span className="visually-hidden">
                          {' '}
                          {customer.firstName} {customer.lastName}
                        </span>
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}
