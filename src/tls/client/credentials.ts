import { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { InputError, UsageError, WrongPassphraseError, messageOf } from '../../errors.js';
import { decodePem, encodePem, looksLikePem } from '../../io/pem.js';
import { readInputFile } from '../../io/read-input.js';
import { keysMatch, loadPrivateKey } from '../../pki/keys.js';
import type { ConnectOptions } from './options.js';

/** What node:tls needs for trust and a client identity, as PEM text (or a PKCS#12 blob). */
export interface TlsCredentials {
  /** Undefined: Node's bundled roots. */
  ca?: string[];
  cert?: string;
  key?: string;
  pfx?: Buffer;
  passphrase?: string;
}

/**
 * Reads the trust anchors and the client identity named in the options, once per `connect`.
 * Keys are decrypted here (asking the passphrase provider only if needed), and a key that does
 * not belong to the certificate is refused: node:tls says nothing when their types differ.
 */
export async function loadCredentials(options: ConnectOptions): Promise<TlsCredentials> {
  return {
    ca: await loadTrust(options),
    ...(await loadIdentity(options)),
  };
}

async function loadTrust(options: ConnectOptions): Promise<string[] | undefined> {
  if (options.ca !== undefined && options.caFile !== undefined) {
    throw new UsageError('give the CA certificates once: ca or caFile, not both');
  }
  if (options.caFile !== undefined) {
    return certificatesIn(await readInputFile(options.caFile), options.caFile);
  }
  if (options.ca === undefined) return undefined;
  const inputs = Array.isArray(options.ca) ? options.ca : [options.ca as string | Buffer];
  return inputs.flatMap((input, index) => certificatesIn(Buffer.from(input), `ca[${index}]`));
}

async function loadIdentity(options: ConnectOptions): Promise<Omit<TlsCredentials, 'ca'>> {
  const hasPfx = options.pfx !== undefined || options.pfxFile !== undefined;
  const hasCert = options.cert !== undefined || options.certFile !== undefined;
  const hasKey = options.key !== undefined || options.keyFile !== undefined;
  if (hasPfx && (hasCert || hasKey)) {
    throw new UsageError('give the client identity once: a PKCS#12 file, or a certificate and key');
  }
  if (hasPfx) return loadPfx(options);
  if (!hasCert && !hasKey) return {};
  if (!hasCert) {
    throw new UsageError('a client key needs its certificate', { hint: 'add --cert FILE' });
  }
  const certSource = options.certFile ?? 'the client certificate';
  const certData = options.certFile
    ? await readInputFile(options.certFile)
    : Buffer.from(options.cert as string | Buffer);
  const chain = certificatesIn(certData, certSource);
  const keySource = options.keyFile ?? (options.key !== undefined ? 'the client key' : certSource);
  const keyData = options.keyFile
    ? await readInputFile(options.keyFile)
    : options.key !== undefined
      ? Buffer.from(options.key)
      : privateKeyBlockIn(certData, certSource);
  const key = await loadPrivateKey(keyData, {
    source: keySource,
    passphrase: options.passphrase,
  });
  const leaf = new X509Certificate(chain[0] as string);
  if (!keysMatch(key, leaf.publicKey)) {
    throw new InputError(`${keySource} does not belong to the certificate in ${certSource}`, {
      hint: 'give the key the certificate was issued for',
    });
  }
  return {
    cert: chain.join(''),
    key: key.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}

/** The CERTIFICATE blocks of a PEM input, or a single DER certificate as PEM. */
function certificatesIn(data: Buffer, source: string): string[] {
  if (!looksLikePem(data)) {
    try {
      return [new X509Certificate(data).toString()];
    } catch (error) {
      throw new InputError(`${source} is neither PEM nor a DER certificate`, { cause: error });
    }
  }
  const blocks = decodePem(data.toString('utf8'), source).filter(
    (block) => block.label === 'CERTIFICATE',
  );
  if (blocks.length === 0) {
    throw new InputError(`${source} holds no certificate`, {
      hint: 'give a PEM file with -----BEGIN CERTIFICATE----- blocks',
    });
  }
  return blocks.map((block) => encodePem('CERTIFICATE', block.der));
}

/** s_client's rule: without -key, the key is read from the -cert file. */
function privateKeyBlockIn(data: Buffer, source: string): Buffer {
  const keyBlock = looksLikePem(data)
    ? decodePem(data.toString('utf8'), source).find((block) => block.label.endsWith('PRIVATE KEY'))
    : undefined;
  if (!keyBlock) {
    throw new UsageError(`${source} holds no private key`, { hint: 'add --key FILE' });
  }
  return Buffer.from(keyBlock.text);
}

async function loadPfx(options: ConnectOptions): Promise<Omit<TlsCredentials, 'ca'>> {
  const source = options.pfxFile ?? 'the PKCS#12 input';
  const pfx = options.pfxFile ? await readInputFile(options.pfxFile) : (options.pfx as Buffer);
  // Try without a passphrase first: a PKCS#12 made with an empty one needs no question.
  const withoutPassphrase = tryPfx(pfx, undefined);
  if (withoutPassphrase === undefined) return { pfx };
  if (!isPassphraseFailure(withoutPassphrase) || !options.passphrase) {
    throw pfxError(source, withoutPassphrase);
  }
  const passphrase = await options.passphrase(`passphrase for ${source}`);
  const failure = tryPfx(pfx, passphrase);
  if (failure === undefined) return { pfx, passphrase };
  if (isPassphraseFailure(failure)) {
    throw new WrongPassphraseError(`the passphrase does not open ${source}`, { cause: failure });
  }
  throw pfxError(source, failure);
}

function tryPfx(pfx: Buffer, passphrase: string | undefined): unknown {
  try {
    createSecureContext({ pfx, passphrase });
    return undefined;
  } catch (error) {
    return error;
  }
}

function isPassphraseFailure(error: unknown): boolean {
  return /mac verify failure|bad decrypt/i.test(messageOf(error));
}

function pfxError(source: string, error: unknown): InputError | UsageError {
  const message = messageOf(error);
  if (/Unsupported PKCS12 PFX data/i.test(message)) {
    return new InputError(
      `${source} uses legacy PKCS#12 encryption (RC2/3DES) that Node cannot read`,
      {
        hint: `re-export it: openssl pkcs12 -legacy -in ${source} -nodes | openssl pkcs12 -export -out new.p12`,
        cause: error,
      },
    );
  }
  if (isPassphraseFailure(error)) {
    return new UsageError(`${source} is encrypted`, {
      hint: 'give its passphrase with --passin',
      cause: error,
    });
  }
  return new InputError(`${source} is not a usable PKCS#12 file: ${message}`, { cause: error });
}
