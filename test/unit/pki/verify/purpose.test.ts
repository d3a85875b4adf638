import test from 'ava';
import { parseChainCertificate } from '../../../../src/pki/verify/chain-certificate.js';
import { allowsPurpose, type VerifyPurpose } from '../../../../src/pki/verify/purpose.js';
import { makeCertificate, type CertificateSpec } from '../../../helpers/chains.js';

const RSA = { type: 'rsa', bits: 2048 } as const;

/** [title, leaf spec, purpose, allowed] — OpenSSL's sslserver / sslclient rules for a leaf. */
const LEAVES: Array<[string, Partial<CertificateSpec>, VerifyPurpose, boolean]> = [
  ['serverAuth for a server', { extendedKeyUsage: ['serverAuth'] }, 'server', true],
  ['serverAuth for a client', { extendedKeyUsage: ['serverAuth'] }, 'client', false],
  ['clientAuth for a client', { extendedKeyUsage: ['clientAuth'] }, 'client', true],
  ['no extendedKeyUsage at all', { extendedKeyUsage: null }, 'server', true],
  [
    'Netscape server-gated cryptography',
    { extendedKeyUsage: ['2.16.840.1.113730.4.1'] },
    'server',
    true,
  ],
  [
    'keyAgreement is enough for a server',
    { keyUsage: ['keyAgreement'], extendedKeyUsage: null },
    'server',
    true,
  ],
  // keyEncipherment (RSA key transport) needs an RSA key: profiles drop it for other keys.
  [
    'keyEncipherment is enough for a server',
    { keyUsage: ['keyEncipherment'], extendedKeyUsage: null, key: RSA },
    'server',
    true,
  ],
  [
    'keyEncipherment is not enough for a client',
    { keyUsage: ['keyEncipherment'], extendedKeyUsage: null, key: RSA },
    'client',
    false,
  ],
  [
    'a signing-only key for a server',
    { keyUsage: ['nonRepudiation'], extendedKeyUsage: null },
    'server',
    false,
  ],
];

for (const [title, spec, purpose, allowed] of LEAVES) {
  test(`purpose ${purpose}: ${title}`, async (t) => {
    const leaf = await makeCertificate({ subject: '/CN=leaf', profile: 'server', ...spec });
    t.is(allowsPurpose(parseChainCertificate(leaf.der, 'leaf'), purpose, false), allowed);
  });
}

test('a CA must be a CA, and its extendedKeyUsage, if any, must allow the purpose', async (t) => {
  const ca = parseChainCertificate((await makeCertificate({ subject: '/CN=CA' })).der, 'ca');
  t.true(allowsPurpose(ca, 'server', true));
  const limited = parseChainCertificate(
    (await makeCertificate({ subject: '/CN=CA', extendedKeyUsage: ['clientAuth'] })).der,
    'limited',
  );
  t.false(allowsPurpose(limited, 'server', true));
  t.true(allowsPurpose(limited, 'client', true));
  const leaf = parseChainCertificate(
    (await makeCertificate({ subject: '/CN=leaf', profile: 'server' })).der,
    'leaf',
  );
  t.false(allowsPurpose(leaf, 'server', true));
});
