#include "io/plot.h"

#include <cairo-svg.h>
#include <cairo.h>
#include <fmt/format.h>
#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <stdexcept>

namespace hyperdef::io::plot {

namespace {

constexpr const char* kFont = "DejaVu Sans";

// Okabe-Ito (Wong 2011), reordered so that the first colours are the most distinct on white.
constexpr Rgb8 kPalette[] = {
    {0, 114, 178},    // blue
    {213, 94, 0},     // vermillion
    {0, 158, 115},    // bluish green
    {204, 121, 167},  // reddish purple
    {230, 159, 0},    // orange
    {86, 180, 233},   // sky blue
    {0, 0, 0},        // black
    {240, 228, 66},   // yellow
};
constexpr int kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);

// ---- ranges ----------------------------------------------------------------------------------

struct Range {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  void Add(double v) {
    if (!std::isfinite(v)) return;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  bool Empty() const { return !(lo <= hi); }
};

// The smallest 1-2-5 value at or above `raw` (raw > 0).
double NiceAtLeast(double raw) {
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  const double nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0;
  return nice * mag;
}
// The 1-2-5 value just below `step` (itself a 1-2-5 value).
double NiceBelow(double step) {
  const double mag = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  const double f = step / mag;
  if (f > 4.5) return 2.0 * mag;
  if (f > 1.5) return 1.0 * mag;
  return 0.5 * mag;
}

std::vector<double> Multiples(double lo, double hi, double step) {
  std::vector<double> ticks;
  const double eps = 1e-9 * step;
  const double first = std::ceil((lo - eps) / step);
  const double last = std::floor((hi + eps) / step);
  if (last - first > 1000) return ticks;  // degenerate step
  for (double k = first; k <= last; k += 1.0) {
    double v = k * step;
    if (std::abs(v) < eps) v = 0.0;
    ticks.push_back(v);
  }
  return ticks;
}

// ---- text ------------------------------------------------------------------------------------

enum class HAlign { kLeft, kCenter, kRight };
enum class VAlign { kTop, kMiddle, kBaseline, kBottom };

void SetFont(cairo_t* cr, double size, bool bold = false) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double TextWidth(cairo_t* cr, const std::string& s) {
  cairo_text_extents_t te;
  cairo_text_extents(cr, s.c_str(), &te);
  return te.x_advance;
}

// Drops trailing UTF-8 characters and appends an ellipsis until `s` fits in `max_px`.
std::string Fit(cairo_t* cr, std::string s, double max_px) {
  if (TextWidth(cr, s) <= max_px) return s;
  while (!s.empty()) {
    size_t cut = s.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
    const std::string candidate = s + "\u2026";
    if (TextWidth(cr, candidate) <= max_px) return candidate;
  }
  return s;
}

void ShowText(cairo_t* cr, const std::string& s, double x, double y, HAlign h, VAlign v) {
  if (s.empty()) return;
  cairo_font_extents_t fe;
  cairo_font_extents(cr, &fe);
  const double w = TextWidth(cr, s);
  double dx = 0, dy = 0;
  if (h == HAlign::kCenter) dx = -w / 2;
  if (h == HAlign::kRight) dx = -w;
  if (v == VAlign::kTop) dy = fe.ascent;
  if (v == VAlign::kMiddle) dy = (fe.ascent - fe.descent) / 2;
  if (v == VAlign::kBottom) dy = -fe.descent;
  cairo_move_to(cr, x + dx, y + dy);
  cairo_show_text(cr, s.c_str());
}

void SetColor(cairo_t* cr, int index, double alpha = 1.0) {
  const Rgb8 c = PaletteColor(index);
  cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, alpha);
}
void SetGrey(cairo_t* cr, double level, double alpha = 1.0) {
  cairo_set_source_rgba(cr, level, level, level, alpha);
}

// ---- the figure ------------------------------------------------------------------------------

struct Layout {
  double left, top, width, height;  // the plot area, px
  double x0, x1, y0, y1;            // axis limits (data units)
  bool log_y = false;
  bool flip_y = false;  // timeline: row 0 at the top
  double X(double x) const { return left + (x - x0) / (x1 - x0) * width; }
  double Y(double y) const {
    double f;
    if (log_y) {
      f = (std::log10(y) - std::log10(y0)) / (std::log10(y1) - std::log10(y0));
    } else {
      f = (y - y0) / (y1 - y0);
    }
    if (flip_y) f = 1.0 - f;
    return top + height - f * height;
  }
  bool Usable(double x, double y) const {
    return std::isfinite(x) && std::isfinite(y) && (!log_y || y > 0);
  }
};

int SeriesColor(const Series& s, size_t i) {
  return s.color >= 0 || s.color == kNeutral ? s.color : static_cast<int>(i);
}

double AutoBarWidth(const Series& s) {
  if (s.bar_width > 0) return s.bar_width;
  std::vector<double> xs;
  for (double x : s.x)
    if (std::isfinite(x)) xs.push_back(x);
  std::sort(xs.begin(), xs.end());
  double dmin = std::numeric_limits<double>::infinity();
  for (size_t i = 1; i < xs.size(); ++i)
    if (xs[i] > xs[i - 1]) dmin = std::min(dmin, xs[i] - xs[i - 1]);
  return std::isfinite(dmin) ? 0.9 * dmin : 1.0;
}

bool HasBand(const Series& s) {
  return !s.y_lo.empty() && s.y_lo.size() == s.y.size() && s.y_hi.size() == s.y.size();
}

// Axis limits from the data and the figure's overrides.
void ComputeLimits(const Figure& f, Layout& L) {
  const bool timeline = !f.rows.empty();
  Range xr, yr, ypos;
  for (const Series& s : f.series) {
    const size_t n = std::min(s.x.size(), s.y.size());
    const double half_bar = s.style == Style::kBars ? AutoBarWidth(s) / 2 : 0.0;
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(s.x[i])) continue;
      xr.Add(s.x[i] - half_bar);
      xr.Add(s.x[i] + half_bar);
      const auto add_y = [&](double v) {
        yr.Add(v);
        if (v > 0) ypos.Add(v);
      };
      add_y(s.y[i]);
      if (HasBand(s)) {
        add_y(s.y_lo[i]);
        add_y(s.y_hi[i]);
      }
    }
    if (s.style == Style::kBars && n > 0) yr.Add(0.0);
  }
  for (const TimelineRow& r : f.rows)
    for (const Interval& iv : r.intervals) {
      xr.Add(iv.start);
      xr.Add(iv.end);
    }
  if (!f.x_categories.empty()) {
    xr.Add(-0.5);
    xr.Add(static_cast<double>(f.x_categories.size()) - 0.5);
  }

  // x: the data range (time axes start where the data start), widened if degenerate.
  if (xr.Empty()) xr = {0.0, 1.0};
  if (xr.hi == xr.lo) {
    const double pad = xr.lo == 0 ? 1.0 : 0.05 * std::abs(xr.lo);
    xr.lo -= pad;
    xr.hi += pad;
  }
  // Markers and error bars at the ends stay inside the frame (lines end on the frame).
  const bool markers = std::any_of(f.series.begin(), f.series.end(), [](const Series& s) {
    return s.style == Style::kPoints || s.style == Style::kLinePoints;
  });
  if ((timeline || markers) && f.x_categories.empty()) {
    const double pad = (timeline ? 0.02 : 0.04) * (xr.hi - xr.lo);
    xr.lo -= pad;
    xr.hi += pad;
  }
  L.x0 = f.x_min.value_or(xr.lo);
  L.x1 = f.x_max.value_or(xr.hi);

  if (timeline) {
    L.y0 = -0.5;
    L.y1 = static_cast<double>(f.rows.size()) - 0.5;
    L.flip_y = true;
  } else if (f.log_y) {
    L.log_y = true;
    if (ypos.Empty()) ypos = {1.0, 10.0};
    double lo = std::pow(10.0, std::floor(std::log10(ypos.lo)));
    double hi = std::pow(10.0, std::ceil(std::log10(ypos.hi)));
    if (hi <= lo) hi = lo * 10.0;
    L.y0 = f.y_min.value_or(lo);
    L.y1 = f.y_max.value_or(hi);
  } else {
    if (yr.Empty()) yr = {0.0, 1.0};
    if (yr.hi == yr.lo) {
      const double pad = yr.lo == 0 ? 1.0 : 0.1 * std::abs(yr.lo);
      yr.lo -= pad;
      yr.hi += pad;
    }
    // Round outward to the tick step, so the frame ends on a labelled tick, unless that adds
    // more than 8 % of the data range on that side (data a hair below 0 would otherwise get a
    // whole empty step); then pad by 2 %.
    const double step = NiceStep(yr.lo, yr.hi, std::max(2, f.height_px / 70));
    const double span = yr.hi - yr.lo;
    const double lo_r = std::floor(yr.lo / step + 1e-9) * step;
    const double hi_r = std::ceil(yr.hi / step - 1e-9) * step;
    L.y0 = f.y_min.value_or(yr.lo - lo_r <= 0.08 * span ? lo_r : yr.lo - 0.02 * span);
    L.y1 = f.y_max.value_or(hi_r - yr.hi <= 0.08 * span ? hi_r : yr.hi + 0.02 * span);
  }
  if (!(L.x1 > L.x0)) L.x1 = L.x0 + 1.0;
  if (!(L.y1 > L.y0)) L.y1 = L.y0 + (L.log_y ? 9.0 * L.y0 : 1.0);
  if (L.log_y && !(L.y0 > 0)) {
    L.y0 = 1e-3 * L.y1;
  }
}

struct LegendEntry {
  std::string label;
  int color;
  const Series* series;  // null: a swatch
};

void DrawLegendSample(cairo_t* cr, const LegendEntry& e, double x, double y) {
  cairo_new_path(cr);
  if (e.series == nullptr || e.series->style == Style::kBars) {
    SetColor(cr, e.color, 0.85);
    cairo_rectangle(cr, x, y - 5, 18, 10);
    cairo_fill(cr);
    return;
  }
  const Series& s = *e.series;
  if (HasBand(s) && (s.style == Style::kLine || s.style == Style::kStep)) {
    SetColor(cr, e.color, 0.2);
    cairo_rectangle(cr, x, y - 6, 18, 12);
    cairo_fill(cr);
  }
  SetColor(cr, e.color);
  if (s.style != Style::kPoints) {
    cairo_set_line_width(cr, s.line_width_px);
    if (s.dashed) {
      const double d[] = {4, 3};
      cairo_set_dash(cr, d, 2, 0);
    }
    cairo_move_to(cr, x, y);
    cairo_line_to(cr, x + 18, y);
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
  }
  if (s.style == Style::kPoints || s.style == Style::kLinePoints) {
    cairo_new_path(cr);  // no line from the current point (text leaves one)
    cairo_arc(cr, x + 9, y, 3, 0, 2 * M_PI);
    cairo_fill(cr);
  }
}

void DrawBand(cairo_t* cr, const Series& s, const Layout& L) {
  const size_t n = std::min({s.x.size(), s.y_lo.size(), s.y_hi.size()});
  const bool step = s.style == Style::kStep;
  size_t i = 0;
  while (i < n) {
    // A run of points where the band is defined.
    while (i < n && !(L.Usable(s.x[i], s.y_hi[i]) && std::isfinite(s.y_lo[i]))) ++i;
    size_t j = i;
    while (j < n && L.Usable(s.x[j], s.y_hi[j]) && std::isfinite(s.y_lo[j])) ++j;
    if (j > i) {
      // On a log axis a non-positive lower edge means "down to the axis bottom".
      const auto lo = [&](size_t k) { return L.log_y && s.y_lo[k] <= 0 ? L.y0 : s.y_lo[k]; };
      // For steps, a run extends to the x of the point that ended it, if any.
      const double x_end = step && j < n && std::isfinite(s.x[j]) ? s.x[j] : s.x[j - 1];
      cairo_move_to(cr, L.X(s.x[i]), L.Y(s.y_hi[i]));
      for (size_t k = i + 1; k < j; ++k) {
        if (step) cairo_line_to(cr, L.X(s.x[k]), L.Y(s.y_hi[k - 1]));
        cairo_line_to(cr, L.X(s.x[k]), L.Y(s.y_hi[k]));
      }
      if (step) {
        cairo_line_to(cr, L.X(x_end), L.Y(s.y_hi[j - 1]));
        cairo_line_to(cr, L.X(x_end), L.Y(lo(j - 1)));
      }
      for (size_t k = j; k-- > i + 1;) {
        cairo_line_to(cr, L.X(s.x[k]), L.Y(lo(k)));
        if (step) cairo_line_to(cr, L.X(s.x[k]), L.Y(lo(k - 1)));
      }
      cairo_line_to(cr, L.X(s.x[i]), L.Y(lo(i)));
      cairo_close_path(cr);
      cairo_fill(cr);
    }
    i = j;
  }
}

void DrawLine(cairo_t* cr, const Series& s, const Layout& L) {
  const size_t n = std::min(s.x.size(), s.y.size());
  const bool step = s.style == Style::kStep;
  bool open = false;
  double last_x = 0, last_y = 0;  // the last vertex emitted, px
  const auto vertex = [&](double px, double py, bool force) {
    // Vertices closer than 0.4 px to the previous one change nothing visible; dropping them
    // keeps the SVG of a dense series small.
    if (!force && std::abs(px - last_x) < 0.4 && std::abs(py - last_y) < 0.4) return;
    cairo_line_to(cr, px, py);
    last_x = px;
    last_y = py;
  };
  for (size_t i = 0; i < n; ++i) {
    const bool ok = L.Usable(s.x[i], s.y[i]);
    const bool next_ok = i + 1 < n && L.Usable(s.x[i + 1], s.y[i + 1]);
    if (step && open && std::isfinite(s.x[i])) {
      // The previous value holds until this x, whatever this y is.
      vertex(L.X(s.x[i]), L.Y(s.y[i - 1]), true);
    }
    if (!ok) {
      if (open) cairo_stroke(cr);
      open = false;
      continue;
    }
    const double px = L.X(s.x[i]), py = L.Y(s.y[i]);
    if (open) {
      vertex(px, py, step || !next_ok);
    } else {
      cairo_move_to(cr, px, py);
      last_x = px;
      last_y = py;
      open = true;
    }
  }
  if (open) {
    // A lone point still shows as a short stroke (round caps).
    cairo_stroke(cr);
  }
}

void DrawFigure(cairo_t* cr, const Figure& f) {
  const double W = f.width_px, H = f.height_px;
  const bool timeline = !f.rows.empty();
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);

  Layout L{};
  ComputeLimits(f, L);

  // Ticks first: the left margin depends on the widest label.
  std::vector<double> xt, yt;
  double x_step = 1, y_step = 1;
  std::vector<std::string> xl, yl;
  if (!f.x_categories.empty()) {
    for (size_t i = 0; i < f.x_categories.size(); ++i) {
      xt.push_back(static_cast<double>(i));
      xl.push_back(f.x_categories[i]);
    }
  } else {
    x_step = NiceStep(L.x0, L.x1, std::max(2, f.width_px / 110));
    xt = NiceTicks(L.x0, L.x1, std::max(2, f.width_px / 110));
    // Integer data (a swept satellite count, a run number) get integer ticks.
    bool integer_x = !f.series.empty();
    for (const Series& s : f.series)
      for (double x : s.x)
        if (std::isfinite(x) && x != std::round(x)) integer_x = false;
    if (integer_x && x_step < 1.0) {
      x_step = 1.0;
      xt.clear();
      for (double v = std::ceil(L.x0); v <= L.x1; v += 1.0) xt.push_back(v);
    }
    for (double v : xt) xl.push_back(FormatTick(v, x_step));
  }
  if (timeline) {
    for (size_t i = 0; i < f.rows.size(); ++i) {
      yt.push_back(static_cast<double>(i));
      yl.push_back(f.rows[i].label);
    }
  } else if (L.log_y) {
    yt = LogTicks(L.y0, L.y1);
    y_step = yt.size() > 1 ? yt[1] - yt[0] : 1.0;
    for (double v : yt) {
      // Decade ticks are labelled by themselves; a sub-decade axis uses its own step.
      const double decade = std::pow(10.0, std::floor(std::log10(v) + 1e-9));
      yl.push_back(std::abs(v / decade - 1.0) < 1e-9 ? FormatTick(v, v) : FormatTick(v, y_step));
    }
  } else {
    y_step = NiceStep(L.y0, L.y1, std::max(2, f.height_px / 70));
    yt = NiceTicks(L.y0, L.y1, std::max(2, f.height_px / 70));
    for (double v : yt) yl.push_back(FormatTick(v, y_step));
  }

  SetFont(cr, 11);
  const double max_row_label = timeline ? 0.3 * W : 0.2 * W;
  double y_label_w = 0;
  for (std::string& s : yl) {
    s = Fit(cr, s, max_row_label);
    y_label_w = std::max(y_label_w, TextWidth(cr, s));
  }

  std::vector<LegendEntry> entries;
  if (f.legend) {
    for (size_t i = 0; i < f.series.size(); ++i)
      if (!f.series[i].label.empty())
        entries.push_back({f.series[i].label, SeriesColor(f.series[i], i), &f.series[i]});
    for (const LegendKey& k : f.legend_keys) entries.push_back({k.label, k.color, nullptr});
  }
  double legend_w = 0;
  const double max_legend_text = 0.25 * W;
  for (LegendEntry& e : entries) {
    e.label = Fit(cr, e.label, max_legend_text);
    legend_w = std::max(legend_w, TextWidth(cr, e.label));
  }
  if (!entries.empty()) legend_w += 18 + 6 + 16;

  const double top = f.title.empty() ? 14 : 38;
  const double bottom = 22 + (f.x_label.empty() ? 0 : 22) + 6;
  const double left = 8 + (f.y_label.empty() ? 0 : 22) + y_label_w + 8;
  const double right = entries.empty() ? 18 : legend_w + 14;
  L.left = left;
  L.top = top;
  L.width = std::max(10.0, W - left - right);
  L.height = std::max(10.0, H - top - bottom);

  // Plot area background, spans and grid.
  cairo_save(cr);
  cairo_rectangle(cr, L.left, L.top, L.width, L.height);
  cairo_clip(cr);
  for (const auto& [a, b] : f.x_spans) {
    if (!std::isfinite(a) || !std::isfinite(b)) continue;
    SetGrey(cr, 0.5, 0.12);
    cairo_rectangle(cr, L.X(a), L.top, L.X(b) - L.X(a), L.height);
    cairo_fill(cr);
  }
  cairo_set_line_width(cr, 1.0);
  SetGrey(cr, 0.88);
  for (double v : xt) {
    const double x = std::round(L.X(v)) + 0.5;
    cairo_move_to(cr, x, L.top);
    cairo_line_to(cr, x, L.top + L.height);
  }
  if (!timeline) {
    for (double v : yt) {
      const double y = std::round(L.Y(v)) + 0.5;
      cairo_move_to(cr, L.left, y);
      cairo_line_to(cr, L.left + L.width, y);
    }
  }
  cairo_stroke(cr);

  // Timeline rows.
  if (timeline) {
    const double row_h = L.height / static_cast<double>(f.rows.size());
    for (size_t r = 0; r < f.rows.size(); ++r) {
      const double yc = L.Y(static_cast<double>(r));
      if (r % 2 == 1) {
        SetGrey(cr, 0.5, 0.06);
        cairo_rectangle(cr, L.left, yc - row_h / 2, L.width, row_h);
        cairo_fill(cr);
      }
      const double bar_h = std::max(1.0, 0.62 * row_h);
      for (const Interval& iv : f.rows[r].intervals) {
        if (!std::isfinite(iv.start) || !std::isfinite(iv.end) || iv.end < iv.start) continue;
        double x0 = L.X(iv.start), x1 = L.X(iv.end);
        if (x1 - x0 < 1.5) x1 = x0 + 1.5;
        SetColor(cr, iv.color, 0.9);
        cairo_rectangle(cr, x0, yc - bar_h / 2, x1 - x0, bar_h);
        cairo_fill(cr);
      }
    }
  }

  // Bands and bars under the lines.
  for (size_t i = 0; i < f.series.size(); ++i) {
    const Series& s = f.series[i];
    const int c = SeriesColor(s, i);
    if (HasBand(s) && (s.style == Style::kLine || s.style == Style::kStep)) {
      SetColor(cr, c, 0.2);
      DrawBand(cr, s, L);
    }
    if (s.style == Style::kBars) {
      const double w = AutoBarWidth(s);
      const double base = L.log_y ? L.y0 : std::clamp(0.0, L.y0, L.y1);
      SetColor(cr, c, 0.85);
      for (size_t k = 0; k < std::min(s.x.size(), s.y.size()); ++k) {
        if (!L.Usable(s.x[k], s.y[k])) continue;
        const double xa = L.X(s.x[k] - w / 2), xb = L.X(s.x[k] + w / 2);
        const double ya = L.Y(s.y[k]), yb = L.Y(base);
        cairo_rectangle(cr, xa, std::min(ya, yb), std::max(1.0, xb - xa), std::abs(yb - ya));
      }
      cairo_fill(cr);
    }
  }
  // Lines, error bars, markers.
  for (size_t i = 0; i < f.series.size(); ++i) {
    const Series& s = f.series[i];
    const int c = SeriesColor(s, i);
    SetColor(cr, c);
    cairo_set_line_width(cr, s.line_width_px);
    if (s.style == Style::kLine || s.style == Style::kStep || s.style == Style::kLinePoints) {
      if (s.dashed) {
        const double d[] = {5, 4};
        cairo_set_dash(cr, d, 2, 0);
      }
      DrawLine(cr, s, L);
      cairo_set_dash(cr, nullptr, 0, 0);
    }
    const size_t n = std::min(s.x.size(), s.y.size());
    if (HasBand(s) && s.style != Style::kLine && s.style != Style::kStep) {
      cairo_set_line_width(cr, 1.2);
      for (size_t k = 0; k < n; ++k) {
        if (!L.Usable(s.x[k], s.y_lo[k]) || !L.Usable(s.x[k], s.y_hi[k])) continue;
        const double x = L.X(s.x[k]);
        cairo_move_to(cr, x, L.Y(s.y_lo[k]));
        cairo_line_to(cr, x, L.Y(s.y_hi[k]));
        cairo_move_to(cr, x - 3, L.Y(s.y_lo[k]));
        cairo_line_to(cr, x + 3, L.Y(s.y_lo[k]));
        cairo_move_to(cr, x - 3, L.Y(s.y_hi[k]));
        cairo_line_to(cr, x + 3, L.Y(s.y_hi[k]));
      }
      cairo_stroke(cr);
    }
    if (s.style == Style::kPoints || s.style == Style::kLinePoints) {
      const double r = n > 2000 ? 1.5 : 2.8;
      for (size_t k = 0; k < n; ++k) {
        if (!L.Usable(s.x[k], s.y[k])) continue;
        cairo_new_sub_path(cr);
        cairo_arc(cr, L.X(s.x[k]), L.Y(s.y[k]), r, 0, 2 * M_PI);
      }
      cairo_fill(cr);
    }
  }
  cairo_restore(cr);

  // Frame, ticks and labels.
  SetGrey(cr, 0.25);
  cairo_set_line_width(cr, 1.0);
  cairo_rectangle(cr, std::round(L.left) + 0.5, std::round(L.top) + 0.5, std::round(L.width),
                  std::round(L.height));
  cairo_stroke(cr);
  SetFont(cr, 11);
  SetGrey(cr, 0.15);
  double last_right = -1e9;
  for (size_t i = 0; i < xt.size(); ++i) {
    const double x = L.X(xt[i]);
    cairo_move_to(cr, std::round(x) + 0.5, L.top + L.height);
    cairo_line_to(cr, std::round(x) + 0.5, L.top + L.height + 4);
    cairo_stroke(cr);
    // Skip a label that would overlap the previous one (long categorical labels).
    const double w = TextWidth(cr, xl[i]);
    if (x - w / 2 < last_right + 4) continue;
    ShowText(cr, xl[i], x, L.top + L.height + 6, HAlign::kCenter, VAlign::kTop);
    last_right = x + w / 2;
  }
  for (size_t i = 0; i < yt.size(); ++i) {
    const double y = L.Y(yt[i]);
    cairo_move_to(cr, L.left - 4, std::round(y) + 0.5);
    cairo_line_to(cr, L.left, std::round(y) + 0.5);
    cairo_stroke(cr);
    ShowText(cr, yl[i], L.left - 6, y, HAlign::kRight, VAlign::kMiddle);
  }
  SetFont(cr, 12);
  if (!f.x_label.empty()) {
    ShowText(cr, Fit(cr, f.x_label, L.width), L.left + L.width / 2, H - 6, HAlign::kCenter,
             VAlign::kBottom);
  }
  if (!f.y_label.empty()) {
    cairo_save(cr);
    cairo_translate(cr, 8, L.top + L.height / 2);
    cairo_rotate(cr, -M_PI / 2);
    ShowText(cr, Fit(cr, f.y_label, L.height), 0, 0, HAlign::kCenter, VAlign::kTop);
    cairo_restore(cr);
  }
  if (!f.title.empty()) {
    SetFont(cr, 14, true);
    ShowText(cr, Fit(cr, f.title, W - 16), W / 2, 10, HAlign::kCenter, VAlign::kTop);
  }

  // Legend, to the right of the plot area; entries that do not fit are counted.
  if (!entries.empty()) {
    SetFont(cr, 11);
    const double x = L.left + L.width + 12;
    const double line_h = 17;
    const size_t fit = static_cast<size_t>(std::max(1.0, std::floor(L.height / line_h)));
    const size_t shown = entries.size() <= fit ? entries.size() : fit - 1;
    double y = L.top + 8;
    for (size_t i = 0; i < shown; ++i, y += line_h) {
      DrawLegendSample(cr, entries[i], x, y);
      SetGrey(cr, 0.1);
      ShowText(cr, entries[i].label, x + 24, y, HAlign::kLeft, VAlign::kMiddle);
    }
    if (shown < entries.size()) {
      SetGrey(cr, 0.35);
      ShowText(cr, fmt::format("\u2026 {} more", entries.size() - shown), x + 24, y, HAlign::kLeft,
               VAlign::kMiddle);
    }
  }
}

cairo_status_t AppendToString(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

struct SurfaceDeleter {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct ContextDeleter {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};
using SurfacePtr = std::unique_ptr<cairo_surface_t, SurfaceDeleter>;
using ContextPtr = std::unique_ptr<cairo_t, ContextDeleter>;

void Check(cairo_status_t status, const char* what) {
  if (status != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(fmt::format("plot: {}: {}", what, cairo_status_to_string(status)));
  }
}

void CheckSize(const Figure& f) {
  if (f.width_px < 50 || f.height_px < 50 || f.width_px > 20000 || f.height_px > 20000) {
    throw std::runtime_error(
        fmt::format("plot: figure size {}x{} px outside 50..20000", f.width_px, f.height_px));
  }
}

// ---- SVG text edits -----------------------------------------------------------------------

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  size_t at = 0;
  while ((at = s.find(from, at)) != std::string::npos) {
    s.replace(at, from.size(), to);
    at += to.size();
  }
}

// The value of attribute `name` in the tag text `tag` (`name="value"` after a space), or "".
std::string AttributeValue(const std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const size_t at = tag.find(key);
  if (at == std::string::npos) return "";
  const size_t begin = at + key.size(), end = tag.find('"', begin);
  return end == std::string::npos ? "" : tag.substr(begin, end - begin);
}

void RemoveAttribute(std::string& tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const size_t at = tag.find(key);
  if (at == std::string::npos) return;
  const size_t end = tag.find('"', at + key.size());
  if (end != std::string::npos) tag.erase(at, end + 1 - at);
}

}  // namespace

Rgb8 PaletteColor(int index) {
  if (index == kNeutral) return {150, 150, 150};
  const int i = ((index % kPaletteSize) + kPaletteSize) % kPaletteSize;
  return kPalette[i];
}

std::string PaletteHex(int index) {
  const Rgb8 c = PaletteColor(index);
  return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
}

double NiceStep(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || hi <= lo) return 1.0;
  target = std::max(2, target);
  double step = NiceAtLeast((hi - lo) / target);
  while (Multiples(lo, hi, step).size() < 2) step = NiceBelow(step);
  return step;
}

std::vector<double> NiceTicks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {};
  if (hi < lo) std::swap(lo, hi);
  if (hi == lo) return {lo};
  return Multiples(lo, hi, NiceStep(lo, hi, target));
}

std::vector<double> LogTicks(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo <= 0 || hi <= lo) return {};
  std::vector<double> ticks;
  const int k0 = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
  const int k1 = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  if (k1 - k0 < 1) return NiceTicks(lo, hi, 5);
  // Every decade up to 8 of them, then every other (or more) so labels do not crowd.
  const int every = std::max(1, (k1 - k0 + 7) / 8);
  for (int k = k0; k <= k1; k += every) ticks.push_back(std::pow(10.0, k));
  return ticks;
}

std::string FormatTick(double value, double step) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  if (std::abs(value) < 1e-12 * std::max(1.0, std::abs(step))) return "0";
  const double mag = std::abs(value);
  if (mag >= 1e7 || mag < 1e-4) {
    std::string s = fmt::format("{:.3g}", value);
    return s;
  }
  const int decimals =
      step > 0 ? std::clamp(static_cast<int>(-std::floor(std::log10(step) + 1e-9)), 0, 8) : 0;
  std::string s = fmt::format("{:.{}f}", value, decimals);
  if (s.find_first_not_of("-0.") == std::string::npos) s = "0";
  return s;
}

std::string RenderSvg(const Figure& figure) {
  CheckSize(figure);
  std::string out;
  {
    SurfacePtr surface(cairo_svg_surface_create_for_stream(AppendToString, &out, figure.width_px,
                                                           figure.height_px));
    Check(cairo_surface_status(surface.get()), "SVG surface");
    cairo_svg_surface_set_document_unit(surface.get(), CAIRO_SVG_UNIT_PX);
    {
      ContextPtr cr(cairo_create(surface.get()));
      DrawFigure(cr.get(), figure);
      Check(cairo_status(cr.get()), "drawing");
    }
    cairo_surface_finish(surface.get());
    Check(cairo_surface_status(surface.get()), "SVG output");
  }
  // cairo names surfaces by a process-wide counter ("surface423"); renumber them from 1 in
  // order of appearance so that the same figure gives the same bytes in any process.
  std::map<std::string, int> renumber;
  std::string result;
  result.reserve(out.size());
  size_t last = 0, at = 0;
  while ((at = out.find("surface", at)) != std::string::npos) {
    const size_t digits = at + 7;
    size_t end = digits;
    while (end < out.size() && out[end] >= '0' && out[end] <= '9') ++end;
    const bool token = at > 0 && (out[at - 1] == '"' || out[at - 1] == '#') && end > digits &&
                       end < out.size() && out[end] == '"';
    if (token) {
      const auto [it, inserted] = renumber.try_emplace(out.substr(digits, end - digits),
                                                       static_cast<int>(renumber.size()) + 1);
      result.append(out, last, digits - last);
      result += std::to_string(it->second);
      last = end;
    }
    at = end;
  }
  result.append(out, last, std::string::npos);
  return result;
}

std::string RenderPng(const Figure& figure) {
  CheckSize(figure);
  SurfacePtr surface(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, figure.width_px, figure.height_px));
  Check(cairo_surface_status(surface.get()), "image surface");
  {
    ContextPtr cr(cairo_create(surface.get()));
    DrawFigure(cr.get(), figure);
    Check(cairo_status(cr.get()), "drawing");
  }
  cairo_surface_flush(surface.get());
  std::string out;
  Check(cairo_surface_write_to_png_stream(surface.get(), AppendToString, &out), "PNG output");
  return out;
}

std::string InlineSvg(std::string_view svg_in, std::string_view id_prefix) {
  std::string svg(svg_in);
  if (svg.rfind("<?xml", 0) == 0) {
    const size_t end = svg.find("?>");
    if (end != std::string::npos) svg.erase(0, end + 2);
  }
  while (!svg.empty() && (svg.front() == '\n' || svg.front() == '\r')) svg.erase(0, 1);
  const std::string p(id_prefix);
  // The root's namespace declarations (HTML supplies them) and fixed size go; width 100 % with
  // the viewBox keeps the aspect ratio.
  const size_t root_end = svg.find('>');
  if (svg.rfind("<svg", 0) == 0 && root_end != std::string::npos) {
    std::string root = svg.substr(0, root_end);
    const std::string width = AttributeValue(root, "width");
    for (const char* name : {"xmlns", "xmlns:xlink", "width", "height"})
      RemoveAttribute(root, name);
    root += " width=\"100%\"";
    const size_t digits = width.find_first_not_of("0123456789.");
    if (!width.empty() && digits != 0)
      root += " style=\"max-width:" + width.substr(0, digits) + "px;height:auto\"";
    svg = root + svg.substr(root_end);
  }
  ReplaceAll(svg, " id=\"", " id=\"" + p);
  ReplaceAll(svg, "href=\"#", "href=\"#" + p);
  ReplaceAll(svg, "url(#", "url(#" + p);
  return svg;
}

void ReleaseGlobalCaches() {
  cairo_debug_reset_static_data();
  FcFini();
}

Figure Histogram(std::string title, std::string x_label, const std::vector<double>& values,
                 int bins) {
  Figure f;
  f.title = std::move(title);
  f.x_label = std::move(x_label);
  f.y_label = "count";
  f.legend = false;
  std::vector<double> v;
  for (double x : values)
    if (std::isfinite(x)) v.push_back(x);
  if (v.empty()) return f;
  const auto [mn, mx] = std::minmax_element(v.begin(), v.end());
  const double lo = *mn, hi = *mx;
  const bool integers =
      std::all_of(v.begin(), v.end(), [](double x) { return x == std::round(x); });
  Series s;
  s.style = Style::kBars;
  s.color = 0;
  if (bins <= 0 && integers && hi - lo <= 60) {
    const int n = static_cast<int>(hi - lo) + 1;
    s.x.resize(n);
    s.y.assign(n, 0.0);
    for (int i = 0; i < n; ++i) s.x[i] = lo + i;
    for (double x : v) s.y[static_cast<size_t>(x - lo)] += 1.0;
    s.bar_width = 0.8;
    f.x_min = lo - 0.5;
    f.x_max = hi + 0.5;
  } else {
    int n =
        bins > 0 ? bins : static_cast<int>(std::ceil(std::log2(static_cast<double>(v.size())))) + 1;
    n = std::clamp(n, 1, bins > 0 ? 10000 : 60);
    double a = lo, b = hi;
    if (b == a) {
      const double pad = a == 0 ? 0.5 : 0.05 * std::abs(a);
      a -= pad;
      b += pad;
    }
    const double w = (b - a) / n;
    s.x.resize(n);
    s.y.assign(n, 0.0);
    for (int i = 0; i < n; ++i) s.x[i] = a + (i + 0.5) * w;
    for (double x : v) {
      const int k = std::clamp(static_cast<int>(std::floor((x - a) / w)), 0, n - 1);
      s.y[k] += 1.0;
    }
    s.bar_width = 0.96 * w;
    f.x_min = a;
    f.x_max = b;
  }
  f.y_min = 0.0;
  f.series.push_back(std::move(s));
  return f;
}

Figure Timeline(std::string title, std::string x_label, std::vector<TimelineRow> rows,
                std::vector<LegendKey> keys) {
  Figure f;
  f.title = std::move(title);
  f.x_label = std::move(x_label);
  f.height_px = std::clamp(38 + 50 + 22 * static_cast<int>(rows.size()), 160, 4000);
  f.rows = std::move(rows);
  f.legend_keys = std::move(keys);
  return f;
}

}  // namespace hyperdef::io::plot
