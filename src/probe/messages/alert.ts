import { alertName } from '../registry/alerts.js';
import { ByteReader } from '../wire/byte-reader.js';

/** RFC 8446 §6: `struct { AlertLevel level; AlertDescription description; }`. */
export interface Alert {
  level: 'warning' | 'fatal' | number;
  description: number;
  /** `handshake_failure`, or hex for an unknown description. */
  name: string;
}

export function parseAlert(fragment: Uint8Array): Alert {
  const reader = new ByteReader(fragment, 'alert');
  const level = reader.u8('level');
  const description = reader.u8('description');
  reader.end();
  return {
    level: level === 1 ? 'warning' : level === 2 ? 'fatal' : level,
    description,
    name: alertName(description),
  };
}
