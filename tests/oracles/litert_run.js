#!/usr/bin/env node
// LiteRT as an oracle: runs one .tflite model on .npy inputs and writes .npy outputs.
//
//   node tests/oracles/litert_run.js model.tflite in.npy [in2.npy ...] out.npy [out2.npy ...] [-- in.npy ... out.npy ...]
//
// The first N .npy paths feed the model's N inputs (serving_default signature
// order); the rest receive its outputs in order. Each further group after
// "--" is another run of the same compiled model. LiteRT.js accepts float32,
// int32 and uint8 tensors at the model interface. Any failure prints one line
// to stderr (with the runtime's own ERROR: lines when it printed any) and
// exits with 1.
//
// @litertjs/core targets browsers. To run it under Node this script makes the
// environment look like a web worker (self, importScripts) and loads the
// Emscripten glue as CommonJS: the package is "type": "module", so the glue is
// copied into a temporary directory whose package.json says "commonjs".
// LITERT_WASM_BUILD=compat selects the build without relaxed SIMD.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const v8 = require('v8');

const PACKAGE_DIR = path.join(__dirname, 'node_modules', '@litertjs', 'core');
const WASM_DIR = path.join(PACKAGE_DIR, 'wasm');

const NPY_TYPES = {
  '<f4': {dtype: 'float32', array: Float32Array},
  '<i4': {dtype: 'int32', array: Int32Array},
  '|u1': {dtype: 'uint8', array: Uint8Array},
};

function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY') {
    throw new Error(`${file}: not a .npy file`);
  }
  const major = bytes[6];
  const headerStart = major === 1 ? 10 : 12;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) throw new Error(`${file}: malformed .npy header`);
  if (fortran[1] === 'True') throw new Error(`${file}: Fortran-order arrays are not supported`);
  const entry = NPY_TYPES[descr[1]];
  if (!entry) throw new Error(`${file}: dtype ${descr[1]} cannot cross LiteRT.js's interface (float32, int32, uint8)`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const byteLength = count * entry.array.BYTES_PER_ELEMENT;
  if (bytes.length - dataStart < byteLength) throw new Error(`${file}: data is shorter than its shape says`);
  const data = new entry.array(count);
  Buffer.from(data.buffer).set(bytes.subarray(dataStart, dataStart + byteLength));
  return {data, dims};
}

function writeNpy(file, data, dims) {
  const descr = Object.keys(NPY_TYPES).find((key) => data instanceof NPY_TYPES[key].array);
  if (!descr) throw new Error(`cannot write ${data.constructor.name} as .npy`);
  const shapeText = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const preamble = Buffer.alloc(10);
  preamble.write('\x93NUMPY', 0, 'latin1');
  preamble[6] = 1;
  preamble[7] = 0;
  preamble.writeUInt16LE(header.length, 8);
  const payload = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file, Buffer.concat([preamble, Buffer.from(header, 'latin1'), payload]));
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
  const litert = await import(path.join(PACKAGE_DIR, 'dist', 'index.js'));
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

async function runOnce(litert, model, modelPath, npyPaths) {
  const inputDetails = model.getInputDetails();
  const outputDetails = model.getOutputDetails();
  const outputPaths = npyPaths.slice(inputDetails.length);
  if (npyPaths.length <= inputDetails.length || outputPaths.length > outputDetails.length) {
    throw new Error(`${modelPath}: the model has ${inputDetails.length} inputs and ${outputDetails.length} ` +
                    `outputs, given ${npyPaths.length} .npy paths for one run`);
  }
  const inputs = inputDetails.map((detail, i) => {
    const {data, dims} = readNpy(npyPaths[i]);
    const expected = Array.from(detail.shape);
    if (expected.join(',') !== dims.join(',')) {
      throw new Error(`${npyPaths[i]}: shape [${dims}] does not match input '${detail.name}' [${expected}]`);
    }
    return new litert.Tensor(data, dims);
  });
  const results = await model.run(inputs);
  for (const [i, file] of outputPaths.entries()) {
    const result = await results[i].moveTo('wasm');
    writeNpy(file, result.toTypedArray().slice(), Array.from(outputDetails[i].shape));
    result.delete();
  }
  results.slice(outputPaths.length).forEach((tensor) => tensor.delete());
  inputs.forEach((tensor) => tensor.delete());
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length < 3) throw new Error('usage: litert_run.js model.tflite in.npy... out.npy...');
  const [modelPath, ...npyPaths] = args;
  captureRuntimeErrors();
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'litert-run-'));
  try {
    const litert = await loadRuntime(directory);
    const model = await litert.loadAndCompile(new Uint8Array(fs.readFileSync(modelPath)), {accelerator: 'wasm'});
    for (const group of runGroups(npyPaths)) await runOnce(litert, model, modelPath, group);
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
