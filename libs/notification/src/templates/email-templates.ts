import { EmailTemplateName } from '../email-log/email-log-entry.entity';

/** One block of an email's body, in reading order. Keys are catalogue keys under `email.`. */
export type EmailBlock =
  | { kind: 'heading'; key: string }
  | { kind: 'paragraph'; key: string }
  /** The reset link as a button (HTML) and on a line of its own (text), with `linkFallback` before it in HTML. */
  | { kind: 'link'; key: string };

export interface EmailTemplateDefinition {
  name: EmailTemplateName;
  subject: string;
  preheader: string;
  blocks: EmailBlock[];
  /** Whether the email carries the reset link (and so needs resetLink, hours and expiresAt). */
  hasResetLink: boolean;
}

function resetEmail(name: EmailTemplateName, section: string): EmailTemplateDefinition {
  return {
    name,
    subject: `${section}.subject`,
    preheader: `${section}.preheader`,
    hasResetLink: true,
    blocks: [
      { kind: 'heading', key: `${section}.heading` },
      { kind: 'paragraph', key: 'common.greeting' },
      { kind: 'paragraph', key: `${section}.intro` },
      { kind: 'paragraph', key: `${section}.action` },
      { kind: 'link', key: `${section}.button` },
      { kind: 'paragraph', key: 'common.expiry' },
      { kind: 'paragraph', key: `${section}.ignore` },
    ],
  };
}

/** The customer emails (docs/api.md, Admin routes). Their texts are the catalogues' `email` section. */
export const EMAIL_TEMPLATES: Readonly<Record<EmailTemplateName, EmailTemplateDefinition>> = Object.freeze({
  'password-reset': resetEmail('password-reset', 'passwordReset'),
  'admin-password-reset': resetEmail('admin-password-reset', 'adminPasswordReset'),
  'password-changed': {
    name: 'password-changed',
    subject: 'passwordChanged.subject',
    preheader: 'passwordChanged.preheader',
    hasResetLink: false,
    blocks: [
      { kind: 'heading', key: 'passwordChanged.heading' },
      { kind: 'paragraph', key: 'common.greeting' },
      { kind: 'paragraph', key: 'passwordChanged.intro' },
      { kind: 'paragraph', key: 'passwordChanged.signedOut' },
      { kind: 'paragraph', key: 'passwordChanged.ignore' },
    ],
  },
  'email-changed': {
    name: 'email-changed',
    subject: 'emailChanged.subject',
    preheader: 'emailChanged.preheader',
    hasResetLink: false,
    blocks: [
      { kind: 'heading', key: 'emailChanged.heading' },
      { kind: 'paragraph', key: 'common.greeting' },
      { kind: 'paragraph', key: 'emailChanged.intro' },
      { kind: 'paragraph', key: 'emailChanged.ignore' },
    ],
  },
});

/** Footer lines of every email, after the signature. */
export const FOOTER_KEYS = ['common.support', 'common.reason'] as const;
export const SIGNATURE_KEY = 'common.signature';
export const LINK_FALLBACK_KEY = 'common.linkFallback';
