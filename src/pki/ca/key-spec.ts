import { UsageError } from '../../errors.js';
import type { KeySpec } from '../keys.js';

/** A size or curve for another key type would be silently ignored: say so instead. */
export function checkKeySpec(spec: KeySpec | undefined): void {
  if (spec?.bits !== undefined && spec.type !== 'rsa') {
    throw new UsageError(`--bits applies to RSA keys, not ${spec.type}`, {
      hint: spec.type === 'ec' ? 'choose the size with --curve' : 'drop --bits',
    });
  }
  if (spec?.curve !== undefined && spec.type !== 'ec') {
    throw new UsageError(`--curve applies to EC keys, not ${spec.type}`, {
      hint: 'drop --curve, or add --type ec',
    });
  }
}
