import test from 'ava';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../../../src/errors.js';
import { encodePem } from '../../../../src/io/pem.js';
import {
  decodeDhParameters,
  dhParametersPem,
  encodeDhParameters,
  readDhParametersFile,
} from '../../../../src/pki/dh/dh-params.js';
import { ffdheGroup } from '../../../../src/pki/dh/ffdhe-groups.js';
import { fixturesDir } from '../../../helpers/index.js';

const dhFixture = (name: string) => join(fixturesDir, 'malformed', 'dh', name);
const ffdhe2048 = ffdheGroup('ffdhe2048').parameters;

test('PKCS#3 PEM is byte for byte what openssl genpkey writes for ffdhe2048', async (t) => {
  t.is(dhParametersPem(ffdhe2048), await readFile(dhFixture('good.dh.pem'), 'utf8'));
  t.deepEqual(encodeDhParameters(ffdhe2048), await readFile(dhFixture('good.dh.der')));
});

test('reads PEM and DER back', async (t) => {
  const pem = await readDhParametersFile(dhFixture('good.dh.pem'));
  t.deepEqual(pem, { parameters: ffdhe2048, format: 'pkcs3', encoding: 'pem' });
  const der = await readDhParametersFile(dhFixture('good.dh.der'));
  t.deepEqual(der, { parameters: ffdhe2048, format: 'pkcs3', encoding: 'der' });
});

test('round-trips numbers whose top bit is set and small ones', (t) => {
  for (const parameters of [
    { prime: 0xff_ff_ffn, generator: 2n },
    { prime: 0x7f_ffn, generator: 0x80n },
    { prime: 23n, generator: 5n },
  ]) {
    t.deepEqual(decodeDhParameters(encodeDhParameters(parameters), 'x').parameters, parameters);
  }
});

test('ignores text around the block, as openssl dhparam -text writes it', (t) => {
  const text = `    DH Parameters: (2048 bit)\n    G: 2\n${dhParametersPem(ffdhe2048)}trailing words\n`;
  t.deepEqual(decodeDhParameters(Buffer.from(text), 'x').parameters, ffdhe2048);
});

test('reads the optional privateValueLength', (t) => {
  // SEQUENCE { p 23, g 5, privateValueLength 3 }
  const der = Buffer.of(0x30, 0x09, 0x02, 0x01, 0x17, 0x02, 0x01, 0x05, 0x02, 0x01, 0x03);
  t.deepEqual(decodeDhParameters(der, 'x').parameters, {
    prime: 23n,
    generator: 5n,
    privateValueLength: 3,
  });
});

test('reads X9.42 parameters from openssl, with and without validationParms', async (t) => {
  const dsaStyle = await readDhParametersFile(dhFixture('dsa-style.x942.pem'));
  t.is(dsaStyle.format, 'x942');
  t.is(dsaStyle.parameters.subgroupOrder?.toString(2).length, 224);
  const dhx = await readDhParametersFile(dhFixture('dhx.x942.pem'));
  t.is(dhx.format, 'x942');
  t.is(dhx.parameters.prime.toString(2).length, 2048);
  t.is((dhx.parameters.prime - 1n) % (dhx.parameters.subgroupOrder as bigint), 0n);
});

test('reads X9.42 DER without its label by the size of the third number', async (t) => {
  const pem = await readFile(dhFixture('dsa-style.x942.pem'), 'utf8');
  const der = Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s/g, ''), 'base64');
  t.is(decodeDhParameters(der, 'x').format, 'x942');
});

const bad: Record<string, { data: Buffer; says: RegExp }> = {
  'another PEM block': {
    data: Buffer.from(encodePem('EC PARAMETERS', Buffer.of(6, 1, 0))),
    says: /holds EC PARAMETERS, not DH PARAMETERS/,
  },
  'a negative p': {
    data: Buffer.of(0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x02),
    says: /p is negative/,
  },
  'a non-minimal INTEGER': {
    data: Buffer.of(0x30, 0x07, 0x02, 0x02, 0x00, 0x17, 0x02, 0x01, 0x02),
    says: /not minimally encoded/,
  },
  'an empty INTEGER': {
    data: Buffer.of(0x30, 0x04, 0x02, 0x00, 0x02, 0x00),
    says: /empty INTEGER/,
  },
  'only p': { data: Buffer.of(0x30, 0x03, 0x02, 0x01, 0x17), says: /does not hold p and g/ },
  'trailing bytes': {
    data: Buffer.of(0x30, 0x06, 0x02, 0x01, 0x17, 0x02, 0x01, 0x02, 0x00),
    says: /trailing bytes/,
  },
  'a cut-off SEQUENCE': {
    data: Buffer.of(0x30, 0x08, 0x02, 0x01, 0x17),
    says: /runs past the end/,
  },
  'an OCTET STRING': { data: Buffer.of(0x04, 0x01, 0x00), says: /not a DER SEQUENCE/ },
  'four PKCS#3 fields': {
    data: Buffer.of(
      0x30,
      0x0c,
      0x02,
      0x01,
      0x17,
      0x02,
      0x01,
      0x02,
      0x02,
      0x01,
      0x01,
      0x02,
      0x01,
      0x01,
    ),
    says: /p, g and an optional length/,
  },
  'a huge privateValueLength': {
    data: Buffer.from(
      encodePem(
        'DH PARAMETERS',
        Buffer.of(0x30, 0x0e, 0x02, 0x01, 0x17, 0x02, 0x01, 0x02, 0x02, 0x06, 0x01, 0, 0, 0, 0, 0),
      ),
    ),
    says: /not a bit count/,
  },
};

for (const [title, { data, says }] of Object.entries(bad)) {
  test(`refuses ${title} with an InputError naming the source`, (t) => {
    const error = t.throws(() => decodeDhParameters(data, 'dh.pem'), { instanceOf: InputError });
    t.regex(error?.message ?? '', /^dh\.pem/);
    t.regex(error?.message ?? '', says);
  });
}

test('a truncated PEM file is an InputError', async (t) => {
  await t.throwsAsync(readDhParametersFile(dhFixture('truncated.dh.pem')), {
    instanceOf: InputError,
    message: /truncated/,
  });
});
