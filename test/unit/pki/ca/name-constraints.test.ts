import test from 'ava';
import { InputError, RefusedError } from '../../../../src/errors.js';
import {
  checkNameConstraints,
  checkSubtreesWithin,
  constraintSourceOf,
  encodeNameConstraints,
  formatNameConstraint,
  nameConstraintsOf,
  parseNameConstraint,
  type NameConstraintSet,
} from '../../../../src/pki/ca/name-constraints.js';
import { issueCertificate, readCertificate } from '../../../../src/pki/certificate.js';
import { generateKeyPair } from '../../../../src/pki/keys.js';
import { encodeName, parseSubject } from '../../../../src/pki/name.js';
import { loadProfile } from '../../../../src/pki/profile.js';
import { parseSan } from '../../../../src/pki/san.js';

const set = (permitted: string[], excluded: string[] = []): NameConstraintSet => ({
  permitted: permitted.map((text) => parseNameConstraint(text)),
  excluded: excluded.map((text) => parseNameConstraint(text)),
});

/** Checks a certificate with these SANs (and subject) against one set of constraints. */
function check(constraints: NameConstraintSet, sans: string[], subject = '/CN=x'): void {
  checkNameConstraints([constraintSourceOf(constraints, 'the CA')], {
    subject: encodeName(parseSubject(subject)),
    sans: sans.map(parseSan),
  });
}

test('constraints are parsed and normalised, and read back from their text', (t) => {
  const cases: Array<[string, string]> = [
    ['DNS:.Example.TEST', 'DNS:.example.test'],
    ['dns:example.test', 'DNS:example.test'],
    ['IP:10.0.0.0/8', 'IP:10.0.0.0/8'],
    ['IP:192.0.2.7', 'IP:192.0.2.7/32'],
    ['IP:2001:DB8::/32', 'IP:2001:db8::/32'],
    ['email:.Example.test', 'email:.example.test'],
    ['email:admin@example.test', 'email:admin@example.test'],
    ['URI:.example.test', 'URI:.example.test'],
  ];
  for (const [text, normal] of cases) {
    const parsed = parseNameConstraint(text);
    t.is(formatNameConstraint(parsed), normal, text);
    t.deepEqual(parseNameConstraint(normal), parsed);
  }
});

test('malformed constraints are input errors naming the flag', (t) => {
  for (const text of [
    'example.test',
    'DNS:',
    'DNS:*.example.test',
    'IP:10.0.0.1/8',
    'IP:10.0.0.0/33',
    'IP:nope/8',
    'RID:1.2.3',
  ]) {
    const error = t.throws(
      () => parseNameConstraint(text, '--exclude'),
      { instanceOf: InputError },
      text,
    );
    t.regex(error?.message ?? '', /^--exclude "/, text);
  }
});

test('DNS subtrees match as OpenSSL does: a dotted base only subdomains, a plain one itself too', (t) => {
  const dotted = set(['DNS:.example.test']);
  t.notThrows(() => check(dotted, ['DNS:www.example.test', 'DNS:a.b.example.test']));
  t.notThrows(() => check(dotted, ['DNS:*.example.test']));
  t.throws(() => check(dotted, ['DNS:example.test']), { instanceOf: RefusedError });
  t.throws(() => check(dotted, ['DNS:www.badexample.test']), { instanceOf: RefusedError });
  const plain = set(['DNS:example.test']);
  t.notThrows(() => check(plain, ['DNS:example.test', 'DNS:WWW.example.test']));
  t.throws(() => check(plain, ['DNS:notexample.test']), {
    instanceOf: RefusedError,
    message: 'DNS:notexample.test is outside the names the CA permits (DNS:example.test)',
  });
});

test('only names of a constrained form are bound: an IP SAN passes DNS-only constraints', (t) => {
  t.notThrows(() => check(set(['DNS:.example.test']), ['DNS:a.example.test', 'IP:192.0.2.1']));
  t.throws(() => check(set(['DNS:.example.test', 'IP:10.0.0.0/8']), ['IP:192.0.2.1']), {
    instanceOf: RefusedError,
    message: /IP:192\.0\.2\.1 is outside .*IP:10\.0\.0\.0\/8/,
  });
});

test('IP subtrees are networks, IPv4 and IPv6 apart', (t) => {
  const networks = set(['IP:10.0.0.0/8', 'IP:2001:db8::/32']);
  t.notThrows(() => check(networks, ['IP:10.1.2.3', 'IP:2001:db8:1::5']));
  t.throws(() => check(networks, ['IP:11.0.0.1']), { instanceOf: RefusedError });
  t.throws(() => check(networks, ['IP:2001:db9::1']), { instanceOf: RefusedError });
  t.throws(() => check(set(['IP:10.0.0.0/8']), ['IP:::ffff:10.0.0.1']), {
    instanceOf: RefusedError,
  });
});

test('email subtrees: a mailbox, a host, or subdomains of a domain', (t) => {
  t.notThrows(() => check(set(['email:admin@example.test']), ['email:admin@EXAMPLE.test']));
  t.throws(() => check(set(['email:admin@example.test']), ['email:root@example.test']), {
    instanceOf: RefusedError,
  });
  t.notThrows(() => check(set(['email:example.test']), ['email:anyone@example.test']));
  t.throws(() => check(set(['email:example.test']), ['email:a@sub.example.test']), {
    instanceOf: RefusedError,
  });
  t.notThrows(() => check(set(['email:.example.test']), ['email:a@sub.example.test']));
});

test('URI subtrees bind the host', (t) => {
  t.notThrows(() => check(set(['URI:.example.test']), ['URI:https://api.example.test/x']));
  t.throws(() => check(set(['URI:.example.test']), ['URI:https://api.other.test/']), {
    instanceOf: RefusedError,
  });
});

test('excluded subtrees win over permitted ones', (t) => {
  const constraints = set(['DNS:.example.test'], ['DNS:.internal.example.test']);
  t.notThrows(() => check(constraints, ['DNS:www.example.test']));
  t.throws(() => check(constraints, ['DNS:db.internal.example.test']), {
    instanceOf: RefusedError,
    message: 'DNS:db.internal.example.test is excluded by the CA (DNS:.internal.example.test)',
  });
});

test('without a DNS SAN a host-like common name is checked, as OpenSSL does', (t) => {
  const constraints = set(['DNS:.example.test']);
  t.throws(() => check(constraints, [], '/CN=www.other.test'), {
    instanceOf: RefusedError,
    message: /CN=www\.other\.test/,
  });
  t.notThrows(() => check(constraints, [], '/CN=Alice Example'), 'not a host name');
  t.notThrows(
    () => check(constraints, ['DNS:www.example.test'], '/CN=www.other.test'),
    'SAN present',
  );
});

test('an emailAddress in the subject is checked against email subtrees', (t) => {
  t.throws(
    () => check(set(['email:example.test']), [], '/CN=Alice/emailAddress=alice@other.test'),
    {
      instanceOf: RefusedError,
      message: /emailAddress alice@other\.test/,
    },
  );
});

test('request SANs tlskit cannot check are refused under constraints, allowed without', (t) => {
  const candidate = {
    subject: encodeName(parseSubject('/CN=x')),
    sans: [],
    hasUncheckableSans: true,
  };
  t.throws(
    () => checkNameConstraints([constraintSourceOf(set(['DNS:.example.test']), 'CA')], candidate),
    {
      instanceOf: RefusedError,
    },
  );
  t.notThrows(() => checkNameConstraints([constraintSourceOf(set([]), 'CA')], candidate));
});

test('a subordinate CA may narrow what its parent permits, never widen it', (t) => {
  const parent = [constraintSourceOf(set(['DNS:example.test', 'IP:10.0.0.0/8']), 'the root')];
  const within = (texts: string[]) => () =>
    checkSubtreesWithin(
      parent,
      texts.map((text) => parseNameConstraint(text)),
    );
  t.notThrows(within(['DNS:.example.test', 'DNS:web.example.test', 'IP:10.1.0.0/16']));
  t.throws(within(['DNS:.test']), { instanceOf: RefusedError, message: /DNS:\.test lies outside/ });
  t.throws(within(['IP:0.0.0.0/0']), { instanceOf: RefusedError });
  t.notThrows(within(['email:example.test']), 'a form the parent does not constrain');
  const dotted = [constraintSourceOf(set(['DNS:.example.test']), 'the root')];
  t.throws(() => checkSubtreesWithin(dotted, [parseNameConstraint('DNS:example.test')]), {
    instanceOf: RefusedError,
  });
});

test('the extension is critical and reads back from a certificate', async (t) => {
  const constraints = set(['DNS:.example.test', 'IP:10.0.0.0/8'], ['email:bad.example.test']);
  const extension = encodeNameConstraints(constraints);
  t.true(extension.critical);
  const { privateKey, publicKey } = await generateKeyPair({ type: 'ec' });
  const subject = encodeName(parseSubject('/CN=Constrained CA'));
  const issued = await issueCertificate({
    subject,
    publicKey,
    issuer: { name: subject, key: privateKey },
    profile: await loadProfile('ca'),
    validity: { notBefore: new Date('2026-01-01Z'), notAfter: new Date('2027-01-01Z') },
    serial: Buffer.of(1),
    extraExtensions: [extension],
  });
  const source = nameConstraintsOf(readCertificate(issued.der, 'ca.pem'));
  if (!source) return t.fail('no name constraints read back');
  t.is(source.description, 'ca.pem');
  const candidate = (sans: string[]) => ({
    subject: encodeName(parseSubject('/CN=x')),
    sans: sans.map(parseSan),
  });
  t.notThrows(() =>
    checkNameConstraints([source], candidate(['DNS:a.example.test', 'IP:10.9.9.9'])),
  );
  t.throws(() => checkNameConstraints([source], candidate(['IP:192.0.2.1'])), {
    instanceOf: RefusedError,
  });
  t.throws(() => checkNameConstraints([source], candidate(['email:x@bad.example.test'])), {
    instanceOf: RefusedError,
    message: /excluded by ca\.pem/,
  });
});
