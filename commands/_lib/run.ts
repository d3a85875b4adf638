/**
 * The CLI's entry, bundled with the commands (scripts/bundle.js) so that bin/run.js, oclif and
 * the commands share one copy of oclif and load it from a few files instead of a hundred.
 */
export { execute } from '@oclif/core/execute';
