#include "sensors/detection_probability.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.h"

namespace hyperdef::sensors {
namespace {

// Poisson probability mass at k for mean `mean`, in log space so that large means do not
// underflow exp(-mean) before the power is applied.
double PoissonPmf(int k, double mean) {
  if (mean <= 0.0) return k == 0 ? 1.0 : 0.0;
  return std::exp(-mean + k * std::log(mean) - std::lgamma(k + 1.0));
}

// P(Poisson(T) <= n - 1) = Q(n, T), the regularised upper incomplete gamma function for integer
// n: the probability that the sum of n unit-mean exponentials (square-law noise) exceeds T.
double UpperGammaQ(int n, double t) {
  double sum = 0.0;
  for (int j = 0; j < n; ++j) sum += PoissonPmf(j, t);
  return std::min(sum, 1.0);
}

double Logistic(double b) { return 1.0 / (1.0 + std::exp(-b)); }

double Pd_Swerling0(double snr, double pfa, int pulses) {
  const double t = DetectionThreshold(pfa, pulses);
  // Miss probability 1 - Pd = sum_k Pois(k; N snr) P(Pois(T) >= N + k) (Poisson mixture of the
  // noncentral chi-square with 2N degrees of freedom, Richards ch. 6). The tail
  // P(Pois(T) >= j) is negligible (< 1e-25) beyond j = T + 12 sqrt(T) + 60, so the sum is finite
  // whatever the SNR; tails are summed backwards so that small ones keep their precision.
  const int j_max = pulses + static_cast<int>(t + 12.0 * std::sqrt(t) + 60.0);
  std::vector<double> tail(static_cast<std::size_t>(j_max) + 2, 0.0);
  for (int j = j_max; j >= 0; --j) tail[j] = tail[j + 1] + PoissonPmf(j, t);
  const double lambda = pulses * snr;
  double miss = 0.0;
  for (int k = 0; pulses + k <= j_max; ++k) miss += PoissonPmf(k, lambda) * tail[pulses + k];
  return std::clamp(1.0 - miss, pfa, 1.0);
}

double Pd_Swerling3Exact(double snr, double pfa, int pulses) {
  // Marcum's exact form for N = 1, 2 (Mahafza eq. 2.81).
  const double t = DetectionThreshold(pfa, pulses);
  const double ns = pulses * snr;
  const double a = 1.0 + 0.5 * ns;
  if (pulses == 1) {
    return std::exp(-t / a) * (1.0 + 2.0 * snr * t / ((2.0 + snr) * (2.0 + snr)));
  }
  return std::exp(-t / a) * (1.0 + t / a);  // N = 2: the (N - 2) terms vanish
}

double Pd_Shnidman(double snr, double pfa, SwerlingCase c, int pulses) {
  if (snr <= 0.0) return pfa;
  const double snr_dB = 10.0 * std::log10(snr);
  // Bisection on Pd: Shnidman's SNR(Pd) goes to -infinity dB at Pd = Pfa (eta = 0) and rises
  // with Pd; 80 halvings of an interval < 1 reach double precision.
  double lo = pfa;
  double hi = 1.0 - 1e-12;
  if (ShnidmanSnr_dB(hi, pfa, c, pulses) <= snr_dB) return hi;
  for (int i = 0; i < 80; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (ShnidmanSnr_dB(mid, pfa, c, pulses) < snr_dB) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

}  // namespace

double DetectionThreshold(double pfa, int pulses) {
  HYPERDEF_ASSERT(pfa > 0.0 && pfa < 1.0 && pulses >= 1);
  if (pulses == 1) return -std::log(pfa);  // Q(1, T) = exp(-T)
  // Q(N, T) decreases from 1 at T = 0; bracket, then bisect on T.
  double lo = 0.0;
  double hi = pulses - std::log(pfa) + 10.0;
  while (UpperGammaQ(pulses, hi) > pfa) hi *= 2.0;
  for (int i = 0; i < 200 && hi - lo > 1e-13 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (UpperGammaQ(pulses, mid) > pfa) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return 0.5 * (lo + hi);
}

double ProbabilityOfDetection(double snr_linear, double pfa, SwerlingCase c, int pulses) {
  HYPERDEF_ASSERT(snr_linear >= 0.0 && pfa > 0.0 && pfa < 1.0 && pulses >= 1);
  switch (c) {
    case SwerlingCase::k0:
      return Pd_Swerling0(snr_linear, pfa, pulses);
    case SwerlingCase::k1:
      // Exact for one pulse (Swerling 1960; Mahafza eq. 2.75).
      if (pulses == 1) return std::pow(pfa, 1.0 / (1.0 + snr_linear));
      return Pd_Shnidman(snr_linear, pfa, c, pulses);
    case SwerlingCase::k3:
      if (pulses <= 2) return Pd_Swerling3Exact(snr_linear, pfa, pulses);
      return Pd_Shnidman(snr_linear, pfa, c, pulses);
  }
  return pfa;  // unreachable: every case returns above
}

double AlbersheimSnr_dB(double pd, double pfa, int pulses) {
  HYPERDEF_ASSERT(pd > 0.0 && pd < 1.0 && pfa > 0.0 && pfa < 1.0 && pulses >= 1);
  // Albersheim 1981, as written in Richards 2014, ch. 6 (linear detector).
  const double a = std::log(0.62 / pfa);
  const double b = std::log(pd / (1.0 - pd));
  const double n = pulses;
  return -5.0 * std::log10(n) +
         (6.2 + 4.54 / std::sqrt(n + 0.44)) * std::log10(a + 0.12 * a * b + 1.7 * b);
}

double AlbersheimPd(double snr_dB, double pfa, int pulses) {
  HYPERDEF_ASSERT(pfa > 0.0 && pfa < 1.0 && pulses >= 1);
  const double n = pulses;
  const double a = std::log(0.62 / pfa);
  const double arg =
      std::pow(10.0, (snr_dB + 5.0 * std::log10(n)) / (6.2 + 4.54 / std::sqrt(n + 0.44)));
  const double b = (arg - a) / (0.12 * a + 1.7);
  return Logistic(b);
}

double ShnidmanSnr_dB(double pd, double pfa, SwerlingCase c, int pulses) {
  HYPERDEF_ASSERT(pd > 0.0 && pd < 1.0 && pfa > 0.0 && pfa < 1.0 && pulses >= 1);
  // Shnidman 2002, as written in Richards 2014, ch. 6. K is the number of
  // degrees of freedom of the fluctuation: infinite (no fluctuation) for Swerling 0, 1 for
  // Swerling 1, 2 for Swerling 3 (scan-to-scan cases).
  const double n = pulses;
  const double alpha = pulses < 40 ? 0.0 : 0.25;
  const double sign = pd >= 0.5 ? 1.0 : -1.0;
  const double eta = std::sqrt(-0.8 * std::log(4.0 * pfa * (1.0 - pfa))) +
                     sign * std::sqrt(-0.8 * std::log(4.0 * pd * (1.0 - pd)));
  const double x_inf = eta * (eta + 2.0 * std::sqrt(0.5 * n + (alpha - 0.25)));
  double c_dB = 0.0;
  if (c != SwerlingCase::k0) {
    const double k = c == SwerlingCase::k1 ? 1.0 : 2.0;
    const double c1 = (((17.7006 * pd - 18.4496) * pd + 14.5339) * pd - 3.525) / k;
    c_dB = c1;
    if (pd > 0.872) {
      const double c2 = (std::exp(27.31 * pd - 25.14) +
                         (pd - 0.8) * (0.7 * std::log(1e-5 / pfa) + (2.0 * n - 20.0) / 80.0)) /
                        k;
      c_dB += c2;
    }
  }
  const double snr = std::pow(10.0, c_dB / 10.0) * x_inf / n;
  if (snr <= 0.0) return -std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(snr);
}

}  // namespace hyperdef::sensors
