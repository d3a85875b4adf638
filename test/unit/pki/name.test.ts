import test from 'ava';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import { InputError } from '../../../src/errors.js';
import type { Prompter } from '../../../src/io/prompter.js';
import {
  decodeName,
  encodeName,
  formatName,
  formatOpensslSubj,
  parseSubject,
  promptSubject,
  type DistinguishedName,
} from '../../../src/pki/name.js';

/** Compact expected form: each RDN as `TYPE=value` strings. */
function compact(dn: DistinguishedName): string[][] {
  return dn.map((rdn) => rdn.map((pair) => `${pair.type}=${pair.value}`));
}

const parsed: ReadonlyArray<[string, string[][]]> = [
  [
    '/C=UK/ST=Acknack Ltd/O=node.js/CN=localhost',
    [['C=UK'], ['ST=Acknack Ltd'], ['O=node.js'], ['CN=localhost']],
  ],
  ['/CN=a\\/b', [['CN=a/b']]],
  ['/CN=a\\+b', [['CN=a+b']]],
  ['/CN=a\\=b', [['CN=a=b']]],
  ['/CN=a=b', [['CN=a=b']]],
  ['/CN=back\\\\slash', [['CN=back\\slash']]],
  ['/CN=a+UID=b/O=x', [['CN=a', 'UID=b'], ['O=x']]],
  ['/', []],
  ['/CN=trailing/', [['CN=trailing']]],
  ['/CN=Grüße', [['CN=Grüße']]],
  [
    '/emailAddress=a@example.com/DC=example/serialNumber=1234',
    [['emailAddress=a@example.com'], ['DC=example'], ['serialNumber=1234']],
  ],
  ['/1.2.3.4=custom', [['1.2.3.4=custom']]],
  ['/2.5.4.3=by-oid', [['CN=by-oid']]],
  ['/commonName=long/countryName=GB', [['CN=long'], ['C=GB']]],
  [
    '/street=1 Main St/title=Dr/GN=Ada/SN=Lovelace/pseudonym=al/postalCode=N1',
    [
      ['street=1 Main St'],
      ['title=Dr'],
      ['GN=Ada'],
      ['SN=Lovelace'],
      ['pseudonym=al'],
      ['postalCode=N1'],
    ],
  ],
  // RFC 4514: most specific first, so the order is reversed into encoding order.
  [
    'CN=localhost,O=node.js,ST=Acknack Ltd,C=UK',
    [['C=UK'], ['ST=Acknack Ltd'], ['O=node.js'], ['CN=localhost']],
  ],
  ['CN=a\\,b,O=x', [['O=x'], ['CN=a,b']]],
  ['CN=caf\\C3\\A9', [['CN=café']]],
  ['CN="a, b+c",O=x', [['O=x'], ['CN=a, b+c']]],
  ['CN=a+UID=b,O=x', [['O=x'], ['CN=a', 'UID=b']]],
  [' CN = spaced , O = out ', [['O=out'], ['CN=spaced']]],
  ['cn=lower,o=case', [['O=case'], ['CN=lower']]],
  ['CN=\\ lead and trail\\ ', [['CN= lead and trail ']]],
  ['CN=\\#hash', [['CN=#hash']]],
  ['1.2.3.4=custom,CN=x', [['CN=x'], ['1.2.3.4=custom']]],
];

for (const [text, expected] of parsed) {
  test(`parseSubject ${JSON.stringify(text)}`, (t) => {
    t.deepEqual(compact(parseSubject(text)), expected);
  });
}

test('parseSubject fills in OIDs', (t) => {
  t.deepEqual(parseSubject('/C=UK/CN=x/1.2.3.4=y'), [
    [{ type: 'C', oid: '2.5.4.6', value: 'UK' }],
    [{ type: 'CN', oid: '2.5.4.3', value: 'x' }],
    [{ type: '1.2.3.4', oid: '1.2.3.4', value: 'y' }],
  ]);
});

const rejected: ReadonlyArray<[string, RegExp]> = [
  ['', /subject is empty/],
  ['/XX=a', /unknown attribute "XX"/],
  ['/CN=', /CN has an empty value/],
  ['/CN=a/O=', /O has an empty value/],
  ['/CN', /"CN" has no "=value"/],
  ['/CN=a/O', /"O" has no "=value"/],
  ['/C=GBR', /C must be a 2-letter country code, not "GBR"/],
  ['/C=1A', /C must be a 2-letter country code/],
  [`/CN=${'a'.repeat(65)}`, /CN is 65 characters, longer than the limit of 64/],
  ['/emailAddress=é@example.com', /emailAddress "é@example.com" is not ASCII/],
  ['/serialNumber=a_b', /serialNumber "a_b" has characters a PrintableString cannot hold/],
  ['/CN=a\\', /lone backslash/],
  ['CN="abc', /unclosed quote/],
  ['CN="abc"x', /text after a quoted value/],
  ['CN=#0c03616263', /#-hex \(BER\) attribute values are not supported/],
  ['CN=\\C3', /do not form valid UTF-8/],
  ['CN=x,O', /"O" has no "=value"/],
  ['localhost', /"localhost" has no "=value"/],
  ['FOO=bar', /unknown attribute "FOO"/],
  ['1.2=ok,1.=bad', /unknown attribute "1."/],
];

for (const [text, message] of rejected) {
  test(`parseSubject rejects ${JSON.stringify(text)}`, (t) => {
    const error = t.throws(() => parseSubject(text), { instanceOf: InputError, message });
    t.truthy(error?.hint, 'every error says what to do');
  });
}

test('a 64-character CN is allowed (ub-common-name)', (t) => {
  t.is(parseSubject(`/CN=${'a'.repeat(64)}`)[0]?.[0]?.value.length, 64);
});

/** The DER tag of each attribute value, by short name. */
function valueTags(name: Name): Record<string, number> {
  const types = decodeName(name).flatMap((rdn) => rdn.map((pair) => pair.type));
  const encoded = name.flatMap((rdn) => rdn.map((pair) => Buffer.from(AsnConvert.serialize(pair))));
  // Each is SEQUENCE { OID, value } with short lengths: the value's tag follows the OID.
  return Object.fromEntries(
    encoded.map((der, index) => [types[index], der[4 + (der[3] as number)]]),
  );
}

test('encodeName picks string types as OpenSSL utf8only does', (t) => {
  const dn = parseSubject('/C=UK/ST=S/O=O/CN=c/emailAddress=e@x/DC=dc/serialNumber=42/UID=u');
  t.deepEqual(valueTags(encodeName(dn)), {
    C: 0x13, // PrintableString
    serialNumber: 0x13,
    emailAddress: 0x16, // IA5String
    DC: 0x16,
    ST: 0x0c, // UTF8String
    O: 0x0c,
    CN: 0x0c,
    UID: 0x0c,
  });
});

test('encodeName sorts a multi-valued RDN by DER encoding, as a SET OF must be', (t) => {
  // CN=localhost encodes longer than UID=x, so UID sorts first whatever order it was typed in.
  const name = encodeName(parseSubject('/CN=localhost+UID=x'));
  t.deepEqual(compact(decodeName(name)), [['UID=x', 'CN=localhost']]);
  const again = encodeName(parseSubject('/UID=x+CN=localhost'));
  t.deepEqual(Buffer.from(AsnConvert.serialize(again)), Buffer.from(AsnConvert.serialize(name)));
});

test('decodeName reverses encodeName', (t) => {
  const dn = parseSubject('/C=UK/ST=Acknack Ltd/O=node.js/CN=Grüße/1.2.3.4=x');
  t.deepEqual(decodeName(AsnConvert.parse(AsnConvert.serialize(encodeName(dn)), Name)), dn);
});

test('decodeName reads string types outside DirectoryString and shows the rest as hex', (t) => {
  const numeric = Buffer.from([0x12, 0x03, 0x31, 0x32, 0x33]); // NumericString "123"
  const integer = Buffer.from([0x02, 0x01, 0x05]);
  const name = new Name([
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({
        type: '2.5.4.5',
        value: new AttributeValue({ anyValue: Uint8Array.from(numeric).buffer }),
      }),
    ]),
    new RelativeDistinguishedName([
      new AttributeTypeAndValue({
        type: '1.2.3.4',
        value: new AttributeValue({ anyValue: Uint8Array.from(integer).buffer }),
      }),
    ]),
  ]);
  t.deepEqual(compact(decodeName(name)), [['serialNumber=123'], ['1.2.3.4=#020105']]);
});

const formatted: ReadonlyArray<[string, string, string]> = [
  [
    '/C=UK/ST=Acknack Ltd/O=node.js/CN=localhost',
    'C=UK, ST=Acknack Ltd, O=node.js, CN=localhost',
    'CN=localhost,O=node.js,ST=Acknack Ltd,C=UK',
  ],
  ['/O=x/CN=a+UID=b', 'O=x, CN=a + UID=b', 'CN=a+UID=b,O=x'],
  [
    '/CN=a\\,b;c<d>"e"\\\\f\\+g',
    'CN=a\\,b\\;c\\<d\\>\\"e\\"\\\\f\\+g',
    'CN=a\\,b\\;c\\<d\\>\\"e\\"\\\\f\\+g',
  ],
  ['/CN=#lead', 'CN=\\#lead', 'CN=\\#lead'],
  ['/CN= spaces ', 'CN=\\ spaces\\ ', 'CN=\\ spaces\\ '],
  ['/', '', ''],
];

for (const [subject, openssl, rfc4514] of formatted) {
  test(`formatName ${JSON.stringify(subject)}`, (t) => {
    const dn = parseSubject(subject);
    t.is(formatName(dn, 'openssl'), openssl);
    t.is(formatName(dn, 'rfc4514'), rfc4514);
    if (dn.length > 0) t.deepEqual(parseSubject(rfc4514), dn, 'RFC 4514 text reads back');
  });
}

const opensslSubjects = [
  '/C=UK/ST=Acknack Ltd/O=node.js/CN=localhost',
  '/CN=a\\/b\\+c=d\\\\e',
  '/O=x/CN=a+UID=b',
  '/CN=Grüße, "quoted"',
  '/',
];

for (const subject of opensslSubjects) {
  test(`formatOpensslSubj round-trips ${JSON.stringify(subject)}`, (t) => {
    const dn = parseSubject(subject);
    const text = formatOpensslSubj(dn);
    t.deepEqual(parseSubject(text), dn);
    t.is(formatOpensslSubj(parseSubject(text)), text);
  });
}

function scriptedPrompter(answers: string[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    async input(message) {
      asked.push(message);
      return answers.shift() ?? '';
    },
    async password() {
      throw new Error('no passwords here');
    },
  };
}

test('promptSubject asks openssl req questions and skips empty and "." answers', async (t) => {
  const prompter = scriptedPrompter([
    'GB',
    '.',
    '',
    'Example Ltd',
    '',
    'example.com',
    'a@example.com',
  ]);
  const dn = await promptSubject(prompter);
  t.deepEqual(compact(dn), [
    ['C=GB'],
    ['O=Example Ltd'],
    ['CN=example.com'],
    ['emailAddress=a@example.com'],
  ]);
  t.deepEqual(prompter.asked, [
    'Country Name (2 letter code)',
    'State or Province Name (full name)',
    'Locality Name (eg, city)',
    'Organization Name (eg, company)',
    'Organizational Unit Name (eg, section)',
    'Common Name (e.g. server FQDN or YOUR name)',
    'Email Address',
  ]);
});

test('promptSubject rejects a bad answer naming the field', async (t) => {
  await t.throwsAsync(promptSubject(scriptedPrompter(['United Kingdom'])), {
    instanceOf: InputError,
    message: /C must be a 2-letter country code, not "United Kingdom"/,
  });
});

test('promptSubject with every field left out is the empty name', async (t) => {
  t.deepEqual(await promptSubject(scriptedPrompter([])), []);
});
