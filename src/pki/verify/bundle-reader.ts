import { InputError } from '../../errors.js';
import { decodePem, looksLikePem } from '../../io/pem.js';
import { readInputFile } from '../../io/read-input.js';
import { parseChainCertificate, type ChainCertificate } from './chain-certificate.js';
import { parseRevocationList, type RevocationList } from './crl-reader.js';

/** The certificates and CRLs of one file, in file order. */
export interface PkiBundle {
  certificates: ChainCertificate[];
  crls: RevocationList[];
}

export type PkiObjectKind = 'certificate' | 'crl';

const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);
const CRL_LABEL = 'X509 CRL';
const DER_SEQUENCE = 0x30;

/**
 * Every certificate and CRL in a PEM file (other blocks, such as keys, are skipped, as openssl
 * does), or the one certificate or CRL of a DER file. Objects are named `file` when alone and
 * `file #N` (1-based) in a bundle.
 */
export function readPkiBundle(
  data: Uint8Array,
  source: string,
  expect: PkiObjectKind = 'certificate',
): PkiBundle {
  if (!looksLikePem(data)) return readDer(data, source, expect);
  const blocks = decodePem(Buffer.from(data).toString('utf8'), source).filter(
    (block) => CERTIFICATE_LABELS.has(block.label) || block.label === CRL_LABEL,
  );
  const name = (index: number) => (blocks.length > 1 ? `${source} #${index + 1}` : source);
  const bundle: PkiBundle = { certificates: [], crls: [] };
  blocks.forEach((block, index) => {
    if (block.label === CRL_LABEL) bundle.crls.push(parseRevocationList(block.der, name(index)));
    else bundle.certificates.push(parseChainCertificate(block.der, name(index)));
  });
  return bundle;
}

/** Reads a file with readPkiBundle; `expect` says what it must hold at least one of. */
export async function readPkiFile(path: string, expect: PkiObjectKind): Promise<PkiBundle> {
  const bundle = readPkiBundle(await readInputFile(path), path, expect);
  const found = expect === 'certificate' ? bundle.certificates : bundle.crls;
  if (found.length === 0) {
    throw new InputError(`${path} holds no ${expect === 'certificate' ? 'certificate' : 'CRL'}`, {
      hint:
        expect === 'certificate'
          ? 'give certificates in PEM (-----BEGIN CERTIFICATE-----) or DER'
          : 'give CRLs in PEM (-----BEGIN X509 CRL-----) or DER',
    });
  }
  return bundle;
}

// ---------------------------------------------------------------------------------------------

/**
 * A DER file holds one certificate or one CRL. Their outer structures look alike, so the
 * expected kind is tried first, and its error is the one reported if neither fits.
 */
function readDer(data: Uint8Array, source: string, expect: PkiObjectKind): PkiBundle {
  if (data[0] !== DER_SEQUENCE) {
    throw new InputError(`${source} is neither PEM nor DER`, {
      hint: 'give certificates or CRLs in PEM or DER',
    });
  }
  const asCertificate = (): PkiBundle => ({
    certificates: [parseChainCertificate(data, source)],
    crls: [],
  });
  const asCrl = (): PkiBundle => ({ certificates: [], crls: [parseRevocationList(data, source)] });
  const [first, second] = expect === 'crl' ? [asCrl, asCertificate] : [asCertificate, asCrl];
  try {
    return first();
  } catch (error) {
    try {
      return second();
    } catch {
      throw error;
    }
  }
}
