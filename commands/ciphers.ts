import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { UsageError } from '../src/errors.js';
import type { CipherList, ListedCipherSuite } from '../src/tls/ciphers/expand.js';
import type { MozillaPreset, MozillaPresetName } from '../src/tls/ciphers/mozilla-presets.js';
import { TlskitCommand } from './_lib/base-command.js';

/** `--json`: the list, and for --preset the profile with what this Node lacks of it. */
interface CiphersResult {
  source: CipherList['source'] | 'preset';
  spec: string | null;
  suites: ListedCipherSuite[];
  preset: (MozillaPreset & { missingSuites: string[] }) | null;
}

export default class Ciphers extends TlskitCommand {
  static override summary =
    'List TLS cipher suites, expand a cipher string, or print a Mozilla profile.';
  static override description =
    'Like `openssl ciphers -v`: with no SPEC, the suites Node supports (tls.getCiphers()); with ' +
    'an OpenSSL cipher string, the suites it selects in order, as Node’s own OpenSSL expands it ' +
    '(TLS 1.3 suites first, as openssl lists them); --default expands Node’s default list; ' +
    '--preset prints Mozilla’s server-side TLS profile as a ready `ciphers` string with its ' +
    'minVersion and ecdhCurve. "usable" says whether Node would negotiate the suite with that ' +
    'string (false below its security level, e.g. anonymous or NULL suites, and for SRP). ' +
    '--preset old (withdrawn by Mozilla in guidelines 6.0) needs --allow-weak and prints the 5.8 ' +
    'profile. JSON: {source, spec, suites: [{id, iana, openssl, protocol, kx, au, enc, mac, ' +
    'forwardSecrecy, aead, notes, usable}], preset}.';
  static override examples = [
    '<%= config.bin %> ciphers                                  # what this Node supports',
    "<%= config.bin %> ciphers 'ECDHE+AESGCM:!aNULL'",
    "<%= config.bin %> ciphers 'HIGH:!SHA1' --stdname          # IANA names",
    '<%= config.bin %> ciphers --default                        # Node’s default server list, expanded',
    '<%= config.bin %> ciphers --preset intermediate            # Mozilla’s recommendation for servers',
    "<%= config.bin %> ciphers --preset modern --json | jq -r '.preset.cipherString'",
  ];

  static override args = {
    spec: Args.string({
      description: 'An OpenSSL cipher string, as Node’s `ciphers` option takes it.',
    }),
  };

  static override flags = {
    default: Flags.boolean({
      description: 'Expand Node’s default cipher list (tls.DEFAULT_CIPHERS).',
      exclusive: ['preset'],
    }),
    preset: Flags.string({
      description: 'Mozilla’s server-side TLS profile (old needs --allow-weak).',
      options: ['modern', 'intermediate', 'old'],
    }),
    stdname: Flags.boolean({ description: 'Show IANA names instead of OpenSSL’s.' }),
    'allow-weak': Flags.boolean({
      description: 'Allow --preset old (Mozilla withdrew it: TLS 1.0 and 3DES).',
    }),
  };

  async run(): Promise<CiphersResult> {
    const { args, flags } = await this.parse(Ciphers);
    if (args.spec !== undefined && (flags.default || flags.preset !== undefined)) {
      throw new UsageError('give a cipher string, --default or --preset, not several', {
        hint: 'see tlskit ciphers --help',
      });
    }
    const expand = await import('../src/tls/ciphers/expand.js');
    let result: CiphersResult;
    if (flags.preset !== undefined) {
      const { mozillaPreset } = await import('../src/tls/ciphers/mozilla-presets.js');
      const preset = mozillaPreset(flags.preset as MozillaPresetName, {
        allowWeak: flags['allow-weak'],
      });
      const list = await expand.expandCipherString(preset.cipherString);
      const found = new Set(list.suites.map(expand.cipherStringName));
      const missingSuites = [...preset.ciphersuites, ...preset.ciphers].filter(
        (name) => !found.has(name),
      );
      result = { ...list, source: 'preset', preset: { ...preset, missingSuites } };
    } else {
      const list =
        args.spec !== undefined
          ? await expand.expandCipherString(args.spec)
          : flags.default
            ? await expand.defaultCipherList()
            : await expand.nodeCipherList();
      result = { ...list, preset: null };
    }
    if (!this.jsonEnabled()) this.render(result, flags.stdname);
    return result;
  }

  private render(result: CiphersResult, stdname: boolean): void {
    const { colour } = this.terminal;
    if (result.preset) this.renderPreset(result.preset);
    const usable = result.suites.filter((suite) => suite.usable).length;
    const what =
      result.source === 'node'
        ? 'Cipher suites this Node supports (tls.getCiphers())'
        : result.source === 'default'
          ? 'Node’s default cipher list (tls.DEFAULT_CIPHERS)'
          : result.source === 'preset'
            ? 'The profile’s suites in this Node'
            : `${result.spec}`;
    this.log(`${colour.bold(what)}: ${result.suites.length} suites, ${usable} usable by Node`);
    const rows = result.suites.map((suite) => [
      suite.id,
      stdname ? suite.iana : suite.openssl,
      suite.protocol,
      `Kx=${suite.kx}`,
      `Au=${suite.au}`,
      `Enc=${suite.enc}`,
      `Mac=${suite.mac}`,
      notesOf(suite),
    ]);
    const widths = columnWidths(rows);
    for (const [index, row] of rows.entries()) {
      const line = row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
        )
        .join('  ')
        .trimEnd();
      this.log(result.suites[index]?.usable ? line : colour.dim(line));
    }
  }

  private renderPreset(preset: CiphersResult['preset'] & object): void {
    const { colour } = this.terminal;
    const withdrawn = preset.withdrawn ? colour.red(' (withdrawn by Mozilla)') : '';
    this.log(
      `${colour.bold(`Mozilla ${preset.name}`)} — server-side TLS guidelines ${preset.guidelines}${withdrawn}`,
    );
    this.log(`  Oldest clients: ${preset.oldestClients.join(', ')}`);
    this.log(`  minVersion:     ${preset.minVersion}`);
    this.log(`  ciphers:        ${preset.cipherString}`);
    this.log(`  ecdhCurve:      ${preset.ecdhCurve}`);
    this.log(`  Certificates:   ${preset.certificateTypes.join(' or ')}`);
    const lacking = [...preset.unsupportedGroups, ...preset.missingSuites];
    if (lacking.length > 0) {
      this.log(colour.yellow(`  Not in this Node: ${lacking.join(', ')}`));
    }
    for (const note of preset.notes) this.log(colour.yellow(`  Note: ${note}`));
    this.log('');
    this.log(
      colour.dim(
        `tls.createServer({ key, cert, minVersion: '${preset.minVersion}', ` +
          `ciphers: '${preset.cipherString}', ecdhCurve: '${preset.ecdhCurve}', ` +
          `honorCipherOrder: ${preset.serverPreferredOrder} })`,
      ),
    );
    this.log('');
  }
}

/** The short strengths first (FS, AEAD), then the suite's weaknesses, then Node's verdict. */
function notesOf(suite: ListedCipherSuite): string {
  const badges = [suite.forwardSecrecy ? 'FS' : '', suite.aead ? 'AEAD' : ''].filter(Boolean);
  const verdict = suite.usable ? [] : ['not usable by Node with this string'];
  return [...badges, ...suite.notes, ...verdict].join(', ');
}

function columnWidths(rows: readonly string[][]): number[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return widths;
}
