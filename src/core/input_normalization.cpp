#include "core/input_normalization.h"

#include <sstream>
#include <string>

namespace edgeport {
namespace {

constexpr char kMean[] = "input_mean";
constexpr char kStd[] = "input_std";
constexpr char kPixels[] = "input_pixels";
constexpr char kRawPixels[] = "0..255";

std::optional<std::array<float, 3>> parse_triplet(const std::string& text) {
  std::array<float, 3> values{};
  std::stringstream stream(text);
  std::string item;
  std::size_t count = 0;
  while (std::getline(stream, item, ',')) {
    if (count == 3) return std::nullopt;
    try {
      values[count++] = std::stof(item);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  if (count != 3) return std::nullopt;
  return values;
}

}  // namespace

std::optional<Normalization> graph_normalization(const Graph& graph) {
  if (takes_raw_pixels(graph)) {
    constexpr float kOneLevel = 1.0f / 255.0f;
    return Normalization{{0.0f, 0.0f, 0.0f}, {kOneLevel, kOneLevel, kOneLevel}};
  }
  auto mean = graph.metadata.find(kMean);
  auto std = graph.metadata.find(kStd);
  if (mean == graph.metadata.end() || std == graph.metadata.end()) return std::nullopt;
  auto parsed_mean = parse_triplet(mean->second);
  auto parsed_std = parse_triplet(std->second);
  if (!parsed_mean || !parsed_std) return std::nullopt;
  return Normalization{*parsed_mean, *parsed_std};
}

bool takes_raw_pixels(const Graph& graph) {
  const auto pixels = graph.metadata.find(kPixels);
  return pixels != graph.metadata.end() && pixels->second == kRawPixels;
}

void mark_raw_pixels(Graph& graph) {
  graph.metadata.erase(kMean);
  graph.metadata.erase(kStd);
  graph.metadata[kPixels] = kRawPixels;
}

}  // namespace edgeport
