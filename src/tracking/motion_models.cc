#include "tracking/motion_models.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "core/constants.h"
#include "core/error.h"
#include "earth/atmosphere.h"
#include "earth/gravity.h"

namespace hyperdef::tracking {

namespace {

using Vec7 = Eigen::Matrix<double, 7, 1>;
using Mat7 = Eigen::Matrix<double, 7, 7>;
using Vec9 = Eigen::Matrix<double, 9, 1>;
using Mat9 = Eigen::Matrix<double, 9, 9>;

// ---- parameter checks --------------------------------------------------------------------------

[[noreturn]] void Reject(const char* field, double value, const char* expected) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  throw std::invalid_argument(std::string(field) + ": " + expected + " (got " + buf + ")");
}
void RequirePositive(const char* field, double value) {
  if (!(value > 0.0) || !std::isfinite(value)) Reject(field, value, "must be finite and > 0");
}
void RequireNonNegative(const char* field, double value) {
  if (!(value >= 0.0) || !std::isfinite(value)) Reject(field, value, "must be finite and >= 0");
}
void RequireFinite(const char* field, double value) {
  if (!std::isfinite(value)) Reject(field, value, "must be finite");
}

// ---- small helpers -----------------------------------------------------------------------------

// The 3K x 3K matrix m (x) I3 for per-axis K x K blocks, with the state ordered by quantity then
// axis: (p_x, p_y, p_z, v_x, ..., a_z).
template <int K>
StateMatrix KronI3(const Eigen::Matrix<double, K, K>& m) {
  StateMatrix out = StateMatrix::Zero(3 * K, 3 * K);
  for (int j = 0; j < K; ++j) {
    for (int k = 0; k < K; ++k) {
      for (int i = 0; i < 3; ++i) out(3 * j + i, 3 * k + i) = m(j, k);
    }
  }
  return out;
}

// The backward noise of a retrodiction is -Q(dt) of the forward formula (module comment).
double NoiseSign(double dt_s) { return dt_s < 0.0 ? -1.0 : 1.0; }

// (r, v) of a 6-state Gaussian extended by `dim - 6` states of mean `mean`, standard deviation
// `sigma`, uncorrelated with (r, v).
Gaussian Extend(const Gaussian& rv, int dim, double mean, double sigma) {
  HYPERDEF_ASSERT(rv.x.size() >= 6 && rv.P.rows() >= 6 && rv.P.cols() >= 6);
  Gaussian out;
  out.t_s = rv.t_s;
  out.x = StateVector::Constant(dim, mean);
  out.x.head(6) = rv.x.head(6);
  out.P = StateMatrix::Zero(dim, dim);
  out.P.topLeftCorner(6, 6) = rv.P.topLeftCorner(6, 6);
  for (int i = 6; i < dim; ++i) out.P(i, i) = sigma * sigma;
  return out;
}

Mat3 Skew(const Vec3& w) {
  Mat3 m;
  m << 0.0, -w.z(), w.y(), w.z(), 0.0, -w.x(), -w.y(), w.x(), 0.0;
  return m;
}

// Per-axis CV noise block q [T^3/3 T^2/2; T^2/2 T] (BLK 6.2.2), written into Q's (r, v) part.
void AddWhiteAccelNoise(double q, double T, StateMatrix& Q) {
  const double qrr = q * T * T * T / 3.0;
  const double qrv = q * T * T / 2.0;
  const double qvv = q * T;
  for (int i = 0; i < 3; ++i) {
    Q(i, i) += qrr;
    Q(i, i + 3) += qrv;
    Q(i + 3, i) += qrv;
    Q(i + 3, i + 3) += qvv;
  }
}

// ---- Singer closed forms -----------------------------------------------------------------------

// A bracket (c0 + c1 x + c2 x^2 + c3 x^3 + A e^-x + B e^-2x + C x e^-x) whose Taylor series
// begins at x^n (the polynomial cancels the exponentials' lower-order terms). Value() returns
// bracket / x^n. For |x| < 0.5 it sums the series itself from x^n, whose coefficient of x^k is
//   [A (-1)^k + B (-2)^k - C k (-1)^k] / k!      (x e^-x = sum_k (-1)^(k-1) k x^k / k!)
// with 18 terms (tabulated at compile time; the remainder is below 2^(n+18) 0.5^18 n!/(n+18)! <
// 1e-16 relative). For |x| >= 0.5 the closed form loses at most ~ 3e2 ulp to cancellation (the
// worst bracket, (p, p), is x^5/10 ~ 3e-3 at x = 0.5 against terms of order 1).
constexpr int kBracketTerms = 18;
struct ExpBracket {
  double c0, c1, c2, c3, A, B, C;
  int n;
  std::array<double, kBracketTerms> series{};

  constexpr ExpBracket(double c0_, double c1_, double c2_, double c3_, double A_, double B_,
                       double C_, int n_)
      : c0(c0_), c1(c1_), c2(c2_), c3(c3_), A(A_), B(B_), C(C_), n(n_) {
    double inv_fact = 1.0;
    double m1 = 1.0;  // (-1)^k
    double m2 = 1.0;  // (-2)^k
    for (int k = 0; k < n + kBracketTerms; ++k) {
      if (k >= n) series[k - n] = (A * m1 + B * m2 - C * k * m1) * inv_fact;
      inv_fact /= (k + 1);
      m1 = -m1;
      m2 *= -2.0;
    }
  }

  double Value(double x) const {
    if (std::abs(x) < 0.5) {
      double sum = series[kBracketTerms - 1];
      for (int k = kBracketTerms - 2; k >= 0; --k) sum = sum * x + series[k];
      return sum;
    }
    const double e1 = std::exp(-x);
    const double poly = c0 + x * (c1 + x * (c2 + x * c3));
    double xn = x;
    for (int k = 1; k < n; ++k) xn *= x;
    return (poly + A * e1 + B * e1 * e1 + C * x * e1) / xn;
  }
};

// Singer's brackets (header comment), divided by x^n.
constexpr ExpBracket kSingerF02(-1.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 2);  // x - 1 + e^-x
constexpr ExpBracket kSingerF12(1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 1);  // 1 - e^-x
constexpr ExpBracket kSingerQ00(1.0, 2.0, -2.0, 2.0 / 3.0, 0.0, -1.0, -4.0, 5);
constexpr ExpBracket kSingerQ01(1.0, -2.0, 1.0, 0.0, -2.0, 1.0, 2.0, 4);
constexpr ExpBracket kSingerQ02(1.0, 0.0, 0.0, 0.0, 0.0, -1.0, -2.0, 3);
constexpr ExpBracket kSingerQ11(-3.0, 2.0, 0.0, 0.0, 4.0, -1.0, 0.0, 3);
constexpr ExpBracket kSingerQ12(1.0, 0.0, 0.0, 0.0, -2.0, 1.0, 0.0, 2);
constexpr ExpBracket kSingerQ22(1.0, 0.0, 0.0, 0.0, 0.0, -1.0, 0.0, 1);

// Singer's per-axis transition matrix over T for alpha = 1/tau (header comment).
Eigen::Matrix3d SingerF(double T, double tau) {
  const double x = T / tau;
  Eigen::Matrix3d F = Eigen::Matrix3d::Identity();
  F(0, 1) = T;
  F(0, 2) = T * T * kSingerF02.Value(x);  // (x - 1 + e^-x) / alpha^2
  F(1, 2) = T * kSingerF12.Value(x);      // (1 - e^-x) / alpha
  F(2, 2) = std::exp(-x);
  return F;
}

// Singer's per-axis Q over T (T may be negative: the forward formula, sign not fixed), for
// the driving noise's spectral density q. Each entry is q/2 T^n [bracket / x^n].
Eigen::Matrix3d SingerQ(double T, double tau, double q) {
  const double x = T / tau;
  const double T2 = T * T;
  const double T3 = T2 * T;
  const double h = 0.5 * q;
  Eigen::Matrix3d Q;
  Q(0, 0) = h * T3 * T2 * kSingerQ00.Value(x);
  Q(0, 1) = h * T2 * T2 * kSingerQ01.Value(x);
  Q(0, 2) = h * T3 * kSingerQ02.Value(x);
  Q(1, 1) = h * T3 * kSingerQ11.Value(x);
  Q(1, 2) = h * T2 * kSingerQ12.Value(x);
  Q(2, 2) = h * T * kSingerQ22.Value(x);
  Q(1, 0) = Q(0, 1);
  Q(2, 0) = Q(0, 2);
  Q(2, 1) = Q(1, 2);
  return Q;
}

// ---- coordinated-turn functions ----------------------------------------------------------------

// g1 = sin(x)/x, g2 = (1 - cos x)/x^2, g3 = (x - sin x)/x^3 and h_k = g_k'(x)/x, i.e.
//   h1 = (cos x - g1)/x^2,  h2 = (g1 - 2 g2)/x^2,  h3 = (g2 - 3 g3)/x^2.
// For x^2 < 1 the Taylor series in x^2 (coefficients tabulated at compile time, 12 terms:
// remainder < 1/25! ~ 6e-26):
//   g_k = sum_j (-1)^j x^2j / (2j+k)!,  h_k = sum_j (-1)^(j+1) 2(j+1) x^2j / (2j+2+k)!.
// For x^2 >= 1 the closed forms lose at most ~ 10^2 ulp (h3 ~ -1/60 from terms of order 1).
struct TurnFunctions {
  double g1, g2, g3, h1, h2, h3;
};

constexpr int kTurnTerms = 12;
struct TurnSeries {
  std::array<double, kTurnTerms> g{};
  std::array<double, kTurnTerms> h{};
  constexpr explicit TurnSeries(int k) {
    double inv_fact[2 * kTurnTerms + 6] = {};
    inv_fact[0] = 1.0;
    for (int i = 1; i < 2 * kTurnTerms + 6; ++i) inv_fact[i] = inv_fact[i - 1] / i;
    for (int j = 0; j < kTurnTerms; ++j) {
      const double sign = (j % 2 == 0) ? 1.0 : -1.0;
      g[j] = sign * inv_fact[2 * j + k];
      h[j] = -sign * 2.0 * (j + 1) * inv_fact[2 * j + 2 + k];
    }
  }
};
constexpr TurnSeries kTurn1(1), kTurn2(2), kTurn3(3);

double Horner(const std::array<double, kTurnTerms>& c, double y) {
  double sum = c[kTurnTerms - 1];
  for (int j = kTurnTerms - 2; j >= 0; --j) sum = sum * y + c[j];
  return sum;
}

TurnFunctions Turn(double x) {
  const double x2 = x * x;
  if (x2 < 1.0) {
    return {Horner(kTurn1.g, x2), Horner(kTurn2.g, x2), Horner(kTurn3.g, x2),
            Horner(kTurn1.h, x2), Horner(kTurn2.h, x2), Horner(kTurn3.h, x2)};
  }
  const double s = std::sin(x);
  const double c = std::cos(x);
  TurnFunctions t;
  t.g1 = s / x;
  t.g2 = (1.0 - c) / x2;
  t.g3 = (x - s) / (x2 * x);
  t.h1 = (c - t.g1) / x2;
  t.h2 = (t.g1 - 2.0 * t.g2) / x2;
  t.h3 = (t.g2 - 3.0 * t.g3) / x2;
  return t;
}

// ---- Earth
// ---------------------------------------------------------------------------------------

// Height over the WGS-84 ellipsoid measured along the geocentric radius (header comment), and
// its gradient. R_ell = a b |r| / D with D = sqrt(b^2 (x^2 + y^2) + a^2 z^2), h = |r| - R_ell,
//   grad h = r_hat (1 - a b / D) + a b |r| (b^2 x, b^2 y, a^2 z) / D^3.
double HeightOverEllipsoid(const Vec3& r, Vec3* grad) {
  constexpr double a = core::kWgs84A_m;
  constexpr double b = core::kWgs84B_m;
  const double rn = r.norm();
  const double rho2 = r.x() * r.x() + r.y() * r.y();
  const double D = std::sqrt(b * b * rho2 + a * a * r.z() * r.z());
  if (grad != nullptr) {
    const Vec3 dD(b * b * r.x(), b * b * r.y(), a * a * r.z());
    *grad = r * ((1.0 - a * b / D) / rn) + dD * (a * b * rn / (D * D * D));
  }
  return rn - a * b * rn / D;
}

const Vec3 kOmegaEarth_Eci(0.0, 0.0, core::kEarthOmega_radps);

// Central difference of the US-76 density in altitude (kg/m^4).
constexpr double kDensityStep_m = 5.0;
double DensityGradient(double h_m) {
  return (earth::Us76(h_m + kDensityStep_m).density_kgpm3 -
          earth::Us76(h_m - kDensityStep_m).density_kgpm3) /
         (2.0 * kDensityStep_m);
}

// ---- RK4 with the variational equations ------------------------------------------------------

// A B for the variational equations, by each model's known A (the structural zeros left out).
// The first three rows of every A are dr/dt = v, [0 I 0]: those rows of A B are rows 3..5 of B.

// GlideDerivative's A = [0 I 0; G 0 I; 0 0 -I/tau] (3 x 3 blocks, G the J2 gravity
// gradient): the three non-zero blocks of each block row, not 81 products per column.
Mat9 GlideTimesA(const Mat9& A, const Mat9& B) {
  Mat9 out;
  out.topRows<3>() = B.middleRows<3>(3);
  out.middleRows<3>(3).noalias() = A.block<3, 3>(3, 0) * B.topRows<3>();
  out.middleRows<3>(3) += B.bottomRows<3>();
  out.bottomRows<3>() = A(6, 6) * B.bottomRows<3>();
  return out;
}

// Ballistic::Derivative's A = [0 I 0; Ga Dv k; 0 0 0] (rows of 3, 3 and 1; k the kappa
// column): the velocity rows are A's middle block times B (just Ga times B's position rows above
// the drag ceiling, where Dv and k are zero), and kappa's row is zero.
Mat7 BallisticTimesA(const Mat7& A, const Mat7& B) {
  Mat7 out;
  out.topRows<3>() = B.middleRows<3>(3);
  if (A.block<3, 4>(3, 3).isZero(0.0)) {
    out.middleRows<3>(3).noalias() = A.block<3, 3>(3, 0) * B.topRows<3>();
  } else {
    out.middleRows<3>(3).noalias() = A.block<3, 7>(3, 0) * B;
  }
  out.row(6).setZero();
  return out;
}

// n classical RK4 steps of h = dt/n for dx/dt = f(x) (autonomous), and, when phi is non-null,
// of dPhi/dt = A(x) Phi through the same stages: Phi is then the exact derivative of the
// discrete map (differentiation commutes with an explicit Runge-Kutta scheme).
//   f(const Vec& x, Mat* A) -> Vec, filling A = df/dx when A is non-null;
//   times(A, B) -> A B, the model's product above (used only when phi is non-null).
template <int N, typename F, typename T>
void Rk4(const F& f, Eigen::Matrix<double, N, 1>& x, Eigen::Matrix<double, N, N>* phi, double dt_s,
         int n, const T& times) {
  using V = Eigen::Matrix<double, N, 1>;
  using M = Eigen::Matrix<double, N, N>;
  const double h = dt_s / n;
  M A;
  for (int i = 0; i < n; ++i) {
    if (phi == nullptr) {
      const V k1 = f(x, nullptr);
      const V k2 = f((x + 0.5 * h * k1).eval(), nullptr);
      const V k3 = f((x + 0.5 * h * k2).eval(), nullptr);
      const V k4 = f((x + h * k3).eval(), nullptr);
      x += (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
      continue;
    }
    M& P = *phi;
    const V k1 = f(x, &A);
    const M K1 = times(A, P);
    const V k2 = f((x + 0.5 * h * k1).eval(), &A);
    const M K2 = times(A, (P + 0.5 * h * K1).eval());
    const V k3 = f((x + 0.5 * h * k2).eval(), &A);
    const M K3 = times(A, (P + 0.5 * h * K2).eval());
    const V k4 = f((x + h * k3).eval(), &A);
    const M K4 = times(A, (P + h * K3).eval());
    x += (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
    P += (h / 6.0) * (K1 + 2.0 * K2 + 2.0 * K3 + K4);
  }
}

int StepsFor(double dt_s, double max_step_s) {
  return std::max(1, static_cast<int>(std::ceil(std::abs(dt_s) / max_step_s - 1e-12)));
}

// Glide dynamics (header comment): x = (r, v, a_aero).
Vec9 GlideDerivative(const Vec9& x, Mat9* A, double tau_s) {
  const Vec3 r = x.head<3>();
  Vec9 d;
  d.head<3>() = x.segment<3>(3);
  d.segment<3>(3) = earth::GravityAcceleration(r, earth::GravityModel::kJ2) + x.tail<3>();
  d.tail<3>() = -x.tail<3>() / tau_s;
  if (A != nullptr) {
    A->setZero();
    A->block<3, 3>(0, 3).setIdentity();
    A->block<3, 3>(3, 0) = GravityGradientJ2(r);
    A->block<3, 3>(3, 6).setIdentity();
    A->block<3, 3>(6, 6).diagonal().setConstant(-1.0 / tau_s);
  }
  return d;
}

}  // namespace

// =================================================================================================
// Parameters

void ConstantVelocityParams::Validate() const {
  RequireNonNegative("ConstantVelocityParams.q_m2ps3", q_m2ps3);
}
void ConstantAccelerationParams::Validate() const {
  RequireNonNegative("ConstantAccelerationParams.q_m2ps5", q_m2ps5);
  RequirePositive("ConstantAccelerationParams.accel_prior_sigma_mps2", accel_prior_sigma_mps2);
}
void SingerParams::Validate() const {
  RequirePositive("SingerParams.tau_s", tau_s);
  RequireNonNegative("SingerParams.sigma_a_mps2", sigma_a_mps2);
  RequirePositive("SingerParams.accel_prior_sigma_mps2", accel_prior_sigma_mps2);
}
void CoordinatedTurnParams::Validate() const {
  RequireNonNegative("CoordinatedTurnParams.q_accel_m2ps3", q_accel_m2ps3);
  RequireNonNegative("CoordinatedTurnParams.q_omega_rad2ps3", q_omega_rad2ps3);
  RequirePositive("CoordinatedTurnParams.omega_prior_sigma_radps", omega_prior_sigma_radps);
}
void BallisticParams::Validate() const {
  RequireNonNegative("BallisticParams.q_accel_m2ps3", q_accel_m2ps3);
  RequireNonNegative("BallisticParams.q_kappa_m4pkg2ps", q_kappa_m4pkg2ps);
  RequireFinite("BallisticParams.kappa_prior_mean_m2pkg", kappa_prior_mean_m2pkg);
  RequirePositive("BallisticParams.kappa_prior_sigma_m2pkg", kappa_prior_sigma_m2pkg);
  RequireNonNegative("BallisticParams.drag_ceiling_m", drag_ceiling_m);
  RequirePositive("BallisticParams.max_substep_s", max_substep_s);
  RequirePositive("BallisticParams.max_exo_substep_s", max_exo_substep_s);
}
void GlideParams::Validate() const {
  RequirePositive("GlideParams.tau_s", tau_s);
  RequireNonNegative("GlideParams.sigma_a_mps2", sigma_a_mps2);
  RequirePositive("GlideParams.aero_prior_sigma_mps2", aero_prior_sigma_mps2);
  RequirePositive("GlideParams.max_substep_s", max_substep_s);
}
void MotionModelParams::Validate() const {
  cv.Validate();
  ca.Validate();
  singer.Validate();
  ct.Validate();
  ballistic.Validate();
  glide.Validate();
}

// =================================================================================================
// CV

ConstantVelocity::ConstantVelocity(const ConstantVelocityParams& p) : p_(p) { p_.Validate(); }

StateVector ConstantVelocity::Predict(const StateVector& x, double, double dt_s) const {
  HYPERDEF_ASSERT(x.size() == 6);
  StateVector y = x;
  y.head<3>() += dt_s * x.segment<3>(3);
  return y;
}

StateMatrix ConstantVelocity::Jacobian(const StateVector&, double, double dt_s) const {
  StateMatrix F = StateMatrix::Identity(6, 6);
  for (int i = 0; i < 3; ++i) F(i, i + 3) = dt_s;
  return F;
}

StateMatrix ConstantVelocity::ProcessNoise(const StateVector&, double, double dt_s) const {
  StateMatrix Q = StateMatrix::Zero(6, 6);
  AddWhiteAccelNoise(NoiseSign(dt_s) * p_.q_m2ps3, dt_s, Q);
  return Q;
}

Vec3 ConstantVelocity::Acceleration(const StateVector&, double) const { return Vec3::Zero(); }

Gaussian ConstantVelocity::Initialise(const Gaussian& rv) const { return Extend(rv, 6, 0.0, 0.0); }

// =================================================================================================
// CA

ConstantAcceleration::ConstantAcceleration(const ConstantAccelerationParams& p) : p_(p) {
  p_.Validate();
}

StateVector ConstantAcceleration::Predict(const StateVector& x, double, double dt_s) const {
  HYPERDEF_ASSERT(x.size() == 9);
  StateVector y = x;
  y.head<3>() += dt_s * x.segment<3>(3) + (0.5 * dt_s * dt_s) * x.tail<3>();
  y.segment<3>(3) += dt_s * x.tail<3>();
  return y;
}

StateMatrix ConstantAcceleration::Jacobian(const StateVector&, double, double dt_s) const {
  const double T = dt_s;
  Eigen::Matrix3d F;
  F << 1.0, T, 0.5 * T * T, 0.0, 1.0, T, 0.0, 0.0, 1.0;
  return KronI3<3>(F);
}

StateMatrix ConstantAcceleration::ProcessNoise(const StateVector&, double, double dt_s) const {
  const double T = dt_s;
  const double T2 = T * T;
  const double T3 = T2 * T;
  Eigen::Matrix3d Q;
  Q << T3 * T2 / 20.0, T2 * T2 / 8.0, T3 / 6.0,  //
      T2 * T2 / 8.0, T3 / 3.0, T2 / 2.0,         //
      T3 / 6.0, T2 / 2.0, T;
  return KronI3<3>((NoiseSign(dt_s) * p_.q_m2ps5 * Q).eval());
}

Vec3 ConstantAcceleration::Acceleration(const StateVector& x, double) const {
  return x.segment<3>(6);
}

Gaussian ConstantAcceleration::Initialise(const Gaussian& rv) const {
  return Extend(rv, 9, 0.0, p_.accel_prior_sigma_mps2);
}

// =================================================================================================
// Singer

Singer::Singer(const SingerParams& p) : p_(p) { p_.Validate(); }

StateVector Singer::Predict(const StateVector& x, double t_s, double dt_s) const {
  HYPERDEF_ASSERT(x.size() == 9);
  return Jacobian(x, t_s, dt_s) * x;  // linear model: f(x) = F x
}

StateMatrix Singer::Jacobian(const StateVector&, double, double dt_s) const {
  return KronI3<3>(SingerF(dt_s, p_.tau_s));
}

StateMatrix Singer::ProcessNoise(const StateVector&, double, double dt_s) const {
  const double q = 2.0 * p_.sigma_a_mps2 * p_.sigma_a_mps2 / p_.tau_s;
  return KronI3<3>((NoiseSign(dt_s) * SingerQ(dt_s, p_.tau_s, q)).eval());
}

Vec3 Singer::Acceleration(const StateVector& x, double) const { return x.segment<3>(6); }

Gaussian Singer::Initialise(const Gaussian& rv) const {
  return Extend(rv, 9, 0.0, p_.accel_prior_sigma_mps2);
}

// =================================================================================================
// CT3D

CoordinatedTurn3D::CoordinatedTurn3D(const CoordinatedTurnParams& p) : p_(p) { p_.Validate(); }

StateVector CoordinatedTurn3D::Predict(const StateVector& x, double, double dt_s) const {
  HYPERDEF_ASSERT(x.size() == 9);
  const double T = dt_s;
  const Vec3 v = x.segment<3>(3);
  const Vec3 W = x.tail<3>();
  const TurnFunctions tf = Turn(W.norm() * T);
  const double s1 = T * tf.g1;
  const double s2 = T * T * tf.g2;
  const double s3 = T * T * T * tf.g3;
  const Vec3 Kv = W.cross(v);
  const Vec3 K2v = W.cross(Kv);
  StateVector y = x;
  y.head<3>() += T * v + s2 * Kv + s3 * K2v;
  y.segment<3>(3) += s1 * Kv + s2 * K2v;
  return y;
}

StateMatrix CoordinatedTurn3D::Jacobian(const StateVector& x, double, double dt_s) const {
  HYPERDEF_ASSERT(x.size() == 9);
  const double T = dt_s;
  const Vec3 v = x.segment<3>(3);
  const Vec3 W = x.tail<3>();
  const TurnFunctions tf = Turn(W.norm() * T);
  const double T2 = T * T;
  const double s1 = T * tf.g1;
  const double s2 = T2 * tf.g2;
  const double s3 = T2 * T * tf.g3;
  // d_k = (d s_k / d w) / w = T^(k+2) h_k, so d s_k / d Omega = d_k Omega'.
  const double d1 = T2 * T * tf.h1;
  const double d2 = T2 * T2 * tf.h2;
  const double d3 = T2 * T2 * T * tf.h3;
  const Mat3 K = Skew(W);
  const Mat3 K2 = K * K;
  const Mat3 Vx = Skew(v);
  const Vec3 Kv = W.cross(v);
  const Vec3 K2v = W.cross(Kv);
  // d(K v)/dOmega = -[v]x;  d(K^2 v)/dOmega = d(Omega (Omega.v) - w^2 v)/dOmega
  //                                         = (Omega.v) I + Omega v' - 2 v Omega'.
  const Mat3 dK2v = W.dot(v) * Mat3::Identity() + W * v.transpose() - 2.0 * v * W.transpose();
  const Mat3 I = Mat3::Identity();
  StateMatrix F = StateMatrix::Identity(9, 9);
  F.block<3, 3>(0, 3) = T * I + s2 * K + s3 * K2;
  F.block<3, 3>(3, 3) = I + s1 * K + s2 * K2;
  F.block<3, 3>(0, 6) = d2 * Kv * W.transpose() - s2 * Vx + d3 * K2v * W.transpose() + s3 * dK2v;
  F.block<3, 3>(3, 6) = d1 * Kv * W.transpose() - s1 * Vx + d2 * K2v * W.transpose() + s2 * dK2v;
  return F;
}

StateMatrix CoordinatedTurn3D::ProcessNoise(const StateVector& x, double, double dt_s) const {
  HYPERDEF_ASSERT(x.size() == 9);
  const double T = dt_s;
  const double T2 = T * T;
  const double T3 = T2 * T;
  const double sg = NoiseSign(dt_s);
  const double qw = sg * p_.q_omega_rad2ps3;
  const Vec3 v = x.segment<3>(3);
  const Mat3 V = Skew(v);
  const Mat3 Pv = v.squaredNorm() * Mat3::Identity() - v * v.transpose();  // V V'
  StateMatrix Q = StateMatrix::Zero(9, 9);
  AddWhiteAccelNoise(sg * p_.q_accel_m2ps3, T, Q);
  Q.block<3, 3>(0, 0) += (qw * T3 * T2 / 20.0) * Pv;
  Q.block<3, 3>(0, 3) += (qw * T2 * T2 / 8.0) * Pv;
  Q.block<3, 3>(3, 0) += (qw * T2 * T2 / 8.0) * Pv;
  Q.block<3, 3>(3, 3) += (qw * T3 / 3.0) * Pv;
  Q.block<3, 3>(0, 6) = (-qw * T3 / 6.0) * V;
  Q.block<3, 3>(6, 0) = (-qw * T3 / 6.0) * V.transpose();
  Q.block<3, 3>(3, 6) = (-qw * T2 / 2.0) * V;
  Q.block<3, 3>(6, 3) = (-qw * T2 / 2.0) * V.transpose();
  Q.block<3, 3>(6, 6) = (qw * T) * Mat3::Identity();
  return Q;
}

Vec3 CoordinatedTurn3D::Acceleration(const StateVector& x, double) const {
  return Vec3(x.segment<3>(6)).cross(Vec3(x.segment<3>(3)));
}

Gaussian CoordinatedTurn3D::Initialise(const Gaussian& rv) const {
  return Extend(rv, 9, 0.0, p_.omega_prior_sigma_radps);
}

// =================================================================================================
// Ballistic

Ballistic::Ballistic(const BallisticParams& p, const TrackingFrame& frame) : p_(p), frame_(frame) {
  p_.Validate();
}

Vec7 Ballistic::Derivative(const Vec7& x, Mat7* A) const {
  const Vec3 r = x.head<3>();
  const Vec3 v = x.segment<3>(3);
  const double kappa = x[6];
  Vec7 d;
  d.head<3>() = v;
  d.segment<3>(3) = earth::GravityAcceleration(r, earth::GravityModel::kJ2);
  d[6] = 0.0;
  if (A != nullptr) {
    A->setZero();
    A->block<3, 3>(0, 3).setIdentity();
    A->block<3, 3>(3, 0) = GravityGradientJ2(r);
  }
  Vec3 grad_h;
  const double h = HeightOverEllipsoid(r, A != nullptr ? &grad_h : nullptr);
  if (h >= p_.drag_ceiling_m) return d;
  // a_d = -1/2 rho kappa |u| u, u = v - omega_E x r.
  const Vec3 u = v - kOmegaEarth_Eci.cross(r);
  const double un = u.norm();
  const double rho = earth::Us76(h).density_kgpm3;
  d.segment<3>(3) -= (0.5 * rho * kappa * un) * u;
  if (A != nullptr && un > 0.0) {
    // d a_d / d u = -1/2 rho kappa (|u| I + u u' / |u|); du/dv = I; du/dr = -[omega_E]x;
    // d a_d / d r also has -1/2 kappa |u| u (d rho/dh) grad(h)'; d a_d / d kappa = -1/2 rho |u| u.
    const Mat3 Du = (-0.5 * rho * kappa) * (un * Mat3::Identity() + u * u.transpose() / un);
    A->block<3, 3>(3, 3) = Du;
    A->block<3, 3>(3, 0) += -Du * Skew(kOmegaEarth_Eci) +
                            ((-0.5 * kappa * un * DensityGradient(h)) * u) * grad_h.transpose();
    A->block<3, 1>(3, 6) = (-0.5 * rho * un) * u;
  }
  return d;
}

int Ballistic::Substeps(const StateVector& x, double dt_s) const {
  const double adt = std::abs(dt_s);
  const double h = HeightOverEllipsoid(x.head<3>(), nullptr);
  // Lowest the target can get within |dt|: falling at |v| plus 5 dt^2 for gravity (~ g/2).
  const double h_low = h - x.segment<3>(3).norm() * adt - 5.0 * adt * adt;
  return StepsFor(dt_s, h_low > p_.drag_ceiling_m ? p_.max_exo_substep_s : p_.max_substep_s);
}

StateVector Ballistic::Predict(const StateVector& x, double, double dt_s) const {
  HYPERDEF_ASSERT(x.size() == 7);
  if (dt_s == 0.0) return x;
  Vec7 y = x;
  const auto f = [this](const Vec7& s, Mat7* A) { return Derivative(s, A); };
  Rk4<7>(f, y, nullptr, dt_s, Substeps(x, dt_s), &BallisticTimesA);
  return y;
}

StateMatrix Ballistic::Jacobian(const StateVector& x, double t_s, double dt_s) const {
  StateMatrix F;
  PredictWithJacobian(x, t_s, dt_s, &F);
  return F;
}

StateVector Ballistic::PredictWithJacobian(const StateVector& x, double, double dt_s,
                                           StateMatrix* F) const {
  HYPERDEF_ASSERT(x.size() == 7);
  if (dt_s == 0.0) {
    *F = StateMatrix::Identity(7, 7);
    return x;
  }
  // The RK4 map with the variational equations advances x by the same arithmetic as Predict.
  Vec7 y = x;
  Mat7 phi = Mat7::Identity();
  const auto f = [this](const Vec7& s, Mat7* A) { return Derivative(s, A); };
  Rk4<7>(f, y, &phi, dt_s, Substeps(x, dt_s), &BallisticTimesA);
  *F = phi;
  return y;
}

StateMatrix Ballistic::ProcessNoise(const StateVector&, double, double dt_s) const {
  const double sg = NoiseSign(dt_s);
  StateMatrix Q = StateMatrix::Zero(7, 7);
  AddWhiteAccelNoise(sg * p_.q_accel_m2ps3, dt_s, Q);
  Q(6, 6) = sg * p_.q_kappa_m4pkg2ps * dt_s;
  return Q;
}

Vec3 Ballistic::Acceleration(const StateVector& x, double) const {
  return Derivative(Vec7(x.head<7>()), nullptr).segment<3>(3);
}

Gaussian Ballistic::Initialise(const Gaussian& rv) const {
  return Extend(rv, 7, p_.kappa_prior_mean_m2pkg, p_.kappa_prior_sigma_m2pkg);
}

// =================================================================================================
// Glide

Glide::Glide(const GlideParams& p) : p_(p) { p_.Validate(); }

StateVector Glide::Predict(const StateVector& x, double, double dt_s) const {
  HYPERDEF_ASSERT(x.size() == 9);
  if (dt_s == 0.0) return x;
  Vec9 y = x;
  const double tau = p_.tau_s;
  const auto f = [tau](const Vec9& s, Mat9* A) { return GlideDerivative(s, A, tau); };
  Rk4<9>(f, y, nullptr, dt_s, StepsFor(dt_s, p_.max_substep_s), &GlideTimesA);
  return y;
}

StateMatrix Glide::Jacobian(const StateVector& x, double t_s, double dt_s) const {
  StateMatrix F;
  PredictWithJacobian(x, t_s, dt_s, &F);
  return F;
}

StateVector Glide::PredictWithJacobian(const StateVector& x, double, double dt_s,
                                       StateMatrix* F) const {
  HYPERDEF_ASSERT(x.size() == 9);
  if (dt_s == 0.0) {
    *F = StateMatrix::Identity(9, 9);
    return x;
  }
  Vec9 y = x;
  Mat9 phi = Mat9::Identity();
  const double tau = p_.tau_s;
  const auto f = [tau](const Vec9& s, Mat9* A) { return GlideDerivative(s, A, tau); };
  Rk4<9>(f, y, &phi, dt_s, StepsFor(dt_s, p_.max_substep_s), &GlideTimesA);
  *F = phi;
  return y;
}

StateMatrix Glide::ProcessNoise(const StateVector&, double, double dt_s) const {
  const double q = 2.0 * p_.sigma_a_mps2 * p_.sigma_a_mps2 / p_.tau_s;
  return KronI3<3>((NoiseSign(dt_s) * SingerQ(dt_s, p_.tau_s, q)).eval());
}

Vec3 Glide::Acceleration(const StateVector& x, double) const {
  return earth::GravityAcceleration(Vec3(x.head<3>()), earth::GravityModel::kJ2) + x.segment<3>(6);
}

Gaussian Glide::Initialise(const Gaussian& rv) const {
  return Extend(rv, 9, 0.0, p_.aero_prior_sigma_mps2);
}

// =================================================================================================
// Gravity gradient and factory

Mat3 GravityGradientJ2(const Vec3& r) {
  constexpr double mu = core::kEarthMu_m3ps2;
  constexpr double c = 1.5 * core::kJ2 * mu * core::kWgs84A_m * core::kWgs84A_m;
  const double r2 = r.squaredNorm();
  const double rn = std::sqrt(r2);
  const double z = r.z();
  const double ir2 = 1.0 / r2;
  const double ir5 = ir2 * ir2 / rn;
  const double ir7 = ir5 * ir2;
  const double ir9 = ir7 * ir2;
  const double alpha = -mu * ir2 / rn + c * (5.0 * z * z * ir7 - ir5);
  // grad alpha = (3 mu/r^5 + c (5/r^7 - 35 z^2/r^9)) r + (10 c z / r^7) z_hat
  // grad beta  = (10 c z / r^7) r - (2 c / r^5) z_hat
  const double ga_r = 3.0 * mu * ir5 + c * (5.0 * ir7 - 35.0 * z * z * ir9);
  const double ga_z = 10.0 * c * z * ir7;
  const double gb_r = ga_z;
  const double gb_z = -2.0 * c * ir5;
  Mat3 G = alpha * Mat3::Identity() + ga_r * r * r.transpose();
  G.col(2) += ga_z * r;  // r grad(alpha)' z-part
  G.row(2) += gb_r * r.transpose();
  G(2, 2) += gb_z;
  return G;
}

std::shared_ptr<const MotionModel> MakeMotionModel(std::string_view name,
                                                   const MotionModelParams& params,
                                                   const TrackingFrame& frame) {
  if (name == "cv") return std::make_shared<ConstantVelocity>(params.cv);
  if (name == "ca") return std::make_shared<ConstantAcceleration>(params.ca);
  if (name == "singer") return std::make_shared<Singer>(params.singer);
  if (name == "ct") return std::make_shared<CoordinatedTurn3D>(params.ct);
  if (name == "ballistic") return std::make_shared<Ballistic>(params.ballistic, frame);
  if (name == "glide") return std::make_shared<Glide>(params.glide);
  throw std::invalid_argument("motion model: unknown name '" + std::string(name) +
                              "' (expected one of: cv, ca, singer, ct, ballistic, glide)");
}

}  // namespace hyperdef::tracking
