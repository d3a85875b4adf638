/**
 * The C2SP x509-limbo path-validation suite (../shared/conformance/x509-limbo.json, or the file
 * named by X509_LIMBO_JSON): every case through tlskit's verifyChain, and through
 * `openssl verify` with the same inputs and options. Measured on OpenSSL 3.0.19: tlskit reaches
 * the suite's expected verdict on 146 of 208 cases (as non-strict `openssl verify` does: the rest
 * are Web PKI and -x509_strict rules that openssl verify does not apply by default either), and
 * agrees with openssl's verdict, first error and depth on all 208. The assertions are floors, so
 * that a newer suite or OpenSSL may move a few cases without failing the build.
 */
import test from 'ava';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readPkiBundle } from '../../src/pki/verify/bundle-reader.js';
import type { ChainCertificate } from '../../src/pki/verify/chain-certificate.js';
import { parseIpAddress } from '../../src/pki/verify/host-match.js';
import { verifyChain } from '../../src/pki/verify/verify-chain.js';
import { isTlskitError } from '../../src/errors.js';
import { makeTempDir, repoRoot, runOpenssl } from '../helpers/index.js';

const SUITE =
  process.env.X509_LIMBO_JSON ?? join(repoRoot, '..', 'shared', 'conformance', 'x509-limbo.json');
const MIN_EXPECTED_MATCHES = 140;
const MIN_OPENSSL_AGREEMENT = 200;
const OPENSSL_PARALLELISM = 4;

interface LimboCase {
  id: string;
  validation_kind: 'SERVER' | 'CLIENT';
  trusted_certs: string[];
  untrusted_intermediates: string[];
  peer_certificate: string;
  validation_time: string | null;
  expected_peer_name: { kind: string; value: string } | null;
  expected_result: 'SUCCESS' | 'FAILURE';
  max_chain_depth: number | null;
  crls?: string[];
}

/** `OK`, `N@D` (OpenSSL error number at depth), or `INPUT` when tlskit refuses the input. */
type Outcome = string;

test('x509-limbo: tlskit meets the expected verdicts and agrees with openssl verify', async (t) => {
  const suite = JSON.parse(await readFile(SUITE, 'utf8')) as { testcases: LimboCase[] };
  const cases = suite.testcases;
  t.true(cases.length >= 200, `${SUITE} holds ${cases.length} cases`);
  const dir = await makeTempDir(t, 'tlskit-limbo-');

  const ours = cases.map(verifyWithTlskit);
  const theirs: Outcome[] = new Array<Outcome>(cases.length);
  for (let start = 0; start < cases.length; start += OPENSSL_PARALLELISM) {
    const batch = cases.slice(start, start + OPENSSL_PARALLELISM);
    const outcomes = await Promise.all(
      batch.map((limbo, offset) => verifyWithOpenssl(limbo, join(dir, String(start + offset)))),
    );
    outcomes.forEach((outcome, offset) => (theirs[start + offset] = outcome));
  }

  const expected = cases.filter(
    (limbo, index) => (ours[index] === 'OK') === (limbo.expected_result === 'SUCCESS'),
  ).length;
  const disagreements = cases
    .map((limbo, index) => ({ id: limbo.id, ours: ours[index], theirs: theirs[index] }))
    .filter((row) => row.ours !== row.theirs && !(row.ours === 'INPUT' && row.theirs !== 'OK'));
  t.log(`expected verdict on ${expected} of ${cases.length} cases`);
  t.log(`agrees with openssl verify on ${cases.length - disagreements.length} of ${cases.length}`);
  for (const row of disagreements) t.log(`  ${row.id}: tlskit ${row.ours}, openssl ${row.theirs}`);
  t.true(expected >= MIN_EXPECTED_MATCHES, `expected verdicts: ${expected}`);
  t.true(cases.length - disagreements.length >= MIN_OPENSSL_AGREEMENT);
});

function verifyWithTlskit(limbo: LimboCase): Outcome {
  try {
    const certificates = (pems: string[], name: string): ChainCertificate[] =>
      pems.flatMap(
        (pem, index) => readPkiBundle(Buffer.from(pem), `${name} #${index}`).certificates,
      );
    const [leaf] = certificates([limbo.peer_certificate], 'peer');
    const crls = (limbo.crls ?? []).flatMap(
      (pem, index) => readPkiBundle(Buffer.from(pem), `crl #${index}`, 'crl').crls,
    );
    const peer = limbo.expected_peer_name;
    const { verdict } = verifyChain({
      certificate: leaf as ChainCertificate,
      untrusted: certificates(limbo.untrusted_intermediates, 'untrusted'),
      trusted: certificates(limbo.trusted_certs, 'trusted'),
      crls,
      crlCheck: crls.length ? 'leaf' : undefined,
      host: peer?.kind === 'DNS' ? peer.value : undefined,
      ip: peer?.kind === 'IP' ? parseIpAddress(peer.value) : undefined,
      purpose: limbo.validation_kind === 'CLIENT' ? 'client' : 'server',
      at: limbo.validation_time ? new Date(limbo.validation_time) : undefined,
      maxDepth: limbo.max_chain_depth ?? undefined,
    });
    return verdict.ok ? 'OK' : `${verdict.opensslError}@${verdict.depth}`;
  } catch (error) {
    if (isTlskitError(error)) return 'INPUT';
    throw error;
  }
}

async function verifyWithOpenssl(limbo: LimboCase, prefix: string): Promise<Outcome> {
  const write = async (name: string, pems: string[]) => {
    await writeFile(`${prefix}-${name}.pem`, pems.join(''));
    return `${prefix}-${name}.pem`;
  };
  const args = ['verify', '-CAfile', await write('trusted', limbo.trusted_certs)];
  if (limbo.untrusted_intermediates.length) {
    args.push('-untrusted', await write('untrusted', limbo.untrusted_intermediates));
  }
  if (limbo.crls?.length) args.push('-CRLfile', await write('crls', limbo.crls), '-crl_check');
  const peer = limbo.expected_peer_name;
  if (peer?.kind === 'DNS') args.push('-verify_hostname', peer.value);
  if (peer?.kind === 'IP') args.push('-verify_ip', peer.value);
  args.push('-purpose', limbo.validation_kind === 'CLIENT' ? 'sslclient' : 'sslserver');
  if (limbo.validation_time) {
    args.push('-attime', String(Math.floor(new Date(limbo.validation_time).getTime() / 1000)));
  }
  if (limbo.max_chain_depth !== null) args.push('-verify_depth', String(limbo.max_chain_depth));
  args.push(await write('peer', [limbo.peer_certificate]));
  const result = await runOpenssl(args);
  if (result.code === 0) return 'OK';
  const error = /^error (\d+) at (\d+) depth lookup/m.exec(result.stderr);
  return error ? `${error[1]}@${error[2]}` : `openssl failed: ${result.stderr.split('\n')[0]}`;
}
