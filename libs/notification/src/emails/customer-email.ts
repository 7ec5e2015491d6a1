import { EmailOrigin, EmailTemplateName } from '../email-log/email-log-entry.entity';
import { MailJob, MailJobPayloads } from '../mail-jobs';

/** The customer an email is about: whom it greets, and in which language it is written. */
export interface EmailCustomer {
  id: string;
  /** The stored address. */
  email: string;
  firstName: string;
  lastName: string;
  locale: string | null;
  /** The store view the account registered in: its admin and confirmation emails come from it. */
  storeViewCode?: string;
}

/** A reset token the worker has just issued. The raw token exists only in memory and in the email. */
export interface IssuedReset {
  customer: EmailCustomer;
  /** The token row's id (for the delivery log; it opens nothing). */
  tokenId: string;
  rawToken: string;
  expiresAt: Date;
  expiresInHours: number;
}

/** Where the emails load their data from: the worker binds these to the customers and password-reset libs. */
export interface EmailSources {
  /** Storefront request through store view `storeView`: null when no account has this address (in its website, unless accounts are global). */
  issueResetForEmail(email: string, storeView: string | undefined): Promise<IssuedReset | null>;
  /** Admin request: null when the customer no longer exists. */
  issueResetForCustomer(customerId: string): Promise<IssuedReset | null>;
  /** customers:invite: a link valid invitationLinkExpirationHours; null when the customer no longer exists. */
  issueInvitation(customerId: string): Promise<IssuedReset | null>;
  findCustomer(customerId: string): Promise<(EmailCustomer & { passwordChangedAt: Date }) | null>;
}

/** Links in emails, built from the email's store view's baseUrl (or STOREFRONT_URL) only, never from a request. */
export interface EmailLinks {
  /** The reset link of an email about `customer` (the worker picks the store view by the rules of docs/api.md, Stores). */
  resetLink(rawToken: string, customer: EmailCustomer): string;
}

/** The queue job an email is sent for. */
export interface EmailJob {
  /** When the job was queued: the time the email was asked for. */
  requestedAt: Date;
}

/** What previews are made of: a sample customer in the preview's language, now, the current link lifetime. */
export interface EmailSample {
  customer: EmailCustomer;
  now: Date;
  resetLinkExpirationHours: number;
  /** A token that is visibly a sample and can never work. */
  rawToken: string;
}

/**
 * The values of an email's own placeholders (the customer's name, the store's name and its support
 * address are given to every email). A Date is written in the email's language and the store's time zone.
 */
export type EmailVars = Readonly<Record<string, string | number | Date>>;

/** One block of an email's body, in reading order. Keys are catalogue keys under `email.`. */
export type EmailBlock =
  | { kind: 'heading'; key: string }
  | { kind: 'paragraph'; key: string }
  /** The reset link (`{{resetLink}}`) as a button (HTML) and on a line of its own (text), with `common.linkFallback` before it in HTML. */
  | { kind: 'link'; key: string };

/** What an email says: catalogue keys under `email.` for its subject and preheader, and its body. */
export interface EmailBody {
  subject: string;
  preheader: string;
  blocks: readonly EmailBlock[];
}

/** One email ready to render and send. */
export interface PreparedEmail {
  customer: EmailCustomer;
  /** The address it goes to. */
  to: string;
  vars: EmailVars;
  /** Reset emails: the token row the link belongs to. */
  resetTokenId: string | null;
  /** The email_log row the API already wrote as queued, if it did. */
  logId?: string;
}

/**
 * Everything about one customer email, declared together: the job that sends it, what it says,
 * what it loads, whom it goes to, its placeholders' values, and the sample its previews show.
 * `Data` is what `load` finds; recipient, variables and sample are all stated in terms of it, so a
 * preview runs the same `vars` as a real email.
 */
export interface CustomerEmailSpec<N extends MailJob, Data> {
  template: EmailTemplateName;
  job: N;
  origin: EmailOrigin;
  body: EmailBody;
  /** Loads what the email is about; null: no email, for `skipReason`. */
  load(payload: MailJobPayloads[N], sources: EmailSources, job: EmailJob): Promise<Data | null>;
  skipReason: string;
  customer(data: Data): EmailCustomer;
  /** Where it goes. The customer's stored address unless stated. */
  recipient?(data: Data, payload: MailJobPayloads[N]): string;
  vars(data: Data, links: EmailLinks): EmailVars;
  resetTokenId?(data: Data): string;
  logId?(payload: MailJobPayloads[N]): string | undefined;
  /** The data of previews and test sends. */
  sample(sample: EmailSample): Data;
}

/** A declared customer email, its data type sealed in: what the worker and the previews use. */
export interface CustomerEmail<N extends MailJob = MailJob> {
  readonly template: EmailTemplateName;
  readonly job: N;
  readonly origin: EmailOrigin;
  readonly body: EmailBody;
  readonly skipReason: string;
  /** The email the job asks for, or null when there is none to send (see skipReason). */
  prepare(payload: MailJobPayloads[N], sources: EmailSources, links: EmailLinks, job: EmailJob): Promise<PreparedEmail | null>;
  /** The email with sample data and a sample link: previews and test sends. */
  preview(sample: EmailSample, links: EmailLinks): PreparedEmail;
}

export function defineCustomerEmail<N extends MailJob, Data>(spec: CustomerEmailSpec<N, Data>): CustomerEmail<N> {
  const prepared = (data: Data, links: EmailLinks, to: string | undefined, logId: string | undefined): PreparedEmail => {
    const customer = spec.customer(data);
    return { customer, to: to ?? customer.email, vars: spec.vars(data, links), resetTokenId: spec.resetTokenId?.(data) ?? null, logId };
  };
  return {
    template: spec.template,
    job: spec.job,
    origin: spec.origin,
    body: spec.body,
    skipReason: spec.skipReason,
    async prepare(payload, sources, links, job) {
      const data = await spec.load(payload, sources, job);
      return data === null ? null : prepared(data, links, spec.recipient?.(data, payload), spec.logId?.(payload));
    },
    preview: (sample, links) => prepared(spec.sample(sample), links, undefined, undefined),
  };
}
