import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';

/**
 * The supported Node.js is the one package.json's `engines` names (docs/operations.md). Every
 * installed package must accept the Node running the tests, or `npm ci` prints EBADENGINE and the
 * package may use APIs this Node lacks. Pins and `overrides` in package.json keep it so.
 */
const ROOT = join(__dirname, '..', '..');
const NODE_MODULES = join(ROOT, 'node_modules');

interface Manifest {
  name?: string;
  version?: string;
  engines?: { node?: string } | string[];
}

/** Every package.json npm installed, nested ones included (node_modules/a/node_modules/b). */
function installedManifests(dir: string): { path: string; manifest: Manifest }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory() || entry.name.startsWith('.')) return [];
    if (entry.name.startsWith('@')) return installedManifests(join(dir, entry.name));
    const pkg = join(dir, entry.name);
    const file = join(pkg, 'package.json');
    if (!existsSync(file)) return [];
    return [{ path: file, manifest: JSON.parse(readFileSync(file, 'utf8')) as Manifest }, ...installedManifests(join(pkg, 'node_modules'))];
  });
}

function nodeRange(manifest: Manifest): string | undefined {
  // Some old packages wrote `engines` as an array, which npm ignores.
  return Array.isArray(manifest.engines) ? undefined : manifest.engines?.node;
}

describe('Node.js engines', () => {
  const manifests = installedManifests(NODE_MODULES);
  const ours = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;

  it('walks the real install', () => {
    expect(manifests.length).toBeGreaterThan(500);
    expect(manifests.map((m) => m.manifest.name)).toEqual(expect.arrayContaining(['@nestjs/core', 'i18next', 'nopt']));
  });

  it(`every installed package accepts the running Node.js (${process.version})`, () => {
    const excluding = manifests
      .filter(({ manifest }) => {
        const range = nodeRange(manifest);
        return range !== undefined && !satisfies(process.version, range, { includePrerelease: true });
      })
      .map(({ manifest }) => `${manifest.name}@${manifest.version} requires node ${nodeRange(manifest)}`);
    expect(excluding).toEqual([]);
  });

  it("package.json's engines accepts the running Node.js and is no lower than any installed package's minimum", () => {
    const ownRange = nodeRange(ours)!;
    expect(satisfies(process.version, ownRange)).toBe(true);
    const ownMinimum = minVersion(ownRange)!;
    // A package whose range admits our minimum is fine; one that needs a later 20.x raises the real minimum.
    const higher = manifests
      .filter(({ manifest }) => {
        const range = nodeRange(manifest);
        return range !== undefined && !satisfies(ownMinimum, range, { includePrerelease: true });
      })
      .map(({ manifest }) => `${manifest.name}@${manifest.version} requires node ${nodeRange(manifest)}`);
    expect(higher).toEqual([]);
  });
});
