#include "pipeline/export_stages.h"

#include "core/error.h"
#include "core/progress.h"

namespace edgeport {

namespace {

LoadedModel load_unfolded(const ExportRequest& request) {
  LoadOptions options = request.load;
  options.fold = false;
  return load_model(request.model, options);
}

std::string describe_interface(const LoadedModel& model) {
  const Value& input = model.graph.value(model.graph.inputs.at(0));
  const Value& output = model.graph.value(model.graph.outputs.at(0));
  return to_string(model.format) + (model.arch.empty() ? "" : ", " + model.arch) +
         (model.arch_inferred ? " (inferred from the keys)" : "") + ", input '" + input.name + "' " +
         shape_to_string(input.shape) + ", output '" + output.name + "' " + shape_to_string(output.shape);
}

// The graph's inputs, outputs and metadata, without nodes or weights: what
// the summary and the decision figures read of the reference.
Graph interface_of(const Graph& graph) {
  Graph interface;
  interface.metadata = graph.metadata;
  for (int input : graph.inputs) {
    const Value& value = graph.value(input);
    interface.add_input(value.name, value.dtype, value.shape);
  }
  for (int output : graph.outputs) {
    Value value = graph.value(output);
    value.constant.reset();
    interface.values.push_back(std::move(value));
    interface.mark_output(static_cast<int>(interface.values.size()) - 1);
  }
  return interface;
}

// The samples, then the calibration images of an image model (the bundled
// set unless a directory is given). Random tensors cannot stand for photos:
// a quantized file needs at least one real input.
std::vector<std::filesystem::path> input_files(const ExportRequest& request, const Graph& reference,
                                               nlohmann::json& calibration) {
  std::vector<std::filesystem::path> files = request.samples;
  if (takes_images(reference)) {
    const std::vector<std::filesystem::path> images =
        calibration_images(request.calibration_dir, request.calibration_count);
    calibration = {{"directory", request.calibration_dir ? request.calibration_dir->string()
                                                         : bundled_calibration_directory().string()},
                   {"bundled", !request.calibration_dir.has_value()},
                   {"images", images.size()}};
    files.insert(files.end(), images.begin(), images.end());
  } else if (request.calibration_dir) {
    throw Error(request.calibration_dir->string() + ": calibration images need a model taking [1,3,H,W], " +
                request.model.string() + " takes " + shape_to_string(reference.value(reference.inputs.at(0)).shape));
  }
  if (files.empty() && request.quantization != "none") {
    throw Error(request.model.string() + ": a quantized file is not judged on random tensors alone and the model " +
                "does not take images; pass --sample FILE.npy");
  }
  if (files.empty() && request.random_inputs == 0) {
    throw Error(request.model.string() + ": no verification inputs; pass --sample FILE.npy or --random N");
  }
  return files;
}

}  // namespace

ExportSource load_stage(const ExportRequest& request, StagePrinter& stages) {
  stages.begin("load " + request.model.string());
  ExportSource source;
  // The file is read once: the unfolded model is run for the reference
  // outputs, then folded in place, so that a deep model's weights are never
  // held twice.
  LoadedModel model = load_unfolded(request);
  stages.line(describe_interface(model));
  const std::vector<std::filesystem::path> files = input_files(request, model.graph, source.calibration);
  source.inputs = make_input_sets(model.graph, files, request.random_inputs, request.seed);
  Float16RangeRun reference_run =
      progress_phase("float model", [&] { return run_checking_float16_range(model.graph, source.inputs); });
  source.reference_outputs = std::move(reference_run.outputs);
  source.float16_overflows = std::move(reference_run.overflows);
  source.reference = interface_of(model.graph);
  fold_model(model.graph);
  source.folded = std::move(model);
  if (!source.float16_overflows.empty()) {
    stages.notice("warning: activations pass float16's range (65504): " +
                  describe_float16_overflows(source.float16_overflows) +
                  "; GPU and NPU delegates that compute in float16 will overflow (edgeport's files compute in "
                  "float32" + (request.quantization == "float16" ? ", float16 only stores their weights" : "") +
                  ")\n");
  }
  stages.end();
  return source;
}

}  // namespace edgeport
