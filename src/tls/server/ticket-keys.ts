import { randomBytes } from 'node:crypto';
import { InputError } from '../../errors.js';
import { readFileInput } from './inputs.js';
import type { FileInput } from './options.js';

/** node:tls ticketKeys: a 16-byte key name, a 16-byte HMAC key and a 16-byte AES key. */
export const TICKET_KEYS_BYTES = 48;

/**
 * The keys that encrypt session tickets: read from a 48-byte file, or fresh random ones. One set
 * is made per server and given to every worker, so a ticket one worker issued resumes on another
 * (Node no longer shares them between cluster workers by itself).
 */
export async function resolveTicketKeys(
  input: FileInput | undefined,
  random: (size: number) => Buffer = randomBytes,
): Promise<Buffer> {
  if (input === undefined) return random(TICKET_KEYS_BYTES);
  const { data, source } = await readFileInput(input, 'ticket keys');
  if (data.length !== TICKET_KEYS_BYTES) {
    throw new InputError(
      `${source} holds ${data.length} bytes; ticket keys are exactly ${TICKET_KEYS_BYTES}`,
      { hint: `make a file with: head -c ${TICKET_KEYS_BYTES} /dev/urandom > ticket.keys` },
    );
  }
  return data;
}
