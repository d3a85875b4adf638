#!/usr/bin/env node
import { execute } from '../dist/cli/run.js';

await execute({ dir: import.meta.url });
