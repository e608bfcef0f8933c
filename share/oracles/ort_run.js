#!/usr/bin/env node
// ONNX Runtime as an oracle: runs one model on .npy inputs and writes .npy outputs.
//
//   node share/oracles/ort_run.js model.onnx in.npy [in2.npy ...] out.npy [out2.npy ...]
//   node share/oracles/ort_run.js --bench RUNS [--warmup N] [--threads N] model.onnx in.npy [in2.npy ...]
//
// The first N .npy paths feed the session's N inputs in their declared order; the
// rest receive the session's outputs in order. With --bench the inputs are run
// RUNS times after the warm-up and one JSON line gives the load time, every
// latency and the peak resident memory. Any failure (unreadable file, ORT
// refusing the model or the input) prints one line to stderr and exits with 1.
'use strict';

const path = require('path');
const {readNpy, writeNpy, parseArguments, peakRssKib, timeRuns, elapsedMs} = require('./common');

const USAGE = 'usage: ort_run.js [--bench RUNS [--warmup N] [--threads N]] model.onnx in.npy... [out.npy...]';

const ORT_TYPES = {
  '<f4': 'float32',
  '<f8': 'float64',
  '|i1': 'int8',
  '|u1': 'uint8',
  '<i2': 'int16',
  '<i4': 'int32',
  '<i8': 'int64',
};

function readTensor(ort, file) {
  const {descr, dims, data} = readNpy(file);
  return new ort.Tensor(ORT_TYPES[descr], data, dims);
}

// The caller has checked that there is a path for every input.
function feedsFor(ort, session, inputPaths) {
  const feeds = {};
  session.inputNames.forEach((name, i) => { feeds[name] = readTensor(ort, inputPaths[i]); });
  return feeds;
}

async function main() {
  const {bench, modelPath, npyPaths} = parseArguments(process.argv.slice(2), USAGE);
  const baselineRss = peakRssKib();
  const ortStart = process.hrtime.bigint();
  const ort = require(path.join(__dirname, 'node_modules', 'onnxruntime-node'));
  const runtimeLoadMs = elapsedMs(ortStart);
  // ORT's own log would repeat the error over several lines; the one line below carries it.
  const options = {logSeverityLevel: 4};
  if (bench) Object.assign(options, {intraOpNumThreads: bench.threads, interOpNumThreads: 1, executionMode: 'sequential'});
  const loadStart = process.hrtime.bigint();
  const session = await ort.InferenceSession.create(modelPath, options);
  const loadMs = elapsedMs(loadStart);
  const inputCount = session.inputNames.length;
  if (bench) {
    if (npyPaths.length !== inputCount) {
      throw new Error(`${modelPath}: the model has ${inputCount} inputs, given ${npyPaths.length} .npy paths`);
    }
    const feeds = feedsFor(ort, session, npyPaths);
    const latencies = await timeRuns(() => session.run(feeds), bench);
    process.stdout.write(JSON.stringify({
      runtime: 'ONNX Runtime',
      version: require(path.join(__dirname, 'node_modules', 'onnxruntime-node', 'package.json')).version,
      runtime_load_ms: runtimeLoadMs,
      load_ms: loadMs,
      threads: bench.threads,
      latencies_ms: latencies,
      baseline_rss_kib: baselineRss,
      peak_rss_kib: peakRssKib(),
    }) + '\n');
    return;
  }
  const outputPaths = npyPaths.slice(inputCount);
  if (npyPaths.length <= inputCount || outputPaths.length > session.outputNames.length) {
    throw new Error(`${modelPath}: the model has ${inputCount} inputs and ${session.outputNames.length} outputs, ` +
                    `given ${npyPaths.length} .npy paths`);
  }
  const results = await session.run(feedsFor(ort, session, npyPaths));
  outputPaths.forEach((file, i) => {
    const tensor = results[session.outputNames[i]];
    writeNpy(file, tensor.data, tensor.dims.map(Number));
  });
}

main().catch((error) => {
  process.stderr.write(`ort_run: ${String(error.message || error).split('\n').join(' ')}\n`);
  process.exit(1);
});
