import { decodeName, formatName } from '../name.js';
import { openCaFolder, readCaState } from './ca-store.js';

export interface CaListOptions {
  dir: string;
  /** The clock that decides which valid certificates have expired. */
  now?: Date;
}

export interface CaListEntry {
  /** Upper-case hex, as index.txt writes it. */
  serial: string;
  /** `expired`: past notAfter, whatever index.txt says (openssl marks E only on -updatedb). */
  status: 'valid' | 'revoked' | 'expired';
  notAfter: string;
  revokedAt: string | null;
  reason: string | null;
  /** As index.txt records it: openssl's `/C=…/CN=…` form. */
  subject: string;
}

export interface CaListResult {
  ca: string;
  /** The CA's own subject. */
  subject: string;
  certificates: CaListEntry[];
}

/**
 * The certificates a CA folder has issued, from its index.txt, in the order issued — including
 * those `openssl ca` issued from the same folder. Reading needs no lock: every writer replaces
 * index.txt whole, by rename.
 */
export async function listCa(options: CaListOptions): Promise<CaListResult> {
  const now = options.now ?? new Date();
  const folder = await openCaFolder(options.dir);
  const state = await readCaState(folder);
  return {
    ca: options.dir,
    subject: formatName(decodeName(folder.certificate.subject), 'openssl'),
    certificates: state.entries.map((entry) => ({
      serial: entry.serial,
      status:
        entry.status === 'R'
          ? 'revoked'
          : entry.status === 'E' || entry.expires.getTime() <= now.getTime()
            ? 'expired'
            : 'valid',
      notAfter: entry.expires.toISOString(),
      revokedAt: entry.revocation?.date.toISOString() ?? null,
      reason: entry.revocation?.reason ?? null,
      subject: entry.subject,
    })),
  };
}
