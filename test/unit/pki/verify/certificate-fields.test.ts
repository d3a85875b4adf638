import test from 'ava';
import {
  parseX509Time,
  readCertificateFields,
} from '../../../../src/pki/verify/certificate-fields.js';
import { makeCertificate } from '../../../helpers/chains.js';

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;

const times: Array<[number, string, string]> = [
  [UTC_TIME, '260101083000Z', '2026-01-01T08:30:00.000Z'],
  [UTC_TIME, '491231235959Z', '2049-12-31T23:59:59.000Z'],
  [UTC_TIME, '500101000000Z', '1950-01-01T00:00:00.000Z'],
  [UTC_TIME, '2601010830Z', '2026-01-01T08:30:00.000Z'],
  [UTC_TIME, '260101083000+0100', '2026-01-01T07:30:00.000Z'],
  [GENERALIZED_TIME, '20500101000000Z', '2050-01-01T00:00:00.000Z'],
  [GENERALIZED_TIME, '99991231235959Z', '9999-12-31T23:59:59.000Z'],
  [GENERALIZED_TIME, '20260101083000.999Z', '2026-01-01T08:30:00.000Z'],
  [GENERALIZED_TIME, '20260101083000-0230', '2026-01-01T11:00:00.000Z'],
];

for (const [tag, text, iso] of times) {
  test(`time ${text} is ${iso}`, (t) => {
    t.is(parseX509Time(tag, text).toISOString(), iso);
  });
}

for (const [tag, text] of [
  [UTC_TIME, '261301000000Z'],
  [UTC_TIME, '260230000000Z'],
  [UTC_TIME, '2601010830'],
  [GENERALIZED_TIME, '2026010108Z'],
  [GENERALIZED_TIME, 'tomorrow'],
] as const) {
  test(`time ${text} is refused`, (t) => {
    t.throws(() => parseX509Time(tag, text), { instanceOf: RangeError });
  });
}

test('the fields of a tlskit-made certificate', async (t) => {
  const notBefore = new Date('2026-01-01T00:00:00Z');
  const notAfter = new Date('2060-01-01T00:00:00Z');
  const certificate = await makeCertificate({
    subject: '/CN=fields.example.test',
    sans: ['DNS:fields.example.test'],
    notBefore,
    notAfter,
  });
  const fields = readCertificateFields(certificate.der);
  t.is(fields.version, 3);
  t.deepEqual(Buffer.from(fields.serial), certificate.serial);
  t.is(fields.signatureOid, '1.2.840.10045.4.3.2');
  t.is(fields.keyAlgorithmOid, '1.2.840.10045.2.1');
  t.false(fields.explicitKeyParameters);
  t.is(fields.notBefore.toISOString(), notBefore.toISOString());
  t.is(fields.notAfter.toISOString(), notAfter.toISOString());
  t.deepEqual(
    fields.extensions.map((extension) => [extension.oid, extension.critical]),
    [
      ['2.5.29.19', true],
      ['2.5.29.15', true],
      ['2.5.29.14', false],
      ['2.5.29.35', false],
      ['2.5.29.17', false],
    ],
  );
});

test('something that is not a certificate is a RangeError', (t) => {
  t.throws(() => readCertificateFields(Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01)), {
    instanceOf: RangeError,
  });
});
