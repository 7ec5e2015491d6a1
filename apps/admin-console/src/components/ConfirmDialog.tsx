import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../i18n';

/**
 * A modal confirmation on the native <dialog>: the browser keeps focus inside it, Escape cancels,
 * and focus goes back to the button that opened it when it closes.
 */
export function ConfirmDialog({ open, text, onAnswer }: { open: boolean; text: string; onAnswer(confirmed: boolean): void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const textId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={textId}
      onCancel={(event) => {
        event.preventDefault();
        onAnswer(false);
      }}
    >
      <p id={textId} className="dialog-text">
        {text}
      </p>
      <div className="actions">
        {/* The safe answer has the focus first: Enter right away does not revoke anything. */}
        <button type="button" className="button button-secondary" autoFocus onClick={() => onAnswer(false)}>
          {t('common.cancel')}
        </button>
        <button type="button" className="button button-primary" onClick={() => onAnswer(true)}>
          {t('common.ok')}
        </button>
      </div>
    </dialog>
  );
}
