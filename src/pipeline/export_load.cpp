#include "pipeline/export_stages.h"

namespace edgeport {

namespace {

LoadedModel load_with_folding(const ExportRequest& request, bool fold) {
  LoadOptions options = request.load;
  options.fold = fold;
  return load_model(request.model, options);
}

std::string describe_interface(const LoadedModel& model) {
  const Value& input = model.graph.value(model.graph.inputs.at(0));
  const Value& output = model.graph.value(model.graph.outputs.at(0));
  return to_string(model.format) + (model.arch.empty() ? "" : ", " + model.arch) +
         (model.arch_inferred ? " (inferred from the keys)" : "") + ", input '" + input.name + "' " +
         shape_to_string(input.shape) + ", output '" + output.name + "' " + shape_to_string(output.shape);
}

}  // namespace

ExportSource load_stage(const ExportRequest& request, StagePrinter& stages, std::ostream& out) {
  stages.begin("load " + request.model.string());
  ExportSource source{load_with_folding(request, true), load_with_folding(request, false), {}, {}};
  stages.line(describe_interface(source.reference));
  std::vector<std::filesystem::path> sample_files = request.samples;
  if (request.calibration_dir) {
    for (const auto& image : list_images(*request.calibration_dir)) sample_files.push_back(image);
  }
  source.inputs = make_input_sets(source.reference.graph, sample_files, request.random_inputs, request.seed);
  source.float16_overflows = find_float16_overflows(source.reference.graph, source.inputs);
  if (!source.float16_overflows.empty()) {
    out << "warning: activations pass float16's range (65504): "
        << describe_float16_overflows(source.float16_overflows)
        << "; GPU and NPU delegates that compute in float16 will overflow (edgeport's files compute in float32"
        << (request.quantization == "float16" ? ", float16 only stores their weights" : "") << ")\n";
  }
  stages.end();
  return source;
}

}  // namespace edgeport
