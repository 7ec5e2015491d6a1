import { AuditEvent } from '../api';
import { useI18n } from '../i18n';
import { href, Link } from '../router';
import { auditActionLabel, detailLines } from '../screens/labels';

/**
 * Admin actions, newest first. On the Audit Log (`filterHref` given) each admin and customer also
 * links to the log filtered to them.
 */
export function AuditTable(props: {
  events: AuditEvent[];
  label: string;
  showCustomer: boolean;
  filterHref?: (filter: { adminId: string } | { customerId: string }) => string;
}) {
  const { events, label, showCustomer, filterHref } = props;
  const { t, formatDate, formatNumber } = useI18n();
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.admin')}</th>
            <th scope="col">{t('audit.action')}</th>
            {showCustomer && <th scope="col">{t('audit.customer')}</th>}
            <th scope="col">{t('audit.details')}</th>
            <th scope="col">{t('audit.ip')}</th>
          </tr>
        </thead>
        <tbody>
          {events.length === 0 && (
            <tr>
              <td colSpan={showCustomer ? 6 : 5}>{t('audit.none')}</td>
            </tr>
          )}
          {events.map((event) => (
            <tr key={event.id}>
              <td>{formatDate(event.createdAt)}</td>
              <td className="break">
                {event.adminEmail}
                {filterHref && event.adminId && (
                  <Link className="filter-link" href={filterHref({ adminId: event.adminId })}>
                    {t('audit.onlyAdmin')}
                  </Link>
                )}
              </td>
              <td>{auditActionLabel(t, event.action)}</td>
              {showCustomer && (
                <td>
                  {event.customerId ? (
                    <>
                      {event.customerName ? (
                        <Link href={href('customer', { id: event.customerId })}>{event.customerName}</Link>
                      ) : (
                        <span className="muted">{t('audit.deletedCustomer')}</span>
                      )}
                      {filterHref && (
                        <Link className="filter-link" href={filterHref({ customerId: event.customerId })}>
                          {t('audit.onlyCustomer')}
                        </Link>
                      )}
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              )}
              <td className="details-cell">
                <ul className="plain-list">
                  {detailLines(t, formatNumber, event.action, event.details).map((line, i) => (
                    <li key={i}>{line}</li>
                  ))}
                </ul>
              </td>
              <td>{event.clientIp ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
