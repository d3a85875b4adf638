import { EncryptedContentInfo } from '@peculiar/asn1-cms';
import { AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';

/**
 * The ASN.1 structures of PKCS#12 that the @peculiar packages do not define. INTEGER fields are
 * `number | string`: asn1-schema returns integers of four octets or more as decimal strings.
 */

/** RFC 8018 appendix A.2; the salt is always `specified` (`otherSource` was never used). */
export class Pbkdf2Parameters {
  @AsnProp({ type: AsnPropTypes.OctetString })
  salt: ArrayBuffer = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.Integer })
  iterationCount: number | string = 0;

  @AsnProp({ type: AsnPropTypes.Integer, optional: true })
  keyLength?: number | string;

  /** Absent means the default, hmacWithSHA1. */
  @AsnProp({ type: AlgorithmIdentifier, optional: true })
  prf?: AlgorithmIdentifier;

  constructor(params: Partial<Pbkdf2Parameters> = {}) {
    Object.assign(this, params);
  }
}

/** RFC 8018 appendix A.4. */
export class Pbes2Parameters {
  @AsnProp({ type: AlgorithmIdentifier })
  keyDerivationFunc = new AlgorithmIdentifier();

  @AsnProp({ type: AlgorithmIdentifier })
  encryptionScheme = new AlgorithmIdentifier();

  constructor(params: Partial<Pbes2Parameters> = {}) {
    Object.assign(this, params);
  }
}

/** RFC 8018 appendix A.5 (RFC 9579 for its use as a PKCS#12 MAC). */
export class Pbmac1Parameters {
  @AsnProp({ type: AlgorithmIdentifier })
  keyDerivationFunc = new AlgorithmIdentifier();

  @AsnProp({ type: AlgorithmIdentifier })
  messageAuthScheme = new AlgorithmIdentifier();
}

/** RFC 7292 appendix C: `pkcs-12PbeParams`, the parameters of every PKCS#12 PBE scheme. */
export class Pkcs12PbeParameters {
  @AsnProp({ type: AsnPropTypes.OctetString })
  salt: ArrayBuffer = new ArrayBuffer(0);

  @AsnProp({ type: AsnPropTypes.Integer })
  iterations: number | string = 0;

  constructor(params: Partial<Pkcs12PbeParameters> = {}) {
    Object.assign(this, params);
  }
}

/**
 * RFC 5652 section 8: EncryptedData, what holds a PKCS#12 file's password-encrypted
 * SafeContents (@peculiar/asn1-cms has EncryptedContentInfo but not this wrapper).
 */
export class EncryptedData {
  @AsnProp({ type: AsnPropTypes.Integer })
  version: number | string = 0;

  @AsnProp({ type: EncryptedContentInfo })
  encryptedContentInfo = new EncryptedContentInfo();

  constructor(params: Partial<EncryptedData> = {}) {
    Object.assign(this, params);
  }
}

/** PKCS#9 friendlyName: a BMPString (UTF-16BE), what Windows and keytool show as the name. */
@AsnType({ type: AsnTypeTypes.Choice })
export class FriendlyName {
  @AsnProp({ type: AsnPropTypes.BmpString })
  value = '';

  constructor(value = '') {
    this.value = value;
  }
}
