import { InputError, messageOf } from '../../errors.js';
import { parseSan } from '../san.js';
import {
  formatNameConstraint,
  parseNameConstraint,
  type NameConstraintSet,
} from './name-constraints.js';

/**
 * tlskit-ca.json: the CA's own defaults, beside OpenSSL's state files. Example:
 *
 *   {
 *     "version": 1,
 *     "files": { "certificate": "ca.cert.pem", "key": "ca.key.pem", "chain": "chain.pem" },
 *     "defaults": { "profile": "server", "crlDays": 30 },
 *     "crlUrls": ["http://ca.example.test/crl.der"],
 *     "ocspUrls": [],
 *     "nameConstraints": { "permitted": ["DNS:.example.test"], "excluded": [] }
 *   }
 *
 * `defaults.days` (optional) overrides the profile's lifetime. `nameConstraints` is the CA's
 * issuing policy; `ca init` writes the same subtrees into the certificate, and issuing checks both
 * (so editing the file can narrow what the CA issues, never widen what its certificate allows).
 */
export interface CaConfig {
  version: typeof CA_CONFIG_VERSION;
  /** Names of files inside the CA folder. */
  files: { certificate: string; key: string; chain: string };
  defaults: {
    /** A built-in profile name or a path (relative to the CA folder) to a profile file. */
    profile: string;
    /** Lifetime of issued certificates; absent: the profile's. */
    days?: number;
    /** nextUpdate of CRLs, in days after thisUpdate. */
    crlDays: number;
  };
  /** Written as crlDistributionPoints into every certificate this CA issues. */
  crlUrls: string[];
  /** Written as authorityInfoAccess OCSP locations into every certificate this CA issues. */
  ocspUrls: string[];
  nameConstraints: NameConstraintSet;
}

export const CA_CONFIG_VERSION = 1;
/** As openssl's sample configuration sets default_crl_days. */
export const DEFAULT_CRL_DAYS = 30;
const MAX_DAYS = 36_500;

/** Reads tlskit-ca.json; every problem names the file and the JSON pointer of the field. */
export function parseCaConfig(text: string, source: string): CaConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${source}: not valid JSON: ${messageOf(error)}`, {
      hint: HINT,
      cause: error,
    });
  }
  const fields = new Fields(source);
  const root = fields.object(json, '', [
    'version',
    'files',
    'defaults',
    'crlUrls',
    'ocspUrls',
    'nameConstraints',
  ]);
  if (root.version !== CA_CONFIG_VERSION) {
    fields.fail('/version', `${JSON.stringify(root.version)} is not ${CA_CONFIG_VERSION}`);
  }
  const files = fields.object(root.files, '/files', ['certificate', 'key', 'chain']);
  const defaults = fields.object(root.defaults, '/defaults', ['profile', 'days', 'crlDays']);
  const constraints = fields.object(root.nameConstraints, '/nameConstraints', [
    'permitted',
    'excluded',
  ]);
  const config: CaConfig = {
    version: CA_CONFIG_VERSION,
    files: {
      certificate: fields.fileName(files.certificate, '/files/certificate'),
      key: fields.fileName(files.key, '/files/key'),
      chain: fields.fileName(files.chain, '/files/chain'),
    },
    defaults: {
      profile: fields.string(defaults.profile, '/defaults/profile'),
      crlDays: fields.integer(defaults.crlDays, '/defaults/crlDays', 1, MAX_DAYS),
    },
    crlUrls: fields.urls(root.crlUrls, '/crlUrls'),
    ocspUrls: fields.urls(root.ocspUrls, '/ocspUrls'),
    nameConstraints: {
      permitted: fields.constraints(constraints.permitted, '/nameConstraints/permitted'),
      excluded: fields.constraints(constraints.excluded, '/nameConstraints/excluded'),
    },
  };
  if (defaults.days !== undefined) {
    config.defaults.days = fields.integer(defaults.days, '/defaults/days', 1, MAX_DAYS);
  }
  return config;
}

/** The file's text: stable key order, two-space indent, a final newline. */
export function formatCaConfig(config: CaConfig): string {
  const json = {
    version: config.version,
    files: config.files,
    defaults: config.defaults,
    crlUrls: config.crlUrls,
    ocspUrls: config.ocspUrls,
    nameConstraints: {
      permitted: config.nameConstraints.permitted.map(formatNameConstraint),
      excluded: config.nameConstraints.excluded.map(formatNameConstraint),
    },
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** A CRL or OCSP location: an absolute URI in ASCII (it is written as an IA5String). */
export function parseLocationUrl(text: string, flag: string): string {
  try {
    return parseSan(`URI:${text}`).value;
  } catch (error) {
    throw new InputError(`${flag} "${text}" is not an absolute URL`, {
      hint: 'give a URL such as http://ca.example.test/crl.der',
      cause: error,
    });
  }
}

// ---------------------------------------------------------------------------------------------

const HINT = 'tlskit-ca.json holds the CA defaults: fix the field, or restore it from a backup';

/** Typed reads of JSON values; every failure names the source and the JSON pointer. */
class Fields {
  constructor(private readonly source: string) {}

  fail(pointer: string, message: string): never {
    throw new InputError(`${this.source}: ${pointer || '/'}: ${message}`, { hint: HINT });
  }

  object(value: unknown, pointer: string, allowed: readonly string[]): Record<string, unknown> {
    if (value === undefined) this.fail(pointer, 'is missing');
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(pointer, `${show(value)} is not an object`);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) {
        this.fail(`${pointer}/${key}`, `unknown field (expected ${allowed.join(', ')})`);
      }
    }
    return record;
  }

  string(value: unknown, pointer: string): string {
    if (value === undefined) this.fail(pointer, 'is missing');
    if (typeof value !== 'string' || value === '') {
      this.fail(pointer, `${show(value)} is not a non-empty string`);
    }
    return value;
  }

  /** A plain file name: the CA's files live in its folder, never elsewhere. */
  fileName(value: unknown, pointer: string): string {
    const name = this.string(value, pointer);
    if (/[\\/]/.test(name) || name === '.' || name === '..') {
      this.fail(pointer, `"${name}" is not a plain file name inside the CA folder`);
    }
    return name;
  }

  integer(value: unknown, pointer: string, min: number, max: number): number {
    if (value === undefined) this.fail(pointer, 'is missing');
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(pointer, `${show(value)} is not a whole number from ${min} to ${max}`);
    }
    return value;
  }

  strings(value: unknown, pointer: string): string[] {
    if (value === undefined) this.fail(pointer, 'is missing');
    if (!Array.isArray(value)) this.fail(pointer, `${show(value)} is not a list`);
    return value.map((item, index) => this.string(item, `${pointer}/${index}`));
  }

  urls(value: unknown, pointer: string): string[] {
    return this.strings(value, pointer).map((url, index) =>
      this.wrap(() => parseLocationUrl(url, 'the URL'), `${pointer}/${index}`),
    );
  }

  constraints(value: unknown, pointer: string): NameConstraintSet['permitted'] {
    return this.strings(value, pointer).map((text, index) =>
      this.wrap(() => parseNameConstraint(text, 'the constraint'), `${pointer}/${index}`),
    );
  }

  private wrap<T>(parse: () => T, pointer: string): T {
    try {
      return parse();
    } catch (error) {
      this.fail(pointer, messageOf(error));
    }
  }
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
