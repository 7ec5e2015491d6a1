/** The SMTP reply code of a failed send, when the server gave one (nodemailer sets `responseCode`). */
export function smtpResponseCode(error: unknown): number | undefined {
  const code = (error as { responseCode?: unknown } | null)?.responseCode;
  return typeof code === 'number' ? code : undefined;
}

/** A 5xx reply is the server refusing the message for good (RFC 5321 §4.2.1): retrying cannot help. */
export function isPermanentSmtpFailure(error: unknown): boolean {
  const code = smtpResponseCode(error);
  return code !== undefined && code >= 500 && code < 600;
}

/** One line for the delivery log: the reply code and the message, e.g. "550 Mailbox unavailable". */
export function describeSendFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = smtpResponseCode(error);
  return code !== undefined && !message.includes(String(code)) ? `${code} ${message}` : message;
}
