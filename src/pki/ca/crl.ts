import type { KeyObject } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AlgorithmIdentifier,
  AuthorityKeyIdentifier,
  CRLNumber,
  CRLReason,
  Extension,
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
  KeyIdentifier,
  RevokedCertificate,
  TBSCertList,
  Time,
  Version,
} from '@peculiar/asn1-x509';
import { InputError } from '../../errors.js';
import {
  PUBLIC_FILE_MODE,
  writeFilesAtomic,
  type FileOutput,
  type FileWriter,
} from '../../io/atomic-write.js';
import { encodePem } from '../../io/pem.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { keyIdentifierOfKey, signedDer, type CertificateDetails } from '../certificate.js';
import { toArrayBuffer } from '../der-writer.js';
import {
  signatureAlgorithmFor,
  signData,
  type Digest,
  type TbsSigner,
} from '../signature-algorithm.js';
import {
  caPath,
  CRL_DER_FILE,
  CRL_NUMBER_FILE,
  CRL_PEM_FILE,
  loadCaKey,
  openCaFolder,
  readCaState,
  stateOutputs,
} from './ca-store.js';
import { withFolderLock, type LockOptions } from './lock.js';
import { formatSerialFile, type IndexEntry } from './openssl-index.js';
import { REASON_CODES, type RevocationReason } from './revocation-reason.js';

export const CRL_PEM_LABEL = 'X509 CRL';

export interface BuildCrlOptions {
  /** The CA's certificate: its subject is the CRL's issuer, its key identifier the AKI. */
  issuer: Pick<CertificateDetails, 'subject' | 'subjectKeyIdentifier' | 'publicKey'>;
  key: KeyObject;
  /** index.txt entries; those with status R are listed. */
  entries: readonly IndexEntry[];
  crlNumber: bigint;
  thisUpdate: Date;
  nextUpdate: Date;
  digest?: Digest;
  /** Signs the DER TBSCertList; default signData() with `key`. */
  sign?: TbsSigner;
}

export interface RevokedListEntry {
  serial: string;
  revokedAt: string;
  reason: RevocationReason | null;
}

export interface BuiltCrl {
  der: Buffer;
  pem: string;
  revoked: RevokedListEntry[];
  signatureAlgorithm: string;
}

/**
 * A v2 CRL (RFC 5280 §5) as `openssl ca -gencrl` makes one with `crl_extensions` holding
 * authorityKeyIdentifier: issuer, thisUpdate, nextUpdate, the revoked certificates in serial
 * order with their revocation date and a reasonCode entry extension (none for an unspecified
 * reason, as §5.3.1 asks), and the CRL extensions authorityKeyIdentifier and cRLNumber.
 */
export async function buildCrl(options: BuildCrlOptions): Promise<BuiltCrl> {
  const algorithm = signatureAlgorithmFor(options.key, options.digest);
  const signatureIdentifier = new AlgorithmIdentifier({
    algorithm: algorithm.oid,
    ...(algorithm.nullParameters ? { parameters: null } : {}),
  });
  const revoked = options.entries
    .filter((entry) => entry.status === 'R' && entry.revocation)
    .sort((a, b) => compareSerials(a.serial, b.serial));
  const tbs = new TBSCertList({
    version: Version.v2,
    signature: signatureIdentifier,
    issuer: options.issuer.subject,
    thisUpdate: new Time(options.thisUpdate),
    nextUpdate: new Time(options.nextUpdate),
    revokedCertificates: revoked.length > 0 ? revoked.map(revokedCertificateOf) : undefined,
    crlExtensions: [
      extension(
        id_ce_authorityKeyIdentifier,
        new AuthorityKeyIdentifier({
          keyIdentifier: new KeyIdentifier(
            options.issuer.subjectKeyIdentifier ?? keyIdentifierOfKey(options.issuer.publicKey),
          ),
        }),
      ),
      extension(id_ce_cRLNumber, new CRLNumber(Number(options.crlNumber))),
    ],
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signature = options.sign
    ? await options.sign(algorithm, tbsDer)
    : signData(algorithm, options.key, tbsDer);
  const der = signedDer(tbsDer, signatureIdentifier, signature);
  return {
    der,
    pem: encodePem(CRL_PEM_LABEL, der),
    revoked: revoked.map((entry) => ({
      serial: entry.serial,
      revokedAt: (entry.revocation as { date: Date }).date.toISOString(),
      reason: entry.revocation?.reason ?? null,
    })),
    signatureAlgorithm: algorithm.name,
  };
}

export interface CaCrlOptions {
  dir: string;
  /** Days until nextUpdate; default the CA's (tlskit-ca.json), 30. */
  days?: number;
  /** Also write the CRL here (DER if the name ends in .der, else PEM). */
  out?: string;
  force?: boolean;
  passphrase?: PassphraseProvider;
  now?: Date;
  writer?: FileWriter;
  lock?: LockOptions;
}

export interface CaCrlResult {
  ca: string;
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  revoked: RevokedListEntry[];
  signatureAlgorithm: string;
  /** DIR/crl.pem, DIR/crl.der, and --out if given. */
  files: string[];
}

/**
 * Publishes a new CRL for the CA folder, under its lock: numbered from the crlnumber file, which
 * then moves on by one (as `openssl ca -gencrl` does), written as DIR/crl.pem and DIR/crl.der.
 */
export async function generateCaCrl(options: CaCrlOptions): Promise<CaCrlResult> {
  const folder = await openCaFolder(options.dir);
  const days = options.days ?? folder.config.defaults.crlDays;
  if (!Number.isInteger(days) || days < 1 || days > 36_500) {
    throw new InputError(`--days ${days} is not a whole number of days from 1 to 36500`);
  }
  const key = await loadCaKey(folder, options.passphrase);
  const writer = options.writer ?? writeFilesAtomic;
  const thisUpdate = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
  const nextUpdate = new Date(thisUpdate.getTime() + days * 86_400_000);
  return withFolderLock(
    folder.dir,
    async () => {
      const state = await readCaState(folder);
      const crl = await buildCrl({
        issuer: folder.certificate,
        key,
        entries: state.entries,
        crlNumber: state.crlNumber,
        thisUpdate,
        nextUpdate,
      });
      const extra: FileOutput[] = options.out
        ? [
            {
              path: options.out,
              data: /\.der$/i.test(options.out) ? crl.der : crl.pem,
              mode: PUBLIC_FILE_MODE,
            },
          ]
        : [];
      await writer(extra, { force: options.force });
      try {
        await writer(
          [
            { path: caPath(folder, CRL_PEM_FILE), data: crl.pem, mode: PUBLIC_FILE_MODE },
            { path: caPath(folder, CRL_DER_FILE), data: crl.der, mode: PUBLIC_FILE_MODE },
            ...stateOutputs(folder, {
              [CRL_NUMBER_FILE]: formatSerialFile(state.crlNumber + 1n),
            }),
          ],
          { force: true },
        );
      } catch (error) {
        if (!options.force) await Promise.all(extra.map((o) => unlink(o.path).catch(() => {})));
        throw error;
      }
      return {
        ca: options.dir,
        crlNumber: Number(state.crlNumber),
        thisUpdate: thisUpdate.toISOString(),
        nextUpdate: nextUpdate.toISOString(),
        revoked: crl.revoked,
        signatureAlgorithm: crl.signatureAlgorithm,
        files: [
          caPath(folder, CRL_PEM_FILE),
          caPath(folder, CRL_DER_FILE),
          ...extra.map((o) => o.path),
        ],
      };
    },
    options.lock,
  );
}

// ---------------------------------------------------------------------------------------------

function revokedCertificateOf(entry: IndexEntry): RevokedCertificate {
  const revocation = entry.revocation as NonNullable<IndexEntry['revocation']>;
  const reason = revocation.reason;
  return new RevokedCertificate({
    userCertificate: toArrayBuffer(serialContent(entry.serial)),
    revocationDate: new Time(revocation.date),
    crlEntryExtensions:
      reason && reason !== 'unspecified'
        ? [extension(id_ce_cRLReasons, new CRLReason(REASON_CODES[reason]))]
        : undefined,
  });
}

/** DER INTEGER content for a positive hex serial (a 0x00 in front when the top bit is set). */
function serialContent(hex: string): Buffer {
  const bytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.of(0), bytes]) : bytes;
}

function compareSerials(a: string, b: string): number {
  const difference = BigInt(`0x${a}`) - BigInt(`0x${b}`);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** The CA certificate's own subjectKeyIdentifier, else SHA-1 of its key (RFC 5280 method 1). */

function extension(oid: string, value: object): Extension {
  return new Extension({
    extnID: oid,
    critical: false,
    extnValue: new OctetString(AsnConvert.serialize(value)),
  });
}
