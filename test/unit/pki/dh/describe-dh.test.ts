import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodePem } from '../../../../src/io/pem.js';
import { describeDhParameters, dhParametersTree } from '../../../../src/pki/describe/dh.js';
import { encodeDhParameters } from '../../../../src/pki/dh/dh-params.js';
import { renderTree } from '../../../../src/render/text-tree.js';
import { fixturesDir } from '../../../helpers/index.js';

const dhFixture = (name: string) => readFile(join(fixturesDir, 'malformed', 'dh', name));

test('describes ffdhe2048 from openssl and names the group', async (t) => {
  const der = await dhFixture('good.dh.der');
  const description = describeDhParameters(der, { source: 'good.dh.der', includePem: true });
  t.like(description, {
    kind: 'dh-parameters',
    format: 'pkcs3',
    bits: 2048,
    generator: '2',
    subgroupOrderBits: null,
    privateValueLength: null,
    knownGroup: { name: 'ffdhe2048', standard: 'RFC 7919', bits: 2048 },
  });
  t.regex(description.prime, /^FFFFFFFFFFFFFFFFADF85458/);
  t.is(description.pem, (await dhFixture('good.dh.pem')).toString('utf8'));
  t.is(
    renderTree([dhParametersTree(description, 'DH parameters')]),
    [
      'DH parameters',
      '├─ Format: PKCS#3 (DH PARAMETERS)',
      '├─ Size: 2048 bits',
      '├─ Generator: 2',
      '├─ Group: ffdhe2048 (RFC 7919)',
      '└─ Prime: FFFFFFFFFFFFFFFF…FFFFFFFFFFFFFFFF',
    ].join('\n'),
  );
});

test('describes X9.42 parameters given the PEM label, and points an unknown group to --check', async (t) => {
  const pem = (await dhFixture('dsa-style.x942.pem')).toString('utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  const description = describeDhParameters(der, { source: 'x', format: 'x942' });
  t.like(description, { format: 'x942', bits: 1024, subgroupOrderBits: 224, knownGroup: null });
  const text = renderTree([dhParametersTree(description, 'DH parameters')]);
  t.regex(text, /Subgroup order q: 224 bits/);
  t.regex(text, /Generator: a 1023-bit number|Generator: a 10\d\d-bit number/);
  t.regex(text, /tlskit dhparam --check/);
});

test('shows a privateValueLength when the file has one', (t) => {
  const der = Buffer.of(0x30, 0x09, 0x02, 0x01, 0x17, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03);
  const description = describeDhParameters(der, { source: 'x' });
  t.is(description.privateValueLength, 3);
  t.regex(renderTree([dhParametersTree(description, 'DH')]), /Private value length: 3 bits/);
  t.is(decodePem(encodePemOf(der)).length, 1);
});

function encodePemOf(der: Buffer): string {
  return `-----BEGIN DH PARAMETERS-----\n${der.toString('base64')}\n-----END DH PARAMETERS-----\n`;
}

test('the encoder and the describer agree', (t) => {
  const der = encodeDhParameters({ prime: 23n, generator: 5n });
  t.like(describeDhParameters(der, { source: 'x' }), { bits: 5, generator: '5', prime: '17' });
});
