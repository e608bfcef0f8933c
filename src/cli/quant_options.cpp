#include "cli/quant_options.h"

#include <algorithm>

#include "cli/number_checks.h"
#include "core/error.h"

namespace edgeport::cli {

QuantFlags QuantFlags::export_defaults() {
  QuantFlags flags;
  flags.rounding = "adaptive";
  flags.bias_correction = true;
  return flags;
}

QuantConfig QuantFlags::to_config() const {
  QuantConfig config;
  config.bits = bits;
  config.symmetric = symmetric;
  config.per_channel = !per_tensor;
  config.clip = no_clip ? ClipMethod::None : parse_clip_method(clip);
  if (no_clip && clip != "percentile" && clip != "none") throw Error("--no-clip contradicts --clip " + clip);
  config.clip_percentile = clip_percentile;
  config.clip_scope = parse_clip_scope(clip_scope);
  config.min_elements = min_elements;
  for (const std::string& name : float_layers) {
    if (name != "auto") config.float_layers.push_back(name);
  }
  config.rounding = parse_rounding(rounding);
  config.bias_correction = bias_correction;
  config.validate();
  return config;
}

bool QuantFlags::choose_float_layers() const {
  return std::find(float_layers.begin(), float_layers.end(), "auto") != float_layers.end();
}

void add_quant_flags(CLI::App& command, const std::shared_ptr<QuantFlags>& flags) {
  command.add_option("--bits", flags->bits, "Weight bits, 2 to 8 (stored in int8)")->check(CLI::Range(2, 8));
  command.add_flag("--symmetric", flags->symmetric,
                   "Symmetric weights (zero point 0, range [-qmax,qmax]); needed for TFLite hybrid kernels");
  command.add_flag("--per-tensor", flags->per_tensor, "One scale per tensor instead of per output channel");
  command.add_option("--clip", flags->clip,
                     "Outlier clipping: percentile, mse, output (by layer output error on calibration data) or none");
  command.add_flag("--no-clip", flags->no_clip, "Same as --clip none");
  command.add_option("--clip-percentile", flags->clip_percentile, "Percentile of |w| to clip at (default 99.9)")
      ->check(percentile());
  command.add_option("--clip-scope", flags->clip_scope,
                     "channel: a clip value per output channel; tensor: one for the whole tensor (the seed's)");
  command.add_option("--min-elements", flags->min_elements, "Leave weights with fewer elements in float32")
      ->check(CLI::NonNegativeNumber);
  command.add_option("--float-layers", flags->float_layers, "Layers whose weights stay float32, NAME,...; auto: the fewest that meet the floors")
      ->delimiter(',');
  command.add_option("--rounding", flags->rounding,
                     "nearest, or adaptive: floor or ceil per weight, chosen by layer output error on calibration data")
      ->capture_default_str();
  command.add_flag("--bias-correction,!--no-bias-correction", flags->bias_correction,
                   "Remove from each bias the mean output shift weight rounding causes on calibration data");
}

}  // namespace edgeport::cli
