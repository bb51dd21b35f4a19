#include "engagement/flyout_table.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "earth/wgs84.h"
#include "engagement/interceptor.h"

namespace hyperdef::engagement {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Bilinear interpolation of a row-major (range, altitude) grid; NaN off the grid or when a corner
// of the cell is NaN.
double Bilinear(const FlyoutTable& t, const std::vector<double>& values, double x, double y) {
  const auto& xs = t.ground_ranges_m;
  const auto& ys = t.altitudes_m;
  if (xs.size() < 2 || ys.size() < 2 || values.size() != xs.size() * ys.size()) return kNaN;
  if (!(x >= xs.front() && x <= xs.back() && y >= ys.front() && y <= ys.back())) return kNaN;
  const std::size_t i = std::min<std::size_t>(
      static_cast<std::size_t>(std::upper_bound(xs.begin(), xs.end(), x) - xs.begin()) - 1,
      xs.size() - 2);
  const std::size_t j = std::min<std::size_t>(
      static_cast<std::size_t>(std::upper_bound(ys.begin(), ys.end(), y) - ys.begin()) - 1,
      ys.size() - 2);
  const std::size_t na = ys.size();
  const double v00 = values[i * na + j], v01 = values[i * na + j + 1];
  const double v10 = values[(i + 1) * na + j], v11 = values[(i + 1) * na + j + 1];
  if (std::isnan(v00) || std::isnan(v01) || std::isnan(v10) || std::isnan(v11)) return kNaN;
  const double wx = (x - xs[i]) / (xs[i + 1] - xs[i]);
  const double wy = (y - ys[j]) / (ys[j + 1] - ys[j]);
  return (1 - wx) * ((1 - wy) * v00 + wy * v01) + wx * ((1 - wy) * v10 + wy * v11);
}

void RequireIncreasing(const std::vector<double>& v, const char* key) {
  bool ok = v.size() >= 2;
  for (std::size_t k = 1; ok && k < v.size(); ++k) ok = v[k] > v[k - 1];
  if (!ok)
    throw core::InputError({}, key,
                           "must hold at least two strictly increasing values (got " +
                               std::to_string(v.size()) + " values)");
}

}  // namespace

std::optional<double> FlyoutTable::TimeOfFlight_s(double ground_range_m, double altitude_m) const {
  const double t = Bilinear(*this, times_s, ground_range_m, altitude_m);
  if (std::isnan(t)) return std::nullopt;
  return t;
}

double FlyoutTable::Speed_mps(double ground_range_m, double altitude_m) const {
  return Bilinear(*this, speeds_mps, ground_range_m, altitude_m);
}

FlyoutTable MakeFlyoutTable(const InterceptorSpec& spec, const std::vector<double>& ground_ranges_m,
                            const std::vector<double>& altitudes_m) {
  RequireIncreasing(ground_ranges_m, "flyout_table.ground_ranges");
  RequireIncreasing(altitudes_m, "flyout_table.altitudes");
  FlyoutTable t;
  t.ground_ranges_m = ground_ranges_m;
  t.altitudes_m = altitudes_m;
  t.times_s.assign(ground_ranges_m.size() * altitudes_m.size(), kNaN);
  t.speeds_mps.assign(t.times_s.size(), kNaN);
  const earth::Geodetic site{0.0, 0.0, 0.0};  // reference site: equator, sea level, fire north
  for (std::size_t i = 0; i < ground_ranges_m.size(); ++i) {
    double lat = 0.0, lon = 0.0;
    earth::GeodesicDirect(site.lat_rad, site.lon_rad, 0.0, ground_ranges_m[i], &lat, &lon);
    for (std::size_t j = 0; j < altitudes_m.size(); ++j) {
      const double h = altitudes_m[j];
      if (h < spec.min_intercept_altitude_m || h > spec.max_intercept_altitude_m ||
          ground_ranges_m[i] > spec.max_ground_range_m)
        continue;
      const FlyoutPoint f = FlyToPoint(spec, site, earth::EcefFromGeodetic({lat, lon, h}));
      if (!f.reachable) continue;
      t.times_s[i * altitudes_m.size() + j] = f.time_of_flight_s;
      t.speeds_mps[i * altitudes_m.size() + j] = f.speed_mps;
    }
  }
  return t;
}

FlyoutTable MakeFlyoutTable(const InterceptorSpec& spec, int n_ranges, int n_altitudes) {
  if (n_ranges < 2 || n_altitudes < 2)
    throw core::InputError({}, "flyout_table",
                           "needs at least two ranges and two altitudes (got " +
                               std::to_string(n_ranges) + " x " + std::to_string(n_altitudes) +
                               ")");
  std::vector<double> xs(static_cast<std::size_t>(n_ranges)),
      ys(static_cast<std::size_t>(n_altitudes));
  for (int k = 0; k < n_ranges; ++k)
    xs[static_cast<std::size_t>(k)] = spec.max_ground_range_m * k / (n_ranges - 1);
  for (int k = 0; k < n_altitudes; ++k)
    ys[static_cast<std::size_t>(k)] =
        spec.min_intercept_altitude_m +
        (spec.max_intercept_altitude_m - spec.min_intercept_altitude_m) * k / (n_altitudes - 1);
  return MakeFlyoutTable(spec, xs, ys);
}

}  // namespace hyperdef::engagement
