// Counter-based random streams (Random123 Philox4x64-10, Salmon et al. SC'11).
// Every draw comes from a named stream keyed by (seed, replication, entity, purpose): the same
// scenario and seed give the same bits whatever the thread or rank count, because no stream is
// shared and none depends on the order in which others were used.
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

class RandomStream {
 public:
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t entity,
               std::uint64_t purpose);
  RandomStream(std::uint64_t seed, std::uint64_t replication, std::string_view entity,
               std::string_view purpose)
      : RandomStream(seed, replication, HashName(entity), HashName(purpose)) {}

  // Uniform in the open interval (0, 1): never exactly 0 or 1, so log() is safe.
  double Uniform();
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Standard normal (Box-Muller on two uniforms; both outputs are used).
  double Normal();
  double Normal(double mean, double sigma) { return mean + sigma * Normal(); }
  // Poisson with mean `lambda` (inversion below 30, normal approximation with continuity above).
  std::uint64_t Poisson(double lambda);
  // Raw 64 bits.
  std::uint64_t Bits();

 private:
  using Engine = r123::Philox4x64;
  Engine engine_;
  Engine::key_type key_;
  Engine::ctr_type ctr_;
  Engine::ctr_type block_;
  int used_ = 4;
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

}  // namespace hyperdef::core
