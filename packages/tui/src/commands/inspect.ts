import {
  NextdeployError,
  formatPlatform,
  formatReference,
  isIndex,
  parseReference,
  referenceIdentifier,
  type Descriptor,
  type FetchedManifest,
} from '@nextdeploy/core';
import { formatSize } from '../output/size.js';
import { formatFields, formatTable } from '../output/table.js';
import { writeJson, writeLine } from '../output/write.js';
import type { CommandInvocation } from './types.js';

export async function run({ args, options, context, stdout }: CommandInvocation): Promise<void> {
  if (options.raw === true && options.json === true) {
    throw new NextdeployError('USAGE', '--raw and --json cannot be combined; --raw already prints the manifest JSON as stored');
  }
  const ref = parseReference(args[0]!);
  const client = context.client(ref.registry);
  const fetched = await client.getManifest(ref.repository, referenceIdentifier(ref), { signal: context.signal });

  if (options.raw === true) {
    // The exact bytes: their sha256 is the digest, so no re-serialisation.
    stdout.write(fetched.bytes);
    return;
  }
  const summary = summarise(formatReference(ref), fetched);
  if (options.json === true) writeJson(stdout, summary);
  else writeLine(stdout, formatSummary(summary));
}

interface DescriptorSummary {
  digest: string;
  mediaType: string;
  size: number;
}

interface PlatformSummary extends DescriptorSummary {
  /** `os/arch[/variant]`, or null for entries without a platform (attestations, artifacts). */
  platform: string | null;
}

/** The `--json` document; human output is rendered from the same object so the two never disagree. */
export interface InspectSummary {
  reference: string;
  digest: string;
  mediaType: string;
  size: number;
  artifactType?: string;
  manifests?: PlatformSummary[];
  config?: DescriptorSummary;
  layers?: DescriptorSummary[];
  /** Sum of layer sizes: what a pull transfers at most. */
  layersSize?: number;
}

function summarise(reference: string, fetched: FetchedManifest): InspectSummary {
  const { manifest } = fetched;
  const base: InspectSummary = {
    reference,
    digest: fetched.digest,
    mediaType: fetched.mediaType,
    size: fetched.size,
    ...(manifest.artifactType ? { artifactType: manifest.artifactType } : {}),
  };
  if (isIndex(manifest)) {
    return {
      ...base,
      manifests: manifest.manifests.map((d) => ({ ...describe(d), platform: d.platform ? formatPlatform(d.platform) : null })),
    };
  }
  const layers = manifest.layers.map(describe);
  return { ...base, config: describe(manifest.config), layers, layersSize: layers.reduce((sum, l) => sum + l.size, 0) };
}

function describe(d: Descriptor): DescriptorSummary {
  return { digest: d.digest, mediaType: d.mediaType, size: d.size };
}

function formatSummary(s: InspectSummary): string {
  const fields: [string, string][] = [
    ['Reference', s.reference],
    ['Digest', s.digest],
    ['Media type', s.mediaType],
    ['Size', `${s.size} bytes`],
  ];
  if (s.artifactType) fields.push(['Artifact type', s.artifactType]);
  const sections = [];
  if (s.manifests) {
    fields.push(['Platforms', String(s.manifests.length)]);
    sections.push(
      formatTable(
        ['PLATFORM', 'DIGEST', 'SIZE', 'MEDIA TYPE'],
        s.manifests.map((m) => [m.platform ?? '-', m.digest, formatSize(m.size), m.mediaType]),
      ),
    );
  }
  if (s.config && s.layers) {
    fields.push(['Config', `${s.config.digest} (${formatSize(s.config.size)}, ${s.config.mediaType})`]);
    fields.push(['Layers', `${s.layers.length}, ${formatSize(s.layersSize ?? 0)} in total`]);
    if (s.layers.length > 0) {
      sections.push(formatTable(['LAYER', 'SIZE', 'MEDIA TYPE'], s.layers.map((l) => [l.digest, formatSize(l.size), l.mediaType])));
    }
  }
  return [formatFields(fields), ...sections].join('\n\n');
}
