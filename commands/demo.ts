import { CheckFailedError } from '../src/errors.js';
import type { DemoResult, DemoStep } from '../src/demo.js';
import { TlskitCommand } from './_lib/base-command.js';

export default class Demo extends TlskitCommand {
  static override summary =
    'Watch tlskit make a key, CSR and certificate, then use them for a real TLS handshake.';
  static override description =
    "Runs the workflow from Node's TLS docs in a throwaway folder: keygen, csr, a self-signed " +
    'certificate for localhost, and a node:tls handshake on 127.0.0.1 whose client trusts the ' +
    'certificate and verifies the host name (and is refused for another name). Cleans up after itself.';
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --json'];

  async run(): Promise<DemoResult> {
    await this.parse(Demo);
    const { runDemo } = await import('../src/demo.js');
    const result = await runDemo({ onStep: (step) => this.renderStep(step) });
    if (!result.handshake.authorized || result.wrongHost.authorized) {
      throw new CheckFailedError('the demo handshake did not verify as it should', {
        hint: `authorized=${result.handshake.authorized}, wrong host authorized=${result.wrongHost.authorized}`,
      });
    }
    this.renderSummary(result);
    return result;
  }

  private renderStep(step: DemoStep): void {
    if (this.jsonEnabled()) return;
    const { colour } = this.terminal;
    const mark = step.command === 'wrong-host' ? colour.yellow('✗') : colour.green('✓');
    // keygen, csr and sign are what a user would type; the handshakes are plain node:tls.
    const actor = ['keygen', 'csr', 'sign'].includes(step.command)
      ? `tlskit ${step.command}`
      : 'node:tls';
    this.log(`${mark} ${colour.dim(actor.padEnd(17))} ${step.summary}`);
    for (const file of step.files) this.log(`  ${' '.repeat(17)} ${colour.green('→')} ${file}`);
  }

  private renderSummary(result: DemoResult): void {
    if (this.jsonEnabled()) return;
    const { colour } = this.terminal;
    const expires = new Date(result.certificate.notAfter).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    this.log('');
    this.log(
      `The certificate is valid for ${colour.bold(result.certificate.sans.map((san) => san.replace(/^\w+:/, '')).join(', '))} and would expire on ${expires} 🗓`,
    );
    this.log(
      `The client verified it and read ${JSON.stringify(result.handshake.received.trim())} over ${result.handshake.cipher}.`,
    );
    this.log(
      `Removed ${result.folder} — nothing was left behind. Do it yourself: ${colour.bold('tlskit keygen --help')}`,
    );
  }
}
