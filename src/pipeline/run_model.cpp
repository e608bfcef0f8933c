#include "pipeline/run_model.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "core/npy.h"
#include "pipeline/image.h"
#include "pipeline/inputs.h"
#include "pipeline/pil_resample.h"
#include "runtime/session.h"

namespace edgeport {

namespace {

std::string format_number(double value, int precision = 6) {
  std::ostringstream text;
  text << std::setprecision(precision) << value;
  return text.str();
}

struct OutputStats {
  float low = 0;
  float high = 0;
  double mean = 0;
};

OutputStats output_stats(const Tensor& output) {
  std::span<const float> values = output.values<float>();
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  double sum = 0;
  for (float value : values) sum += value;
  return {*low, *high, sum / static_cast<double>(values.size())};
}

std::string describe_output(const Tensor& output) {
  const OutputStats stats = output_stats(output);
  return "shape " + shape_to_string(output.shape()) + ", range [" + format_number(stats.low) + ", " +
         format_number(stats.high) + "], mean " + format_number(stats.mean);
}

std::string describe_detection(const DetectionSummary& summary, const Aggregation& aggregation) {
  std::ostringstream text;
  // Six decimals: the probability is compared with the user's PyTorch
  // pipeline to 1e-4, and trained detectors saturate it, so the logit follows.
  text << std::fixed << std::setprecision(6) << "fake probability " << summary.fake_probability << ", "
       << (summary.fake_probability > 0.5 ? "fake" : "real") << " (" << aggregation.to_string();
  if (aggregation.kind == Aggregation::Kind::TopK) text << ", k=" << summary.k_used;
  text << " of " << summary.patches << " patch logits = " << std::defaultfloat << std::setprecision(6)
       << summary.aggregated_logit << "), patches above 0.5: " << std::fixed << std::setprecision(1)
       << 100.0 * summary.fraction_above_half << "%";
  return text.str();
}

void run_directory(const RunRequest& request, const LoadedModel& model, const Session& session, std::ostream& out) {
  const std::vector<std::filesystem::path> images = list_images(*request.input);
  if (images.empty()) throw Error(request.input->string() + ": no .png/.jpg/.jpeg images in this directory");
  const bool detector = is_patch_detector(model.graph);
  std::string csv = detector ? "image,fake_probability,aggregated_logit,patches_above_half\n"
                             : "image,output_min,output_max,output_mean\n";
  for (const auto& image : images) {
    const Tensor output = session.run({load_input(image, model.graph, request.resize)}).front();
    std::ostringstream row;
    row << std::setprecision(8) << image.filename().string() << ",";
    if (detector) {
      const DetectionSummary summary = summarize_patch_logits(output, request.aggregation);
      out << image.filename().string() << ": " << describe_detection(summary, request.aggregation) << "\n";
      row << summary.fake_probability << "," << summary.aggregated_logit << "," << summary.fraction_above_half;
    } else {
      const OutputStats stats = output_stats(output);
      out << image.filename().string() << ": " << describe_output(output) << "\n";
      row << stats.low << "," << stats.high << "," << stats.mean;
    }
    csv += row.str() + "\n";
  }
  if (request.csv) {
    write_file_atomically(*request.csv, csv);
    out << "wrote " << request.csv->string() << " (" << images.size() << " rows)\n";
  }
}

}  // namespace

void run_model(const RunRequest& request, std::ostream& out) {
  for (const auto& output : {request.output_npy, request.heatmap_png, request.csv}) {
    if (output) check_output_file(*output);
  }
  const LoadedModel model = load_model(request.model, request.load);
  const Session session(model.graph, RunOptions{request.hybrid});
  if (request.input && std::filesystem::is_directory(*request.input)) {
    if (request.output_npy || request.heatmap_png) {
      throw Error(request.input->string() + ": --output and --heatmap take a single input, not a directory");
    }
    run_directory(request, model, session, out);
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
    // The heatmap lies over the image the model saw.
    const Image base = pil_resize(load_image(*request.input), static_cast<int>(declared.shape[3]),
                                  static_cast<int>(declared.shape[2]), request.resize);
    write_heatmap_png(*request.heatmap_png, base, patch_probabilities(output));
    out << "wrote " << request.heatmap_png->string() << "\n";
  }
}

}  // namespace edgeport
