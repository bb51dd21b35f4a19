#include "core/random.h"

#include <cmath>

#include "core/constants.h"

namespace hyperdef::core {

RandomStream::RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity,
                           std::uint64_t purpose) {
  key_ = {{seed, replication}};
  // Counter words 0,1 name the stream; words 2,3 count blocks within it.
  ctr_ = {{entity, purpose, 0, 0}};
}

std::uint64_t RandomStream::Bits() {
  if (used_ == 4) {
    block_ = engine_(ctr_, key_);
    if (++ctr_.v[2] == 0) ++ctr_.v[3];
    used_ = 0;
  }
  return block_.v[used_++];
}

double RandomStream::Uniform() {
  // 53 random bits mapped to the centres of 2^53 equal cells: strictly inside (0, 1).
  return (static_cast<double>(Bits() >> 11) + 0.5) * 0x1.0p-53;
}

double RandomStream::Normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  const double u1 = Uniform(), u2 = Uniform();
  const double r = std::sqrt(-2.0 * std::log(u1));
  spare_normal_ = r * std::sin(kTwoPi * u2);
  has_spare_normal_ = true;
  return r * std::cos(kTwoPi * u2);
}

std::uint64_t RandomStream::Poisson(double lambda) {
  if (lambda <= 0.0) return 0;
  if (lambda < 30.0) {
    const double limit = std::exp(-lambda);
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
