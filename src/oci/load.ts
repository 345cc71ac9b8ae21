import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from './spec';

/** A config.json that cannot be used; the message names the field. */
export class SpecError extends Error {}

/** Reads and checks <bundle>/config.json. */
export function loadSpec(bundle: string): Spec {
  let text: string;
  try {
    text = readFileSync(join(bundle, 'config.json'), 'utf8');
  } catch (err) {
    throw new SpecError(`cannot read config.json in bundle ${bundle}: ${(err as Error).message}`);
  }
  let spec: unknown;
  try {
    spec = JSON.parse(text);
  } catch (err) {
    throw new SpecError(`config.json is not valid JSON: ${(err as Error).message}`);
  }
  return validateSpec(spec);
}

/** Structural checks a runtime must make before touching anything. */
export function validateSpec(value: unknown): Spec {
  if (!isObject(value)) throw new SpecError('config.json: expected a JSON object');
  const spec = value as unknown as Spec;
  if (typeof spec.ociVersion !== 'string') throw new SpecError('config.json: ociVersion must be a string');
  if (!isObject(spec.root) || typeof spec.root.path !== 'string' || spec.root.path === '') {
    throw new SpecError('config.json: root.path is required');
  }
  const proc = spec.process;
  if (!isObject(proc)) throw new SpecError('config.json: process is required');
  if (!Array.isArray(proc.args) || proc.args.length === 0 || !proc.args.every((a) => typeof a === 'string')) {
    throw new SpecError('config.json: process.args must be a non-empty array of strings');
  }
  if (typeof proc.cwd !== 'string' || !proc.cwd.startsWith('/')) {
    throw new SpecError('config.json: process.cwd must be an absolute path');
  }
  if (!isObject(proc.user) || !Number.isInteger(proc.user.uid) || !Number.isInteger(proc.user.gid)) {
    throw new SpecError('config.json: process.user.uid and process.user.gid are required');
  }
  if (proc.env !== undefined && !(Array.isArray(proc.env) && proc.env.every((e) => typeof e === 'string'))) {
    throw new SpecError('config.json: process.env must be an array of strings');
  }
  for (const m of spec.mounts ?? []) {
    if (!isObject(m) || typeof m.destination !== 'string' || !m.destination.startsWith('/')) {
      throw new SpecError(`config.json: mount destination must be an absolute path: ${JSON.stringify(m)}`);
    }
  }
  refuseUnsupported(spec);
  return spec;
}

// Fields tsshim does not implement yet are refused by name, never ignored.
function refuseUnsupported(spec: Spec): void {
  const linux = spec.linux ?? {};
  if (linux.namespaces?.some((n) => n.type === 'user') || linux.uidMappings?.length || linux.gidMappings?.length) {
    throw new SpecError('config.json: user namespaces (linux.namespaces user, uidMappings, gidMappings) are not supported yet');
  }
  if (spec.process?.apparmorProfile) throw new SpecError('config.json: process.apparmorProfile is not supported');
  if (spec.process?.selinuxLabel) throw new SpecError('config.json: process.selinuxLabel is not supported');
  if (linux.mountLabel) throw new SpecError('config.json: linux.mountLabel (SELinux) is not supported');
  if (linux.seccomp) throw new SpecError('config.json: linux.seccomp is not supported yet');
  if (spec.hooks && Object.keys(spec.hooks).length) throw new SpecError('config.json: hooks are not supported yet');
  if (spec.process?.terminal) throw new SpecError('config.json: process.terminal is not supported yet');
}

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
