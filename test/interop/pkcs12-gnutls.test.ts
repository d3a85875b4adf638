/**
 * GnuTLS's certtool reads our PKCS#12 files, modern and legacy: it verifies the MAC, names the
 * algorithms we claim, and decrypts the same certificates.
 */
import test, { type ExecutionContext } from 'ava';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem } from '../../src/io/pem.js';
import { encodePrivateKey } from '../../src/pki/keys.js';
import { exportPfx, type PfxFormat } from '../../src/pki/pkcs12/pfx-export.js';
import { makeChain, type TestChain } from '../helpers/chains.js';
import { makeTempDir, runProgram } from '../helpers/index.js';

const PASS = 'gnutls-pass';

async function ourPfx(
  t: ExecutionContext,
  format: PfxFormat,
): Promise<{ path: string; chain: TestChain }> {
  const dir = await makeTempDir(t);
  const chain = await makeChain();
  const key = join(dir, 'leaf.key');
  const cert = join(dir, 'leaf.pem');
  await writeFile(key, encodePrivateKey(chain.leaf.key, { format: 'pem' }));
  await writeFile(cert, chain.leaf.pem + chain.intermediate.pem + chain.root.pem);
  const result = await exportPfx({
    keyPath: key,
    certificatePath: cert,
    passphrase: async () => PASS,
    format,
  });
  const path = join(dir, 'ours.p12');
  await writeFile(path, result.der);
  return { path, chain };
}

const certtool = (path: string, password: string) =>
  runProgram('certtool', ['--p12-info', '--inder', '--password', password, '--infile', path]);

const EXPECTED: Record<PfxFormat, { mac: string; certificates: string; key: string }> = {
  modern: { mac: 'SHA256', certificates: 'AES-256-CBC', key: 'AES-256-CBC' },
  legacy: { mac: 'SHA1', certificates: 'RC2-40', key: '3DES-CBC' },
  'legacy-3des': { mac: 'SHA1', certificates: '3DES-CBC', key: '3DES-CBC' },
};

for (const [format, expected] of Object.entries(EXPECTED) as Array<
  [PfxFormat, (typeof EXPECTED)[PfxFormat]]
>) {
  test(`certtool --p12-info reads our ${format} file`, async (t) => {
    const { path, chain } = await ourPfx(t, format);
    const result = await certtool(path, PASS);
    t.is(result.code, 0, result.stderr);
    t.notRegex(result.stderr, /fail/i);
    t.regex(result.stdout, new RegExp(`^\\s*MAC: ${expected.mac} \\(`, 'm'));
    // BAG #0 holds the certificates (EncryptedData), BAG #1 the shrouded key.
    const [certificateBag, keyBag] = result.stdout.split(/^BAG #\d+$/m).slice(1);
    t.regex(certificateBag ?? '', new RegExp(`Cipher: ${expected.certificates}$`, 'm'));
    t.regex(keyBag ?? '', new RegExp(`Cipher: ${expected.key}$`, 'm'));
    const certificates = decodePem(result.stdout)
      .filter((block) => block.label === 'CERTIFICATE')
      .map((block) => block.der);
    t.deepEqual(certificates, [chain.leaf.der, chain.intermediate.der, chain.root.der]);
  });
}

test('certtool reports a failed MAC for a wrong password (the check above could fail)', async (t) => {
  const { path } = await ourPfx(t, 'modern');
  const result = await certtool(path, 'wrong-pass');
  t.not(result.code, 0);
  t.regex(result.stderr, /verification failed/);
});
