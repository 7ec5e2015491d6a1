import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AddressObject, simpleParser } from 'mailparser';

/** What `mail:last` prints of an email: enough to follow its link without a mail client. */
export interface MailSummary {
  file: string;
  subject: string;
  to: string[];
  date: Date | undefined;
  /** Every http(s) link of the text part, in order; the first is the email's action link. */
  links: string[];
}

/**
 * The newest .eml file under `dir` (as the development transport writes them, SMTP_URL unset),
 * or the newest one addressed to `to`. The bodies are base64 or quoted-printable, so they are
 * parsed, not grepped. Newest is by modification time, then by name (the names start with an ISO time).
 */
export async function newestMail(dir: string, to?: string): Promise<MailSummary | undefined> {
  const root = resolve(dir);
  let names: string[];
  try {
    names = (await readdir(root)).filter((name) => name.endsWith('.eml'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const files = await Promise.all(
    names.map(async (name) => ({ path: join(root, name), name, mtime: (await stat(join(root, name))).mtimeMs })),
  );
  files.sort((a, b) => b.mtime - a.mtime || b.name.localeCompare(a.name));
  const wanted = to?.trim().toLowerCase();
  for (const file of files) {
    const summary = await summarize(file.path);
    if (!wanted || summary.to.some((address) => address.toLowerCase() === wanted)) return summary;
  }
  return undefined;
}

export async function summarize(path: string): Promise<MailSummary> {
  const mail = await simpleParser(await readFile(path));
  const text = mail.text ?? '';
  const links = [...new Set(text.match(/https?:\/\/[^\s<>"')\]]+/g) ?? [])];
  return { file: path, subject: mail.subject ?? '', to: addresses(mail.to), date: mail.date, links };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.map((address) => address.address ?? '')).filter(Boolean);
}

export function formatMail(mail: MailSummary): string {
  const [link, ...others] = mail.links;
  return [
    `Subject: ${mail.subject}`,
    `To:      ${mail.to.join(', ')}`,
    ...(mail.date ? [`Date:    ${mail.date.toISOString()}`] : []),
    `File:    ${mail.file}`,
    `Link:    ${link ?? '(none)'}`,
    ...others.map((other) => `         ${other}`),
  ].join('\n');
}
