#include "sim/distribution.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "core/error.h"

namespace hyperdef::sim {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// Robert (1995) one-sided sampler for 0 <= a < b <= inf: a uniform proposal when the interval is
// short enough that exp(-z^2/2) varies by less than e over it, otherwise the exponential proposal
// with the optimal rate alpha* = (a + sqrt(a^2 + 4)) / 2 (his eq. 2.2 and Proposition 2.3).
double SampleUpperTail(double a, double b, core::RandomStream& rng) {
  if (std::isfinite(b) && 0.5 * (b * b - a * a) <= 1.0) {
    for (;;) {
      const double z = rng.Uniform(a, b);
      if (rng.Uniform() < std::exp(0.5 * (a * a - z * z))) return std::clamp(z, a, b);
    }
  }
  const double alpha = 0.5 * (a + std::sqrt(a * a + 4.0));
  for (;;) {
    const double z = a - std::log(rng.Uniform()) / alpha;
    if (z > b) continue;
    const double d = z - alpha;
    if (rng.Uniform() < std::exp(-0.5 * d * d)) return z;
  }
}
}  // namespace

// ---- Check ----

Check Check::Positive() { return Check{.gt = 0.0}; }
Check Check::NonNegative() { return Check{.ge = 0.0}; }
Check Check::Between(double lo, double hi) {
  HYPERDEF_ASSERT(lo <= hi);
  return Check{.ge = lo, .le = hi};
}
Check Check::Above(double lo) { return Check{.gt = lo}; }

std::string Check::Describe() const {
  if (IsUnconstrained()) return "";
  if (ge && le && !gt && !lt) return fmt::format("must be between {} and {}", *ge, *le);
  std::vector<std::string> parts;
  if (gt) parts.push_back(fmt::format("> {}", *gt));
  if (ge) parts.push_back(fmt::format(">= {}", *ge));
  if (lt) parts.push_back(fmt::format("< {}", *lt));
  if (le) parts.push_back(fmt::format("<= {}", *le));
  return fmt::format("must be {}", fmt::join(parts, " and "));
}

bool Check::Accepts(double x) const {
  if (std::isnan(x)) return false;
  if (gt && !(x > *gt)) return false;
  if (ge && !(x >= *ge)) return false;
  if (lt && !(x < *lt)) return false;
  if (le && !(x <= *le)) return false;
  return true;
}

double Check::Lower() const {
  double lower = -kInf;
  if (gt) lower = std::max(lower, *gt);
  if (ge) lower = std::max(lower, *ge);
  return lower;
}

double Check::Upper() const {
  double upper = kInf;
  if (lt) upper = std::min(upper, *lt);
  if (le) upper = std::min(upper, *le);
  return upper;
}

// ---- Distribution ----

Distribution Distribution::Constant(double v) {
  Distribution d;
  d.kind = Kind::kConstant;
  d.a = v;
  return d;
}

Distribution Distribution::Normal(double mean, double sigma) {
  HYPERDEF_ASSERT(sigma >= 0.0);
  Distribution d;
  d.kind = Kind::kNormal;
  d.a = mean;
  d.b = sigma;
  return d;
}

Distribution Distribution::Uniform(double min, double max) {
  HYPERDEF_ASSERT(min < max);
  Distribution d;
  d.kind = Kind::kUniform;
  d.a = min;
  d.b = max;
  return d;
}

Distribution Distribution::TruncatedNormal(double mean, double sigma, double min, double max) {
  HYPERDEF_ASSERT(sigma >= 0.0 && min < max && min <= mean && mean <= max);
  Distribution d;
  d.kind = Kind::kTruncatedNormal;
  d.a = mean;
  d.b = sigma;
  d.lo = min;
  d.hi = max;
  return d;
}

double Distribution::Nominal() const {
  switch (kind) {
    case Kind::kConstant:
    case Kind::kNormal:
    case Kind::kTruncatedNormal:
      return a;
    case Kind::kUniform:
      return 0.5 * (a + b);
  }
  HYPERDEF_ASSERT(false);
  return a;
}

double Distribution::Sample(core::RandomStream& rng) const {
  switch (kind) {
    case Kind::kConstant:
      return a;
    case Kind::kUniform:
      return rng.Uniform(a, b);
    case Kind::kNormal: {
      if (b == 0.0) return a;
      if (limits.IsUnconstrained()) return rng.Normal(a, b);
      const double lower = (limits.Lower() - a) / b, upper = (limits.Upper() - a) / b;
      // An open bound (> 0) can be hit exactly only through rounding: draw again then.
      for (int attempt = 0; attempt < 100; ++attempt) {
        const double x = a + b * SampleStandardNormalBetween(lower, upper, rng);
        if (limits.Accepts(x)) return x;
      }
      return a;  // the mean passed the check when read
    }
    case Kind::kTruncatedNormal: {
      if (b == 0.0) return std::clamp(a, lo, hi);
      const double z = SampleStandardNormalBetween((lo - a) / b, (hi - a) / b, rng);
      return std::clamp(a + b * z, lo, hi);
    }
  }
  HYPERDEF_ASSERT(false);
  return a;
}

std::string Distribution::Describe() const {
  switch (kind) {
    case Kind::kConstant:
      return fmt::format("{}", a);
    case Kind::kNormal:
      return fmt::format("normal(mean={}, sigma={})", a, b);
    case Kind::kUniform:
      return fmt::format("uniform(min={}, max={})", a, b);
    case Kind::kTruncatedNormal:
      return fmt::format("truncated_normal(mean={}, sigma={}, min={}, max={})", a, b, lo, hi);
  }
  HYPERDEF_ASSERT(false);
  return "";
}

double SampleStandardNormalBetween(double lower, double upper, core::RandomStream& rng) {
  HYPERDEF_ASSERT(lower <= upper && !std::isnan(lower) && !std::isnan(upper));
  if (lower == upper) return lower;
  if (lower >= 0.0) return SampleUpperTail(lower, upper, rng);
  if (upper <= 0.0) return -SampleUpperTail(-upper, -lower, rng);
  // The interval holds 0. Wider than sqrt(2 pi): plain rejection from N(0,1) keeps at least half
  // the draws. Narrower: a uniform proposal accepted with probability exp(-z^2/2) (Robert 1995).
  if (upper - lower >= std::sqrt(2.0 * std::numbers::pi)) {
    for (;;) {
      const double z = rng.Normal();
      if (z >= lower && z <= upper) return z;
    }
  }
  for (;;) {
    const double z = rng.Uniform(lower, upper);
    if (rng.Uniform() < std::exp(-0.5 * z * z)) return std::clamp(z, lower, upper);
  }
}

}  // namespace hyperdef::sim
