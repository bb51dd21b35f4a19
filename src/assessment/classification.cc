#include "assessment/classification.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "core/constants.h"
#include "earth/atmosphere.h"

namespace hyperdef::assessment {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kEps = 0.02;      // likelihood floor: one feature moves odds by <= 50x
constexpr double kUnknownL = 0.5;  // flat likelihood of the "unknown" class, every feature
constexpr int kB = 0, kG = 1, kC = 2, kU = 3;
using Scores = std::array<double, 4>;  // log-likelihoods

// Soft band: 1 on [lo, hi], Gaussian shoulders of width `soft` outside, floored at kEps.
double Band(double x, double lo, double hi, double soft) {
  double d = 0.0;
  if (x < lo) d = (lo - x) / soft;
  if (x > hi) d = (x - hi) / soft;
  return std::max(std::exp(-0.5 * d * d), kEps);
}

void Add(Scores& s, double lb, double lg, double lc) {
  s[kB] += std::log(lb);
  s[kG] += std::log(lg);
  s[kC] += std::log(lc);
  s[kU] += std::log(kUnknownL);
}

}  // namespace

const char* ToString(ThreatClassEstimate c) {
  switch (c) {
    case ThreatClassEstimate::kBallistic:
      return "ballistic";
    case ThreatClassEstimate::kBoostGlide:
      return "boost_glide";
    case ThreatClassEstimate::kCruise:
      return "cruise";
    case ThreatClassEstimate::kUnknown:
      return "unknown";
  }
  return "unknown";
}

ClassProbabilities Classify(const ClassifierInput& in, const ClassifierPrior& prior) {
  Scores s{0.0, 0.0, 0.0, 0.0};
  const double h = in.altitude_m;
  const double v = in.speed_mps;
  const double km = 1e3;

  // Current height. Ballistic: anywhere from re-entry to exo-atmospheric (uninformative).
  if (std::isfinite(h)) {
    Add(s, Band(h, 0.0, kInf, 5 * km),       //
        Band(h, 25 * km, 60 * km, 5 * km),   // glide band (Acton 2015; Tracy & Wright 2020)
        Band(h, 15 * km, 35 * km, 4 * km));  // air-breathing cruise band (CRS R45811)
  }
  // Mach number on US-76 (above 86 km the standard's sound speed is continued; any ballistic
  // speed fits).
  if (std::isfinite(h) && std::isfinite(v)) {
    const double mach = v / earth::Us76(h).speed_of_sound_mps;
    Add(s, 1.0, Band(mach, 5.0, 20.0, 1.0), Band(mach, 3.0, 8.0, 0.7));
  }
  // Highest point of the track: a ballistic missile of range > ~300 km peaks above ~100 km (Bate,
  // Mueller & White 1971, ch. 6); a cruise missile never climbs above ~40 km; a glider is boosted
  // to its release (40 km or more) and may peak anywhere below ~150 km (Acton 2015).
  if (std::isfinite(in.max_altitude_m)) {
    const double hm = in.max_altitude_m;
    Add(s, Band(hm, 100 * km, kInf, 30 * km), Band(hm, 40 * km, 150 * km, 10 * km),
        Band(hm, 0.0, 40 * km, 5 * km));
  }
  // Rise since the lowest point after apogee: a Keplerian arc never climbs again (0.5 km of
  // track noise allowed); lift lets a glider skip (and a cruise missile hold or climb).
  if (std::isfinite(h) && std::isfinite(in.min_altitude_m_since_apogee)) {
    const double rise = std::max(h - in.min_altitude_m_since_apogee, 0.0);
    Add(s, Band(rise, 0.0, 0.5 * km, 1.0 * km), 1.0, 1.0);
  }
  // Non-gravitational acceleration.
  if (std::isfinite(in.specific_aero_accel_mps2) && std::isfinite(h) && std::isfinite(v)) {
    const double a = std::max(in.specific_aero_accel_mps2, 0.0);
    const double rho = earth::Us76(h).density_kgpm3;
    const double q = 0.5 * rho * v * v;
    // Ballistic: drag only, beta 1,000-50,000 kg/m^2, plus 1 m/s^2 + 20 % estimation slack.
    const double a_lo = q / 50000.0, a_hi = q / 1000.0;
    const double lb = Band(a, a_lo, a_hi, 1.0 + 0.2 * a_hi);
    // Lifting flight: lift ~ apparent weight g - v^2/r (at least 1 m/s^2 so a near-orbital
    // glider keeps a band), L/D ~ 2.6 adds 7 % drag; log-space band.
    const double r = core::kEarthMeanRadius_m + h;
    const double g = core::kEarthMu_m3ps2 / (r * r);
    const double a_eq = std::max(g - v * v / r, 1.0) * 1.07;
    const double la = std::log(std::max(a, 1e-3) / a_eq);
    const double lg = Band(la, std::log(0.3), std::log(3.0), 0.3);  // manoeuvres up to ~3x
    const double lc = Band(la, std::log(0.5), std::log(2.0), 0.3);  // powered, level: ~1x
    Add(s, lb, lg, lc);
  }
  // Flight-path angle: gliders and cruise missiles fly nearly level; a ballistic arc can have any
  // angle up to ~60 deg (lofted), including 0 at apogee.
  if (std::isfinite(in.flight_path_angle_rad)) {
    const double gd = std::abs(in.flight_path_angle_rad) * core::kRadToDeg;
    Add(s, Band(gd, 0.0, 60.0, 10.0), Band(gd, 0.0, 3.0, 3.0), Band(gd, 0.0, 2.0, 2.0));
  }
  // Keplerian arc: a body that fell freely from its apogee max_altitude_m to here has gained the
  // vertical speed v_z^2 ~ 2 (mu/r - mu/r_max) (energy, horizontal speed held), so it must dive at
  // |gamma| >= asin(v_z / v); the flat-Earth energy estimate runs high by up to ~1/3 over long
  // arcs (the horizontal speed grows too), hence the 0.6 factor and the 1 deg + 15 % shoulder.
  // A glider or cruise missile far below its highest point yet flying level is not ballistic.
  if (std::isfinite(h) && std::isfinite(v) && v > 0.0 && std::isfinite(in.max_altitude_m)) {
    double gamma = in.flight_path_angle_rad;
    if (!std::isfinite(gamma) && std::isfinite(in.vertical_speed_mps)) {
      gamma = std::asin(std::clamp(in.vertical_speed_mps / v, -1.0, 1.0));
    }
    if (std::isfinite(gamma)) {
      const double R = core::kEarthMeanRadius_m, mu = core::kEarthMu_m3ps2;
      const double hm = std::max(in.max_altitude_m, h);
      const double vz2 = 2.0 * (mu / (R + h) - mu / (R + hm));
      const double g_exp = std::asin(std::clamp(std::sqrt(vz2) / v, 0.0, 1.0)) * core::kRadToDeg;
      const double gd = std::abs(gamma) * core::kRadToDeg;
      Add(s, Band(gd, 0.6 * g_exp, 90.0, 1.0 + 0.15 * g_exp), 1.0, 1.0);
    }
  }
  // IMM mode probabilities.
  if (!in.mode_probabilities.empty()) {
    double pb = 0.0, pg = 0.0, pm = 0.0, pcv = 0.0;
    for (const auto& [name, p] : in.mode_probabilities) {
      if (!std::isfinite(p)) continue;
      if (name == "ballistic") pb += p;
      if (name == "glide") pg += p;
      if (name == "ca" || name == "singer" || name == "ct") pm += p;
      if (name == "cv") pcv += p;
    }
    const double mb = 0.1 + pb + 0.3 * pcv;
    const double mg = 0.1 + pg + 0.6 * pm + 0.2 * pcv;
    const double mc = 0.1 + 0.6 * pm + 0.6 * pcv + 0.4 * pg;
    s[kB] += 0.5 * std::log(mb);
    s[kG] += 0.5 * std::log(mg);
    s[kC] += 0.5 * std::log(mc);
    s[kU] += 0.5 * std::log(0.5);  // a middling match
  }

  // Young tracks: temper the evidence.
  const double w = std::clamp((in.t_since_first_track_s - 5.0) / 25.0, 0.0, 1.0);
  const std::array<double, 4> pr{prior.ballistic, prior.boost_glide, prior.cruise, prior.unknown};
  std::array<double, 4> lp;
  double mx = -kInf;
  for (int i = 0; i < 4; ++i) {
    lp[i] = (pr[i] > 0.0 ? std::log(pr[i]) : -kInf) + w * s[i];
    mx = std::max(mx, lp[i]);
  }
  std::array<double, 4> p;
  double sum = 0.0;
  for (int i = 0; i < 4; ++i) {
    p[i] = std::exp(lp[i] - mx);
    sum += p[i];
  }
  for (double& x : p) x /= sum;
  ClassProbabilities out;
  out.ballistic = p[kB];
  out.boost_glide = p[kG];
  out.cruise = p[kC];
  out.unknown = p[kU];
  const int best = static_cast<int>(std::max_element(p.begin(), p.end()) - p.begin());
  out.best = static_cast<ThreatClassEstimate>(best);
  out.best_probability = p[best];
  return out;
}

}  // namespace hyperdef::assessment
