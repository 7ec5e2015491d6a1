import type { MessagePort, Transferable, Worker } from 'node:worker_threads';
import { ImportFileError } from './import-rows';
import { ReadOptions, ReadPiece, readBatches } from './read-batches';

/**
 * The file's batches read on another thread (read-batches-worker.ts) and handed over through a
 * message port, so that this thread does nothing but talk to PostgreSQL: each round trip of a batch
 * (begin, the transaction's time, the COPY, commit) is answered at once instead of after the next
 * ~10 ms piece of parsing. The messages:
 *   to the reader:   { start: ReadOptions }, then { written: 1 } for each batch written;
 *   from the reader: { piece: ReadPiece } (its batches' COPY data moved, not copied), then
 *                    { end: true }, or { failed: { message, fileError } }.
 * The reader stays at most MAX_AHEAD batches ahead of the writes (a batch's COPY data is about
 * 2 MiB), so memory does not grow with the file: one being written on each of the import's two
 * connections, and two more ready, so that a connection that finishes finds its next batch waiting.
 */
export const MAX_AHEAD = 4;

type ToReader = { start: ReadOptions } | { written: number };
type FromReader = { piece: ReadPiece } | { end: true } | { failed: { message: string; fileError: boolean } };

/** The reader's side: waits for its options, then posts what each piece of the file gave. */
export function postBatches(port: MessagePort): void {
  let ahead = 0;
  let wake: (() => void) | null = null;
  const onMessage = (message: ToReader): void => {
    if ('start' in message) void read(message.start);
    else {
      ahead -= message.written;
      wake?.();
    }
  };
  const read = async (options: ReadOptions): Promise<void> => {
    try {
      for await (const piece of readBatches(options)) {
        while (ahead >= MAX_AHEAD) await new Promise<void>((resolve) => (wake = resolve));
        ahead += piece.batches.length;
        post(port, { piece }, movable(piece));
      }
      post(port, { end: true });
    } catch (error) {
      post(port, { failed: { message: (error as Error).message, fileError: error instanceof ImportFileError } });
    }
    // The thread stays until the writer ends it (an exit of its own would mean a failure there).
  };
  port.on('message', onMessage);
}

const post = (port: MessagePort, message: FromReader, transfer: Transferable[] = []): void => port.postMessage(message, transfer);

/** The COPY data of a piece's batches, moved to the other thread when each has a memory of its own (not Buffer's shared pool). */
function movable(piece: ReadPiece): ArrayBuffer[] {
  const moved: ArrayBuffer[] = [];
  for (const { copy } of piece.batches) {
    const buffer = copy?.data.buffer;
    if (copy && buffer instanceof ArrayBuffer && copy.data.byteOffset === 0 && copy.data.byteLength === buffer.byteLength)
      moved.push(buffer);
  }
  return moved;
}

/** The writer's side: the batches of a file read by the reader at the other end of `port`. */
export class BatchesFromPort implements AsyncIterable<ReadPiece> {
  private readonly queue: FromReader[] = [];
  private wake: (() => void) | null = null;

  /** Listens from the start, so that a reader failing early (on loading) is not missed. */
  constructor(private readonly port: MessagePort | Worker) {
    const arrived = (message: FromReader): void => {
      this.queue.push(message);
      this.wake?.();
    };
    port.on('message', arrived);
    // A worker that fails or stops on its own (it never should) ends the import with an error.
    port.on('error', (error: Error) => arrived({ failed: { message: error.message, fileError: false } }));
    port.on('exit', (code: number) =>
      arrived({ failed: { message: `the import's reader stopped (exit code ${code})`, fileError: false } }),
    );
  }

  /** Starts the reading. */
  start(options: ReadOptions): this {
    this.port.postMessage({ start: options } satisfies ToReader);
    return this;
  }

  /** A batch was written: the reader may read one more ahead. */
  written(): void {
    this.port.postMessage({ written: 1 } satisfies ToReader);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ReadPiece> {
    for (;;) {
      while (this.queue.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
      const message = this.queue.shift() as FromReader;
      if ('end' in message) return;
      if ('failed' in message) {
        const { message: text, fileError } = message.failed;
        throw fileError ? new ImportFileError(text) : new Error(text);
      }
      for (const { copy } of message.piece.batches) {
        // Posted as a plain Uint8Array: a Buffer again over the same memory.
        if (copy) copy.data = Buffer.from(copy.data.buffer, copy.data.byteOffset, copy.data.byteLength);
      }
      yield message.piece;
    }
  }
}
