/**
 * The presets against the real peers: every node with an `expect:` gives exactly that result
 * from `openssl verify` (run as README.md shows it), `tlskit verify` agrees, and openssl reads
 * the CRLs, PKCS#12 files and DH parameters.
 */
import test from 'ava';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFixtures, type FixturesResult } from '../../src/fixtures/generate.js';
import { opensslVerifyArguments } from '../../src/fixtures/readme.js';
import { presetPath, type FixturePreset } from '../../src/fixtures/spec-file.js';
import { verifyCertificateFiles } from '../../src/pki/verify/verify-files.js';
import { openssl, runOpenssl } from '../helpers/index.js';

/** One folder per preset, made once for all the tests of this file. */
const folders = new Map<FixturePreset, Promise<FixturesResult>>();

function presetFolder(preset: FixturePreset): Promise<FixturesResult> {
  let folder = folders.get(preset);
  if (!folder) {
    folder = mkdtemp(join(tmpdir(), `tlskit-fixtures-${preset}-`)).then((dir) =>
      generateFixtures(presetPath(preset), { outDir: dir }),
    );
    folders.set(preset, folder);
  }
  return folder;
}

test.after.always(async () => {
  for (const folder of folders.values()) {
    const { outDir } = await folder.catch(() => ({ outDir: undefined }));
    if (outDir) await rm(outDir, { recursive: true, force: true });
  }
});

/**
 * Security-level verdicts: `openssl verify -auth_level 2` rejects SHA-1 signatures and RSA-1024
 * keys (as a TLS peer at security level 2 does); `tlskit verify` has no security levels yet, so
 * for those it must agree with openssl without -auth_level instead: OK.
 */
const SECURITY_LEVEL_CODES = new Set([66, 67, 68]);

/** What `openssl verify` says: 0 for OK, else N from "error N at D depth lookup". */
async function opensslVerdict(
  args: string[],
  cwd: string,
): Promise<{ code: number; text: string }> {
  const result = await runOpenssl(args, { cwd });
  const text = `${result.stdout}${result.stderr}`.trim();
  if (result.code === 0) return { code: 0, text };
  const match = /error (\d+) at \d+ depth lookup/.exec(text);
  return { code: match ? Number(match[1]) : -1, text };
}

for (const preset of ['badssl', 'standard', 'node-tls'] as const) {
  test(`${preset}: every expectation holds in openssl verify, and tlskit verify agrees`, async (t) => {
    const { outDir, manifest } = await presetFolder(preset);
    const expectations = Object.entries(manifest.nodes).filter(([, node]) => node.expect);
    t.true(expectations.length > 0);
    for (const [name, node] of expectations) {
      const expect = node.expect!;
      const certificate = node.files.find((file) => /[.-]cert\.pem$/.test(file)) as string;
      const caFile = join(outDir, `${name}.trust.tmp.pem`);
      const anchors = await Promise.all(expect.caFile.map((file) => readText(join(outDir, file))));
      await writeFile(caFile, anchors.join(''));
      const verdict = await opensslVerdict(
        opensslVerifyArguments(expect, certificate, caFile),
        outDir,
      );
      t.is(verdict.code, expect.code, `${preset}/${name}: openssl says ${verdict.text}`);
      const ours = await verifyCertificateFiles({
        certificate: join(outDir, certificate),
        ca: expect.caFile.map((file) => join(outDir, file)),
        untrusted: expect.untrusted.map((file) => join(outDir, file)),
        crls: expect.crl.map((file) => join(outDir, file)),
        ...(expect.host ? { host: expect.host } : {}),
        ...(expect.ip ? { ip: expect.ip } : {}),
        ...(expect.purpose
          ? { purpose: expect.purpose === 'sslserver' ? 'server' : 'client' }
          : {}),
        at: new Date(expect.atTime * 1000),
      });
      const wanted = SECURITY_LEVEL_CODES.has(expect.code) ? 0 : expect.code;
      t.is(ours.opensslError, wanted, `${preset}/${name}: tlskit verify says ${ours.message}`);
      await rm(caFile);
    }
  });
}

test('badssl: one node per classic failure, each with its own OpenSSL error', async (t) => {
  const { manifest } = await presetFolder('badssl');
  const results = Object.values(manifest.nodes).map((node) => node.expect?.result);
  for (const error of [
    'X509_V_ERR_CERT_HAS_EXPIRED',
    'X509_V_ERR_CERT_NOT_YET_VALID',
    'X509_V_ERR_HOSTNAME_MISMATCH',
    'X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT',
    'X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN',
    'X509_V_ERR_CERT_REVOKED',
    'X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    'X509_V_ERR_INVALID_PURPOSE',
    'X509_V_ERR_PATH_LENGTH_EXCEEDED',
    'X509_V_ERR_PERMITTED_VIOLATION',
    'X509_V_ERR_CA_MD_TOO_WEAK',
    'X509_V_ERR_EE_KEY_TOO_SMALL',
  ]) {
    t.true(results.includes(error), error);
  }
});

test('openssl accepts every CRL, signed by its CA', async (t) => {
  for (const preset of ['badssl', 'standard'] as const) {
    const { outDir, manifest } = await presetFolder(preset);
    const crls = manifest.files.filter((file) => file.kind === 'crl');
    t.true(crls.length > 0);
    for (const crl of crls) {
      const ca = `${crl.node}.cert.pem`;
      const result = await runOpenssl(['crl', '-in', crl.path, '-CAfile', ca, '-noout'], {
        cwd: outDir,
      });
      t.is(result.code, 0, result.stderr);
      t.regex(result.stderr, /verify OK/);
    }
  }
});

test('openssl opens the PKCS#12 files with their passphrases', async (t) => {
  const cases: Array<[FixturePreset, string, string]> = [
    ['standard', 'client.p12', 'tlskit'],
    ['node-tls', 'agent5.pfx', 'sample'],
    ['node-tls', 'server.pfx', ''],
  ];
  for (const [preset, file, passphrase] of cases) {
    const { outDir } = await presetFolder(preset);
    const info = await openssl(
      ['pkcs12', '-in', file, '-passin', `pass:${passphrase}`, '-info', '-noout'],
      {
        cwd: outDir,
      },
    );
    t.is(info, '', `${file}: openssl pkcs12 -info -noout prints to stderr only`);
    const certificates = await openssl(
      ['pkcs12', '-in', file, '-passin', `pass:${passphrase}`, '-nokeys'],
      {
        cwd: outDir,
      },
    );
    t.true((certificates.match(/BEGIN CERTIFICATE/g) ?? []).length >= 1, file);
  }
});

test('openssl checks the DH parameters and the EC parameters of node-tls', async (t) => {
  const { outDir } = await presetFolder('node-tls');
  const dh = await runOpenssl(['dhparam', '-in', 'dhparam.pem', '-check', '-noout'], {
    cwd: outDir,
  });
  t.is(dh.code, 0, dh.stderr);
  t.regex(dh.stdout + dh.stderr, /DH parameters appear to be ok/);
  const ec = await openssl(['ecparam', '-in', 'ec-params.pem', '-text', '-noout'], { cwd: outDir });
  t.regex(ec, /ASN1 OID: prime256v1/);
});

async function readText(path: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(path, 'utf8');
}
