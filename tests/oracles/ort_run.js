#!/usr/bin/env node
// ONNX Runtime as an oracle: runs one model on .npy inputs and writes .npy outputs.
//
//   node tests/oracles/ort_run.js model.onnx in.npy [in2.npy ...] out.npy [out2.npy ...]
//
// The first N .npy paths feed the session's N inputs in their declared order; the
// rest receive the session's outputs in order. Any failure (unreadable file, ORT
// refusing the model or the input) prints one line to stderr and exits with 1.
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, 'node_modules', 'onnxruntime-node'));

const NPY_TYPES = {
  '<f4': {type: 'float32', array: Float32Array},
  '<f8': {type: 'float64', array: Float64Array},
  '|i1': {type: 'int8', array: Int8Array},
  '|u1': {type: 'uint8', array: Uint8Array},
  '<i2': {type: 'int16', array: Int16Array},
  '<i4': {type: 'int32', array: Int32Array},
  '<i8': {type: 'int64', array: BigInt64Array},
};

function npyDescr(type) {
  for (const [descr, entry] of Object.entries(NPY_TYPES)) {
    if (entry.type === type) return descr;
  }
  throw new Error(`cannot write an ORT tensor of type ${type} as .npy`);
}

function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 10 || bytes.toString('latin1', 0, 6) !== '\x93NUMPY') {
    throw new Error(`${file}: not a .npy file`);
  }
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header);
  const fortran = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shape) throw new Error(`${file}: malformed .npy header`);
  if (fortran[1] === 'True') throw new Error(`${file}: Fortran-order arrays are not supported`);
  const entry = NPY_TYPES[descr[1]];
  if (!entry) throw new Error(`${file}: unsupported dtype ${descr[1]}`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const byteLength = count * entry.array.BYTES_PER_ELEMENT;
  if (bytes.length - dataStart < byteLength) throw new Error(`${file}: data is shorter than its shape says`);
  // Copy into a fresh, aligned buffer: typed arrays need element alignment.
  const data = new entry.array(count);
  Buffer.from(data.buffer).set(bytes.subarray(dataStart, dataStart + byteLength));
  return new ort.Tensor(entry.type, data, dims);
}

function writeNpy(file, tensor) {
  const dims = tensor.dims.map(Number);
  const shapeText = dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
  let header = `{'descr': '${npyDescr(tensor.type)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const preamble = Buffer.alloc(10);
  preamble.write('\x93NUMPY', 0, 'latin1');
  preamble[6] = 1;
  preamble[7] = 0;
  preamble.writeUInt16LE(header.length, 8);
  const data = tensor.data;
  const payload = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file, Buffer.concat([preamble, Buffer.from(header, 'latin1'), payload]));
}

async function main() {
  const args = process.argv.slice(2);
  if (args.length < 3) throw new Error('usage: ort_run.js model.onnx in.npy... out.npy...');
  const [modelPath, ...npyPaths] = args;
  // ORT's own log would repeat the error over several lines; the one line below carries it.
  const session = await ort.InferenceSession.create(modelPath, {logSeverityLevel: 4});
  const inputCount = session.inputNames.length;
  const outputPaths = npyPaths.slice(inputCount);
  if (npyPaths.length <= inputCount || outputPaths.length > session.outputNames.length) {
    throw new Error(`${modelPath}: the model has ${inputCount} inputs and ${session.outputNames.length} outputs, ` +
                    `given ${npyPaths.length} .npy paths`);
  }
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readNpy(npyPaths[i]); });
  const results = await session.run(feeds);
  outputPaths.forEach((file, i) => writeNpy(file, results[session.outputNames[i]]));
}

main().catch((error) => {
  process.stderr.write(`ort_run: ${String(error.message || error).split('\n').join(' ')}\n`);
  process.exit(1);
});
