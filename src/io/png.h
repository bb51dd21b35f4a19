// A minimal PNG writer (8-bit RGB, no interlace, filter 0 on every row): signature, IHDR, one
// IDAT compressed with zlib, IEND; chunk CRCs from zlib's crc32 (PNG spec, W3C 2003, sec. 5).
// Enough for coverage heat maps without pulling in libpng.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace hyperdef::io {

using Rgb = std::array<std::uint8_t, 3>;

struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> pixels;  // row-major, top row first, 3 bytes per pixel
  RgbImage() = default;
  RgbImage(int w, int h, Rgb fill = {0, 0, 0});
  void Set(int x, int y, Rgb c);
  Rgb Get(int x, int y) const;
};

// The PNG file bytes of `image`. Throws std::runtime_error if zlib fails or the image is empty.
std::string EncodePng(const RgbImage& image);
void WritePng(const RgbImage& image, std::ostream& out);

// Viridis-like colour map (piecewise linear through 9 samples of matplotlib's viridis, which is
// perceptually uniform and readable in grey and by colour-blind readers). v clamped to [0, 1].
Rgb Viridis(double v);

// A lat/lon heat map of values in [0, 1]: `values` row-major [i * n_lon + j], i = 0 the southern
// row, j = 0 the western column (-180 deg). Each cell is `cell_px` square pixels, north up;
// grey lines every 30 deg of latitude and longitude (equator and prime meridian darker) for
// orientation; a legend bar 0 -> 1 left to right under the map with ticks at 0, 0.25, ..., 1.
RgbImage HeatMapImage(const std::vector<double>& values, int n_lat, int n_lon, double grid_deg,
                      int cell_px);

}  // namespace hyperdef::io
