import { forgot, registerCustomer, sleep } from './support/helpers';
import { TcpProxy } from './support/faults';
import { ProcessGroup, signalAndWait } from './support/processes';
import { startStack } from './support/stack';
it('scratch', async () => {
  const stack = await startStack({ settings: { resetProtectionType: 'none' }, worker: false });
  const group = new ProcessGroup(stack);
  const smtp = await TcpProxy.forUrl(stack.sink.url, 25);
  try {
    const w = await group.worker('w', { SMTP_URL: smtp.rewrite(stack.sink.url) });
    const c = await registerCustomer(stack);
    smtp.hold();
    await forgot(stack, c.email);
    await sleep(1000);
    const t0 = Date.now();
    const code = await signalAndWait(w, 'SIGTERM', 20000);
    console.log('exit', code, Date.now() - t0, w.output.join('').slice(-5000));
  } finally { smtp.release(); await group.stopAll(); await stack.stop(); await smtp.close(); }
});
