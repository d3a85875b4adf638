import { randomBytes } from 'node:crypto';
import { unlink } from 'node:fs/promises';
import type { Name } from '@peculiar/asn1-x509';
import { FileExistsError, InternalError } from '../../errors.js';
import { writeFilesAtomic, PUBLIC_FILE_MODE, type FileWriter } from '../../io/atomic-write.js';
import type { IssuedCertificate } from '../certificate.js';
import { formatSerial, randomSerial } from '../serial.js';
import {
  INDEX_FILE,
  newcertsPath,
  readCaState,
  SERIAL_FILE,
  stateOutputs,
  type CaFolder,
} from './ca-store.js';
import { withFolderLock, type LockOptions } from './lock.js';
import {
  formatIndex,
  formatOnelineName,
  formatSerialFile,
  type IndexEntry,
} from './openssl-index.js';

export interface RecordIssuanceOptions {
  /** Signs the certificate with the serial drawn under the lock. */
  issue: (serial: Buffer) => Promise<IssuedCertificate>;
  /** The new certificate's subject, for index.txt. */
  subject: Name;
  /**
   * Writes what the caller delivers (the user's files, a new CA folder) and returns how to take
   * it back should recording fail. Runs before the CA records the certificate, so a failure here
   * (a file that exists) leaves the CA untouched.
   */
  publish: (issued: IssuedCertificate) => Promise<() => Promise<void>>;
  random?: (size: number) => Buffer;
  writer?: FileWriter;
  lock?: LockOptions;
}

export interface RecordedIssuance {
  issued: IssuedCertificate;
  entry: IndexEntry;
  /** newcerts/SERIAL.pem */
  copyPath: string;
}

/**
 * One issuance. A random serial not in index.txt is drawn, the certificate signed and published
 * (the caller's files, no clobbering) and copied to newcerts/ — all outside the lock, so that
 * concurrent issuers overlap their slow writes. Then, under the CA folder's lock, index.txt is
 * read afresh, the serial checked again, and the V line and the serial file (the serial plus one)
 * written, as `openssl ca` would: the index is the commit point. Any failure takes back what was
 * written, so there is never a certificate the CA has not recorded.
 */
export async function recordIssuance(
  folder: CaFolder,
  options: RecordIssuanceOptions,
): Promise<RecordedIssuance> {
  const writer = options.writer ?? writeFilesAtomic;
  const known = await readCaState(folder);
  const serial = freshSerial(known.entries, options.random ?? randomBytes);
  const issued = await options.issue(serial);
  const undo = await options.publish(issued);
  const copyPath = newcertsPath(folder, issued.serialHex);
  const entry: IndexEntry = {
    status: 'V',
    expires: issued.notAfter,
    serial: issued.serialHex,
    file: 'unknown',
    // openssl names an empty subject by the serial, so unique_subject never matches it.
    subject: formatOnelineName(options.subject) || issued.serialHex,
  };
  try {
    await writer([{ path: copyPath, data: issued.pem, mode: PUBLIC_FILE_MODE }]);
    await withFolderLock(
      folder.dir,
      async () => {
        const state = await readCaState(folder);
        if (state.entries.some((other) => other.serial === entry.serial)) {
          throw new InternalError(`serial ${entry.serial} was drawn twice (chance 2^-128)`, {
            hint: 'run the command again',
          });
        }
        await writer(
          stateOutputs(folder, {
            [SERIAL_FILE]: formatSerialFile(BigInt(`0x${issued.serialHex}`) + 1n),
            [INDEX_FILE]: formatIndex([...state.entries, entry]),
          }),
          { force: true },
        );
      },
      options.lock,
    );
  } catch (error) {
    if (!(error instanceof FileExistsError && error.path === copyPath)) {
      await unlink(copyPath).catch(() => {});
    }
    await undo();
    throw error;
  }
  return { issued, entry, copyPath };
}

/** 128 random bits (serial.ts), drawn again in the 2^-128 case that the index already has them. */
function freshSerial(entries: readonly IndexEntry[], random: (size: number) => Buffer): Buffer {
  const used = new Set(entries.map((entry) => entry.serial));
  for (;;) {
    const serial = randomSerial(random);
    if (!used.has(formatSerial(serial))) return serial;
  }
}
