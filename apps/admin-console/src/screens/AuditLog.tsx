import { FormEvent, useEffect, useId, useState } from 'react';
import { AdminApi, AuditEvent, AuditFilter, Page } from '../api';
import { AuditTable } from '../components/AuditTable';
import { Message, Messages } from '../components/Messages';
import { Pager, PAGE_SIZES } from '../components/Pager';
import { useI18n } from '../i18n';
import { href, Link, navigate } from '../router';
import { AUDIT_ACTION_CODES, auditActionLabel } from './labels';

/** The filters as the address holds them: dates as the date fields give them (YYYY-MM-DD, local days). */
interface Query {
  action: string;
  adminId: string;
  customerId: string;
  from: string;
  to: string;
  page: number;
  pageSize: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function readQuery(search: string): Query {
  const params = new URLSearchParams(search);
  const text = (name: string) => params.get(name) ?? '';
  const date = (name: string) => (DATE.test(text(name)) ? text(name) : '');
  const size = Number.parseInt(text('pageSize'), 10);
  return {
    action: AUDIT_ACTION_CODES.includes(text('action')) ? text('action') : '',
    adminId: text('adminId'),
    customerId: text('customerId'),
    from: date('from'),
    to: date('to'),
    page: Math.max(1, Number.parseInt(text('page') || '1', 10) || 1),
    pageSize: PAGE_SIZES.includes(size) ? size : PAGE_SIZES[0],
  };
}

function hrefFor(query: Partial<Query>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === '' || value === undefined || (key === 'page' && value === 1) || (key === 'pageSize' && value === PAGE_SIZES[0])) continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${href('audit')}${qs ? `?${qs}` : ''}`;
}

/** Local days to the API's instants: from the start of `from` to the end of `to`. */
function toFilter(query: Query): AuditFilter {
  const startOf = (day: string, plusDays = 0) => {
    const date = new Date(`${day}T00:00:00`);
    date.setDate(date.getDate() + plusDays);
    return date.toISOString();
  };
  return {
    action: query.action || undefined,
    adminId: query.adminId || undefined,
    customerId: query.customerId || undefined,
    from: query.from ? startOf(query.from) : undefined,
    to: query.to ? startOf(query.to, 1) : undefined,
  };
}

/** Saves a file the browser already holds (no second request, no token in an address). */
export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AuditLog({ api, locationSearch }: { api: AdminApi; locationSearch: string }) {
  const { t } = useI18n();
  const query = readQuery(locationSearch);
  const ids = { action: useId(), from: useId(), to: useId() };
  const [result, setResult] = useState<Page<AuditEvent> | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [exporting, setExporting] = useState(false);

  useEffect(() => {
    let current = true;
    const q = readQuery(locationSearch);
    api.auditEvents({ ...toFilter(q), page: q.page, pageSize: q.pageSize }).then(
      (page) => {
        if (!current) return;
        setResult(page);
        setMessage(null);
      },
      () => current && setMessage({ kind: 'error', text: t('common.unavailable') }),
    );
    return () => {
      current = false;
    };
  }, [api, locationSearch, t]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '');
    navigate(hrefFor({ ...query, action: value('action'), from: value('from'), to: value('to'), page: 1 }));
  };

  const exportCsv = async () => {
    if (exporting) return;
    setExporting(true);
    try {
      const { blob, filename } = await api.exportAudit(toFilter(query));
      download(blob, filename);
    } catch {
      setMessage({ kind: 'error', text: t('audit.exportFailed') });
    } finally {
      setExporting(false);
    }
  };

  // Names for the admin and customer filters, from the events they select.
  const first = result?.items[0];
  const adminName = query.adminId ? (first?.adminId === query.adminId ? first.adminEmail : query.adminId) : '';
  const customerName = query.customerId ? (first?.customerId === query.customerId && first.customerName) || query.customerId : '';
  const chips = [
    query.adminId && { text: t('audit.adminFilter', { email: adminName }), remove: hrefFor({ ...query, adminId: '', page: 1 }) },
    query.customerId && { text: t('audit.customerFilter', { name: customerName }), remove: hrefFor({ ...query, customerId: '', page: 1 }) },
  ].filter((chip): chip is { text: string; remove: string } => Boolean(chip));

  return (
    <>
      <form className="filters card" onSubmit={submit} aria-label={t('audit.filters')} key={locationSearch}>
        <div className="filters-row">
          <div className="field">
            <label htmlFor={ids.action}>{t('audit.action')}</label>
            <select id={ids.action} name="action" defaultValue={query.action}>
              <option value="">{t('audit.allActions')}</option>
              {AUDIT_ACTION_CODES.map((code) => (
                <option key={code} value={code}>
                  {auditActionLabel(t, code)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.from}>{t('audit.from')}</label>
            <input id={ids.from} name="from" type="date" defaultValue={query.from} />
          </div>
          <div className="field">
            <label htmlFor={ids.to}>{t('audit.to')}</label>
            <input id={ids.to} name="to" type="date" defaultValue={query.to} />
          </div>
        </div>
        {chips.length > 0 && (
          <ul className="chips" aria-label={t('audit.activeFilters')}>
            {chips.map((chip) => (
              <li key={chip.remove}>
                <span>{chip.text}</span>{' '}
                <Link href={chip.remove} aria-label={t('audit.removeFilter', { filter: chip.text })}>
                  ×
                </Link>
              </li>
            ))}
          </ul>
        )}
        <div className="actions">
          <button type="submit" className="button button-primary">
            {t('audit.apply')}
          </button>
          <Link className="button button-secondary" href={href('audit')}>
            {t('audit.clear')}
          </Link>
          <button type="button" className="button button-secondary" aria-disabled={exporting} onClick={() => void exportCsv()}>
            {t('audit.export')}
          </button>
        </div>
      </form>
      <Messages message={message} />
      {result && (
        <>
          <Pager
            page={result.page}
            pageSize={result.pageSize}
            total={result.total}
            onChange={(page, pageSize) => navigate(hrefFor({ ...query, page, pageSize }))}
          />
          <AuditTable
            events={result.items}
            label={t('audit.title')}
            showCustomer
            filterHref={(filter) => hrefFor({ ...query, ...filter, page: 1 })}
          />
        </>
      )}
    </>
  );
}
