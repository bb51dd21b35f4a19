#include "flight/aero_table.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "core/constants.h"
#include "core/error.h"

namespace hyperdef::flight {

namespace {

void CheckAxis(const std::vector<double>& axis, const char* name) {
  if (axis.empty()) throw std::invalid_argument(std::string("table axis ") + name + " is empty");
  for (std::size_t i = 0; i < axis.size(); ++i) {
    if (!std::isfinite(axis[i])) {
      throw std::invalid_argument(std::string("table axis ") + name + " has a non-finite node");
    }
    if (i > 0 && !(axis[i] > axis[i - 1])) {
      std::ostringstream msg;
      msg << "table axis " << name << " must be strictly increasing (node " << i << " is "
          << axis[i] << " after " << axis[i - 1] << ")";
      throw std::invalid_argument(msg.str());
    }
  }
}

void CheckValues(const std::vector<double>& v) {
  for (double x : v) {
    if (!std::isfinite(x)) throw std::invalid_argument("table has a non-finite value");
  }
}

// Interval [i, i + 1] holding q and the fraction along it, after clamping q to the axis.
// At a node the fraction is exactly 0 (or the clamp returns the end node), so lookups are exact.
struct Bracket {
  std::size_t i = 0;
  double t = 0.0;
};

Bracket Locate(const std::vector<double>& axis, double q) {
  const std::size_t n = axis.size();
  if (n == 1 || q <= axis.front()) return {0, 0.0};
  if (q >= axis.back()) return {n - 2, 1.0};
  // First node > q; q >= axis[0] so k >= 1. NaN q ends up in the last interval with t = NaN.
  const std::size_t k =
      static_cast<std::size_t>(std::upper_bound(axis.begin(), axis.end(), q) - axis.begin());
  const std::size_t i = std::min(k, n - 1) - 1;
  return {i, (q - axis[i]) / (axis[i + 1] - axis[i])};
}

double Lerp(double a, double b, double t) { return t == 1.0 ? b : a + t * (b - a); }

}  // namespace

Table1D::Table1D(std::vector<double> x, std::vector<double> y)
    : x_(std::move(x)), y_(std::move(y)) {
  CheckAxis(x_, "x");
  if (y_.size() != x_.size()) {
    throw std::invalid_argument("Table1D: " + std::to_string(y_.size()) + " values for " +
                                std::to_string(x_.size()) + " nodes");
  }
  CheckValues(y_);
}

double Table1D::operator()(double x) const {
  if (x_.size() == 1) return y_[0];
  const Bracket b = Locate(x_, x);
  return Lerp(y_[b.i], y_[b.i + 1], b.t);
}

Table2D::Table2D(std::vector<double> x, std::vector<double> y, std::vector<double> values)
    : x_(std::move(x)), y_(std::move(y)), values_(std::move(values)) {
  CheckAxis(x_, "x");
  CheckAxis(y_, "y");
  if (values_.size() != x_.size() * y_.size()) {
    throw std::invalid_argument("Table2D: " + std::to_string(values_.size()) + " values for a " +
                                std::to_string(x_.size()) + " x " + std::to_string(y_.size()) +
                                " grid");
  }
  CheckValues(values_);
}

double Table2D::operator()(double x, double y) const {
  const Bracket bx = Locate(x_, x);
  const Bracket by = Locate(y_, y);
  const std::size_t i0 = bx.i;
  const std::size_t i1 = x_.size() == 1 ? i0 : i0 + 1;
  const std::size_t j0 = by.i;
  const std::size_t j1 = y_.size() == 1 ? j0 : j0 + 1;
  const double lo = Lerp(At(i0, j0), At(i1, j0), bx.t);
  const double hi = Lerp(At(i0, j1), At(i1, j1), bx.t);
  return Lerp(lo, hi, by.t);
}

namespace {

struct Node {
  double alpha_deg;
  double mach;
  double cl;
  double cd;
};

// Builds the two tables from complete grid nodes (any order). `fail(node_index, message)` reports.
template <typename Fail>
LiftDragTables BuildTables(const std::vector<Node>& nodes, Fail fail) {
  std::vector<double> mach, alpha_deg;
  for (const Node& n : nodes) {
    mach.push_back(n.mach);
    alpha_deg.push_back(n.alpha_deg);
  }
  std::sort(mach.begin(), mach.end());
  mach.erase(std::unique(mach.begin(), mach.end()), mach.end());
  std::sort(alpha_deg.begin(), alpha_deg.end());
  alpha_deg.erase(std::unique(alpha_deg.begin(), alpha_deg.end()), alpha_deg.end());
  const std::size_t nm = mach.size();
  const std::size_t na = alpha_deg.size();
  std::vector<double> cl(nm * na, 0.0), cd(nm * na, 0.0);
  std::vector<int> seen(nm * na, -1);
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    const Node& n = nodes[k];
    const std::size_t i =
        static_cast<std::size_t>(std::lower_bound(mach.begin(), mach.end(), n.mach) - mach.begin());
    const std::size_t j = static_cast<std::size_t>(
        std::lower_bound(alpha_deg.begin(), alpha_deg.end(), n.alpha_deg) - alpha_deg.begin());
    if (seen[i * na + j] >= 0) fail(k, "duplicate grid node (same mach and alpha_deg as before)");
    seen[i * na + j] = static_cast<int>(k);
    cl[i * na + j] = n.cl;
    cd[i * na + j] = n.cd;
  }
  for (std::size_t i = 0; i < nm; ++i) {
    for (std::size_t j = 0; j < na; ++j) {
      if (seen[i * na + j] < 0) {
        std::ostringstream msg;
        msg << "incomplete grid: no row for mach " << mach[i] << ", alpha_deg " << alpha_deg[j];
        fail(nodes.size(), msg.str());
      }
    }
  }
  std::vector<double> alpha_rad(na);
  for (std::size_t j = 0; j < na; ++j) alpha_rad[j] = alpha_deg[j] * core::kDegToRad;
  return LiftDragTables{Table2D(mach, alpha_rad, std::move(cl)),
                        Table2D(mach, alpha_rad, std::move(cd))};
}

std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) {
    const auto b = cell.find_first_not_of(" \t\r");
    const auto e = cell.find_last_not_of(" \t\r");
    out.push_back(b == std::string::npos ? std::string() : cell.substr(b, e - b + 1));
  }
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// The CAV-H table (Phillips 2003, "A Common Aero Vehicle (CAV) Model, Description, and Employment
// Guide", Schafer Corp. for AFRL/AFSPC), exactly as in shared/reference/cavh-aero.csv; the test
// aero_table_test checks the two agree node for node.
constexpr Node kCavhNodes[] = {
    {10, 3.5, 0.4500, 0.2045}, {10, 5, 0.4250, 0.1700},   {10, 8, 0.4000, 0.1290},
    {10, 10, 0.3800, 0.1090},  {10, 15, 0.3700, 0.1090},  {10, 20, 0.3600, 0.1090},
    {10, 23, 0.3500, 0.1090},  {15, 3.5, 0.7400, 0.2960}, {15, 5, 0.7000, 0.2630},
    {15, 8, 0.6700, 0.2240},   {15, 10, 0.6300, 0.1970},  {15, 15, 0.6000, 0.1950},
    {15, 20, 0.5700, 0.1920},  {15, 23, 0.5570, 0.1920},  {20, 3.5, 1.0500, 0.4770},
    {20, 5, 1.0000, 0.4230},   {20, 8, 0.9500, 0.3540},   {20, 10, 0.9000, 0.3100},
    {20, 15, 0.8500, 0.3050},  {20, 20, 0.8000, 0.3000},  {20, 23, 0.7800, 0.3000},
};

}  // namespace

LiftDragTables ParseLiftDragCsv(std::istream& in, const std::string& source_name) {
  const auto error = [&](int line, const std::string& key, const std::string& message) {
    return core::InputError(core::SourceLocation{source_name, line, 0}, key, message);
  };
  std::string line;
  int line_no = 0;
  int col_alpha = -1, col_mach = -1, col_cl = -1, col_cd = -1;
  std::size_t n_cols = 0;
  bool have_header = false;
  std::vector<Node> nodes;
  std::vector<int> node_lines;
  while (std::getline(in, line)) {
    ++line_no;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    const std::vector<std::string> cells = SplitCsv(line);
    if (!have_header) {
      for (std::size_t c = 0; c < cells.size(); ++c) {
        const int ci = static_cast<int>(c);
        if (cells[c] == "alpha_deg") col_alpha = ci;
        if (cells[c] == "mach") col_mach = ci;
        if (cells[c] == "CL") col_cl = ci;
        if (cells[c] == "CD") col_cd = ci;
      }
      for (const auto& [col, name] :
           {std::pair{col_alpha, "alpha_deg"}, std::pair{col_mach, "mach"}, std::pair{col_cl, "CL"},
            std::pair{col_cd, "CD"}}) {
        if (col < 0) {
          throw error(line_no, name, "missing column (header is \"" + line + "\")");
        }
      }
      n_cols = cells.size();
      have_header = true;
      continue;
    }
    if (cells.size() != n_cols) {
      throw error(line_no, "",
                  "expected " + std::to_string(n_cols) + " columns (got " +
                      std::to_string(cells.size()) + ")");
    }
    const auto number = [&](int col, const char* name) {
      const std::string& s = cells[static_cast<std::size_t>(col)];
      char* end = nullptr;
      const double v = s.empty() ? NAN : std::strtod(s.c_str(), &end);
      if (s.empty() || end != s.c_str() + s.size() || !std::isfinite(v)) {
        throw error(line_no, name, "not a finite number (got \"" + s + "\")");
      }
      return v;
    };
    Node n{number(col_alpha, "alpha_deg"), number(col_mach, "mach"), number(col_cl, "CL"),
           number(col_cd, "CD")};
    if (!(n.mach >= 0.0))
      throw error(line_no, "mach", "must be >= 0 (got " + cells[col_mach] + ")");
    if (!(n.cd >= 0.0)) throw error(line_no, "CD", "must be >= 0 (got " + cells[col_cd] + ")");
    nodes.push_back(n);
    node_lines.push_back(line_no);
  }
  if (!have_header) throw error(line_no, "", "no header line (expected alpha_deg,mach,CL,CD)");
  if (nodes.empty()) throw error(line_no, "", "no data rows");
  return BuildTables(nodes, [&](std::size_t k, const std::string& message) {
    throw error(k < node_lines.size() ? node_lines[k] : line_no, "", message);
  });
}

LiftDragTables LoadLiftDragCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw core::InputError(core::SourceLocation{path, 0, 0}, "", "cannot open file");
  return ParseLiftDragCsv(in, path);
}

LiftDragTables CavhBuiltinTables() {
  const std::vector<Node> nodes(std::begin(kCavhNodes), std::end(kCavhNodes));
  return BuildTables(nodes, [](std::size_t, const std::string& message) {
    throw std::logic_error("built-in CAV-H table: " + message);
  });
}

LiftDragCoefficients CavhFit(double mach, double alpha_rad) {
  const double a = alpha_rad * core::kRadToDeg;
  return {-0.2317 + 0.0513 * a + 0.2945 * std::exp(-0.1028 * mach),
          0.024 + 7.24e-4 * a * a + 0.406 * std::exp(-0.323 * mach)};
}

}  // namespace hyperdef::flight
