#!/usr/bin/env node
// Where ONNX Runtime spends a run: the median kernel time of every node, one
// thread, from ORT's own profiler.
//
//   node bench/ort_node_times.js RUNS model.onnx in.npy [in2.npy ...]
//
// The first 10 runs are warm-up and left out. Prints one line per node in
// execution order (name, op type, median microseconds) and the median of
// whole runs.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const oracles = path.join(__dirname, '..', 'share', 'oracles');
const {readNpy} = require(path.join(oracles, 'common'));
const ort = require(path.join(oracles, 'node_modules', 'onnxruntime-node'));

const TYPES = {'<f4': 'float32', '|i1': 'int8', '|u1': 'uint8', '<i8': 'int64'};
const WARMUP = 10;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const [runsText, modelPath, ...inputs] = process.argv.slice(2);
  const runs = Number(runsText);
  if (!(runs > WARMUP) || !modelPath || inputs.length === 0) {
    throw new Error(`usage: ort_node_times.js RUNS (more than ${WARMUP}) model.onnx in.npy...`);
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'ort_profile_'));
  try {
    const session = await ort.InferenceSession.create(modelPath, {
      intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', logSeverityLevel: 4,
      enableProfiling: true, profileFilePrefix: path.join(directory, 'profile'),
    });
    const feeds = {};
    session.inputNames.forEach((name, i) => {
      const {descr, dims, data} = readNpy(inputs[i]);
      feeds[name] = new ort.Tensor(TYPES[descr], data, dims);
    });
    for (let i = 0; i < runs; ++i) await session.run(feeds);
    await session.endProfiling();
    const [file] = fs.readdirSync(directory);
    const events = JSON.parse(fs.readFileSync(path.join(directory, file), 'utf8'));
    const nodes = new Map();
    for (const event of events) {
      if (event.cat !== 'Node' || !event.name.endsWith('_kernel_time')) continue;
      const name = event.name.slice(0, -'_kernel_time'.length);
      if (!nodes.has(name)) nodes.set(name, {op: event.args.op_name, times: []});
      nodes.get(name).times.push(event.dur);
    }
    const whole = events.filter((event) => event.name === 'model_run').map((event) => event.dur);
    console.log(`${path.basename(modelPath)}: median run ${median(whole.slice(WARMUP))} us`);
    for (const [name, {op, times}] of nodes) {
      console.log(`  ${name.padEnd(40)} ${op.padEnd(20)} ${String(median(times.slice(WARMUP))).padStart(7)} us`);
    }
  } finally {
    fs.rmSync(directory, {recursive: true, force: true});
  }
}

main().catch((error) => {
  process.stderr.write(`ort_node_times.js: ${error.message}\n`);
  process.exit(1);
});
