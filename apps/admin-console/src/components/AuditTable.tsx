import { AuditEvent } from '../api';
import { useI18n } from '../i18n';
import { Link } from '../router';
import { auditActionLabel, detailsText } from '../screens/labels';

export function AuditTable({ events, label, showCustomer }: { events: AuditEvent[]; label: string; showCustomer: boolean }) {
  const { t, formatDate } = useI18n();
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.admin')}</th>
            <th scope="col">{t('audit.action')}</th>
            {showCustomer && <th scope="col">{t('audit.customer')}</th>}
            <th scope="col">{t('audit.ip')}</th>
            <th scope="col">{t('audit.details')}</th>
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
              <td className="break">{event.adminEmail}</td>
              <td>{auditActionLabel(t, event.action)}</td>
              {showCustomer && (
                <td>
                  {event.customerId ? (
                    <Link href={`/admin/customers/${encodeURIComponent(event.customerId)}`}>{t('audit.viewCustomer')}</Link>
                  ) : (
                    '—'
                  )}
                </td>
              )}
              <td>{event.clientIp ?? '—'}</td>
              <td className="break">{detailsText(event.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
