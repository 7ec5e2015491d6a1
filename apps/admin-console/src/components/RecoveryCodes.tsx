import { ReactNode } from 'react';
import { useI18n } from '../i18n';

/** Recovery codes shown once (after a first enrolment, or new ones from My Account), with "Download". */
export function RecoveryCodes({ codes, email, intro, children }: { codes: string[]; email: string; intro: string; children?: ReactNode }) {
  const { t } = useI18n();
  const download = () => {
    const blob = new Blob([`${t('mfa.recoveryFileTitle', { email })}\n\n${codes.join('\n')}\n`], { type: 'text/plain' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'customer-access-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <>
      <p>{intro}</p>
      <ul className="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <div className="actions">
        <button type="button" className="button button-secondary" onClick={download}>
          {t('mfa.download')}
        </button>
        {children}
      </div>
    </>
  );
}
