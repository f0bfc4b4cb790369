// Builds node-llama-cpp's native addon with Shotglass's patch (shotglass-addon.patch), against
// the very llama.cpp/ggml shared libraries of node-llama-cpp's prebuilt CPU binary, and installs it
// where node-llama-cpp looks for a local build first (llama/localBuilds/<platform>-<arch>).
//
// Why: the stock addon attaches no persistent ggml threadpool, so every decode starts and joins
// its worker threads (about 10 ms per token with 2 threads on a busy 2-core machine); it sorts and
// ships the whole vocabulary to JavaScript whenever token probabilities are asked for; and it
// cannot copy a sequence's KV cache, so K variants of one prompt evaluate it K times.
//
// Only the addon's own ~20 files are compiled (15-25 s on 2 cores), never llama.cpp. Any
// failure leaves the stock addon in use and the install green: the engine detects the patch at
// run time (context.getShotglassFeatures) and falls back to the stock behaviour without it.
//
//   node scripts/native/build-addon.mjs [--force] [--check]
//   SHOTGLASS_STOCK_ADDON=1 skips it (and removes a previous build).
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(join(root, 'package.json'));
const force = process.argv.includes('--force');
const checkOnly = process.argv.includes('--check');
const log = (message) => console.log(`[shotglass addon] ${message}`);

const SUPPORTED_NODE_LLAMA_CPP = '3.21.1';

// A package's folder, even when its "exports" hide package.json.
function packageDir(name, paths) {
  for (let dir = dirname(require.resolve(name, paths ? { paths } : undefined)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name) return dir;
  }
  throw new Error(`cannot find the ${name} package`);
}

function locate() {
  const nlcDir = packageDir('node-llama-cpp');
  const version = JSON.parse(readFileSync(join(nlcDir, 'package.json'), 'utf8')).version;
  if (version !== SUPPORTED_NODE_LLAMA_CPP) throw new Error(`the patch is for node-llama-cpp ${SUPPORTED_NODE_LLAMA_CPP}, found ${version}`);
  if (process.platform !== 'linux' && process.platform !== 'darwin') throw new Error(`no patched build for ${process.platform} yet`);
  const platform = process.platform === 'darwin' ? 'mac' : 'linux';
  // The CPU-only prebuilt package (on macOS arm64 the prebuilt is the Metal one).
  const prebuiltName = platform === 'mac' && process.arch === 'arm64' ? 'mac-arm64-metal' : `${platform}-${process.arch}`;
  const prebuiltPackage = packageDir(`@node-llama-cpp/${prebuiltName}`, [nlcDir]);
  const bins = join(prebuiltPackage, 'bins', prebuiltName);
  if (!existsSync(join(bins, 'llama-addon.node'))) throw new Error(`no prebuilt binary in ${bins}`);
  const metadata = JSON.parse(readFileSync(join(bins, '_nlcBuildMetadata.json'), 'utf8'));
  // node-llama-cpp's local build folder name for these build options (gpu false: "<platform>-<arch>").
  const folderName = [platform, process.arch, ...(metadata.buildOptions.gpu ? [metadata.buildOptions.gpu] : [])].join('-');
  const out = join(nlcDir, 'llama', 'localBuilds', folderName);
  return { nlcDir, bins, metadata, out, release: join(out, 'Release') };
}

function fingerprint(where) {
  const hash = createHash('sha256');
  hash.update(readFileSync(join(here, 'shotglass-addon.patch')));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update(readFileSync(join(where.bins, '_nlcBuildMetadata.json')));
  hash.update(process.version.split('.')[0] ?? '');
  return hash.digest('hex').slice(0, 16);
}

function run(cmd, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.at(-1)} exited ${code}\n${stderr.slice(-4000)}`))));
  });
}

async function build(where, stamp) {
  const work = join(tmpdir(), `shotglass-addon-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const started = Date.now();
    // llama.cpp's headers, from the source bundle node-llama-cpp ships (the exact release it uses).
    const llamaSrc = join(work, 'llama.cpp');
    execFileSync('git', ['clone', '--quiet', '--no-checkout', join(where.nlcDir, 'llama', 'gitRelease.bundle'), llamaSrc], { stdio: 'pipe' });
    execFileSync('git', ['-C', llamaSrc, 'checkout', '--quiet', 'HEAD', '--', 'include', 'ggml/include', 'common', 'src', 'vendor'], { stdio: 'pipe' });

    const addonSrc = join(work, 'addon');
    cpSync(join(where.nlcDir, 'llama', 'addon'), addonSrc, { recursive: true });
    // git (needed for the bundle anyway) applies the patch; no separate `patch` tool is required.
    // (The ceiling keeps git from treating an enclosing repository as the place to patch.)
    execFileSync('git', ['apply', '-p1', join(here, 'shotglass-addon.patch')], {
      cwd: addonSrc,
      stdio: 'pipe',
      env: { ...process.env, GIT_CEILING_DIRECTORIES: work },
    });

    const napiInclude = join(packageDir('node-api-headers', [where.nlcDir]), 'include');
    const addonApiInclude = packageDir('node-addon-api', [where.nlcDir]);
    const includes = [addonSrc, join(llamaSrc, 'include'), join(llamaSrc, 'ggml', 'include'), join(llamaSrc, 'common'), join(llamaSrc, 'src'), llamaSrc, join(llamaSrc, 'vendor'), addonApiInclude, napiInclude];
    // CXX may carry a launcher or flags ("ccache g++").
    const [cxx, ...cxxFlags] = (process.env.CXX || (process.platform === 'darwin' ? 'clang++' : 'g++')).trim().split(/\s+/);
    const flags = ['-O2', '-fPIC', '-std=c++17', '-fexceptions', '-DNAPI_VERSION=7', '-DNDEBUG', ...includes.map((i) => `-I${i}`)];
    const sources = [...readdirSync(addonSrc).filter((f) => f.endsWith('.cpp')), ...readdirSync(join(addonSrc, 'globals')).filter((f) => f.endsWith('.cpp')).map((f) => join('globals', f))];
    const objects = [];
    const queue = [...sources];
    const jobs = Math.max(1, availableParallelism());
    let failed = false;
    // Workers stop taking files after a failure, and every compiler exits before the work folder goes.
    const outcomes = await Promise.allSettled(
      Array.from({ length: jobs }, async () => {
        for (let file = queue.shift(); file && !failed; file = queue.shift()) {
          const object = join(work, file.replaceAll('/', '_') + '.o');
          try {
            await run(cxx, [...cxxFlags, ...flags, '-c', join(addonSrc, file), '-o', object]);
          } catch (error) {
            failed = true;
            throw error;
          }
          objects.push(object);
        }
      }),
    );
    const failure = outcomes.find((o) => o.status === 'rejected');
    if (failure) throw failure.reason;

    mkdirSync(where.release, { recursive: true });
    const binary = join(where.release, 'llama-addon.node');
    const libs = readdirSync(where.bins).filter((f) => /^lib(llama|ggml)[^/]*\.(so|dylib)$/.test(f) && !/^libggml-(cpu|metal|blas|vulkan|cuda)/.test(f));
    // Relative rpath, so the pair survives being copied into a packaged app.
    const rpath = process.platform === 'darwin' ? `@loader_path/${relative(where.release, where.bins)}` : `$ORIGIN/${relative(where.release, where.bins)}`;
    const linkFlags = process.platform === 'darwin' ? ['-dynamiclib', '-undefined', 'dynamic_lookup'] : ['-shared'];
    await run(cxx, [...cxxFlags, ...linkFlags, '-o', binary, ...objects, `-L${where.bins}`, ...libs.map((l) => (process.platform === 'darwin' ? join(where.bins, l) : `-l:${l}`)), `-Wl,-rpath,${rpath}`]);

    // ggml loads its CPU variants (and GPU backends) from the addon's directory.
    for (const lib of readdirSync(where.bins).filter((f) => /^libggml-.*\.(so|dylib)$/.test(f) && !libs.includes(f))) {
      symlinkSync(relative(where.release, join(where.bins, lib)), join(where.release, lib));
    }
    const platformInfo = await currentPlatformInfo(where.metadata);
    writeFileSync(join(where.release, '_nlcBuildMetadata.json'), JSON.stringify({ buildOptions: { ...where.metadata.buildOptions, platformInfo } }));
    writeFileSync(join(where.out, 'shotglass-addon.json'), JSON.stringify({ stamp, patch: 'shotglass-addon.patch', builtAt: new Date().toISOString() }, null, 2) + '\n');
    writeFileSync(join(where.out, 'buildDone.status'), '');
    log(`built ${relative(root, binary)} in ${((Date.now() - started) / 1000).toFixed(0)} s (${sources.length} files, ${jobs} jobs)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// node-llama-cpp tests a local build in a child process before loading it unless the build's
// recorded platform matches this one; recording this machine's skips that cost at every start.
async function currentPlatformInfo(fallback) {
  try {
    const { getPlatformInfo } = await import(join(packageDir('node-llama-cpp'), 'dist', 'bindings', 'utils', 'getPlatformInfo.js'));
    return await getPlatformInfo();
  } catch {
    return fallback.buildOptions.platformInfo;
  }
}

async function main() {
  const where = locate();
  const stamp = fingerprint(where);
  const stampFile = join(where.out, 'shotglass-addon.json');
  let current = null;
  try {
    if (existsSync(join(where.out, 'buildDone.status'))) current = JSON.parse(readFileSync(stampFile, 'utf8')).stamp;
  } catch {
    // a damaged stamp: rebuild
  }
  if (checkOnly) {
    log(current === stamp ? 'up to date' : 'missing or stale');
    process.exitCode = current === stamp ? 0 : 1;
    return;
  }
  if (process.env.SHOTGLASS_STOCK_ADDON === '1') {
    rmSync(where.out, { recursive: true, force: true });
    log('SHOTGLASS_STOCK_ADDON=1: the stock addon is in use');
    return;
  }
  if (current === stamp && !force) {
    log('up to date');
    return;
  }
  rmSync(where.out, { recursive: true, force: true });
  try {
    await build(where, stamp);
  } catch (error) {
    rmSync(where.out, { recursive: true, force: true });
    throw error;
  }
}

// An install must never fail because of this: without the build, node-llama-cpp's stock addon runs.
try {
  await main();
} catch (error) {
  if (checkOnly) {
    log(`cannot check: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  } else {
    log(`not built, the stock addon stays in use (generation is slower with 2+ threads): ${error instanceof Error ? error.message : error}`);
  }
}
