import { TerraformSession } from '../support/lifecycle';
import { providerConfig, sshSimHost } from '../support/sim';
import { startSshd, type Sshd } from '../support/sshd';

let sshd: Sshd;
beforeAll(async () => { sshd = await startSshd(); });
afterAll(async () => { await sshd?.stop(); });

test('smoke', async () => {
  const host = sshSimHost(sshd);
  const tf = await TerraformSession.start({ env: { TF_LOG_PROVIDER: 'trace' } });
  try {
    await tf.configure(providerConfig(host));
    const cfg = tf.config('xen_pci_assignable', { bdf: '03:00.0' });
    const { state } = await tf.applyConfig('xen_pci_assignable', null, cfg);
    console.log(state);
    const d = await tf.readData('xen_pci_devices', {});
    console.log(JSON.stringify(d).slice(0, 400));
  } catch (e) {
    console.log(tf.provider.stderrLines.slice(-30).join('\n'));
    console.log(sshd.log());
    throw e;
  } finally {
    await tf.close();
  }
  console.log('logins', sshd.logins());
}, 60000);
