#include "pipeline/export_stages.h"

#include <sstream>

#include "core/error.h"
#include "core/progress.h"
#include "pipeline/compare_models.h"
#include "pipeline/decision_gates.h"
#include "pipeline/decision_metrics.h"
#include "pipeline/external_runtimes.h"
#include "pipeline/float_interface.h"
#include "quant/report.h"

namespace edgeport {

namespace {

ExternalRuntimes external_judges(const ExportRequest& request) {
  if (!request.verify_external) return {};
  const ExternalRuntimes runtimes = find_external_runtimes();
  const std::string why = runtimes.notes.empty() ? std::string("see edgeport doctor") : runtimes.notes.front();
  if (!runtimes.onnxruntime && !request.skip_onnx) {
    throw Error("--verify-external: ONNX Runtime is not available (" + why + ")");
  }
  if (!runtimes.litert && !request.skip_tflite) {
    throw Error("--verify-external: LiteRT is not available (" + why + ")");
  }
  return runtimes;
}

// Quantized files must reach the SQNR floor, float ones the float tolerance;
// what was missed, naming the file and the judge, or nothing when it holds.
std::optional<std::string> missed_bound(const ExportRequest& request, const Artifact& artifact,
                                        const ModelComparison& figures, const std::string& judge) {
  std::ostringstream failure;
  failure << artifact.file << " in " << judge << ": ";
  if (artifact.quantized) {
    if (figures.sqnr_db >= request.min_sqnr_db) return std::nullopt;
    failure << "SQNR " << format_db(figures.sqnr_db) << " dB below the floor of " << format_db(request.min_sqnr_db)
            << " dB";
  } else {
    if (request.float_tolerance.holds(figures)) return std::nullopt;
    failure << "max abs diff " << figures.max_abs_diff << " above " << request.float_tolerance.bound(figures) << " ("
            << request.float_tolerance.describe() << ", max|reference| " << figures.reference_max_abs << ")";
  }
  return failure.str();
}

// The real runtimes return a model's first output only.
OutputSets first_outputs(const OutputSets& outputs) {
  OutputSets firsts;
  for (const auto& set : outputs) firsts.push_back({set.at(0)});
  return firsts;
}

// Judges one staged file against the float model's outputs of the load
// stage; failures are collected so that one run reports all of them.
class ArtifactJudge {
 public:
  ArtifactJudge(const ExportRequest& request, const ExportSource& source, const StagingDirectory& staging,
                StagePrinter& stages)
      : request_(request),
        source_(source),
        staging_(staging),
        stages_(stages),
        runtimes_(external_judges(request)),
        reference_outputs_(source.reference_outputs),
        decision_kind_(decision_kind(source.reference)) {}

  nlohmann::json judge(const Artifact& artifact) {
    const std::filesystem::path staged = staging_.path(artifact.file);
    const LoadedModel written = load_model(staged);
    // An int8-interface file is judged through its own input and output parameters.
    const std::vector<LabelledInputs> inputs = inputs_for(written.graph, source_.reference, source_.inputs);
    const OutputSets ours = run_on_input_sets(with_float_interface(written.graph), inputs);
    const ModelComparison figures = compare_output_sets(source_.inputs, reference_outputs_, ours).overall;
    const DecisionFigures decisions = decide(reference_outputs_, ours);
    nlohmann::json verification = {{"edgeport_runtime", comparison_json(figures)}};
    if (decision_kind_ != DecisionKind::None) verification["edgeport_runtime"]["decisions"] = decision_json(decisions);
    check(artifact, figures, decisions, "edgeport's runtime");
    stages_.line(artifact.file + " (edgeport runtime): " + format_comparison(figures));
    if (decision_kind_ != DecisionKind::None) stages_.line("  decisions: " + format_decisions(decisions));
    if (request_.verify_external) judge_externally(artifact, staged, written.graph, inputs, ours, verification);
    nlohmann::json entry = {{"file", artifact.file},
                            {"kind", artifact.kind},
                            {"precision", artifact.precision},
                            {"form", artifact.form},
                            {"bytes", std::filesystem::file_size(staged)},
                            {"verification", verification}};
    if (!artifact.arena.is_null()) entry["arena"] = artifact.arena;
    if (!forced_.empty()) {
      entry["written_with_force_despite"] = forced_;
      for (const std::string& miss : forced_) stages_.line("warning: written with --force: " + miss);
      forced_.clear();
    }
    return entry;
  }

  const std::vector<std::string>& failures() const { return failures_; }

 private:
  void judge_externally(const Artifact& artifact, const std::filesystem::path& staged, const Graph& written,
                        const std::vector<LabelledInputs>& inputs, const OutputSets& ours,
                        nlohmann::json& verification) {
    const ExternalRuntime runtime = artifact.kind == "onnx" ? ExternalRuntime::OnnxRuntime : ExternalRuntime::LiteRt;
    const OutputSets theirs = run_external_on_input_sets(runtimes_, runtime, staged, written, inputs);
    const ModelComparison against_reference =
        compare_output_sets(source_.inputs, first_outputs(reference_outputs_), theirs).overall;
    const ModelComparison against_ours = compare_output_sets(source_.inputs, first_outputs(ours), theirs).overall;
    const DecisionFigures decisions = decide(first_outputs(reference_outputs_), theirs);
    nlohmann::json& entry = verification[runtime == ExternalRuntime::OnnxRuntime ? "onnxruntime" : "litert"];
    entry = {{"vs_float_model", comparison_json(against_reference)},
             {"vs_edgeport_runtime", comparison_json(against_ours)}};
    if (decision_kind_ != DecisionKind::None) entry["vs_float_model"]["decisions"] = decision_json(decisions);
    check(artifact, against_reference, decisions, to_string(runtime));
    stages_.line(artifact.file + " (" + to_string(runtime) + "): " + format_comparison(against_reference) +
                 "; vs edgeport runtime max abs diff " + std::to_string(against_ours.max_abs_diff));
  }

  DecisionFigures decide(const OutputSets& reference, const OutputSets& candidate) const {
    return decision_figures(decision_kind_, source_.inputs, reference, candidate, request_.threshold);
  }

  // Float files keep the float rule alone: it is far tighter than any
  // decision gate.
  void check(const Artifact& artifact, const ModelComparison& figures, const DecisionFigures& decisions,
             const std::string& judge) {
    std::vector<std::string> missed;
    if (auto failure = missed_bound(request_, artifact, figures, judge)) missed.push_back(std::move(*failure));
    if (artifact.quantized) {
      for (const std::string& gate : missed_decision_gates(request_.decision_gates, decisions)) {
        missed.push_back(artifact.file + " in " + judge + ": " + gate);
      }
    }
    for (std::string& miss : missed) {
      if (!artifact.activations_quantized_at_run_time) {
        failures_.push_back(std::move(miss));
      } else if (request_.force) {
        forced_.push_back(std::move(miss));
      } else {
        failures_.push_back(miss + " (" + artifact.form +
                            ": activations are quantized at run time; --force writes it anyway)");
      }
    }
  }

  const ExportRequest& request_;
  const ExportSource& source_;
  const StagingDirectory& staging_;
  StagePrinter& stages_;
  const ExternalRuntimes runtimes_;
  const OutputSets& reference_outputs_;
  const DecisionKind decision_kind_;
  std::vector<std::string> failures_;
  std::vector<std::string> forced_;  // of the file being judged
};

}  // namespace

Verification verify_stage(const ExportRequest& request, const ExportSource& source,
                          const std::vector<Artifact>& artifacts, const StagingDirectory& staging,
                          StagePrinter& stages) {
  stages.begin("verify every file against the float model (" + std::to_string(source.inputs.size()) + " inputs)");
  ArtifactJudge judge(request, source, staging, stages);
  Verification verification{nlohmann::json::array(), {}};
  ProgressScope progress("files", artifacts.size());
  for (const Artifact& artifact : artifacts) {
    verification.artifact_entries.push_back(judge.judge(artifact));
    progress.step();
  }
  stages.end();
  verification.failures = judge.failures();
  return verification;
}

}  // namespace edgeport
