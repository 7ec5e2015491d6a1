/**
 * Outcome messages, announced by screen readers: the two live regions are always in the page, and
 * only their content changes (a region added together with its text is often not announced).
 */
export interface Message {
  /** `info`: nothing went wrong, and nothing was done either (such as "This customer has no tokens."). */
  kind: 'success' | 'info' | 'error';
  text: string;
}

export function Messages({ message }: { message: Message | null }) {
  return (
    <div className="messages">
      <div role="status" aria-live="polite">
        {(message?.kind === 'success' || message?.kind === 'info') && <p className={`message message-${message.kind}`}>{message.text}</p>}
      </div>
      <div role="alert">{message?.kind === 'error' && <p className="message message-error">{message.text}</p>}</div>
    </div>
  );
}
