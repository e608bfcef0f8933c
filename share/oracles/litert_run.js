#!/usr/bin/env node
// LiteRT as an oracle: runs one .tflite model on .npy inputs and writes .npy outputs.
//
//   node share/oracles/litert_run.js model.tflite in.npy [in2.npy ...] out.npy [out2.npy ...] [-- in.npy ... out.npy ...]
//   node share/oracles/litert_run.js --bench RUNS [--warmup N] model.tflite in.npy [in2.npy ...]
//
// The first N .npy paths feed the model's N inputs (serving_default signature
// order); the rest receive its outputs in order. Each further group after
// "--" is another run of the same compiled model. With --bench the inputs are
// run RUNS times after the warm-up and one JSON line gives the load time, every
// latency and the peak resident memory; the wasm build runs on one thread.
// Interface tensors may be float32,
// int32, uint8 or int8. Any failure prints one line to stderr (with the
// runtime's own ERROR: lines when it printed any) and exits with 1.
//
// @litertjs/core targets browsers. To run it under Node this script makes the
// environment look like a web worker (self, importScripts) and loads the
// Emscripten glue as CommonJS: the package is "type": "module", so the glue is
// copied into a temporary directory whose package.json says "commonjs".
// LITERT_WASM_BUILD=compat selects the build without relaxed SIMD.
//
// The package's JavaScript wrapper maps only float32, int32 and uint8 arrays to
// the runtime's element types, although the runtime itself takes int8 (its
// ElementType.INT8), the interface of a full-integer TFLite file. The script
// loads a copy of the wrapper with that one mapping added; every kernel that
// runs is still LiteRT's own.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const url = require('url');
const v8 = require('v8');
const {readNpy, writeNpy, parseArguments, peakRssKib, timeRuns, elapsedMs} = require('./common');

const PACKAGE_DIR = path.join(__dirname, 'node_modules', '@litertjs', 'core');
const WASM_DIR = path.join(PACKAGE_DIR, 'wasm');

const USAGE = 'usage: litert_run.js [--bench RUNS [--warmup N]] model.tflite in.npy... [out.npy...] [-- ...]';

// The dtypes that can cross LiteRT.js's model interface.
const INTERFACE_DTYPES = new Set(['<f4', '<i4', '|u1', '|i1']);

function readInterfaceNpy(file) {
  const array = readNpy(file);
  if (!INTERFACE_DTYPES.has(array.descr)) {
    throw new Error(`${file}: dtype ${array.descr} cannot cross LiteRT.js's interface (float32, int32, uint8, int8)`);
  }
  return array;
}

// The runtime reports causes on stdout/stderr as "ERROR: ..." lines before the
// exception that reaches us; keep them for the error message.
const runtimeErrors = [];
function captureRuntimeErrors() {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      for (const line of String(chunk).split('\n')) {
        if (line.startsWith('ERROR:')) runtimeErrors.push(line.trim());
      }
      return write(chunk, ...rest);
    };
  }
}

// Copies the chosen Emscripten glue next to a CommonJS package.json and
// returns its path; the caller removes the directory.
function commonJsGlue(directory, build) {
  const name = build === 'compat' ? 'litert_wasm_compat_internal.js' : 'litert_wasm_internal.js';
  fs.writeFileSync(path.join(directory, 'package.json'), '{"type": "commonjs"}\n');
  fs.copyFileSync(path.join(WASM_DIR, name), path.join(directory, name));
  return path.join(directory, name);
}

// Writes the wrapper with an int8 entry in its dtype table and returns its
// path. The copy lives outside the package, so its one bare import is made
// absolute.
function wrapperWithInt8(directory) {
  const source = fs.readFileSync(path.join(PACKAGE_DIR, 'dist', 'index.js'), 'utf8');
  const table = 'var DATATYPES = Object.freeze([';
  const utilsImport = 'from "@litertjs/wasm-utils"';
  if (!source.includes(table) || !source.includes(utilsImport)) {
    throw new Error(`${PACKAGE_DIR}: the wrapper's dtype table or its wasm-utils import has moved; update litert_run.js`);
  }
  const utils = path.join(PACKAGE_DIR, '..', 'wasm-utils', 'dist', 'index.js');
  const patched = source
      .replace(table, `${table}\n  {dtype: "int8", typedArrayConstructor: Int8Array, elementType: ElementType.INT8},`)
      .replace(utilsImport, `from ${JSON.stringify(url.pathToFileURL(utils).href)}`);
  const file = path.join(directory, 'litert_wrapper_int8.mjs');
  fs.writeFileSync(file, patched);
  return file;
}

async function loadRuntime(directory) {
  const build = process.env.LITERT_WASM_BUILD === 'compat' ? 'compat' : 'default';
  if (build === 'default') v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  const glue = commonJsGlue(directory, build);
  const wasmFile = glue.replace(/\.js$/, '.wasm').replace(directory, WASM_DIR);
  globalThis.self = globalThis;
  globalThis.importScripts = (url) => {
    globalThis.ModuleFactory = require(String(url));
    // Hand the glue the wasm bytes: fetch() cannot read file paths.
    globalThis.Module = {wasmBinary: fs.readFileSync(wasmFile), locateFile: (file) => path.join(WASM_DIR, file)};
  };
  const litert = await import(wrapperWithInt8(directory));
  await litert.loadLiteRt(glue);
  return litert;
}

// Splits the .npy paths at each "--" into the paths of one run each.
function runGroups(npyPaths) {
  const groups = [[]];
  for (const item of npyPaths) {
    if (item === '--') {
      groups.push([]);
    } else {
      groups[groups.length - 1].push(item);
    }
  }
  return groups;
}

function readInputs(litert, model, npyPaths) {
  return model.getInputDetails().map((detail, i) => {
    const {data, dims} = readInterfaceNpy(npyPaths[i]);
    const expected = Array.from(detail.shape);
    if (expected.join(',') !== dims.join(',')) {
      throw new Error(`${npyPaths[i]}: shape [${dims}] does not match input '${detail.name}' [${expected}]`);
    }
    return new litert.Tensor(data, dims);
  });
}

async function runOnce(litert, model, modelPath, npyPaths) {
  const inputCount = model.getInputDetails().length;
  const outputDetails = model.getOutputDetails();
  const outputPaths = npyPaths.slice(inputCount);
  if (npyPaths.length <= inputCount || outputPaths.length > outputDetails.length) {
    throw new Error(`${modelPath}: the model has ${inputCount} inputs and ${outputDetails.length} ` +
                    `outputs, given ${npyPaths.length} .npy paths for one run`);
  }
  const inputs = readInputs(litert, model, npyPaths);
  const results = await model.run(inputs);
  for (const [i, file] of outputPaths.entries()) {
    const result = await results[i].moveTo('wasm');
    writeNpy(file, result.toTypedArray().slice(), Array.from(outputDetails[i].shape));
    result.delete();
  }
  results.slice(outputPaths.length).forEach((tensor) => tensor.delete());
  inputs.forEach((tensor) => tensor.delete());
}

// Each timed run ends with the outputs readable from JavaScript, as an ONNX
// Runtime session.run does.
async function benchmark(litert, model, modelPath, npyPaths, bench) {
  const inputCount = model.getInputDetails().length;
  if (npyPaths.length !== inputCount) {
    throw new Error(`${modelPath}: the model has ${inputCount} inputs, given ${npyPaths.length} .npy paths`);
  }
  const inputs = readInputs(litert, model, npyPaths);
  const latencies = await timeRuns(async () => {
    const results = await model.run(inputs);
    for (const result of results) {
      const readable = await result.moveTo('wasm');
      readable.toTypedArray();
      readable.delete();
    }
  }, bench);
  inputs.forEach((tensor) => tensor.delete());
  return latencies;
}

async function main() {
  const {bench, modelPath, npyPaths} = parseArguments(process.argv.slice(2), USAGE);
  if (bench && bench.threads !== 1) throw new Error('the LiteRT wasm build runs on one thread: --threads must be 1');
  captureRuntimeErrors();
  const baselineRss = peakRssKib();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'litert-run-'));
  try {
    const runtimeStart = process.hrtime.bigint();
    const litert = await loadRuntime(directory);
    const runtimeLoadMs = elapsedMs(runtimeStart);
    const loadStart = process.hrtime.bigint();
    const model = await litert.loadAndCompile(new Uint8Array(fs.readFileSync(modelPath)), {accelerator: 'wasm'});
    const loadMs = elapsedMs(loadStart);
    if (bench) {
      const latencies = await benchmark(litert, model, modelPath, npyPaths, bench);
      process.stdout.write(JSON.stringify({
        runtime: 'LiteRT',
        version: require(path.join(PACKAGE_DIR, 'package.json')).version + ' (wasm)',
        runtime_load_ms: runtimeLoadMs,
        load_ms: loadMs,
        threads: 1,
        latencies_ms: latencies,
        baseline_rss_kib: baselineRss,
        peak_rss_kib: peakRssKib(),
      }) + '\n');
    } else {
      for (const group of runGroups(npyPaths)) await runOnce(litert, model, modelPath, group);
    }
    model.delete();
  } finally {
    fs.rmSync(directory, {recursive: true, force: true});
  }
}

main().then(() => process.exit(0)).catch((error) => {
  const cause = runtimeErrors.length > 0 ? ` [${runtimeErrors.join(' | ')}]` : '';
  process.stderr.write(`litert_run: ${String(error.message || error).split('\n').join(' ')}${cause}\n`);
  process.exit(1);
});
