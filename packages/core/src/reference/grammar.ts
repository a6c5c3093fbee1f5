/**
 * The docker reference grammar (github.com/distribution/reference, regexp.go), as anchored pieces so
 * each part of a reference can be validated on its own and reported by name.
 */

const alphaNumeric = '[a-z0-9]+';
// `__` and runs of dashes are separators too; a single `.` or `_` is.
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphaNumeric}(?:${separator}${alphaNumeric})*`;

const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainComponent}(?:\\.${domainComponent})*`;
const ipv6 = '\\[(?:[a-fA-F0-9:]+)\\]';
const host = `(?:${domainName}|${ipv6})`;

export const DOMAIN_RE = new RegExp(`^${host}(?::[0-9]+)?$`);
export const PATH_RE = new RegExp(`^${pathComponent}(?:/${pathComponent})*$`);
export const PATH_COMPONENT_RE = new RegExp(`^${pathComponent}$`);
export const TAG_RE = /^[\w][\w.-]{0,127}$/;
/** The grammar's digest shape; which algorithms we accept is narrower (see digest/isDigest). */
export const DIGEST_SHAPE_RE = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
/** Docker refuses repository names that look like an image ID, to keep the two unambiguous. */
export const IMAGE_ID_RE = /^[a-f0-9]{64}$/;

/** Longest `domain/path` docker accepts. */
export const NAME_TOTAL_LENGTH_MAX = 255;
