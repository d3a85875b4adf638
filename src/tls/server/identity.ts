import { X509Certificate, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import {
  InputError,
  isTlskitError,
  messageOf,
  UsageError,
  WrongPassphraseError,
} from '../../errors.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { describeKey, encodePrivateKey, loadPrivateKey } from '../../pki/keys.js';
import {
  certificatesPem,
  formatX509Name,
  readCertificates,
  readFileInput,
  type ReadInput,
} from './inputs.js';
import type { FileInput, IdentityInput } from './options.js';
import { createSelfSignedIdentity } from './self-signed.js';

/** What the server presents, in the form node:tls takes (plain data, so workers can get it). */
export type ServedIdentity =
  | { kind: 'pem'; keys: string[]; certs: string[] }
  | { kind: 'pfx'; pfxBase64: string; passphrase?: string };

/** One certificate the server presents, for the listening line and the JSON output. */
export interface IdentitySummary {
  /** Where it came from: a path, "pfx", or "self-signed (in memory)". */
  source: string;
  subject: string;
  issuer: string;
  /** `ec P-256`, `rsa 2048`, `ed25519`. */
  key: string;
  /** From subjectAltName: `DNS:localhost`, `IP Address:127.0.0.1` (Node's spelling). */
  names: string[];
  notAfter: string;
  fingerprint256: string;
}

export interface ResolvedIdentity {
  served: ServedIdentity;
  summaries: IdentitySummary[];
  /**
   * What a client should trust to verify this server: the self-signed certificate, else the
   * last certificate of the first chain given (the leaf itself when the file holds only it),
   * else, for PKCS#12, the leaf's issuer when the file holds it.
   */
  caPem: string;
}

export interface IdentityRequest {
  identities?: IdentityInput[];
  pfx?: FileInput;
  passphrase?: PassphraseProvider;
  selfSigned?: boolean;
  /** Added to the self-signed certificate's names. */
  host: string;
  now: Date;
}

/** Reads, decrypts and checks the server's identity: key/cert pairs, a PKCS#12 file, or none. */
export async function resolveIdentity(request: IdentityRequest): Promise<ResolvedIdentity> {
  const pairs = request.identities ?? [];
  const given = [pairs.length > 0, request.pfx !== undefined, request.selfSigned === true];
  if (given.filter(Boolean).length > 1) {
    throw new UsageError('give one identity: --key/--cert, --pfx or --self-signed', {
      hint: 'several --key/--cert pairs are fine (RSA and ECDSA), but not mixed with the others',
    });
  }
  if (request.pfx !== undefined) return readPfxIdentity(request.pfx, request.passphrase);
  if (pairs.length > 0) return readPairs(pairs, request.passphrase);
  const made = await createSelfSignedIdentity(request.host, request.now);
  const certificate = new X509Certificate(made.certPem);
  return {
    served: { kind: 'pem', keys: [made.keyPem], certs: [made.certPem] },
    summaries: [summarise(certificate, 'ec P-256', 'self-signed (in memory)')],
    caPem: made.certPem,
  };
}

/** The SNI identities: each pair read and checked like the main one. */
export async function readIdentityPair(
  pair: IdentityInput,
  passphrase: PassphraseProvider | undefined,
): Promise<{
  keyPem: string;
  certPem: string;
  summary: IdentitySummary;
  chain: X509Certificate[];
}> {
  const keyInput = await readFileInput(pair.key, 'key');
  const certInput = await readFileInput(pair.cert, 'certificate');
  const key = await loadPrivateKey(keyInput.data, { source: keyInput.source, passphrase });
  const chain = readCertificates(certInput);
  const leaf = chain[0] as X509Certificate;
  if (!leaf.checkPrivateKey(key)) {
    // node:tls catches a mismatch of the same key type, but not an RSA key with an EC certificate.
    throw new InputError(`${keyInput.source} does not match ${certInput.source}`, {
      hint: 'give each certificate with its own private key',
    });
  }
  return {
    keyPem: encodePrivateKey(key, { format: 'pem' }).toString('utf8'),
    certPem: certificatesPem(chain),
    summary: summarise(leaf, keyLabel(key), certInput.source),
    chain,
  };
}

// ---------------------------------------------------------------------------------------------

async function readPairs(
  pairs: readonly IdentityInput[],
  passphrase: PassphraseProvider | undefined,
): Promise<ResolvedIdentity> {
  const read = [];
  const keyTypes = new Map<string, string>();
  for (const pair of pairs) {
    const identity = await readIdentityPair(pair, passphrase);
    // OpenSSL keeps one certificate per key type: a second RSA pair would silently replace the first.
    const type = identity.summary.key.split(' ')[0] as string;
    const earlier = keyTypes.get(type);
    if (earlier !== undefined) {
      throw new InputError(`${identity.summary.source} and ${earlier} both hold ${type} keys`, {
        hint: 'a server holds one certificate per key type (say one RSA and one ECDSA); use --sni for others',
      });
    }
    keyTypes.set(type, identity.summary.source);
    read.push(identity);
  }
  const firstChain = (read[0] as (typeof read)[number]).chain;
  return {
    served: {
      kind: 'pem',
      keys: read.map((identity) => identity.keyPem),
      certs: read.map((identity) => identity.certPem),
    },
    summaries: read.map((identity) => identity.summary),
    caPem: (firstChain[firstChain.length - 1] as X509Certificate).toString(),
  };
}

async function readPfxIdentity(
  input: FileInput,
  passphrase: PassphraseProvider | undefined,
): Promise<ResolvedIdentity> {
  const pfx = await readFileInput(input, 'PKCS#12 data');
  let secret: string | undefined;
  let context = tryPfx(pfx, undefined);
  if (context === 'wrong-passphrase') {
    if (!passphrase) {
      throw new UsageError(`${pfx.source} is protected by a passphrase`, {
        hint: 'give it with --passin pass:TEXT, env:VAR, file:PATH, fd:N or stdin',
      });
    }
    secret = await passphrase(`passphrase for ${pfx.source}`);
    context = tryPfx(pfx, secret);
    if (context === 'wrong-passphrase') {
      throw new WrongPassphraseError(`the passphrase does not open ${pfx.source}`);
    }
  }
  const { leaf, issuer } = context;
  return {
    served: {
      kind: 'pfx',
      pfxBase64: pfx.data.toString('base64'),
      ...(secret === undefined ? {} : { passphrase: secret }),
    },
    summaries: [summarise(leaf, keyLabelOfCertificate(leaf), pfx.source)],
    caPem: (issuer ?? leaf).toString(),
  };
}

/** The SecureContext's own certificate accessors (not in @types/node, present since Node 0.x). */
interface NativeContext {
  getCertificate?(): Buffer | null;
  getIssuer?(): Buffer | null;
}

type PfxContents = { leaf: X509Certificate; issuer: X509Certificate | undefined };

/** Node's own PKCS#12 reader (the one the server will use), run once to check the file. */
function tryPfx(pfx: ReadInput, passphrase: string | undefined): PfxContents | 'wrong-passphrase' {
  let native: NativeContext;
  try {
    native = createSecureContext({ pfx: pfx.data, passphrase }).context as NativeContext;
  } catch (error) {
    const message = messageOf(error);
    if (/mac verify failure/i.test(message)) return 'wrong-passphrase';
    const legacy = /unsupported/i.test(message)
      ? 'it uses legacy encryption (RC2/3DES), which Node cannot read: export it again without -legacy'
      : 'give a PKCS#12 file (openssl pkcs12 -export, tlskit pfx export)';
    throw new InputError(`${pfx.source} cannot be loaded (${message})`, {
      hint: legacy,
      cause: error,
    });
  }
  const leafDer = native.getCertificate?.();
  if (!leafDer) {
    throw new InputError(`${pfx.source} holds no certificate with its key`, {
      hint: 'export the key and its certificate together',
    });
  }
  const issuerDer = native.getIssuer?.();
  return {
    leaf: new X509Certificate(leafDer),
    issuer: issuerDer ? new X509Certificate(issuerDer) : undefined,
  };
}

function summarise(certificate: X509Certificate, key: string, source: string): IdentitySummary {
  return {
    source,
    subject: formatX509Name(certificate.subject),
    issuer: formatX509Name(certificate.issuer),
    key,
    names: (certificate.subjectAltName ?? '').split(', ').filter(Boolean),
    notAfter: new Date(certificate.validTo).toISOString(),
    fingerprint256: certificate.fingerprint256,
  };
}

function keyLabel(key: KeyObject): string {
  const description = describeKey(key);
  if (description.type === 'rsa') return `rsa ${description.bits}`;
  if (description.type === 'ec') return `ec ${description.curve}`;
  return description.type;
}

function keyLabelOfCertificate(certificate: X509Certificate): string {
  try {
    return keyLabel(certificate.publicKey);
  } catch (error) {
    if (isTlskitError(error)) return certificate.publicKey.asymmetricKeyType ?? 'unknown';
    throw error;
  }
}
