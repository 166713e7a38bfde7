import { GovernorError } from '../errors/index.js';

/** A parsed policy URI: `name:version[-release_tag]`, e.g. `policies.resource_allocator.standard:v0.0.1-beta`. */
export interface PolicyUri {
  name: string;
  version: string;
  releaseTag?: string;
}

/**
 * Splits on the last `:` (names may contain dots, dashes and even colons-free paths), then on the
 * first `-` after it, so `policy.a-b:v0.0.1-beta` is name `policy.a-b`, version `v0.0.1`, tag `beta`.
 * A suffix without `-tag` is accepted, as the original's examples use it (`...standard:latest`).
 */
export function parsePolicyUri(uri: string): PolicyUri {
  const colon = uri.lastIndexOf(':');
  if (colon <= 0 || colon === uri.length - 1) {
    throw new GovernorError('bad_request', `policy URI '${uri}' is not name:version[-release_tag]`, {
      field: 'policy_rule_uri',
      value: uri,
    });
  }
  const name = uri.slice(0, colon);
  const rest = uri.slice(colon + 1);
  const dash = rest.indexOf('-');
  if (dash === -1) return { name, version: rest };
  const version = rest.slice(0, dash);
  const releaseTag = rest.slice(dash + 1);
  if (version === '' || releaseTag === '') {
    throw new GovernorError('bad_request', `policy URI '${uri}' has an empty version or release tag`, {
      field: 'policy_rule_uri',
      value: uri,
    });
  }
  return { name, version, releaseTag };
}

/** The registry key, derived as in the original: `{name}:{version}-{release_tag}` (no tag: `{name}:{version}`). */
export function formatPolicyUri(uri: PolicyUri): string {
  return uri.releaseTag ? `${uri.name}:${uri.version}-${uri.releaseTag}` : `${uri.name}:${uri.version}`;
}

/** True when the string looks like a URI rather than a file-system path. */
export function looksLikePolicyUri(s: string): boolean {
  return !s.includes('/') && !s.startsWith('.') && s.lastIndexOf(':') > 0;
}
