/** Options in, a checked configuration (or one clear error) out: nothing listens here. */
import test from 'ava';
import { constants } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, UsageError } from '../../../../src/errors.js';
import { INTERMEDIATE_CIPHERS, type ServerOptions } from '../../../../src/tls/server/options.js';
import { resolveServerConfig } from '../../../../src/tls/server/server-config.js';
import { tlsServerOptions } from '../../../../src/tls/server/tls-options.js';
import { makeTempDir, openssl } from '../../../helpers/index.js';
import { testPki } from './test-pki.js';

const resolve = (options: ServerOptions) => resolveServerConfig({ port: 0, ...options });

test('defaults: loopback, a self-signed identity, intermediate ciphers, TLS 1.2 and up, tickets', async (t) => {
  const config = await resolve({});
  t.is(config.host, '127.0.0.1');
  t.is(config.mode, 'echo');
  t.is(config.ciphers, INTERMEDIATE_CIPHERS);
  t.is(config.minVersion, 'TLSv1.2');
  t.is(config.maxVersion, null);
  t.deepEqual(config.alpnProtocols, []);
  t.is(Buffer.from(config.ticketKeysBase64 ?? '', 'base64').length, 48);
  t.is(config.handshakeTimeout, 120_000);
  t.false(config.requestCert);
  t.is(config.identities[0]?.source, 'self-signed (in memory)');
  t.deepEqual(config.identities[0]?.names, [
    'DNS:localhost',
    'IP Address:127.0.0.1',
    'IP Address:0:0:0:0:0:0:0:1',
  ]);
  t.is(config.caPem, config.identity.kind === 'pem' ? (config.identity.certs[0] ?? '') : '');
  t.false(INTERMEDIATE_CIPHERS.includes('CBC') || /-SHA(:|$)/.test(INTERMEDIATE_CIPHERS));
});

test('the self-signed certificate also names a specific --host', async (t) => {
  const config = await resolve({ host: '127.0.0.2' });
  t.true(config.identities[0]?.names.includes('IP Address:127.0.0.2'));
  const any = await resolve({ host: '0.0.0.0' });
  t.false(any.identities[0]?.names.some((name) => name.includes('0.0.0.0')));
});

test('http mode offers h2 and http/1.1 by ALPN unless told otherwise', async (t) => {
  t.deepEqual((await resolve({ mode: 'http' })).alpnProtocols, ['h2', 'http/1.1']);
  t.deepEqual((await resolve({ mode: 'http', alpnProtocols: ['http/1.1'] })).alpnProtocols, [
    'http/1.1',
  ]);
});

test('rejectUnauthorized implies requestCert', async (t) => {
  const config = await resolve({ rejectUnauthorized: true });
  t.true(config.requestCert);
  const tlsOptions = tlsServerOptions(config);
  t.true(tlsOptions.requestCert);
  t.true(tlsOptions.rejectUnauthorized);
});

test('no tickets: SSL_OP_NO_TICKET and no ticket keys; node-default: no cipher list', async (t) => {
  const config = await resolve({ tickets: false, ciphers: 'node-default', sessionTimeout: 60 });
  const tlsOptions = tlsServerOptions(config);
  t.is(tlsOptions.secureOptions, constants.SSL_OP_NO_TICKET);
  t.is(tlsOptions.ticketKeys, undefined);
  t.is(tlsOptions.ciphers, undefined);
  t.is(tlsOptions.sessionTimeout, 60);
});

test('ticket keys from a file are used as given', async (t) => {
  const dir = await makeTempDir(t);
  const path = join(dir, 'ticket.keys');
  const keys = Buffer.alloc(48, 0xab);
  await writeFile(path, keys);
  const tlsOptions = tlsServerOptions(await resolve({ ticketKeys: path }));
  t.deepEqual(tlsOptions.ticketKeys, keys);
});

test('several key/cert pairs: one per key type, each checked against its certificate', async (t) => {
  const pki = await testPki();
  const pair = (p: { key: string; cert: string }) => ({
    key: Buffer.from(p.key),
    cert: Buffer.from(p.cert),
  });
  const both = await resolve({ identities: [pair(pki.serverEc), pair(pki.serverRsa)] });
  t.deepEqual(
    both.identities.map((identity) => identity.key),
    ['ec P-256', 'rsa 2048'],
  );
  t.is(both.caPem.trim(), pki.serverEc.cert.trim(), 'caPem: the top of the first chain given');
  const twoEc = resolve({ identities: [pair(pki.serverEc), pair(pki.api)] });
  await t.throwsAsync(twoEc, { instanceOf: InputError, message: /both hold ec keys/ });
  const crossed = resolve({
    identities: [{ key: Buffer.from(pki.serverRsa.key), cert: Buffer.from(pki.serverEc.cert) }],
  });
  await t.throwsAsync(crossed, { instanceOf: InputError, message: /does not match/ });
});

test('a key file with no certificate in the cert file is named in the error', async (t) => {
  const dir = await makeTempDir(t);
  const pki = await testPki();
  const key = join(dir, 'server.key');
  const cert = join(dir, 'server.crt');
  await writeFile(key, pki.serverEc.key);
  await writeFile(cert, pki.serverEc.key);
  await t.throwsAsync(resolve({ identities: [{ key, cert }] }), {
    instanceOf: InputError,
    message: `${cert} holds no certificate`,
  });
  await t.throwsAsync(resolve({ identities: [{ key: join(dir, 'missing.key'), cert }] }), {
    instanceOf: InputError,
    message: /missing\.key: no such file/,
  });
});

test('one identity only: pairs, pfx and self-signed exclude each other', async (t) => {
  const pki = await testPki();
  const error = await t.throwsAsync(
    resolve({
      selfSigned: true,
      identities: [{ key: Buffer.from(pki.serverEc.key), cert: Buffer.from(pki.serverEc.cert) }],
    }),
    { instanceOf: UsageError },
  );
  t.regex(error?.message ?? '', /give one identity/);
});

test('PKCS#12: asks for the passphrase only when needed, names a wrong one', async (t) => {
  const dir = await makeTempDir(t);
  const pki = await testPki();
  await writeFile(join(dir, 'k.pem'), pki.serverEc.key);
  await writeFile(join(dir, 'c.pem'), pki.serverEc.cert);
  await writeFile(join(dir, 'ca.pem'), pki.caCert);
  const pfx = join(dir, 'server.p12');
  await openssl([
    'pkcs12',
    '-export',
    '-in',
    join(dir, 'c.pem'),
    '-inkey',
    join(dir, 'k.pem'),
    '-certfile',
    join(dir, 'ca.pem'),
    '-out',
    pfx,
    '-passout',
    'pass:secret',
  ]);
  const asked: string[] = [];
  const config = await resolve({
    pfx,
    passphrase: async (purpose) => {
      asked.push(purpose);
      return 'secret';
    },
  });
  t.deepEqual(asked, [`passphrase for ${pfx}`]);
  t.is(config.identities[0]?.subject, 'CN=localhost');
  t.is(config.caPem.trim(), pki.caCert.trim(), 'caPem: the issuer found in the file');
  t.is(config.identity.kind, 'pfx');
  await t.throwsAsync(resolve({ pfx }), { instanceOf: UsageError, message: /passphrase/ });
  await t.throwsAsync(resolve({ pfx, passphrase: async () => 'wrong' }), {
    message: /the passphrase does not open/,
  });
});

const BAD_VALUES: Array<[string, ServerOptions, RegExp]> = [
  ['port out of range', { port: 70000 }, /--port 70000/],
  ['zero workers', { workers: 0 }, /--workers 0/],
  ['a TLS version that does not exist', { minVersion: 'TLSv1.4' as never }, /TLSv1\.4 is not/],
  ['max below min', { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' }, /below --min-version/],
  ['an empty ALPN name', { alpnProtocols: [''] }, /--alpn/],
  ['a cipher string OpenSSL rejects', { ciphers: 'NOT-A-CIPHER' }, /--ciphers NOT-A-CIPHER/],
  ['an unknown curve', { ecdhCurve: 'P-999' }, /--ecdh-curve P-999/],
  ['signature algorithms OpenSSL rejects', { sigalgs: 'ECDSA+MD4' }, /--sigalgs ECDSA\+MD4/],
  ['a STARTTLS dialogue only clients speak', { starttls: 'xmpp' as never }, /xmpp/],
  ['tickets off with ticket keys', { tickets: false, ticketKeys: Buffer.alloc(48) }, /contradict/],
  [
    'an SNI name that is an address',
    { sni: [{ servername: '10.0.0.1', key: 'k', cert: 'c' }] },
    /not a host name/,
  ],
  ['zero handshake time', { handshakeTimeout: 0 }, /--handshake-timeout 0/],
];

for (const [what, options, message] of BAD_VALUES) {
  test(`refused: ${what}`, async (t) => {
    const error = await t.throwsAsync(resolve(options));
    t.true(error instanceof UsageError || error instanceof InputError, String(error));
    t.regex(error?.message ?? '', message);
  });
}

test('files that are not what they claim: ticket keys, OCSP response, DH parameters, CRL', async (t) => {
  const dir = await makeTempDir(t);
  const junk = join(dir, 'junk');
  await writeFile(junk, 'not what you think\n');
  await t.throwsAsync(resolve({ ticketKeys: junk }), {
    instanceOf: InputError,
    message: /holds 19 bytes; ticket keys are exactly 48/,
  });
  await t.throwsAsync(resolve({ ocspResponse: junk }), {
    instanceOf: InputError,
    message: /is not a DER OCSP response/,
  });
  await t.throwsAsync(resolve({ dhparam: junk }), {
    instanceOf: InputError,
    message: /holds no DH PARAMETERS block/,
  });
  const brokenDh = join(dir, 'dh.pem');
  await writeFile(
    brokenDh,
    '-----BEGIN DH PARAMETERS-----\nMAMCAQI=\n-----END DH PARAMETERS-----\n',
  );
  await t.throwsAsync(resolve({ dhparam: brokenDh }), { message: /malformed/ });
  await t.throwsAsync(resolve({ crl: [junk] }), {
    instanceOf: InputError,
    message: /not a PEM CRL/,
  });
  await t.throwsAsync(resolve({ ca: [junk] }), {
    instanceOf: InputError,
    message: /junk is neither PEM nor DER/,
  });
});

test('dhparam auto and a real parameter file are accepted', async (t) => {
  t.is((await resolve({ dhparam: 'auto' })).dhparam, 'auto');
  const dir = await makeTempDir(t);
  const path = join(dir, 'dh.pem');
  // RFC 7919's ffdhe2048 group: instant, where generating parameters takes seconds.
  await openssl([
    'genpkey',
    '-genparam',
    '-algorithm',
    'DH',
    '-pkeyopt',
    'group:ffdhe2048',
    '-out',
    path,
  ]);
  t.regex(
    (await resolve({ dhparam: path, ciphers: 'DHE-RSA-AES128-GCM-SHA256' })).dhparam ?? '',
    /BEGIN DH PARAMETERS/,
  );
});

test('the session ID context is the same for the same configuration, and differs otherwise', async (t) => {
  const pki = await testPki();
  const identities = [{ key: Buffer.from(pki.serverEc.key), cert: Buffer.from(pki.serverEc.cert) }];
  const one = await resolve({ identities });
  const two = await resolve({ identities });
  const strict = await resolve({ identities, requestCert: true });
  t.is(one.sessionIdContext, two.sessionIdContext);
  t.not(one.sessionIdContext, strict.sessionIdContext);
  t.is(one.sessionIdContext.length, 32);
});
