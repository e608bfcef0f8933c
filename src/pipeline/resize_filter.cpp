#include "pipeline/resize_filter.h"

#include "core/error.h"

namespace edgeport {

ResizeFilter parse_resize_filter(const std::string& text) {
  if (text == "bicubic") return ResizeFilter::Bicubic;
  if (text == "bilinear") return ResizeFilter::Bilinear;
  throw Error("--resize must be bicubic or bilinear, got '" + text + "'");
}

}  // namespace edgeport
