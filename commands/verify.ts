import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { ExitCode } from '../src/errors.js';
import { formatUtc } from '../src/pki/describe/format.js';
import type { CrlCheckScope } from '../src/pki/verify/revocation.js';
import type { VerifyPurpose } from '../src/pki/verify/purpose.js';
import type { VerifyFilesResult } from '../src/pki/verify/verify-files.js';
import { TlskitCommand } from './_lib/base-command.js';

export default class Verify extends TlskitCommand {
  static override summary = 'Validate a certificate path, as `openssl verify` does.';
  static override description =
    'Builds the path from the certificate through untrusted intermediates to a trust anchor ' +
    '(choosing among cross-signed and renewed CAs by name, key identifiers and validity), then ' +
    'checks CA flags, path lengths, the purpose, the host name or IP address, revocation (CRLs), ' +
    'signatures, validity periods and name constraints, in OpenSSL 3.0’s order. Prints the path ' +
    'and OK, or the first reason it fails with OpenSSL’s error name (CERT_HAS_EXPIRED, ' +
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY, HOSTNAME_MISMATCH…) and exits 1. Without --ca the anchors ' +
    'are Node’s bundled roots. Certificates after the first in CERT are untrusted intermediates. ' +
    'Unlike openssl, --crl alone turns on --crl-check leaf. --json: ok, code, opensslError, ' +
    'message, depth, subject (of the failing certificate), chain (subjects, leaf first), ' +
    'trusted, at, file, certificates (subject, issuer, source, notBefore, notAfter, ' +
    'fingerprint256), trustAnchors (source files|node, files, count) and checked (host, ip, ' +
    'purpose, crlCheck, crls); it is printed for failed checks too.';
  static override examples = [
    '<%= config.bin %> verify --ca root.pem --untrusted intermediate.pem server.pem',
    '<%= config.bin %> verify --ca root.pem fullchain.pem --host www.example.test',
    '<%= config.bin %> verify --ca root.pem --crl intermediate.crl.pem --crl-check all chain.pem',
    '<%= config.bin %> verify --ca ca.pem client.pem --purpose client',
    '<%= config.bin %> verify --ca root.pem chain.pem --at 2030-01-01   # still valid then?',
    '<%= config.bin %> verify site.pem --json | jq -r .code          # against Node’s roots',
  ];

  static override args = {
    cert: Args.string({
      description: 'The certificate (PEM or DER); a PEM bundle is leaf first, then intermediates.',
      required: true,
    }),
  };

  static override flags = {
    ca: Flags.string({
      description: 'Trust anchors (PEM bundle or DER); repeatable. Default: Node’s bundled roots.',
      helpValue: 'FILE',
      multiple: true,
      multipleNonGreedy: true,
    }),
    untrusted: Flags.string({
      description: 'Untrusted intermediates that may complete the path; repeatable.',
      helpValue: 'FILE',
      multiple: true,
      multipleNonGreedy: true,
    }),
    crl: Flags.string({
      description:
        'Certificate revocation lists (PEM or DER); repeatable. Turns on --crl-check leaf.',
      helpValue: 'FILE',
      multiple: true,
      multipleNonGreedy: true,
    }),
    'crl-check': Flags.string({
      description: 'Check revocation of the leaf only, or of every certificate (the anchor too).',
      options: ['leaf', 'all'],
    }),
    host: Flags.string({
      description: 'Host name the certificate must be valid for (RFC 6125, wildcards).',
      helpValue: 'NAME',
      exclusive: ['ip'],
    }),
    ip: Flags.string({
      description: 'IP address the certificate must be valid for (iPAddress SANs).',
      helpValue: 'ADDRESS',
    }),
    purpose: Flags.string({
      description: 'Check extended key usage and key usage for a TLS server or client.',
      options: ['server', 'client'],
    }),
    at: Flags.string({
      description: 'Verify at this time: 2030-01-01, 20300101000000Z or a duration (+30d).',
      helpValue: 'TIME',
    }),
    'partial-chain': Flags.boolean({
      description: 'Accept any --ca certificate as an anchor, even one not self-signed.',
    }),
  };

  async run(): Promise<VerifyFilesResult> {
    const { args, flags } = await this.parse(Verify);
    const { verifyCertificateFiles } = await import('../src/pki/verify/verify-files.js');
    const result = await verifyCertificateFiles({
      certificate: args.cert,
      ca: flags.ca,
      untrusted: flags.untrusted,
      crls: flags.crl,
      crlCheck: flags['crl-check'] as CrlCheckScope | undefined,
      host: flags.host,
      ip: flags.ip,
      purpose: flags.purpose as VerifyPurpose | undefined,
      at: flags.at,
      partialChain: flags['partial-chain'],
    });
    if (!this.jsonEnabled()) this.renderHuman(result);
    if (!result.ok) {
      const { VerificationFailedError } = await import('../src/pki/verify/verdict.js');
      throw new VerificationFailedError(result, args.cert);
    }
    return result;
  }

  /** A failed verdict under --json is still the whole result on stdout, with exit code 1. */
  override async catch(error: Error & { exitCode?: number }): Promise<never> {
    if (this.jsonEnabled() && 'result' in error && error.result) {
      this.logJson(error.result);
      this.exit(ExitCode.checkFailed);
    }
    return super.catch(error);
  }

  private renderHuman(result: VerifyFilesResult): void {
    const { colour } = this.terminal;
    const anchors =
      result.trustAnchors.source === 'node'
        ? `Node's bundled roots (${result.trustAnchors.count} certificates)`
        : `${result.trustAnchors.files.join(', ')} (${result.trustAnchors.count} certificate${result.trustAnchors.count === 1 ? '' : 's'})`;
    this.log(`Trust anchors: ${anchors}`);
    result.certificates.forEach((certificate, depth) => {
      const isAnchor = result.trusted && depth === result.certificates.length - 1;
      const failing = result.depth === depth;
      const mark = failing ? colour.red('✗') : colour.green('✓');
      const role = isAnchor ? ' (trust anchor)' : '';
      this.log(
        `${'  '.repeat(depth)}${mark} depth ${depth}: ${certificate.subject || '(empty subject)'}${role}`,
      );
      this.log(
        colour.dim(
          `${'  '.repeat(depth)}    ${certificate.source}, valid ${formatUtc(certificate.notBefore)} to ${formatUtc(certificate.notAfter)}`,
        ),
      );
    });
    const checks = [
      result.checked.host && `host ${result.checked.host}`,
      result.checked.ip && `IP ${result.checked.ip}`,
      result.checked.purpose && `purpose ${result.checked.purpose}`,
      result.checked.crlCheck && `CRLs (${result.checked.crlCheck}, ${result.checked.crls} given)`,
    ].filter(Boolean);
    if (checks.length) this.log(`Checked: ${checks.join(', ')}`);
    if (result.ok) this.log(`${result.file}: ${colour.green('OK')} at ${formatUtc(result.at)}`);
  }
}
