#include "pipeline/run_model.h"

#include "core/error.h"
#include "core/file_io.h"
#include "core/npy.h"
#include "pipeline/float_interface.h"
#include "pipeline/heatmap.h"
#include "pipeline/image.h"
#include "pipeline/inputs.h"
#include "pipeline/layout_adapter.h"
#include "pipeline/run_directory.h"
#include "pipeline/run_text.h"
#include "runtime/session.h"

namespace edgeport {

void run_model(const RunRequest& request, std::ostream& out, std::ostream& err) {
  for (const auto& output : {request.output_npy, request.heatmap_png, request.csv}) {
    if (output) check_output_file(*output);
  }
  LoadedModel model = load_model(request.model, request.load);
  // A file with integer ends takes and returns real values here, through its own parameters.
  model.graph = with_float_interface(model.graph);
  const Session session(model.graph, RunOptions{.hybrid = request.hybrid, .integer = request.integer});
  if (request.input && std::filesystem::is_directory(*request.input)) {
    if (request.output_npy || request.heatmap_png) {
      throw Error(request.input->string() + ": --output and --heatmap take a single input, not a directory");
    }
    run_directory(request, model, session, out, err);
    return;
  }
  if (request.csv) throw Error("--csv needs a directory of images as --input");
  if (request.heatmap_png && (!request.input || !is_image_path(*request.input))) {
    throw Error("--heatmap needs an image (.png/.jpg) as --input");
  }
  if (model.graph.inputs.size() != 1) {
    throw Error(request.model.string() + ": models with " + std::to_string(model.graph.inputs.size()) +
                " inputs are not supported by run");
  }
  const Value& declared = model.graph.value(model.graph.inputs.front());
  const Tensor input = request.input ? load_input(*request.input, model.graph, request.resize)
                                     : seeded_random_input(declared.shape, request.seed);
  out << "model: " << request.model.string() << " (" << to_string(model.format);
  if (!model.arch.empty()) out << ", " << model.arch << (model.arch_inferred ? ", inferred" : "");
  out << ")\n";
  out << "input '" << declared.name << "': " << shape_to_string(declared.shape) << " from "
      << (request.input ? request.input->string() : "seeded random normal (seed " + std::to_string(request.seed) + ")")
      << "\n";
  const std::vector<Tensor> outputs = session.run({input});
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    out << "output '" << model.graph.value(model.graph.outputs[i]).name << "': " << describe_output(outputs[i]) << "\n";
  }
  const Tensor& output = outputs.front();
  if (is_patch_detector(model.graph)) {
    out << describe_detection(summarize_patch_logits(output, request.aggregation), request.aggregation) << "\n";
  }
  if (request.output_npy) {
    write_npy(*request.output_npy, output);
    out << "wrote " << request.output_npy->string() << "\n";
  }
  if (request.heatmap_png) {
    // load_input accepted the file as an image, so the model takes one.
    const ImageInputLayout layout = *image_input_layout(model.graph);
    const Tensor logits = interface_to_nchw(model.graph, output);
    const ScaledPatchMap map = scale_patch_logits(logits, request.heatmap_scale);
    const std::vector<std::string> caption =
        heatmap_caption(summarize_patch_logits(logits, request.aggregation), request.aggregation, map.legend);
    write_heatmap_png(*request.heatmap_png,
                      draw_heatmap(load_image(*request.input), layout.height, layout.width, map, caption));
    out << "wrote " << request.heatmap_png->string() << " (colours: " << to_string(request.heatmap_scale) << ")\n";
  }
}

}  // namespace edgeport
