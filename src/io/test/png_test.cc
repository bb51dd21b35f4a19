#include "io/png.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <string>
#include <vector>

#include "io/test/test_util.h"

namespace hyperdef::io {
namespace {

using test_util::U32;
using Chunk = test_util::PngChunk;
std::vector<Chunk> ReadChunks(const std::string& png) { return test_util::ReadPngChunks(png); }

TEST(Png, ChunksCrcsAndPixelsRoundTrip) {
  RgbImage img(5, 3, {10, 20, 30});
  img.Set(4, 2, {255, 0, 128});
  img.Set(9, 9, {1, 1, 1});  // outside: clipped
  const std::string png = EncodePng(img);
  const std::vector<Chunk> chunks = ReadChunks(png);
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].type, "IHDR");
  EXPECT_EQ(chunks[1].type, "IDAT");
  EXPECT_EQ(chunks[2].type, "IEND");
  EXPECT_TRUE(chunks[2].data.empty());
  ASSERT_EQ(chunks[0].data.size(), 13u);
  EXPECT_EQ(U32(chunks[0].data, 0), 5u);
  EXPECT_EQ(U32(chunks[0].data, 4), 3u);
  EXPECT_EQ(chunks[0].data[8], 8);  // bit depth
  EXPECT_EQ(chunks[0].data[9], 2);  // colour type RGB
  // IDAT inflates to height * (1 filter byte + 3 * width).
  std::vector<Bytef> raw(3 * (1 + 3 * 5) + 16);
  uLongf size = raw.size();
  ASSERT_EQ(uncompress(raw.data(), &size, reinterpret_cast<const Bytef*>(chunks[1].data.data()),
                       chunks[1].data.size()),
            Z_OK);
  ASSERT_EQ(size, 3u * (1 + 3 * 5));
  EXPECT_EQ(raw[0], 0);  // filter none
  EXPECT_EQ(raw[1], 10);
  const size_t last = 2 * 16 + 1 + 4 * 3;
  EXPECT_EQ(raw[last], 255);
  EXPECT_EQ(raw[last + 2], 128);
}

TEST(Png, ViridisEndsAndMonotoneLuminance) {
  EXPECT_EQ(Viridis(0.0), (Rgb{68, 1, 84}));
  EXPECT_EQ(Viridis(1.0), (Rgb{253, 231, 37}));
  EXPECT_EQ(Viridis(-1.0), Viridis(0.0));
  double prev = -1.0;
  for (int k = 0; k <= 100; ++k) {
    const Rgb c = Viridis(k / 100.0);
    const double lum = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
    EXPECT_GE(lum, prev - 1.0);
    prev = lum;
  }
}

TEST(Png, HeatMapLayoutNorthUp) {
  // 2 x 4 cells of 90 deg: the northern row is 1, the southern 0.
  const std::vector<double> v{0, 0, 0, 0, 1, 1, 1, 1};
  const RgbImage img = HeatMapImage(v, 2, 4, 90.0, 10);
  EXPECT_EQ(img.width, 4 * 10 + 16);
  EXPECT_EQ(img.Get(8 + 5, 8 + 2), Viridis(1.0));       // top row: north
  EXPECT_EQ(img.Get(8 + 5, 8 + 10 + 5), Viridis(0.0));  // bottom row: south
  EXPECT_FALSE(EncodePng(img).empty());
  EXPECT_THROW(HeatMapImage(v, 3, 4, 60.0, 10), std::invalid_argument);
}

}  // namespace
}  // namespace hyperdef::io
