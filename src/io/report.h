// The analyst report of a run directory: `DIR/report.html`, one self-contained page (figures
// inlined as SVG, CSS in the page, no script and no URL), and every figure again as
// `DIR/plots/<name>.png`. It reads only the files in DIR (formats: docs/outputs.md); a section
// whose file is missing is left out, and an empty file gives a one-line note.
//
// Sections: summary (summary.json), trajectory profiles (truth.csv), sensor timeline and
// satellites per threat per layer (detections.csv), tracking errors, NEES and OSPA/GOSPA
// (track_errors.csv, set_metrics.csv), engagement timeline (engagements.csv), Monte Carlo
// histograms (runs.csv, summary.json `monte_carlo`) and sweep curves (sweep.csv).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "io/plot.h"

namespace hyperdef::io {

// One figure of the report: `name` is the PNG's file stem under plots/ (characters outside
// [A-Za-z0-9._-] replaced by '_').
struct NamedFigure {
  std::string name;
  plot::Figure figure;
  std::string caption;  // may be empty
};

// Writes DIR/report.html and DIR/plots/*.png, each file atomically. Returns the paths written,
// report.html first. Throws core::InputError naming DIR when it is not a directory or has no
// readable summary.json (not a run directory).
std::vector<std::filesystem::path> WriteReport(const std::filesystem::path& dir);

// The sweep figures of `sweep_csv` (the format `hyperdef sweep` writes: the swept key paths, then
// `runs`, then `M.mean`, `M.ci_lo`, `M.ci_hi` per metric M): each metric's mean with its
// confidence interval as error bars against the first swept key, one series per combination of
// the other keys. Named `sweep_<metric>`. Throws core::InputError naming the file if it cannot be
// read or has no `runs` column.
std::vector<NamedFigure> SweepFigures(const std::filesystem::path& sweep_csv);

// Writes SweepFigures(DIR/sweep.csv) as DIR/plots/sweep_<metric>.png. Returns the paths written.
std::vector<std::filesystem::path> WriteSweepPlots(const std::filesystem::path& dir);

// `name` with every character outside [A-Za-z0-9._-] replaced by '_' (a file stem).
std::string PlotFileStem(const std::string& name);

}  // namespace hyperdef::io
