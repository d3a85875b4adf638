import test from 'ava';
import { ABSENT_PASSWORD, pkcs12Password } from '../../../../src/pki/pkcs12/password.js';

test('a BMPString is UTF-16 big-endian with two zero bytes at the end (RFC 7292 B.1)', (t) => {
  t.is(pkcs12Password('ab').bmp.toString('hex'), '006100620000');
  t.is(pkcs12Password('').bmp.toString('hex'), '0000');
  // Outside the BMP: a surrogate pair, as OpenSSL's OPENSSL_utf82uni writes it.
  t.is(pkcs12Password('😀').bmp.toString('hex'), 'd83dde000000');
});

test('PBKDF2 gets the UTF-8 bytes', (t) => {
  t.is(pkcs12Password('bä').utf8.toString('hex'), '62c3a4');
});

test('the absent password is empty in both forms', (t) => {
  t.is(ABSENT_PASSWORD.bmp.length, 0);
  t.is(ABSENT_PASSWORD.utf8.length, 0);
});
