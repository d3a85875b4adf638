import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { errorCode, InputError } from '../errors.js';
import { decodePem, looksLikePem } from '../io/pem.js';

/** --ca's certificates (a PEM bundle, or one DER certificate), or Node's bundled roots. */
export async function loadTrustAnchors(caFile: string | undefined): Promise<X509Certificate[]> {
  if (caFile === undefined) {
    const { rootCertificates } = await import('node:tls');
    return rootCertificates.map((pem) => new X509Certificate(pem));
  }
  let data: Buffer;
  try {
    data = await readFile(caFile);
  } catch (error) {
    const missing = errorCode(error) === 'ENOENT';
    throw new InputError(`${caFile}: ${missing ? 'no such file' : 'cannot be read'}`, {
      cause: error,
    });
  }
  const ders = looksLikePem(data)
    ? decodePem(data.toString('utf8'), caFile)
        .filter((block) => block.label === 'CERTIFICATE')
        .map((block) => block.der)
    : [data];
  if (ders.length === 0 || ders[0]?.length === 0) {
    throw new InputError(`${caFile}: no CERTIFICATE in the file`, {
      hint: 'give the CA certificates as PEM (or one as DER)',
    });
  }
  return ders.map((der, index) => {
    try {
      return new X509Certificate(der);
    } catch (error) {
      throw new InputError(`${caFile}: certificate #${index} is not a valid certificate`, {
        cause: error,
      });
    }
  });
}
