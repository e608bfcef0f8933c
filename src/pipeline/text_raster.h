#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "pipeline/image.h"

namespace edgeport {

// Printable ASCII drawn into an RGB image with stb_easy_font's segment font
// (libstb, which edgeport already links): no font files, no new library. At
// scale 1 a line is 12 pixels high and a character about 6 pixels wide;
// larger scales repeat each pixel scale x scale times.
int text_width(const std::string& text, int scale);
int text_line_height(int scale);

// Draws one line with its top-left corner at (left, top); pixels outside the
// image are skipped.
void draw_text(Image& image, int left, int top, const std::string& text, int scale,
               const std::array<std::uint8_t, 3>& colour);

}  // namespace edgeport
