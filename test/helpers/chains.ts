/**
 * Test PKIs made with tlskit's own library: roots, intermediates and leaves with chosen
 * validity, path lengths, name constraints, key usages, SANs, key types and digests, and CRLs.
 * Keys are EC P-256 unless a test needs another type: chains are cheap to make per test.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  CRLNumber,
  CRLReason,
  CRLReasons,
  CertificateList,
  Extension,
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  KeyIdentifier,
  Name,
  NameConstraints,
  RevokedCertificate,
  TBSCertList,
  Time,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
  id_ce_nameConstraints,
} from '@peculiar/asn1-x509';
import { encodePem } from '../../src/io/pem.js';
import { issueCertificate } from '../../src/pki/certificate.js';
import { generateKeyPair, type KeySpec } from '../../src/pki/keys.js';
import { encodeName, parseSubject } from '../../src/pki/name.js';
import {
  KEY_PURPOSES,
  loadProfile,
  type BuiltInProfileName,
  type KeyUsageName,
  type Profile,
} from '../../src/pki/profile.js';
import { encodeSubjectAltNames, parseSan } from '../../src/pki/san.js';
import { randomSerial } from '../../src/pki/serial.js';
import { signatureAlgorithmFor, signData, type Digest } from '../../src/pki/signature-algorithm.js';

const DAY_MS = 86_400_000;

/** A certificate made for a test, with its private key so it can issue more. */
export interface TestCertificate {
  der: Buffer;
  pem: string;
  key: KeyObject;
  subject: Name;
  subjectKeyIdentifier: Buffer;
  serial: Buffer;
}

export interface CertificateSpec {
  /** openssl -subj syntax: `/CN=Test Root`. */
  subject: string;
  /** Absent: self-signed. */
  issuer?: TestCertificate;
  /** A built-in profile; default `ca` when self-signed, else `server`. */
  profile?: BuiltInProfileName;
  /** Overrides of the profile's basicConstraints. `pathLength: null` removes a path length. */
  ca?: boolean;
  pathLength?: number | null;
  /** Replace the profile's key usages; `null` leaves the extension out. */
  keyUsage?: KeyUsageName[] | null;
  /** Replace the profile's key purposes (names or OIDs); `null` leaves the extension out. */
  extendedKeyUsage?: string[] | null;
  /** `DNS:leaf.example.test`, `IP:192.0.2.1`… */
  sans?: string[];
  /** Name constraints: `DNS:example.test`, `IP:10.0.0.0/8`, `email:example.test`, `URI:.x.test`. */
  permitted?: string[];
  excluded?: string[];
  notBefore?: Date;
  notAfter?: Date;
  key?: KeySpec;
  /** Certify this certificate's key again (renewals, cross certificates) instead of a new key. */
  reuseKeyOf?: TestCertificate;
  digest?: Digest;
  /** Needed for SHA-1 (the library refuses it otherwise). */
  allowWeak?: boolean;
  /** Extensions added as they are (raw SANs the SAN parser would refuse, unknown criticals). */
  extraExtensions?: Extension[];
  /** The subject as an encoded Name (other string types), instead of `subject`. */
  subjectName?: Name;
}

/** Reference time for tests: certificates are valid from a day before to a year after. */
export function defaultValidity(now = new Date()): { notBefore: Date; notAfter: Date } {
  return {
    notBefore: new Date(Math.floor((now.getTime() - DAY_MS) / 1000) * 1000),
    notAfter: new Date(Math.floor((now.getTime() + 365 * DAY_MS) / 1000) * 1000),
  };
}

export async function makeCertificate(spec: CertificateSpec): Promise<TestCertificate> {
  const pair = spec.reuseKeyOf
    ? { privateKey: spec.reuseKeyOf.key, publicKey: createPublicKey(spec.reuseKeyOf.key) }
    : await generateKeyPair(spec.key ?? { type: 'ec', curve: 'P-256' });
  const subject = spec.subjectName ?? encodeName(parseSubject(spec.subject));
  const issuer = spec.issuer;
  const profile = await profileFor(spec);
  const validity = defaultValidity();
  const serial = randomSerial();
  const extra: Extension[] = [...(spec.extraExtensions ?? [])];
  if (spec.sans?.length) extra.push(encodeSubjectAltNames(spec.sans.map(parseSan)));
  if (spec.permitted?.length || spec.excluded?.length) {
    extra.push(nameConstraintsExtension(spec.permitted ?? [], spec.excluded ?? []));
  }
  const issued = await issueCertificate({
    subject,
    publicKey: pair.publicKey,
    issuer: issuer
      ? {
          name: issuer.subject,
          key: issuer.key,
          subjectKeyIdentifier: issuer.subjectKeyIdentifier,
        }
      : { name: subject, key: pair.privateKey },
    profile,
    validity: {
      notBefore: spec.notBefore ?? validity.notBefore,
      notAfter: spec.notAfter ?? validity.notAfter,
    },
    serial,
    digest: spec.digest,
    allowWeak: spec.allowWeak,
    extraExtensions: extra,
  });
  return {
    der: issued.der,
    pem: issued.pem,
    key: pair.privateKey,
    subject,
    subjectKeyIdentifier: issued.subjectKeyIdentifier,
    serial,
  };
}

/** The usual three: a root, an intermediate (pathlen 0) and a server leaf for `leaf.example.test`. */
export interface TestChain {
  root: TestCertificate;
  intermediate: TestCertificate;
  leaf: TestCertificate;
}

export async function makeChain(
  overrides: {
    root?: Partial<CertificateSpec>;
    intermediate?: Partial<CertificateSpec>;
    leaf?: Partial<CertificateSpec>;
  } = {},
): Promise<TestChain> {
  const root = await makeCertificate({ subject: '/CN=Test Root', ...overrides.root });
  const intermediate = await makeCertificate({
    subject: '/CN=Test Intermediate',
    issuer: root,
    profile: 'intermediate',
    ...overrides.intermediate,
  });
  const leaf = await makeCertificate({
    subject: '/CN=leaf.example.test',
    issuer: intermediate,
    sans: ['DNS:leaf.example.test', 'IP:192.0.2.10'],
    ...overrides.leaf,
  });
  return { root, intermediate, leaf };
}

export interface CrlSpec {
  revoked?: TestCertificate[];
  thisUpdate?: Date;
  /** `null`: no nextUpdate. Default: a week after thisUpdate. */
  nextUpdate?: Date | null;
  crlNumber?: number;
}

/** A v2 CRL signed by `issuer`, with authorityKeyIdentifier and cRLNumber, as `openssl ca` makes. */
export function makeCrl(issuer: TestCertificate, spec: CrlSpec = {}): { der: Buffer; pem: string } {
  const algorithm = signatureAlgorithmFor(issuer.key);
  const signature = new AlgorithmIdentifier({
    algorithm: algorithm.oid,
    ...(algorithm.nullParameters ? { parameters: null } : {}),
  });
  const thisUpdate = spec.thisUpdate ?? new Date(Date.now() - DAY_MS);
  const nextUpdate =
    spec.nextUpdate === null
      ? undefined
      : (spec.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * DAY_MS));
  const revoked = (spec.revoked ?? []).map(
    (certificate) =>
      new RevokedCertificate({
        userCertificate: Uint8Array.from(certificate.serial).buffer,
        revocationDate: new Time(thisUpdate),
        crlEntryExtensions: [
          makeExtension(id_ce_cRLReasons, new CRLReason(CRLReasons.keyCompromise)),
        ],
      }),
  );
  const tbs = new TBSCertList({
    version: Version.v2,
    signature,
    issuer: issuer.subject,
    thisUpdate: new Time(thisUpdate),
    nextUpdate: nextUpdate ? new Time(nextUpdate) : undefined,
    revokedCertificates: revoked.length ? revoked : undefined,
    crlExtensions: [
      makeExtension(
        id_ce_authorityKeyIdentifier,
        new AuthorityKeyIdentifier({
          keyIdentifier: new KeyIdentifier(issuer.subjectKeyIdentifier),
        }),
      ),
      makeExtension(id_ce_cRLNumber, new CRLNumber(spec.crlNumber ?? 1)),
    ],
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const list = new CertificateList({
    tbsCertList: tbs,
    signatureAlgorithm: signature,
    signature: Uint8Array.from(signData(algorithm, issuer.key, tbsDer)).buffer,
  });
  const der = Buffer.from(AsnConvert.serialize(list));
  return { der, pem: encodePem('X509 CRL', der) };
}

/** The certificate with the last byte of its signature flipped: well-formed, but forged. */
export function tamperSignature(der: Uint8Array): Buffer {
  const copy = Buffer.from(der);
  copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 0x01;
  return copy;
}

/** Writes PEM blocks (certificates, CRLs) one after the other into `dir/name`. */
export async function writePem(
  dir: string,
  name: string,
  ...items: Array<{ pem: string }>
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, items.map((item) => item.pem).join(''));
  return path;
}

/** A certificate's DER as PEM (for tampered copies). */
export function pemOf(der: Uint8Array): { pem: string } {
  return { pem: encodePem('CERTIFICATE', der) };
}

/** SHA-256 of a DER object in hex, to name things in test titles. */
export function shortHash(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex').slice(0, 8);
}

// ---------------------------------------------------------------------------------------------

async function profileFor(spec: CertificateSpec): Promise<Profile> {
  const base = await loadProfile(spec.profile ?? (spec.issuer ? 'server' : 'ca'));
  const ca = spec.ca ?? base.basicConstraints.ca;
  const pathLength =
    spec.pathLength === null ? undefined : (spec.pathLength ?? base.basicConstraints.pathLength);
  const profile: Profile = {
    ...base,
    basicConstraints: { ...base.basicConstraints, ca, pathLength: ca ? pathLength : undefined },
  };
  if (spec.keyUsage === null) delete profile.keyUsage;
  else if (spec.keyUsage) profile.keyUsage = { usages: spec.keyUsage, critical: true };
  if (spec.extendedKeyUsage === null) delete profile.extendedKeyUsage;
  else if (spec.extendedKeyUsage) {
    profile.extendedKeyUsage = {
      critical: false,
      purposes: spec.extendedKeyUsage.map((name) => ({ name, oid: KEY_PURPOSES[name] ?? name })),
    };
  }
  return profile;
}

function nameConstraintsExtension(permitted: string[], excluded: string[]): Extension {
  const subtrees = (names: string[]) =>
    names.length
      ? new GeneralSubtrees(names.map((name) => new GeneralSubtree({ base: generalName(name) })))
      : undefined;
  const constraints = new NameConstraints({
    permittedSubtrees: subtrees(permitted),
    excludedSubtrees: subtrees(excluded),
  });
  // RFC 5280 §4.2.1.10: conforming CAs MUST mark this extension critical.
  return makeExtension(id_ce_nameConstraints, constraints, true);
}

function generalName(text: string): GeneralName {
  const [type, ...rest] = text.split(':');
  const value = rest.join(':');
  switch (type?.toUpperCase()) {
    case 'DNS':
      return new GeneralName({ dNSName: value });
    case 'IP':
      return new GeneralName({ iPAddress: value });
    case 'EMAIL':
      return new GeneralName({ rfc822Name: value });
    case 'URI':
      return new GeneralName({ uniformResourceIdentifier: value });
    case 'DIRNAME':
      return new GeneralName({ directoryName: encodeName(parseSubject(value)) });
    default:
      throw new Error(`name constraint "${text}": use DNS:, IP:, email:, URI: or dirName:`);
  }
}

/** An extension holding `value` (an asn1-schema object), for specs' extraExtensions. */
export function makeExtension(oid: string, value: object, critical = false): Extension {
  return new Extension({
    extnID: oid,
    critical,
    extnValue: new OctetString(AsnConvert.serialize(value)),
  });
}
