import { PassThrough, Readable } from 'node:stream';
import { readPassword } from './read-password';

function terminal(keys: string[]): PassThrough & { isTTY: boolean; setRawMode: jest.Mock } {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: jest.fn() });
  setImmediate(() => keys.forEach((k) => input.write(k)));
  return input;
}

function output(): PassThrough & { text: () => string } {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  return Object.assign(out, { text: () => text });
}

describe('readPassword (admin:create)', () => {
  it('takes --password when given', async () => {
    expect(await readPassword('from-flag', Readable.from(['ignored']))).toBe('from-flag');
  });

  it('reads standard input when it is not a terminal, without the final line break', async () => {
    expect(await readPassword(undefined, Readable.from(['correct-horse-', 'battery-staple\n']))).toBe('correct-horse-battery-staple');
    expect(await readPassword(undefined, Readable.from([]))).toBe('');
  });

  it('prompts on a terminal in raw mode and never echoes what is typed', async () => {
    const input = terminal(['s3cr', 'et-x', '\u007f', '-pass\r']);
    const prompt = output();
    expect(await readPassword(undefined, input, prompt)).toBe('s3cret--pass');
    expect(input.setRawMode.mock.calls).toEqual([[true], [false]]);
    expect(prompt.text()).toBe('Password (not shown): \n');
  });

  it('gives up on Ctrl-C', async () => {
    await expect(readPassword(undefined, terminal(['abc\u0003']), output())).rejects.toThrow('Cancelled.');
  });
});
