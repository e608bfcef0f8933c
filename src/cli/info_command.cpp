#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "pipeline/c_array_export.h"
#include "pipeline/model_info.h"

namespace edgeport::cli {

void add_info_command(CLI::App& app) {
  struct Options {
    std::string model;
    bool json = false;
    std::string c_array_dir;
    std::string c_name;
  };
  auto options = std::make_shared<Options>();
  CLI::App* command = app.add_subcommand(
      "info", "Describe a model file: a checkpoint's tensors and architecture, an ONNX or TFLite file's "
              "interface, ops, tensors, quantization and metadata");
  command->add_option("model", options->model, "Model file (.pt, .onnx, .tflite, .eqm)")->required();
  command->add_flag("--json", options->json, "Machine-readable output");
  CLI::Option* c_array = command->add_option("--c-array", options->c_array_dir,
                      "TFLite files: also write the file as C++ for TFLite Micro firmware, <name>_model.h and "
                      "<name>_model.cc (an aligned const unsigned char array, its length, the interface in comments), "
                      "into this folder");
  command->add_option("--c-name", options->c_name, "With --c-array: the <name> (default the file's stem)")
      ->needs(c_array);
  command->callback([options] {
    std::vector<std::filesystem::path> written;
    if (!options->c_array_dir.empty()) written = write_c_array(options->model, options->c_array_dir, options->c_name);
    nlohmann::json info = model_info(options->model);
    if (!written.empty()) {
      info["c_array"] = nlohmann::json::array();
      for (const auto& path : written) info["c_array"].push_back(path.string());
    }
    // Names come from the file as bytes; JSON output must be UTF-8, so bytes
    // that are not become U+FFFD rather than a failure that names no file.
    std::cout << (options->json ? info.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"
                                : format_model_info(info));
    if (!options->json) {
      for (const auto& path : written) std::cout << "wrote " << path.string() << "\n";
    }
  });
}

}  // namespace edgeport::cli
