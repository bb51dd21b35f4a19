#include "orbits/constellation.h"

#include <fmt/format.h>

#include <cmath>
#include <set>
#include <stdexcept>

namespace hyperdef::orbits {

namespace {
double Wrap2Pi(double x) {
  x = std::fmod(x, core::kTwoPi);
  return x < 0.0 ? x + core::kTwoPi : x;
}
}  // namespace

std::string SatelliteId(const std::string& prefix, int plane, int slot) {
  return fmt::format("{}-p{}-s{}", prefix, plane, slot);
}

void WalkerConfig::Validate() const {
  if (total <= 0) throw std::invalid_argument(fmt::format("total must be > 0 (got {})", total));
  if (planes <= 0 || total % planes != 0) {
    throw std::invalid_argument(
        fmt::format("planes must be > 0 and divide total (got T={}, P={})", total, planes));
  }
  if (phasing < 0 || phasing >= planes) {
    throw std::invalid_argument(
        fmt::format("phasing must be in [0, planes-1] (got F={}, P={})", phasing, planes));
  }
  if (!(altitude_m > 0.0)) {
    throw std::invalid_argument(fmt::format("altitude_m must be > 0 (got {})", altitude_m));
  }
  if (!(inclination_rad >= 0.0 && inclination_rad <= core::kPi)) {
    throw std::invalid_argument(
        fmt::format("inclination must be in [0, pi] rad (got {})", inclination_rad));
  }
}

std::vector<Satellite> MakeWalkerConstellation(const WalkerConfig& c) {
  c.Validate();
  const int per_plane = c.total / c.planes;
  const double node_spread = (c.pattern == WalkerPattern::kDelta) ? core::kTwoPi : core::kPi;
  const double d_node = node_spread / c.planes;
  const double d_slot = core::kTwoPi / per_plane;
  const double d_phase = c.phasing * core::kTwoPi / c.total;  // Walker 1984: F * 360 / T
  std::vector<Satellite> sats;
  sats.reserve(c.total);
  for (int p = 0; p < c.planes; ++p) {
    for (int s = 0; s < per_plane; ++s) {
      Satellite sat;
      sat.id = SatelliteId(c.id_prefix, p, s);
      sat.plane = p;
      sat.slot = s;
      sat.elements.a_m = core::kWgs84A_m + c.altitude_m;
      sat.elements.e = 0.0;
      sat.elements.i_rad = c.inclination_rad;
      sat.elements.raan_rad = Wrap2Pi(c.raan0_rad + p * d_node);
      sat.elements.argp_rad = 0.0;  // circular: the anomaly is the argument of latitude
      sat.elements.true_anomaly_rad = Wrap2Pi(c.arg_latitude0_rad + s * d_slot + p * d_phase);
      sats.push_back(sat);
    }
  }
  return sats;
}

std::vector<Satellite> MakeExplicitConstellation(const std::string& id_prefix,
                                                 const std::vector<ExplicitSatellite>& entries) {
  std::vector<Satellite> sats;
  std::set<std::pair<int, int>> seen;
  for (const ExplicitSatellite& e : entries) {
    e.elements.Validate();
    if (!seen.insert({e.plane, e.slot}).second) {
      throw std::invalid_argument(
          fmt::format("duplicate satellite {}", SatelliteId(id_prefix, e.plane, e.slot)));
    }
    sats.push_back({SatelliteId(id_prefix, e.plane, e.slot), e.plane, e.slot, e.elements});
  }
  return sats;
}

}  // namespace hyperdef::orbits
