/**
 * The import's reader thread (customer-import.ts starts it from the compiled build): reads, checks and
 * batches the file, and posts the batches to the thread that writes them (read-batches-port.ts).
 */
import { MessagePort, parentPort } from 'node:worker_threads';
import { postBatches } from './read-batches-port';

postBatches(parentPort as MessagePort);
