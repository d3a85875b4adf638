import test from 'ava';
import { InputError } from '../../../../src/errors.js';
import {
  indexSpellingOf,
  parseRevocationReason,
  REASON_CODES,
  REVOCATION_REASONS,
  reasonOfIndexWord,
} from '../../../../src/pki/ca/revocation-reason.js';

test('--reason takes the RFC 5280 names in any case', (t) => {
  t.is(parseRevocationReason('keyCompromise'), 'keyCompromise');
  t.is(parseRevocationReason('caCompromise'), 'cACompromise');
  t.is(parseRevocationReason('CACOMPROMISE'), 'cACompromise');
  t.is(parseRevocationReason('aacompromise'), 'aACompromise');
  const error = t.throws(() => parseRevocationReason('lost'), { instanceOf: InputError });
  t.regex(error?.hint ?? '', /keyCompromise, cACompromise/);
  t.throws(() => parseRevocationReason('unspecified'), { instanceOf: InputError });
});

test('reason codes are those of RFC 5280 5.3.1 (7 is unused)', (t) => {
  t.deepEqual(
    REVOCATION_REASONS.map((reason) => REASON_CODES[reason]),
    [1, 2, 3, 4, 5, 6, 8, 9, 10],
  );
  t.is(REASON_CODES.unspecified, 0);
});

test("index.txt spells reasons as openssl's crl_reasons table does, and reads them back", (t) => {
  t.is(indexSpellingOf('cACompromise'), 'CACompromise');
  t.is(indexSpellingOf('keyCompromise'), 'keyCompromise');
  for (const reason of REVOCATION_REASONS) t.is(reasonOfIndexWord(indexSpellingOf(reason)), reason);
  t.is(reasonOfIndexWord('unspecified'), 'unspecified');
  t.is(reasonOfIndexWord('holdInstruction'), 'certificateHold');
  t.is(reasonOfIndexWord('keyTime'), 'keyCompromise');
  t.is(reasonOfIndexWord('CAkeyTime'), 'cACompromise');
  t.is(reasonOfIndexWord('nonsense'), undefined);
});
