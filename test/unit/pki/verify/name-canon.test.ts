import test from 'ava';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AttributeTypeAndValue,
  AttributeValue,
  Name,
  RelativeDistinguishedName,
} from '@peculiar/asn1-x509';
import { canonicalName, nameHasPrefix, namesMatch } from '../../../../src/pki/verify/name-canon.js';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const C = '2.5.4.6';

type Value = ConstructorParameters<typeof AttributeValue>[0];

/** A DER Name from RDNs of [oid, value] pairs, each value in the string type given. */
function nameDer(...rdns: Array<Array<[string, Value]>>): Uint8Array {
  const name = new Name(
    rdns.map(
      (rdn) =>
        new RelativeDistinguishedName(
          rdn.map(
            ([type, value]) =>
              new AttributeTypeAndValue({ type, value: new AttributeValue(value) }),
          ),
        ),
    ),
  );
  return new Uint8Array(AsnConvert.serialize(name));
}

const same: Array<[string, Uint8Array, Uint8Array]> = [
  [
    'ASCII case differs',
    nameDer([[CN, { utf8String: 'Test Root' }]]),
    nameDer([[CN, { utf8String: 'TEST root' }]]),
  ],
  [
    'string types differ (PrintableString and UTF8String)',
    nameDer([[CN, { printableString: 'Test Root' }]]),
    nameDer([[CN, { utf8String: 'Test Root' }]]),
  ],
  [
    'BMPString holds the same text',
    nameDer([[CN, { bmpString: 'Grüße CA' }]]),
    nameDer([[CN, { utf8String: 'grüße ca' }]]),
  ],
  [
    'white space at the ends and runs inside',
    nameDer([[CN, { utf8String: '  Test \t  Root ' }]]),
    nameDer([[CN, { utf8String: 'Test Root' }]]),
  ],
  [
    'attributes of a multi-valued RDN in another order',
    nameDer([
      [CN, { utf8String: 'a' }],
      [O, { utf8String: 'b' }],
    ]),
    nameDer([
      [O, { utf8String: 'b' }],
      [CN, { utf8String: 'a' }],
    ]),
  ],
  ['both empty', nameDer(), nameDer()],
];

for (const [title, left, right] of same) {
  test(`names match: ${title}`, (t) => {
    t.true(namesMatch(canonicalName(left), canonicalName(right)));
  });
}

const different: Array<[string, Uint8Array, Uint8Array]> = [
  [
    'non-ASCII case differs (only ASCII folds)',
    nameDer([[CN, { utf8String: 'Ärzte' }]]),
    nameDer([[CN, { utf8String: 'ärzte' }]]),
  ],
  [
    'RDNs in another order',
    nameDer([[C, { printableString: 'UK' }]], [[CN, { utf8String: 'x' }]]),
    nameDer([[CN, { utf8String: 'x' }]], [[C, { printableString: 'UK' }]]),
  ],
  [
    'one attribute more',
    nameDer([[CN, { utf8String: 'x' }]]),
    nameDer([[CN, { utf8String: 'x' }]], [[O, { utf8String: 'y' }]]),
  ],
];

for (const [title, left, right] of different) {
  test(`names differ: ${title}`, (t) => {
    t.false(namesMatch(canonicalName(left), canonicalName(right)));
  });
}

test('a directoryName constraint is a prefix of RDNs', (t) => {
  const name = canonicalName(
    nameDer(
      [[C, { printableString: 'UK' }]],
      [[O, { utf8String: 'Example' }]],
      [[CN, { utf8String: 'www' }]],
    ),
  );
  t.true(nameHasPrefix(name, canonicalName(nameDer())));
  t.true(nameHasPrefix(name, canonicalName(nameDer([[C, { printableString: 'uk' }]]))));
  t.true(
    nameHasPrefix(
      name,
      canonicalName(nameDer([[C, { utf8String: 'UK' }]], [[O, { utf8String: 'EXAMPLE' }]])),
    ),
  );
  t.false(nameHasPrefix(name, canonicalName(nameDer([[O, { utf8String: 'Example' }]]))));
});

test('malformed DER is a RangeError, not a crash elsewhere', (t) => {
  t.throws(() => canonicalName(Uint8Array.of(0x31, 0x00)), { instanceOf: RangeError });
  t.throws(() => canonicalName(Uint8Array.of(0x30, 0x05, 0x31)), { instanceOf: RangeError });
});
