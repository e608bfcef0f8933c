#include "pipeline/jpeg_decoder.h"

// jpeglib.h uses FILE and size_t without including their headers.
#include <cstdio>
#include <jerror.h>
#include <jpeglib.h>

#include <algorithm>
#include <csetjmp>
#include <string>
#include <vector>

#include "core/error.h"

namespace edgeport {

bool looks_like_jpeg(std::span<const std::uint8_t> bytes) {
  return bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF;
}

namespace {

// libjpeg's default error_exit calls exit(). Ours longjmps back into the
// guarded call that is running, which reports failure; its caller turns that
// into an Error once no libjpeg frame is left on the stack.
struct ErrorManager {
  jpeg_error_mgr base;  // first member: libjpeg only sees &base
  std::jmp_buf jump;
  bool premature_end = false;
  char message[JMSG_LENGTH_MAX] = {};
};

// Everything libjpeg touches lives here, in the frame of decode_jpeg, not of
// the functions that call setjmp, so no object they own is changed between
// setjmp and longjmp. All members are trivially destructible.
struct Session {
  jpeg_decompress_struct info{};
  ErrorManager errors{};
};

[[noreturn]] void jump_back(j_common_ptr info) {
  auto* errors = reinterpret_cast<ErrorManager*>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->jump, 1);
}

// Pillow ignores libjpeg's warnings (corrupt entropy data is decoded as
// libjpeg repairs it) except running out of data, which it reports as
// "image file is truncated". jpeg_mem_src signals that with JWRN_JPEG_EOF
// and then feeds a fake EOI, so the flag is how we see it.
void note_warning(j_common_ptr info, int level) {
  if (level < 0 && info->err->msg_code == JWRN_JPEG_EOF) {
    reinterpret_cast<ErrorManager*>(info->err)->premature_end = true;
  }
}

// The two guarded calls below hold only trivially destructible locals, so a
// longjmp out of libjpeg skips no destructor. Each returns false on a libjpeg
// error, with its text in session.errors.message.
bool read_header(Session& session, std::span<const std::uint8_t> bytes) {
  if (setjmp(session.errors.jump)) return false;
  jpeg_create_decompress(&session.info);
  jpeg_mem_src(&session.info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&session.info, TRUE);
  return true;
}

bool read_scanlines(Session& session, J_COLOR_SPACE out_color_space, std::uint8_t* pixels, bool& truncated) {
  if (setjmp(session.errors.jump)) return false;
  jpeg_decompress_struct& info = session.info;
  info.out_color_space = out_color_space;
  jpeg_start_decompress(&info);
  const std::size_t row_bytes = static_cast<std::size_t>(info.output_width) * info.output_components;
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = pixels + info.output_scanline * row_bytes;
    jpeg_read_scanlines(&info, &row, 1);
  }
  // Pillow's decoder is done once the last line is out: running out of data
  // after that (a file that lacks only its EOI marker) is no truncation to it,
  // while an error in the markers after the scan still fails both.
  truncated = session.errors.premature_end;
  jpeg_finish_decompress(&info);
  return true;
}

// Pillow's Convert.c cmyk2rgb after its "CMYK;I" unpacking (Adobe's inverted
// CMYK, which libjpeg returns as stored): with c = 255 - stored and
// k = 255 - stored_k, each channel is (255 - k) - (c * (255 - k)) / 255 in
// Pillow's MULDIV255 rounding.
std::uint8_t inverted_cmyk_channel(std::uint8_t stored, std::uint8_t stored_k) {
  const int not_k = stored_k;
  const int product = (255 - stored) * not_k + 128;
  return static_cast<std::uint8_t>(std::clamp(not_k - (((product >> 8) + product) >> 8), 0, 255));
}

std::vector<std::uint8_t> to_rgb(const std::vector<std::uint8_t>& decoded, int components) {
  if (components == 3) return decoded;
  const std::size_t count = decoded.size() / components;
  std::vector<std::uint8_t> rgb(count * 3);
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t* source = &decoded[i * components];
    std::uint8_t* target = &rgb[i * 3];
    if (components == 1) {
      target[0] = target[1] = target[2] = source[0];
    } else {
      for (int c = 0; c < 3; ++c) target[c] = inverted_cmyk_channel(source[c], source[3]);
    }
  }
  return rgb;
}

struct SessionCloser {
  Session& session;
  ~SessionCloser() { jpeg_destroy_decompress(&session.info); }
};

}  // namespace

Image decode_jpeg(const std::filesystem::path& path, std::span<const std::uint8_t> bytes, std::uint64_t max_pixels) {
  Session session;
  session.info.err = jpeg_std_error(&session.errors.base);
  session.errors.base.error_exit = jump_back;
  session.errors.base.emit_message = note_warning;
  // jpeg_destroy_decompress is a no-op until jpeg_create_decompress has run.
  const SessionCloser closer{session};
  const auto libjpeg_failure = [&] {
    return Error(path.string() + ": cannot decode JPEG (libjpeg: " + session.errors.message + ")");
  };

  if (!read_header(session, bytes)) throw libjpeg_failure();
  const jpeg_decompress_struct& info = session.info;
  const int components = info.num_components;
  // Pillow's JPEG plugin opens exactly these as "L", "RGB" and "CMYK".
  J_COLOR_SPACE out_color_space = JCS_UNKNOWN;
  if (components == 1) out_color_space = JCS_GRAYSCALE;
  if (components == 3) out_color_space = JCS_RGB;
  if (components == 4) out_color_space = JCS_CMYK;
  if (out_color_space == JCS_UNKNOWN) {
    throw Error(path.string() + ": JPEG has " + std::to_string(components) +
                " colour components; only 1 (grey), 3 (colour) or 4 (CMYK) can be read");
  }
  const std::uint64_t pixel_count = std::uint64_t{info.image_width} * info.image_height;
  if (pixel_count > max_pixels) {
    throw Error(path.string() + ": JPEG is " + std::to_string(info.image_width) + "x" +
                std::to_string(info.image_height) + " = " + std::to_string(pixel_count) +
                " pixels, over the limit of " + std::to_string(max_pixels));
  }

  std::vector<std::uint8_t> decoded(pixel_count * static_cast<std::uint64_t>(components));
  bool truncated = false;
  if (!read_scanlines(session, out_color_space, decoded.data(), truncated)) throw libjpeg_failure();
  if (truncated) throw Error(path.string() + ": JPEG is truncated (its data ends before the last scan line)");
  return Image{static_cast<int>(info.output_width), static_cast<int>(info.output_height),
               to_rgb(decoded, components)};
}

}  // namespace edgeport
