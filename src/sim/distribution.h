// Scenario numbers: the range a user value must lie in (Check) and the distribution a Monte Carlo
// draws it from (Distribution). Both are plain values; the YAML reader builds and validates them.
#pragma once

#include <optional>
#include <string>

#include "core/random.h"

namespace hyperdef::sim {

// Numeric constraints on a user value, in the file's unit. Unset bounds are not checked.
struct Check {
  // x > gt, x >= ge, x < lt, x <= le. The initialisers let `Check{.gt = 0}` compile warning-free.
  std::optional<double> gt = std::nullopt, ge = std::nullopt, lt = std::nullopt, le = std::nullopt;

  static Check Positive();                     // > 0
  static Check NonNegative();                  // >= 0
  static Check Between(double lo, double hi);  // lo <= x <= hi
  static Check Above(double lo);               // > lo

  // "must be > 0", "must be between -90 and 90", "must be > 0 and <= 1"; "" when unconstrained.
  std::string Describe() const;
  // False for NaN whatever the bounds.
  bool Accepts(double x) const;
  bool IsUnconstrained() const { return !gt && !ge && !lt && !le; }
  // The interval's ends, -inf / +inf where unbounded (open or closed is not recorded).
  double Lower() const;
  double Upper() const;
};

// A scenario number that Monte Carlo may vary, in the file's unit.
struct Distribution {
  enum class Kind { kConstant, kNormal, kUniform, kTruncatedNormal };
  Kind kind = Kind::kConstant;
  // constant: a; normal: mean a, sigma b; uniform: [a, b]; truncated normal: mean a, sigma b,
  // bounds [lo, hi] (a is the mean of the parent normal and lies inside the bounds).
  double a = 0, b = 0, lo = 0, hi = 0;
  // The parameter's valid range. A normal is truncated to it when sampled, so no draw is ever
  // invalid (e.g. a negative mass); with the mean many sigma inside this changes nothing. The
  // other kinds are already inside it (their bounds were checked when read).
  Check limits;

  static Distribution Constant(double v);
  static Distribution Normal(double mean, double sigma);  // sigma >= 0
  static Distribution Uniform(double min, double max);    // min < max
  static Distribution TruncatedNormal(double mean, double sigma, double min, double max);

  // What a single deterministic run uses: the constant, the mean, or the mid-point of a uniform.
  double Nominal() const;
  // One draw. A constant draws nothing from `rng`. Truncated normals are sampled exactly (Robert
  // 1995 rejection samplers), however far into the tail the bounds lie.
  double Sample(core::RandomStream& rng) const;
  bool IsConstant() const { return kind == Kind::kConstant; }
  // "250", "normal(mean=0, sigma=30)", "uniform(min=10, max=20)",
  // "truncated_normal(mean=0, sigma=1, min=-1, max=2)".
  std::string Describe() const;
};

// A standard normal draw restricted to [lower, upper] (either may be infinite; lower < upper).
// Exact, with acceptance rate above about 0.3 for every interval (Robert, "Simulation of truncated
// normal variables", Statistics and Computing 5:121-125, 1995).
double SampleStandardNormalBetween(double lower, double upper, core::RandomStream& rng);

}  // namespace hyperdef::sim
