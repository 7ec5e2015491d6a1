import { Logger } from '@nestjs/common';
import { OUTBOX_SWEEP_BATCH, OutboxService } from '@customer-access/notification';
import { OutboxSweeper } from './outbox-sweeper';

describe('OutboxSweeper', () => {
  let logged: Record<'log' | 'debug' | 'warn' | 'error', jest.SpyInstance>;

  beforeEach(() => {
    jest.useFakeTimers();
    const quiet = () => undefined;
    logged = {
      log: jest.spyOn(Logger.prototype, 'log').mockImplementation(quiet),
      debug: jest.spyOn(Logger.prototype, 'debug').mockImplementation(quiet),
      warn: jest.spyOn(Logger.prototype, 'warn').mockImplementation(quiet),
      error: jest.spyOn(Logger.prototype, 'error').mockImplementation(quiet),
    };
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** One sweep (the first tick of its timer) over relay answers `answers`; resolves when it is done. */
  async function sweepOnce(...answers: Array<number | Error>): Promise<jest.Mock> {
    let lastCall!: () => void;
    const allCalled = new Promise<void>((resolve) => (lastCall = resolve));
    let calls = 0;
    const relay = jest.fn(async (): Promise<number> => {
      const answer = answers[calls++];
      if (calls === answers.length) lastCall();
      if (answer instanceof Error) throw answer;
      return answer;
    });
    const sweeper = new OutboxSweeper({ relay } as unknown as OutboxService);
    sweeper.onApplicationBootstrap();
    jest.advanceTimersByTime(2000);
    await allCalled;
    await sweeper.onApplicationShutdown(); // stops the timer, waits for the sweep under way
    return relay;
  }

  const lines = (spy: jest.SpyInstance): string[] => spy.mock.calls.map((call) => String(call[0]));

  it('logs a routine relay at debug, not at info', async () => {
    const relay = await sweepOnce(3);
    expect(relay).toHaveBeenCalledTimes(1);
    expect(lines(logged.debug)).toEqual(['Relayed 3 pending outbox message(s)']);
    expect(logged.log).not.toHaveBeenCalled();
    expect(logged.warn).not.toHaveBeenCalled();
  });

  it('goes on at once after a full batch, each batch at debug', async () => {
    const relay = await sweepOnce(OUTBOX_SWEEP_BATCH, 7);
    expect(relay).toHaveBeenCalledTimes(2);
    expect(lines(logged.debug)).toEqual([`Relayed ${OUTBOX_SWEEP_BATCH} pending outbox message(s)`, 'Relayed 7 pending outbox message(s)']);
    expect(logged.log).not.toHaveBeenCalled();
  });

  it('logs nothing for a sweep that found nothing', async () => {
    await sweepOnce(0);
    for (const spy of Object.values(logged)) expect(spy).not.toHaveBeenCalled();
  });

  it('warns of a sweep that failed', async () => {
    await sweepOnce(new Error('connection terminated'));
    expect(lines(logged.warn)).toEqual(['Outbox sweep failed, will retry: connection terminated']);
    expect(logged.log).not.toHaveBeenCalled();
  });
});
