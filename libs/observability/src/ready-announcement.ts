import type { AppName } from './logging';

export const READY_MESSAGE = 'customer-access:ready';

/** What an app tells `npm start` (scripts/start-all.js) once it is ready, over the IPC channel. */
export interface ReadyMessage {
  type: typeof READY_MESSAGE;
  app: AppName;
  /** The API's: where a person goes (PUBLIC_URL), and where emails end up. */
  publicUrl?: string;
  hostedPages?: boolean;
  /** Absolute MAIL_DIR when SMTP_URL is unset. */
  mailDir?: string;
}

/**
 * Tells the parent that started this process with an IPC channel (npm start) that the app is
 * ready, so that it can print one banner once both are. Without such a parent (start:api,
 * start:worker, containers, tests) it does nothing.
 */
export function announceReady(message: Omit<ReadyMessage, 'type'>): void {
  process.send?.({ type: READY_MESSAGE, ...message });
}
