#include "cli/shape_option.h"

#include "core/error.h"

namespace edgeport::cli {

Shape parse_shape_option(const std::string& text) {
  Shape shape;
  std::string item;
  auto flush = [&] {
    std::size_t used = 0;
    long long extent = -1;
    try {
      extent = std::stoll(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != item.size() || extent <= 0) {
      throw Error("--input-shape: '" + text + "' is not a list of positive extents like 1,3,256,256");
    }
    shape.push_back(extent);
    item.clear();
  };
  for (char character : text) {
    if (character == ',' || character == 'x') {
      flush();
    } else {
      item += character;
    }
  }
  if (!text.empty()) flush();
  try {
    shape_numel(shape);
  } catch (const Error& error) {
    throw Error("--input-shape: " + std::string(error.what()));
  }
  return shape;
}

}  // namespace edgeport::cli
