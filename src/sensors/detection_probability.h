// Probability of detection of a radar target in receiver noise, square-law detection with a fixed
// threshold set for a probability of false alarm Pfa, for the Swerling 0 (non-fluctuating), 1 and 3
// (scan-to-scan fluctuating) target models.
//
// SNR here is the mean signal-to-noise power ratio of ONE (coherently integrated) pulse, linear;
// `pulses` is the number N of such pulses integrated noncoherently (summed after the detector).
//
// Which formula is used, and how good it is:
//   Swerling 0, any N: exact. The detector output is a noncentral chi-square, written as a
//     Poisson mixture of gamma laws, Pd = sum_k Pois(k; N SNR) Q(N + k, T), with the threshold T
//     solved from Pfa = Q(N, T) (Q the regularised upper incomplete gamma function; Richards,
//     Fundamentals of Radar Signal Processing, 2nd ed. 2014, ch. 6). Albersheim's equation is
//     provided beside it (AlbersheimSnr_dB, AlbersheimPd) but not used for Pd: it is an empirical
//     fit, accurate to +-0.2 dB only for 1e-7 <= Pfa <= 1e-3, 0.1 <= Pd <= 0.9, 1 <= N <= 8096
//     (Albersheim 1981, IEEE Trans. AES 17(2); Richards ch. 6), and below Pd = 0.1 it
//     does not tend to Pfa (at Pfa = 1e-6 it gives Pd = 0.017 at zero SNR), which in a
//     simulation would be a steady 1.7 % of phantom detections of every target in coverage.
//   Swerling 1, N = 1: exact, Pd = Pfa^(1 / (1 + SNR)) (Swerling 1960; Mahafza & Elsherbeni,
//     MATLAB Simulations for Radar Systems Design, 2004, eq. 2.75; Richards eq. 6.99, N = 1).
//   Swerling 3, N = 1 and 2: exact (Marcum; Mahafza eq. 2.81):
//     Pd = exp(-T / (1 + N SNR / 2)) (1 + 2 / (N SNR))^(N - 2)
//          * (1 + T / (1 + N SNR / 2) - 2 (N - 2) / (N SNR)),
//     which for N = 1 is Pd = exp(-T / (1 + SNR / 2)) (1 + 2 SNR T / (2 + SNR)^2), T = -ln Pfa.
//   Swerling 1 with N >= 2 and Swerling 3 with N >= 3: Shnidman's empirical equation (Shnidman
//     2002, IEEE Trans. AES 38(3); Richards ch. 6), inverted for Pd by bisection. Stated
//     accuracy +-0.5 dB in SNR for 0.1 <= Pd <= 0.99, 1e-9 <= Pfa <= 1e-3, 1 <= N <= 100.
#pragma once

namespace hyperdef::sensors {

enum class SwerlingCase { k0, k1, k3 };

// Probability of detection in [pfa, 1). snr_linear >= 0 (per pulse), 0 < pfa < 1, pulses >= 1.
// Arguments outside those ranges break an invariant (HYPERDEF_ASSERT).
double ProbabilityOfDetection(double snr_linear, double pfa, SwerlingCase c, int pulses = 1);

// Albersheim's equation: single-pulse SNR (dB) needed for `pd` at `pfa` with N pulses integrated
// noncoherently, linear detector, non-fluctuating target. Accuracy +-0.2 dB over
// 1e-7 <= Pfa <= 1e-3, 0.1 <= Pd <= 0.9 (see above). Requires 0 < pd < 1, 0 < pfa < 1.
double AlbersheimSnr_dB(double pd, double pfa, int pulses = 1);

// Albersheim's equation solved for Pd at a given single-pulse SNR (dB). The equation is monotone
// in B = ln(Pd / (1 - Pd)) and linear in B inside the log, so the inverse is closed-form
// (Richards ch. 6); no root finder is needed. Only trustworthy inside the range above.
double AlbersheimPd(double snr_dB, double pfa, int pulses = 1);

// Shnidman's equation: single-pulse SNR (dB) needed for `pd` at `pfa` with N pulses, Swerling
// case `c`. Accuracy +-0.5 dB over the range above.
double ShnidmanSnr_dB(double pd, double pfa, SwerlingCase c, int pulses = 1);

// Square-law detection threshold T (in units of the mean noise power of one pulse) for N
// noncoherently summed pulses: the root of Q(N, T) = pfa, by bisection on log T.
double DetectionThreshold(double pfa, int pulses = 1);

}  // namespace hyperdef::sensors
