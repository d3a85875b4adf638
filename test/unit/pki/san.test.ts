import test from 'ava';
import fc from 'fast-check';
import { isIP } from 'node:net';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Extension, GeneralName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import { InputError } from '../../../src/errors.js';
import {
  decodeSubjectAltNames,
  encodeSubjectAltNames,
  parseSan,
  type SubjectAltName,
} from '../../../src/pki/san.js';

const parsed: ReadonlyArray<[string, SubjectAltName]> = [
  ['DNS:example.com', { type: 'dns', value: 'example.com' }],
  ['dns:Example.COM', { type: 'dns', value: 'example.com' }],
  ['example.com', { type: 'dns', value: 'example.com' }],
  ['localhost', { type: 'dns', value: 'localhost' }],
  ['*.example.com', { type: 'dns', value: '*.example.com' }],
  ['DNS:*.Example.com', { type: 'dns', value: '*.example.com' }],
  ['xn--bcher-kva.example', { type: 'dns', value: 'xn--bcher-kva.example' }],
  ['bücher.example', { type: 'dns', value: 'xn--bcher-kva.example' }],
  ['*.bücher.example', { type: 'dns', value: '*.xn--bcher-kva.example' }],
  [`${'a'.repeat(63)}.example`, { type: 'dns', value: `${'a'.repeat(63)}.example` }],
  ['IP:10.0.0.1', { type: 'ip', value: '10.0.0.1' }],
  ['ip:10.0.0.1', { type: 'ip', value: '10.0.0.1' }],
  ['127.0.0.1', { type: 'ip', value: '127.0.0.1' }],
  ['::1', { type: 'ip', value: '::1' }],
  ['IP:2001:DB8:0:0:0:0:0:1', { type: 'ip', value: '2001:db8::1' }],
  ['2001:db8:0:0:1:0:0:1', { type: 'ip', value: '2001:db8::1:0:0:1' }],
  ['IP:::ffff:192.0.2.1', { type: 'ip', value: '::ffff:c000:201' }],
  ['admin@example.com', { type: 'email', value: 'admin@example.com' }],
  ['email:Admin@Example.COM', { type: 'email', value: 'Admin@example.com' }],
  ['EMAIL:a@bücher.example', { type: 'email', value: 'a@xn--bcher-kva.example' }],
  ['URI:https://example.com/path?q=1', { type: 'uri', value: 'https://example.com/path?q=1' }],
  [
    'uri:spiffe://cluster.local/ns/default',
    { type: 'uri', value: 'spiffe://cluster.local/ns/default' },
  ],
  ['URI:https://bücher.example/ä', { type: 'uri', value: 'https://xn--bcher-kva.example/%C3%A4' }],
];

for (const [text, expected] of parsed) {
  test(`parseSan ${JSON.stringify(text)}`, (t) => {
    t.deepEqual(parseSan(text), expected);
  });
}

const rejected: ReadonlyArray<[string, RegExp, RegExp?]> = [
  ['DNS:127.0.0.1', /"127\.0\.0\.1" is an IP address, not a DNS name/, /IP:127\.0\.0\.1/],
  ['DNS:::1', /is an IP address, not a DNS name/, /IP:::1/],
  ['DNS:[::1]', /is an IP address/, /IP:::1/],
  ['a.*.example.com', /wildcard must be the whole leftmost label/],
  ['*example.com', /wildcard must be the whole leftmost label/],
  ['*.*.example.com', /wildcard must be the whole leftmost label/],
  ['exa_mple.com', /not a valid DNS name: the label "exa_mple"/],
  ['-lead.example', /the label "-lead"/],
  ['trail-.example', /the label "trail-"/],
  [`${'a'.repeat(64)}.example`, /not a valid DNS name/],
  ['example.com.', /an empty label/],
  ['a..b', /an empty label/],
  [`${'abcdefghi.'.repeat(25)}example`, /longer than 253 characters/],
  ['DNS:', /an empty label/],
  ['IP:999.1.1.1', /"999\.1\.1\.1" is not an IP address/],
  ['IP:fe80::1%eth0', /is not an IP address/],
  ['IP:10.0.0.0/8', /is not an IP address/],
  ['IP:example.com', /is not an IP address/],
  ['email:@example.com', /is not an email address/],
  ['email:user', /is not an email address/],
  ['email:a b@example.com', /is not an email address/],
  ['email:a@exa_mple.com', /not a valid DNS name/],
  ['URI:not a uri', /is not an absolute URI/],
  ['URI:/relative/path', /is not an absolute URI/],
  ['RID:1.2.3.4', /RID names are not supported/],
  ['dirName:dir_sect', /dirName names are not supported/],
];

for (const [text, message, hint] of rejected) {
  test(`parseSan rejects ${JSON.stringify(text)}`, (t) => {
    const error = t.throws(() => parseSan(text), { instanceOf: InputError, message });
    if (hint) t.regex(error?.hint ?? '', hint);
  });
}

const everyKind: SubjectAltName[] = [
  { type: 'dns', value: 'example.com' },
  { type: 'dns', value: '*.example.com' },
  { type: 'ip', value: '10.0.0.1' },
  { type: 'ip', value: '2001:db8::1' },
  { type: 'email', value: 'admin@example.com' },
  { type: 'uri', value: 'https://example.com/' },
];

test('encode then decode gives the same names, in order', (t) => {
  const extension = encodeSubjectAltNames(everyKind);
  t.is(extension.extnID, '2.5.29.17');
  t.false(extension.critical);
  t.deepEqual(decodeSubjectAltNames(extension), everyKind);
  const der = new Uint8Array(extension.extnValue.buffer);
  t.deepEqual(decodeSubjectAltNames(der), everyKind, 'from the DER value too');
});

test('IP addresses are 4- and 16-byte OCTET STRINGs ([7] implicit)', (t) => {
  const der = Buffer.from(
    encodeSubjectAltNames([
      { type: 'ip', value: '10.0.0.1' },
      { type: 'ip', value: '::1' },
    ]).extnValue.buffer,
  );
  t.is(der.toString('hex'), '3018' + '87040a000001' + '8710' + '00'.repeat(15) + '01');
});

test('critical when asked (RFC 5280: the subject is empty)', (t) => {
  t.true(encodeSubjectAltNames(everyKind, { critical: true }).critical);
  const der = Buffer.from(
    AsnConvert.serialize(encodeSubjectAltNames(everyKind, { critical: true })),
  );
  t.true(der.includes(Buffer.from('0101ff', 'hex')), 'BOOLEAN TRUE is encoded');
});

test('an empty list cannot be encoded', (t) => {
  t.throws(() => encodeSubjectAltNames([]), {
    instanceOf: InputError,
    message: /at least one name/,
  });
});

test('decoding skips kinds the type cannot express', (t) => {
  const names = new SubjectAlternativeName([
    new GeneralName({ dNSName: 'kept.example' }),
    new GeneralName({ registeredID: '1.2.3.4' }),
    new GeneralName({ iPAddress: '10.0.0.0/8' }), // a range belongs in name constraints
    new GeneralName({ rfc822Name: 'kept@example.com' }),
  ]);
  const extension = new Extension({
    extnID: '2.5.29.17',
    extnValue: new OctetString(AsnConvert.serialize(names)),
  });
  t.deepEqual(decodeSubjectAltNames(extension), [
    { type: 'dns', value: 'kept.example' },
    { type: 'email', value: 'kept@example.com' },
  ]);
});

test('malformed extension values are input errors naming the source', (t) => {
  t.throws(() => decodeSubjectAltNames(Uint8Array.of(0x30, 0x05, 0x82), 'req.csr'), {
    instanceOf: InputError,
    message: /^req\.csr: malformed subjectAltName extension/,
  });
  t.throws(() => decodeSubjectAltNames(Uint8Array.of(0x04, 0x00)), { instanceOf: InputError });
});

test('IP or not: the same answer as node:net for every address and near miss', (t) => {
  const near = fc.stringMatching(/^[\da-fA-F:.%]{1,45}$/);
  fc.assert(
    fc.property(fc.oneof(fc.ipV4(), fc.ipV6(), near), (text) => {
      const version = isIP(text);
      let result: SubjectAltName | Error;
      try {
        result = parseSan(text);
      } catch (error) {
        result = error as Error;
      }
      if (version === 0) {
        t.false(!(result instanceof Error) && result.type === 'ip', text);
      } else if (text.includes('%')) {
        t.true(result instanceof InputError, text);
      } else {
        t.deepEqual(result, { type: 'ip', value: version === 4 ? text : canonicalText(text) });
      }
    }),
    { numRuns: 2000 },
  );
});

/** RFC 5952 text, as Node's URL parser writes the host of http://[address]/. */
function canonicalText(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}
