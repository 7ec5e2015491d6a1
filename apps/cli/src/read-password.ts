import type { Readable, Writable } from 'node:stream';

type Input = Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };

/**
 * The password of `admin:create`, from (in order) `--password`, a terminal prompt that echoes
 * nothing, or standard input when it is not a terminal (`printf %s "$PW" | npm run cli -- ...`).
 * The last two keep the password out of the shell history and the process list. Returns '' when
 * none was given (the command then reports it as missing).
 */
export async function readPassword(
  flag: string | undefined,
  input: Input = process.stdin,
  prompt: Writable = process.stderr,
): Promise<string> {
  if (flag !== undefined) return flag;
  return input.isTTY && input.setRawMode ? promptWithoutEcho(input, prompt) : readToEnd(input);
}

async function readToEnd(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) text += chunk.toString();
  // One trailing line break is the end of the line, not part of the password.
  return text.replace(/\r?\n$/, '');
}

function promptWithoutEcho(input: Input, prompt: Writable): Promise<string> {
  prompt.write('Password (not shown): ');
  input.setRawMode!(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let password = '';
    const finish = (error?: Error) => {
      input.setRawMode!(false);
      input.pause();
      input.off('data', onData);
      prompt.write('\n');
      if (error) reject(error);
      else resolve(password);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003') return finish(new Error('Cancelled.'));
        if (char === '\u007f' || char === '\b') password = [...password].slice(0, -1).join('');
        else password += char;
      }
    };
    input.on('data', onData);
  });
}
