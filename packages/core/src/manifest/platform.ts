import { NextdeployError } from '../errors/index.js';
import type { Descriptor, ImageIndex, Platform } from './types.js';

const ARCH_ALIASES: Record<string, string> = { x86_64: 'amd64', 'x86-64': 'amd64', aarch64: 'arm64', armhf: 'arm', armel: 'arm', i386: '386' };
/** The variant an architecture implies when none is given: `linux/arm64` is `linux/arm64/v8`. */
const DEFAULT_VARIANT: Record<string, string> = { arm64: 'v8', arm: 'v7' };

/** Parses `os/arch[/variant]` (e.g. `linux/arm64/v8`), folding case and common aliases (`x86_64` -> `amd64`). */
export function parsePlatform(input: string): Platform {
  const parts = input.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[A-Za-z0-9._-]+$/.test(p))) {
    throw new NextdeployError('INVALID_PLATFORM', `platform "${input.slice(0, 100)}" is invalid; use os/arch[/variant], e.g. linux/amd64 or linux/arm64/v8`);
  }
  const [os, architecture, variant] = parts as [string, string, string?];
  return foldNames({ os, architecture, ...(variant ? { variant } : {}) });
}

export function formatPlatform(platform: Platform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/** Folds names and fills in the architecture's default variant, so equal platforms compare equal. */
export function normalizePlatform(platform: Platform): Platform {
  const folded = foldNames(platform);
  const variant = folded.variant ?? DEFAULT_VARIANT[folded.architecture];
  return variant ? { ...folded, variant } : folded;
}

/**
 * Whether `platform` satisfies `wanted`. A wanted platform without a variant accepts any variant of
 * that os/arch, so `linux/arm` picks up `linux/arm/v6` when that is all an index offers.
 */
export function matchPlatform(platform: Platform | undefined, wanted: string | Platform): boolean {
  if (!platform) return false;
  const want = typeof wanted === 'string' ? parsePlatform(wanted) : foldNames(wanted);
  const have = normalizePlatform(platform);
  if (have.os !== want.os || have.architecture !== want.architecture) return false;
  return want.variant === undefined || normalizePlatform(want).variant === have.variant;
}

/**
 * The index entry for `wanted`, preferring the exact (or architecture-default) variant over the
 * first entry that merely shares os/arch.
 */
export function findPlatformManifest(index: ImageIndex, wanted: string | Platform): Descriptor | undefined {
  const want = typeof wanted === 'string' ? parsePlatform(wanted) : foldNames(wanted);
  const preferred = normalizePlatform(want).variant;
  const candidates = index.manifests.filter((d) => matchPlatform(d.platform, want));
  return candidates.find((d) => normalizePlatform(d.platform!).variant === preferred) ?? candidates[0];
}

function foldNames(platform: Platform): Platform {
  const { variant, ...rest } = platform;
  const arch = platform.architecture.toLowerCase();
  const lowerVariant = variant?.toLowerCase();
  return {
    ...rest,
    os: platform.os.toLowerCase(),
    architecture: ARCH_ALIASES[arch] ?? arch,
    ...(lowerVariant ? { variant: lowerVariant } : {}),
  };
}
