/**
 * tlskit's cipher-string expansion (Node's own OpenSSL, read from a ClientHello) against the
 * openssl CLI: names, order, protocol and the Kx/Au/Enc/Mac columns of `openssl ciphers -v`,
 * and "usable" against `openssl ciphers -s`. Node 20 bundles OpenSSL 3.0.x and so does the CLI
 * here; where they could differ (another Node), these tests say so by failing.
 *
 * Documented differences, each pinned by a test below:
 * - SRP suites: openssl lists them; Node has no SRP, and OpenSSL leaves them out of a client's
 *   list unless SRP is configured, so tlskit's expansion never has them.
 * - An unknown TLS_… word: openssl ignores it like any unknown word; Node hands TLS_… words to
 *   OpenSSL's TLS 1.3 list, which refuses the whole string.
 */
import test from 'ava';
import { DEFAULT_CIPHERS } from 'node:tls';
import { InputError } from '../../src/errors.js';
import { expandCipherString, type ListedCipherSuite } from '../../src/tls/ciphers/expand.js';
import { mozillaPreset } from '../../src/tls/ciphers/mozilla-presets.js';
import { CIPHER_SUITES } from '../../src/tls/ciphers/suites.js';
import { openssl } from '../helpers/index.js';

const ALL_TLS13 = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
].join(':');

test('every row of the suite table is what openssl ciphers -V -stdname says', async (t) => {
  const output = await openssl([
    'ciphers',
    '-V',
    '-stdname',
    '-ciphersuites',
    ALL_TLS13,
    'ALL:COMPLEMENTOFALL:@SECLEVEL=0',
  ]);
  const theirs = output
    .trim()
    .split('\n')
    .map((line) => {
      // `0xC0,0x2F - IANA - OPENSSL TLSv1.2 Kx=ECDH Au=RSA Enc=AESGCM(128) Mac=AEAD`
      const [code, , iana, , name, protocol, ...columns] = line.trim().split(/\s+/);
      const id = `0x${(code ?? '').replace(/0x|,/g, '')}`;
      return [id, iana, name, protocol, ...columns].join(' ');
    })
    .sort();
  const ours = CIPHER_SUITES.map((suite) =>
    [
      suite.id,
      suite.iana,
      suite.openssl,
      suite.protocol,
      `Kx=${suite.kx}`,
      `Au=${suite.au}`,
      `Enc=${suite.enc}`,
      `Mac=${suite.mac}`,
    ].join(' '),
  ).sort();
  t.deepEqual(ours, theirs);
});

/** `openssl ciphers -v` as lines of "NAME PROTOCOL Kx=… Au=… Enc=… Mac=…". */
async function opensslExpansion(args: string[]): Promise<string[]> {
  const output = await openssl(['ciphers', '-v', ...args]);
  return output
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).join(' '));
}

function asOpensslLines(suites: readonly ListedCipherSuite[]): string[] {
  return suites.map((suite) =>
    [
      suite.openssl,
      suite.protocol,
      `Kx=${suite.kx}`,
      `Au=${suite.au}`,
      `Enc=${suite.enc}`,
      `Mac=${suite.mac}`,
    ].join(' '),
  );
}

const intermediate = mozillaPreset('intermediate');

/** Node's cipher string, and the same selection as openssl's arguments. */
const SPECS: Array<[title: string, spec: string, opensslArgs: string[]]> = [
  ['ECDHE+AESGCM:!aNULL', 'ECDHE+AESGCM:!aNULL', ['ECDHE+AESGCM:!aNULL']],
  ['HIGH:!SHA1', 'HIGH:!SHA1', ['HIGH:!SHA1']],
  ['HIGH:!aNULL:!MD5:!SRP', 'HIGH:!aNULL:!MD5:!SRP', ['HIGH:!aNULL:!MD5:!SRP']],
  ['aNULL (anonymous)', 'aNULL', ['aNULL']],
  ['eNULL (no encryption)', 'eNULL', ['eNULL']],
  ['kRSA:!PSK (static RSA)', 'kRSA:!PSK', ['kRSA:!PSK']],
  ['PSK', 'PSK', ['PSK']],
  ['CHACHA20', 'CHACHA20', ['CHACHA20']],
  ['CAMELLIA:ARIA', 'CAMELLIA:ARIA', ['CAMELLIA:ARIA']],
  ['ECDHE:!ECDSA:@STRENGTH', 'ECDHE:!ECDSA:@STRENGTH', ['ECDHE:!ECDSA:@STRENGTH']],
  ['AES128:AES256:-SHA1 (re-ordered)', 'AES128:AES256:-SHA1', ['AES128:AES256:-SHA1']],
  ["Node's DEFAULT_CIPHERS", DEFAULT_CIPHERS, nodeStyleArgs(DEFAULT_CIPHERS)],
  ['Mozilla intermediate', intermediate.cipherString, nodeStyleArgs(intermediate.cipherString)],
  [
    'TLS 1.3 names choose the TLS 1.3 suites',
    'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256',
    nodeStyleArgs(
      'TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES128-GCM-SHA256',
    ),
  ],
];

for (const [title, spec, opensslArgs] of SPECS) {
  test(`${title}: the same suites, order, protocols and columns as openssl ciphers -v`, async (t) => {
    const ours = await expandCipherString(spec);
    const theirs = await opensslExpansion(opensslArgs);
    t.true(theirs.length > 0);
    t.deepEqual(asOpensslLines(ours.suites), theirs);
  });
}

/**
 * "usable" is `openssl ciphers -s` (what a client or server would actually offer) with PSK
 * configured (-psk), at the same security level: given in the string, so that neither side's
 * default (Node's, or the CLI's openssl.cnf) decides.
 */
const LEVELS: string[] = ['ALL:COMPLEMENTOFALL:@SECLEVEL=1', 'HIGH:@SECLEVEL=2', 'ALL:@SECLEVEL=3'];

for (const spec of LEVELS) {
  test(`${spec}: the usable suites are what openssl ciphers -s -psk offers`, async (t) => {
    const ours = await expandCipherString(spec);
    const theirs = (await openssl(['ciphers', '-s', '-psk', spec])).trim().split(':');
    const usable = ours.suites.filter((suite) => suite.usable).map((suite) => suite.openssl);
    t.deepEqual(usable, theirs);
    t.true(usable.length < ours.suites.length, 'the level drops some suites');
  });
}

test('documented difference: SRP suites are in openssl’s list, never in Node’s', async (t) => {
  const ours = asOpensslLines((await expandCipherString('ALL:COMPLEMENTOFALL')).suites);
  const theirs = await opensslExpansion(['ALL:COMPLEMENTOFALL']);
  const srp = theirs.filter((line) => line.includes('Kx=SRP'));
  t.is(srp.length, 6);
  t.deepEqual(
    ours,
    theirs.filter((line) => !srp.includes(line)),
  );
});

test('documented difference: an unknown TLS_ word fails in Node, openssl ignores it', async (t) => {
  const theirs = await opensslExpansion(['TLS_NO_SUCH_SUITE:HIGH']);
  t.true(theirs.length > 0);
  await t.throwsAsync(expandCipherString('TLS_NO_SUCH_SUITE:HIGH'), { instanceOf: InputError });
});

/** Node's `ciphers` takes TLS 1.3 names and the rest in one string; openssl splits them. */
function nodeStyleArgs(spec: string): string[] {
  const words = spec.split(':');
  const tls13 = words.filter((word) => word.startsWith('TLS_'));
  const rest = words.filter((word) => !word.startsWith('TLS_'));
  return [...(tls13.length > 0 ? ['-ciphersuites', tls13.join(':')] : []), rest.join(':')];
}
