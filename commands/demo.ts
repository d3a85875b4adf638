import { CheckFailedError } from '../src/errors.js';
import type { DemoResult, DemoStep } from '../src/demo.js';
import { TlskitCommand } from './_lib/base-command.js';

export default class Demo extends TlskitCommand {
  static override summary =
    'Watch tlskit build a small PKI and use it for a mutual-TLS connection.';
  static override description =
    'In a throwaway folder: a CA (ca init); a server key, CSR and certificate for localhost ' +
    '(keygen, csr, ca issue); a client certificate; an echo server on an ephemeral 127.0.0.1 port ' +
    'that requires client certificates (serve); a client that verifies the server and presents ' +
    'its certificate, with one echo round trip and a reconnect that resumes the session ' +
    "(connect); then both sides' summaries. Everything is removed afterwards.";
  static override examples = ['<%= config.bin %> demo', '<%= config.bin %> demo --json'];

  async run(): Promise<DemoResult> {
    await this.parse(Demo);
    const { runDemo } = await import('../src/demo.js');
    const result = await runDemo({ onStep: (step) => this.renderStep(step) });
    const { client, server } = result;
    const resumed = client.reconnects[0]?.resumed === true;
    if (!client.authorized || !client.exchange?.matched || !resumed) {
      throw new CheckFailedError('the demo connection did not work as it should', {
        hint: `verified=${client.authorized}, echo=${client.exchange?.matched}, resumed=${resumed}`,
      });
    }
    if (server.clientCertificates.authorized < 1) {
      throw new CheckFailedError('the demo server did not see the client certificate');
    }
    this.renderSummary(result);
    return result;
  }

  private renderStep(step: DemoStep): void {
    if (this.jsonEnabled()) return;
    const { colour } = this.terminal;
    this.log(
      `${colour.green('✓')} ${colour.dim(`tlskit ${step.command}`.padEnd(26))} ${step.summary}`,
    );
    for (const file of step.files) this.log(`  ${' '.repeat(26)} ${colour.green('→')} ${file}`);
  }

  private renderSummary({ client, server, folder }: DemoResult): void {
    if (this.jsonEnabled()) return;
    const { colour } = this.terminal;
    const received = client.exchange?.received.trim().split('\n').join(' | ') ?? '';
    this.log('');
    this.log(
      `${colour.bold('Client')}: ${client.address} as ${client.servername}, ${client.protocol}, ${client.cipher.standardName}`,
    );
    this.log(`  server certificate verified; it read: ${JSON.stringify(received)}`);
    this.log(
      `  reconnect: ${client.reconnects.map((again) => (again.resumed ? 'resumed' : 'new session')).join(', ')}`,
    );
    this.log(
      `${colour.bold('Server')}: ${server.connections} connections, ${server.secureConnections} handshakes, ${server.resumed} resumed, ${server.clientCertificates.authorized} client certificates verified`,
    );
    this.log(
      `  ${server.plaintextBytesRead} bytes read, ${server.plaintextBytesWritten} written, shut down cleanly`,
    );
    this.log('');
    this.log(
      `Removed ${folder}: nothing was left behind. Try it yourself: ${colour.bold('tlskit ca init --help')}`,
    );
  }
}
