import test from 'ava';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import {
  AuthorityKeyIdentifier,
  CRLDistributionPoints,
  DistributionPoint,
  DistributionPointName,
  Extension,
  GeneralName,
  KeyIdentifier,
  Reason,
  ReasonFlags,
} from '@peculiar/asn1-x509';
import { describeExtension, extensionTree } from '../../../src/pki/describe/extensions.js';

function extension(oid: string, der: Uint8Array | ArrayBuffer, critical = false): Extension {
  return new Extension({ extnID: oid, critical, extnValue: new OctetString(der) });
}

const bytes = (...values: number[]) => Uint8Array.from(values);

test('policy constraints and inhibitAnyPolicy give their skip counts', (t) => {
  // SEQUENCE { [0] 0, [1] 2 }
  const constraints = describeExtension(
    extension('2.5.29.36', bytes(0x30, 0x06, 0x80, 0x01, 0x00, 0x81, 0x01, 0x02)),
  );
  t.deepEqual(constraints.value, { requireExplicitPolicy: 0, inhibitPolicyMapping: 2 });
  t.is(
    extensionTree(constraints).value,
    'require explicit policy after 0, inhibit policy mapping after 2',
  );
  const inhibit = describeExtension(extension('2.5.29.54', bytes(0x02, 0x01, 0x01), true));
  t.is(inhibit.value, 1);
  t.is(extensionTree(inhibit).label, 'Inhibit anyPolicy (critical)');
});

test('an authority key identifier with issuer and serial shows all three', (t) => {
  const aki = new AuthorityKeyIdentifier({
    keyIdentifier: new KeyIdentifier(bytes(0xab, 0xcd)),
    authorityCertIssuer: [new GeneralName({ dNSName: 'ca.example.test' })],
    authorityCertSerialNumber: bytes(0x10, 0x01).buffer,
  });
  const described = describeExtension(extension('2.5.29.35', AsnConvert.serialize(aki)));
  t.deepEqual(described.value, {
    keyIdentifier: 'abcd',
    issuer: [{ type: 'dns', value: 'ca.example.test' }],
    serialNumber: '1001',
  });
  t.deepEqual(extensionTree(described), {
    label: 'Authority key identifier',
    value: 'AB:CD',
    children: [
      { label: 'Issuer', value: 'DNS:ca.example.test' },
      { label: 'Serial number', value: '10:01' },
    ],
  });
});

test('a distribution point with reasons and a CRL issuer is not flattened', (t) => {
  const points = new CRLDistributionPoints([
    new DistributionPoint({
      distributionPoint: new DistributionPointName({
        fullName: [new GeneralName({ uniformResourceIdentifier: 'http://crl.example.test/a.crl' })],
      }),
      reasons: new Reason(ReasonFlags.keyCompromise | ReasonFlags.cACompromise),
      cRLIssuer: [new GeneralName({ dNSName: 'issuer.example.test' })],
    }),
  ]);
  const described = describeExtension(extension('2.5.29.31', AsnConvert.serialize(points)));
  t.deepEqual(described.value, [
    {
      names: [{ type: 'uri', value: 'http://crl.example.test/a.crl' }],
      reasons: ['keyCompromise', 'cACompromise'],
      crlIssuer: [{ type: 'dns', value: 'issuer.example.test' }],
    },
  ]);
  t.deepEqual(extensionTree(described).children, [
    {
      label: 'Point 1',
      value: 'http://crl.example.test/a.crl',
      children: [
        { label: 'Reasons', value: 'keyCompromise, cACompromise' },
        { label: 'CRL issuer', value: 'DNS:issuer.example.test' },
      ],
    },
  ]);
});

test('CT: the poison marks a precertificate, SCT lists give log and time', (t) => {
  const poison = describeExtension(extension('1.3.6.1.4.1.11129.2.4.3', bytes(0x05, 0x00), true));
  t.is(poison.name, 'ctPrecertificatePoison');
  t.is(extensionTree(poison).tone, 'warning');

  const timestamp = Date.UTC(2026, 0, 1);
  const sct = Buffer.alloc(1 + 32 + 8 + 2 + 4 + 2);
  sct.writeUInt8(0, 0);
  sct.fill(0xaa, 1, 33);
  sct.writeBigUInt64BE(BigInt(timestamp), 33);
  sct.writeUInt16BE(0, 41); // no extensions
  sct.set([0x04, 0x03, 0x00, 0x02], 43); // SHA-256/ECDSA, 2-byte signature
  sct.set([0x01, 0x02], 47);
  const list = Buffer.concat([u16(2 + sct.length), u16(sct.length), sct]);
  const octetString = Buffer.concat([bytes(0x04, list.length), list]);
  const scts = describeExtension(extension('1.3.6.1.4.1.11129.2.4.2', octetString));
  t.deepEqual(scts.value, [
    { version: 0, logId: 'aa'.repeat(32), timestamp: '2026-01-01T00:00:00.000Z' },
  ]);
  t.falsy(scts.malformed);
});

test('an SCT list whose length lies is malformed, not a crash', (t) => {
  const list = Buffer.concat([u16(100), u16(1), bytes(0)]);
  const octetString = Buffer.concat([bytes(0x04, list.length), list]);
  const described = describeExtension(extension('1.3.6.1.4.1.11129.2.4.2', octetString));
  t.true(described.malformed);
});

test('a malformed known extension is kept as hex and flagged, and shown in red', (t) => {
  // basicConstraints SEQUENCE that claims 3 bytes but holds 2.
  const described = describeExtension(extension('2.5.29.19', bytes(0x30, 0x03, 0x01, 0x01), true));
  t.deepEqual(described, {
    oid: '2.5.29.19',
    name: 'basicConstraints',
    critical: true,
    value: { der: '30030101' },
    malformed: true,
  });
  const node = extensionTree(described);
  t.is(node.tone, 'bad');
  t.is(node.value, 'malformed, 4 bytes: 30:03:01:01');
});

test('an unknown extension shows a string value quoted, anything else as hex', (t) => {
  const utf8 = describeExtension(extension('1.2.3.4', bytes(0x0c, 0x02, 0x68, 0x69)));
  t.deepEqual(utf8.value, { der: '0c026869' });
  t.is(extensionTree(utf8).value, '"hi"');
  const binary = describeExtension(extension('1.2.3.4', new Uint8Array(40).fill(0xee)));
  t.regex(extensionTree(binary).value ?? '', /^40 bytes: EE(:EE){31}:…$/);
});

test('CRL entry reasons and CRL numbers beyond 2^53 decode exactly', (t) => {
  const reason = describeExtension(extension('2.5.29.21', bytes(0x0a, 0x01, 0x01)));
  t.is(reason.value, 'keyCompromise');
  const big = describeExtension(
    extension('2.5.29.20', bytes(0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x01)),
  );
  t.is(big.value, (2n ** 64n + 1n).toString());
});

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}
