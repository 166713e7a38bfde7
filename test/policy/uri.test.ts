import { describe, expect, it } from 'vitest';
import { formatPolicyUri, looksLikePolicyUri, parsePolicyUri } from '../../src/policy/index.js';

describe('policy URIs', () => {
  it('splits on the last colon, then on the first dash after it', () => {
    expect(parsePolicyUri('policy.resourceAllocator.yolo-gpu-scheduler:v0.0.1-beta')).toEqual({
      name: 'policy.resourceAllocator.yolo-gpu-scheduler',
      version: 'v0.0.1',
      releaseTag: 'beta',
    });
    expect(
      parsePolicyUri('aiosv1.policies.cluster-controller-gateway.add-node:v0.0.1-stable').releaseTag,
    ).toBe('stable');
  });

  it('accepts a version without a release tag', () => {
    expect(parsePolicyUri('policies.resource_allocator.standard:latest')).toEqual({
      name: 'policies.resource_allocator.standard',
      version: 'latest',
    });
  });

  it('keeps dashes of the tag after the first one', () => {
    expect(parsePolicyUri('a:1.0-rc-2')).toEqual({ name: 'a', version: '1.0', releaseTag: 'rc-2' });
  });

  it('rejects a string without a name or a version, naming the field', () => {
    for (const bad of ['no-version', ':1.0', 'name:', 'a:-beta', 'a:1.0-']) {
      expect(() => parsePolicyUri(bad)).toThrow(expect.objectContaining({ code: 'bad_request' }));
    }
  });

  it('formats name:version-release_tag as the registry derives it', () => {
    expect(formatPolicyUri({ name: 'ip_allowlist', version: '1.0', releaseTag: 'beta' })).toBe(
      'ip_allowlist:1.0-beta',
    );
    expect(formatPolicyUri(parsePolicyUri('x.y:v1-stable'))).toBe('x.y:v1-stable');
  });

  it('tells URIs from paths', () => {
    expect(looksLikePolicyUri('a.b:v1')).toBe(true);
    expect(looksLikePolicyUri('./examples/policies/gpu-allocator')).toBe(false);
    expect(looksLikePolicyUri('/tmp/x:y')).toBe(false);
  });
});
