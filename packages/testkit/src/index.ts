export { startRegistry, DEFAULT_USERS, REGISTRY_BINARY } from './registry/start-registry.js';
export type { RegistryAuthMode, RegistryOptions, TestRegistry } from './registry/types.js';
export type {
  AccessEntry,
  GrantContext,
  TokenRequestRecord,
  TokenServer,
  TokenServerOptions,
} from './token/types.js';
export { startTokenServer } from './token/token-server.js';
export { parseScope } from './token/scope.js';
export { stopAll, liveCount, track, untrack, type Stoppable } from './lifecycle/tracker.js';
export { isPidAlive } from './lifecycle/child-process.js';
export { makeTempDir, removeDir } from './lifecycle/temp-dir.js';
export { freePort } from './net/free-port.js';
export { skopeo, skopeoOk, skopeoCreds, type SkopeoResult, type SkopeoOptions, type SkopeoSide, type SkopeoCredsOptions } from './skopeo/skopeo.js';
export { pushWithSkopeo, pushRandomImage, type PushOptions, type PushedImage } from './skopeo/push.js';
export { buildOciLayout } from './oci/build-layout.js';
export type { BuildOciLayoutOptions, BuiltImage, OciLayoutBuild, Platform } from './oci/types.js';
export type { LayerDescriptor } from './oci/layer-blob.js';
export * as mediaTypes from './oci/media-types.js';
export { startRecordingServer, type RecordingServer, type RecordingHandler } from './http/recording-server.js';
export { startFaultProxy, type FaultProxy, type FaultProxyOptions, type FaultAction, type FaultFn, type FaultProxyEvent } from './http/fault-proxy.js';
export type { RecordedRequest, StaticResponse, LoopbackEndpoint } from './http/types.js';
export { startLinkShaper, type LinkShaper, type LinkShaperOptions } from './net/link-shaper.js';
export { tempDockerConfig, type TempDockerConfig, type DockerAuthEntry, type DockerConfigExtras } from './docker-config/temp-docker-config.js';
export type { ProxyTarget } from './http/target.js';
export { parseAccessLog, type AccessLogEntry } from './registry/access-log.js';
export { fakeCredentialHelper, type FakeCredentialHelper } from './docker-config/fake-credential-helper.js';
