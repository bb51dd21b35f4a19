#include "tracking/ekf.h"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "core/error.h"

namespace hyperdef::tracking {

namespace {

// Fixed-size kernels. The production models have 6, 7 or 9 states and the measurements 2, 3 or 4
// components; with those sizes known at compile time Eigen unrolls and vectorises the products,
// which the fixed-capacity dynamic-size types of types.h cannot. Other sizes (test models) take
// the generic dynamic-size path of the same algebra.
//
// Every measurement model's H is zero beyond the first six columns (types.h), and those of a
// line of sight, a position fix and a radar plot without range rate beyond the first three: C is
// the number of leading columns that can be non-zero, and the products skip the known zeros.
// The Joseph form (I - K H) P (I - K H)' + K R K' is formed as A = P - K Pxz' (= (I - K H) P,
// since H P = Pxz' for symmetric P) and A + (K R - A[:, 0:C] H') K': products over the M
// measurement components instead of the N states, the same polynomial in K for any gain. The
// correction K R - A H' is formed from the rounded A, so A's round-off enters P multiplied by
// (I - K H)' as in the textbook grouping (a precise measurement does not leave it in P).
template <int N, int M, int C>
struct Fixed {
  using Mn = Eigen::Matrix<double, N, N>;
  using Vm = Eigen::Matrix<double, M, 1>;
  using Mm = Eigen::Matrix<double, M, M>;
  using Hc = Eigen::Matrix<double, M, C>;
  using Km = Eigen::Matrix<double, N, M>;

  // The N x N state matrices (runtime-sized, N x N here) seen in place as fixed-size ones: the
  // kernels read and write them without copying 81 doubles in and out.
  static Eigen::Map<const Mn> Fix(const StateMatrix& P) {
    HYPERDEF_ASSERT(P.rows() == N && P.cols() == N);
    return Eigen::Map<const Mn>(P.data());
  }
  static Eigen::Map<Mn> Fix(StateMatrix* P) {
    HYPERDEF_ASSERT(P->rows() == N && P->cols() == N);
    return Eigen::Map<Mn>(P->data());
  }

  // Cholesky factor L (lower) of a small SPD matrix, unrolled for M <= 4; false when S is not
  // positive definite (or not finite).
  static bool Cholesky(const Mm& S, Mm* L) {
    L->setZero();
    for (int j = 0; j < M; ++j) {
      double d = S(j, j);
      for (int k = 0; k < j; ++k) d -= (*L)(j, k) * (*L)(j, k);
      if (!(d > 0.0) || !std::isfinite(d)) return false;
      const double ljj = std::sqrt(d);
      (*L)(j, j) = ljj;
      for (int i = j + 1; i < M; ++i) {
        double a = S(i, j);
        for (int k = 0; k < j; ++k) a -= (*L)(i, k) * (*L)(j, k);
        (*L)(i, j) = a / ljj;
      }
    }
    return true;
  }
  // Solves L L' X = B in place (B: M rows, any columns).
  template <typename Mat>
  static void CholeskySolve(const Mm& L, Mat* B) {
    for (int c = 0; c < B->cols(); ++c) {
      for (int i = 0; i < M; ++i) {
        double a = (*B)(i, c);
        for (int k = 0; k < i; ++k) a -= L(i, k) * (*B)(k, c);
        (*B)(i, c) = a / L(i, i);
      }
      for (int i = M - 1; i >= 0; --i) {
        double a = (*B)(i, c);
        for (int k = i + 1; k < M; ++k) a -= L(k, i) * (*B)(k, c);
        (*B)(i, c) = a / L(i, i);
      }
    }
  }

  // nis and log N(nu; 0, S) from the Cholesky factor L of S (detail::GaussianScore's formula;
  // the log-determinant as one log of the factor's diagonal product, which cannot under- or
  // overflow for M <= 4 and any physical S). log_l may be null: the NIS alone.
  static void Score(bool ok, const Mm& L, const Vm& nu, double* nis, double* log_l) {
    if (!ok || !nu.allFinite()) {
      *nis = std::numeric_limits<double>::infinity();
      if (log_l != nullptr) *log_l = -std::numeric_limits<double>::infinity();
      return;
    }
    Vm w = nu;  // L w = nu
    for (int i = 0; i < M; ++i) {
      for (int k = 0; k < i; ++k) w(i) -= L(i, k) * w(k);
      w(i) /= L(i, i);
    }
    *nis = w.squaredNorm();
    if (log_l == nullptr) return;
    const double log_det = 2.0 * std::log(L.diagonal().prod());
    *log_l = -0.5 * (*nis + log_det + static_cast<double>(M) * std::log(2.0 * core::kPi));
  }

  // EkfFilter::Linearise's algebra (ekf.h) on fixed-size copies; fills inn and returns whether S
  // is positive definite (its factor in *L).
  template <typename PMat>
  static bool Innovate(const PMat& P, const Hc& H, const Vm& nu, const Mm& R, Innovation* inn,
                       Km* Pxz, Mm* L) {
    *Pxz = P.template leftCols<C>() * H.transpose();
    Mm S = H * Pxz->template topRows<C>() + R;
    S = (0.5 * (S + S.transpose())).eval();
    const bool ok = Cholesky(S, L);
    inn->nu = nu;
    inn->S = S;
    inn->Pxz = *Pxz;
    Score(ok, *L, nu, &inn->nis, &inn->log_likelihood);
    return ok;
  }

  static void Linearise(const StateMatrix& P, const MeasJacobian& H, const MeasVector& nu,
                        const MeasMatrix& R, Innovation* inn) {
    Km Pxz;
    Mm L;
    Innovate(Fix(P), Hc(H.leftCols(C)), Vm(nu), Mm(R), inn, &Pxz, &L);
  }

  // The Joseph-form update (ekf.h) of (x, P) in place; one Cholesky factor of S serves the score
  // and the gain.
  // `known`, when not null, is this very linearisation already formed (by Innovate at the same
  // state): its S and Pxz are used as they are.
  static void Update(const MeasJacobian& H_d, const MeasVector& nu_d, const Measurement& m,
                     const Innovation* known, StateVector* x, StateMatrix* P_d, Innovation* inn) {
    const Eigen::Map<const Mn> P = Fix(*P_d);  // read only until the final write of *P_d
    const Hc H = H_d.leftCols(C);
    const Vm nu = nu_d;
    const Mm R = m.R;
    Km Pxz;
    Mm L;
    bool ok;
    if (known != nullptr) {
      *inn = *known;
      Pxz = known->Pxz;
      ok = Cholesky(Mm(known->S), &L);
    } else {
      ok = Innovate(P, H, nu, R, inn, &Pxz, &L);
    }
    if (!ok) {
      detail::FailInnovation("EKF", m.kind, "innovation covariance S is not positive definite");
    }
    // K = Pxz S^-1, solved as K' = S^-1 Pxz'.
    Eigen::Matrix<double, M, N> Kt = Pxz.transpose();
    CholeskySolve(L, &Kt);
    const Km K = Kt.transpose();
    *x += K * nu;
    // The Joseph form, grouped as in the header comment.
    const Mn A = P - K * Pxz.transpose();
    const Km E = K * R - A.template leftCols<C>() * H.transpose();
    const Mn Pn = A + E * Kt;
    Fix(P_d) = 0.5 * (Pn + Pn.transpose());  // symmetrised straight into place
    // The finiteness check on the fixed-size view of the result (unrolled).
    if (!detail::AllFinite(Fix(std::as_const(*P_d))) || !detail::AllFinite(*x)) {
      detail::FailInnovation("EKF", m.kind, "update produced a non-finite state");
    }
  }

  // P = F P F' + Q, symmetrised.
  static void Propagate(const StateMatrix& F_d, const StateMatrix& Q, StateMatrix* P_d) {
    const Eigen::Map<const Mn> F = Fix(F_d);
    const Mn P = F * Fix(*P_d) * F.transpose() + Fix(Q);
    Fix(P_d) = 0.5 * (P + P.transpose());
  }
};

// Calls f(Fixed<nx, nz, C>{}) and returns true when (nx, nz) is a production size, with C = 3
// when H is zero beyond its first three columns and C = nx otherwise; false (f not called) for
// any other size.
template <int N, int M, typename F>
void DispatchColumns(const MeasJacobian& H, F&& f) {
  if (H.template block<M, N - 3>(0, 3).isZero(0.0)) return f(Fixed<N, M, 3>{});
  f(Fixed<N, M, N>{});
}
template <int N, typename F>
bool DispatchMeas(const MeasJacobian& H, F&& f) {
  switch (H.rows()) {
    case 2:
      DispatchColumns<N, 2>(H, f);
      return true;
    case 3:
      DispatchColumns<N, 3>(H, f);
      return true;
    case 4:
      DispatchColumns<N, 4>(H, f);
      return true;
    default:
      return false;
  }
}
template <typename F>
bool DispatchSizes(const MeasJacobian& H, F&& f) {
  switch (H.cols()) {
    case 6:
      return DispatchMeas<6>(H, f);
    case 7:
      return DispatchMeas<7>(H, f);
    case 9:
      return DispatchMeas<9>(H, f);
    default:
      return false;
  }
}

// GaussianScore's NIS alone for an M-component innovation, on the unrolled fixed-size
// Cholesky factor (the same sums as a dynamic-size factor and solve of so small a matrix).
template <int M>
bool FixedNis(const MeasVector& nu_d, const MeasMatrix& S_d, double* nis) {
  using K = Fixed<6, M, M>;
  typename K::Mm L;
  const bool ok = K::Cholesky(typename K::Mm(S_d), &L);
  K::Score(ok, L, typename K::Vm(nu_d), nis, nullptr);
  return std::isfinite(*nis);
}

}  // namespace

namespace detail {

bool GaussianScore(const MeasVector& nu, const MeasMatrix& S, double* nis, double* log_likelihood) {
  if (log_likelihood == nullptr) {  // the NIS alone (an IMM mixture's gate): unrolled sizes
    switch (nu.size()) {
      case 2:
        return FixedNis<2>(nu, S, nis);
      case 3:
        return FixedNis<3>(nu, S, nis);
      case 4:
        return FixedNis<4>(nu, S, nis);
      default:
        break;
    }
  }
  const Eigen::LLT<MeasMatrix> llt(S);
  if (llt.info() != Eigen::Success || !nu.allFinite()) {
    *nis = std::numeric_limits<double>::infinity();
    if (log_likelihood != nullptr) *log_likelihood = -std::numeric_limits<double>::infinity();
    return false;
  }
  const MeasVector w = llt.matrixL().solve(nu);  // nu' S^-1 nu = |L^-1 nu|^2
  *nis = w.squaredNorm();
  if (log_likelihood == nullptr) return std::isfinite(*nis);
  const double log_det = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  *log_likelihood =
      -0.5 * (*nis + log_det + static_cast<double>(nu.size()) * std::log(2.0 * core::kPi));
  return std::isfinite(*log_likelihood);
}

void Symmetrise(StateMatrix* P) {
  const StateMatrix Pt = P->transpose();
  *P = 0.5 * (*P + Pt);
}

PdaMixture::PdaMixture(int n) : dx_(StateVector::Zero(n)), M_(StateMatrix::Zero(n, n)) {}

void PdaMixture::Add(double beta, const StateVector& dx, const StateMatrix& P_i) {
  dx_ += beta * dx;
  M_ += beta * (P_i + dx * dx.transpose());
}

void PdaMixture::Finish(double beta0, StateVector* x, StateMatrix* P) const {
  // P = beta0 P- + sum beta_i (P_i + dx_i dx_i') - dx dx', dx = sum beta_i dx_i.
  *x += dx_;
  *P = beta0 * *P + M_ - dx_ * dx_.transpose();
  Symmetrise(P);
}

[[noreturn]] void FailInnovation(const char* filter, MeasKind kind, const char* what) {
  const char* kind_name = kind == MeasKind::kRadar ? "radar"
                          : kind == MeasKind::kLos ? "los"
                                                   : "position";
  throw core::InvariantError(std::string(filter) + ": " + kind_name +
                             " measurement update: " + what);
}

void CheckPdaArguments(const std::vector<const Measurement*>& ms, const std::vector<double>& beta,
                       double beta0) {
  HYPERDEF_ASSERT(ms.size() == beta.size());
  double sum = beta0;
  HYPERDEF_ASSERT(beta0 >= 0.0 && beta0 <= 1.0);
  for (std::size_t i = 0; i < beta.size(); ++i) {
    HYPERDEF_ASSERT(ms[i] != nullptr);
    HYPERDEF_ASSERT(beta[i] >= 0.0 && beta[i] <= 1.0);
    sum += beta[i];
  }
  // The association probabilities come from a normalised computation; 1e-6 allows its
  // round-off, not a missing hypothesis.
  HYPERDEF_ASSERT(std::abs(sum - 1.0) < 1e-6);
}

}  // namespace detail

Gaussian GaussianFilter::Estimate() const {
  const Gaussian& g = State();
  Gaussian e;
  e.x = g.x.head(6);
  e.P = g.P.topLeftCorner(6, 6);
  e.t_s = g.t_s;
  return e;
}

std::vector<std::string> GaussianFilter::ModeNames() const { return {std::string(Model().Name())}; }

EkfFilter::EkfFilter(std::shared_ptr<const MotionModel> model, Gaussian initial,
                     MeasurementModelFor model_for)
    : model_(std::move(model)), model_for_(model_for) {
  HYPERDEF_ASSERT(model_ != nullptr);
  HYPERDEF_ASSERT(model_for_ != nullptr);
  SetState(initial);
}

void EkfFilter::SetState(const Gaussian& g) {
  HYPERDEF_ASSERT(g.x.size() == model_->Dim());
  HYPERDEF_ASSERT(g.P.rows() == g.x.size() && g.P.cols() == g.x.size());
  state_ = g;
  ++state_version_;
}

std::unique_ptr<TrackFilter> EkfFilter::Clone() const { return std::make_unique<EkfFilter>(*this); }

void EkfFilter::Predict(double t_s) {
  const double dt = t_s - state_.t_s;
  if (dt == 0.0) return;
  HYPERDEF_ASSERT(dt > 0.0);
  ++state_version_;
  StateMatrix F;
  const StateMatrix Q = model_->ProcessNoise(state_.x, state_.t_s, dt);
  state_.x = model_->PredictWithJacobian(state_.x, state_.t_s, dt, &F);
  state_.t_s = t_s;
  switch (state_.x.size()) {
    case 6:
      return Fixed<6, 2, 6>::Propagate(F, Q, &state_.P);
    case 7:
      return Fixed<7, 2, 7>::Propagate(F, Q, &state_.P);
    case 9:
      return Fixed<9, 2, 9>::Propagate(F, Q, &state_.P);
    default:
      break;
  }
  state_.P = F * state_.P * F.transpose() + Q;
  detail::Symmetrise(&state_.P);
}

void EkfFilter::Linearise(const Measurement& m, MeasJacobian* H, Innovation* inn) const {
  const MeasurementModel& h = model_for_(m.kind);
  *H = h.Jacobian(state_.x, m);
  const MeasVector nu = h.Residual(m.z, h.Predict(state_.x, m));
  const bool fixed =
      DispatchSizes(*H, [&](auto k) { decltype(k)::Linearise(state_.P, *H, nu, m.R, inn); });
  if (fixed) return;
  inn->nu = nu;
  inn->Pxz = state_.P * H->transpose();
  inn->S = *H * inn->Pxz + m.R;
  const MeasMatrix St = inn->S.transpose();
  inn->S = 0.5 * (inn->S + St);
  detail::GaussianScore(inn->nu, inn->S, &inn->nis, &inn->log_likelihood);
}

Innovation EkfFilter::Innovate(const Measurement& m) const { return InnovateKept(m); }

const Innovation& EkfFilter::InnovateKept(const Measurement& m) const {
  Linearise(m, &last_.H, &last_.inn);
  last_.m = &m;
  last_.t_s = m.t_s;
  last_.z = m.z;
  last_.state_version = state_version_;
  return last_.inn;
}

Innovation EkfFilter::UpdateInPlace(const Measurement& m, StateVector* x, StateMatrix* P) const {
  // Linearised at *x, *P: the filter's state, or a PDA copy of it. The state's own last
  // Innovate() of this measurement is that linearisation already.
  const bool known = x == &state_.x && P == &state_.P && last_.m == &m &&
                     last_.state_version == state_version_ && last_.t_s == m.t_s &&
                     last_.z.size() == m.z.size() && last_.z == m.z;
  MeasJacobian H_new;
  MeasVector nu_new;
  if (!known) {
    const MeasurementModel& h = model_for_(m.kind);
    H_new = h.Jacobian(*x, m);
    nu_new = h.Residual(m.z, h.Predict(*x, m));
  }
  const MeasJacobian& H = known ? last_.H : H_new;
  const MeasVector& nu = known ? last_.inn.nu : nu_new;
  Innovation inn;
  const bool fixed = DispatchSizes(
      H, [&](auto k) { decltype(k)::Update(H, nu, m, known ? &last_.inn : nullptr, x, P, &inn); });
  if (!fixed) {
    inn.nu = nu;
    inn.Pxz = *P * H.transpose();
    inn.S = H * inn.Pxz + m.R;
    const MeasMatrix St = inn.S.transpose();
    inn.S = 0.5 * (inn.S + St);
    detail::GaussianScore(inn.nu, inn.S, &inn.nis, &inn.log_likelihood);
    const Eigen::LLT<MeasMatrix> llt(inn.S);
    if (llt.info() != Eigen::Success) {
      detail::FailInnovation("EKF", m.kind, "innovation covariance S is not positive definite");
    }
    // K = Pxz S^-1, solved as K' = S^-1 Pxz'.
    const GainMatrix K = llt.solve(inn.Pxz.transpose()).transpose();
    *x += K * inn.nu;
    StateMatrix IKH = -K * H;
    IKH.diagonal().array() += 1.0;
    *P = IKH * *P * IKH.transpose() + K * m.R * K.transpose();
    detail::Symmetrise(P);
    if (!detail::AllFinite(*x) || !detail::AllFinite(*P)) {
      detail::FailInnovation("EKF", m.kind, "update produced a non-finite state");
    }
  }
  return inn;
}

Innovation EkfFilter::Correct(const Measurement& m) {
  struct Bump {  // the state changes, even when the update throws half-way
    unsigned long& version;
    ~Bump() { ++version; }
  } bump{state_version_};
  return UpdateInPlace(m, &state_.x, &state_.P);
}

void GaussianFilter::UpdatePda(const std::vector<const Measurement*>& ms,
                               const std::vector<double>& beta, double beta0) {
  detail::CheckPdaArguments(ms, beta, beta0);
  Gaussian g = State();
  detail::PdaMixture mix(static_cast<int>(g.x.size()));
  for (std::size_t i = 0; i < ms.size(); ++i) {
    if (beta[i] == 0.0) continue;
    StateVector x = g.x;
    StateMatrix P = g.P;
    UpdateInPlace(*ms[i], &x, &P);
    mix.Add(beta[i], x - g.x, P);
  }
  mix.Finish(beta0, &g.x, &g.P);
  SetState(g);
}

std::unique_ptr<TrackFilter> MakeEkf(std::shared_ptr<const MotionModel> model,
                                     const Gaussian& initial6, MeasurementModelFor model_for) {
  HYPERDEF_ASSERT(model != nullptr);
  HYPERDEF_ASSERT(initial6.x.size() == 6);
  Gaussian g = model->Initialise(initial6);
  return std::make_unique<EkfFilter>(std::move(model), std::move(g), model_for);
}

}  // namespace hyperdef::tracking
