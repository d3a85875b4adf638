/**
 * `tlskit inspect` output, byte for byte: pinned inputs (fixtures/inspect/, made once by its
 * make.sh) and a pinned clock. Rewrite the golden files only on purpose, and read the diff:
 *   UPDATE_GOLDEN=1 npx ava dist/test/golden/inspect.test.js
 */
import test, { type ExecutionContext } from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspectData, inspectionTree } from '../../src/pki/describe/inspect.js';
import { renderTree } from '../../src/render/text-tree.js';
import { fixturesDir, repoRoot } from '../helpers/index.js';

const GOLDEN_DIR = join(repoRoot, 'test', 'golden', 'inspect');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const NOW = new Date('2026-06-01T00:00:00Z');
const PASSPHRASE = 'tlskit-fixture';

interface GoldenCase {
  /** Golden files are NAME.txt (human, no colour) and NAME.json.txt (.txt keeps Prettier off it). */
  name: string;
  fixture: string;
  now?: Date;
}

const CASES: GoldenCase[] = [
  { name: 'rsa-cert', fixture: 'openssl.rsa2048.cert.pem' },
  { name: 'rsa-cert-der', fixture: 'openssl.rsa2048.cert.der' },
  {
    name: 'rsa-cert-expired',
    fixture: 'openssl.rsa2048.cert.pem',
    now: new Date('2027-02-01T00:00:00Z'),
  },
  { name: 'ec-leaf-cert', fixture: 'openssl.p256-leaf.cert.pem' },
  { name: 'ed25519-cert', fixture: 'openssl.ed25519.cert.pem' },
  { name: 'chain', fixture: 'openssl.chain.pem' },
  { name: 'rsa-csr', fixture: 'openssl.rsa2048.csr.pem' },
  { name: 'ec-csr-der', fixture: 'openssl.p256-leaf.csr.der' },
  { name: 'crl', fixture: 'openssl.p256-intermediate.crl.pem' },
  { name: 'ec-key', fixture: 'openssl.p256-leaf.key.pem' },
  { name: 'ec-key-encrypted', fixture: 'openssl.p256-leaf.enc.key.pem' },
  { name: 'rsa-key-legacy-encrypted', fixture: 'openssl.rsa2048.legacy-enc.key.pem' },
  { name: 'ed25519-key', fixture: 'openssl.ed25519.key.pem' },
  { name: 'rsa-public-key', fixture: 'openssl.rsa2048.pub.pem' },
  { name: 'ec-public-key-der', fixture: 'openssl.p256-leaf.pub.der' },
];

for (const golden of CASES) {
  test(`inspect ${golden.fixture} (${golden.name})`, async (t) => {
    const data = await readFile(join(fixturesDir, 'inspect', golden.fixture));
    const result = await inspectData(data, golden.fixture, {
      now: golden.now ?? NOW,
      passphrase: async () => PASSPHRASE,
    });
    await compare(t, `${golden.name}.txt`, `${renderTree(inspectionTree(result))}\n`);
    await compare(t, `${golden.name}.json.txt`, `${JSON.stringify(result, null, 2)}\n`);
  });
}

async function compare(t: ExecutionContext, file: string, actual: string): Promise<void> {
  const path = join(GOLDEN_DIR, file);
  if (UPDATE) {
    await writeFile(path, actual);
    t.pass(`${file} rewritten`);
    return;
  }
  const expected = await readFile(path, 'utf8').catch(() => {
    throw new Error(`${file} is missing: write it with UPDATE_GOLDEN=1 and review it`);
  });
  t.is(actual, expected, `${file} differs (UPDATE_GOLDEN=1 rewrites it after review)`);
}
