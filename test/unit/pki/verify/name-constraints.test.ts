import test from 'ava';
import {
  GeneralName,
  GeneralSubtree,
  GeneralSubtrees,
  NameConstraints,
  id_ce_nameConstraints,
} from '@peculiar/asn1-x509';
import { parseChainCertificate } from '../../../../src/pki/verify/chain-certificate.js';
import { verifyChain } from '../../../../src/pki/verify/verify-chain.js';
import type { VerifyVerdict } from '../../../../src/pki/verify/verdict.js';
import { makeCertificate, makeExtension, type CertificateSpec } from '../../../helpers/chains.js';

/** Root → intermediate with these constraints → leaf; the verdict's code. */
async function verdictFor(
  constraints: Pick<CertificateSpec, 'permitted' | 'excluded' | 'extraExtensions'>,
  leaf: Partial<CertificateSpec>,
): Promise<VerifyVerdict['code']> {
  const root = await makeCertificate({ subject: '/CN=NC Root' });
  const intermediate = await makeCertificate({
    subject: '/O=Example/CN=NC Intermediate',
    issuer: root,
    profile: 'intermediate',
    ...constraints,
  });
  const certificate = await makeCertificate({ subject: '/CN=leaf', issuer: intermediate, ...leaf });
  const parse = (der: Uint8Array, name: string) => parseChainCertificate(der, name);
  return verifyChain({
    certificate: parse(certificate.der, 'leaf'),
    untrusted: [parse(intermediate.der, 'intermediate')],
    trusted: [parse(root.der, 'root')],
  }).verdict.code;
}

const CASES: Array<{
  title: string;
  permitted?: string[];
  excluded?: string[];
  leaf: Partial<CertificateSpec>;
  expect: VerifyVerdict['code'];
}> = [
  {
    title: 'DNS below the base',
    permitted: ['DNS:example.test'],
    leaf: { sans: ['DNS:www.example.test'] },
    expect: 'OK',
  },
  {
    title: 'DNS equal to the base',
    permitted: ['DNS:example.test'],
    leaf: { sans: ['DNS:example.test'] },
    expect: 'OK',
  },
  {
    title: 'DNS base matches whole labels only',
    permitted: ['DNS:example.test'],
    leaf: { sans: ['DNS:badexample.test'] },
    expect: 'PERMITTED_VIOLATION',
  },
  {
    title: 'DNS base with a leading dot excludes the domain itself',
    permitted: ['DNS:.example.test'],
    leaf: { sans: ['DNS:example.test'] },
    expect: 'PERMITTED_VIOLATION',
  },
  {
    title: 'DNS base with a leading dot',
    permitted: ['DNS:.example.test'],
    leaf: { sans: ['DNS:a.example.test'] },
    expect: 'OK',
  },
  {
    title: 'DNS case does not matter',
    permitted: ['DNS:Example.TEST'],
    leaf: { sans: ['DNS:www.example.test'] },
    expect: 'OK',
  },
  {
    title: 'excluded DNS subtree',
    excluded: ['DNS:bad.example.test'],
    leaf: { sans: ['DNS:x.bad.example.test'] },
    expect: 'EXCLUDED_VIOLATION',
  },
  {
    title: 'excluded wins over permitted',
    permitted: ['DNS:example.test'],
    excluded: ['DNS:bad.example.test'],
    leaf: { sans: ['DNS:bad.example.test'] },
    expect: 'EXCLUDED_VIOLATION',
  },
  {
    title: 'names of another kind are unconstrained',
    permitted: ['DNS:example.test'],
    leaf: { sans: ['DNS:www.example.test', 'email:a@elsewhere.test'] },
    expect: 'OK',
  },
  {
    title: 'email host',
    permitted: ['email:example.test'],
    leaf: { sans: ['email:a@example.test'] },
    expect: 'OK',
  },
  {
    title: 'email host is exact without a leading dot',
    permitted: ['email:example.test'],
    leaf: { sans: ['email:a@sub.example.test'] },
    expect: 'PERMITTED_VIOLATION',
  },
  {
    title: 'email domain with a leading dot',
    permitted: ['email:.example.test'],
    leaf: { sans: ['email:a@sub.example.test'] },
    expect: 'OK',
  },
  {
    title: 'email mailbox: the local part is case-sensitive',
    permitted: ['email:boss@example.test'],
    leaf: { sans: ['email:Boss@example.test'] },
    expect: 'PERMITTED_VIOLATION',
  },
  {
    title: 'URI host below a domain',
    permitted: ['URI:.example.test'],
    leaf: { sans: ['URI:https://www.example.test:8443/x'] },
    expect: 'OK',
  },
  {
    title: 'URI host equal to a dotted domain',
    permitted: ['URI:.example.test'],
    leaf: { sans: ['URI:https://example.test/'] },
    expect: 'PERMITTED_VIOLATION',
  },
  {
    title: 'IP address inside the range',
    permitted: ['IP:10.0.0.0/8'],
    leaf: { sans: ['IP:10.1.2.3'] },
    expect: 'OK',
  },
  {
    title: 'IP address outside the range',
    permitted: ['IP:10.0.0.0/8'],
    leaf: { sans: ['IP:11.0.0.1'] },
    expect: 'PERMITTED_VIOLATION',
  },
  {
    title: 'IPv6 address against an IPv4 range',
    permitted: ['IP:10.0.0.0/8'],
    leaf: { sans: ['IP:2001:db8::1'] },
    expect: 'PERMITTED_VIOLATION',
  },
  {
    title: 'directoryName prefix',
    permitted: ['dirName:/O=Example'],
    leaf: { subject: '/O=example/CN=x' },
    expect: 'OK',
  },
  {
    title: 'directoryName outside',
    permitted: ['dirName:/O=Example'],
    leaf: { subject: '/O=Other/CN=x' },
    expect: 'PERMITTED_VIOLATION',
  },
  {
    title: 'a host-like commonName counts when there are no DNS names',
    permitted: ['DNS:example.test'],
    leaf: { subject: '/CN=host.other.test' },
    expect: 'PERMITTED_VIOLATION',
  },
  {
    title: 'a commonName that is no host name is not checked',
    permitted: ['DNS:example.test'],
    leaf: { subject: '/CN=Jane Doe' },
    expect: 'OK',
  },
  {
    title: 'with DNS names, the commonName is not checked',
    permitted: ['DNS:example.test'],
    leaf: { subject: '/CN=host.other.test', sans: ['DNS:www.example.test'] },
    expect: 'OK',
  },
];

for (const row of CASES) {
  test(`name constraints: ${row.title}`, async (t) => {
    t.is(
      await verdictFor({ permitted: row.permitted, excluded: row.excluded }, row.leaf),
      row.expect,
    );
  });
}

test('name constraints: a maximum in a subtree is refused (RFC 5280: MUST be absent)', async (t) => {
  const constraints = new NameConstraints({
    permittedSubtrees: new GeneralSubtrees([
      new GeneralSubtree({ base: new GeneralName({ dNSName: 'example.test' }), maximum: 2 }),
    ]),
  });
  t.is(
    await verdictFor(
      { extraExtensions: [makeExtension(id_ce_nameConstraints, constraints, true)] },
      { sans: ['DNS:www.example.test'] },
    ),
    'SUBTREE_MINMAX',
  );
});
