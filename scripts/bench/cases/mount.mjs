/**
 * Same-registry copy to another repository: a cross-repository mount moves no layer bytes. A byte
 * counting proxy sits in front of the registry; upload bytes are attributed to digests through the
 * upload session id, whose final PUT carries `?digest=`.
 */
import { alternate } from '../lib/alternate.mjs';
import { DEST_TAG } from '../lib/destinations.mjs';
import { fmtBytes, median } from '../lib/format.mjs';
import { timeLine } from '../lib/report.mjs';
import { skopeoOk, startFaultProxy, startRegistry } from '../lib/testkit.mjs';
import { expectRegistryImage } from '../lib/verify.mjs';

const UPLOAD = /\/blobs\/uploads\/([^/?]+)/;

/** Layer bytes and all blob-upload bytes among proxy events. */
function uploadBytes(events, layerDigests) {
  const sessions = new Map();
  for (const e of events) {
    const m = UPLOAD.exec(e.url);
    if (!m || !['PATCH', 'PUT', 'POST'].includes(e.method)) continue;
    const s = sessions.get(m[1]) ?? { bytes: 0, digest: undefined };
    s.bytes += e.bytesToTarget;
    const digest = new URL(e.url, 'http://x').searchParams.get('digest');
    if (digest) s.digest = digest;
    sessions.set(m[1], s);
  }
  let layer = 0;
  let all = 0;
  for (const s of sessions.values()) {
    all += s.bytes;
    // A session that never finished has no digest; count it as layer bytes, it moved data anyway.
    if (!s.digest || layerDigests.has(s.digest)) layer += s.bytes;
  }
  const mounts = events.filter((e) => e.method === 'POST' && e.url.includes('mount=') && e.status === 201).length;
  return { layer, all, mounts };
}

export const mount = {
  name: 'mount',
  async run(ctx) {
    const image = ctx.fixtures.layered;
    await ctx.line('mount', image.label, async () => {
      const reg = await startRegistry();
      const proxy = await startFaultProxy({ target: reg });
      try {
        await skopeoOk([
          'copy', '--quiet', '--preserve-digests', '--src-tls-verify=false', '--dest-tls-verify=false',
          `docker://${ctx.source.host}/${image.repo}:${image.tag}`, `docker://${reg.host}/${image.repo}:${image.tag}`,
        ]);
        const contenders = ctx.tools.map((tool) => ({
          key: tool.key,
          async prepare(runId, o) {
            const repo = `bench/mount-${runId}`;
            const from = proxy.events.length;
            return {
              argv: tool.copyArgv(`docker://${proxy.host}/${image.repo}:${image.tag}`, `docker://${proxy.host}/${repo}:${DEST_TAG}`, o),
              async check() {
                await expectRegistryImage(reg.url, repo, DEST_TAG, image.digest, `${tool.label} ${runId}`);
                return uploadBytes(proxy.events.slice(from), image.layerDigests);
              },
            };
          },
        }));
        const samples = await alternate(ctx, `mount ${image.label}`, contenders);
        await ctx.profile(`mount-${image.key}`, contenders);
        const worst = (key) => Math.max(...samples[key].checked.map((c) => c.layer));
        const mounts = (key) => median(samples[key].checked.map((c) => c.mounts));
        return [
          {
            case: 'mount',
            image: `${image.label} layer bytes`,
            metric: 'bytes',
            ours: fmtBytes(worst('ours')),
            skopeo: fmtBytes(worst('skopeo')),
            ratio: '-',
            target: '= 0 B',
            pass: worst('ours') === 0,
            note: `worst round; mounts per run (median): ours ${mounts('ours')}, skopeo ${mounts('skopeo')} (skopeo mounts only blobs its blob-info cache has seen)`,
            values: { ours: worst('ours'), skopeo: worst('skopeo') },
            samples,
          },
          { ...timeLine('mount', `${image.label} time`, samples, Infinity), target: '-', pass: null },
        ];
      } finally {
        await proxy.stop();
        await reg.stop();
      }
    });
  },
};
