/**
 * verifyChain scenarios beyond the openssl agreement table (each expectation was checked once
 * against `openssl verify` 3.0.19 with the matching options): depth limits, partial chains,
 * critical extensions, CA key usage, and CRL selection.
 */
import test from 'ava';
import { OctetString } from '@peculiar/asn1-schema';
import {
  parseChainCertificate,
  type ChainCertificate,
} from '../../../../src/pki/verify/chain-certificate.js';
import { parseRevocationList } from '../../../../src/pki/verify/crl-reader.js';
import { verifyChain, type VerifyChainOptions } from '../../../../src/pki/verify/verify-chain.js';
import {
  makeCertificate,
  makeCrl,
  makeExtension,
  type TestCertificate,
} from '../../../helpers/chains.js';

const DAY_MS = 86_400_000;
const parse = (certificate: TestCertificate, name = 'test') =>
  parseChainCertificate(certificate.der, name);

/** Root → CA → sub-CA → leaf, none limited by a path length. */
async function longChain() {
  const root = await makeCertificate({ subject: '/CN=Root' });
  const ca = await makeCertificate({ subject: '/CN=CA', issuer: root, profile: 'ca' });
  const subCa = await makeCertificate({ subject: '/CN=Sub CA', issuer: ca, profile: 'ca' });
  const leaf = await makeCertificate({ subject: '/CN=leaf', issuer: subCa });
  return { root, ca, subCa, leaf };
}

function verdictOf(options: Partial<VerifyChainOptions> & { certificate: ChainCertificate }) {
  return verifyChain({ trusted: [], ...options }).verdict;
}

test('the depth limit counts intermediates, not the anchor', async (t) => {
  const { root, ca, subCa, leaf } = await longChain();
  const options = {
    certificate: parse(leaf),
    untrusted: [parse(ca), parse(subCa)],
    trusted: [parse(root)],
  };
  t.like(verdictOf({ ...options, maxDepth: 1 }), {
    code: 'CERT_CHAIN_TOO_LONG',
    depth: 2,
    trusted: false,
  });
  t.like(verdictOf({ ...options, maxDepth: 2 }), {
    ok: true,
    chain: ['CN=leaf', 'CN=Sub CA', 'CN=CA', 'CN=Root'],
  });
});

test('a leaf in the store is an anchor only with partialChain', async (t) => {
  const { subCa, leaf } = await longChain();
  const options = { certificate: parse(leaf), trusted: [parse(leaf, 'store')] };
  t.like(verdictOf(options), { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', depth: 0 });
  t.like(verdictOf({ ...options, partialChain: true }), { ok: true, chain: ['CN=leaf'] });
  // An intermediate anchor ends the path there.
  t.like(verdictOf({ certificate: parse(leaf), trusted: [parse(subCa)], partialChain: true }), {
    ok: true,
    chain: ['CN=leaf', 'CN=Sub CA'],
  });
});

test('a critical extension tlskit (like OpenSSL) does not process fails the path', async (t) => {
  const { root, ca, subCa } = await longChain();
  const leaf = await makeCertificate({
    subject: '/CN=leaf',
    issuer: subCa,
    extraExtensions: [
      makeExtension('1.3.6.1.4.1.55555.1', new OctetString(Uint8Array.of(1, 2)), true),
    ],
  });
  t.like(
    verdictOf({
      certificate: parse(leaf),
      untrusted: [parse(ca), parse(subCa)],
      trusted: [parse(root)],
    }),
    {
      code: 'UNHANDLED_CRITICAL_EXTENSION',
      depth: 0,
      message: 'unhandled critical extension: 1.3.6.1.4.1.55555.1',
    },
  );
});

test('an intermediate whose keyUsage lacks keyCertSign is not a CA', async (t) => {
  const root = await makeCertificate({ subject: '/CN=Root' });
  const intermediate = await makeCertificate({
    subject: '/CN=KU Intermediate',
    issuer: root,
    profile: 'intermediate',
    keyUsage: ['digitalSignature'],
  });
  const leaf = await makeCertificate({ subject: '/CN=leaf', issuer: intermediate });
  t.like(
    verdictOf({
      certificate: parse(leaf),
      untrusted: [parse(intermediate)],
      trusted: [parse(root)],
    }),
    { code: 'INVALID_CA', depth: 1 },
  );
});

test('a CRL issuer whose keyUsage lacks cRLSign', async (t) => {
  const root = await makeCertificate({ subject: '/CN=Root' });
  const intermediate = await makeCertificate({
    subject: '/CN=No CRL Sign',
    issuer: root,
    profile: 'intermediate',
    keyUsage: ['keyCertSign', 'digitalSignature'],
  });
  const leaf = await makeCertificate({ subject: '/CN=leaf', issuer: intermediate });
  t.like(
    verdictOf({
      certificate: parse(leaf),
      untrusted: [parse(intermediate)],
      trusted: [parse(root)],
      crls: [parseRevocationList(makeCrl(intermediate).der, 'crl')],
      crlCheck: 'leaf',
    }),
    { code: 'KEYUSAGE_NO_CRL_SIGN', depth: 0 },
  );
});

test('of two current CRLs from one issuer, the newer one decides', async (t) => {
  const { root, ca, subCa, leaf } = await longChain();
  const older = makeCrl(ca, { revoked: [subCa], thisUpdate: new Date(Date.now() - 3 * DAY_MS) });
  const newer = makeCrl(ca, { thisUpdate: new Date(Date.now() - DAY_MS), crlNumber: 2 });
  const others = [makeCrl(subCa), makeCrl(root)];
  for (const lists of [
    [older, newer, ...others],
    [newer, older, ...others],
  ]) {
    t.like(
      verdictOf({
        certificate: parse(leaf),
        untrusted: [parse(ca), parse(subCa)],
        trusted: [parse(root)],
        crls: lists.map((list, index) => parseRevocationList(list.der, `crl ${index}`)),
        crlCheck: 'all',
      }),
      { ok: true },
    );
  }
});
