import { lookup } from 'node:dns/promises';
import { setMaxListeners } from 'node:events';
import { createSecureContext } from 'node:tls';
import { Agent, buildConnector, request } from 'undici';
import { DestinationPolicy, DestinationRefused, bareHost } from './destination-policy';

export type SendResult = { kind: 'response'; status: number } | { kind: 'refused'; reason: string } | { kind: 'error'; message: string };

/** How much of a receiver's answer is read (and thrown away) before the connection is reused. */
const MAX_ANSWER_BYTES = 64 * 1024;

/** URLs whose checks are remembered (an endpoint's URL is checked once, not at each send). */
const MAX_CHECKED_URLS = 1000;

/** The headers every request carries besides the signature's. */
const CONTENT_TYPE = 'application/json';
const USER_AGENT = 'customer-access-webhooks';

/**
 * POSTs webhooks with undici. Every new connection goes through `connect` below: the host is
 * resolved once, every address it resolves to is checked (DestinationPolicy), and the connection
 * is made to that checked address, never to a second lookup's answer (so DNS rebinding cannot
 * slip a private address in between). TLS still names the original host (SNI, certificate check).
 * Redirects are not followed (undici follows none unless told), and one attempt is bounded by
 * `timeoutMs` from connecting to the end of the answer, give or take a hundredth of it: the attempts
 * that start within the same hundredth (at most 100 ms) share one abort signal and its one timer,
 * which fires `timeoutMs` after that slice ends (`AbortSignal.timeout` per request, its timer and
 * its DOMException, was ~2.5 % of the worker's busy time; docs/performance.md, "Webhooks").
 *
 * Connections are kept alive and reused per origin (as long as the receiver's `Keep-Alive` allows),
 * at most `connectionsPerOrigin` of them (the deliverer's WEBHOOK_CONCURRENCY: no more can be in
 * flight; without the cap undici opened about twice as many, a TLS handshake each), and every TLS
 * connection shares one secure context (the default trust store, NODE_EXTRA_CA_CERTS included)
 * instead of building its own: a new connection's context and handshake cost the worker ~1–2 ms.
 */
export class WebhookSender {
  private readonly agent: Agent;
  /** A URL's check (urlProblem, and the literal's address check): the refusal, or null. */
  private readonly checked = new Map<string, string | null>();
  /** The shared deadline of the attempts starting until `openUntil` (ms, Date.now()). */
  private deadline?: { signal: AbortSignal; openUntil: number };
  private readonly sliceMs: number;

  constructor(
    private readonly policy: DestinationPolicy,
    private readonly timeoutMs: number,
    resolve: (hostname: string) => Promise<string[]> = async (hostname) =>
      (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address),
    connectionsPerOrigin?: number,
  ) {
    this.sliceMs = Math.max(1, Math.min(100, Math.floor(timeoutMs / 100)));
    const connectTo = buildConnector({ timeout: timeoutMs, secureContext: createSecureContext() });
    this.agent = new Agent({
      connections: connectionsPerOrigin ?? null,
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

  async send(url: string, body: string, headers: Readonly<Record<string, string>>): Promise<SendResult> {
    const problem = this.check(url);
    if (problem !== null) return { kind: 'refused', reason: problem };
    try {
      const answer = await request(url, {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': CONTENT_TYPE, 'user-agent': USER_AGENT, ...headers },
        body,
        signal: this.signal(),
      });
      try {
        await answer.body.dump({ limit: MAX_ANSWER_BYTES });
      } catch {
        // The answer's status is what counts; a body cut short only costs the connection.
      }
      return { kind: 'response', status: answer.statusCode };
    } catch (error) {
      const refused = findRefusal(error);
      if (refused) return { kind: 'refused', reason: refused.reason };
      const e = error as Error & { code?: string };
      // Our deadline (TimeoutError, AbortError) or one of undici's own (UND_ERR_HEADERS_TIMEOUT,
      // UND_ERR_BODY_TIMEOUT, UND_ERR_CONNECT_TIMEOUT at timeoutMs): the shared deadline runs up to a
      // slice later than undici's, so either may fire first; both are the same timeout to a reader.
      if (e.name === 'TimeoutError' || e.name === 'AbortError' || /timeout/i.test(e.code ?? '')) {
        return { kind: 'error', message: `no answer within ${this.timeoutMs} ms` };
      }
      return { kind: 'error', message: `${e.code ? `${e.code}: ` : ''}${e.message}` };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /**
   * The refusal of a URL before any connection (its form; an IP literal's address, so that no
   * connection is ever made to it), or null. Pure in the URL and the policy: remembered.
   */
  private check(url: string): string | null {
    let problem = this.checked.get(url);
    if (problem === undefined) {
      problem = this.policy.urlProblem(url);
      if (problem === null) {
        const { hostname } = new URL(url);
        if (DestinationPolicy.isLiteral(hostname)) problem = this.policy.addressProblem(hostname, hostname);
      }
      if (this.checked.size >= MAX_CHECKED_URLS) this.checked.clear();
      this.checked.set(url, problem);
    }
    return problem;
  }

  /** The abort signal of an attempt starting now: shared by those of the same slice (see the class). */
  private signal(): AbortSignal {
    const now = Date.now();
    if (this.deadline === undefined || now >= this.deadline.openUntil) {
      const controller = new AbortController();
      // One listener per attempt in flight (undici's), removed when it ends: no leak to warn of.
      setMaxListeners(0, controller.signal);
      setTimeout(
        () => controller.abort(new DOMException(`no answer within ${this.timeoutMs} ms`, 'TimeoutError')),
        this.timeoutMs + this.sliceMs,
      ).unref();
      this.deadline = { signal: controller.signal, openUntil: now + this.sliceMs };
    }
    return this.deadline.signal;
  }
}

function findRefusal(error: unknown): DestinationRefused | null {
  for (let e = error as { cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e instanceof DestinationRefused) return e;
  }
  return null;
}
