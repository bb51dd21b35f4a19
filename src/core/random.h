// Counter-based random streams (Random123 Philox4x64-10, Salmon et al. SC'11).
// Every draw comes from a named stream keyed by (seed, replication, entity, purpose): the same
// scenario and seed give the same bits whatever the thread or rank count, because no stream is
// shared and none depends on the order in which others were used.
//
// Standard normals come from the ziggurat method (Marsaglia & Tsang 2000, "The Ziggurat Method
// for Generating Random Variables", J. Stat. Softw. 5(8)) with 256 layers, one 64-bit output per
// draw in 98.5 % of cases. The density's upper half, f(x) = exp(-x^2/2) on x >= 0, is covered by
// 255 horizontal rectangles and a base strip (the rectangle [0, r] x [0, f(r)] plus the tail
// x > r), all of the same area v:
//   x_1 = r,  x_{i+1} = f^-1(f(x_i) + v / x_i) (i = 1..254),  x_0 = v / f(r),  x_256 = 0,
//   v = r f(r) + integral_r^inf f = r f(r) + sqrt(pi/2) erfc(r / sqrt 2).
// r is solved for at start-up (bisection) so that the top layer closes, v / x_255 + f(x_255) = 1;
// it comes out at Marsaglia & Tsang's r = 3.6541528853610088 (random_test.cc checks it). A draw
// takes a layer i uniformly, a sign and u uniform in [0, 1) from disjoint bits of one 64-bit word
// (8 + 1 + 53 bits: no dependence between layer and abscissa, the flaw Doornik 2005 found in the
// 32-bit original), and x = u x_i: if x < x_{i+1} the point lies under the curve in every layer
// (accept +-x); otherwise layer 0 draws from the tail beyond r by Marsaglia's (1964) method
// (a = -ln(U1)/r, b = -ln(U2) until 2b > a^2; r + a), and layers 1..255 accept the wedge point
// when f(x_i) + U (f(x_{i+1}) - f(x_i)) < f(x), else start again with a new word. Every step is
// exact (rejection sampling), so the output is N(0, 1) up to the resolution of the uniforms; the
// largest value it can produce is ~ r + 37.4 / r ~ 14 (U1 >= 2^-54).
#pragma once

#include <Random123/philox.h>

#include <cstdint>
#include <string_view>

namespace hyperdef::core {

// Stable 64-bit FNV-1a hash, used to turn entity ids and purpose names into stream keys.
constexpr std::uint64_t HashName(std::string_view name) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : name) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

// The ziggurat's tables (see the header comment): x[i] the layer abscissae (x[0] = v / f(r),
// x[1] = r, decreasing to x[256] = 0), f[i] = exp(-x[i]^2 / 2), r and v. Computed once, at the
// first call (thread-safe static initialisation).
struct ZigguratTables {
  static constexpr int kLayers = 256;
  double x[kLayers + 1];
  double f[kLayers + 1];
  double r = 0.0;
  double v = 0.0;
};
ZigguratTables MakeZigguratTables();
inline const ZigguratTables& Ziggurat() {
  static const ZigguratTables z = MakeZigguratTables();
  return z;
}

class RandomStream {
 public:
  // Counter words 0, 1 name the stream (entity, purpose); words 2, 3 count blocks within it.
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity,
               std::uint64_t purpose)
      : key_{{seed, replication}}, ctr_{{entity, purpose, 0, 0}} {}
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::string_view entity,
               std::string_view purpose)
      : RandomStream(seed, replication, HashName(entity), HashName(purpose)) {}

  // Uniform in the open interval (0, 1): never exactly 0 or 1, so log() is safe.
  double Uniform();
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Standard normal (ziggurat, see above). The rectangle step is inline (it decides 98.5 % of
  // draws with one 64-bit output); wedges and the tail are not.
  double Normal() {
    const ZigguratTables& z = Ziggurat();
    // Disjoint bits of one word: layer (bits 0-7), sign (bit 8), abscissa (bits 11-63).
    const std::uint64_t b = Bits();
    const int i = static_cast<int>(b & 0xFF);
    const double x = static_cast<double>(b >> 11) * 0x1.0p-53 * z.x[i];
    if (x < z.x[i + 1]) return (b & 0x100) != 0 ? -x : x;  // inside the rectangle, under f
    return NormalOutsideRectangle(z, i, (b & 0x100) != 0 ? -1.0 : 1.0, x);
  }
  double Normal(double mean, double sigma) { return mean + sigma * Normal(); }
  // Poisson with mean `lambda` (inversion below 30, normal approximation with continuity above).
  std::uint64_t Poisson(double lambda);
  // The same draw as Poisson(lambda), with exp_minus_lambda = std::exp(-lambda) computed once by
  // a caller that draws with the same mean from many streams.
  std::uint64_t Poisson(double lambda, double exp_minus_lambda);
  // Raw 64 bits: the four outputs of each Philox block in turn.
  std::uint64_t Bits() {
    if (used_ == 4) NextBlock();
    return block_.v[used_++];
  }

 private:
  using Engine = r123::Philox4x64;
  void NextBlock();
  // The rest of a ziggurat draw whose point (layer i, abscissa x, sign) fell outside its layer's
  // rectangle: the tail (i = 0) or the wedge test, then fresh draws until one is accepted.
  double NormalOutsideRectangle(const ZigguratTables& z, int i, double sign, double x);
  double NormalTail(const ZigguratTables& z);

  Engine::key_type key_;
  Engine::ctr_type ctr_;
  Engine::ctr_type block_;
  int used_ = 4;
};

}  // namespace hyperdef::core
