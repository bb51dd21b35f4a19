// Fly-out table: an interceptor class's time of flight and speed to a point, as a function of the
// point's ground range from the launch site and its altitude, tabulated once from FlyToPoint()
// (interceptor.h) and interpolated bilinearly by fire control.
//
// Site independence. The table is built for one reference site (equator, sea level, firing due
// north) and used for any site: the Earth's rotation (Coriolis, launch-site velocity) and the
// variation of gravity with latitude change the fly-out time by well under a percent over the
// envelope, which is below the fire-control planning margins. Fire control that needs the exact
// figure calls FlyToPoint() directly.
//
// Layout. ground_ranges_m (strictly increasing, size nr >= 2) and altitudes_m (strictly increasing,
// size na >= 2) span the grid; times_s and speeds_mps are row-major over (range, altitude):
//   value(i_range, i_alt) = times_s[i_range * altitudes_m.size() + i_alt].
// A NaN time marks a grid node the interceptor cannot reach (outside its envelope, out of energy or
// beyond its maximum flight time); the speed there is NaN too. The data members are public so that
// tests and other layers may fill a table directly.
//
// Interpolation. Bilinear on the cell containing (ground range, altitude). A query outside the
// grid, or in a cell with any unreachable (NaN) corner, is unreachable (std::nullopt / NaN):
// conservative at the envelope's edge, where a corner beyond it would otherwise be extrapolated.
#pragma once

#include <optional>
#include <vector>

#include "engagement/interceptor_spec.h"

namespace hyperdef::engagement {

struct FlyoutTable {
  std::vector<double> ground_ranges_m;  // grid abscissae, strictly increasing
  std::vector<double> altitudes_m;      // grid ordinates, strictly increasing
  std::vector<double> times_s;          // time of flight, row-major [i_range * na + i_alt]; NaN: no
  std::vector<double> speeds_mps;       // speed at the point (ECEF), same layout; NaN: unreachable

  // Time of flight from launch to the point (s), or nullopt if unreachable / off the grid.
  std::optional<double> TimeOfFlight_s(double ground_range_m, double altitude_m) const;
  // Interceptor speed at the point (m/s, ECEF), or NaN if unreachable / off the grid.
  double Speed_mps(double ground_range_m, double altitude_m) const;

  // Value at grid node (i_range, i_alt).
  double TimeAt(std::size_t i_range, std::size_t i_alt) const {
    return times_s[i_range * altitudes_m.size() + i_alt];
  }
  double SpeedAt(std::size_t i_range, std::size_t i_alt) const {
    return speeds_mps[i_range * altitudes_m.size() + i_alt];
  }
};

// Builds the table by flying the interceptor with FlyToPoint() from the reference site (equator,
// sea level) due north to every grid node. Nodes outside the spec's envelope (altitude outside
// [min, max]_intercept_altitude_m, range beyond max_ground_range_m) are NaN without flying.
// ground_ranges_m and altitudes_m must be strictly increasing with at least two values each
// (throws core::InputError otherwise).
FlyoutTable MakeFlyoutTable(const InterceptorSpec& spec, const std::vector<double>& ground_ranges_m,
                            const std::vector<double>& altitudes_m);

// Convenience: a uniform grid of nr ranges over [0, spec.max_ground_range_m] and na altitudes over
// [spec.min_intercept_altitude_m, spec.max_intercept_altitude_m] (nr, na >= 2).
FlyoutTable MakeFlyoutTable(const InterceptorSpec& spec, int n_ranges = 21, int n_altitudes = 11);

}  // namespace hyperdef::engagement
