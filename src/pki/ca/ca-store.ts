import type { KeyObject } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { errorCode, InputError, messageOf, RefusedError } from '../../errors.js';
import { writeFilesAtomic, type FileOutput, type FileWriter } from '../../io/atomic-write.js';
import { decodePem } from '../../io/pem.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { readInputFile } from '../../io/read-input.js';
import { CERTIFICATE_PEM_LABEL, readCertificate, type CertificateDetails } from '../certificate.js';
import { keysMatch, loadPrivateKey } from '../keys.js';
import { decodeName, formatName } from '../name.js';
import { parseCaConfig, type CaConfig } from './ca-config.js';
import { parseIndex, parseSerialFile, type IndexEntry } from './openssl-index.js';

/*
 * A CA folder:
 *   tlskit-ca.json   tlskit's defaults for this CA (ca-config.ts)
 *   ca.key.pem       the CA's private key (0600, PKCS#8, optionally encrypted)
 *   ca.cert.pem      the CA's certificate
 *   chain.pem        the CA's certificate, then its parents up to the root
 *   openssl.cnf      for `openssl ca -config DIR/openssl.cnf`
 *   index.txt, index.txt.attr, serial, crlnumber   OpenSSL's CA state (openssl-index.ts)
 *   newcerts/        every certificate issued, as SERIAL.pem
 *   crl.pem, crl.der the latest CRL (after `tlskit ca crl`)
 */

export const CA_CONFIG_FILE = 'tlskit-ca.json';
export const INDEX_FILE = 'index.txt';
export const INDEX_ATTRIBUTES_FILE = 'index.txt.attr';
export const SERIAL_FILE = 'serial';
export const CRL_NUMBER_FILE = 'crlnumber';
export const NEWCERTS_DIR = 'newcerts';
export const OPENSSL_CNF_FILE = 'openssl.cnf';
export const CRL_PEM_FILE = 'crl.pem';
export const CRL_DER_FILE = 'crl.der';
/** File names `ca init` and `ca intermediate` give the CA's own files. */
export const DEFAULT_CA_FILES = {
  certificate: 'ca.cert.pem',
  key: 'ca.key.pem',
  chain: 'chain.pem',
} as const;

/** An opened CA folder: its defaults and its certificates (the state is read under the lock). */
export interface CaFolder {
  /** The folder as the caller named it (for messages and returned paths). */
  dir: string;
  config: CaConfig;
  /** This CA's certificate. */
  certificate: CertificateDetails;
  /** This CA's certificate, then its parents up to the root. */
  chain: CertificateDetails[];
}

/** The CA's database, read fresh under the lock for every change. */
export interface CaState {
  entries: IndexEntry[];
  /** The number the next CRL gets (the crlnumber file). */
  crlNumber: bigint;
}

/** A file of a CA folder, by its name inside the folder. */
export interface CaFile {
  name: string;
  data: string | Uint8Array;
  mode: number;
}

/** The path of a file inside the CA folder. */
export function caPath(folder: CaFolder | string, name: string): string {
  return join(typeof folder === 'string' ? folder : folder.dir, name);
}

/**
 * Opens a CA folder made by `ca init` or `ca intermediate`: reads its config, certificate and
 * chain. A missing folder, a folder that is not a CA, or a damaged file is an InputError that
 * names it.
 */
export async function openCaFolder(dir: string): Promise<CaFolder> {
  await checkIsFolder(dir);
  const configPath = caPath(dir, CA_CONFIG_FILE);
  let configText: string;
  try {
    configText = await readFile(configPath, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new InputError(`${dir} is not a tlskit CA folder (it has no ${CA_CONFIG_FILE})`, {
        hint: 'give a folder made by tlskit ca init or tlskit ca intermediate',
        cause: error,
      });
    }
    throw new InputError(`cannot read ${configPath}: ${messageOf(error)}`, { cause: error });
  }
  const config = parseCaConfig(configText, configPath);
  const certificatePath = caPath(dir, config.files.certificate);
  const certificate = readCertificate(await readInputFile(certificatePath), certificatePath);
  const chain = await readChain(caPath(dir, config.files.chain));
  if (!chain[0]?.der.equals(certificate.der)) {
    throw new InputError(
      `${caPath(dir, config.files.chain)} does not start with ${certificatePath}`,
      {
        hint: "chain.pem holds the CA's certificate first, then its parents up to the root",
      },
    );
  }
  // Messages about the parents name them by subject: "the CA \"CN=tlskit Root CA\"".
  const parents = chain.slice(1).map((parent) => ({
    ...parent,
    source: `the CA "${formatName(decodeName(parent.subject), 'openssl')}"`,
  }));
  return { dir, config, certificate, chain: [certificate, ...parents] };
}

/** The CA's private key, checked against its certificate. */
export async function loadCaKey(
  folder: CaFolder,
  passphrase?: PassphraseProvider,
): Promise<KeyObject> {
  const path = caPath(folder, folder.config.files.key);
  const key = await loadPrivateKey(await readInputFile(path), { source: path, passphrase });
  if (!keysMatch(key, folder.certificate.publicKey)) {
    throw new InputError(`${path} does not match ${folder.certificate.source}`, {
      hint: "the CA folder's key and certificate belong together: restore them from a backup",
    });
  }
  return key;
}

/** Reads index.txt and crlnumber (call under the folder's lock before changing them). */
export async function readCaState(folder: CaFolder): Promise<CaState> {
  const indexPath = caPath(folder, INDEX_FILE);
  const crlNumberPath = caPath(folder, CRL_NUMBER_FILE);
  return {
    entries: parseIndex(await readStateFile(indexPath), indexPath),
    crlNumber: parseSerialFile(await readStateFile(crlNumberPath), crlNumberPath),
  };
}

/** Where `openssl ca` (and tlskit) keeps a copy of the certificate with this serial. */
export function newcertsPath(folder: CaFolder, serial: string): string {
  return join(folder.dir, NEWCERTS_DIR, `${serial}.pem`);
}

/**
 * Creates a CA folder whole or not at all: everything is written into a hidden staging folder
 * beside it, which is then renamed into place. rename() refuses a folder that exists and is not
 * empty, so two `ca init`s racing for one folder cannot mix their files. Returns the paths.
 */
export async function createCaFolder(
  dir: string,
  files: readonly CaFile[],
  writer: FileWriter = writeFilesAtomic,
): Promise<string[]> {
  const target = resolve(dir);
  await refuseNonEmpty(dir);
  const staging = join(
    dirname(target),
    `.${basename(target)}.${randomBytes(6).toString('hex')}.staging`,
  );
  try {
    await mkdir(staging);
  } catch (error) {
    throw folderError(dir, error);
  }
  try {
    await mkdir(join(staging, NEWCERTS_DIR));
    await writer(files.map((file) => ({ ...file, path: join(staging, file.name) })));
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (['ENOTEMPTY', 'EEXIST'].includes(errorCode(error) ?? '')) throw existsError(dir);
    throw error instanceof InputError ? error : folderError(dir, error);
  }
  return files.map((file) => join(dir, file.name));
}

/** Refuses to create a CA where a non-empty folder or a file is (checked before any key work). */
export async function refuseNonEmpty(dir: string): Promise<void> {
  const stats = await stat(dir).catch(() => undefined);
  if (!stats) return;
  if (!stats.isDirectory()) throw existsError(dir);
  if ((await readdir(dir)).length > 0) throw existsError(dir);
}

/** The state files after a change, for writeFilesAtomic with force. */
export function stateOutputs(folder: CaFolder, files: Record<string, string>): FileOutput[] {
  return Object.entries(files).map(([name, data]) => ({
    path: caPath(folder, name),
    data,
    mode: 0o644,
  }));
}

// ---------------------------------------------------------------------------------------------

async function checkIsFolder(dir: string): Promise<void> {
  let isFolder: boolean;
  try {
    isFolder = (await stat(dir)).isDirectory();
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') {
      throw new InputError(`${dir}: no such CA folder`, {
        hint: 'create one with tlskit ca init DIR',
        cause: error,
      });
    }
    throw new InputError(`cannot open ${dir}: ${messageOf(error)}`, { cause: error });
  }
  if (!isFolder) {
    throw new InputError(`${dir} is a file, not a CA folder`, {
      hint: 'give the folder made by tlskit ca init',
    });
  }
}

async function readChain(path: string): Promise<CertificateDetails[]> {
  const text = (await readInputFile(path)).toString('utf8');
  const blocks = decodePem(text, path).filter((block) => block.label === CERTIFICATE_PEM_LABEL);
  if (blocks.length === 0) {
    throw new InputError(`${path} holds no certificate`, {
      hint: "chain.pem holds the CA's certificate first, then its parents up to the root",
    });
  }
  return blocks.map((block, index) =>
    readCertificate(block.der, `${path} (certificate ${index + 1})`),
  );
}

/** State files may be empty (a new index.txt is), which readInputFile refuses. */
async function readStateFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new InputError(`${path}: no such file`, {
        hint: 'the CA folder is incomplete: restore the file from a backup',
        cause: error,
      });
    }
    throw new InputError(`cannot read ${path}: ${messageOf(error)}`, { cause: error });
  }
}

function existsError(dir: string): RefusedError {
  return new RefusedError(`${dir} already exists and is not empty`, {
    hint: 'give a new folder: tlskit never overwrites a CA',
  });
}

function folderError(dir: string, error: unknown): InputError {
  if (errorCode(error) === 'ENOENT') {
    return new InputError(`cannot create ${dir}: folder ${dirname(resolve(dir))} does not exist`, {
      cause: error,
    });
  }
  return new InputError(`cannot create ${dir}: ${messageOf(error)}`, { cause: error });
}
