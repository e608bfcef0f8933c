#pragma once

#include <string>

namespace edgeport {

// The resampling filters of PIL's Image.resize that image inputs may use.
// Bicubic is what the deployment pipeline calls; bilinear is what
// torchvision's transforms.Resize applies to a PIL image.
enum class ResizeFilter { Bicubic, Bilinear };

// The value of --resize: "bicubic" or "bilinear"; anything else is an Error.
ResizeFilter parse_resize_filter(const std::string& text);

}  // namespace edgeport
