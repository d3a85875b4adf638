import { randomBytes, type KeyObject } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { PUBLIC_FILE_MODE, SECRET_FILE_MODE, type FileWriter } from '../../io/atomic-write.js';
import { readInputFile } from '../../io/read-input.js';
import { issueCertificate, type IssuedCertificate } from '../certificate.js';
import {
  describeKey,
  encodePrivateKey,
  generateKeyPair,
  type KeyDescription,
  type KeySpec,
} from '../keys.js';
import { decodeName, encodeName, formatName, parseSubject } from '../name.js';
import { isBuiltInProfile, loadProfile, type Profile } from '../profile.js';
import { randomSerial } from '../serial.js';
import { signatureAlgorithmFor } from '../signature-algorithm.js';
import { resolveValidity } from '../validity.js';
import {
  CA_CONFIG_VERSION,
  DEFAULT_CRL_DAYS,
  formatCaConfig,
  parseLocationUrl,
  type CaConfig,
} from './ca-config.js';
import {
  CA_CONFIG_FILE,
  createCaFolder,
  CRL_NUMBER_FILE,
  DEFAULT_CA_FILES,
  INDEX_ATTRIBUTES_FILE,
  INDEX_FILE,
  OPENSSL_CNF_FILE,
  refuseNonEmpty,
  SERIAL_FILE,
  type CaFile,
} from './ca-store.js';
import {
  encodeNameConstraints,
  formatNameConstraint,
  parseNameConstraint,
  type NameConstraintSet,
} from './name-constraints.js';
import { checkKeySpec } from './key-spec.js';
import { formatSerialFile, INDEX_ATTRIBUTES_TEXT } from './openssl-index.js';
import { formatOpensslCnf } from './openssl-cnf.js';

/** The CA key `ca init` and `ca intermediate` make by default: EC P-256, as step does. */
export const DEFAULT_CA_KEY: KeySpec = { type: 'ec', curve: 'P-256' };
export const DEFAULT_ROOT_SUBJECT = '/CN=tlskit Root CA';
/** What the CA issues unless told otherwise (tlskit-ca.json defaults.profile). */
export const DEFAULT_ISSUE_PROFILE = 'server';
/** Profiles that get an extensions section in openssl.cnf besides the default. */
const OPENSSL_CNF_PROFILES = ['server', 'client', 'server-client', 'intermediate'] as const;

/** What `ca init` and `ca intermediate` share: the new CA's key, name and defaults. */
export interface NewCaOptions {
  /** The folder to create: it must not exist, or be empty. */
  dir: string;
  subject?: string;
  key?: KeySpec;
  /** Encrypts the CA key (PKCS#8 PBES2, AES-256-CBC). */
  passphrase?: string;
  /** Lifetime; default the profile's (3650 days for a root, 1825 for an intermediate). */
  days?: number;
  /** basicConstraints pathLenConstraint; default none for a root, 0 for an intermediate. */
  pathLength?: number;
  /** `DNS:.example.test`, `IP:10.0.0.0/8`, `email:example.test`… */
  permit?: readonly string[];
  exclude?: readonly string[];
  /** Put into every certificate this CA issues (crlDistributionPoints, AIA OCSP). */
  crlUrls?: readonly string[];
  ocspUrls?: readonly string[];
  /** tlskit-ca.json defaults for `ca issue`. */
  defaultProfile?: string;
  defaultDays?: number;
  crlDays?: number;
  now?: Date;
  random?: (size: number) => Buffer;
  writer?: FileWriter;
}

export type CaInitOptions = NewCaOptions;

/** What `ca init` and `ca intermediate` report. */
export interface NewCaResult {
  ca: string;
  subject: string;
  issuer: string;
  serial: string;
  notBefore: string;
  notAfter: string;
  key: { type: string; bits: number; curve: string | null };
  encrypted: boolean;
  pathLength: number | null;
  nameConstraints: { permitted: string[]; excluded: string[] };
  crlUrls: string[];
  ocspUrls: string[];
  signatureAlgorithm: string;
  fingerprint256: string;
  /** Every file written into the new folder. */
  files: string[];
}

/**
 * A root CA in a new folder: a key, a self-signed certificate (profile ca, with the requested
 * path length and name constraints, critical), tlskit-ca.json, openssl.cnf, and OpenSSL's state
 * files (empty index.txt, serial, crlnumber 01, index.txt.attr). The folder appears whole or
 * not at all.
 */
export async function initCa(options: CaInitOptions): Promise<NewCaResult> {
  await refuseNonEmpty(options.dir);
  const plan = await planNewCa(options, 'ca', DEFAULT_ROOT_SUBJECT);
  const { privateKey, publicKey } = await generateKeyPair(options.key ?? DEFAULT_CA_KEY);
  const issued = await issueCertificate({
    subject: plan.subject,
    publicKey,
    issuer: { name: plan.subject, key: privateKey },
    profile: plan.profile,
    validity: plan.validity,
    serial: randomSerial(options.random ?? randomBytes),
    extraExtensions: plan.nameConstraintsExtension,
  });
  const files = await createCaFolder(
    options.dir,
    await caFolderFiles(options, plan, privateKey, issued, issued.pem),
    options.writer,
  );
  return describeNewCa(options, plan, privateKey, issued, files);
}

// ---- shared with `ca intermediate` ----------------------------------------------------------

/** The new CA's checked inputs, before any key is made. */
export interface NewCaPlan {
  subject: ReturnType<typeof encodeName>;
  profile: Profile;
  validity: { notBefore: Date; notAfter: Date };
  nameConstraints: NameConstraintSet;
  /** [] when there are no constraints. */
  nameConstraintsExtension: ReturnType<typeof encodeNameConstraints>[];
  crlUrls: string[];
  ocspUrls: string[];
  defaultProfile: Profile;
  /** A profile file given as the default is copied into the folder, which stays whole. */
  defaultProfileFile?: CaFile;
}

/**
 * Parses and checks everything about a new CA: the profile (`ca` for a root, `intermediate`
 * for a subordinate CA) with the path length override, subject, validity, name constraints
 * (`inherited` when none are given), revocation URLs and the default issuing profile.
 */
export async function planNewCa(
  options: NewCaOptions,
  profileName: 'ca' | 'intermediate',
  defaultSubject: string,
  inherited?: NameConstraintSet,
): Promise<NewCaPlan> {
  checkKeySpec(options.key);
  const base = await loadProfile(profileName);
  const { pathLength } = options;
  if (
    pathLength !== undefined &&
    !(Number.isInteger(pathLength) && pathLength >= 0 && pathLength <= 255)
  ) {
    throw new UsageError(`--pathlen ${pathLength} is not a whole number from 0 to 255`);
  }
  const profile: Profile =
    options.pathLength === undefined
      ? base
      : { ...base, basicConstraints: { ...base.basicConstraints, pathLength: options.pathLength } };
  const given = (options.permit?.length ?? 0) + (options.exclude?.length ?? 0) > 0;
  const nameConstraints: NameConstraintSet =
    given || !inherited
      ? {
          permitted: (options.permit ?? []).map((text) => parseNameConstraint(text, '--permit')),
          excluded: (options.exclude ?? []).map((text) => parseNameConstraint(text, '--exclude')),
        }
      : inherited;
  const constrained = nameConstraints.permitted.length + nameConstraints.excluded.length > 0;
  return {
    subject: encodeName(parseSubject(options.subject ?? defaultSubject)),
    profile,
    validity: resolveValidity(
      { days: options.days },
      options.now ?? new Date(),
      profile.validityDays,
    ),
    nameConstraints,
    nameConstraintsExtension: constrained ? [encodeNameConstraints(nameConstraints)] : [],
    crlUrls: (options.crlUrls ?? []).map((url) => parseLocationUrl(url, '--crl-url')),
    ocspUrls: (options.ocspUrls ?? []).map((url) => parseLocationUrl(url, '--ocsp-url')),
    defaultProfile: await loadProfile(options.defaultProfile ?? DEFAULT_ISSUE_PROFILE),
    defaultProfileFile: await profileFileToCopy(options.defaultProfile),
  };
}

/** Every file of a new CA folder, by name. */
export async function caFolderFiles(
  options: NewCaOptions,
  plan: NewCaPlan,
  privateKey: KeyObject,
  issued: IssuedCertificate,
  chainPem: string,
): Promise<CaFile[]> {
  const config: CaConfig = {
    version: CA_CONFIG_VERSION,
    files: { ...DEFAULT_CA_FILES },
    defaults: {
      profile: plan.defaultProfileFile?.name ?? options.defaultProfile ?? DEFAULT_ISSUE_PROFILE,
      crlDays: options.crlDays ?? DEFAULT_CRL_DAYS,
    },
    crlUrls: plan.crlUrls,
    ocspUrls: plan.ocspUrls,
    nameConstraints: plan.nameConstraints,
  };
  if (options.defaultDays !== undefined) config.defaults.days = options.defaultDays;
  const otherProfiles = await Promise.all(OPENSSL_CNF_PROFILES.map((name) => loadProfile(name)));
  const opensslCnf = formatOpensslCnf({
    dir: resolve(options.dir),
    certificateFile: config.files.certificate,
    keyFile: config.files.key,
    digest: signatureAlgorithmFor(privateKey).digest,
    days: config.defaults.days ?? plan.defaultProfile.validityDays,
    crlDays: config.defaults.crlDays,
    defaultProfile: plan.defaultProfile,
    otherProfiles,
    crlUrls: plan.crlUrls,
    ocspUrls: plan.ocspUrls,
  });
  const publicFile = (name: string, data: string): CaFile => ({
    name,
    data,
    mode: PUBLIC_FILE_MODE,
  });
  return [
    {
      name: config.files.key,
      data: encodePrivateKey(privateKey, { format: 'pem', passphrase: options.passphrase }),
      mode: SECRET_FILE_MODE,
    },
    publicFile(config.files.certificate, issued.pem),
    publicFile(config.files.chain, chainPem),
    publicFile(CA_CONFIG_FILE, formatCaConfig(config)),
    publicFile(OPENSSL_CNF_FILE, opensslCnf),
    publicFile(INDEX_FILE, ''),
    publicFile(INDEX_ATTRIBUTES_FILE, INDEX_ATTRIBUTES_TEXT),
    // openssl.cnf sets rand_serial, so openssl ignores this; it stays valid for anyone who
    // turns rand_serial off (a fresh random start, as `openssl ca -create_serial` makes).
    publicFile(SERIAL_FILE, formatSerialFile(BigInt(`0x${randomBytes(16).toString('hex')}`) | 1n)),
    publicFile(CRL_NUMBER_FILE, formatSerialFile(1n)),
    ...(plan.defaultProfileFile ? [plan.defaultProfileFile] : []),
  ];
}

/** The profile file to copy into the folder, when the default profile is a file. */
async function profileFileToCopy(nameOrPath: string | undefined): Promise<CaFile | undefined> {
  if (nameOrPath === undefined || isBuiltInProfile(nameOrPath)) return undefined;
  const name = basename(nameOrPath);
  if (RESERVED_NAMES.has(name)) {
    throw new UsageError(`--default-profile ${nameOrPath}: ${name} is a name the CA folder uses`, {
      hint: 'rename the profile file',
    });
  }
  return { name, data: await readInputFile(nameOrPath), mode: PUBLIC_FILE_MODE };
}

const RESERVED_NAMES = new Set<string>([
  ...Object.values(DEFAULT_CA_FILES),
  CA_CONFIG_FILE,
  OPENSSL_CNF_FILE,
  INDEX_FILE,
  INDEX_ATTRIBUTES_FILE,
  SERIAL_FILE,
  CRL_NUMBER_FILE,
]);

export function describeNewCa(
  options: NewCaOptions,
  plan: NewCaPlan,
  privateKey: KeyObject,
  issued: IssuedCertificate,
  files: string[],
  issuerName = plan.subject,
): NewCaResult {
  const key: KeyDescription = describeKey(privateKey);
  return {
    ca: options.dir,
    subject: formatName(decodeName(plan.subject), 'openssl'),
    issuer: formatName(decodeName(issuerName), 'openssl'),
    serial: issued.serialHex,
    notBefore: issued.notBefore.toISOString(),
    notAfter: issued.notAfter.toISOString(),
    key: { type: key.type, bits: key.bits, curve: key.curve ?? null },
    encrypted: options.passphrase !== undefined,
    pathLength: plan.profile.basicConstraints.pathLength ?? null,
    nameConstraints: {
      permitted: plan.nameConstraints.permitted.map(formatNameConstraint),
      excluded: plan.nameConstraints.excluded.map(formatNameConstraint),
    },
    crlUrls: plan.crlUrls,
    ocspUrls: plan.ocspUrls,
    signatureAlgorithm: issued.signatureAlgorithm.name,
    fingerprint256: issued.fingerprint256,
    files,
  };
}
