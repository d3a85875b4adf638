import type { NewCaResult } from '../../../src/pki/ca/init.js';
import type { Terminal } from '../../_lib/terminal.js';
import { formatDay } from '../../_lib/format.js';

/** mkcert's voice for a new CA: what it is, what binds it, where its files are, when it ends. */
export function renderNewCa(
  result: NewCaResult,
  terminal: Terminal,
  log: (line: string) => void,
  kind: 'root' | 'intermediate',
): void {
  const { colour } = terminal;
  const key = result.key.curve
    ? `${result.key.type.toUpperCase()} ${result.key.curve}`
    : `${result.key.type.toUpperCase()} ${result.key.bits}-bit`;
  log(`Created a new ${kind} CA "${colour.bold(result.subject)}" 🏛`);
  if (kind === 'intermediate') log(`  signed by "${result.issuer}", serial ${result.serial}`);
  log(`  ${key} key${result.encrypted ? ' (encrypted)' : ''}, ${result.signatureAlgorithm}`);
  log(`  path length: ${result.pathLength ?? 'unlimited'}`);
  const { permitted, excluded } = result.nameConstraints;
  if (permitted.length > 0) log(`  permitted names: ${permitted.join(', ')}`);
  if (excluded.length > 0) log(`  excluded names: ${excluded.join(', ')}`);
  if (result.crlUrls.length > 0) log(`  CRL URL in its certificates: ${result.crlUrls.join(', ')}`);
  if (result.ocspUrls.length > 0)
    log(`  OCSP URL in its certificates: ${result.ocspUrls.join(', ')}`);
  log(`  ${colour.green('→')} ${result.ca}/`);
  log(`It will expire on ${formatDay(result.notAfter)} 🗓`);
  log(`Issue certificates with: tlskit ca issue ${result.ca} --cn NAME`);
}
