// Bundles the compiled skiff command (dist/cli/main.js and what it imports) into dist/skiff/, the
// copy that users, hack/*.sh and the e2e tests run. Every skiff process (server, agent, runtime,
// each container's shim, the CLI) loaded hundreds of small modules at start (the server 766 files,
// 180 with the bundle); that cut its loading CPU by about 40 %, on the two cores that etcd, the
// API server and the agent share while `skiff up` starts them.
// `npm run build` runs this after tsc and after the validators are written.
import { build } from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const out = join(dist, 'skiff');

rmSync(out, { recursive: true, force: true });
await build({
  // main.js and shim-main.js keep their names: skiff starts itself and the shim by those paths,
  // found next to the module that starts them (cli/lifecycle.ts, runtime/containers/shim-launch.ts).
  entryPoints: { main: join(dist, 'cli/main.js'), 'shim-main': join(dist, 'runtime/containers/shim-main.js') },
  outdir: out,
  bundle: true,
  splitting: true, // commands imported lazily stay lazy
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // etcd3 reads its .proto files relative to its own directory, so it loads from node_modules; the
  // gRPC packages it uses stay there too, so one copy of them serves etcd3 and the runtime client.
  external: ['etcd3', '@grpc/grpc-js', '@grpc/proto-loader', 'protobufjs'],
  // Bundled CommonJS packages call require() for Node's built-ins, which an ES module lacks.
  banner: { js: "import { createRequire as __skiffCreateRequire } from 'node:module'; const require = __skiffCreateRequire(import.meta.url);" },
});
// The API server loads each kind's prebuilt validator from ./validators next to its module.
cpSync(join(dist, 'api/schemas/validators'), join(out, 'validators'), { recursive: true });
