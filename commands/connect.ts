import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { UsageError } from '../src/errors.js';
import type { ConnectionSummary } from '../src/tls/client/connect.js';
import type { HandshakeSummary } from '../src/tls/client/summary.js';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  decodeSendText,
  parseExpectPattern,
  parseTlsVersion,
  type ConnectOptions,
} from '../src/tls/client/options.js';
import { parseTarget } from '../src/tls/client/target.js';
import { STARTTLS_PROTOCOLS, type StarttlsProtocol } from '../src/tls/starttls/protocol.js';
import { TlskitCommand } from './_lib/base-command.js';
import { commonFlags } from './_lib/flags.js';
import { passinProvider } from './_lib/passphrase.js';
import { type Terminal, paletteOf } from './_lib/terminal.js';

export default class Connect extends TlskitCommand {
  static override summary =
    'Connect to a TLS server and show what was negotiated, like openssl s_client.';
  static override description =
    'Connects (TCP, a Unix socket, or after a STARTTLS dialogue), completes the handshake, checks ' +
    "the server's certificate and prints a summary: protocol, cipher, key exchange, ALPN, session " +
    '(new or resumed, ticket or ID), verification, OCSP staple, client certificate and the peer ' +
    "chain. Then, like s_client, it copies standard input to the server and the server's bytes to " +
    'standard output until either side closes (end of input sends close_notify and waits up to ' +
    '--timeout for the server to finish).\n\n' +
    'The summary goes to standard output on a terminal; when standard output is redirected it goes ' +
    "to standard error, so the output is exactly the server's bytes. --quiet drops it.\n\n" +
    '--send/--expect, --reconnect and --json make it a script step instead: no standard input; ' +
    'send TEXT, wait until REGEX matches what the server sent (or it closes, or --timeout), print ' +
    "the server's bytes, and exit 1 if REGEX never matched.\n\n" +
    'Exit codes: 0 connected and verified (or --insecure), 1 the certificate did not verify or ' +
    '--expect did not match, 5 the network, the STARTTLS dialogue or the handshake failed or timed ' +
    'out, 2 usage, 3 unreadable input files.\n\n' +
    'JSON fields: address, servername, starttls, protocol, cipher {name, standardName, version}, ' +
    'ephemeralKey {type, name, bits}, alpnProtocol, sessionOffered, resumed, authorized, ' +
    'authorizationError, authorizationReason, peerCertificates [{subject, issuer, serialNumber, ' +
    'notBefore, notAfter, subjectAltName, publicKey, ca, selfIssued, fingerprint256, pem}], ' +
    'clientCertificate {subject, fingerprint256}, ocsp {stapled, bytes, responseStatus, producedAt, ' +
    'responses [{serialNumber, certStatus, revocationTime, thisUpdate, nextUpdate}], malformed, ' +
    'der}, session {protocol, id, ticket {bytes, lifetimeHintSeconds}, servername}, connectMs, ' +
    'maxSendFragment, renegotiation {ok, error}, exchange {sentBytes, received, receivedBytes, ' +
    'expected, matched, ended}, reconnects [{attempt, sessionOffered, resumed, protocol, cipher, ' +
    'sessionId, connectMs}], sessionFile, keylogFile, warnings.';
  static override aliases = ['s_client'];
  static override examples = [
    '<%= config.bin %> connect example.com:443',
    '<%= config.bin %> connect localhost:8443 --ca ca.pem --cert client.pem --key client.key',
    "<%= config.bin %> connect example.com:443 --send 'HEAD / HTTP/1.1\\r\\nHost: example.com\\r\\nConnection: close\\r\\n\\r\\n' --expect '^HTTP/1.1 '",
    '<%= config.bin %> connect mail.example.com:25 --starttls smtp --status',
    '<%= config.bin %> connect 127.0.0.1:8000 --insecure --reconnect 3 --max-version 1.2',
    "<%= config.bin %> connect example.com:443 --alpn h2,http/1.1 --json | jq '{protocol, alpnProtocol, authorized}'",
  ];

  static override args = {
    target: Args.string({
      description: 'HOST:PORT, or [IPv6]:PORT (not needed with --unix).',
    }),
  };

  static override flags = {
    servername: Flags.string({
      description:
        'Name to send as SNI and to verify (default: the host, unless it is an IP address).',
      helpValue: 'NAME',
      exclusive: ['no-sni'],
    }),
    'no-sni': Flags.boolean({ description: 'Send no SNI.' }),
    unix: Flags.string({
      description: 'Connect to a Unix domain socket instead of HOST:PORT.',
      helpValue: 'PATH',
    }),
    timeout: Flags.string({
      description: `Time limit for connecting and the handshake, and for --expect: seconds, or e.g. 500ms (default ${DEFAULT_CONNECT_TIMEOUT_MS / 1000}).`,
      helpValue: 'SECONDS',
    }),
    ca: Flags.string({
      description: "PEM file of CA certificates to trust (default: Node's bundled roots).",
      helpValue: 'FILE',
      helpGroup: 'VERIFICATION',
    }),
    insecure: Flags.boolean({
      char: 'k',
      description: 'Connect even if the certificate does not verify (the summary still says why).',
      helpGroup: 'VERIFICATION',
    }),
    showcerts: Flags.boolean({
      description: 'Show every certificate of the chain, and print them as PEM.',
      helpGroup: 'VERIFICATION',
    }),
    status: Flags.boolean({
      description: 'Ask for an OCSP staple and describe it.',
      helpGroup: 'VERIFICATION',
    }),
    cert: Flags.string({
      description: 'Client certificate (PEM, leaf first; may hold the key too).',
      helpValue: 'FILE',
      exclusive: ['pfx'],
      helpGroup: 'CLIENT CERTIFICATE',
    }),
    key: Flags.string({
      description: 'Private key of --cert (default: read from the --cert file).',
      helpValue: 'FILE',
      dependsOn: ['cert'],
      helpGroup: 'CLIENT CERTIFICATE',
    }),
    pfx: Flags.string({
      description: 'PKCS#12 file with the client key and certificate.',
      helpValue: 'FILE',
      helpGroup: 'CLIENT CERTIFICATE',
    }),
    passin: commonFlags.passin,
    ciphers: Flags.string({
      description: 'OpenSSL cipher list (TLS 1.2 names; TLS 1.3 suites as TLS_AES_128_GCM_SHA256).',
      helpValue: 'LIST',
      helpGroup: 'HANDSHAKE',
    }),
    'min-version': Flags.string({
      description: 'Lowest TLS version to accept: 1.0, 1.1, 1.2 or 1.3 (or TLSv1.2…).',
      helpValue: 'VERSION',
      helpGroup: 'HANDSHAKE',
    }),
    'max-version': Flags.string({
      description: 'Highest TLS version to offer: 1.0, 1.1, 1.2 or 1.3 (or TLSv1.3…).',
      helpValue: 'VERSION',
      helpGroup: 'HANDSHAKE',
    }),
    alpn: Flags.string({
      description: 'ALPN protocols to offer, most preferred first.',
      helpValue: 'h2,http/1.1',
      helpGroup: 'HANDSHAKE',
    }),
    'ecdh-curve': Flags.string({
      description: 'Key-exchange groups to offer, e.g. X25519:P-256.',
      helpValue: 'GROUPS',
      helpGroup: 'HANDSHAKE',
    }),
    'max-send-fragment': Flags.integer({
      description: 'Largest TLS record to send, 512 to 16384 bytes.',
      helpGroup: 'HANDSHAKE',
    }),
    starttls: Flags.string({
      description: 'Speak this plain-text protocol first and upgrade with its STARTTLS command.',
      options: [...STARTTLS_PROTOCOLS],
      helpGroup: 'HANDSHAKE',
    }),
    'starttls-name': Flags.string({
      description: 'Name announced in the STARTTLS dialogue: the SMTP EHLO name, the XMPP domain.',
      helpValue: 'NAME',
      dependsOn: ['starttls'],
      helpGroup: 'HANDSHAKE',
    }),
    renegotiate: Flags.boolean({
      description: 'Renegotiate once after the handshake (TLS 1.2 and older).',
      helpGroup: 'HANDSHAKE',
    }),
    reconnect: Flags.integer({
      description:
        'Then reconnect N times offering the latest session, and report each resumption.',
      helpValue: 'N',
      helpGroup: 'SESSIONS',
    }),
    'sess-in': Flags.string({
      description: 'Resume the session in FILE (from --sess-out or openssl s_client -sess_out).',
      helpValue: 'FILE',
      helpGroup: 'SESSIONS',
    }),
    'sess-out': Flags.string({
      description: 'Save the last session to FILE (0600; it holds the master secret).',
      helpValue: 'FILE',
      helpGroup: 'SESSIONS',
    }),
    force: commonFlags.force,
    keylog: Flags.string({
      description: 'Append TLS secrets to FILE (NSS key log format, for Wireshark). Created 0600.',
      helpValue: 'FILE',
      helpGroup: 'SESSIONS',
    }),
    send: Flags.string({
      description:
        'Send TEXT once connected (escapes: \\r \\n \\t \\0 \\\\ \\xHH); no standard input.',
      helpValue: 'TEXT',
      helpGroup: 'SCRIPTING',
    }),
    expect: Flags.string({
      description: 'Wait until what the server sent matches REGEX; exit 1 if it never does.',
      helpValue: 'REGEX',
      helpGroup: 'SCRIPTING',
    }),
    quiet: Flags.boolean({
      char: 'q',
      description: "No summary: only the server's bytes.",
      helpGroup: 'SCRIPTING',
    }),
  };

  async run() {
    const { args, flags } = await this.parse(Connect);
    const options = connectOptionsOf(args.target, flags, this.terminal);
    const scripted =
      this.jsonEnabled() ||
      flags.send !== undefined ||
      flags.expect !== undefined ||
      (flags.reconnect ?? 0) > 0;
    return scripted ? this.runScripted(options, flags) : this.runInteractive(options, flags);
  }

  /** Connect, exchange, reconnect, report: the result is the JSON output. */
  private async runScripted(
    options: ConnectOptions,
    flags: { showcerts: boolean; quiet: boolean },
  ): Promise<ConnectionSummary> {
    const { connect, expectationFailure } = await import('../src/tls/client/connect.js');
    const summary = await connect(options);
    if (!this.jsonEnabled()) {
      await this.report(summary, flags);
      if (summary.exchange) process.stdout.write(summary.exchange.received);
      for (const warning of summary.warnings) this.logToStderr(`tlskit: ${warning}`);
    }
    const failure = expectationFailure(summary);
    if (failure) throw failure;
    return summary;
  }

  /** s_client's default: the summary, then standard input and output joined to the connection. */
  private async runInteractive(
    options: ConnectOptions,
    flags: { showcerts: boolean; quiet: boolean; renegotiate: boolean },
  ) {
    const { openConnection } = await import('../src/tls/client/connect.js');
    const connection = await openConnection(options);
    const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    const renegotiation = flags.renegotiate ? await connection.renegotiate(timeoutMs) : null;
    await this.report({ ...connection.summary, renegotiation }, flags);
    // Standard input stays open after the server closes: destroy it so the process can exit.
    let piped;
    try {
      piped = await connection.pipe(process.stdin, process.stdout, timeoutMs);
    } catch (error) {
      process.stdin.destroy();
      await connection.finish();
      throw error;
    }
    process.stdin.destroy();
    const finished = await connection.finish();
    for (const warning of finished.warnings) this.logToStderr(`tlskit: ${warning}`);
    return { ...connection.summary, renegotiation, ...piped, ...finished };
  }

  private async report(
    summary: HandshakeSummary & Partial<ConnectionSummary>,
    flags: { showcerts: boolean; quiet: boolean },
  ): Promise<void> {
    if (flags.quiet) return;
    const { connectionTree } = await import('../src/tls/client/summary-tree.js');
    const { renderTree } = await import('../src/render/text-tree.js');
    const lines = [
      renderTree(
        [connectionTree(summary, { showCertificates: flags.showcerts })],
        paletteOf(this.terminal),
      ),
    ];
    if (flags.showcerts)
      lines.push(...summary.peerCertificates.map((certificate) => certificate.pem.trimEnd()));
    // Redirected standard output carries only the server's bytes.
    const text = `${lines.join('\n')}\n`;
    if (this.terminal.stdoutIsTty) process.stdout.write(text);
    else process.stderr.write(text);
  }
}

interface ConnectFlags {
  servername?: string;
  'no-sni': boolean;
  unix?: string;
  timeout?: string;
  ca?: string;
  insecure: boolean;
  status: boolean;
  cert?: string;
  key?: string;
  pfx?: string;
  passin?: string;
  ciphers?: string;
  'min-version'?: string;
  'max-version'?: string;
  alpn?: string;
  'ecdh-curve'?: string;
  'max-send-fragment'?: number;
  starttls?: string;
  'starttls-name'?: string;
  renegotiate: boolean;
  reconnect?: number;
  'sess-in'?: string;
  'sess-out'?: string;
  force: boolean;
  keylog?: string;
  send?: string;
  expect?: string;
}

/** Flags to options: every string parsed here, once. */
function connectOptionsOf(
  target: string | undefined,
  flags: ConnectFlags,
  terminal: Terminal,
): ConnectOptions {
  if (!target && !flags.unix) {
    throw new UsageError('give HOST:PORT (or --unix PATH)', {
      hint: 'e.g. tlskit connect example.com:443',
    });
  }
  if (target && flags.unix) {
    throw new UsageError('give HOST:PORT or --unix PATH, not both');
  }
  const address = target ? parseTarget(target) : undefined;
  return {
    host: address?.host,
    port: address?.port,
    unixPath: flags.unix,
    servername: flags['no-sni'] ? false : flags.servername,
    caFile: flags.ca,
    insecure: flags.insecure,
    certFile: flags.cert,
    keyFile: flags.key,
    pfxFile: flags.pfx,
    passphrase: passinProvider(flags.passin, terminal),
    ciphers: flags.ciphers,
    minVersion:
      flags['min-version'] === undefined
        ? undefined
        : parseTlsVersion(flags['min-version'], '--min-version'),
    maxVersion:
      flags['max-version'] === undefined
        ? undefined
        : parseTlsVersion(flags['max-version'], '--max-version'),
    alpn: flags.alpn === undefined ? undefined : parseAlpn(flags.alpn),
    ecdhCurve: flags['ecdh-curve'],
    maxSendFragment: flags['max-send-fragment'],
    starttls: flags.starttls as StarttlsProtocol | undefined,
    starttlsName: flags['starttls-name'],
    renegotiate: flags.renegotiate,
    reconnect: flags.reconnect,
    sessionFile: flags['sess-in'],
    sessionOutFile: flags['sess-out'],
    force: flags.force,
    keylogFile: flags.keylog,
    requestOcsp: flags.status,
    send: flags.send === undefined ? undefined : decodeSendText(flags.send),
    expect: flags.expect === undefined ? undefined : parseExpectPattern(flags.expect),
    timeoutMs: flags.timeout === undefined ? undefined : parseTimeout(flags.timeout),
  };
}

function parseAlpn(text: string): string[] {
  const protocols = text.split(',').map((protocol) => protocol.trim());
  // RFC 7301 §3.1: each protocol name is 1 to 255 bytes.
  if (protocols.some((protocol) => protocol.length === 0 || Buffer.byteLength(protocol) > 255)) {
    throw new UsageError(`--alpn: "${text}" is not a comma-separated list of protocol names`, {
      hint: 'e.g. --alpn h2,http/1.1',
    });
  }
  return protocols;
}

/** "10", "2.5", "10s" or "500ms". */
function parseTimeout(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text.trim());
  const milliseconds = match ? Number(match[1]) * (match[2] === 'ms' ? 1 : 1000) : NaN;
  if (!(milliseconds > 0)) {
    throw new UsageError(`--timeout: "${text}" is not a duration`, {
      hint: 'use seconds (10, 2.5) or 500ms',
    });
  }
  return milliseconds;
}
