export { basicProvider, basicProvider as default } from './provider.js';
export { BASIC_KINDS, kindFor, type BasicKind, type KindInfo } from './kinds.js';
