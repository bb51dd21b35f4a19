#include "tracking/ekf.h"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"

namespace hyperdef::tracking {

namespace detail {

bool GaussianScore(const MeasVector& nu, const MeasMatrix& S, double* nis, double* log_likelihood) {
  const Eigen::LLT<MeasMatrix> llt(S);
  if (llt.info() != Eigen::Success || !nu.allFinite()) {
    *nis = std::numeric_limits<double>::infinity();
    *log_likelihood = -std::numeric_limits<double>::infinity();
    return false;
  }
  const MeasVector w = llt.matrixL().solve(nu);  // nu' S^-1 nu = |L^-1 nu|^2
  const double log_det = 2.0 * llt.matrixLLT().diagonal().array().log().sum();
  *nis = w.squaredNorm();
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
}

std::unique_ptr<TrackFilter> EkfFilter::Clone() const { return std::make_unique<EkfFilter>(*this); }

void EkfFilter::Predict(double t_s) {
  const double dt = t_s - state_.t_s;
  if (dt == 0.0) return;
  HYPERDEF_ASSERT(dt > 0.0);
  const StateMatrix F = model_->Jacobian(state_.x, state_.t_s, dt);
  const StateMatrix Q = model_->ProcessNoise(state_.x, state_.t_s, dt);
  state_.x = model_->Predict(state_.x, state_.t_s, dt);
  state_.P = F * state_.P * F.transpose() + Q;
  detail::Symmetrise(&state_.P);
  state_.t_s = t_s;
}

Innovation EkfFilter::Linearise(const Measurement& m, MeasJacobian* H) const {
  const MeasurementModel& h = model_for_(m.kind);
  Innovation inn;
  *H = h.Jacobian(state_.x, m);
  inn.nu = h.Residual(m.z, h.Predict(state_.x, m));
  inn.Pxz = state_.P * H->transpose();
  inn.S = *H * inn.Pxz + m.R;
  const MeasMatrix St = inn.S.transpose();
  inn.S = 0.5 * (inn.S + St);
  detail::GaussianScore(inn.nu, inn.S, &inn.nis, &inn.log_likelihood);
  return inn;
}

Innovation EkfFilter::Innovate(const Measurement& m) const {
  MeasJacobian H;
  return Linearise(m, &H);
}

Innovation EkfFilter::UpdateInPlace(const Measurement& m, StateVector* x, StateMatrix* P) const {
  MeasJacobian H;
  Innovation inn = Linearise(m, &H);
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
  if (!x->allFinite() || !P->allFinite()) {
    detail::FailInnovation("EKF", m.kind, "update produced a non-finite state");
  }
  return inn;
}

Innovation EkfFilter::Correct(const Measurement& m) {
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
