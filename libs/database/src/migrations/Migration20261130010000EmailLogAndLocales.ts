import { Migration } from '@mikro-orm/migrations';

/** The locales this migration knew as supported (frozen here: a migration must mean the same forever). */
const SUPPORTED_AT_THE_TIME = ['en', 'zh-CN'];

/**
 * The email delivery log (issue 10), and customers' locales rewritten as BCP 47 tags as registration
 * now stores them (`zh_CN` → `zh-CN`, `en_US` → `en`, `fr_FR` → `fr-FR`).
 */
export class Migration20261130010000EmailLogAndLocales extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table email_log (
        id uuid primary key,
        customer_id uuid not null,
        template text not null,
        origin text not null,
        locale text not null,
        status text not null,
        attempts integer not null,
        requested_at timestamptz not null,
        sent_at timestamptz null,
        message_id text null,
        smtp_response text null,
        last_error text null,
        reset_token_id uuid null,
        updated_at timestamptz not null
      );`);
    // The timeline: one customer's emails, newest first. Retention purges by requested_at.
    this.addSql(`create index email_log_customer_idx on email_log (customer_id, requested_at);`);
    this.addSql(`create index email_log_requested_at_idx on email_log (requested_at);`);

    const locales = await this.execute('select distinct locale from customer');
    for (const { locale } of locales as Array<{ locale: string }>) {
      const stored = storableAtTheTime(locale);
      if (stored && stored !== locale) this.addSql(this.getKnex().raw('update customer set locale = ? where locale = ?', [stored, locale]));
    }
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists email_log;');
  }
}

/** What registration stored at the time of this migration (libs/i18n storableLocaleTag, frozen). */
function storableAtTheTime(input: string): string | undefined {
  let tag: string;
  try {
    tag = Intl.getCanonicalLocales(input.trim().replace(/_/g, '-'))[0];
  } catch {
    return undefined;
  }
  const wanted = new Intl.Locale(tag).maximize();
  let scriptMatch: string | undefined;
  for (const locale of SUPPORTED_AT_THE_TIME) {
    const candidate = new Intl.Locale(locale).maximize();
    if (candidate.language !== wanted.language || candidate.script !== wanted.script) continue;
    if (candidate.region === wanted.region) return locale;
    scriptMatch ??= locale;
  }
  return scriptMatch ?? tag;
}
