// Threat classification from what a track shows (never from truth): ballistic missile,
// boost-glide vehicle or cruise missile, or "unknown" while the evidence is weak.
//
// Model: naive Bayes over flight-regime features,
//   P(c | f) ∝ P(c) prod_k L_k(f_k | c)^w,   c in {ballistic, boost-glide, cruise, unknown},
// where each L_k is a transparent soft-band membership (1 inside the band the open literature
// gives for the class, Gaussian shoulders outside, never below a floor eps = 0.02 so no single
// feature can veto a class by more than a factor 50), the "unknown" class has the same flat
// likelihood u = 0.5 for every feature (it absorbs tracks that fit no regime), and w =
// clamp((t - 5 s)/(30 s - 5 s), 0, 1) tempers all likelihoods for a young track (w = 0: the prior,
// whose largest entry is "unknown"). Missing features (NaN) are skipped.
//
// Regimes (bands in the .cc, next to each number):
//  - ballistic: a Keplerian arc. Apogee above ~100 km for ranges beyond ~300 km (Bate, Mueller
//    & White 1971, ch. 6; CRS R45811), no aerodynamic acceleration above ~80 km and afterwards
//    only drag, rho v^2/(2 beta) with beta 1,000-50,000 kg/m^2; the height never rises again
//    after apogee, and the dive angle below apogee follows from energy: a body 40 km below its
//    apogee cannot be flying level.
//  - boost-glide: glides at 25-60 km at Mach 5-20 (Acton 2015, Science & Global Security 23(3);
//    Tracy & Wright 2020, S&GS 28(3); CRS R45811 "Hypersonic Weapons: Background and Issues for
//    Congress"), held up by lift of about the apparent weight, a_aero ~ (g - v^2/r) sqrt(1 +
//    (D/L)^2) (a fraction of g to g), flight-path angle within a few degrees of zero for long.
//  - cruise: air-breathing, 15-35 km at Mach 3-8 (CRS R45811; scramjet and ramjet envelopes),
//    level flight under power (lift ~ weight, |gamma| < 2 deg) and never higher than ~40 km.
//  - IMM mode probabilities, when given, add the tracker's view: "ballistic" favours ballistic,
//    "glide" favours boost-glide, manoeuvre modes ("ca", "singer", "ct") favour either
//    manoeuvring class and "cv" weakly favours cruise. Their likelihood is (eps + match)^0.5 (the
//    exponent halves their weight: mode probabilities are themselves built from the same track).
// Prior (default): ballistic 0.25, boost-glide 0.2, cruise 0.15, unknown 0.4.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace hyperdef::assessment {

enum class ThreatClassEstimate { kBallistic, kBoostGlide, kCruise, kUnknown };
const char* ToString(ThreatClassEstimate c);

// Features of a track. NaN marks a feature the caller does not have.
struct ClassifierInput {
  double t_since_first_track_s = 0.0;  // track age
  double altitude_m = 0.0;             // height above the ellipsoid now
  double speed_mps = 0.0;              // inertial or Earth-relative speed (either: within 5 %)
  double max_altitude_m = 0.0;         // largest height seen on the track
  // Smallest height seen since the track's apogee; NaN (or >= altitude_m) if still climbing.
  double min_altitude_m_since_apogee = 0.0;
  double vertical_speed_mps = 0.0;  // + up
  // |a - gravity| estimated (e.g. from a glide/CA mode or from finite differences of the
  // velocity history), m/s^2.
  double specific_aero_accel_mps2 = 0.0;
  double flight_path_angle_rad = 0.0;  // + up, from the local horizontal
  // IMM modes by model name: "ballistic", "glide", "ca", "cv", "singer", "ct" ... (sum ~ 1).
  std::vector<std::pair<std::string, double>> mode_probabilities;
};

struct ClassProbabilities {
  double ballistic = 0.0;
  double boost_glide = 0.0;
  double cruise = 0.0;
  double unknown = 1.0;
  ThreatClassEstimate best = ThreatClassEstimate::kUnknown;
  double best_probability = 1.0;
};

struct ClassifierPrior {
  double ballistic = 0.25;
  double boost_glide = 0.2;
  double cruise = 0.15;
  double unknown = 0.4;
};

// Posterior class probabilities (sum to 1) and the most probable class.
ClassProbabilities Classify(const ClassifierInput& in, const ClassifierPrior& prior = {});

}  // namespace hyperdef::assessment
