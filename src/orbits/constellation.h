// Satellite constellations: Walker patterns and explicit element lists.
//
// Walker notation i:T/P/F (Walker 1984, "Satellite constellations", J. Br. Interplanet. Soc. 37,
// 559-572): T satellites in P equally populated circular orbit planes of inclination i; F in
// [0, P-1] is the phasing — a satellite in plane p+1 is F*360/T degrees further along in argument
// of latitude than its counterpart in plane p.
//   delta pattern: plane nodes spread over 360 deg (RAAN_p = RAAN_0 + p * 360/P)
//   star  pattern: plane nodes spread over 180 deg (RAAN_p = RAAN_0 + p * 180/P), the near-polar
//                  "streets of coverage" layout (adjacent first and last planes counter-rotate).
// Slot s of plane p (both numbered from 0) has argument of latitude
//   u = u_0 + s * 360/S + p * F * 360/T,   S = T/P.
// Ids are "<prefix>-p<plane>-s<slot>" with those 0-based numbers, e.g. "trk-p0-s0".
#pragma once

#include <string>
#include <vector>

#include "orbits/keplerian.h"

namespace hyperdef::orbits {

struct Satellite {
  std::string id;
  int plane = 0;
  int slot = 0;
  KeplerianElements elements;  // mean elements at the scenario epoch, hyperdef ECI
};

enum class WalkerPattern { kDelta, kStar };

struct WalkerConfig {
  WalkerPattern pattern = WalkerPattern::kDelta;
  int total = 0;            // T
  int planes = 0;           // P, divides T
  int phasing = 0;          // F in [0, P-1]
  double altitude_m = 0.0;  // above the WGS-84 equatorial radius (circular orbits: a = a_WGS84 + h)
  double inclination_rad = 0.0;
  double raan0_rad = 0.0;          // node of plane 0
  double arg_latitude0_rad = 0.0;  // argument of latitude of slot 0 in plane 0
  std::string id_prefix = "sat";

  // Throws std::invalid_argument naming the field (e.g. "planes must divide total (got T=28,
  // P=5)").
  void Validate() const;
};

std::vector<Satellite> MakeWalkerConstellation(const WalkerConfig& config);

// An explicit list: each entry names its plane and slot; elements are validated.
struct ExplicitSatellite {
  int plane = 0;
  int slot = 0;
  KeplerianElements elements;
};
std::vector<Satellite> MakeExplicitConstellation(const std::string& id_prefix,
                                                 const std::vector<ExplicitSatellite>& entries);

std::string SatelliteId(const std::string& prefix, int plane, int slot);

}  // namespace hyperdef::orbits
