import * as Flags from '@oclif/core/flags';
import type { InferredFlags } from '@oclif/core/interfaces';
import { UsageError } from '../src/errors.js';
import type { Palette } from '../src/render/text-tree.js';
import type { ServerEvent } from '../src/tls/server/events.js';
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  SERVER_STARTTLS_PROTOCOLS,
  TLS_VERSIONS,
  parseAlpnList,
  parseSniSpec,
  type ServerOptions,
  type ServerStarttlsProtocol,
} from '../src/tls/server/options.js';
import type { ServerSummary } from '../src/tls/server/summary.js';
import { TlskitCommand } from './_lib/base-command.js';
import { commonFlags } from './_lib/flags.js';
import { passinProvider } from './_lib/passphrase.js';

const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export default class Serve extends TlskitCommand {
  static override summary = 'Run a TLS server: echo or HTTP, with every node:tls server option.';
  static override description =
    'The echo server from Node\'s TLS docs ("welcome!", then every byte back) or a small HTTP ' +
    'responder whose page (/) and JSON (/json) describe the connection, with the whole node:tls ' +
    'server surface behind flags: client certificates, SNI, ALPN, session IDs and tickets, OCSP ' +
    'stapling, key logging, STARTTLS, several worker processes. One line per event; Ctrl-C stops ' +
    'it cleanly and prints a summary.\n\n' +
    'With --json, each event is one JSON object on its own line, {"type", "time", "worker", …}: ' +
    'listening (host, port, url, mode, workers, starttls, pid, identities, caPem), connection ' +
    '(connection, remoteAddress, remotePort), starttls (protocol), secure (protocol, cipher, ' +
    'cipherName, alpnProtocol, servername, resumed, authorized, authorizationError, ' +
    'peerCertificate, certificateSubject), session (action stored|found|missed, sessionId), ' +
    'ocsp (stapled, bytes), clientError (code, reason), renegotiation (count, limitReached, ' +
    'limit, windowSeconds), socketError (code, reason), close (durationMs, bytesRead, bytesWritten, ' +
    'plaintextBytesRead, plaintextBytesWritten, secure), drop, workerExit; the last line is the ' +
    'summary {"type":"summary", connections, secureConnections, resumed, …}.';
  static override examples = [
    '<%= config.bin %> serve --self-signed   # then: openssl s_client -connect 127.0.0.1:8000',
    '<%= config.bin %> serve --key server.key --cert server.crt --http --port 8443',
    '<%= config.bin %> serve --key rsa.key --cert rsa.crt --key ec.key --cert ec.crt --sni api.test=api.crt,api.key',
    '<%= config.bin %> serve --self-signed --ca clients-ca.crt --reject-unauthorized --alpn h2,http/1.1',
    '<%= config.bin %> serve --self-signed --session-store --no-tickets --max-version TLSv1.2 --keylog keys.log',
    '<%= config.bin %> serve --self-signed --port 0 --workers 2 --json --once',
  ];

  static override flags = {
    port: Flags.integer({
      char: 'p',
      description: 'Port to listen on; 0 picks a free one (printed).',
      default: DEFAULT_PORT,
    }),
    host: Flags.string({ description: 'Address to listen on.', default: DEFAULT_HOST }),
    key: Flags.string({
      description: 'Private key (PEM or DER); pair each with a --cert, in order. Repeatable.',
      multiple: true,
      helpValue: 'FILE',
      helpGroup: 'IDENTITY',
    }),
    cert: Flags.string({
      description: 'Certificate chain (leaf first) for the --key at the same position. Repeatable.',
      multiple: true,
      helpValue: 'FILE',
      helpGroup: 'IDENTITY',
    }),
    pfx: Flags.string({
      description: 'PKCS#12 file with the key, certificate and chain.',
      helpValue: 'FILE',
      helpGroup: 'IDENTITY',
    }),
    passin: commonFlags.passin,
    'self-signed': Flags.boolean({
      description:
        'Serve a key and certificate for localhost made in memory (the default without --key/--pfx).',
      helpGroup: 'IDENTITY',
    }),
    echo: Flags.boolean({
      description: 'Say "welcome!" and echo every byte back (the default).',
      exclusive: ['http'],
      helpGroup: 'MODE',
    }),
    http: Flags.boolean({
      description:
        'Answer HTTP/1.1 (and h2): / is an HTML page, /json the JSON, about the connection.',
      helpGroup: 'MODE',
    }),
    starttls: Flags.string({
      description: "Speak the protocol's plain-text greeting and upgrade when the client asks.",
      options: [...SERVER_STARTTLS_PROTOCOLS],
      helpGroup: 'MODE',
    }),
    once: Flags.boolean({
      description: 'Exit after the first connection closes.',
      helpGroup: 'MODE',
    }),
    workers: Flags.integer({
      description: 'Processes sharing the port (node:cluster), with the same ticket keys.',
      default: 1,
      helpGroup: 'MODE',
    }),
    ca: Flags.string({
      description: 'CA certificates that client certificates must chain to. Repeatable.',
      multiple: true,
      helpValue: 'FILE',
      helpGroup: 'CLIENT AUTH',
    }),
    crl: Flags.string({
      description: 'Certificate revocation list (PEM) for client certificates. Repeatable.',
      multiple: true,
      helpValue: 'FILE',
      helpGroup: 'CLIENT AUTH',
    }),
    'request-cert': Flags.boolean({
      description: 'Ask the client for a certificate (and report whether it verifies).',
      helpGroup: 'CLIENT AUTH',
    }),
    'reject-unauthorized': Flags.boolean({
      description: 'Refuse a client without a certificate that verifies (implies --request-cert).',
      helpGroup: 'CLIENT AUTH',
    }),
    ciphers: Flags.string({
      description:
        'intermediate (Mozilla: TLS 1.3 + ECDHE with AES-GCM/ChaCha20, the default), node-default ' +
        "(a stock Node server's list), or an OpenSSL cipher string.",
      helpValue: 'LIST',
      helpGroup: 'HANDSHAKE',
    }),
    'ecdh-curve': Flags.string({
      description: 'Key-exchange groups, e.g. X25519:P-256 (default: auto).',
      helpValue: 'GROUPS',
      helpGroup: 'HANDSHAKE',
    }),
    sigalgs: Flags.string({
      description: "Signature algorithms, e.g. ECDSA+SHA256:RSA-PSS+SHA256 (default: OpenSSL's).",
      helpValue: 'LIST',
      helpGroup: 'HANDSHAKE',
    }),
    dhparam: Flags.string({
      description: 'DH parameters (PEM) for DHE suites, or "auto".',
      helpValue: 'FILE',
      helpGroup: 'HANDSHAKE',
    }),
    'handshake-timeout': Flags.integer({
      description: 'Milliseconds a client has to finish the handshake (and any STARTTLS dialogue).',
      default: 120_000,
      helpGroup: 'HANDSHAKE',
    }),
    'honor-cipher-order': Flags.boolean({
      description: "Pick the cipher by the server's order, not the client's.",
      helpGroup: 'HANDSHAKE',
    }),
    'min-version': Flags.string({
      description: 'Lowest TLS version accepted.',
      options: [...TLS_VERSIONS],
      default: 'TLSv1.2',
      helpGroup: 'HANDSHAKE',
    }),
    'max-version': Flags.string({
      description: 'Highest TLS version offered.',
      options: [...TLS_VERSIONS],
      helpGroup: 'HANDSHAKE',
    }),
    alpn: Flags.string({
      description: 'ALPN protocols, most preferred first (default with --http: h2,http/1.1).',
      helpValue: 'LIST',
      helpGroup: 'HANDSHAKE',
    }),
    sni: Flags.string({
      description:
        'Serve CERT/KEY to clients asking for HOST (wildcards: *.example.com). Repeatable.',
      multiple: true,
      helpValue: 'HOST=CERT,KEY',
      helpGroup: 'HANDSHAKE',
    }),
    'ocsp-response': Flags.string({
      description: 'A DER OCSP response (openssl ocsp -respout) to staple on request.',
      helpValue: 'FILE',
      helpGroup: 'HANDSHAKE',
    }),
    'session-timeout': Flags.integer({
      description: 'Seconds a session ID or ticket may be resumed for (default 300).',
      helpGroup: 'SESSIONS',
    }),
    'ticket-keys': Flags.string({
      description: '48-byte file of session ticket keys (default: random, shared by workers).',
      helpValue: 'FILE',
      helpGroup: 'SESSIONS',
    }),
    tickets: Flags.boolean({
      description: 'Issue session tickets (--no-tickets: TLS 1.2 resumes by session ID only).',
      default: true,
      allowNo: true,
      helpGroup: 'SESSIONS',
    }),
    'session-store': Flags.boolean({
      description: 'Keep sessions by ID in memory (newSession/resumeSession), so IDs resume.',
      helpGroup: 'SESSIONS',
    }),
    'max-connections': Flags.integer({
      description: 'Refuse connections beyond this many open ones (per worker).',
      helpGroup: 'MODE',
    }),
    trace: Flags.boolean({
      description: "Print OpenSSL's trace of every handshake message to standard error.",
      helpGroup: 'MODE',
    }),
    keylog: Flags.string({
      description: 'Append TLS secrets to FILE (NSS key log format, for Wireshark). Created 0600.',
      helpValue: 'FILE',
      helpGroup: 'MODE',
    }),
  };

  private stopping = false;
  private requestStop: () => void = () => {};
  /** Settles on the first Ctrl-C (or SIGTERM), even one that comes while the server starts. */
  private readonly stopRequested = new Promise<void>((resolve) => (this.requestStop = resolve));

  override async init(): Promise<void> {
    // The base command exits at once on Ctrl-C; a server must stop its workers and report first.
    const inherited = new Map(
      SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]),
    );
    await super.init();
    for (const signal of SHUTDOWN_SIGNALS) {
      for (const listener of process.listeners(signal)) {
        if (!inherited.get(signal)?.has(listener)) process.removeListener(signal, listener);
      }
      process.on(signal, () => this.onSignal());
    }
  }

  async run(): Promise<ServerSummary> {
    const { flags } = await this.parse(Serve);
    const options = this.optionsFrom(flags);
    const { startServer } = await import('../src/tls/server/start-server.js');
    const server = await startServer(options);
    const printer = await this.eventPrinter();
    for (const event of server.events.history()) printer.print(event);
    printer.flush();
    server.events.on('event', printer.print);
    const summary = await Promise.race([
      server.closed,
      this.stopRequested.then(() => server.close()),
    ]);
    server.events.off('event', printer.print);
    printer.flush();
    await this.renderSummary(summary);
    return summary;
  }

  /** One JSON object per line, the summary included (oclif would pretty-print it). */
  protected override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json)}\n`);
  }

  private optionsFrom(flags: InferredFlags<typeof Serve.flags>): ServerOptions {
    const keys = flags.key ?? [];
    const certs = flags.cert ?? [];
    if (keys.length !== certs.length) {
      throw new UsageError(`${keys.length} --key and ${certs.length} --cert: give them in pairs`, {
        hint: 'each --key is followed by the --cert it belongs to',
      });
    }
    return {
      port: flags.port,
      host: flags.host,
      identities: keys.map((key, index) => ({ key, cert: certs[index] as string })),
      pfx: flags.pfx,
      passphrase: passinProvider(flags.passin, this.terminal),
      selfSigned: flags['self-signed'],
      mode: flags.http ? 'http' : 'echo',
      ca: flags.ca,
      crl: flags.crl,
      requestCert: flags['request-cert'],
      rejectUnauthorized: flags['reject-unauthorized'],
      ciphers: flags.ciphers,
      ecdhCurve: flags['ecdh-curve'],
      sigalgs: flags.sigalgs,
      dhparam: flags.dhparam,
      handshakeTimeout: flags['handshake-timeout'],
      honorCipherOrder: flags['honor-cipher-order'],
      minVersion: flags['min-version'] as ServerOptions['minVersion'],
      maxVersion: flags['max-version'] as ServerOptions['maxVersion'],
      alpnProtocols: flags.alpn === undefined ? undefined : parseAlpnList(flags.alpn),
      sni: (flags.sni ?? []).map(parseSniSpec),
      sessionTimeout: flags['session-timeout'],
      ticketKeys: flags['ticket-keys'],
      tickets: flags.tickets,
      sessionStore: flags['session-store'],
      ocspResponse: flags['ocsp-response'],
      maxConnections: flags['max-connections'],
      keylog: flags.keylog,
      trace: flags.trace,
      once: flags.once,
      workers: flags.workers,
      starttls: flags.starttls as ServerStarttlsProtocol | undefined,
    };
  }

  private onSignal(): void {
    if (this.stopping) {
      // A second Ctrl-C: the user does not want to wait for the connections to end.
      process.exit(130);
    }
    this.stopping = true;
    if (!this.jsonEnabled()) process.stderr.write('Stopping (Ctrl-C again to quit at once)…\n');
    this.requestStop();
  }

  /**
   * Prints each event as it comes, in one write per turn of the event loop: a busy server makes
   * several events per connection, and a write each would cost more than the handshake.
   */
  private async eventPrinter(): Promise<{ print(event: ServerEvent): void; flush(): void }> {
    const { formatEventLines } = await import('../src/tls/server/event-lines.js');
    const palette = this.palette();
    const format = this.jsonEnabled()
      ? (event: ServerEvent) => [JSON.stringify(event)]
      : (event: ServerEvent) => formatEventLines(event, palette);
    let pending: string[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      process.stdout.write(`${pending.join('\n')}\n`);
      pending = [];
    };
    return {
      print: (event) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push(...format(event));
      },
      flush,
    };
  }

  private async renderSummary(summary: ServerSummary): Promise<void> {
    if (this.jsonEnabled()) return;
    const { formatSummaryLines } = await import('../src/tls/server/event-lines.js');
    for (const line of formatSummaryLines(summary, this.palette())) this.log(line);
  }

  private palette(): Palette {
    const { colour } = this.terminal;
    return {
      heading: colour.bold,
      label: colour.cyan,
      branch: colour.dim,
      good: colour.green,
      warning: colour.yellow,
      bad: colour.red,
      muted: colour.dim,
    };
  }
}
