import * as Flags from '@oclif/core/flags';

/** Flags that mean the same thing in every command. */
export const commonFlags = {
  force: Flags.boolean({ description: 'Overwrite output files that already exist.' }),
  passin: Flags.string({
    description:
      'Passphrase of an encrypted input key: pass:TEXT, env:VAR, file:PATH, fd:N or stdin.',
    helpValue: 'SPEC',
  }),
  passout: Flags.string({
    description:
      'Encrypt the private key with this passphrase: pass:TEXT, env:VAR, file:PATH, fd:N or stdin.',
    helpValue: 'SPEC',
  }),
  allowWeak: Flags.boolean({
    description:
      'Permit weak choices (RSA below 2048 bits, SHA-1) for deliberately bad test material.',
  }),
};
