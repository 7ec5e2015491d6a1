import { createHash } from 'node:crypto';

/** The SHA-1 of a password, upper-case hex, split as the range API wants it: 5 characters leave, 35 stay. */
export function pwnedHashParts(password: string): { prefix: string; suffix: string } {
  const hex = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
  return { prefix: hex.slice(0, 5), suffix: hex.slice(5) };
}

const RANGE_LINE = /^([0-9A-F]{35}):(\d+)\s*$/;

/**
 * The suffixes of a range answer (`SUFFIX:COUNT` per line) that were really seen in a breach: the
 * padding lines that `Add-Padding: true` adds carry a count of 0 and are dropped. Lines that are not
 * of the form are ignored.
 */
export function breachedSuffixes(body: string): string[] {
  const suffixes: string[] = [];
  for (const line of body.split('\n')) {
    const match = RANGE_LINE.exec(line.trim().toUpperCase());
    if (match && Number(match[2]) > 0) suffixes.push(match[1]);
  }
  return suffixes;
}
