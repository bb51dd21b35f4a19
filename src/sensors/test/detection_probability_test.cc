#include "sensors/detection_probability.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/random.h"

namespace hyperdef::sensors {
namespace {

double Db(double x) { return 10.0 * std::log10(x); }
double Lin(double db) { return std::pow(10.0, db / 10.0); }

// SNR (dB) at which Pd reaches `pd`, by bisection on the (monotone) exact curve.
double RequiredSnr_dB(double pd, double pfa, SwerlingCase c, int n = 1) {
  double lo = -20.0, hi = 40.0;
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    (ProbabilityOfDetection(Lin(mid), pfa, c, n) < pd ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

// Published single-pulse, non-fluctuating, square-law values at Pfa = 1e-6: 13.18 dB for
// Pd = 0.9 (exact computation, sdr.min_snr documentation, M. Hostetter, and the classic 13.2 dB
// of Richards 2014 ch. 6 / Skolnik 3rd ed. fig. 2.7) and about 11.2 dB for Pd = 0.5. The exact
// Marcum computation must land within 0.05 dB (table rounding).
TEST(DetectionProbabilityTest, Swerling0MatchesPublishedSingePulseValues) {
  EXPECT_NEAR(RequiredSnr_dB(0.9, 1e-6, SwerlingCase::k0), 13.18, 0.05);
  EXPECT_NEAR(RequiredSnr_dB(0.5, 1e-6, SwerlingCase::k0), 11.2, 0.1);
}

// Albersheim's equation against the exact curve. Stated: +-0.2 dB for 1e-7 <= Pfa <= 1e-3,
// 0.1 <= Pd <= 0.9 (Albersheim 1981; Richards 2014 ch. 6). Albersheim fits a linear detector; for
// N > 1 the square-law/linear difference adds up to ~0.2 dB, so we allow 0.3 dB. MEASURED here:
// the claim fails at the low-Pd edge (Pd = 0.1: 0.75 dB at Pfa 1e-7 rising to 4.1 dB at Pfa 1e-3
// for N = 1, where linear and square-law detection coincide and the exact curve is checked by
// Monte Carlo below), so the test asserts from Pd = 0.3 and ProbabilityOfDetection does not use
// Albersheim at all.
TEST(DetectionProbabilityTest, AlbersheimWithinStatedAccuracy) {
  double worst = 0.0;
  for (double pfa : {1e-7, 1e-6, 1e-5, 1e-4, 1e-3}) {
    for (double pd : {0.3, 0.5, 0.7, 0.9}) {
      for (int n : {1, 4, 16}) {
        const double err =
            AlbersheimSnr_dB(pd, pfa, n) - RequiredSnr_dB(pd, pfa, SwerlingCase::k0, n);
        worst = std::max(worst, std::abs(err));
        EXPECT_LT(std::abs(err), 0.3) << "pfa " << pfa << " pd " << pd << " n " << n;
      }
    }
  }
  RecordProperty("albersheim_worst_error_dB", std::to_string(worst));
  EXPECT_NEAR(AlbersheimSnr_dB(0.9, 1e-6), 13.11, 0.01);  // hand computation of the formula
}

// The closed-form inverse reproduces the forward equation exactly.
TEST(DetectionProbabilityTest, AlbersheimPdInvertsAlbersheimSnr) {
  for (double pd : {0.1, 0.5, 0.9, 0.99}) {
    for (int n : {1, 10}) {
      EXPECT_NEAR(AlbersheimPd(AlbersheimSnr_dB(pd, 1e-6, n), 1e-6, n), pd, 1e-12);
    }
  }
}

// Swerling 1, N = 1, exact: Pd = Pfa^(1/(1+SNR)) (Mahafza eq. 2.75). Required SNR for Pd = 0.9 at
// Pfa = 1e-6 is ln(Pfa)/ln(Pd) - 1 = 130.1 = 21.14 dB.
TEST(DetectionProbabilityTest, Swerling1ExactForm) {
  EXPECT_NEAR(RequiredSnr_dB(0.9, 1e-6, SwerlingCase::k1), 21.14, 0.01);
  for (double snr_dB : {0.0, 10.0, 20.0}) {
    EXPECT_DOUBLE_EQ(ProbabilityOfDetection(Lin(snr_dB), 1e-4, SwerlingCase::k1),
                     std::pow(1e-4, 1.0 / (1.0 + Lin(snr_dB))));
  }
}

// Every case tends to Pfa at zero SNR and to 1 at high SNR; fluctuation costs SNR at high Pd, so
// at Pd = 0.9 the Swerling 3 requirement lies between Swerling 0 and Swerling 1 (Richards ch. 6,
// Mahafza figs. 2.9-2.13).
TEST(DetectionProbabilityTest, LimitsAndOrdering) {
  for (SwerlingCase c : {SwerlingCase::k0, SwerlingCase::k1, SwerlingCase::k3}) {
    for (int n : {1, 2, 5}) {
      EXPECT_NEAR(ProbabilityOfDetection(0.0, 1e-6, c, n), 1e-6, 1e-9);
      EXPECT_GT(ProbabilityOfDetection(Lin(45.0), 1e-6, c, n), 0.999);
      double prev = 0.0;
      for (double s = -10.0; s <= 40.0; s += 1.0) {
        const double pd = ProbabilityOfDetection(Lin(s), 1e-6, c, n);
        EXPECT_GE(pd, prev - 1e-12);
        prev = pd;
      }
    }
  }
  const double s0 = RequiredSnr_dB(0.9, 1e-6, SwerlingCase::k0);
  const double s1 = RequiredSnr_dB(0.9, 1e-6, SwerlingCase::k1);
  const double s3 = RequiredSnr_dB(0.9, 1e-6, SwerlingCase::k3);
  EXPECT_LT(s0, s3);
  EXPECT_LT(s3, s1);
  RecordProperty("snr_pd09_pfa1e-6_dB_sw0_sw3_sw1",
                 std::to_string(s0) + " " + std::to_string(s3) + " " + std::to_string(s1));
}

// Monte Carlo of the square-law detector itself (complex Gaussian noise of unit power, echo power
// drawn per look from the Swerling law), single pulse. Independent of every formula above. With
// 200,000 looks the binomial sigma is <= 0.0011; 5 sigma = 0.0056.
TEST(DetectionProbabilityTest, ExactFormsAgreeWithMonteCarloDetector) {
  core::RandomStream rng(7, 0, "detection_probability_test", "monte_carlo");
  const double pfa = 1e-3;
  const double t = -std::log(pfa);
  const int kLooks = 200000;
  for (SwerlingCase c : {SwerlingCase::k0, SwerlingCase::k1, SwerlingCase::k3}) {
    for (double snr_dB : {5.0, 10.0, 14.0}) {
      const double snr = Lin(snr_dB);
      int hits = 0;
      for (int i = 0; i < kLooks; ++i) {
        double s = snr;                                                 // echo power this look
        if (c == SwerlingCase::k1) s = -snr * std::log(rng.Uniform());  // exponential
        if (c == SwerlingCase::k3) {                                    // chi-square, 4 dof
          s = -0.5 * snr * (std::log(rng.Uniform()) + std::log(rng.Uniform()));
        }
        const double i_re = std::sqrt(s) + std::sqrt(0.5) * rng.Normal();
        const double q_im = std::sqrt(0.5) * rng.Normal();
        if (i_re * i_re + q_im * q_im > t) ++hits;
      }
      const double pd = ProbabilityOfDetection(snr, pfa, c);
      EXPECT_NEAR(static_cast<double>(hits) / kLooks, pd, 0.0056)
          << "case " << static_cast<int>(c) << " snr " << snr_dB;
    }
  }
}

// Shnidman's equation against the exact forms: stated accuracy 0.5 dB for 0.1 <= Pd <= 0.99,
// 1e-9 <= Pfa <= 1e-3, 1 <= N <= 100 (Shnidman 2002; Richards ch. 6). MEASURED: Swerling 1, N = 1
// misses by up to 0.83 dB at Pd = 0.1 and 0.53 dB at Pd = 0.2 (Pfa 1e-4), so the grid starts at
// Pd = 0.5; the library uses Shnidman only for Swerling 1 with N >= 2 and Swerling 3 with N >= 3.
TEST(DetectionProbabilityTest, ShnidmanWithinStatedAccuracyOfExactForms) {
  for (double pfa : {1e-8, 1e-6, 1e-4}) {
    for (double pd : {0.5, 0.7, 0.9, 0.99}) {
      EXPECT_NEAR(ShnidmanSnr_dB(pd, pfa, SwerlingCase::k0, 1),
                  RequiredSnr_dB(pd, pfa, SwerlingCase::k0, 1), 0.5);
      EXPECT_NEAR(ShnidmanSnr_dB(pd, pfa, SwerlingCase::k0, 10),
                  RequiredSnr_dB(pd, pfa, SwerlingCase::k0, 10), 0.5);
      EXPECT_NEAR(ShnidmanSnr_dB(pd, pfa, SwerlingCase::k1, 1),
                  RequiredSnr_dB(pd, pfa, SwerlingCase::k1, 1), 0.5);
      EXPECT_NEAR(ShnidmanSnr_dB(pd, pfa, SwerlingCase::k3, 1),
                  RequiredSnr_dB(pd, pfa, SwerlingCase::k3, 1), 0.5);
      EXPECT_NEAR(ShnidmanSnr_dB(pd, pfa, SwerlingCase::k3, 2),
                  RequiredSnr_dB(pd, pfa, SwerlingCase::k3, 2), 0.5);
    }
  }
}

// Noncoherent integration helps: 10 pulses need less single-pulse SNR than 1.
TEST(DetectionProbabilityTest, IntegrationGain) {
  for (SwerlingCase c : {SwerlingCase::k0, SwerlingCase::k1, SwerlingCase::k3}) {
    EXPECT_LT(RequiredSnr_dB(0.9, 1e-6, c, 10), RequiredSnr_dB(0.9, 1e-6, c, 1) - 5.0);
  }
}

TEST(DetectionProbabilityTest, ThresholdSolvesFalseAlarmProbability) {
  EXPECT_DOUBLE_EQ(DetectionThreshold(1e-6, 1), -std::log(1e-6));
  // N = 2: Pfa = exp(-T)(1 + T).
  const double t = DetectionThreshold(1e-6, 2);
  EXPECT_NEAR(std::exp(-t) * (1.0 + t), 1e-6, 1e-15);
  EXPECT_GT(Db(t), 0.0);
}

}  // namespace
}  // namespace hyperdef::sensors
