#include <iostream>
#include <memory>

#include "cli/arch_option.h"
#include "cli/commands.h"
#include "cli/shape_option.h"
#include "pipeline/bench.h"

namespace edgeport::cli {

void add_bench_command(CLI::App& app) {
  struct Options {
    BenchRequest request;
    std::vector<std::string> models;
    std::string input_shape;
    bool json = false, markdown = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "bench", "Measure load time, latency p50/p90/p99, throughput and peak memory of models in edgeport's runtime "
      "(and with --external in ONNX Runtime and LiteRT)");
  command->add_option("models", options->models, "Model files (.pt, .onnx, .tflite, .eqm)")->required();
  add_arch_option(*command, options->request.load.arch);
  command->add_option("--runs", options->request.runs, "Timed runs per model (default 50)")
      ->check(CLI::Range(1, 1000000));
  command->add_option("--warmup", options->request.warmup, "Untimed runs first (default 5)")
      ->check(CLI::Range(0, 1000000));
  command->add_option("--threads", options->request.threads, "Runtime threads (default 1)")->check(CLI::Range(1, 256));
  command->add_option("--rounds", options->request.rounds,
                      "With --external: rounds alternating between edgeport and the other runtime (default 5)")
      ->check(CLI::Range(1, 1000));
  command->add_option("--input-shape", options->input_shape, "Input shape, e.g. 1,3,224,224");
  command->add_flag("--external", options->request.external,
                    "Also measure .onnx files in ONNX Runtime and .tflite files in LiteRT (see `edgeport doctor`)");
  command->add_flag("--markdown", options->markdown, "Print the table as Markdown");
  command->add_flag("--json", options->json, "Machine-readable output");
  command->callback([options] {
    BenchRequest request = options->request;
    request.models.assign(options->models.begin(), options->models.end());
    request.load.input_shape = parse_shape_option(options->input_shape);
    const nlohmann::json results = bench_models(request);
    if (options->json) {
      std::cout << results.dump(2) << "\n";
    } else if (options->markdown) {
      std::cout << format_bench_markdown(results);
    } else {
      std::cout << format_bench_table(results);
    }
  });
}

}  // namespace edgeport::cli
