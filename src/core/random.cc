#include "core/random.h"

#include <cmath>

#include "core/constants.h"

namespace hyperdef::core {

namespace {

double Gauss(double x) { return std::exp(-0.5 * x * x); }

// Layer abscissae for a trial r (header comment); returns the top layer's closure error
// v / x_255 + f(x_255) - 1: > 0 when v is too large for 256 layers (r too small), < 0 when too
// small. A recursion that runs past the peak (log argument >= 1) counts as too large.
double BuildLayers(double r, ZigguratTables* z) {
  constexpr int n = ZigguratTables::kLayers;
  const double v = r * Gauss(r) + std::sqrt(kPi / 2.0) * std::erfc(r / std::sqrt(2.0));
  z->r = r;
  z->v = v;
  z->x[0] = v / Gauss(r);
  z->x[1] = r;
  for (int i = 1; i < n - 1; ++i) {
    const double y = v / z->x[i] + Gauss(z->x[i]);
    if (!(y < 1.0)) return 1.0;
    z->x[i + 1] = std::sqrt(-2.0 * std::log(y));
  }
  z->x[n] = 0.0;
  return v / z->x[n - 1] + Gauss(z->x[n - 1]) - 1.0;
}

}  // namespace

ZigguratTables MakeZigguratTables() {
  ZigguratTables z;
  // Bisection on r: the closure error is monotone (a larger r means a smaller v, thinner layers
  // that stop short of the peak). [3, 4] brackets Marsaglia & Tsang's 3.654 for 256 layers.
  double lo = 3.0, hi = 4.0;
  for (int k = 0; k < 200 && hi - lo > 0.0; ++k) {
    const double mid = 0.5 * (lo + hi);
    if (mid == lo || mid == hi) break;
    (BuildLayers(mid, &z) > 0.0 ? lo : hi) = mid;
  }
  BuildLayers(hi, &z);  // the side whose top layer stays (just) below the peak
  for (int i = 0; i <= ZigguratTables::kLayers; ++i) z.f[i] = Gauss(z.x[i]);
  return z;
}

void RandomStream::NextBlock() {
  block_ = Engine()(ctr_, key_);
  if (++ctr_.v[2] == 0) ++ctr_.v[3];
  used_ = 0;
}

double RandomStream::Uniform() {
  // 53 random bits mapped to the centres of 2^53 equal cells: strictly inside (0, 1).
  return (static_cast<double>(Bits() >> 11) + 0.5) * 0x1.0p-53;
}

double RandomStream::NormalOutsideRectangle(const ZigguratTables& z, int i, double sign, double x) {
  for (;;) {
    if (i == 0) return sign * NormalTail(z);
    if (z.f[i] + Uniform() * (z.f[i + 1] - z.f[i]) < Gauss(x)) return sign * x;  // wedge
    // Rejected: a new point, as in Normal().
    const std::uint64_t b = Bits();
    i = static_cast<int>(b & 0xFF);
    sign = (b & 0x100) != 0 ? -1.0 : 1.0;
    x = static_cast<double>(b >> 11) * 0x1.0p-53 * z.x[i];
    if (x < z.x[i + 1]) return sign * x;
  }
}

double RandomStream::NormalTail(const ZigguratTables& z) {
  // Marsaglia (1964): x = r + a with a exponential of rate r, accepted with probability
  // exp(-a^2 / 2) (the test 2b > a^2 with b exponential of rate 1) gives the normal tail beyond r.
  for (;;) {
    const double a = -std::log(Uniform()) / z.r;
    const double b = -std::log(Uniform());
    if (2.0 * b > a * a) return z.r + a;
  }
}

std::uint64_t RandomStream::Poisson(double lambda) {
  return Poisson(lambda, lambda > 0.0 && lambda < 30.0 ? std::exp(-lambda) : 0.0);
}

std::uint64_t RandomStream::Poisson(double lambda, double exp_minus_lambda) {
  if (lambda <= 0.0) return 0;
  if (lambda < 30.0) {
    const double limit = exp_minus_lambda;
    std::uint64_t k = 0;
    double p = Uniform();
    while (p > limit) {
      ++k;
      p *= Uniform();
    }
    return k;
  }
  const double x = std::floor(lambda + std::sqrt(lambda) * Normal() + 0.5);
  return x < 0.0 ? 0 : static_cast<std::uint64_t>(x);
}

}  // namespace hyperdef::core
