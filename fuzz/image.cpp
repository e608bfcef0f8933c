// Accepts any bytes as an image file and prepares it as `edgeport run` and
// the calibration set do: load_image (JPEG through libjpeg-turbo, anything
// else through stb_image) then image_to_input. The model input is 16x16, not
// the sample's 256x256: the resampling code is the same at any size, and at
// 256x256 it would take most of each run. load_image reads a path, so each
// input is written to one scratch file.
#include <cstddef>
#include <cstdint>
#include <fstream>

#include "core/error.h"
#include "core/temporary_directory.h"
#include "pipeline/image.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const edgeport::TemporaryDirectory scratch("fuzz-image");
  const std::filesystem::path path = scratch.path() / "input";
  std::ofstream(path, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                               static_cast<std::streamsize>(size));
  try {
    const edgeport::Image image = edgeport::load_image(path);
    edgeport::image_to_input(image, 16, 16, {0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f},
                             edgeport::ResizeFilter::Bicubic);
  } catch (const edgeport::Error&) {
    // The reader refused bad input, as it should.
  }
  return 0;
}
