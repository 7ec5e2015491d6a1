import { lookup } from 'node:dns/promises';
import { Agent, buildConnector, request } from 'undici';
import { DestinationPolicy, DestinationRefused, bareHost } from './destination-policy';

export type SendResult = { kind: 'response'; status: number } | { kind: 'refused'; reason: string } | { kind: 'error'; message: string };

/** How much of a receiver's answer is read (and thrown away) before the connection is reused. */
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs webhooks with undici. Every new connection goes through `connect` below: the host is
 * resolved once, every address it resolves to is checked (DestinationPolicy), and the connection
 * is made to that checked address, never to a second lookup's answer (so DNS rebinding cannot
 * slip a private address in between). TLS still names the original host (SNI, certificate check).
 * Redirects are not followed (undici follows none unless told), and one attempt is bounded by
 * `timeoutMs` from connecting to the end of the answer.
 */
export class WebhookSender {
  private readonly agent: Agent;

  constructor(
    private readonly policy: DestinationPolicy,
    private readonly timeoutMs: number,
    resolve: (hostname: string) => Promise<string[]> = async (hostname) =>
      (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address),
  ) {
    const connectTo = buildConnector({ timeout: timeoutMs });
    this.agent = new Agent({
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      connectTimeout: timeoutMs,
      keepAliveTimeout: 4000,
      connect: (options, callback) => {
        const hostname = options.hostname;
        const checked = DestinationPolicy.isLiteral(hostname) ? Promise.resolve([bareHost(hostname)]) : resolve(hostname);
        checked
          .then((addresses) => {
            if (addresses.length === 0) throw new DestinationRefused(`${hostname} does not resolve`);
            for (const address of addresses) {
              const problem = this.policy.addressProblem(hostname, address);
              if (problem) throw new DestinationRefused(problem);
            }
            // The checked address, and the original host for TLS (servername) and Host.
            connectTo(
              { ...options, hostname: addresses[0], servername: DestinationPolicy.isLiteral(hostname) ? undefined : bareHost(hostname) },
              callback,
            );
          })
          .catch((error: Error) => callback(error, null));
      },
    });
  }

  async send(url: string, body: string, headers: Record<string, string>): Promise<SendResult> {
    const urlProblem = this.policy.urlProblem(url);
    if (urlProblem) return { kind: 'refused', reason: urlProblem };
    const { hostname } = new URL(url);
    // An IP literal is refused before undici is even asked (never a connection to it).
    if (DestinationPolicy.isLiteral(hostname)) {
      const problem = this.policy.addressProblem(hostname, hostname);
      if (problem) return { kind: 'refused', reason: problem };
    }
    try {
      const answer = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', 'user-agent': 'customer-access-webhooks', ...headers },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await answer.body.dump({ limit: MAX_ANSWER_BYTES }).catch(() => undefined);
      return { kind: 'response', status: answer.statusCode };
    } catch (error) {
      const refused = findRefusal(error);
      if (refused) return { kind: 'refused', reason: refused.reason };
      const e = error as Error & { code?: string };
      if (e.name === 'TimeoutError' || e.name === 'AbortError' || /Timeout/.test(e.code ?? '')) {
        return { kind: 'error', message: `no answer within ${this.timeoutMs} ms` };
      }
      return { kind: 'error', message: `${e.code ? `${e.code}: ` : ''}${e.message}` };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

function findRefusal(error: unknown): DestinationRefused | null {
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof DestinationRefused) return e;
  }
  return null;
}
