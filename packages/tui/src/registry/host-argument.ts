import { InvalidReferenceError, normalizeRegistryName, parseRepository } from '@nextdeploy/core';

const EXPECTED = 'expected a registry host[:port] such as ghcr.io, docker.io or localhost:5000';

/**
 * Reads a HOST argument (`ghcr.io`, `https://index.docker.io/v1/`, `127.0.0.1:5000`) into the
 * normalised registry name. The reference grammar decides what a registry is: a single word like
 * `myhost` would be read as a Docker Hub path in `myhost/app`, so credentials saved for it would
 * never be used, and it is refused here with the reason.
 */
export function parseRegistryArgument(input: string): string {
  const host = normalizeRegistryName(input);
  if (host.length === 0) throw new InvalidReferenceError(input, `registry is empty; ${EXPECTED}`);
  let registry: string;
  try {
    registry = parseRepository(`${host}/probe`).registry;
  } catch (err) {
    if (err instanceof InvalidReferenceError) throw new InvalidReferenceError(input, `not a registry host; ${EXPECTED}`, { cause: err });
    throw err;
  }
  if (registry !== host) {
    throw new InvalidReferenceError(input, `not a registry host (a registry needs a "." or a ":port", or is localhost); ${EXPECTED}`);
  }
  return registry;
}
