#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "quant/quant_config.h"

namespace edgeport::cli {

// The quantizer's flags, shared by `quantize` and `export`.
struct QuantFlags {
  int bits = 8;
  bool symmetric = false;
  bool per_tensor = false;
  std::string clip = "percentile";
  bool no_clip = false;
  double clip_percentile = 99.9;
  std::string clip_scope = "channel";
  long long min_elements = 0;
  std::vector<std::string> float_layers;
  std::string rounding = "nearest";
  bool bias_correction = false;

  // export's defaults: the seed's quantizer with adaptive rounding and bias
  // correction, which keep a trained detector's decisions (README, "Default
  // quantization"); `--rounding nearest --no-bias-correction` is the seed's.
  static QuantFlags export_defaults();

  QuantConfig to_config() const;
  // "--float-layers auto" (possibly beside names): the pipeline chooses the
  // fewest extra float layers that meet the floors.
  bool choose_float_layers() const;
};

void add_quant_flags(CLI::App& command, const std::shared_ptr<QuantFlags>& flags);

}  // namespace edgeport::cli
