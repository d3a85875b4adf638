import { X509Certificate, type KeyObject } from 'node:crypto';
import { InputError, RefusedError, UsageError } from '../../errors.js';
import { writeFilesAtomic, type FileWriter } from '../../io/atomic-write.js';
import { readInputFile } from '../../io/read-input.js';
import { readCertificate } from '../certificate.js';
import { formatSerial, parseSerial } from '../serial.js';
import {
  caPath,
  INDEX_FILE,
  openCaFolder,
  readCaState,
  stateOutputs,
  type CaFolder,
} from './ca-store.js';
import { withFolderLock, type LockOptions } from './lock.js';
import { formatIndex, type IndexEntry } from './openssl-index.js';
import {
  indexSpellingOf,
  OPENSSL_UNREADABLE_REASONS,
  parseRevocationReason,
} from './revocation-reason.js';

export interface CaRevokeOptions {
  dir: string;
  /** The serial in hex (as `ca list` and openssl print it), or… */
  serial?: string;
  /** …the certificate itself, which must have been issued by this CA. */
  certificatePath?: string;
  /** A REVOCATION_REASONS name; none means no reason code in the CRL. */
  reason?: string;
  now?: Date;
  writer?: FileWriter;
  lock?: LockOptions;
}

export interface CaRevokeResult {
  ca: string;
  serial: string;
  /** The subject as index.txt records it (openssl's /C=…/CN=… form). */
  subject: string;
  /** `revoked`; `reason-changed` for a certificate on hold now revoked for good; `released`
   *  for a certificate taken off hold (removeFromCRL). */
  action: 'revoked' | 'reason-changed' | 'released';
  /** ISO 8601; null when released. */
  revokedAt: string | null;
  reason: string | null;
  /** Things the user should know, e.g. that `openssl ca` cannot read this reason. */
  warnings: string[];
}

/**
 * Marks a certificate revoked in the CA's index.txt (status R, the time, the reason), as
 * `openssl ca -revoke` does; the next `ca crl` lists it. Under the folder's lock. A certificate on
 * hold (certificateHold) can be revoked for good with another reason, or released with
 * removeFromCRL, which makes it valid again and drops it from the next CRL.
 */
export async function revokeFromCa(options: CaRevokeOptions): Promise<CaRevokeResult> {
  const folder = await openCaFolder(options.dir);
  const serial = await serialToRevoke(folder, options);
  const reason = options.reason === undefined ? undefined : parseRevocationReason(options.reason);
  const now = new Date(Math.floor((options.now ?? new Date()).getTime() / 1000) * 1000);
  const writer = options.writer ?? writeFilesAtomic;
  return withFolderLock(
    folder.dir,
    async () => {
      const state = await readCaState(folder);
      const index = state.entries.findIndex((entry) => entry.serial === serial);
      const entry = state.entries[index];
      if (!entry) {
        throw new InputError(`serial ${serial} is not in ${caPath(folder, INDEX_FILE)}`, {
          hint: `see the certificates this CA issued with: tlskit ca list ${folder.dir}`,
        });
      }
      const { updated, action } = revokedEntry(entry, reason, now);
      const entries = state.entries.map((old, i) => (i === index ? updated : old));
      await writer(stateOutputs(folder, { [INDEX_FILE]: formatIndex(entries) }), { force: true });
      return {
        ca: options.dir,
        serial,
        subject: entry.subject,
        action,
        revokedAt: updated.revocation?.date.toISOString() ?? null,
        reason: updated.revocation?.reason ?? null,
        warnings:
          reason && OPENSSL_UNREADABLE_REASONS.includes(reason)
            ? [
                `openssl ca cannot read the reason ${reason}: openssl ca -gencrl will refuse this index`,
              ]
            : [],
      };
    },
    options.lock,
  );
}

// ---------------------------------------------------------------------------------------------

async function serialToRevoke(folder: CaFolder, options: CaRevokeOptions): Promise<string> {
  if ((options.serial === undefined) === (options.certificatePath === undefined)) {
    throw new UsageError('give the serial of the certificate to revoke, or --cert FILE', {
      hint: 'one of them, not both',
    });
  }
  if (options.serial !== undefined) return serialOf(options.serial);
  const path = options.certificatePath as string;
  const certificate = readCertificate(await readInputFile(path), path);
  if (!signedBy(certificate.der, folder.certificate.publicKey)) {
    throw new InputError(`${path} was not issued by ${folder.certificate.source}`, {
      hint: 'revoke it with the CA that issued it',
    });
  }
  return formatSerial(new Uint8Array(certificate.certificate.tbsCertificate.serialNumber));
}

function serialOf(text: string): string {
  try {
    return formatSerial(parseSerial(text));
  } catch (error) {
    throw new InputError(`"${text}" is not a serial number`, {
      hint: 'give it in hex, as tlskit ca list prints it',
      cause: error,
    });
  }
}

function signedBy(der: Buffer, key: KeyObject): boolean {
  try {
    return new X509Certificate(der).verify(key);
  } catch {
    return false;
  }
}

function revokedEntry(
  entry: IndexEntry,
  reason: ReturnType<typeof parseRevocationReason> | undefined,
  now: Date,
): { updated: IndexEntry; action: CaRevokeResult['action'] } {
  const onHold = entry.status === 'R' && entry.revocation?.reason === 'certificateHold';
  if (reason === 'removeFromCRL') {
    if (!onHold) {
      throw new RefusedError(`certificate ${entry.serial} is not on hold`, {
        hint: 'removeFromCRL releases a certificate revoked with certificateHold',
      });
    }
    const { revocation: _released, ...rest } = entry;
    return { updated: { ...rest, status: 'V' }, action: 'released' };
  }
  if (entry.status === 'R' && !(onHold && reason && reason !== 'certificateHold')) {
    const since = entry.revocation?.date.toISOString() ?? 'earlier';
    throw new RefusedError(`certificate ${entry.serial} is already revoked (since ${since})`, {
      hint: onHold ? 'revoke it for good with another --reason' : 'nothing to do',
    });
  }
  const date = onHold && entry.revocation ? entry.revocation.date : now;
  const revocation = reason ? { date, reason, reasonText: indexSpellingOf(reason) } : { date };
  return {
    updated: { ...entry, status: 'R', revocation },
    action: onHold ? 'reason-changed' : 'revoked',
  };
}
