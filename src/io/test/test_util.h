// Helpers shared by the io tests: PNG chunk splitting (with zlib CRC checks) and token scanning.
#pragma once

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

namespace hyperdef::io::test_util {

// Big-endian 32-bit integer at s[at..at+4).
inline std::uint32_t U32(const std::string& s, size_t at) {
  std::uint32_t v = 0;
  for (size_t k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(s[at + k]);
  return v;
}

struct PngChunk {
  std::string type, data;
};

// Splits a PNG file into chunks, checking the signature, every chunk's CRC (zlib) and that the
// chunks fill the file exactly (failures are reported through gtest).
inline std::vector<PngChunk> ReadPngChunks(const std::string& png) {
  std::vector<PngChunk> chunks;
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const std::uint32_t len = U32(png, at);
    const std::string body = png.substr(at + 4, 4 + len);
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(body.data()),
                            static_cast<uInt>(body.size()));
    EXPECT_EQ(U32(png, at + 8 + len), static_cast<std::uint32_t>(crc)) << body.substr(0, 4);
    chunks.push_back({body.substr(0, 4), body.substr(4)});
    at += 12 + len;
  }
  EXPECT_EQ(at, png.size());
  return chunks;
}

// Every text between `open` and the next `close`.
inline std::vector<std::string> Tokens(const std::string& s, const std::string& open,
                                       const std::string& close) {
  std::vector<std::string> out;
  size_t at = 0;
  while ((at = s.find(open, at)) != std::string::npos) {
    at += open.size();
    const size_t end = s.find(close, at);
    if (end == std::string::npos) break;
    out.push_back(s.substr(at, end - at));
    at = end;
  }
  return out;
}

}  // namespace hyperdef::io::test_util
