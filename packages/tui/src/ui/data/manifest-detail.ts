import { ManifestError, formatPlatform, isIndex, type Descriptor, type FetchedManifest, type RegistryClient } from '@nextdeploy/core';

/** Image configs are a few KiB; a bigger "config" is not one worth summarising on screen. */
const CONFIG_LIMIT = 1024 * 1024;

/** The parts of an image config worth a line each; env is left out because it often holds secrets. */
export interface ConfigSummary {
  platform?: string;
  created?: string;
  entrypoint?: string;
  cmd?: string;
  workingDir?: string;
  user?: string;
  labels: number;
  exposedPorts: string[];
}

export interface ManifestDetail {
  fetched: FetchedManifest;
  /** An index's entries; empty for an image. */
  platforms: { platform: string; descriptor: Descriptor }[];
  /** An image's config descriptor and layers; absent for an index. */
  config?: Descriptor;
  layers: Descriptor[];
  configSummary?: ConfigSummary;
}

export async function loadManifestDetail(client: RegistryClient, repository: string, reference: string, signal: AbortSignal): Promise<ManifestDetail> {
  const fetched = await client.getManifest(repository, reference, { signal });
  const { manifest } = fetched;
  if (isIndex(manifest)) {
    return {
      fetched,
      platforms: manifest.manifests.map((d) => ({ platform: d.platform ? formatPlatform(d.platform) : '-', descriptor: d })),
      layers: [],
    };
  }
  const detail: ManifestDetail = { fetched, platforms: [], config: manifest.config, layers: manifest.layers };
  // Artifacts carry arbitrary configs (often the empty `{}`); only image configs are summarised.
  if (manifest.config.mediaType.includes('image.config') || manifest.config.mediaType.includes('container.image')) {
    detail.configSummary = await loadConfigSummary(client, repository, manifest.config, signal);
  }
  return detail;
}

async function loadConfigSummary(client: RegistryClient, repository: string, config: Descriptor, signal: AbortSignal): Promise<ConfigSummary> {
  if (config.size > CONFIG_LIMIT) throw new ManifestError(`config ${config.digest} is ${config.size} bytes; too large to summarise`);
  const stream = await client.getBlob(repository, config.digest, { signal, expectedSize: config.size });
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ManifestError(`config ${config.digest} is not valid JSON`, { cause: err });
  }
  return summariseConfig(raw);
}

function summariseConfig(raw: Record<string, unknown>): ConfigSummary {
  const cfg = (typeof raw.config === 'object' && raw.config !== null ? raw.config : {}) as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  const list = (v: unknown): string | undefined => (Array.isArray(v) && v.length > 0 ? v.map(String).join(' ') : undefined);
  const arch = str(raw.architecture);
  const os = str(raw.os);
  const summary: ConfigSummary = {
    labels: typeof cfg.Labels === 'object' && cfg.Labels !== null ? Object.keys(cfg.Labels).length : 0,
    exposedPorts: typeof cfg.ExposedPorts === 'object' && cfg.ExposedPorts !== null ? Object.keys(cfg.ExposedPorts) : [],
  };
  if (os && arch) summary.platform = formatPlatform({ os, architecture: arch, ...(str(raw.variant) ? { variant: str(raw.variant)! } : {}) });
  const set = (key: 'created' | 'entrypoint' | 'cmd' | 'workingDir' | 'user', value: string | undefined): void => {
    if (value !== undefined) summary[key] = value;
  };
  set('created', str(raw.created));
  set('entrypoint', list(cfg.Entrypoint));
  set('cmd', list(cfg.Cmd));
  set('workingDir', str(cfg.WorkingDir));
  set('user', str(cfg.User));
  return summary;
}
