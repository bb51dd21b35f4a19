// Plots for reports and sweeps: one Figure value, drawn by cairo to a PNG (image surface) or an
// SVG (vector surface) with the same code, so the PNG files and the figures inlined in
// report.html are the same picture.
//
// A Figure is either an x-y plot (lines, points, steps, bars, shaded bands or error bars) or a
// timeline (Gantt chart: labelled rows of coloured intervals), on which x-y series may also be
// drawn with y = row index (row 0 at the top) for markers.
//
// Choices, with their sources:
// - Tick steps 1, 2 or 5 × 10^k, about 5-7 ticks an axis: Heckbert, "Nice numbers for graph
//   labels", Graphics Gems I (1990).
// - Colours: the Okabe-Ito palette, distinguishable under the common colour-vision deficiencies
//   (Wong, "Points of view: Color blindness", Nature Methods 8:441, 2011). Yellow comes last:
//   it is faint on white.
// - Text: cairo's toy font API asks fontconfig for "DejaVu Sans" (Debian fonts-dejavu-core).
//   In the SVG, cairo writes glyph outlines, so the browser needs no font.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hyperdef::io::plot {

// A colour index meaning "neutral grey" (context, not a category).
inline constexpr int kNeutral = -2;

enum class Style {
  kLine,        // polyline through the points; a non-finite x or y starts a new piece
  kPoints,      // a marker at each finite point
  kLinePoints,  // both
  kStep,        // y[i] holds from x[i] to x[i+1] (post-step); a non-finite y is a gap
  kBars,        // a bar from 0 (or the axis bottom for log_y) to y[i], centred on x[i]
};

struct Series {
  // (Every member has an initializer, so designated initializers may skip any of them.)
  std::string label{};  // legend text; empty: not in the legend
  std::vector<double> x{}, y{};
  // Optional, both empty or both the size of y: for kLine and kStep a shaded band between
  // them, for kPoints, kLinePoints and kBars vertical error bars. Non-finite values are gaps.
  std::vector<double> y_lo{}, y_hi{};
  Style style = Style::kLine;
  int color = -1;  // palette index (wraps); -1: the series' position in the figure; kNeutral: grey
  bool dashed = false;  // lines only (reference lines, bounds)
  double line_width_px = 1.6;
  double bar_width = 0;  // kBars: bar width in x units; 0: 0.9 × the smallest x spacing
};

// A timeline row: a label and intervals [start, end] in x units, each with a palette colour.
struct Interval {
  double start = 0, end = 0;
  int color = 0;  // palette index, or kNeutral
};
struct TimelineRow {
  std::string label;
  std::vector<Interval> intervals;
};

// An extra legend entry (a colour swatch), e.g. what a timeline's colours mean.
struct LegendKey {
  std::string label;
  int color = 0;
};

struct Figure {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  bool log_y = false;  // non-positive values are gaps; decade ticks
  int width_px = 800, height_px = 450;
  std::optional<double> x_min, x_max, y_min, y_max;  // axis limits; unset: from the data
  bool legend = true;  // legend to the right of the plot area, when it has entries
  std::vector<std::pair<double, double>> x_spans;  // shaded x intervals (e.g. phases)
  // Categorical x axis: tick i at x = i labelled x_categories[i] (numeric ticks otherwise).
  std::vector<std::string> x_categories;
  // Timeline mode when non-empty: the y axis lists the row labels, top to bottom.
  std::vector<TimelineRow> rows;
  std::vector<LegendKey> legend_keys;  // shown after the series' entries
};

// Palette colour `index` (wrapping; kNeutral: grey) as 0-255 RGB, and as "#rrggbb".
struct Rgb8 {
  int r, g, b;
};
Rgb8 PaletteColor(int index);
std::string PaletteHex(int index);

// Tick positions: multiples of a 1-2-5 step inside [lo, hi], about `target` of them (at least
// 2 when lo < hi). lo == hi gives {lo}. Non-finite input gives {}.
std::vector<double> NiceTicks(double lo, double hi, int target = 6);
// The 1-2-5 step NiceTicks uses for [lo, hi].
double NiceStep(double lo, double hi, int target = 6);
// Decade ticks (10^k) inside [lo, hi] for a log axis, lo > 0; falls back to NiceTicks when the
// range spans less than one decade.
std::vector<double> LogTicks(double lo, double hi);
// A tick label: as many decimals as the step needs, no "-0", exponent form for very large or
// small magnitudes.
std::string FormatTick(double value, double step);

// The figure as file bytes. The SVG is a standalone document (XML declaration, namespaces);
// the PNG is 8-bit RGBA, width_px × height_px. Throws std::runtime_error if cairo fails.
std::string RenderSvg(const Figure& figure);
std::string RenderPng(const Figure& figure);

// The SVG made ready to inline in an HTML page: no XML declaration, no namespace attributes
// (HTML parsers supply them, and the page then holds no URL), every id and reference to it
// prefixed with `id_prefix` so several figures can share one page (cairo numbers glyphs and
// clip paths from 1 in every document), and width 100 % / max-width width_px so it scales.
std::string InlineSvg(std::string_view svg, std::string_view id_prefix);

// Frees cairo's and fontconfig's process-wide caches (font faces, the font configuration), which
// otherwise live until exit and show as leaks under LeakSanitizer. For test teardown: no figure
// may be rendered while it runs.
void ReleaseGlobalCaches();

// A histogram of the finite values (the others are skipped): kBars of counts per bin, y label
// "count". bins = 0 chooses: one bin per integer when every value is an integer and they span
// at most 60, else Sturges' rule ceil(log2 n) + 1 (at most 60). Empty input: a figure with no
// series.
Figure Histogram(std::string title, std::string x_label, const std::vector<double>& values,
                 int bins = 0);

// A timeline (Gantt chart) figure; height grows with the number of rows.
Figure Timeline(std::string title, std::string x_label, std::vector<TimelineRow> rows,
                std::vector<LegendKey> keys = {});

}  // namespace hyperdef::io::plot
