import { EmailTemplateName } from '../email-log/email-log-entry.entity';
import { MailJob } from '../mail-jobs';
import { CustomerEmail, defineCustomerEmail, EmailBody, EmailCustomer, EmailLinks, EmailSample, IssuedReset } from './customer-email';

/** The body of a reset email; its texts are the catalogues' `email.<section>` entries. */
const resetBody = (section: string): EmailBody => ({
  subject: `${section}.subject`,
  preheader: `${section}.preheader`,
  blocks: [
    { kind: 'heading', key: `${section}.heading` },
    { kind: 'paragraph', key: 'common.greeting' },
    { kind: 'paragraph', key: `${section}.intro` },
    { kind: 'paragraph', key: `${section}.action` },
    { kind: 'link', key: `${section}.button` },
    { kind: 'paragraph', key: 'common.expiry' },
    { kind: 'paragraph', key: `${section}.ignore` },
  ],
});

const resetVars = (reset: IssuedReset, links: EmailLinks) => ({
  resetLink: links.resetLink(reset.rawToken, reset.customer),
  hours: reset.expiresInHours,
  expiresAt: reset.expiresAt,
});

const sampleReset = (sample: EmailSample): IssuedReset => ({
  customer: sample.customer,
  tokenId: '00000000-0000-0000-0000-000000000000',
  rawToken: sample.rawToken,
  expiresInHours: sample.resetLinkExpirationHours,
  expiresAt: new Date(sample.now.getTime() + sample.resetLinkExpirationHours * 3600_000),
});

/** Storefront "Forgot Your Password?": a link to the address stored on the account, if there is one. */
export const PASSWORD_RESET_EMAIL = defineCustomerEmail({
  template: 'password-reset',
  job: MailJob.PasswordResetRequested,
  origin: 'storefront',
  body: resetBody('passwordReset'),
  load: ({ email, storeView }, sources) => sources.issueResetForEmail(email, storeView),
  skipReason: 'no account with this email',
  customer: (reset) => reset.customer,
  vars: resetVars,
  resetTokenId: (reset) => reset.tokenId,
  sample: sampleReset,
});

/** An admin's "Reset Password": the same link, worded as sent by customer service. */
export const ADMIN_PASSWORD_RESET_EMAIL = defineCustomerEmail({
  template: 'admin-password-reset',
  job: MailJob.AdminPasswordResetRequested,
  origin: 'admin',
  body: resetBody('adminPasswordReset'),
  load: ({ customerId }, sources) => sources.issueResetForCustomer(customerId),
  skipReason: 'customer no longer exists',
  customer: (reset) => reset.customer,
  vars: resetVars,
  resetTokenId: (reset) => reset.tokenId,
  logId: ({ emailLogId }) => emailLogId,
  sample: sampleReset,
});

/** The confirmation after a completed reset, with the time of the change. */
export const PASSWORD_CHANGED_EMAIL = defineCustomerEmail({
  template: 'password-changed',
  job: MailJob.PasswordChanged,
  origin: 'system',
  body: {
    subject: 'passwordChanged.subject',
    preheader: 'passwordChanged.preheader',
    blocks: [
      { kind: 'heading', key: 'passwordChanged.heading' },
      { kind: 'paragraph', key: 'common.greeting' },
      { kind: 'paragraph', key: 'passwordChanged.intro' },
      { kind: 'paragraph', key: 'passwordChanged.signedOut' },
      { kind: 'paragraph', key: 'passwordChanged.ignore' },
    ],
  },
  load: ({ customerId }, sources) => sources.findCustomer(customerId),
  skipReason: 'customer no longer exists',
  customer: (customer) => customer,
  vars: (customer) => ({ changedAt: customer.passwordChangedAt }),
  sample: ({ customer, now }) => ({ ...customer, passwordChangedAt: now }),
});

/**
 * After an admin changed a customer's email: a notice to the previous address, the one the customer
 * still reads if the change was not theirs. No link: it only tells, and names the support address.
 */
export const EMAIL_CHANGED_EMAIL = defineCustomerEmail<MailJob.EmailChanged, { customer: EmailCustomer; changedAt: Date }>({
  template: 'email-changed',
  job: MailJob.EmailChanged,
  origin: 'admin',
  body: {
    subject: 'emailChanged.subject',
    preheader: 'emailChanged.preheader',
    blocks: [
      { kind: 'heading', key: 'emailChanged.heading' },
      { kind: 'paragraph', key: 'common.greeting' },
      { kind: 'paragraph', key: 'emailChanged.intro' },
      { kind: 'paragraph', key: 'emailChanged.ignore' },
    ],
  },
  load: async ({ customerId }, sources, job) => {
    const customer = await sources.findCustomer(customerId);
    return customer && { customer, changedAt: job.requestedAt };
  },
  skipReason: 'customer no longer exists',
  customer: (notice) => notice.customer,
  recipient: (_notice, { previousEmail }) => previousEmail,
  vars: (notice) => ({ changedAt: notice.changedAt }),
  sample: ({ customer, now }) => ({ customer, changedAt: now }),
});

/**
 * customers:invite: an imported account without a usable password (Shopify exports no hashes) is
 * invited to set one, through the same Set a New Password page, the link valid invitationLinkExpirationHours.
 */
export const ACCOUNT_INVITATION_EMAIL = defineCustomerEmail({
  template: 'account-invitation',
  job: MailJob.AccountInvitation,
  origin: 'system',
  body: {
    subject: 'accountInvitation.subject',
    preheader: 'accountInvitation.preheader',
    blocks: [
      { kind: 'heading', key: 'accountInvitation.heading' },
      { kind: 'paragraph', key: 'common.greeting' },
      { kind: 'paragraph', key: 'accountInvitation.intro' },
      { kind: 'paragraph', key: 'accountInvitation.action' },
      { kind: 'link', key: 'accountInvitation.button' },
      { kind: 'paragraph', key: 'common.expiry' },
      { kind: 'paragraph', key: 'accountInvitation.ignore' },
    ],
  },
  load: ({ customerId }, sources) => sources.issueInvitation(customerId),
  skipReason: 'customer no longer exists',
  customer: (reset) => reset.customer,
  vars: resetVars,
  resetTokenId: (reset) => reset.tokenId,
  logId: ({ emailLogId }) => emailLogId,
  sample: sampleReset,
});

/** Every customer email by its template name (docs/api.md, Admin routes: the email templates). */
export const CUSTOMER_EMAILS: Readonly<Record<EmailTemplateName, CustomerEmail>> = Object.freeze({
  'password-reset': PASSWORD_RESET_EMAIL,
  'admin-password-reset': ADMIN_PASSWORD_RESET_EMAIL,
  'password-changed': PASSWORD_CHANGED_EMAIL,
  'email-changed': EMAIL_CHANGED_EMAIL,
  'account-invitation': ACCOUNT_INVITATION_EMAIL,
});
