import * as Flags from '@oclif/core/flags';
import { CheckFailedError, ExitCode, UsageError } from '../src/errors.js';
import { PUBLIC_FILE_MODE } from '../src/io/atomic-write.js';
import type { DhCheckResult } from '../src/pki/dh/check.js';
import type { DhParametersFormat } from '../src/pki/dh/dh-params.js';
import { FFDHE_GROUPS } from '../src/pki/dh/ffdhe-groups.js';
import type { DhParametersOutput } from '../src/pki/dh/generate.js';
import type { KnownDhGroup } from '../src/pki/dh/known-groups.js';
import type { TreeNode } from '../src/render/text-tree.js';
import { TlskitCommand } from './_lib/base-command.js';
import { commonFlags } from './_lib/flags.js';
import { emitArtifacts, STDOUT } from './_lib/output.js';
import { withProgress } from './_lib/progress.js';
import { paletteOf } from './_lib/terminal.js';

/** `--json` for --bits and --group. */
interface DhparamWriteResult {
  mode: 'generate' | 'group';
  bits: number;
  generator: string;
  /** The RFC 7919 group for --group; null for a fresh group. */
  knownGroup: KnownDhGroup | null;
  format: DhParametersFormat;
  encoding: 'pem' | 'der';
  /** How long the prime search took; null for --group. */
  elapsedMs: number | null;
  files: string[];
}

/** `--json` for --check. */
interface DhparamCheckResult extends DhCheckResult {
  mode: 'check';
  file: string;
  format: DhParametersFormat;
  encoding: 'pem' | 'der';
}

const MODES = ['bits', 'group', 'check'];

/** What --bits and --group produce, before it is written. */
interface Made {
  mode: DhparamWriteResult['mode'];
  output: DhParametersOutput;
  knownGroup: KnownDhGroup | null;
  elapsedMs: number | null;
  securityBits: number | null;
}

export default class Dhparam extends TlskitCommand {
  static override summary = 'Make or check Diffie-Hellman parameters (for DHE cipher suites).';
  static override description =
    'Like `openssl dhparam`: --bits generates a fresh safe-prime group (p = 2q + 1, p ≡ 23 mod 24, ' +
    'g = 2) on libuv’s thread pool; --group writes an RFC 7919 group at once; --check tests a file ' +
    '(p prime and safe, 1 < g < p-1, the subgroup g generates, size) and names a published group. ' +
    'Output is PKCS#3 `-----BEGIN DH PARAMETERS-----`, for `openssl` and Node’s `dhparam` server ' +
    'option. --check exits 1 when a check fails and 3 when the file is not DH parameters. JSON: ' +
    '{mode, bits, generator, knownGroup, format, encoding, elapsedMs, files} when writing; ' +
    '{mode, file, format, encoding, bits, generator, knownGroup, ok, checks: [{name, status, ' +
    'detail}]} for --check.';
  static override examples = [
    '<%= config.bin %> dhparam --group ffdhe2048 --out dhparam.pem   # instant, RFC 7919',
    '<%= config.bin %> dhparam --bits 2048 --out dhparam.pem         # a fresh group (seconds to a minute)',
    '<%= config.bin %> dhparam --check dhparam.pem',
    '<%= config.bin %> dhparam --bits 1024 --allow-weak --out weak.pem  # deliberately weak test material',
    '<%= config.bin %> dhparam --check server-dh.pem --json | jq \'.checks[] | select(.status != "pass")\'',
  ];

  static override flags = {
    bits: Flags.string({
      description: 'Generate a fresh safe-prime group of this size (1024 needs --allow-weak).',
      options: ['1024', '2048', '3072', '4096'],
      exactlyOne: MODES,
    }),
    group: Flags.string({
      description: 'Write an RFC 7919 group (no generation needed).',
      options: [...FFDHE_GROUPS],
      exactlyOne: MODES,
    }),
    check: Flags.string({
      description: 'Check an existing DH parameters file (PEM or DER, PKCS#3 or X9.42).',
      helpValue: 'FILE',
      exactlyOne: MODES,
    }),
    out: Flags.string({
      char: 'o',
      description: 'Where to write the parameters ("-" for standard output).',
      helpValue: 'FILE',
      exclusive: ['check'],
    }),
    format: Flags.string({
      description: 'Output encoding.',
      options: ['pem', 'der'],
      default: 'pem',
    }),
    'allow-weak': Flags.boolean({
      description: 'Permit a 1024-bit group, for deliberately weak test material.',
    }),
    force: commonFlags.force,
  };

  async run(): Promise<DhparamWriteResult | DhparamCheckResult> {
    const { flags } = await this.parse(Dhparam);
    if (flags.check !== undefined) return this.check(flags.check);
    if (flags.out === undefined) {
      throw new UsageError('--out is required when writing DH parameters', {
        hint: 'add --out dhparam.pem, or --out - for standard output',
      });
    }
    if (this.jsonEnabled() && flags.out === STDOUT) {
      throw new UsageError('--json and "--out -" cannot share standard output', {
        hint: 'write the parameters to a file with --out FILE',
      });
    }
    const encoding = flags.format as 'pem' | 'der';
    const made =
      flags.group === undefined
        ? await this.generate(Number(flags.bits), flags['allow-weak'])
        : await namedGroup(flags.group);
    const files = await emitArtifacts(
      [
        {
          path: flags.out,
          data: encoding === 'pem' ? made.output.pem : made.output.der,
          mode: PUBLIC_FILE_MODE,
          secret: false,
        },
      ],
      this.terminal,
      flags.force,
    );
    const result: DhparamWriteResult = {
      mode: made.mode,
      bits: made.output.bits,
      generator: made.output.parameters.generator.toString(),
      knownGroup: made.knownGroup,
      format: 'pkcs3',
      encoding,
      elapsedMs: made.elapsedMs,
      files,
    };
    this.renderWritten(result, made.securityBits);
    return result;
  }

  private async generate(bits: number, allowWeak: boolean): Promise<Made> {
    const { generateDhParameters } = await import('../src/pki/dh/generate.js');
    const generated = await withProgress(
      this.terminal,
      `Searching for a ${bits}-bit safe prime`,
      () => generateDhParameters({ bits, allowWeak }),
    );
    return {
      mode: 'generate',
      output: generated,
      knownGroup: null,
      elapsedMs: Math.round(generated.elapsedMs),
      securityBits: null,
    };
  }

  private async check(file: string): Promise<DhparamCheckResult> {
    const { readDhParametersFile } = await import('../src/pki/dh/dh-params.js');
    const { checkDhParameters, firstFailedCheck } = await import('../src/pki/dh/check.js');
    const decoded = await readDhParametersFile(file);
    const verdict = await checkDhParameters(decoded.parameters);
    const result: DhparamCheckResult = {
      mode: 'check',
      file,
      format: decoded.format,
      encoding: decoded.encoding,
      ...verdict,
    };
    if (this.jsonEnabled()) {
      // The verdict is the output: print it whole, and say "failed" with the exit code alone.
      if (!verdict.ok) process.exitCode = ExitCode.checkFailed;
      return result;
    }
    const { renderTree } = await import('../src/render/text-tree.js');
    this.log(renderTree([checkTree(result)], paletteOf(this.terminal)));
    const failed = firstFailedCheck(verdict);
    if (failed) {
      throw new CheckFailedError(`${file}: ${failed.detail}`, {
        hint: 'do not use these parameters; tlskit dhparam --group ffdhe2048 writes a safe group',
      });
    }
    return result;
  }

  private renderWritten(result: DhparamWriteResult, securityBits: number | null): void {
    if (this.jsonEnabled()) return;
    const { colour } = this.terminal;
    // Notes go to stderr when the parameters themselves are on stdout.
    const say = (line: string) =>
      result.files.length === 0 ? this.logToStderr(line) : this.log(line);
    const where = result.files[0] ?? 'dhparam.pem';
    if (result.mode === 'group') {
      say(
        `Wrote the RFC 7919 group ${colour.bold(result.knownGroup?.name ?? '')} ` +
          `(${result.bits} bits, g = 2, about ${securityBits}-bit security) 📜`,
      );
    } else {
      const seconds = ((result.elapsedMs ?? 0) / 1000).toFixed(1);
      say(
        `Created a new ${colour.bold(`${result.bits}-bit DH group`)} ` +
          `(safe prime, g = 2) in ${seconds} s 🧮`,
      );
    }
    for (const file of result.files) say(`  ${colour.green('→')} ${file}`);
    say(
      colour.dim(
        `Only DHE suites use it: tls.createServer({ dhparam: readFileSync('${where}'), … })`,
      ),
    );
  }
}

const STATUS_MARK = { pass: '✓', warn: '!', fail: '✗' } as const;
const STATUS_TONE = { pass: 'good', warn: 'warning', fail: 'bad' } as const;

async function namedGroup(name: string): Promise<Made> {
  const { ffdheParameters } = await import('../src/pki/dh/generate.js');
  const output = ffdheParameters(name);
  return {
    mode: 'group',
    output,
    knownGroup: { name: output.group.name, standard: 'RFC 7919', bits: output.bits },
    elapsedMs: null,
    securityBits: output.group.securityBits,
  };
}

function checkTree(result: DhparamCheckResult): TreeNode {
  const group = result.knownGroup;
  const verdict = !result.ok
    ? 'DH parameters FAIL the checks'
    : group
      ? `this is ${group.name} (${group.standard})`
      : 'DH parameters appear to be OK';
  return {
    label: `${result.file}: ${verdict}`,
    tone: result.ok ? 'good' : 'bad',
    children: [
      {
        label: 'Parameters',
        value: `${result.bits}-bit p, g = ${shortGenerator(result.generator)}`,
      },
      ...result.checks.map((check): TreeNode => ({
        label: `${STATUS_MARK[check.status]} ${check.name}`,
        value: check.detail,
        tone: STATUS_TONE[check.status],
      })),
    ],
  };
}

function shortGenerator(generator: string): string {
  return generator.length > 20 ? `${generator.slice(0, 8)}…` : generator;
}
