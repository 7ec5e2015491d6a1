import { PinoLogger } from 'nestjs-pino';
import { storage } from 'nestjs-pino/storage';
import pino from 'pino';
import { LogContext, LogScope } from './log-context';

describe('LogScope', () => {
  const setup = (level: string) => {
    const lines: Array<Record<string, unknown>> = [];
    const base = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const child = jest.spyOn(base, 'child');
    return { lines, base, child };
  };

  it('makes no child logger for lines its level drops, and tags the lines it writes with the scope and its later fields', () => {
    const { lines, base, child } = setup('warn');
    const logContext = new LogContext({} as PinoLogger);
    new LogScope(base, { jobId: '7', empty: undefined }).run(() => {
      storage.getStore()!.logger.info('dropped');
      expect(child).not.toHaveBeenCalled();
      logContext.assign({ customerId: 'c-1' });
      storage.getStore()!.logger.warn('kept');
    });
    expect(lines).toEqual([expect.objectContaining({ msg: 'kept', jobId: '7', customerId: 'c-1' })]);
    expect(lines[0]).not.toHaveProperty('empty');
    expect(child).toHaveBeenCalledTimes(1);
  });

  it('keeps concurrent scopes apart', async () => {
    const { lines, base } = setup('info');
    await Promise.all(
      ['a', 'b'].map((id) =>
        new LogScope(base, { requestId: id }).run(async () => {
          await new Promise((resolve) => setTimeout(resolve, id === 'a' ? 10 : 1));
          storage.getStore()!.logger.info(`line of ${id}`);
        }),
      ),
    );
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ['line of b', 'b'],
      ['line of a', 'a'],
    ]);
  });
});
