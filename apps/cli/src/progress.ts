/** A progress line on a terminal (rewritten in place), or a line per tenth of the work otherwise. */
export function progressReporter(
  total: number,
  label: string,
  out: NodeJS.WriteStream = process.stdout,
): (done: number, note?: string) => void {
  const tty = Boolean(out.isTTY);
  let lastTenth = -1;
  return (done, note = '') => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${note ? ` ${note}` : ''}`;
    if (tty) {
      out.write(`\r${line}\x1b[K${done === total ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor((done / total) * 10);
    if (tenth !== lastTenth || done === total) {
      lastTenth = tenth;
      out.write(`${line}\n`);
    }
  };
}
