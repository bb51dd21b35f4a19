// Aerodynamic coefficient tables: piecewise-linear lookup in one and two variables (exact at the
// nodes, clamped outside the grid), a loader for lift/drag tables in the CSV layout of
// shared/reference/cavh-aero.csv, the CAV-H table compiled in, and the CAV-H exponential fit.
//
// Units: Mach is dimensionless; the angle of attack is in RADIANS everywhere in this API (the CSV
// and the published fit use degrees; conversion happens here, at the edge).
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <vector>

namespace hyperdef::flight {

// y(x) by linear interpolation between nodes; y(x) = y.front() for x <= x.front() and y.back()
// for x >= x.back(). A single node gives a constant. NaN in, NaN out.
class Table1D {
 public:
  // x strictly increasing, same length as y, at least one node, all finite.
  // Throws std::invalid_argument otherwise.
  Table1D(std::vector<double> x, std::vector<double> y);

  double operator()(double x) const;
  const std::vector<double>& x() const { return x_; }
  const std::vector<double>& y() const { return y_; }

 private:
  std::vector<double> x_;
  std::vector<double> y_;
};

// f(x, y) by bilinear interpolation on a rectangular grid; each coordinate is clamped to its axis
// range first, so outside the grid the value of the nearest edge is returned. Exact at nodes.
class Table2D {
 public:
  // values are row-major over x: values[i * y.size() + j] = f(x[i], y[j]). Both axes strictly
  // increasing with at least one node; all finite. Throws std::invalid_argument otherwise.
  Table2D(std::vector<double> x, std::vector<double> y, std::vector<double> values);

  double operator()(double x, double y) const;
  double At(std::size_t i, std::size_t j) const { return values_[i * y_.size() + j]; }
  const std::vector<double>& x() const { return x_; }
  const std::vector<double>& y() const { return y_; }

 private:
  std::vector<double> x_;
  std::vector<double> y_;
  std::vector<double> values_;
};

struct LiftDragCoefficients {
  double cl = 0.0;
  double cd = 0.0;
};

// Lift and drag coefficient tables over (Mach, angle of attack in rad).
struct LiftDragTables {
  Table2D cl;  // x = Mach, y = alpha (rad)
  Table2D cd;
  LiftDragCoefficients operator()(double mach, double alpha_rad) const {
    return {cl(mach, alpha_rad), cd(mach, alpha_rad)};
  }
};

// Reads the CSV layout of cavh-aero.csv: lines starting with '#' and blank lines are skipped;
// a header naming the columns alpha_deg, mach, CL, CD (any order, extra columns ignored); then one
// row per grid node. The nodes must form a complete rectangular (Mach x alpha) grid with each node
// once. Throws core::InputError naming file:line and what is wrong.
LiftDragTables LoadLiftDragCsv(const std::string& path);
LiftDragTables ParseLiftDragCsv(std::istream& in, const std::string& source_name);

// CAV-H reference quantities (Phillips 2003, as given in cavh-aero.csv): 750 in^2, 2000 lb.
inline constexpr double kCavhReferenceArea_m2 = 0.48387;
inline constexpr double kCavhMass_kg = 907.185;

// The CAV-H table compiled in (same 21 nodes as shared/reference/cavh-aero.csv), so a run does not
// need the reference folder. Mach 3.5-23, alpha 10-20 deg.
LiftDragTables CavhBuiltinTables();

// The common CAV-H exponential fit, alpha in degrees inside:
//   CL = -0.2317 + 0.0513 a + 0.2945 exp(-0.1028 M),  CD = 0.024 + 7.24e-4 a^2 + 0.406 exp(-0.323
//   M)
// (quoted with the table in cavh-aero.csv). Not clamped: it is a fit, and extrapolates.
LiftDragCoefficients CavhFit(double mach, double alpha_rad);

}  // namespace hyperdef::flight
