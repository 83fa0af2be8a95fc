import path from 'node:path';
import { readSettings } from './config';
import { loadInputs } from './inputs';
import { createStack } from './stack';

/** The repository root (from src/ and from dist/ alike): the program reads k8s/ and the Subscription files there. */
const REPO_ROOT = path.resolve(__dirname, '../..');

/** Pulumi calls this and exports what it returns as the stack's outputs. */
export = async () => {
  const settings = readSettings();
  const stack = createStack(settings, await loadInputs(REPO_ROOT));
  return stack.outputs;
};
