#include "io/plot.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "io/test/test_util.h"

namespace hyperdef::io::plot {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// cairo and fontconfig keep font caches for the life of the process; free them at the end of
// the test program so LeakSanitizer reports only real leaks (one registration per io_tests).
class ReleaseCaches : public ::testing::Environment {
 public:
  void TearDown() override { ReleaseGlobalCaches(); }
};
[[maybe_unused]] ::testing::Environment* const kReleaseCaches =
    ::testing::AddGlobalTestEnvironment(new ReleaseCaches);

// ---- a small PNG decoder (8-bit RGB or RGBA, no interlace), PNG spec (W3C 2003) sec. 9 ----

using test_util::U32;

struct Image {
  int width = 0, height = 0, channels = 0;
  std::vector<std::uint8_t> px;  // row-major, `channels` bytes per pixel
  std::array<int, 3> At(int x, int y) const {
    const size_t i = (static_cast<size_t>(y) * width + x) * channels;
    return {px[i], px[i + 1], px[i + 2]};
  }
};

int Paeth(int a, int b, int c) {
  const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

// Checks the signature and every chunk CRC, inflates the IDAT stream and undoes the filters.
Image DecodePng(const std::string& png) {
  Image img;
  std::string idat;
  int depth = 0, color_type = -1;
  bool iend = false;
  for (const test_util::PngChunk& c : test_util::ReadPngChunks(png)) {
    const std::string& data = c.data;
    if (c.type == "IHDR") {
      img.width = static_cast<int>(U32(data, 0));
      img.height = static_cast<int>(U32(data, 4));
      depth = static_cast<unsigned char>(data[8]);
      color_type = static_cast<unsigned char>(data[9]);
      EXPECT_EQ(static_cast<int>(data[12]), 0);  // no interlace
    }
    if (c.type == "IDAT") idat += data;
    if (c.type == "IEND") iend = true;
  }
  EXPECT_TRUE(iend);
  EXPECT_EQ(depth, 8);
  img.channels = color_type == 2 ? 3 : color_type == 6 ? 4 : 0;
  if (img.channels == 0 || img.width <= 0 || img.height <= 0) {
    ADD_FAILURE() << "unsupported PNG colour type " << color_type;
    return img;
  }
  const size_t stride = static_cast<size_t>(img.width) * img.channels;
  std::vector<std::uint8_t> raw((stride + 1) * img.height);
  uLongf raw_len = raw.size();
  EXPECT_EQ(
      uncompress(raw.data(), &raw_len, reinterpret_cast<const Bytef*>(idat.data()), idat.size()),
      Z_OK);
  EXPECT_EQ(raw_len, raw.size());
  img.px.assign(stride * img.height, 0);
  const int bpp = img.channels;
  for (int y = 0; y < img.height; ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    const std::uint8_t* in = &raw[y * (stride + 1) + 1];
    std::uint8_t* out = &img.px[y * stride];
    const std::uint8_t* up = y > 0 ? &img.px[(y - 1) * stride] : nullptr;
    for (size_t i = 0; i < stride; ++i) {
      const int a = i >= static_cast<size_t>(bpp) ? out[i - bpp] : 0;
      const int b = up ? up[i] : 0;
      const int c = up && i >= static_cast<size_t>(bpp) ? up[i - bpp] : 0;
      int pred = 0;
      switch (filter) {
        case 0:
          pred = 0;
          break;
        case 1:
          pred = a;
          break;
        case 2:
          pred = b;
          break;
        case 3:
          pred = (a + b) / 2;
          break;
        case 4:
          pred = Paeth(a, b, c);
          break;
        default:
          ADD_FAILURE() << "bad filter " << int(filter);
      }
      out[i] = static_cast<std::uint8_t>(in[i] + pred);
    }
  }
  return img;
}

bool Near(const std::array<int, 3>& a, const Rgb8& b, int tol) {
  return std::abs(a[0] - b.r) <= tol && std::abs(a[1] - b.g) <= tol && std::abs(a[2] - b.b) <= tol;
}

// Runs of pixels of colour `c` (within `tol`) along row y.
int RunsInRow(const Image& img, int y, const Rgb8& c, int tol, int* count = nullptr) {
  int runs = 0, n = 0;
  bool in = false;
  for (int x = 0; x < img.width; ++x) {
    const bool hit = Near(img.At(x, y), c, tol);
    n += hit;
    if (hit && !in) ++runs;
    in = hit;
  }
  if (count) *count = n;
  return runs;
}

using test_util::Tokens;

// ---- ticks ----

bool Is125(double step) {
  const double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  const double m = step / mag;
  return std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9;
}

TEST(NiceTicks, KnownRanges) {
  EXPECT_EQ(NiceTicks(0, 10, 6), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(NiceTicks(0, 1000, 5), (std::vector<double>{0, 200, 400, 600, 800, 1000}));
  // 0.84 / 6 = 0.14 rounds up to a step of 0.2; ticks are multiples of it inside the range.
  const std::vector<double> t = NiceTicks(0.13, 0.97, 6);
  ASSERT_EQ(t.size(), 4u);
  for (size_t i = 0; i < t.size(); ++i)
    EXPECT_NEAR(t[i], 0.2 * (i + 1), 1e-12);  // k * step carries only round-off
}

TEST(NiceTicks, DegenerateInput) {
  EXPECT_EQ(NiceTicks(3.5, 3.5), std::vector<double>{3.5});
  EXPECT_TRUE(NiceTicks(kNaN, 1.0).empty());
  EXPECT_TRUE(NiceTicks(0.0, std::numeric_limits<double>::infinity()).empty());
  EXPECT_EQ(NiceTicks(10, 0, 6), NiceTicks(0, 10, 6));  // reversed bounds
  EXPECT_GE(NiceTicks(-1e-9, 1e-9, 3).size(), 2u);
}

// Property: for any range, ticks are 1-2-5 multiples, evenly spaced, inside the range, about
// `target` of them, and none of the range is farther than a step from a tick.
TEST(NiceTicks, PropertiesOverRandomRanges) {
  std::mt19937_64 rng(12345);
  std::uniform_real_distribution<double> exp10(-6, 8), u(-1, 1);
  for (int trial = 0; trial < 2000; ++trial) {
    const double scale = std::pow(10.0, exp10(rng));
    double lo = u(rng) * scale, hi = u(rng) * scale;
    if (lo > hi) std::swap(lo, hi);
    if (hi - lo < 1e-12 * scale) continue;
    const int target = 2 + trial % 9;
    const std::vector<double> t = NiceTicks(lo, hi, target);
    const double step = NiceStep(lo, hi, target);
    ASSERT_GE(t.size(), 2u) << lo << " " << hi;
    // At most ~2.5 × target: the 1-2-5 rounding can shrink the raw step by up to 2.5.
    EXPECT_LE(t.size(), static_cast<size_t>(2.5 * target) + 2) << lo << " " << hi;
    EXPECT_TRUE(Is125(step)) << step;
    const double eps = 1e-9 * step;  // floating round-off of k * step
    EXPECT_GE(t.front(), lo - eps);
    EXPECT_LE(t.back(), hi + eps);
    EXPECT_LT(t.front() - lo, step + eps);
    EXPECT_LT(hi - t.back(), step + eps);
    for (size_t i = 1; i < t.size(); ++i) EXPECT_NEAR(t[i] - t[i - 1], step, 1e-6 * step);
    for (double v : t) EXPECT_NEAR(v / step, std::round(v / step), 1e-6);
  }
}

TEST(LogTicks, DecadesAndShortRanges) {
  EXPECT_EQ(LogTicks(0.5, 2000), (std::vector<double>{1, 10, 100, 1000}));
  EXPECT_EQ(LogTicks(1, 10), (std::vector<double>{1, 10}));
  const std::vector<double> sub = LogTicks(2, 8);  // less than a decade: linear 1-2-5 ticks
  EXPECT_GE(sub.size(), 2u);
  EXPECT_TRUE(LogTicks(0, 10).empty());
  EXPECT_LE(LogTicks(1e-10, 1e10).size(), 11u);  // thinned beyond 8 decades
}

TEST(FormatTick, DecimalsFollowTheStep) {
  EXPECT_EQ(FormatTick(0.1 + 0.2, 0.1), "0.3");
  EXPECT_EQ(FormatTick(-1e-17, 0.2), "0");
  EXPECT_EQ(FormatTick(1500, 500), "1500");
  EXPECT_EQ(FormatTick(2.5, 0.5), "2.5");
  EXPECT_EQ(FormatTick(-0.04, 0.02), "-0.04");
  EXPECT_EQ(FormatTick(1e8, 2e7), "1e+08");
  EXPECT_EQ(FormatTick(2.5e-6, 5e-7), "2.5e-06");
}

TEST(Palette, OkabeItoAndWraps) {
  EXPECT_EQ(PaletteHex(0), "#0072b2");
  EXPECT_EQ(PaletteHex(1), "#d55e00");
  EXPECT_EQ(PaletteHex(8), PaletteHex(0));
  EXPECT_EQ(PaletteHex(-1), PaletteHex(7));
  EXPECT_EQ(PaletteHex(kNeutral), "#969696");
}

// ---- histogram, timeline ----

TEST(Histogram, IntegerDataGetOneBinPerInteger) {
  const Figure f = Histogram("kills", "kills", {0, 1, 1, 2, 2, 2, 3, kNaN});
  ASSERT_EQ(f.series.size(), 1u);
  EXPECT_EQ(f.series[0].x, (std::vector<double>{0, 1, 2, 3}));
  EXPECT_EQ(f.series[0].y, (std::vector<double>{1, 2, 3, 1}));  // the NaN skipped
  EXPECT_EQ(f.series[0].style, Style::kBars);
}

TEST(Histogram, SturgesBinsHoldEveryValue) {
  std::vector<double> v;
  for (int i = 0; i < 1000; ++i) v.push_back(std::sin(i * 1.7) * 50.0 + 0.25);
  const Figure f = Histogram("t", "t (s)", v);
  ASSERT_EQ(f.series.size(), 1u);
  EXPECT_EQ(f.series[0].x.size(), 11u);  // ceil(log2 1000) + 1
  double total = 0;
  for (double c : f.series[0].y) total += c;
  EXPECT_EQ(total, 1000.0);  // the maximum lands in the last bin, not past it
  const Figure g = Histogram("t", "t", v, 4);
  EXPECT_EQ(g.series[0].x.size(), 4u);
  const Figure e = Histogram("t", "t", {kNaN});
  EXPECT_TRUE(e.series.empty());
  const Figure one = Histogram("t", "t", {2.5, 2.5});  // zero spread: a widened range
  ASSERT_EQ(one.series.size(), 1u);
  double n = 0;
  for (double c : one.series[0].y) n += c;
  EXPECT_EQ(n, 2.0);
}

TEST(Timeline, HeightGrowsWithRows) {
  std::vector<TimelineRow> few(2), many(40);
  EXPECT_LT(Timeline("a", "t", few).height_px, Timeline("a", "t", many).height_px);
}

// ---- rendering ----

Figure LineWithGap(bool gap) {
  Figure f;
  f.legend = false;
  f.y_min = 0.0;
  f.y_max = 10.0;
  Series s;
  s.color = 0;
  s.line_width_px = 3.0;
  for (int i = 0; i <= 10; ++i) {
    s.x.push_back(i);
    s.y.push_back(i == 5 && gap ? kNaN : 5.0);
  }
  f.series.push_back(s);
  return f;
}

TEST(RenderPng, DecodesWithTheFigureSize) {
  Figure f = LineWithGap(false);
  f.width_px = 640;
  f.height_px = 360;
  f.title = "t";
  const Image img = DecodePng(RenderPng(f));
  EXPECT_EQ(img.width, 640);
  EXPECT_EQ(img.height, 360);
  // White background in the corner (nothing is drawn at the very edge).
  EXPECT_TRUE(Near(img.At(0, 0), {255, 255, 255}, 0));
}

TEST(RenderPng, NaNBreaksALine) {
  const Rgb8 blue = PaletteColor(0);
  for (bool gap : {false, true}) {
    const Image img = DecodePng(RenderPng(LineWithGap(gap)));
    // The row with the most line-coloured pixels is the line (3 px wide, antialiased: the
    // centre row is the pure colour within 8 levels).
    int best_y = -1, best = 0;
    for (int y = 0; y < img.height; ++y) {
      int n = 0;
      RunsInRow(img, y, blue, 8, &n);
      if (n > best) best = n, best_y = y;
    }
    ASSERT_GT(best, 200) << "no line found";
    EXPECT_EQ(RunsInRow(img, best_y, blue, 8), gap ? 2 : 1) << "gap=" << gap;
  }
}

TEST(RenderPng, TimelineBarHasItsColour) {
  Figure f = Timeline("tl", "t", {{"row", {{0.0, 100.0, 1}}}});
  f.height_px = 400;
  f.legend = false;
  const Image img = DecodePng(RenderPng(f));
  // The single bar spans the plot's width and 62 % of its height around the centre; its fill is
  // the palette colour at alpha 0.9 over white.
  const Rgb8 c = PaletteColor(1);
  const Rgb8 blended{static_cast<int>(std::lround(0.9 * c.r + 0.1 * 255)),
                     static_cast<int>(std::lround(0.9 * c.g + 0.1 * 255)),
                     static_cast<int>(std::lround(0.9 * c.b + 0.1 * 255))};
  EXPECT_TRUE(Near(img.At(img.width / 2, img.height / 2), blended, 2))  // 8-bit rounding
      << img.At(img.width / 2, img.height / 2)[0];
}

TEST(RenderPng, BadSizeThrows) {
  Figure f;
  f.width_px = 0;
  EXPECT_THROW(RenderPng(f), std::runtime_error);
  EXPECT_THROW(RenderSvg(f), std::runtime_error);
}

Figure EveryStyle() {
  Figure f;
  f.title = "Every style <&> \u03c3";
  f.x_label = "x";
  f.y_label = "y";
  f.x_spans = {{2, 3}};
  const Style styles[] = {Style::kLine, Style::kPoints, Style::kLinePoints, Style::kStep,
                          Style::kBars};
  for (int k = 0; k < 5; ++k) {
    Series s;
    s.label = "series " + std::to_string(k);
    s.style = styles[k];
    for (int i = 0; i < 10; ++i) {
      s.x.push_back(i);
      s.y.push_back(k + std::sin(i) + (i == 4 ? kNaN : 0.0));
      s.y_lo.push_back(s.y.back() - 0.3);
      s.y_hi.push_back(s.y.back() + 0.3);
    }
    s.dashed = k == 0;
    f.series.push_back(s);
  }
  return f;
}

std::string Python(const std::string& script, const std::string& arg, int* code) {
  const std::string cmd = "/usr/bin/python3 -c '" + script + "' '" + arg + "' 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (p && fgets(buf, sizeof buf, p)) out += buf;
  *code = p ? pclose(p) : -1;
  return out;
}

TEST(RenderSvg, WellFormedXmlOfTheFigureSize) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("hyperdef-plot-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  Figure tl = Timeline("tl", "t", {{"a", {{0, 5, 0}}}, {"b", {{3, 9, 1}}}}, {{"k", 0}});
  int i = 0;
  for (const Figure& f : {EveryStyle(), tl, Figure{}}) {
    const std::filesystem::path file = dir / ("f" + std::to_string(i++) + ".svg");
    std::ofstream(file, std::ios::binary) << RenderSvg(f);
    int code = 0;
    const std::string out = Python(
        "import sys, xml.etree.ElementTree as ET\n"
        "r = ET.parse(sys.argv[1]).getroot()\n"
        "assert r.tag == \"{http://www.w3.org/2000/svg}svg\", r.tag\n"
        "print(r.get(\"width\"), r.get(\"height\"), len(list(r.iter())))",
        file.string(), &code);
    EXPECT_EQ(code, 0) << out;
    EXPECT_EQ(out.substr(0, out.find(' ', out.find(' ') + 1)),
              std::to_string(f.width_px) + "px " + std::to_string(f.height_px) + "px")
        << out;
  }
  std::filesystem::remove_all(dir);
}

TEST(InlineSvg, NoUrlsAndPrefixedIdsThatResolve) {
  const std::string svg = InlineSvg(RenderSvg(EveryStyle()), "f7-");
  EXPECT_EQ(svg.find("http"), std::string::npos);
  EXPECT_EQ(svg.find("<?xml"), std::string::npos);
  EXPECT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("width=\"100%\""), std::string::npos);
  EXPECT_NE(svg.find("max-width:800px"), std::string::npos);
  std::set<std::string> ids;
  for (const std::string& id : Tokens(svg, " id=\"", "\"")) {
    EXPECT_EQ(id.rfind("f7-", 0), 0u) << id;
    EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
  }
  EXPECT_FALSE(ids.empty());  // cairo writes glyphs as symbols with ids
  int refs = 0;
  for (const auto& [open, close] : {std::pair{"href=\"#", "\""}, std::pair{"url(#", ")"}}) {
    for (const std::string& ref : Tokens(svg, open, close)) {
      ++refs;
      EXPECT_TRUE(ids.count(ref)) << "dangling reference " << ref;
    }
  }
  EXPECT_GT(refs, 0);
}

}  // namespace
}  // namespace hyperdef::io::plot
