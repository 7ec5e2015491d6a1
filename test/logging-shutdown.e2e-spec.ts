import { NO_RESET_THROTTLING, uniqueEmail } from './support/helpers';
import { ExtraApi, ProcessGroup, signalAndWait } from './support/processes';
import { jsonLines } from './support/ops';
import { Stack, startStack } from './support/stack';

const FORGOT = '/api/v1/customers/password/forgot';

/**
 * The API writes its log lines to stdout asynchronously (libs/observability/src/logging.ts: a
 * buffer, one write for many lines). Nothing may be lost to that buffer: every request answered
 * has its access line in the output once the API has stopped on SIGTERM, including the requests
 * answered in the last moments before the signal.
 */
describe('access log at shutdown (e2e)', () => {
  let stack: Stack;
  let group: ProcessGroup;
  let api: ExtraApi;

  beforeAll(async () => {
    stack = await startStack({ settings: NO_RESET_THROTTLING, worker: false, logLevel: 'info' });
    group = new ProcessGroup(stack);
    api = await group.api('api-logs');
  });

  afterAll(async () => {
    await group?.stopAll();
    await stack?.stop();
  });

  it('writes every access line before the process exits on SIGTERM', async () => {
    const answered: string[] = [];
    const send = async (k: number): Promise<void> => {
      const requestId = `shutdown-log-${k}`;
      try {
        const res = await api.api(FORGOT, { json: { email: uniqueEmail(`log${k}`) }, headers: { 'x-request-id': requestId } });
        if (res.status === 202) answered.push(requestId);
      } catch {
        // Refused or cut off by the shutdown: no answer, so no line is owed.
      }
    };
    // A steady load, 16 at a time, so that lines pile up in the buffer; then SIGTERM while the last
    // requests are still going out and being answered.
    let next = 0;
    const lanes = Array.from({ length: 16 }, async () => {
      while (next < 600) await send(next++);
    });
    while (answered.length < 400) await new Promise((resolve) => setTimeout(resolve, 5));
    const exit = signalAndWait(api.proc, 'SIGTERM', 20_000);
    await Promise.all(lanes);
    expect(await exit).toBe(0);

    expect(answered.length).toBeGreaterThanOrEqual(400);
    const { lines, notJson } = jsonLines(api.proc.output);
    expect(notJson).toEqual([]);
    const logged = new Map(lines.filter((l) => typeof l.requestId === 'string' && l.res).map((l) => [l.requestId as string, l]));
    const missing = answered.filter((id) => !logged.has(id));
    expect(missing).toEqual([]);
    // The line keeps its fields (docs/operations.md): level, message, request, status, duration.
    expect(logged.get(answered[answered.length - 1])).toMatchObject({
      level: 'info',
      app: 'api',
      msg: `POST ${FORGOT} 202`,
      req: { method: 'POST', url: FORGOT },
      res: { statusCode: 202 },
      durationMs: expect.any(Number),
    });
  });
});
