#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "pipeline/model_info.h"

namespace edgeport::cli {

void add_info_command(CLI::App& app) {
  struct Options {
    std::string model;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "info", "Describe a model file: a checkpoint's tensors and architecture, an ONNX or TFLite file's "
              "interface, ops, tensors, quantization and metadata");
  command->add_option("model", options->model, "Model file (.pt, .onnx, .tflite, .eqm)")->required();
  command->add_flag("--json", options->json, "Machine-readable output");
  command->callback([options] {
    const nlohmann::json info = model_info(options->model);
    // Names come from the file as bytes; JSON output must be UTF-8, so bytes
    // that are not become U+FFFD rather than a failure that names no file.
    std::cout << (options->json ? info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"
                                : format_model_info(info));
  });
}

}  // namespace edgeport::cli
