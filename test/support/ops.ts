import { request } from './http-client';

/**
 * Helpers for the operability e2e tests: Prometheus text parsing, JSON log lines, polling.
 */

/** The value of the series `name` that carries all `labels` (in any order); undefined if absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = Object.fromEntries(
      [...(match[3] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(match[4]);
  }
  return undefined;
}

export async function scrape(baseUrl: string, path = '/metrics', headers: Record<string, string> = {}): Promise<string> {
  const res = await request(baseUrl, path, { headers: { accept: 'text/plain', ...headers } });
  if (res.status !== 200) throw new Error(`GET ${baseUrl}${path} answered ${res.status}: ${res.text.slice(0, 500)}`);
  return res.text;
}

/** Every line of a process's output parsed as JSON; lines that are not JSON are returned apart. */
export function jsonLines(output: string[]): { lines: Record<string, any>[]; notJson: string[] } {
  const lines: Record<string, any>[] = [];
  const notJson: string[] = [];
  for (const line of output.join('').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line);
      if (parsed && typeof parsed === 'object') lines.push(parsed);
      else notJson.push(line);
    } catch {
      notJson.push(line);
    }
  }
  return { lines, notJson };
}

/** Polls `probe` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
