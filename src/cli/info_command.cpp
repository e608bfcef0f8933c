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
    std::cout << (options->json ? info.dump(2) + "\n" : format_model_info(info));
  });
}

}  // namespace edgeport::cli
