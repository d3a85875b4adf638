import type { ExecutionContext } from 'ava';
import { join } from 'node:path';
import { initCa, type CaInitOptions } from '../../../../src/pki/ca/init.js';
import { createIntermediateCa } from '../../../../src/pki/ca/intermediate.js';
import { makeTempDir } from '../../../helpers/index.js';

/** A fixed passphrase provider, as the CLI's --passin would give. */
export const passphrase = (value: string) => async () => value;

/** A root CA (EC P-256) in a fresh temp folder: `${work}/root`. */
export async function makeRoot(
  t: ExecutionContext,
  options: Partial<CaInitOptions> = {},
): Promise<{ work: string; root: string }> {
  const work = await makeTempDir(t, 'tlskit-ca-');
  const root = join(work, 'root');
  await initCa({ dir: root, ...options });
  return { work, root };
}

/** A root and an intermediate below it: `${work}/root`, `${work}/inter`. */
export async function makeChain(
  t: ExecutionContext,
  rootOptions: Partial<CaInitOptions> = {},
): Promise<{ work: string; root: string; inter: string }> {
  const { work, root } = await makeRoot(t, rootOptions);
  const inter = join(work, 'inter');
  await createIntermediateCa({ dir: inter, parentDir: root });
  return { work, root, inter };
}
