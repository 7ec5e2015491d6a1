import { useEffect, useState } from 'react';
import { AdminApi, AuditEvent, Page } from '../api';
import { AuditTable } from '../components/AuditTable';
import { Messages } from '../components/Messages';
import { Pager, PAGE_SIZES } from '../components/Pager';
import { useI18n } from '../i18n';

export function AuditLog({ api }: { api: AdminApi }) {
  const { t } = useI18n();
  const [paging, setPaging] = useState({ page: 1, pageSize: PAGE_SIZES[0] });
  const [result, setResult] = useState<Page<AuditEvent> | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let current = true;
    api.auditEvents(paging).then(
      (page) => current && setResult(page),
      () => current && setFailed(true),
    );
    return () => {
      current = false;
    };
  }, [api, paging]);

  return (
    <>
      <Messages message={failed ? { kind: 'error', text: t('common.unavailable') } : null} />
      {result && (
        <>
          <Pager
            page={result.page}
            pageSize={result.pageSize}
            total={result.total}
            onChange={(page, pageSize) => setPaging({ page, pageSize })}
          />
          <AuditTable events={result.items} label={t('audit.title')} showCustomer />
        </>
      )}
    </>
  );
}
