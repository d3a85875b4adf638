import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { InputError, InternalError, messageOf } from '../errors.js';
import { readInputFile } from '../io/read-input.js';
import { templatePath } from './package-root.js';

/** The profiles shipped in templates/profiles/. */
export const BUILT_IN_PROFILES = [
  'server',
  'client',
  'server-client',
  'ca',
  'intermediate',
] as const;
export type BuiltInProfileName = (typeof BUILT_IN_PROFILES)[number];

/** RFC 5280 §4.2.1.3 bit names, as `openssl x509 -text` and asn1-x509 spell them. */
export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsageName = (typeof KEY_USAGES)[number];

/** RFC 5280 §4.2.1.12 key purposes by name; a profile may also give a dotted OID. */
export const KEY_PURPOSES: Readonly<Record<string, string>> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  OCSPSigning: '1.3.6.1.5.5.7.3.9',
};

export interface KeyPurpose {
  /** The name as the profile wrote it (a known name or the OID itself). */
  name: string;
  oid: string;
}

/** What a certificate issued under this profile says about itself, besides names and keys. */
export interface Profile {
  /** The built-in name, or the file name without .json. */
  name: string;
  /** Where it came from, for messages: "server.json" or the path given. */
  source: string;
  description: string;
  /** Default lifetime when neither --days nor --not-after is given. */
  validityDays: number;
  basicConstraints: { ca: boolean; pathLength?: number; critical: boolean };
  /** Absent: no keyUsage extension. keyEncipherment is applied to RSA keys only. */
  keyUsage?: { usages: KeyUsageName[]; critical: boolean };
  /** Absent: no extendedKeyUsage extension (CAs). */
  extendedKeyUsage?: { purposes: KeyPurpose[]; critical: boolean };
}

/** About 100 years: beyond that a date runs into GeneralizedTime's year 9999 soon enough. */
const MAX_VALIDITY_DAYS = 36_500;

/**
 * A built-in profile by name, or a profile file by path (anything with a slash or ending in
 * .json). Built-ins are read and checked once per process.
 */
export async function loadProfile(nameOrPath: string): Promise<Profile> {
  if (isBuiltInProfile(nameOrPath)) {
    let cached = builtInCache.get(nameOrPath);
    if (!cached) {
      cached = loadBuiltIn(nameOrPath);
      builtInCache.set(nameOrPath, cached);
    }
    return cached;
  }
  if (!/[\\/]|\.json$/i.test(nameOrPath)) {
    throw new InputError(`unknown profile "${nameOrPath}"`, {
      hint: `use one of ${BUILT_IN_PROFILES.join(', ')}, or a path to a .json profile`,
    });
  }
  const text = (await readInputFile(nameOrPath)).toString('utf8');
  return parseProfile(parseJson(text, nameOrPath), profileName(nameOrPath), nameOrPath);
}

/** Checks a decoded JSON value against the profile format; errors name the source and field. */
export function parseProfile(json: unknown, name: string, source: string): Profile {
  const fields = new FieldReader(source);
  const root = fields.object(json, '', [
    'description',
    'validityDays',
    'basicConstraints',
    'keyUsage',
    'extendedKeyUsage',
  ]);
  const profile: Profile = {
    name,
    source,
    description: fields.optionalString(root.description, '/description') ?? '',
    validityDays: fields.integer(root.validityDays, '/validityDays', 1, MAX_VALIDITY_DAYS),
    basicConstraints: readBasicConstraints(fields, root.basicConstraints),
  };
  if (root.keyUsage !== undefined) profile.keyUsage = readKeyUsage(fields, root.keyUsage);
  if (root.extendedKeyUsage !== undefined) {
    profile.extendedKeyUsage = readExtendedKeyUsage(fields, root.extendedKeyUsage);
  }
  checkCaConsistency(fields, profile);
  return profile;
}

export function isBuiltInProfile(name: string): name is BuiltInProfileName {
  return (BUILT_IN_PROFILES as readonly string[]).includes(name);
}

const builtInCache = new Map<BuiltInProfileName, Promise<Profile>>();

async function loadBuiltIn(name: BuiltInProfileName): Promise<Profile> {
  const source = `${name}.json`;
  let text: string;
  try {
    text = await readFile(templatePath('profiles', source), 'utf8');
  } catch (error) {
    throw new InternalError(`the built-in profile ${source} is missing`, { cause: error });
  }
  return parseProfile(parseJson(text, source), name, source);
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${source}: not valid JSON: ${messageOf(error)}`, { cause: error });
  }
}

function profileName(path: string): string {
  return basename(path).replace(/\.json$/i, '');
}

function readBasicConstraints(fields: FieldReader, value: unknown): Profile['basicConstraints'] {
  const object = fields.object(value, '/basicConstraints', ['ca', 'pathLength', 'critical']);
  const ca = fields.boolean(object.ca, '/basicConstraints/ca');
  const critical = fields.optionalBoolean(object.critical, '/basicConstraints/critical') ?? true;
  if (object.pathLength === undefined) return { ca, critical };
  const pathLength = fields.integer(object.pathLength, '/basicConstraints/pathLength', 0, 255);
  if (!ca) fields.fail('/basicConstraints/pathLength', 'is allowed only when ca is true');
  return { ca, pathLength, critical };
}

function readKeyUsage(fields: FieldReader, value: unknown): NonNullable<Profile['keyUsage']> {
  const object = fields.object(value, '/keyUsage', ['usages', 'critical']);
  const names = fields.stringList(object.usages, '/keyUsage/usages');
  const usages = names.map((usage, index) => {
    if (!(KEY_USAGES as readonly string[]).includes(usage)) {
      fields.fail(
        `/keyUsage/usages/${index}`,
        `"${usage}" is not a key usage (one of ${KEY_USAGES.join(', ')})`,
      );
    }
    return usage as KeyUsageName;
  });
  // RFC 5280 §4.2.1.3 recommends marking keyUsage critical, so the default is critical.
  return {
    usages,
    critical: fields.optionalBoolean(object.critical, '/keyUsage/critical') ?? true,
  };
}

function readExtendedKeyUsage(
  fields: FieldReader,
  value: unknown,
): NonNullable<Profile['extendedKeyUsage']> {
  const object = fields.object(value, '/extendedKeyUsage', ['usages', 'critical']);
  const names = fields.stringList(object.usages, '/extendedKeyUsage/usages');
  const purposes = names.map((name, index) => {
    const oid = KEY_PURPOSES[name] ?? (/^\d+(\.\d+)+$/.test(name) ? name : undefined);
    if (oid === undefined) {
      fields.fail(
        `/extendedKeyUsage/usages/${index}`,
        `"${name}" is not a key purpose (one of ${Object.keys(KEY_PURPOSES).join(', ')}, or an OID)`,
      );
    }
    return { name, oid };
  });
  const critical = fields.optionalBoolean(object.critical, '/extendedKeyUsage/critical') ?? false;
  return { purposes, critical };
}

/** RFC 5280 §4.2.1.3 and §4.2.1.9: keyCertSign if and only if cA (when keyUsage is present). */
function checkCaConsistency(fields: FieldReader, profile: Profile): void {
  const usages = profile.keyUsage?.usages;
  if (!usages) return;
  const certSign = usages.includes('keyCertSign');
  if (profile.basicConstraints.ca && !certSign) {
    fields.fail('/keyUsage/usages', 'a CA profile needs keyCertSign');
  }
  if (!profile.basicConstraints.ca && certSign) {
    fields.fail('/keyUsage/usages', 'keyCertSign needs /basicConstraints/ca true');
  }
}

/** Typed reads of JSON values; every failure names the source and the JSON pointer. */
class FieldReader {
  constructor(private readonly source: string) {}

  fail(pointer: string, message: string): never {
    throw new InputError(`${this.source}: ${pointer || '/'}: ${message}`, {
      hint: 'see templates/profiles/*.json for the format',
    });
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

  integer(value: unknown, pointer: string, min: number, max: number): number {
    if (value === undefined) this.fail(pointer, 'is missing');
    if (typeof value !== 'number') this.fail(pointer, `${show(value)} is not a number`);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.fail(pointer, `${show(value)} is not a whole number from ${min} to ${max}`);
    }
    return value;
  }

  boolean(value: unknown, pointer: string): boolean {
    if (value === undefined) this.fail(pointer, 'is missing');
    if (typeof value !== 'boolean') this.fail(pointer, `${show(value)} is not true or false`);
    return value;
  }

  optionalBoolean(value: unknown, pointer: string): boolean | undefined {
    return value === undefined ? undefined : this.boolean(value, pointer);
  }

  optionalString(value: unknown, pointer: string): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail(pointer, `${show(value)} is not a string`);
    return value;
  }

  /** A non-empty list of distinct strings. */
  stringList(value: unknown, pointer: string): string[] {
    if (value === undefined) this.fail(pointer, 'is missing');
    if (!Array.isArray(value)) this.fail(pointer, `${show(value)} is not a list`);
    if (value.length === 0) this.fail(pointer, 'is empty');
    value.forEach((item, index) => {
      if (typeof item !== 'string')
        this.fail(`${pointer}/${index}`, `${show(item)} is not a string`);
      if (value.indexOf(item) !== index) this.fail(`${pointer}/${index}`, `"${item}" is repeated`);
    });
    return value as string[];
  }
}

function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
