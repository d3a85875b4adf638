import test from 'ava';
import { UsageError } from '../../../../src/errors.js';
import { parseAlpnList, parseSniSpec } from '../../../../src/tls/server/options.js';

test('--sni HOST=CERT,KEY, the last comma separating the paths', (t) => {
  t.deepEqual(parseSniSpec('api.test=api.crt,api.key'), {
    servername: 'api.test',
    cert: 'api.crt',
    key: 'api.key',
  });
  t.deepEqual(parseSniSpec('*.apps.test=certs/a,b.crt,keys/w.key'), {
    servername: '*.apps.test',
    cert: 'certs/a,b.crt',
    key: 'keys/w.key',
  });
});

for (const bad of ['api.test', 'api.test=api.crt', '=a.crt,a.key', 'api.test=,a.key', 'h=a.crt,']) {
  test(`--sni "${bad}" is refused with the expected form`, (t) => {
    const error = t.throws(() => parseSniSpec(bad), { instanceOf: UsageError });
    t.is(error?.message, `--sni "${bad}" is not HOST=CERT,KEY`);
  });
}

test('--alpn lists, most preferred first, spaces and empty items dropped', (t) => {
  t.deepEqual(parseAlpnList('h2,http/1.1'), ['h2', 'http/1.1']);
  t.deepEqual(parseAlpnList(' h2 , ,http/1.1,'), ['h2', 'http/1.1']);
  t.deepEqual(parseAlpnList(''), []);
});
