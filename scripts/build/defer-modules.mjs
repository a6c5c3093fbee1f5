/**
 * An esbuild plugin that replaces modules only some runs call into with facades: each exported
 * function loads the real module on its first call. Start-up then skips their initialisation
 * (tar-stream's streamx tree ~10 ms; node:child_process ~2.7 ms, which commander requires at load
 * for a feature we do not use). Only functions are forwarded, so it suits modules whose API is
 * functions (node builtins, factory-style packages).
 */
import { createRequire } from 'node:module';

export function deferModules(modules, root) {
  const require = createRequire(`${root}/`);
  const filter = new RegExp(`^(${modules.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`);
  return {
    name: 'defer-modules',
    setup(b) {
      b.onResolve({ filter }, (args) => ({ path: args.path, namespace: 'deferred' }));
      b.onLoad({ filter: /.*/, namespace: 'deferred' }, (args) => {
        const real = require(args.path);
        const names = Object.keys(real).filter((name) => typeof real[name] === 'function' && /^[A-Za-z_$][\w$]*$/.test(name));
        const load = args.path.startsWith('node:')
          ? `process.getBuiltinModule(${JSON.stringify(args.path)})`
          : `require(${JSON.stringify(require.resolve(args.path))})`;
        return {
          contents: [
            'let real;',
            `const load = () => (real ??= ${load});`,
            ...names.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`),
          ].join('\n'),
          loader: 'js',
          resolveDir: root,
        };
      });
    },
  };
}
