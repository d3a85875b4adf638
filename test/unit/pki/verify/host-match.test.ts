import test from 'ava';
import { X509Certificate } from 'node:crypto';
import { GeneralName, SubjectAlternativeName, id_ce_subjectAltName } from '@peculiar/asn1-x509';
import { UsageError } from '../../../../src/errors.js';
import { parseChainCertificate } from '../../../../src/pki/verify/chain-certificate.js';
import {
  formatIpAddress,
  hostMatchesPattern,
  matchesHost,
  matchesIp,
  parseHostName,
  parseIpAddress,
} from '../../../../src/pki/verify/host-match.js';
import { makeCertificate, makeExtension } from '../../../helpers/chains.js';

/** [certificate name, host, matches] — RFC 6125 as OpenSSL applies it with default flags. */
const PATTERNS: Array<[string, string, boolean]> = [
  ['example.com', 'example.com', true],
  ['Example.COM', 'example.com', true],
  ['example.com', 'www.example.com', false],
  ['*.example.com', 'www.example.com', true],
  ['*.example.com', 'WWW.Example.Com', true],
  ['*.example.com', 'example.com', false],
  ['*.example.com', 'a.b.example.com', false],
  ['*.example.com', '.example.com', true],
  ['www.example.com', '.example.com', true],
  ['example.com', '.example.com', false],
  ['*.com', 'example.com', false],
  ['*.co.uk', 'example.co.uk', true],
  ['w*.example.com', 'www.example.com', true],
  ['w*.example.com', 'w.example.com', true],
  ['*w.example.com', 'www.example.com', true],
  ['w*w.example.com', 'www.example.com', false],
  ['www.*.example.com', 'www.a.example.com', false],
  ['**.example.com', 'www.example.com', false],
  ['*.xn--bcher-kva.example', 'www.xn--bcher-kva.example', true],
  ['x*.example.com', 'xn--bcher-kva.example.com', false],
  ['*.example.com', 'xn--bcher-kva.example.com', true],
  ['xn--*.example.com', 'xn--bcher-kva.example.com', false],
  ['*.example.com', '*.example.com', true],
  ['*.example.com', 'www_1.example.com', false],
  ['example.com.', 'example.com', false],
  ['-a.example.com', '-a.example.com', true],
  ['*.-a.example.com', 'b.-a.example.com', false],
];

for (const [pattern, host, expected] of PATTERNS) {
  test(`"${pattern}" ${expected ? 'matches' : 'does not match'} ${host}`, async (t) => {
    t.is(hostMatchesPattern(pattern, host), expected);
    // The same answer as OpenSSL's X509_check_host, through Node's X509Certificate.checkHost.
    const certificate = await certificateWithDnsNames([pattern]);
    t.is(new X509Certificate(certificate.der).checkHost(host) !== undefined, expected);
    t.is(matchesHost(parseChainCertificate(certificate.der, 'test'), host), expected);
  });
}

test('the commonName counts only when there are no DNS names', async (t) => {
  const withoutSans = await makeCertificate({ subject: '/CN=cn.example.test' });
  t.true(matchesHost(parseChainCertificate(withoutSans.der, 'no SANs'), 'cn.example.test'));
  const withSans = await makeCertificate({
    subject: '/CN=cn.example.test',
    sans: ['DNS:san.example.test'],
  });
  const parsed = parseChainCertificate(withSans.der, 'SANs');
  t.false(matchesHost(parsed, 'cn.example.test'));
  t.true(matchesHost(parsed, 'san.example.test'));
});

test('an IP address SAN does not hide the commonName from host matching', async (t) => {
  const certificate = await makeCertificate({
    subject: '/CN=cn.example.test',
    sans: ['IP:192.0.2.1'],
  });
  t.true(matchesHost(parseChainCertificate(certificate.der, 'test'), 'cn.example.test'));
});

test('IP addresses match iPAddress SANs octet for octet, never the commonName', async (t) => {
  const certificate = parseChainCertificate(
    (
      await makeCertificate({
        subject: '/CN=192.0.2.1',
        sans: ['IP:192.0.2.7', 'IP:2001:db8::1'],
      })
    ).der,
    'test',
  );
  t.true(matchesIp(certificate, parseIpAddress('192.0.2.7')));
  t.true(matchesIp(certificate, parseIpAddress('2001:DB8:0:0::1')));
  t.false(matchesIp(certificate, parseIpAddress('192.0.2.1')));
  t.false(matchesIp(certificate, parseIpAddress('::ffff:192.0.2.7')));
});

test('parseIpAddress reads IPv4, IPv6 and IPv4-mapped IPv6', (t) => {
  t.deepEqual([...parseIpAddress('192.0.2.1')], [192, 0, 2, 1]);
  t.deepEqual([...parseIpAddress('::1')], [...new Array(15).fill(0), 1]);
  t.deepEqual(
    [...parseIpAddress('::ffff:192.0.2.1')],
    [...new Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1],
  );
  t.is(formatIpAddress(parseIpAddress('2001:0db8:0000::0001')), '2001:db8::1');
  t.is(formatIpAddress(parseIpAddress('192.0.2.1')), '192.0.2.1');
  for (const bad of ['192.0.2', '192.0.2.256', 'fe80::1%eth0', 'example.com', '']) {
    t.throws(() => parseIpAddress(bad), { instanceOf: UsageError }, bad);
  }
});

test('parseHostName turns IDNs into A-labels and refuses addresses and junk', (t) => {
  t.is(parseHostName('bücher.example'), 'xn--bcher-kva.example');
  t.is(parseHostName('Example.COM'), 'Example.COM');
  const address = t.throws(() => parseHostName('192.0.2.1'), { instanceOf: UsageError });
  t.is(address?.hint, 'use --ip 192.0.2.1');
  t.throws(() => parseHostName('a b.example'), { instanceOf: UsageError });
  t.throws(() => parseHostName(''), { instanceOf: UsageError });
});

/** A certificate whose subjectAltName holds these dNSNames exactly as written. */
async function certificateWithDnsNames(names: string[]) {
  const sans = new SubjectAlternativeName(names.map((name) => new GeneralName({ dNSName: name })));
  return makeCertificate({
    subject: '/O=Host Match Test',
    extraExtensions: [makeExtension(id_ce_subjectAltName, sans)],
  });
}
