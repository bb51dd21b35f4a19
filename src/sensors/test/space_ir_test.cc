// Space IR sensing: Planck band integrals against Stefan-Boltzmann and the blackbody radiation
// function, inverse-square irradiance, detection statistics, angle-noise covariance, field of
// regard, clutter background, the visibility cull against brute force, and the culled-pair look
// path against the full look.
#include "sensors/space_ir.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/constants.h"
#include "orbits/constellation.h"
#include "orbits/j2_propagator.h"
#include "sensors/line_of_sight.h"

namespace hyperdef::sensors {
namespace {

using core::kDegToRad;
using core::kWgs84A_m;

constexpr double kInf = std::numeric_limits<double>::infinity();

// Exact series for the fraction of blackbody exitance at x = hc/(lambda k T) and beyond
// (i.e. wavelengths below lambda): (15/pi^4) sum_n e^{-nx} (x^3/n + 3x^2/n^2 + 6x/n^3 + 6/n^4)
// (term-by-term integration of x^3 e^{-nx}; e.g. Siegel & Howell, Thermal Radiation Heat Transfer,
// sec. 2.4). Converges for x > 0; 200 terms are ample for x > 0.5.
double FractionBelowWavelength(double lambda_m, double t_k) {
  const double x =
      6.62607015e-34 * core::kSpeedOfLight_mps / (lambda_m * core::kBoltzmann_JpK * t_k);
  double sum = 0.0;
  for (int n = 1; n <= 200; ++n) {
    sum += std::exp(-n * x) *
           (x * x * x / n + 3 * x * x / (n * n) + 6 * x / (n * n * n) + 6.0 / (n * n * n * n));
  }
  return 15.0 / std::pow(core::kPi, 4) * sum;
}

// Band 0-infinity is sigma T^4 / pi (Stefan-Boltzmann, CODATA sigma). Tolerance 1e-9 relative:
// the quadrature's error on a smooth integrand, well above round-off.
TEST(PlanckBandRadiance, WholeSpectrumIsStefanBoltzmann) {
  for (double t : {200.0, 300.0, 1000.0, 2500.0, 5772.0}) {
    const double expected = core::kStefanBoltzmann * std::pow(t, 4) / core::kPi;
    EXPECT_NEAR(PlanckBandRadiance_W_per_m2_sr(0.0, kInf, t) / expected, 1.0, 1e-9) << t;
    // 0.1 um - 1 mm: the tails outside hold < 2e-6 of the total at these temperatures.
    EXPECT_NEAR(PlanckBandRadiance_W_per_m2_sr(0.1e-6, 1e-3, t) / expected, 1.0, 2e-5) << t;
  }
}

// 3-5 um at 1000 K against the exact series (tolerance 1e-9: quadrature error), and the textbook
// fact that a quarter of a blackbody's exitance lies below the Wien peak: F(2897.77 um K) = 0.2500
// (tolerance 5e-4, the precision the fact is usually quoted to).
TEST(PlanckBandRadiance, MidwaveFractionAt1000K) {
  const double t = 1000.0;
  const double total = core::kStefanBoltzmann * std::pow(t, 4) / core::kPi;
  const double fraction = PlanckBandRadiance_W_per_m2_sr(3e-6, 5e-6, t) / total;
  EXPECT_NEAR(fraction, 0.360497, 1e-6);  // series value, pinned for readers
  const double below_peak = PlanckBandRadiance_W_per_m2_sr(0.0, 2.89777e-6, t) / total;
  EXPECT_NEAR(below_peak, 0.25, 5e-4);
  const double series = FractionBelowWavelength(5e-6, t) - FractionBelowWavelength(3e-6, t);
  EXPECT_NEAR(fraction, series, 1e-9);
  // A narrow Wien-tail band (2.7-3.0 um at 300 K, x ~ 16-18) against the series.
  const double total300 = core::kStefanBoltzmann * std::pow(300.0, 4) / core::kPi;
  const double narrow = PlanckBandRadiance_W_per_m2_sr(2.7e-6, 3.0e-6, 300.0) / total300;
  const double narrow_series =
      FractionBelowWavelength(3.0e-6, 300.0) - FractionBelowWavelength(2.7e-6, 300.0);
  EXPECT_NEAR(narrow / narrow_series, 1.0, 1e-9);
  EXPECT_EQ(PlanckBandRadiance_W_per_m2_sr(3e-6, 5e-6, 0.0), 0.0);
  EXPECT_EQ(PlanckBandRadiance_W_per_m2_sr(3e-6, 5e-6, 1.0), 0.0);  // e^-4800
}

TEST(TargetIntensity, PlumeHotAndColdBody) {
  SpaceIrSpec spec;
  TargetTruth t;
  t.thrust_N = 5e5;
  t.surface_temperature_K = 0.0;
  EXPECT_DOUBLE_EQ(TargetIntensity_W_per_sr(spec, t),
                   5e5 * spec.plume_intensity_per_thrust_W_per_sr_N);
  t.thrust_N = 0.0;
  t.surface_temperature_K = 1000.0;
  t.emissivity = 0.8;
  t.radiating_area_m2 = 2.0;
  const double hot = TargetIntensity_W_per_sr(spec, t);
  EXPECT_DOUBLE_EQ(hot, 0.8 * 2.0 * PlanckBandRadiance_W_per_m2_sr(2.7e-6, 3.0e-6, 1000.0));
  // Order of magnitude: ~1.2e3 W/(m^2 sr) in 2.7-3.0 um at 1000 K (Wien peak 2.9 um).
  EXPECT_GT(hot, 1.0e3);
  EXPECT_LT(hot, 3.0e3);
  t.surface_temperature_K = 250.0;  // cold body after burnout: ~ nothing in band
  EXPECT_LT(TargetIntensity_W_per_sr(spec, t), 1e-6 * hot);
}

TEST(Irradiance, InverseSquare) {
  const double e1 = IrradianceAtAperture_W_per_m2(1e5, 1500e3);
  EXPECT_NEAR(IrradianceAtAperture_W_per_m2(1e5, 3000e3) / e1, 0.25, 1e-15);
  EXPECT_DOUBLE_EQ(e1, 1e5 / (1500e3 * 1500e3));
}

// Geometry in the equatorial plane (the ellipsoid there is a circle of radius a): satellite at
// 1,000 km on +x, target 1,000 km away along a ray at a given off-nadir angle towards +y.
struct Scene {
  SpaceIrSpec spec;
  Vec3 sat{kWgs84A_m + 1000e3, 0.0, 0.0};
  Vec3 sun{0.0, 0.0, 1.0};  // over the pole: never in these lines of sight
  TargetTruth Target(double off_nadir_deg, double range_m) const {
    TargetTruth t;
    t.id = "tgt";
    const double a = off_nadir_deg * kDegToRad;
    t.r_Ecef = sat + range_m * Vec3(-std::cos(a), std::sin(a), 0.0);
    t.thrust_N = 5e5;
    return t;
  }
};

TEST(EvaluateIrLook, FieldOfRegardEdgeAndBackground) {
  Scene s;
  const double edge = s.spec.field_of_regard_half_angle_rad / kDegToRad;
  const IrLookGeometry in =
      EvaluateIrLook(s.spec, s.sat, s.Target(edge - 0.01, 1000e3), s.sun, false);
  const IrLookGeometry out =
      EvaluateIrLook(s.spec, s.sat, s.Target(edge + 0.01, 1000e3), s.sun, false);
  EXPECT_TRUE(in.in_field_of_regard);
  EXPECT_TRUE(in.Visible());
  EXPECT_FALSE(out.in_field_of_regard);
  EXPECT_FALSE(out.Visible());
  EXPECT_EQ(out.pd, 0.0);
  // Off-nadir 65 deg from 1,000 km is above the limb (59.8 deg): cold space behind. Nadir: Earth.
  EXPECT_FALSE(in.los_ends_on_earth);
  // Nadir target at 100 km altitude (900 km range): Earth behind it.
  const IrLookGeometry nadir = EvaluateIrLook(s.spec, s.sat, s.Target(0.0, 900e3), s.sun, false);
  EXPECT_TRUE(nadir.Visible());
  EXPECT_TRUE(nadir.los_ends_on_earth);
  // Same range above the limb, cold space: SNR higher by exactly the clutter factor.
  const IrLookGeometry nadir_space =
      EvaluateIrLook(s.spec, s.sat, s.Target(edge - 0.01, 900e3), s.sun, false);
  ASSERT_TRUE(nadir_space.Visible());
  EXPECT_FALSE(nadir_space.los_ends_on_earth);
  EXPECT_NEAR(nadir_space.snr / nadir.snr, s.spec.clutter_nei_factor, 1e-9);
  // Narrow (tasked) mode: SNR scales with the NEI ratio.
  const IrLookGeometry tasked = EvaluateIrLook(s.spec, s.sat, s.Target(0.0, 900e3), s.sun, true);
  EXPECT_NEAR(tasked.snr / nadir.snr,
              s.spec.wide_field_nei_W_per_m2 / s.spec.narrow_field_nei_W_per_m2, 1e-9);
  // Sun straight along the line of sight: excluded.
  const Vec3 sun_along = (s.Target(0.0, 900e3).r_Ecef - s.sat).normalized();
  EXPECT_TRUE(EvaluateIrLook(s.spec, s.sat, s.Target(0.0, 900e3), sun_along, false).sun_excluded);
  // Below the 20 km grazing altitude: cut.
  TargetTruth low = s.Target(0.0, 1000e3);
  low.r_Ecef = Vec3(kWgs84A_m + 10e3, 0.0, 0.0);
  EXPECT_FALSE(EvaluateIrLook(s.spec, s.sat, low, s.sun, false).los_clear);
}

// Pd = Q(threshold - SNR): at SNR = threshold + 1, Pd = Q(-1) = 0.841345. 10,000 Bernoulli draws:
// sigma = 0.0037, tolerance 0.02 (> 5 sigma).
TEST(IrLook, EmpiricalDetectionProbability) {
  Scene s;
  TargetTruth t = s.Target(0.0, 900e3);
  const IrLookGeometry g0 = EvaluateIrLook(s.spec, s.sat, t, s.sun, false);
  // Scale the plume so the expected SNR is threshold + 1.
  t.thrust_N *= (s.spec.snr_threshold + 1.0) / g0.snr;
  const IrLookGeometry g = EvaluateIrLook(s.spec, s.sat, t, s.sun, false);
  ASSERT_NEAR(g.snr, s.spec.snr_threshold + 1.0, 1e-9);
  EXPECT_NEAR(g.pd, 0.841345, 1e-6);
  core::RandomStream rng(1, 0, "ir-test", "pd");
  int hits = 0;
  for (int i = 0; i < 10000; ++i)
    hits += IrLook(s.spec, s.sat, Vec3::Zero(), t, s.sun, false, rng).has_value();
  EXPECT_NEAR(hits / 10000.0, 0.841345, 0.02);
}

// Angle noise: the normalised error e^T C^+ e with C^+ = (I - u u^T)/sigma^2 is chi-square with 2
// degrees of freedom (mean 2, variance 4): over 10,000 draws the mean has sigma 0.02; tolerance
// 0.1 (5 sigma). Same for the ephemeris error (3 dof, mean 3, sigma of mean 0.025), drawn by
// EphemerisError once per look here (each look stands for another frame) and carried, to the
// bit, into the report's satellite position.
TEST(IrLook, AngleNoiseMatchesCovariance) {
  Scene s;
  const TargetTruth t = s.Target(30.0, 1000e3);  // 153 km altitude
  const Vec3 u_true = (t.r_Ecef - s.sat).normalized();
  core::RandomStream rng(2, 0, "ir-test", "angles");
  double chi2_angle = 0.0, chi2_pos = 0.0, along = 0.0;
  constexpr int kN = 10000;
  for (int i = 0; i < kN; ++i) {
    const Vec3 eph = EphemerisError(s.spec, rng);
    const auto m = IrLook(s.spec, s.sat, eph, t, s.sun, false, rng);
    ASSERT_TRUE(m.has_value());  // SNR ~ 1e3
    ASSERT_NEAR(m->u_Ecef.norm(), 1.0, 1e-12);
    EXPECT_EQ(m->truth_id, "tgt");
    EXPECT_FALSE(m->false_alarm);
    const Vec3 e = m->u_Ecef - u_true;
    const Eigen::Matrix3d c_pinv = m->u_covariance / std::pow(s.spec.angle_sigma_rad, 4);
    chi2_angle += e.dot(c_pinv * e);
    along += e.dot(u_true);
    ASSERT_EQ(m->sat_r_Ecef, s.sat + eph);
    EXPECT_EQ(m->sat_position_sigma_m, s.spec.position_knowledge_sigma_m);
    chi2_pos += eph.squaredNorm() / std::pow(s.spec.position_knowledge_sigma_m, 2);
  }
  EXPECT_NEAR(chi2_angle / kN, 2.0, 0.1);
  EXPECT_NEAR(chi2_pos / kN, 3.0, 0.125);
  // Error along the line of sight is second order (sigma^2 / 2 = 2e-10).
  EXPECT_LT(std::abs(along / kN), 1e-9);
}

// The angle noise's perpendicular basis must be orthonormal and perpendicular to the line of
// sight in every direction (Duff et al.'s branch on the sign of u_z included): with the two
// normals n1, n2 read from a copy of the stream, the noisy direction is (u + n1 e1 + n2 e2) / |.|,
// so u_noisy . u = 1 / sqrt(1 + n1^2 + n2^2) and |u_noisy x u| = sqrt(n1^2 + n2^2) / sqrt(1 +
// n1^2 + n2^2) exactly when {u, e1, e2} is orthonormal. sigma = 0.3 rad makes a departure of the
// basis of 1e-12 visible; tolerance 1e-14 (a few ulps of the normalisation).
TEST(FillIrMeasurement, PerpendicularBasisIsOrthonormalInEveryDirection) {
  SpaceIrSpec spec;
  spec.angle_sigma_rad = 0.3;
  core::RandomStream dirs(12, 0, "ir-test", "directions");
  const Vec3 sat(kWgs84A_m + 1000e3, 0.0, 0.0);
  for (int k = 0; k < 4000; ++k) {
    Vec3 u;
    if (k < 6) {
      u = Vec3::Zero();
      u[k / 2] = k % 2 == 0 ? 1.0 : -1.0;  // the axes, u_z = +-1 and 0
    } else {
      const double z = k < 100 ? std::copysign(1.0 - dirs.Uniform() * 1e-6, k % 2 - 0.5)
                               : dirs.Uniform(-1.0, 1.0);
      const double phi = core::kTwoPi * dirs.Uniform();
      u = Vec3(std::sqrt(1 - z * z) * std::cos(phi), std::sqrt(1 - z * z) * std::sin(phi), z);
    }
    TargetTruth t;
    t.r_Ecef = sat + 2000e3 * u;
    const double range = (t.r_Ecef - sat).norm();
    const Vec3 u_true = (t.r_Ecef - sat) / range;
    core::RandomStream rng(12, 1, static_cast<std::uint64_t>(k), 5);
    core::RandomStream copy = rng;
    const double n1 = 0.3 * copy.Normal(), n2 = 0.3 * copy.Normal();
    LosMeasurement m;
    FillIrMeasurement(spec, sat, Vec3::Zero(), t, range, 10.0, false, rng, &m);
    const double w = std::sqrt(1.0 + n1 * n1 + n2 * n2);
    ASSERT_NEAR(m.u_Ecef.dot(u_true), 1.0 / w, 1e-14) << k;
    ASSERT_NEAR(m.u_Ecef.cross(u_true).norm(), std::hypot(n1, n2) / w, 1e-14) << k;
  }
}

// False alarms: Poisson(Q(threshold) x pixels). Threshold 4 (Q = 3.1671e-5), 1e5 pixels: mean
// 3.1671/frame; over 2,000 frames the mean has sigma 0.04, tolerance 0.2.
TEST(IrFalseAlarms, RateAndFieldOfRegard) {
  Scene s;
  s.spec.snr_threshold = 4.0;
  s.spec.pixel_count = 1e5;
  core::RandomStream rng(3, 0, "ir-test", "false-alarms");
  const Vec3 nadir = -s.sat.normalized();
  long total = 0;
  const Vec3 eph(1.0, -2.0, 3.0);
  for (int f = 0; f < 2000; ++f) {
    const std::uint64_t count = IrFalseAlarmCount(s.spec, rng);
    const std::vector<LosMeasurement> alarms =
        IrFalseAlarms(s.spec, f * 1.0, s.sat, eph, count, rng);
    ASSERT_EQ(alarms.size(), count);
    for (const LosMeasurement& m : alarms) {
      ++total;
      EXPECT_EQ(m.sat_r_Ecef, s.sat + eph);
      EXPECT_TRUE(m.false_alarm);
      EXPECT_TRUE(m.truth_id.empty());
      EXPECT_GT(m.snr, s.spec.snr_threshold);
      EXPECT_LE(std::acos(std::min(1.0, m.u_Ecef.dot(nadir))),
                s.spec.field_of_regard_half_angle_rad + 1e-12);
    }
  }
  EXPECT_NEAR(total / 2000.0, GaussianQ(4.0) * 1e5, 0.2);
  EXPECT_NEAR(GaussianQ(4.0), 3.1671e-5, 1e-9);
}

// The cull must return exactly the satellites whose full geometry passes (no false rejections,
// no extra candidates): 1,000-satellite Walker constellation, 200 random targets 0-400 km.
TEST(IrVisibilityCuller, MatchesBruteForce) {
  orbits::WalkerConfig c;
  c.total = 1000;
  c.planes = 20;
  c.phasing = 1;
  c.altitude_m = 1000e3;
  c.inclination_rad = 60.0 * kDegToRad;
  const orbits::J2SecularBatch batch([&] {
    std::vector<orbits::KeplerianElements> el;
    for (const auto& sat : orbits::MakeWalkerConstellation(c)) el.push_back(sat.elements);
    return el;
  }());
  std::vector<Vec3> sats;
  batch.PositionsEcef(100.0, 0.3, &sats);
  SpaceIrSpec spec;
  IrVisibilityCuller culler(spec);
  culler.SetSatellites(sats);
  core::RandomStream rng(4, 0, "ir-test", "cull");
  const Vec3 sun = Vec3(1.0, 0.5, 0.2).normalized();
  std::vector<int> got;
  long total = 0;
  for (int k = 0; k < 200; ++k) {
    const double z = rng.Uniform(-1.0, 1.0), phi = core::kTwoPi * rng.Uniform();
    TargetTruth t;
    t.r_Ecef = (kWgs84A_m + rng.Uniform(0.0, 400e3)) *
               Vec3(std::sqrt(1 - z * z) * std::cos(phi), std::sqrt(1 - z * z) * std::sin(phi), z);
    culler.Candidates(t.r_Ecef, &sun, &got);
    std::vector<int> expected;
    for (size_t i = 0; i < sats.size(); ++i) {
      if (EvaluateIrLook(spec, sats[i], t, sun, false).Visible())
        expected.push_back(static_cast<int>(i));
    }
    ASSERT_EQ(got, expected) << "target " << k;
    EXPECT_EQ(CandidateSatellites(spec, sats, t.r_Ecef, &sun), expected);
    total += static_cast<long>(expected.size());
  }
  EXPECT_GT(total, 200);  // non-trivial: on average more than one satellite per target
}

// The culled-pair look path (sim/sensing.cc) against the full look, bit for bit: for every pair
// the culler passes and calls settled, EvaluateIrLook agrees that it is visible, at the same
// range, VisibleIrSnr gives its snr, and the draw + FillIrMeasurement gives IrLook's report from
// the same stream. Targets at random, plus targets placed on the field-of-regard cone of one
// satellite (its boundary), where the pair must come out unsettled or agree anyway. No
// tolerance: the fast path must reproduce every bit.
TEST(IrVisibilityCuller, SettledCandidatesLookExactlyAsIrLook) {
  orbits::WalkerConfig c;
  c.total = 1000;
  c.planes = 20;
  c.phasing = 1;
  c.altitude_m = 1000e3;
  c.inclination_rad = 60.0 * kDegToRad;
  const orbits::J2SecularBatch batch([&] {
    std::vector<orbits::KeplerianElements> el;
    for (const auto& sat : orbits::MakeWalkerConstellation(c)) el.push_back(sat.elements);
    return el;
  }());
  std::vector<Vec3> sats;
  batch.PositionsEcef(300.0, 1.1, &sats);
  SpaceIrSpec spec;
  IrVisibilityCuller culler(spec);
  culler.SetSatellites(sats);
  core::RandomStream rng(9, 0, "ir-test", "culled-look");
  const Vec3 sun = Vec3(0.3, -0.8, 0.4).normalized();
  std::vector<int> indices;
  std::vector<IrCandidate> cands;
  long settled = 0, unsettled = 0, detected = 0;
  for (int k = 0; k < 400; ++k) {
    TargetTruth t;
    t.id = "tgt";
    t.t_s = 300.0;
    t.thrust_N = k % 2 == 0 ? 2e5 : 0.0;
    t.surface_temperature_K = rng.Uniform(300.0, 1500.0);
    if (k % 4 == 3) {
      // On satellite 0's field-of-regard cone: a direction at exactly FOR off nadir.
      const Vec3 nadir = -sats[0].normalized();
      const Vec3 e1 = nadir.cross(Vec3::UnitZ()).normalized();
      const double a = spec.field_of_regard_half_angle_rad;
      const Vec3 u = std::cos(a) * nadir + std::sin(a) * e1;
      t.r_Ecef = sats[0] + rng.Uniform(1000e3, 3000e3) * u;
    } else {
      const double z = rng.Uniform(-1.0, 1.0), phi = core::kTwoPi * rng.Uniform();
      t.r_Ecef =
          (kWgs84A_m + rng.Uniform(0.0, 1500e3)) *
          Vec3(std::sqrt(1 - z * z) * std::cos(phi), std::sqrt(1 - z * z) * std::sin(phi), z);
    }
    culler.Candidates(t.r_Ecef, &sun, &indices);
    culler.Candidates(t.r_Ecef, &sun, &cands);
    ASSERT_EQ(cands.size(), indices.size());
    const double intensity = TargetIntensity_W_per_sr(spec, t);
    ASSERT_EQ(intensity, TargetIntensity_W_per_sr(
                             spec, t,
                             PlanckBandRadiance_W_per_m2_sr(spec.band_lo_m, spec.band_hi_m,
                                                            t.surface_temperature_K)));
    for (size_t j = 0; j < cands.size(); ++j) {
      const IrCandidate& cand = cands[j];
      ASSERT_EQ(cand.satellite, indices[j]);
      if (!cand.settled) {
        ++unsettled;
        continue;
      }
      ++settled;
      const Vec3& sat = sats[static_cast<size_t>(cand.satellite)];
      const IrLookGeometry g = EvaluateIrLook(spec, sat, t, sun, false, intensity);
      ASSERT_TRUE(g.Visible()) << "target " << k << " satellite " << cand.satellite;
      ASSERT_EQ(cand.range_m, g.range_m);
      const double snr = VisibleIrSnr(spec, sat, t.r_Ecef, cand.range_m, intensity, false);
      ASSERT_EQ(snr, g.snr);
      for (bool tasked : {false, true}) {
        const std::uint64_t key = static_cast<std::uint64_t>(k * 2 + (tasked ? 1 : 0));
        core::RandomStream full_rng(9, 1, key, 77);
        core::RandomStream fast_rng(9, 1, key, 77);
        const Vec3 eph(0.5 * k, -1.5, 2.0);
        const auto full = IrLook(spec, sat, eph, t, sun, tasked, full_rng, intensity);
        const double tasked_snr =
            VisibleIrSnr(spec, sat, t.r_Ecef, cand.range_m, intensity, tasked);
        const double measured = tasked_snr + fast_rng.Normal();
        ASSERT_EQ(full.has_value(), measured > spec.snr_threshold);
        if (!full) continue;
        ++detected;
        LosMeasurement m;
        m.sensor_id = "stale";
        m.truth_id = "stale";
        m.false_alarm = true;
        FillIrMeasurement(spec, sat, eph, t, cand.range_m, measured, tasked, fast_rng, &m);
        EXPECT_EQ(m.t_s, full->t_s);
        EXPECT_EQ(m.sensor_id, full->sensor_id);
        EXPECT_EQ(m.sat_r_Ecef, full->sat_r_Ecef);
        EXPECT_EQ(m.sat_position_sigma_m, full->sat_position_sigma_m);
        EXPECT_EQ(m.u_Ecef, full->u_Ecef);
        EXPECT_EQ(m.u_covariance, full->u_covariance);
        EXPECT_EQ(m.snr, full->snr);
        EXPECT_EQ(m.truth_id, full->truth_id);
        EXPECT_EQ(m.false_alarm, full->false_alarm);
        EXPECT_EQ(fast_rng.Bits(), full_rng.Bits()) << "both must have drawn as much";
      }
    }
  }
  EXPECT_GT(settled, 1000);  // the fast path is exercised on many pairs
  EXPECT_GT(detected, 100);  // and through to the report
  EXPECT_GT(unsettled, 0);   // the cone-edge targets do reach the boundary guard
  // Without a Sun direction no pair is settled (the sun test was not made).
  culler.Candidates(sats[0] * 0.8, nullptr, &cands);
  for (const IrCandidate& cand : cands) EXPECT_FALSE(cand.settled);
}

TEST(SpaceIrSpec, ValidateNamesTheField) {
  SpaceIrSpec spec;
  EXPECT_NO_THROW(spec.Validate());
  spec.id = "trk";
  spec.snr_threshold = -1.0;
  try {
    spec.Validate();
    FAIL() << "expected a throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "space_ir 'trk': snr_threshold must be > 0 (got -1)");
  }
  spec = SpaceIrSpec{};
  spec.band_hi_m = spec.band_lo_m;
  EXPECT_THROW(spec.Validate(), std::invalid_argument);
}

}  // namespace
}  // namespace hyperdef::sensors
