import { rm } from 'node:fs/promises';
import { issueCertificate, issuerFromCertificate } from '../certificate.js';
import type { PassphraseProvider } from '../../io/prompter.js';
import { generateKeyPair } from '../keys.js';
import { checkIssuancePolicy, constraintSourcesOf, fitDefaultValidity } from './ca-policy.js';
import { revocationPointerExtensions } from './ca-extensions.js';
import { caPath, createCaFolder, loadCaKey, openCaFolder, refuseNonEmpty } from './ca-store.js';
import {
  caFolderFiles,
  DEFAULT_CA_KEY,
  describeNewCa,
  planNewCa,
  type NewCaOptions,
  type NewCaResult,
} from './init.js';
import { chainPemOf } from './issue.js';
import { recordIssuance } from './issuance.js';
import type { LockOptions } from './lock.js';
import { checkSubtreesWithin } from './name-constraints.js';

export const DEFAULT_INTERMEDIATE_SUBJECT = '/CN=tlskit Intermediate CA';

export interface CaIntermediateOptions extends NewCaOptions {
  /** The folder of the CA that signs the new one. */
  parentDir: string;
  /** Asked only if the parent's key is encrypted. */
  parentPassphrase?: PassphraseProvider;
  lock?: LockOptions;
}

/**
 * A subordinate CA in a new folder, signed by the CA in `parentDir` (profile intermediate:
 * pathlen 0 unless asked otherwise). Without --permit/--exclude it takes the parent's name
 * constraints policy into its own certificate; given ones must lie inside what the parent
 * permits. The parent records the new certificate in its index.txt and newcerts/ (under its
 * lock); the new folder's chain.pem holds the new certificate, then the parent's chain.
 */
export async function createIntermediateCa(options: CaIntermediateOptions): Promise<NewCaResult> {
  const parent = await openCaFolder(options.parentDir);
  await refuseNonEmpty(options.dir);
  const plan = await planNewCa(
    options,
    'intermediate',
    DEFAULT_INTERMEDIATE_SUBJECT,
    parent.config.nameConstraints,
  );
  checkSubtreesWithin(constraintSourcesOf(parent), plan.nameConstraints.permitted);
  plan.validity = fitDefaultValidity(parent, plan.validity, options.days !== undefined);
  checkIssuancePolicy(parent, {
    names: { subject: plan.subject, sans: [] },
    ca: true,
    pathLength: plan.profile.basicConstraints.pathLength,
    validity: plan.validity,
  });
  const parentKey = await loadCaKey(parent, options.parentPassphrase);
  const issuer = issuerFromCertificate(
    parent.certificate,
    parentKey,
    caPath(parent, parent.config.files.key),
    plan.profile,
  );
  const { privateKey, publicKey } = await generateKeyPair(options.key ?? DEFAULT_CA_KEY);
  let files: string[] = [];
  const { issued } = await recordIssuance(parent, {
    subject: plan.subject,
    random: options.random,
    writer: options.writer,
    lock: options.lock,
    issue: (serial) =>
      issueCertificate({
        subject: plan.subject,
        publicKey,
        issuer,
        profile: plan.profile,
        validity: plan.validity,
        serial,
        extraExtensions: [
          ...plan.nameConstraintsExtension,
          ...revocationPointerExtensions(parent.config.crlUrls, parent.config.ocspUrls),
        ],
      }),
    publish: async (certificate) => {
      const chainPem = certificate.pem + chainPemOf(parent.chain);
      files = await createCaFolder(
        options.dir,
        await caFolderFiles(options, plan, privateKey, certificate, chainPem),
        options.writer,
      );
      return () => rm(options.dir, { recursive: true, force: true });
    },
  });
  return describeNewCa(options, plan, privateKey, issued, files, parent.certificate.subject);
}
