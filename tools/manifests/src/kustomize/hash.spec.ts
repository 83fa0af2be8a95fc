import { configMapHash } from './hash';

// The expected values are kustomize's own (sigs.k8s.io/kustomize/api/hasher/hasher_test.go, TestConfigMapHash).
describe('configMapHash', () => {
  it('matches kustomize for a ConfigMap without data', () => {
    expect(configMapHash({ name: '' })).toBe('6ct58987ht');
  });

  it('matches kustomize for one key', () => {
    expect(configMapHash({ name: '', data: { one: '' } })).toBe('9g67k2htb6');
  });

  it('sorts keys as Go does', () => {
    expect(configMapHash({ name: '', data: { two: 2, one: '', three: 3 } as unknown as Record<string, string> })).toBe('7757f9kkct');
  });

  it('includes binaryData only when there is some', () => {
    expect(configMapHash({ name: '', binaryData: { one: '' } })).toBe('6mtk2m274t');
    expect(configMapHash({ name: '', data: { one: '' }, binaryData: { two: '' } })).toBe('698h7c7t9m');
    expect(configMapHash({ name: '', data: { one: '' }, binaryData: {} })).toBe('9g67k2htb6');
  });
});
