import type { KeyExchange } from '../registry/cipher-suite-types.js';
import { ProtocolVersion } from '../registry/versions.js';
import { ByteReader } from '../wire/byte-reader.js';

/**
 * What a TLS ≤ 1.2 ServerKeyExchange reveals about the key exchange (RFC 5246 §7.4.3, RFC 8422
 * §5.4, RFC 4279 §2 for PSK hints). The signature is read to check the framing, not verified.
 */
export type ServerKeyExchange =
  | {
      kind: 'ecdhe';
      /** ECCurveType: 3 named_curve; 1 and 2 are explicit curves (deprecated by RFC 8422). */
      curveType: number;
      /** The named group, for named_curve. */
      group: number | null;
      publicKeyBytes: number;
      signatureScheme: number | null;
    }
  | {
      kind: 'dhe';
      /** Size of the prime p in bits: the strength of the exchange. */
      primeBits: number;
      prime: Uint8Array;
      generator: Uint8Array;
      publicKeyBytes: number;
      signatureScheme: number | null;
    }
  | {
      /** An export RSA suite's temporary key (RFC 2246 §7.4.3). */
      kind: 'rsa';
      modulusBits: number;
      signatureScheme: number | null;
    }
  | { kind: 'psk-hint'; hintBytes: number };

export interface ServerKeyExchangeContext {
  /** The suite's key exchange and authentication, from the registry. */
  kx: KeyExchange;
  anonymous: boolean;
  /** The negotiated version: TLS 1.2 signatures carry a SignatureAndHashAlgorithm first. */
  version: number;
}

export function parseServerKeyExchange(
  body: Uint8Array,
  context: ServerKeyExchangeContext,
): ServerKeyExchange {
  const reader = new ByteReader(body, 'ServerKeyExchange');
  if (context.kx.endsWith('_PSK') || context.kx === 'PSK') {
    // RFC 4279 §2 / RFC 5489 §2: psk_identity_hint first, then the (EC)DH parameters if any.
    const hint = reader.opaque16('psk_identity_hint');
    if (context.kx === 'PSK' || context.kx === 'RSA_PSK') {
      reader.end();
      return { kind: 'psk-hint', hintBytes: hint.length };
    }
  }
  const signed = !context.anonymous && !context.kx.endsWith('_PSK');
  const result = readParameters(reader, context.kx);
  const signatureScheme = signed ? readSignature(reader, context.version) : null;
  reader.end();
  return { ...result, signatureScheme } as ServerKeyExchange;
}

function readParameters(reader: ByteReader, kx: KeyExchange) {
  if (kx === 'ECDHE' || kx === 'ECDHE_PSK') {
    // RFC 8422 §5.4: ServerECDHParams { ECParameters curve_params; ECPoint public; }.
    const curveType = reader.u8('curve_type');
    let group: number | null = null;
    if (curveType === 3) group = reader.u16('namedcurve');
    else if (curveType === 1 || curveType === 2) readExplicitCurve(reader, curveType);
    else throw reader.fail(`unknown curve_type ${curveType}`);
    const point = reader.opaque8('public');
    if (point.length === 0) throw reader.fail('empty public point');
    return { kind: 'ecdhe' as const, curveType, group, publicKeyBytes: point.length };
  }
  if (kx === 'DHE' || kx === 'DHE_PSK') {
    // RFC 5246 §7.4.3: ServerDHParams { dh_p<1..2^16-1>; dh_g<1..2^16-1>; dh_Ys<1..2^16-1>; }.
    const prime = reader.opaque16('dh_p').slice();
    const generator = reader.opaque16('dh_g').slice();
    const publicKey = reader.opaque16('dh_Ys');
    if (prime.length === 0 || generator.length === 0 || publicKey.length === 0) {
      throw reader.fail('empty DH parameter');
    }
    return {
      kind: 'dhe' as const,
      primeBits: bitLength(prime),
      prime,
      generator,
      publicKeyBytes: publicKey.length,
    };
  }
  if (kx === 'RSA') {
    // RFC 2246 §7.4.3: ServerRSAParams { rsa_modulus<1..2^16-1>; rsa_exponent<1..2^16-1>; }.
    const modulus = reader.opaque16('rsa_modulus');
    const exponent = reader.opaque16('rsa_exponent');
    if (modulus.length === 0 || exponent.length === 0) throw reader.fail('empty RSA parameter');
    return { kind: 'rsa' as const, modulusBits: bitLength(modulus) };
  }
  throw reader.fail(`a ${kx} key exchange has no ServerKeyExchange a scan reads`);
}

/** RFC 4492 §5.4 explicit curves: skipped field by field, bounded like everything else. */
function readExplicitCurve(reader: ByteReader, curveType: number): void {
  if (curveType === 1) {
    reader.opaque8('prime_p');
  } else {
    reader.u16('m');
    const basis = reader.u8('basis');
    if (basis === 1) reader.opaque8('k');
    else if (basis === 2) ['k1', 'k2', 'k3'].forEach((field) => reader.opaque8(field));
    else throw reader.fail(`unknown basis ${basis}`);
  }
  reader.opaque8('a');
  reader.opaque8('b');
  reader.opaque8('base');
  reader.opaque8('order');
  reader.opaque8('cofactor');
}

/** TLS 1.2: `SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>`; before: the signature. */
function readSignature(reader: ByteReader, version: number): number | null {
  const scheme = version >= ProtocolVersion.TLS1_2 ? reader.u16('signature_algorithm') : null;
  reader.opaque16('signature');
  return scheme;
}

function bitLength(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length && bytes[index] === 0) index++;
  if (index === bytes.length) return 0;
  return (bytes.length - index - 1) * 8 + (32 - Math.clz32(bytes[index] as number));
}
