#include "pipeline/text_raster.h"

#include <algorithm>
#include <cmath>
#include <vector>

// The header defines every function static; those edgeport does not call
// would each warn.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb_easy_font.h>
#pragma GCC diagnostic pop

namespace edgeport {

namespace {

// stb_easy_font takes char* it does not modify.
std::vector<char> c_string(const std::string& text) {
  std::vector<char> buffer(text.begin(), text.end());
  buffer.push_back('\0');
  return buffer;
}

struct Vertex {
  float x, y, z;
  std::uint8_t colour[4];
};
static_assert(sizeof(Vertex) == 16, "stb_easy_font writes 16-byte vertices");

}  // namespace

int text_width(const std::string& text, int scale) {
  std::vector<char> buffer = c_string(text);
  return stb_easy_font_width(buffer.data()) * scale;
}

int text_line_height(int scale) { return 12 * scale; }

void draw_text(Image& image, int left, int top, const std::string& text, int scale,
               const std::array<std::uint8_t, 3>& colour) {
  std::vector<char> buffer = c_string(text);
  // Its documentation: about 270 bytes of vertices per character.
  std::vector<Vertex> vertices((text.size() + 1) * 300 / sizeof(Vertex) + 4);
  const int quads = stb_easy_font_print(0, 0, buffer.data(), nullptr, vertices.data(),
                                        static_cast<int>(vertices.size() * sizeof(Vertex)));
  // Each quad is an axis-aligned rectangle: its first and third vertices are
  // opposite corners, on whole pixels.
  for (int quad = 0; quad < quads; ++quad) {
    const Vertex& first = vertices[static_cast<std::size_t>(quad) * 4];
    const Vertex& third = vertices[static_cast<std::size_t>(quad) * 4 + 2];
    const int x0 = left + static_cast<int>(std::lround(first.x)) * scale;
    const int y0 = top + static_cast<int>(std::lround(first.y)) * scale;
    const int x1 = left + static_cast<int>(std::lround(third.x)) * scale;
    const int y1 = top + static_cast<int>(std::lround(third.y)) * scale;
    for (int y = std::max(0, y0); y < std::min(image.height, y1); ++y) {
      for (int x = std::max(0, x0); x < std::min(image.width, x1); ++x) {
        std::uint8_t* pixel = &image.rgb[(static_cast<std::size_t>(y) * image.width + x) * 3];
        std::copy(colour.begin(), colour.end(), pixel);
      }
    }
  }
}

}  // namespace edgeport
