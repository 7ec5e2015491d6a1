import { Queue } from 'bullmq';
import { LOCAL_WAKE_WINDOW_MS, WEBHOOK_WAKE_JOB, WebhookQueue } from './webhook-queue';

describe('WebhookQueue.wake', () => {
  const setup = () => {
    const add = jest.fn().mockResolvedValue(undefined);
    const queue = new WebhookQueue({ add } as unknown as Queue);
    return { add, queue };
  };

  afterEach(() => jest.useRealTimers());

  it('adds a wake-up job when this process has no deliverer', async () => {
    const { add, queue } = setup();
    await queue.wake();
    expect(add).toHaveBeenCalledWith(WEBHOOK_WAKE_JOB, {}, expect.objectContaining({ jobId: expect.stringMatching(/^wake-\d+$/) }));
  });

  it("claims in process, at once for the first wake-up and once at the window's end for the others, with no job", async () => {
    jest.useFakeTimers();
    const { add, queue } = setup();
    const claim = jest.fn().mockReturnValue(true);
    queue.useLocalDeliverer(claim);
    await queue.wake();
    expect(claim).toHaveBeenCalledTimes(1);
    await queue.wake();
    await queue.wake();
    expect(claim).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(LOCAL_WAKE_WINDOW_MS - 1);
    expect(claim).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1);
    expect(claim).toHaveBeenCalledTimes(2);
    jest.advanceTimersByTime(1000);
    expect(claim).toHaveBeenCalledTimes(2);
    await queue.wake();
    expect(claim).toHaveBeenCalledTimes(3);
    expect(add).not.toHaveBeenCalled();
  });

  it('adds the job when the deliverer declines (the queue paused), now or at the window end', async () => {
    jest.useFakeTimers();
    const { add, queue } = setup();
    let paused = false;
    const claim = jest.fn(() => !paused);
    queue.useLocalDeliverer(claim);
    await queue.wake();
    expect(add).not.toHaveBeenCalled();
    paused = true;
    await queue.wake();
    jest.advanceTimersByTime(LOCAL_WAKE_WINDOW_MS);
    expect(add).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(LOCAL_WAKE_WINDOW_MS);
    await queue.wake();
    expect(add).toHaveBeenCalledTimes(2);
  });
});
