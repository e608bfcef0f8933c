'use strict';
// What both oracle scripts share: .npy files, the command line, and the
// benchmark loop whose figures `edgeport bench --external` reports.

const fs = require('fs');

const NPY_ARRAYS = {
  '<f4': Float32Array,
  '<f8': Float64Array,
  '|i1': Int8Array,
  '|u1': Uint8Array,
  '<i2': Int16Array,
  '<i4': Int32Array,
  '<i8': BigInt64Array,
};

// Returns {descr, dims, data}; data is a fresh typed array (typed arrays need
// element alignment, which a slice of the file's buffer does not guarantee).
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
  const array = NPY_ARRAYS[descr[1]];
  if (!array) throw new Error(`${file}: unsupported dtype ${descr[1]}`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const byteLength = count * array.BYTES_PER_ELEMENT;
  if (bytes.length - dataStart < byteLength) throw new Error(`${file}: data is shorter than its shape says`);
  const data = new array(count);
  Buffer.from(data.buffer).set(bytes.subarray(dataStart, dataStart + byteLength));
  return {descr: descr[1], dims, data};
}

function writeNpy(file, data, dims) {
  const descr = Object.keys(NPY_ARRAYS).find((key) => data instanceof NPY_ARRAYS[key]);
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

function positiveInteger(flag, text, minimum) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < minimum) throw new Error(`${flag} needs an integer >= ${minimum}, got '${text}'`);
  return value;
}

// [--bench RUNS [--warmup N] [--threads N]] model in.npy... [out.npy...]
// In bench mode only inputs follow the model, and one JSON line is printed.
function parseArguments(argv, usage) {
  const args = argv.slice();
  let bench = null;
  while (args.length > 0 && args[0].startsWith('--') && args[0] !== '--') {
    const flag = args.shift();
    if (args.length === 0) throw new Error(`${flag} needs a value`);
    bench = bench || {runs: 50, warmup: 5, threads: 1};
    if (flag === '--bench') {
      bench.runs = positiveInteger(flag, args.shift(), 1);
    } else if (flag === '--warmup') {
      bench.warmup = positiveInteger(flag, args.shift(), 0);
    } else if (flag === '--threads') {
      bench.threads = positiveInteger(flag, args.shift(), 1);
    } else {
      throw new Error(`unknown option ${flag}; ${usage}`);
    }
  }
  if (args.length < (bench ? 2 : 3)) throw new Error(usage);
  const [modelPath, ...npyPaths] = args;
  return {bench, modelPath, npyPaths};
}

// Peak resident memory of this process so far, in KiB.
function peakRssKib() {
  return process.resourceUsage().maxRSS;
}

// Times `runOnce` after `warmup` untimed calls; milliseconds per call.
async function timeRuns(runOnce, bench) {
  for (let i = 0; i < bench.warmup; ++i) await runOnce();
  const latencies = [];
  for (let i = 0; i < bench.runs; ++i) {
    const start = process.hrtime.bigint();
    await runOnce();
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return latencies;
}

function elapsedMs(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

module.exports = {readNpy, writeNpy, parseArguments, peakRssKib, timeRuns, elapsedMs};
