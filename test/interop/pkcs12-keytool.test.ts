/**
 * Java's keytool against our PKCS#12 files (modern, legacy, legacy with 3DES certificates): it
 * lists one PrivateKeyEntry under our friendly name with the whole chain. And we import what
 * keytool writes, modern and legacy, recovering its key and the certificate it exports.
 */
import test, { type ExecutionContext } from 'ava';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePrivateKey, keysMatch } from '../../src/pki/keys.js';
import { exportPfx, PFX_FORMATS } from '../../src/pki/pkcs12/pfx-export.js';
import { importPfx } from '../../src/pki/pkcs12/pfx-import.js';
import { makeChain } from '../helpers/chains.js';
import { makeTempDir, runProgram } from '../helpers/index.js';

const PASS = 'keytool-pass';
/** The JVM starts slowly on a busy machine. */
const KEYTOOL_TIMEOUT_MS = 60_000;

async function keytool(args: string[]): Promise<string> {
  const result = await runProgram('keytool', args, { timeoutMs: KEYTOOL_TIMEOUT_MS });
  if (result.code !== 0) {
    throw new Error(
      `keytool ${args.join(' ')} exited ${result.code}: ${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

async function ourPfx(t: ExecutionContext, format: (typeof PFX_FORMATS)[number]) {
  const dir = await makeTempDir(t);
  const chain = await makeChain();
  const key = join(dir, 'leaf.key');
  const cert = join(dir, 'leaf.pem');
  const rest = join(dir, 'chain.pem');
  await writeFile(key, encodePrivateKey(chain.leaf.key, { format: 'pem' }));
  await writeFile(cert, chain.leaf.pem);
  await writeFile(rest, chain.intermediate.pem + chain.root.pem);
  const result = await exportPfx({
    keyPath: key,
    certificatePath: cert,
    chainPaths: [rest],
    passphrase: async () => PASS,
    friendlyName: 'tomcat',
    format,
  });
  const path = join(dir, 'ours.p12');
  await writeFile(path, result.der);
  return { path, chain };
}

for (const format of PFX_FORMATS) {
  test(`keytool -list reads our ${format} file: one PrivateKeyEntry with the chain`, async (t) => {
    const { path, chain } = await ourPfx(t, format);
    const output = await keytool([
      '-list',
      '-v',
      '-storetype',
      'PKCS12',
      '-keystore',
      path,
      '-storepass',
      PASS,
    ]);
    t.regex(output, /^Your keystore contains 1 entry$/m);
    t.regex(output, /^Alias name: tomcat$/m);
    t.regex(output, /^Entry type: PrivateKeyEntry$/m);
    t.regex(output, /^Certificate chain length: 3$/m);
    const fingerprint = new X509Certificate(chain.leaf.der).fingerprint256;
    t.true(output.includes(`SHA256: ${fingerprint}`), 'the leaf comes first');
  });
}

test('keytool refuses our file with a wrong password (the check above could fail)', async (t) => {
  const { path } = await ourPfx(t, 'modern');
  const result = await runProgram(
    'keytool',
    ['-list', '-storetype', 'PKCS12', '-keystore', path, '-storepass', 'wrong-pass'],
    { timeoutMs: KEYTOOL_TIMEOUT_MS },
  );
  t.not(result.code, 0);
  t.regex(result.stdout + result.stderr, /password was incorrect/);
});

for (const legacy of [false, true]) {
  test(`we import a keystore keytool makes${legacy ? ' in legacy mode' : ''}`, async (t) => {
    const dir = await makeTempDir(t);
    const path = join(dir, 'java.p12');
    const exported = join(dir, 'java.pem');
    await keytool([
      ...(legacy ? ['-J-Dkeystore.pkcs12.legacy'] : []),
      '-genkeypair',
      '-keyalg',
      'EC',
      '-groupname',
      'secp256r1',
      '-alias',
      'java',
      '-dname',
      'CN=java.test',
      '-validity',
      '30',
      '-storetype',
      'PKCS12',
      '-keystore',
      path,
      '-storepass',
      PASS,
    ]);
    await keytool([
      '-exportcert',
      '-rfc',
      '-alias',
      'java',
      '-keystore',
      path,
      '-storepass',
      PASS,
      '-file',
      exported,
    ]);
    const imported = await importPfx({ path, passphrase: async () => PASS });
    const certificate = new X509Certificate(await readFile(exported));
    t.deepEqual(new X509Certificate(imported.certificatePem).raw, certificate.raw);
    t.true(keysMatch(createPrivateKey(imported.keyPem ?? ''), certificate.publicKey));
    t.is(imported.certificate.friendlyName, 'java');
    t.is(imported.legacy, legacy);
  });
}
