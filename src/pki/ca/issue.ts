import type { KeyObject } from 'node:crypto';
import { lstat, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  id_ce_subjectAltName,
  SubjectAlternativeName,
  type Extension,
  type Name,
} from '@peculiar/asn1-x509';
import { FileExistsError, InputError, UsageError } from '../../errors.js';
import {
  PUBLIC_FILE_MODE,
  SECRET_FILE_MODE,
  writeFilesAtomic,
  type FileOutput,
  type FileWriter,
} from '../../io/atomic-write.js';
import { encodePem } from '../../io/pem.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import {
  CERTIFICATE_PEM_LABEL,
  issueCertificate,
  issuerFromCertificate,
  type CertificateDetails,
} from '../certificate.js';
import { readSignableCsrFile } from '../csr.js';
import { encodePrivateKey, generateKeyPair, type KeySpec } from '../keys.js';
import { decodeName, encodeName, formatName, parseSubject } from '../name.js';
import { loadProfile, type Profile } from '../profile.js';
import { encodeSubjectAltNames, formatSan, parseSan, type SubjectAltName } from '../san.js';
import { resolveValidity } from '../validity.js';
import { checkIssuancePolicy, fitDefaultValidity } from './ca-policy.js';
import { caPath, loadCaKey, openCaFolder, type CaFolder } from './ca-store.js';
import { revocationPointerExtensions } from './ca-extensions.js';
import { recordIssuance } from './issuance.js';
import { checkKeySpec } from './key-spec.js';
import type { LockOptions } from './lock.js';

/** The key `ca issue` makes when there is no CSR: EC P-256, as step makes. */
export const DEFAULT_LEAF_KEY: KeySpec = { type: 'ec', curve: 'P-256' };

export interface CaIssueOptions {
  /** The CA folder. */
  dir: string;
  /** A CSR to issue for; without one, tlskit makes the key from `key`. */
  csrPath?: string;
  /** A full subject (`/O=Acme/CN=www.example.test`), or only its common name. */
  subject?: string;
  commonName?: string;
  /** `DNS:name`, `IP:addr`, `email:…`, `URI:…`, or a bare name or address. */
  sans?: readonly string[];
  key?: KeySpec;
  /** Encrypts the key tlskit makes. */
  keyPassphrase?: string;
  /** A built-in profile or a profile file; default the CA's (tlskit-ca.json), else server. */
  profile?: string;
  days?: number;
  notBefore?: string;
  notAfter?: string;
  /** Output prefix: NAME.cert.pem, NAME.key.pem, NAME.chain.pem, NAME.fullchain.pem. */
  out?: string;
  force?: boolean;
  /** Asked only if the CA key is encrypted. */
  passphrase?: PassphraseProvider;
  now?: Date;
  random?: (size: number) => Buffer;
  writer?: FileWriter;
  lock?: LockOptions;
}

/** The files `ca issue` writes. */
export interface CaIssueFiles {
  certificate: string;
  /** null when the key came with a CSR (tlskit never sees it). */
  key: string | null;
  /** The issuing CA's certificate and its parents up to the root (the CA's chain.pem). */
  chain: string;
  /** The new certificate and the CA certificates below the root: what a server sends. */
  fullchain: string;
}

export interface CaIssueResult {
  /** The CA folder. */
  ca: string;
  /** `C=UK, O=node.js, CN=localhost` (encoding order). */
  subject: string;
  issuer: string;
  /** Upper-case hex, as index.txt and `openssl x509 -serial` write it. */
  serial: string;
  notBefore: string;
  notAfter: string;
  profile: string;
  /** `DNS:localhost`, `IP:127.0.0.1`… */
  sans: string[];
  signatureAlgorithm: string;
  fingerprint256: string;
  keyGenerated: boolean;
  files: CaIssueFiles;
  /** The CA's copy: newcerts/SERIAL.pem. */
  recorded: string;
}

/**
 * Issues a certificate from a CA folder, like `openssl ca` but with tlskit's profiles: checks the
 * request (or makes a key), the CA's name constraints, path length and lifetime, writes the
 * certificate, key, chain and fullchain, and records the certificate in the CA's index.txt and
 * newcerts/ (issuance.ts: the index is written under the folder's lock, so concurrent issues
 * never share a serial or lose a line).
 */
export async function issueFromCa(options: CaIssueOptions): Promise<CaIssueResult> {
  const now = options.now ?? new Date();
  const folder = await openCaFolder(options.dir);
  const profile = await loadCaProfile(folder, options.profile);
  const validity = fitDefaultValidity(
    folder,
    resolveValidity(
      {
        days: options.days ?? (options.notAfter ? undefined : folder.config.defaults.days),
        notBefore: options.notBefore,
        notAfter: options.notAfter,
      },
      now,
      profile.validityDays,
    ),
    options.days !== undefined || options.notAfter !== undefined,
  );
  const request = options.csrPath
    ? await requestFromCsr(options)
    : requestFromFlags(options, profile);
  checkIssuancePolicy(folder, {
    names: {
      subject: request.subject,
      sans: request.sans,
      hasUncheckableSans: request.uncheckable,
    },
    ca: profile.basicConstraints.ca,
    pathLength: profile.basicConstraints.pathLength,
    validity,
  });
  const files = outputFiles(options, request.subject);
  await refuseExisting(files, options.force);
  const caKey = await loadCaKey(folder, options.passphrase);
  const issuer = issuerFromCertificate(
    folder.certificate,
    caKey,
    caPath(folder, folder.config.files.key),
    profile,
  );
  const generated = request.publicKey
    ? undefined
    : await generateKeyPair(options.key ?? DEFAULT_LEAF_KEY);
  const publicKey = (request.publicKey ?? generated?.publicKey) as KeyObject;
  const writer = options.writer ?? writeFilesAtomic;
  const recorded = await recordIssuance(folder, {
    subject: request.subject,
    random: options.random,
    writer,
    lock: options.lock,
    issue: (serial) =>
      issueCertificate({
        subject: request.subject,
        publicKey,
        issuer,
        profile,
        validity,
        serial,
        extraExtensions: [
          ...(request.sanExtension ? [request.sanExtension] : []),
          ...revocationPointerExtensions(folder.config.crlUrls, folder.config.ocspUrls),
        ],
      }),
    publish: async (issued) => {
      const outputs = deliverables(folder, files, issued.pem, generated?.privateKey, options);
      await writer(outputs, { force: options.force });
      // With --force the old files are gone already; without it, take back what we created.
      return async () => {
        if (!options.force) await Promise.all(outputs.map((o) => unlink(o.path).catch(() => {})));
      };
    },
  });
  const { issued } = recorded;
  return {
    ca: options.dir,
    subject: formatName(decodeName(request.subject), 'openssl'),
    issuer: formatName(decodeName(folder.certificate.subject), 'openssl'),
    serial: issued.serialHex,
    notBefore: issued.notBefore.toISOString(),
    notAfter: issued.notAfter.toISOString(),
    profile: profile.name,
    sans: request.sans.map(formatSan),
    signatureAlgorithm: issued.signatureAlgorithm.name,
    fingerprint256: issued.fingerprint256,
    keyGenerated: generated !== undefined,
    files,
    recorded: recorded.copyPath,
  };
}

/**
 * The profile: the given one, else the CA's default. A profile file named in tlskit-ca.json is
 * found relative to the CA folder; one given on the command line, relative to where you are.
 */
export async function loadCaProfile(folder: CaFolder, given: string | undefined): Promise<Profile> {
  if (given !== undefined) return loadProfile(given);
  const name = folder.config.defaults.profile;
  return loadProfile(/[\\/]|\.json$/i.test(name) ? caPath(folder, name) : name);
}

/** PEM of the CA's chain (this CA up to the root). */
export function chainPemOf(chain: readonly CertificateDetails[]): string {
  return chain.map((ca) => encodePem(CERTIFICATE_PEM_LABEL, ca.der)).join('');
}

/** The output prefix when none is given: the first name, made safe as a file name. */
export function defaultOutputName(
  subject: Name,
  sans: readonly SubjectAltName[],
  csrPath?: string,
): string {
  if (csrPath) return basename(csrPath).replace(/\.(csr|req|pem|der)$/i, '');
  const commonName = decodeName(subject)
    .flat()
    .find((attribute) => attribute.type === 'CN')?.value;
  const first = sans[0]?.value ?? commonName ?? 'certificate';
  return first.replace(/^\*\./, '_wildcard.').replace(/[^A-Za-z0-9._@-]/g, '_');
}

// ---------------------------------------------------------------------------------------------

interface IssueRequest {
  subject: Name;
  sans: SubjectAltName[];
  /** Carried into the certificate as it is (from the CSR) or as built. */
  sanExtension?: Extension;
  /** The CSR's key; undefined when tlskit makes the key. */
  publicKey?: KeyObject;
  uncheckable: boolean;
}

async function requestFromCsr(options: CaIssueOptions): Promise<IssueRequest> {
  const path = options.csrPath as string;
  if (options.subject || options.commonName || options.sans?.length || options.key) {
    throw new UsageError('--csr brings its own subject, names and key', {
      hint: 'drop --subject, --cn, --san and the key flags, or drop --csr',
    });
  }
  const csr = await readSignableCsrFile(path);
  const sanExtension = csr.requestedExtensions.find((e) => e.extnID === id_ce_subjectAltName);
  const allNames = sanExtension
    ? AsnConvert.parse(sanExtension.extnValue.buffer, SubjectAlternativeName).length
    : 0;
  return {
    subject: csr.subject,
    sans: csr.sans,
    sanExtension,
    publicKey: csr.publicKey,
    uncheckable: allNames !== csr.sans.length,
  };
}

function requestFromFlags(options: CaIssueOptions, profile: Profile): IssueRequest {
  checkKeySpec(options.key);
  if (options.subject && options.commonName) {
    throw new UsageError('--subject and --cn both set the subject', { hint: 'give one of them' });
  }
  const sans = (options.sans ?? []).map(parseSan);
  let dn = options.subject
    ? parseSubject(options.subject)
    : options.commonName
      ? parseSubject(`/CN=${escapeSubj(options.commonName)}`)
      : undefined;
  if (!dn) {
    const first = sans[0];
    if (!first) {
      throw new UsageError('nothing to issue for', {
        hint: 'give --csr FILE, or --cn NAME and/or --san NAME',
      });
    }
    dn = parseSubject(`/CN=${escapeSubj(first.value)}`);
  }
  // Browsers ignore the common name: a server certificate names its host in a SAN.
  const commonName = dn.flat().find((attribute) => attribute.type === 'CN')?.value;
  if (sans.length === 0 && commonName && servesTls(profile))
    sans.push(sanFromCommonName(commonName));
  return {
    subject: encodeName(dn),
    sans,
    sanExtension:
      sans.length > 0 ? encodeSubjectAltNames(sans, { critical: dn.length === 0 }) : undefined,
    uncheckable: false,
  };
}

function servesTls(profile: Profile): boolean {
  return (
    profile.extendedKeyUsage?.purposes.some((purpose) => purpose.name === 'serverAuth') ?? false
  );
}

function sanFromCommonName(commonName: string): SubjectAltName {
  try {
    return parseSan(commonName);
  } catch (error) {
    throw new InputError(`--cn "${commonName}" is not a host name or address`, {
      hint: 'a server certificate names its host: give --san NAME too',
      cause: error,
    });
  }
}

function escapeSubj(value: string): string {
  return value.replace(/[\\/+]/g, (character) => `\\${character}`);
}

function outputFiles(options: CaIssueOptions, subject: Name): CaIssueFiles {
  const prefix =
    options.out ?? defaultOutputName(subject, (options.sans ?? []).map(parseSan), options.csrPath);
  return {
    certificate: `${prefix}.cert.pem`,
    key: options.csrPath ? null : `${prefix}.key.pem`,
    chain: `${prefix}.chain.pem`,
    fullchain: `${prefix}.fullchain.pem`,
  };
}

/** Fails before any work when an output exists (the writer checks again, race-free). */
async function refuseExisting(files: CaIssueFiles, force: boolean | undefined): Promise<void> {
  if (force) return;
  for (const path of Object.values(files)) {
    if (path && (await lstat(path).catch(() => undefined))) throw new FileExistsError(path);
  }
}

function deliverables(
  folder: CaFolder,
  files: CaIssueFiles,
  certificatePem: string,
  privateKey: KeyObject | undefined,
  options: CaIssueOptions,
): FileOutput[] {
  const belowRoot = folder.chain.filter(
    (ca, index) => index < folder.chain.length - 1 || !isRoot(ca),
  );
  const outputs: FileOutput[] = [
    { path: files.certificate, data: certificatePem, mode: PUBLIC_FILE_MODE },
    { path: files.chain, data: chainPemOf(folder.chain), mode: PUBLIC_FILE_MODE },
    {
      path: files.fullchain,
      data: certificatePem + chainPemOf(belowRoot),
      mode: PUBLIC_FILE_MODE,
    },
  ];
  if (files.key && privateKey) {
    const key = encodePrivateKey(privateKey, { format: 'pem', passphrase: options.keyPassphrase });
    outputs.splice(1, 0, { path: files.key, data: key, mode: SECRET_FILE_MODE });
  }
  return outputs;
}

/** A self-signed certificate at the top of the chain: relying parties hold it already. */
function isRoot(ca: CertificateDetails): boolean {
  const tbs = ca.certificate.tbsCertificate;
  return Buffer.from(AsnConvert.serialize(tbs.subject)).equals(
    Buffer.from(AsnConvert.serialize(tbs.issuer)),
  );
}
