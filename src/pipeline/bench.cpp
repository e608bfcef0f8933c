#include "pipeline/bench.h"

#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <thread>

#include "core/allocation_count.h"
#include "core/error.h"
#include "pipeline/external_runtimes.h"
#include "pipeline/float_interface.h"
#include "pipeline/inputs.h"
#include "runtime/cpu_features.h"
#include "runtime/session.h"

namespace edgeport {

namespace {

using Clock = std::chrono::steady_clock;

double percentile(std::vector<double> sorted, double p) {
  std::sort(sorted.begin(), sorted.end());
  const double rank = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto low = static_cast<std::size_t>(std::floor(rank));
  const std::size_t high = std::min(low + 1, sorted.size() - 1);
  return sorted[low] + (rank - static_cast<double>(low)) * (sorted[high] - sorted[low]);
}

// Latency percentiles and mean, and the throughput they imply, of one model's timed runs.
nlohmann::json timing_figures(const std::vector<double>& latencies) {
  double total = 0;
  for (double latency : latencies) total += latency;
  const double mean = total / static_cast<double>(latencies.size());
  return {{"latency_ms",
           {{"p50", percentile(latencies, 50)},
            {"p90", percentile(latencies, 90)},
            {"p99", percentile(latencies, 99)},
            {"mean", mean}}},
          {"throughput_per_s", 1000.0 / mean}};
}

// The seeded standard-normal input; a file with an integer interface takes
// its codes.
Tensor bench_input(const Value& input) {
  const Tensor real = seeded_random_input(input.shape, 0);
  return holds_codes(input) ? interface_codes(input, real) : real;
}

// The interface input a bench row records, for the real runtimes' runs.
Value recorded_input(const nlohmann::json& row) {
  Value input{"input", DType::Float32, row.at("input_shape").get<Shape>(), std::nullopt, std::nullopt};
  if (row.contains("input_codes")) {
    const nlohmann::json& codes = row["input_codes"];
    input.dtype = codes.at("dtype") == "int8" ? DType::Int8 : DType::UInt8;
    input.quant = QuantParams{{codes.at("scale").get<float>()}, {codes.at("zero_point").get<std::int32_t>()}, -1};
  }
  return input;
}

nlohmann::json measure(const std::filesystem::path& path, const BenchRequest& request) {
  const auto load_start = Clock::now();
  const LoadedModel model = load_model(path, request.load);
  const Session session(model.graph, RunOptions{true, request.threads});
  const double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - load_start).count();
  const Value& input = model.graph.value(model.graph.inputs.at(0));
  const Shape& input_shape = input.shape;
  const std::vector<Tensor> inputs{bench_input(input)};
  std::vector<Tensor> outputs;
  for (int i = 0; i < request.warmup; ++i) session.run(inputs, outputs);
  std::vector<double> latencies;
  latencies.reserve(static_cast<std::size_t>(request.runs));
  const std::int64_t allocations_before = allocation_count();
  for (int i = 0; i < request.runs; ++i) {
    const auto start = Clock::now();
    session.run(inputs, outputs);
    latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  const std::int64_t allocations = allocation_count() - allocations_before;
  nlohmann::json row = {{"model", path.string()},
          {"format", to_string(model.format)},
          {"runtime", "edgeport"},
          {"runtime_version", EDGEPORT_VERSION},
          {"input_shape", input_shape},
          {"file_bytes", std::filesystem::file_size(path)},
          {"load_ms", load_ms},
          {"runs", request.runs},
          {"warmup", request.warmup},
          {"threads", request.threads},
          {"arena_bytes", session.arena_bytes()}};
  if (holds_codes(input) && input.quant->scale.size() == 1) {
    row["input_codes"] = {{"dtype", std::string(dtype_name(input.dtype))},
                          {"scale", input.quant->scale[0]},
                          {"zero_point", input.quant->zero_point[0]}};
  }
  if (allocations_before >= 0 && request.runs > 0) {
    row["allocations_per_run"] = static_cast<double>(allocations) / request.runs;
  }
  row["latencies_ms"] = latencies;
  return row;
}

// The real runtime's row for a file, on the same seeded input as ours.
nlohmann::json measure_external(const ExternalRuntimes& runtimes, ExternalRuntime runtime,
                                const nlohmann::json& our_row, const BenchRequest& request) {
  const std::filesystem::path path = our_row["model"].get<std::string>();
  const Tensor input = bench_input(recorded_input(our_row));
  const nlohmann::json printed =
      bench_external(runtimes, runtime, path, input, {request.runs, request.warmup, request.threads});
  nlohmann::json row = {{"model", our_row["model"]},
          {"format", our_row["format"]},
          {"runtime", printed.value("runtime", to_string(runtime))},
          {"runtime_version", printed.value("version", "")},
          {"input_shape", our_row["input_shape"]},
          {"file_bytes", our_row["file_bytes"]},
          {"load_ms", printed.at("load_ms")},
          {"runs", request.runs},
          {"warmup", request.warmup},
          {"threads", printed.at("threads")},
          {"peak_rss_kib", printed.at("peak_rss_kib")},
          {"node_baseline_rss_kib", printed.at("baseline_rss_kib")},
          {"latencies_ms", printed.at("latencies_ms")}};
  return row;
}

// One row from a runtime's rounds: every latency, the largest peak memory,
// the first load, the mean allocation count.
nlohmann::json merge_rounds(const std::vector<nlohmann::json>& rounds) {
  nlohmann::json row = rounds.front();
  std::vector<double> latencies;
  double allocations = 0.0;
  for (const nlohmann::json& round : rounds) {
    const auto times = round["latencies_ms"].get<std::vector<double>>();
    latencies.insert(latencies.end(), times.begin(), times.end());
    row["peak_rss_kib"] = std::max(row["peak_rss_kib"].get<double>(), round["peak_rss_kib"].get<double>());
    allocations += round.value("allocations_per_run", 0.0);
  }
  if (row.contains("allocations_per_run")) row["allocations_per_run"] = allocations / static_cast<double>(rounds.size());
  row["runs"] = latencies.size();
  row.erase("latencies_ms");
  row.update(timing_figures(latencies));
  return row;
}

// Runs `measure` in a forked child and returns its result with the child's
// peak resident set size.
nlohmann::json measure_in_child(const std::filesystem::path& path, const BenchRequest& request) {
  int channel[2];
  if (::pipe(channel) != 0) throw Error("bench: cannot create a pipe");
  const pid_t child = ::fork();
  if (child < 0) throw Error("bench: cannot fork");
  if (child == 0) {
    ::close(channel[0]);
    std::string message;
    int code = 0;
    try {
      message = measure(path, request).dump();
    } catch (const std::exception& error) {
      message = nlohmann::json{{"error", error.what()}}.dump();
      code = 1;
    }
    std::size_t sent = 0;
    while (sent < message.size()) {
      const ssize_t wrote = ::write(channel[1], message.data() + sent, message.size() - sent);
      if (wrote <= 0) break;
      sent += static_cast<std::size_t>(wrote);
    }
    ::close(channel[1]);
    ::_exit(code);
  }
  ::close(channel[1]);
  std::string received;
  char buffer[4096];
  ssize_t got;
  while ((got = ::read(channel[0], buffer, sizeof buffer)) > 0) received.append(buffer, static_cast<std::size_t>(got));
  ::close(channel[0]);
  int status = 0;
  struct rusage usage {};
  ::wait4(child, &status, 0, &usage);
  nlohmann::json result = nlohmann::json::parse(received, nullptr, false);
  if (result.is_discarded()) throw Error(path.string() + ": benchmark process ended without a result");
  if (result.contains("error")) throw Error(result["error"].get<std::string>());
  result["peak_rss_kib"] = usage.ru_maxrss;
  return result;
}

std::string cpu_model() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      const std::size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

}  // namespace

nlohmann::json machine_description() {
  struct utsname system {};
  ::uname(&system);
  return {{"cpu", cpu_model()},
          {"vectors", float_kernel_vectors()},
          {"cores", std::thread::hardware_concurrency()},
          {"kernel", std::string(system.sysname) + " " + system.release},
          {"arch", system.machine}};
}

nlohmann::json bench_models(const BenchRequest& request) {
  if (request.models.empty()) throw Error("bench needs at least one model");
  if (request.runs < 1 || request.warmup < 0 || request.threads < 1 || request.rounds < 1) {
    throw Error("bench: --runs, --rounds and --threads must be at least 1, --warmup at least 0");
  }
  const ExternalRuntimes runtimes = request.external ? find_external_runtimes() : ExternalRuntimes{};
  nlohmann::json results = nlohmann::json::array();
  nlohmann::json notes = nlohmann::json::array();
  nlohmann::json ratios = nlohmann::json::array();
  for (const auto& model : request.models) {
    const ModelFormat format = detect_format(model);
    std::optional<ExternalRuntime> runtime = request.external ? external_runtime_for(format) : std::nullopt;
    if (request.external && !runtime) {
      notes.push_back(model.string() + ": no external runtime reads " + to_string(format) + " files");
    } else if (runtime && !runtimes.has(*runtime)) {
      notes.push_back(model.string() + ": " + to_string(*runtime) + " is not installed (see `edgeport doctor`)");
      runtime.reset();
    }
    if (runtime == ExternalRuntime::LiteRt && request.threads != 1) {
      notes.push_back(model.string() + ": LiteRT's wasm build runs on one thread, whatever --threads says");
    }
    // Rounds alternate between the runtimes so that both meet the same load
    // on a shared machine; the ratio of their p50s is the figure to compare.
    const int rounds = runtime ? std::min(request.rounds, request.runs) : 1;
    std::vector<nlohmann::json> ours;
    std::vector<nlohmann::json> theirs;
    for (int round = 0; round < rounds; ++round) {
      BenchRequest slice = request;
      slice.runs = (round + 1) * request.runs / rounds - round * request.runs / rounds;
      ours.push_back(measure_in_child(model, slice));
      if (runtime) theirs.push_back(measure_external(runtimes, *runtime, ours.back(), slice));
    }
    results.push_back(merge_rounds(ours));
    if (!runtime) continue;
    results.push_back(merge_rounds(theirs));
    const double ratio = results[results.size() - 2]["latency_ms"]["p50"].get<double>() /
                         results.back()["latency_ms"]["p50"].get<double>();
    ratios.push_back({{"model", model.string()}, {"runtime", results.back()["runtime"]}, {"p50_ratio", ratio}});
  }
  if (!ratios.empty()) {
    return {{"machine", machine_description()}, {"results", results}, {"ratios", ratios}, {"notes", notes}};
  }
  return {{"machine", machine_description()}, {"results", results}, {"notes", notes}};
}

namespace {

std::string fixed(double value, int precision) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(precision) << value;
  return text.str();
}

std::string runtime_label(const nlohmann::json& row) {
  const std::string version = row.value("runtime_version", "");
  return row["runtime"].get<std::string>() + (version.empty() ? "" : " " + version);
}

double mebibytes(const nlohmann::json& kibibytes) { return kibibytes.get<double>() / 1024.0; }

// Rows measured under Node.js carry the Node.js process's own memory.
std::string node_memory_note(const nlohmann::json& results) {
  for (const auto& row : results["results"]) {
    if (row.contains("node_baseline_rss_kib")) {
      return "ONNX Runtime and LiteRT rows ran under Node.js: their peak RSS includes Node.js itself (" +
             fixed(mebibytes(row["node_baseline_rss_kib"]), 1) + " MiB before the runtime loaded).";
    }
  }
  return "";
}

std::string ratio_line(const nlohmann::json& ratio) {
  return "edgeport p50 / " + ratio["runtime"].get<std::string>() + " p50 = " + fixed(ratio["p50_ratio"], 2) + " (" +
         std::filesystem::path(ratio["model"].get<std::string>()).filename().string() + ", interleaved rounds)";
}

}  // namespace

std::string format_bench_table(const nlohmann::json& results) {
  std::ostringstream text;
  const auto& machine = results["machine"];
  text << "Measured on " << machine["cpu"].get<std::string>() << " (" << machine["vectors"].get<std::string>()
       << " kernels, " << machine["cores"] << " cores, "
       << machine["kernel"].get<std::string>() << ")\n";
  text << std::left << std::setw(40) << "model" << std::setw(26) << "runtime" << std::right << std::setw(9) << "size"
       << std::setw(9) << "load ms" << std::setw(9) << "p50 ms" << std::setw(9) << "p90 ms" << std::setw(9)
       << "p99 ms" << std::setw(9) << "runs/s" << std::setw(10) << "peak MiB" << "\n";
  for (const auto& row : results["results"]) {
    text << std::left << std::setw(40) << row["model"].get<std::string>() << std::setw(26) << runtime_label(row)
         << std::right << std::setw(9) << row["file_bytes"].get<std::int64_t>() << std::setw(9)
         << fixed(row["load_ms"], 1) << std::setw(9) << fixed(row["latency_ms"]["p50"], 2) << std::setw(9)
         << fixed(row["latency_ms"]["p90"], 2) << std::setw(9) << fixed(row["latency_ms"]["p99"], 2) << std::setw(9)
         << fixed(row["throughput_per_s"], 1) << std::setw(10) << fixed(mebibytes(row["peak_rss_kib"]), 1) << "\n";
  }
  const std::string memory_note = node_memory_note(results);
  if (!memory_note.empty()) text << memory_note << "\n";
  for (const auto& ratio : results.value("ratios", nlohmann::json::array())) text << ratio_line(ratio) << "\n";
  for (const auto& note : results.value("notes", nlohmann::json::array())) {
    text << "note: " << note.get<std::string>() << "\n";
  }
  return text.str();
}

std::string format_bench_markdown(const nlohmann::json& results) {
  std::ostringstream text;
  const auto& machine = results["machine"];
  const auto& first = results["results"][0];
  text << "Measured on " << machine["cpu"].get<std::string>() << " (" << machine["vectors"].get<std::string>()
       << " kernels), " << machine["cores"] << " cores, "
       << machine["kernel"].get<std::string>() << "; " << first["runs"] << " runs after " << first["warmup"]
       << " warm-up runs, " << first["threads"] << " thread(s).\n\n";
  text << "| Model | Runtime | Size (bytes) | Load (ms) | p50 (ms) | p90 (ms) | p99 (ms) | Runs/s | Peak RSS (MiB) |\n";
  text << "|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& row : results["results"]) {
    text << "| " << std::filesystem::path(row["model"].get<std::string>()).filename().string() << " | "
         << runtime_label(row) << " | " << row["file_bytes"].get<std::int64_t>() << " | "
         << fixed(row["load_ms"], 1) << " | " << fixed(row["latency_ms"]["p50"], 2) << " | "
         << fixed(row["latency_ms"]["p90"], 2) << " | " << fixed(row["latency_ms"]["p99"], 2) << " | "
         << fixed(row["throughput_per_s"], 1) << " | " << fixed(mebibytes(row["peak_rss_kib"]), 1) << " |\n";
  }
  const std::string memory_note = node_memory_note(results);
  if (!memory_note.empty()) text << "\n" << memory_note << "\n";
  for (const auto& ratio : results.value("ratios", nlohmann::json::array())) text << "\n" << ratio_line(ratio) << "\n";
  for (const auto& note : results.value("notes", nlohmann::json::array())) {
    text << "\nNote: " << note.get<std::string>() << "\n";
  }
  return text.str();
}

}  // namespace edgeport
