#include "pipeline/run_directory.h"

#include <iomanip>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "core/file_io.h"
#include "pipeline/inputs.h"
#include "pipeline/run_text.h"

namespace edgeport {

namespace {

// RFC 4180: a field holding a comma, a quote or a line break is quoted, its
// quotes doubled. Error messages hold commas; file names may.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char character : text) quoted += character == '"' ? std::string("\"\"") : std::string(1, character);
  return quoted + "\"";
}

// The figures of one scored image: its line and its CSV cells.
std::string score_image(const RunRequest& request, bool detector, const Tensor& output, const std::string& name,
                        std::ostream& out) {
  std::ostringstream cells;
  cells << std::setprecision(8);
  if (detector) {
    const DetectionSummary summary = summarize_patch_logits(output, request.aggregation);
    out << name << ": " << describe_detection(summary, request.aggregation) << "\n";
    cells << summary.fake_probability << "," << summary.aggregated_logit << "," << summary.fraction_above_half;
  } else {
    const OutputStats stats = output_stats(output);
    out << name << ": " << describe_output(output) << "\n";
    cells << stats.low << "," << stats.high << "," << stats.mean;
  }
  return cells.str();
}

}  // namespace

void run_directory(const RunRequest& request, const LoadedModel& model, const Session& session, std::ostream& out,
                   std::ostream& err) {
  const std::vector<std::filesystem::path> images = list_images(*request.input);
  if (images.empty()) throw Error(request.input->string() + ": no .png/.jpg/.jpeg images in this directory");
  const bool detector = is_patch_detector(model.graph);
  std::string csv = detector ? "image,fake_probability,aggregated_logit,patches_above_half,error\n"
                             : "image,output_min,output_max,output_mean,error\n";
  std::size_t failed = 0;
  for (const auto& image : images) {
    const std::string name = image.filename().string();
    // Only reading the image may fail per file; a model that cannot run is
    // no reason to go on with the next image.
    std::optional<Tensor> input;
    try {
      input = load_input(image, model.graph, request.resize);
    } catch (const Error& error) {
      ++failed;
      err << "edgeport: error: " << error.what() << "\n";
      csv += csv_field(name) + ",,,," + csv_field(error.what()) + "\n";
      continue;
    }
    const Tensor output = session.run({std::move(*input)}).front();
    csv += csv_field(name) + "," + score_image(request, detector, output, name, out) + ",\n";
  }
  if (request.csv) {
    write_file_atomically(*request.csv, csv);
    out << "wrote " << request.csv->string() << " (" << images.size() << " rows";
    if (failed > 0) out << ", " << failed << " marked in its error column";
    out << ")\n";
  }
  if (failed > 0) {
    const std::size_t scored = images.size() - failed;
    const std::string scored_text = scored == 0   ? "none was scored"
                                    : scored == 1 ? "the other one was scored"
                                                  : "the other " + std::to_string(scored) + " were scored";
    throw Error(request.input->string() + ": " + std::to_string(failed) + " of " + std::to_string(images.size()) +
                " images could not be read (each named above); " + scored_text);
  }
}

}  // namespace edgeport
