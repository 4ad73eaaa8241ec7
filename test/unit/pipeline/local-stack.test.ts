/** The local pipeline's durations and container store: what `polyglot-cd pipeline` prints and builds in. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { containersEnv, storageDriver } from '../../../bin/lib/local-stack.ts';
import { fmtSecs } from '../../../bin/lib/pipeline.ts';

describe('fmtSecs', () => {
  it('tenths under a minute, then whole seconds, never 60 of them', () => {
    expect(fmtSecs(4.24)).toBe('4.2s');
    expect(fmtSecs(59.9)).toBe('59.9s');
    expect(fmtSecs(59.96)).toBe('1m00s');
    expect(fmtSecs(62.4)).toBe('1m02s');
    expect(fmtSecs(119.8)).toBe('2m00s');
    expect(fmtSecs(3599.6)).toBe('60m00s');
  });
});

describe('the pipeline container store', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('POLYGLOT_CD_STORAGE_DRIVER chooses; each driver has a store of its own', () => {
    process.env.POLYGLOT_CD_CACHE = mkdtempSync(join(tmpdir(), 'pcd-store-'));
    process.env.POLYGLOT_CD_STORAGE_DRIVER = 'vfs';
    expect(storageDriver()).toBe('vfs');
    const vfs = containersEnv();
    expect(readFileSync(vfs.CONTAINERS_STORAGE_CONF, 'utf8')).toContain('driver = "vfs"');
    process.env.POLYGLOT_CD_STORAGE_DRIVER = 'overlay';
    const overlay = containersEnv();
    expect(readFileSync(overlay.CONTAINERS_STORAGE_CONF, 'utf8')).toContain('driver = "overlay"');
    expect(overlay.CONTAINERS_STORAGE_CONF).not.toBe(vfs.CONTAINERS_STORAGE_CONF);
    expect(overlay.BUILDAH_ISOLATION).toBe('chroot');
  });

  it('without a choice: overlay only as root with overlayfs in the kernel', () => {
    delete process.env.POLYGLOT_CD_STORAGE_DRIVER;
    const kernel = readFileSync('/proc/filesystems', 'utf8');
    const expected = process.getuid?.() === 0 && /\toverlay$/m.test(kernel) ? 'overlay' : 'vfs';
    expect(storageDriver()).toBe(expected);
  });
});
