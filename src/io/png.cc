#include "io/png.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace hyperdef::io {

namespace {

void PutU32(std::string* s, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) s->push_back(static_cast<char>((v >> shift) & 0xff));
}

// length, type, data, CRC over type + data (the length is not covered).
void PutChunk(std::string* s, const char type[4], const std::string& data) {
  PutU32(s, static_cast<std::uint32_t>(data.size()));
  const std::string body = std::string(type, 4) + data;
  s->append(body);
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(body.data()),
                          static_cast<uInt>(body.size()));
  PutU32(s, static_cast<std::uint32_t>(crc));
}

}  // namespace

RgbImage::RgbImage(int w, int h, Rgb fill) : width(w), height(h) {
  if (w <= 0 || h <= 0) throw std::invalid_argument("RgbImage: width and height must be > 0");
  pixels.resize(static_cast<size_t>(w) * static_cast<size_t>(h) * 3);
  for (size_t k = 0; k < pixels.size(); k += 3) std::copy(fill.begin(), fill.end(), &pixels[k]);
}

void RgbImage::Set(int x, int y, Rgb c) {
  if (x < 0 || y < 0 || x >= width || y >= height) return;  // clipped: drawing code stays simple
  std::copy(c.begin(), c.end(), &pixels[(static_cast<size_t>(y) * width + x) * 3]);
}

Rgb RgbImage::Get(int x, int y) const {
  const size_t k = (static_cast<size_t>(y) * width + x) * 3;
  return {pixels[k], pixels[k + 1], pixels[k + 2]};
}

std::string EncodePng(const RgbImage& image) {
  if (image.width <= 0 || image.height <= 0 ||
      image.pixels.size() != static_cast<size_t>(image.width) * image.height * 3)
    throw std::runtime_error("EncodePng: empty or inconsistent image");
  std::string out = "\x89PNG\r\n\x1a\n";
  std::string ihdr;
  PutU32(&ihdr, static_cast<std::uint32_t>(image.width));
  PutU32(&ihdr, static_cast<std::uint32_t>(image.height));
  ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // depth 8, RGB, deflate, filter 0, no interlace
  PutChunk(&out, "IHDR", ihdr);
  // Raw scanlines, each prefixed with filter type 0 (none).
  const size_t row = static_cast<size_t>(image.width) * 3;
  std::vector<Bytef> raw;
  raw.reserve((row + 1) * image.height);
  for (int y = 0; y < image.height; ++y) {
    raw.push_back(0);
    raw.insert(raw.end(), image.pixels.begin() + static_cast<long>(y * row),
               image.pixels.begin() + static_cast<long>((y + 1) * row));
  }
  uLongf size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<Bytef> z(size);
  if (compress2(z.data(), &size, raw.data(), static_cast<uLong>(raw.size()), 6) != Z_OK)
    throw std::runtime_error("EncodePng: zlib compress2 failed");
  PutChunk(&out, "IDAT", std::string(reinterpret_cast<const char*>(z.data()), size));
  PutChunk(&out, "IEND", "");
  return out;
}

void WritePng(const RgbImage& image, std::ostream& out) {
  const std::string bytes = EncodePng(image);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

Rgb Viridis(double v) {
  // matplotlib viridis at 0, 1/8, ..., 1.
  static constexpr std::array<Rgb, 9> kStops{{{68, 1, 84},
                                              {71, 44, 122},
                                              {59, 81, 139},
                                              {44, 113, 142},
                                              {33, 144, 141},
                                              {39, 173, 129},
                                              {92, 200, 99},
                                              {170, 220, 50},
                                              {253, 231, 37}}};
  if (!(v > 0.0)) return kStops.front();  // also NaN
  if (v >= 1.0) return kStops.back();
  const double x = v * 8.0;
  const int k = std::min(7, static_cast<int>(x));
  const double w = x - k;
  Rgb c;
  for (int ch = 0; ch < 3; ++ch)
    c[static_cast<size_t>(ch)] = static_cast<std::uint8_t>(
        std::lround((1.0 - w) * kStops[static_cast<size_t>(k)][static_cast<size_t>(ch)] +
                    w * kStops[static_cast<size_t>(k) + 1][static_cast<size_t>(ch)]));
  return c;
}

RgbImage HeatMapImage(const std::vector<double>& values, int n_lat, int n_lon, double grid_deg,
                      int cell_px) {
  if (n_lat <= 0 || n_lon <= 0 || cell_px <= 0 ||
      values.size() != static_cast<size_t>(n_lat) * static_cast<size_t>(n_lon))
    throw std::invalid_argument("HeatMapImage: values must hold n_lat * n_lon cells");
  const int margin = 8, bar_h = 16, tick_h = 5;
  const int map_w = n_lon * cell_px, map_h = n_lat * cell_px;
  RgbImage img(map_w + 2 * margin, map_h + 3 * margin + bar_h + tick_h, {255, 255, 255});
  for (int i = 0; i < n_lat; ++i) {
    const int y0 = margin + (n_lat - 1 - i) * cell_px;  // north up
    for (int j = 0; j < n_lon; ++j) {
      const Rgb c = Viridis(values[static_cast<size_t>(i * n_lon + j)]);
      for (int dy = 0; dy < cell_px; ++dy)
        for (int dx = 0; dx < cell_px; ++dx) img.Set(margin + j * cell_px + dx, y0 + dy, c);
    }
  }
  // Graticule every 30 deg: pixel column/row of a longitude/latitude on the map.
  const double px_per_deg = cell_px / grid_deg;
  for (int deg = -150; deg <= 150; deg += 30) {
    const Rgb c = deg == 0 ? Rgb{40, 40, 40} : Rgb{150, 150, 150};
    const int x = margin + static_cast<int>(std::lround((deg + 180.0) * px_per_deg));
    for (int y = margin; y < margin + map_h; ++y) img.Set(x, y, c);
    if (deg > -90 && deg < 90) {
      const int y = margin + static_cast<int>(std::lround((90.0 - deg) * px_per_deg));
      for (int x2 = margin; x2 < margin + map_w; ++x2) img.Set(x2, y, c);
    }
  }
  // Legend: 0 at the left edge of the map, 1 at the right.
  const int bar_y = margin * 2 + map_h;
  for (int x = 0; x < map_w; ++x) {
    const Rgb c = Viridis(map_w > 1 ? static_cast<double>(x) / (map_w - 1) : 0.0);
    for (int y = 0; y < bar_h; ++y) img.Set(margin + x, bar_y + y, c);
  }
  for (int q = 0; q <= 4; ++q) {
    const int x = margin + static_cast<int>(std::lround(q * (map_w - 1) / 4.0));
    for (int y = 0; y < tick_h; ++y) img.Set(x, bar_y + bar_h + y, {0, 0, 0});
  }
  return img;
}

}  // namespace hyperdef::io
