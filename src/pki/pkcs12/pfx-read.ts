import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { ContentInfo } from '@peculiar/asn1-cms';
import {
  AuthenticatedSafe,
  CertBag,
  id_certBag,
  id_keyBag,
  id_pkcs8ShroudedKeyBag,
  id_SafeContents,
  MacData,
  PFX,
  PKCS12Attribute,
  SafeBag,
  SafeContents,
} from '@peculiar/asn1-pfx';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import type { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { InputError, messageOf, WrongPassphraseError } from '../../errors.js';
import { looksLikePem, readDerHeader } from '../../io/pem.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { OID } from './algorithms.js';
import { berToDer } from './ber.js';
import { verifyMacData } from './mac.js';
import { ABSENT_PASSWORD, pkcs12Password, type Pkcs12Password } from './password.js';
import { decryptWithPassword } from './pbe.js';
import { EncryptedData, FriendlyName } from './schema.js';

/** One entry of a PKCS#12 file's AuthenticatedSafe, before any decryption. */
export type PfxContent =
  | { kind: 'data'; bags: SafeBag[] }
  | { kind: 'encrypted'; algorithm: AlgorithmIdentifier; ciphertext: Buffer };

/** A PKCS#12 file parsed as far as it can be without its password. */
export interface PfxStructure {
  source: string;
  /** Absent in files made without one (`openssl pkcs12 -export -nomac`). */
  macData: MacData | undefined;
  /** The AuthenticatedSafe's octets, over which the MAC is computed. */
  authenticatedSafe: Buffer;
  contents: PfxContent[];
}

export interface PfxBagAttributes {
  friendlyName: string | null;
  localKeyId: Buffer | null;
}

export interface PfxPrivateKey extends PfxBagAttributes {
  key: KeyObject;
  /** The PKCS#8 PrivateKeyInfo, DER, as it was in the file. */
  pkcs8: Buffer;
  /** How its bag was encrypted, or null for an unencrypted KeyBag. */
  encryptionAlgorithm: AlgorithmIdentifier | null;
}

export interface PfxCertificate extends PfxBagAttributes {
  der: Buffer;
}

export interface PfxContents {
  keys: PfxPrivateKey[];
  certificates: PfxCertificate[];
  /** Bags tlskit reads past (CRLs, secrets, non-X.509 certificates), by type name. */
  otherBags: string[];
  /** False only for a file without a MAC, which nothing vouches for. */
  macVerified: boolean;
  /** The bags of each AuthenticatedSafe entry, decrypted, in file order (for describing). */
  safes: SafeBag[][];
}

export interface ReadPfxOptions {
  /** Names the file in messages. */
  source: string;
  /** Asked once. */
  passphrase: PassphraseProvider;
}

/** Reads a PKCS#12 file: checks its MAC, then decrypts every bag, whatever its algorithms. */
export async function readPfx(data: Uint8Array, options: ReadPfxOptions): Promise<PfxContents> {
  return decryptPfx(parsePfx(data, options.source), options.passphrase);
}

/**
 * Parses the layers that need no password: the PFX, its AuthenticatedSafe, and the SafeContents
 * of its unencrypted Data entries. BER (indefinite lengths, chunked strings) is accepted.
 */
export function parsePfx(data: Uint8Array, source: string): PfxStructure {
  checkFraming(data, source);
  let der: Buffer;
  try {
    der = berToDer(data);
  } catch (error) {
    throw notPkcs12(source, data, error);
  }
  const pfx = parseAs(der, PFX, (error) => notPkcs12(source, data, error));
  if (Number(pfx.version) !== 3) {
    throw new InputError(`${source}: PKCS#12 version ${pfx.version} is not supported (only 3)`);
  }
  if (pfx.authSafe.contentType !== OID.data) {
    throw new InputError(
      `${source} is protected by a public-key signature (${contentTypeName(pfx.authSafe.contentType)})`,
      { hint: 'tlskit reads password-protected PKCS#12 files only' },
    );
  }
  const authenticatedSafe = octetsOf(pfx.authSafe, `${source}: the AuthenticatedSafe`);
  const safe = parseAs(authenticatedSafe, AuthenticatedSafe, (error) =>
    malformed(`${source}: the AuthenticatedSafe`, error),
  );
  const contents = Array.from(safe, (info, index) =>
    parseContent(info, `${source}: AuthenticatedSafe entry #${index + 1}`),
  );
  // asn1-pfx fills an absent macData with an empty MacData: an empty OID means there is none.
  const macData = pfx.macData?.mac.digestAlgorithm.algorithm ? pfx.macData : undefined;
  return { source, macData, authenticatedSafe, contents };
}

/**
 * Verifies the MAC, then decrypts. A MAC that does not verify means a wrong passphrase; after a
 * verified MAC, anything that fails to decrypt is a damaged file.
 */
export async function decryptPfx(
  structure: PfxStructure,
  passphrase: PassphraseProvider,
): Promise<PfxContents> {
  const { source } = structure;
  const candidates = passwordCandidates(await passphrase(`passphrase for ${source}`));
  let password = candidates[0] as Pkcs12Password;
  if (structure.macData) {
    const macData = structure.macData;
    const verified = candidates.find((candidate) =>
      verifyMacData(macData, structure.authenticatedSafe, candidate, source),
    );
    if (!verified) {
      throw new WrongPassphraseError(`wrong passphrase for ${source} (the MAC does not verify)`);
    }
    password = verified;
  }
  const reader = new BagReader(source, password, structure.macData !== undefined);
  const safes = structure.contents.map((content, index) => {
    const where = `AuthenticatedSafe entry #${index + 1}`;
    const bags =
      content.kind === 'data'
        ? content.bags
        : Array.from(reader.decryptSafeContents(content, where));
    reader.readBags(bags, where, 0);
    return bags;
  });
  return {
    keys: reader.keys,
    certificates: reader.certificates,
    otherBags: reader.otherBags,
    macVerified: structure.macData !== undefined,
    safes,
  };
}

/** The friendlyName and localKeyID of a bag; other attributes are not tlskit's business. */
export function bagAttributesOf(bag: SafeBag, where: string): PfxBagAttributes {
  const find = (oid: string): ArrayBuffer | undefined =>
    (bag.bagAttributes ?? []).find((attribute: PKCS12Attribute) => attribute.attrId === oid)
      ?.attrValues[0];
  const name = find(OID.friendlyName);
  const keyId = find(OID.localKeyId);
  return {
    friendlyName:
      name === undefined
        ? null
        : parseAs(name, FriendlyName, (error) => malformed(`${where}: friendlyName`, error)).value,
    localKeyId:
      keyId === undefined
        ? null
        : Buffer.from(
            parseAs(keyId, OctetString, (error) => malformed(`${where}: localKeyID`, error)).buffer,
          ),
  };
}

/** The names of the bag types (RFC 7292 section 4.2). */
export const BAG_TYPE_NAMES: Record<string, string> = {
  [id_keyBag]: 'keyBag',
  [id_pkcs8ShroudedKeyBag]: 'pkcs8ShroudedKeyBag',
  [id_certBag]: 'certBag',
  '1.2.840.113549.1.12.10.1.4': 'crlBag',
  '1.2.840.113549.1.12.10.1.5': 'secretBag',
  [id_SafeContents]: 'safeContentsBag',
};

/** Parses DER with an asn1-schema class; any failure becomes the given InputError. */
export function parseAs<T>(
  der: ArrayBuffer | Uint8Array,
  schema: new () => T,
  failure: (cause: unknown) => InputError,
): T {
  try {
    return AsnConvert.parse(der, schema);
  } catch (error) {
    throw failure(error);
  }
}

// ---------------------------------------------------------------------------------------------

/** safeContentsBag nesting; real files use none. */
const MAX_BAG_DEPTH = 8;

/**
 * Walks SafeContents, decrypting with the password the MAC vouched for. `where` strings name a
 * place inside the file ("AuthenticatedSafe entry #2, bag #1"); messages add the file's name.
 */
class BagReader {
  readonly keys: PfxPrivateKey[] = [];
  readonly certificates: PfxCertificate[] = [];
  readonly otherBags: string[] = [];

  constructor(
    private readonly source: string,
    private readonly password: Pkcs12Password,
    private readonly macVerified: boolean,
  ) {}

  decryptSafeContents(
    content: Extract<PfxContent, { kind: 'encrypted' }>,
    where: string,
  ): SafeContents {
    const plaintext = this.decrypt(content.algorithm, content.ciphertext, where);
    return parseAs(plaintext, SafeContents, (error) =>
      this.failure(where, 'does not decrypt to SafeContents', error, true),
    );
  }

  readBags(bags: Iterable<SafeBag>, where: string, depth: number): void {
    let index = 0;
    for (const bag of bags) this.readBag(bag, `${where}, bag #${++index}`, depth);
  }

  private readBag(bag: SafeBag, where: string, depth: number): void {
    switch (bag.bagId) {
      case id_keyBag:
        this.addKey(Buffer.from(bag.bagValue), bag, where, null);
        return;
      case id_pkcs8ShroudedKeyBag: {
        const shrouded = parseAs(bag.bagValue, EncryptedPrivateKeyInfo, (error) =>
          malformed(this.at(where), error),
        );
        const algorithm = shrouded.encryptionAlgorithm;
        const pkcs8 = this.decrypt(algorithm, Buffer.from(shrouded.encryptedData.buffer), where);
        this.addKey(pkcs8, bag, where, algorithm);
        return;
      }
      case id_certBag:
        this.addCertificate(bag, where);
        return;
      case id_SafeContents:
        if (depth >= MAX_BAG_DEPTH) throw new InputError(`${this.at(where)}: nested too deeply`);
        this.readBags(
          parseAs(bag.bagValue, SafeContents, (error) => malformed(this.at(where), error)),
          where,
          depth + 1,
        );
        return;
      default:
        this.otherBags.push(BAG_TYPE_NAMES[bag.bagId] ?? bag.bagId);
    }
  }

  private addKey(
    pkcs8: Buffer,
    bag: SafeBag,
    where: string,
    encryptionAlgorithm: AlgorithmIdentifier | null,
  ): void {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
    } catch (error) {
      const encrypted = encryptionAlgorithm !== null;
      throw this.failure(where, 'does not hold a valid PKCS#8 private key', error, encrypted);
    }
    this.keys.push({ key, pkcs8, encryptionAlgorithm, ...bagAttributesOf(bag, this.at(where)) });
  }

  private addCertificate(bag: SafeBag, where: string): void {
    const certBag = parseAs(bag.bagValue, CertBag, (error) => malformed(this.at(where), error));
    if (certBag.certId !== OID.x509Certificate) {
      this.otherBags.push(`certBag (${certBag.certId})`);
      return;
    }
    const der = Buffer.from(
      parseAs(certBag.certValue, OctetString, (error) => malformed(this.at(where), error)).buffer,
    );
    try {
      new X509Certificate(der);
    } catch (error) {
      throw new InputError(`${this.at(where)} does not hold a valid X.509 certificate`, {
        cause: error,
      });
    }
    this.certificates.push({ der, ...bagAttributesOf(bag, this.at(where)) });
  }

  private decrypt(algorithm: AlgorithmIdentifier, ciphertext: Buffer, where: string): Buffer {
    const plaintext = decryptWithPassword(algorithm, ciphertext, this.password, this.at(where));
    if (plaintext) return plaintext;
    throw this.failure(where, 'does not decrypt', undefined, true);
  }

  /**
   * Without a MAC, encrypted data that will not decrypt most likely means a wrong passphrase;
   * once a MAC has verified, the passphrase is right and the file itself is damaged.
   */
  private failure(where: string, problem: string, cause: unknown, encrypted: boolean): InputError {
    if (encrypted && !this.macVerified) {
      return new WrongPassphraseError(`wrong passphrase for ${this.source} (${where} ${problem})`, {
        cause,
      });
    }
    const note = this.macVerified ? ' (the MAC verifies: the file is damaged)' : '';
    return new InputError(`${this.at(where)} ${problem}${note}`, {
      cause,
      hint: 'export the file again from where it came from',
    });
  }

  private at(where: string): string {
    return `${this.source}: ${where}`;
  }
}

/**
 * The password forms to try. An empty passphrase is either an empty BMPString (two zero bytes)
 * or no password at all, and tools differ in which they write, so OpenSSL tries both; so do we.
 */
function passwordCandidates(passphrase: string): Pkcs12Password[] {
  return passphrase === '' ? [pkcs12Password(''), ABSENT_PASSWORD] : [pkcs12Password(passphrase)];
}

function parseContent(info: ContentInfo, where: string): PfxContent {
  switch (info.contentType) {
    case OID.data: {
      const octets = octetsOf(info, where);
      return {
        kind: 'data',
        bags: Array.from(parseAs(octets, SafeContents, (error) => malformed(where, error))),
      };
    }
    case OID.encryptedData: {
      const encrypted = parseAs(info.content, EncryptedData, (error) => malformed(where, error));
      const contentInfo = encrypted.encryptedContentInfo;
      const content = contentInfo.encryptedContent;
      const ciphertext = content?.value
        ? Buffer.from(content.value.buffer)
        : Buffer.concat((content?.constructedValue ?? []).map((part) => Buffer.from(part.buffer)));
      return { kind: 'encrypted', algorithm: contentInfo.contentEncryptionAlgorithm, ciphertext };
    }
    default:
      throw new InputError(`${where}: ${contentTypeName(info.contentType)} is not supported`, {
        hint: 'tlskit reads password-encrypted PKCS#12 files (Data and EncryptedData)',
      });
  }
}

/** The OCTET STRING inside a Data ContentInfo. */
function octetsOf(info: ContentInfo, where: string): Buffer {
  return Buffer.from(parseAs(info.content, OctetString, (error) => malformed(where, error)).buffer);
}

const CONTENT_TYPE_NAMES: Record<string, string> = {
  [OID.data]: 'Data',
  [OID.encryptedData]: 'EncryptedData',
  [OID.envelopedData]: 'EnvelopedData (public-key encryption)',
  '1.2.840.113549.1.7.2': 'SignedData',
};

function contentTypeName(oid: string): string {
  return CONTENT_TYPE_NAMES[oid] ?? `content type ${oid}`;
}

/** A cut-off download or a PEM file get their own words before any parsing. */
function checkFraming(data: Uint8Array, source: string): void {
  if (looksLikePem(data)) {
    throw new InputError(`${source} is PEM text, not a PKCS#12 file`, {
      hint: 'PKCS#12 files are binary (DER), usually named .p12 or .pfx',
    });
  }
  const header = readDerHeader(data);
  if (data[0] === DER_SEQUENCE && header && header.end > data.length) {
    throw new InputError(`${source} is truncated (${data.length} of ${header.end} bytes)`);
  }
}

const DER_SEQUENCE = 0x30;

function notPkcs12(source: string, data: Uint8Array, cause?: unknown): InputError {
  // Only a file that starts like DER is worth the parser's reason; text or noise is just not one.
  const reason =
    data[0] === DER_SEQUENCE && cause instanceof Error ? ` (damaged: ${cause.message})` : '';
  return new InputError(`${source} is not a PKCS#12 file${reason}`, {
    hint: 'give a .p12/.pfx file (DER)',
    cause,
  });
}

function malformed(where: string, cause: unknown): InputError {
  return new InputError(`${where} is malformed (${messageOf(cause)})`, { cause });
}
