import test from 'ava';
import { RefusedError } from '../../../../src/errors.js';
import { checkPathLength } from '../../../../src/pki/ca/path-length.js';
import {
  issueCertificate,
  readCertificate,
  type CertificateDetails,
} from '../../../../src/pki/certificate.js';
import { generateKeyPair, type KeyPair } from '../../../../src/pki/keys.js';
import { encodeName, parseSubject } from '../../../../src/pki/name.js';
import { loadProfile, type Profile } from '../../../../src/pki/profile.js';

const validity = { notBefore: new Date('2026-01-01Z'), notAfter: new Date('2030-01-01Z') };

/** A CA certificate with this path length (undefined: none), signed by `parent` or itself. */
async function caCertificate(
  name: string,
  pathLength: number | undefined,
  parent?: { name: string; keys: KeyPair },
): Promise<{ details: CertificateDetails; keys: KeyPair }> {
  const keys = await generateKeyPair({ type: 'ec' });
  const base = await loadProfile('ca');
  const profile: Profile = { ...base, basicConstraints: { ca: true, critical: true, pathLength } };
  const subject = encodeName(parseSubject(`/CN=${name}`));
  const issued = await issueCertificate({
    subject,
    publicKey: keys.publicKey,
    issuer: parent
      ? { name: encodeName(parseSubject(`/CN=${parent.name}`)), key: parent.keys.privateKey }
      : { name: subject, key: keys.privateKey },
    profile,
    validity,
    serial: Buffer.of(1),
  });
  return { details: readCertificate(issued.der, name), keys };
}

test('a pathlen 0 CA issues leaves but no CA', async (t) => {
  const root = await caCertificate('root', undefined);
  const inter = await caCertificate('inter', 0, { name: 'root', keys: root.keys });
  const chain = [inter.details, root.details];
  t.notThrows(() => checkPathLength(chain, { ca: false }));
  t.throws(() => checkPathLength(chain, { ca: true, pathLength: 0 }), {
    instanceOf: RefusedError,
    message: 'inter has pathlen 0: it cannot issue CA certificates',
  });
});

test("a root's pathlen counts the intermediates below it", async (t) => {
  const root = await caCertificate('root', 1);
  const inter = await caCertificate('inter', undefined, { name: 'root', keys: root.keys });
  const chain = [inter.details, root.details];
  t.notThrows(() => checkPathLength(chain, { ca: false }), 'leaf: one intermediate below root');
  t.throws(() => checkPathLength(chain, { ca: true }), {
    instanceOf: RefusedError,
    message: /root has pathlen 1: it allows no further CA certificates below it/,
  });
  t.notThrows(() => checkPathLength([root.details], { ca: true, pathLength: 0 }));
});

test('a requested pathlen above what the chain allows is refused', async (t) => {
  const root = await caCertificate('root', 2);
  t.notThrows(() => checkPathLength([root.details], { ca: true, pathLength: 1 }));
  t.throws(() => checkPathLength([root.details], { ca: true, pathLength: 2 }), {
    instanceOf: RefusedError,
    message: 'pathlen 2 is more than root allows below it (1)',
  });
  t.notThrows(() => checkPathLength([root.details], { ca: true }), 'no pathlen asked for');
});
