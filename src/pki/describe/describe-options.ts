/** What every describe function takes. */
export interface DescribeOptions {
  /** Names the input in error messages: `cert.pem`, `bundle.pem block #2`. */
  source: string;
  /** The clock for validity and CRL freshness; tests pin it. */
  now?: Date;
  /** Include the object's PEM text (`pem`), as `--pem` asks. Never done for private keys. */
  includePem?: boolean;
}
