#include "tracking/ukf.h"

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"

namespace hyperdef::tracking {

namespace {

constexpr int kMaxSigma = 2 * kMaxState + 1;
using SigmaStates = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxState, kMaxSigma>;
using SigmaMeas = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxMeas, kMaxSigma>;
using Weights = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxSigma, 1>;

struct SigmaSet {
  SigmaStates X;
  Weights wm;
  Weights wc;
};

// Scaled sigma points of (x, P) (see ukf.h); false if P is not positive definite.
bool MakeSigmaPoints(const StateVector& x, const StateMatrix& P, const UnscentedParams& u,
                     SigmaSet* s) {
  const int n = static_cast<int>(x.size());
  const Eigen::LLT<StateMatrix> llt(P);
  if (llt.info() != Eigen::Success) return false;
  const double lambda = u.alpha * u.alpha * (n + u.kappa) - n;
  const double c = std::sqrt(n + lambda);
  const StateMatrix L = llt.matrixL();
  s->X.resize(n, 2 * n + 1);
  s->X.col(0) = x;
  for (int i = 0; i < n; ++i) {
    s->X.col(1 + i) = x + c * L.col(i);
    s->X.col(1 + n + i) = x - c * L.col(i);
  }
  s->wm.setConstant(2 * n + 1, 0.5 / (n + lambda));
  s->wc = s->wm;
  s->wm(0) = lambda / (n + lambda);
  s->wc(0) = s->wm(0) + (1.0 - u.alpha * u.alpha + u.beta);
  return true;
}

// Unscented innovation: the prediction z^, S, Pxz and nu for m through h.
bool UnscentedInnovation(const Gaussian& g, const Measurement& m, const MeasurementModel& h,
                         const UnscentedParams& u, Innovation* inn) {
  SigmaSet s;
  if (!MakeSigmaPoints(g.x, g.P, u, &s)) return false;
  const int np = static_cast<int>(s.X.cols());
  const int nz = static_cast<int>(m.z.size());
  SigmaMeas Z(nz, np);
  for (int i = 0; i < np; ++i) Z.col(i) = h.Predict(s.X.col(i), m);
  // Mean of the residuals about the centre point, so wrapped angles average correctly.
  const MeasVector z0 = Z.col(0);
  MeasVector mean_dz = MeasVector::Zero(nz);
  for (int i = 1; i < np; ++i) mean_dz += s.wm(i) * h.Residual(Z.col(i), z0);
  const MeasVector z_hat = z0 + mean_dz;
  inn->S = m.R;
  inn->Pxz = GainMatrix::Zero(g.x.size(), nz);
  for (int i = 0; i < np; ++i) {
    const MeasVector dz = h.Residual(Z.col(i), z_hat);
    inn->S += s.wc(i) * dz * dz.transpose();
    inn->Pxz += s.wc(i) * (s.X.col(i) - g.x) * dz.transpose();
  }
  const MeasMatrix St = inn->S.transpose();
  inn->S = 0.5 * (inn->S + St);
  inn->nu = h.Residual(m.z, z_hat);
  return true;
}

}  // namespace

UkfFilter::UkfFilter(std::shared_ptr<const MotionModel> model, Gaussian initial,
                     MeasurementModelFor model_for, UnscentedParams params)
    : model_(std::move(model)), model_for_(model_for), params_(params) {
  HYPERDEF_ASSERT(model_ != nullptr);
  HYPERDEF_ASSERT(model_for_ != nullptr);
  HYPERDEF_ASSERT(params_.alpha > 0.0 && params_.alpha <= 1.0);
  HYPERDEF_ASSERT(model_->Dim() + params_.kappa > 0.0);
  SetState(initial);
}

void UkfFilter::SetState(const Gaussian& g) {
  HYPERDEF_ASSERT(g.x.size() == model_->Dim());
  HYPERDEF_ASSERT(g.P.rows() == g.x.size() && g.P.cols() == g.x.size());
  state_ = g;
}

std::unique_ptr<TrackFilter> UkfFilter::Clone() const { return std::make_unique<UkfFilter>(*this); }

void UkfFilter::Predict(double t_s) {
  const double dt = t_s - state_.t_s;
  if (dt == 0.0) return;
  HYPERDEF_ASSERT(dt > 0.0);
  SigmaSet s;
  if (!MakeSigmaPoints(state_.x, state_.P, params_, &s)) {
    throw core::InvariantError("UKF: predict: state covariance is not positive definite");
  }
  const int n = static_cast<int>(state_.x.size());
  const int np = 2 * n + 1;
  SigmaStates Y(n, np);
  for (int i = 0; i < np; ++i) Y.col(i) = model_->Predict(s.X.col(i), state_.t_s, dt);
  StateVector x = Y * s.wm;
  StateMatrix P = model_->ProcessNoise(state_.x, state_.t_s, dt);
  for (int i = 0; i < np; ++i) {
    const StateVector d = Y.col(i) - x;
    P += s.wc(i) * d * d.transpose();
  }
  detail::Symmetrise(&P);
  state_.x = x;
  state_.P = P;
  state_.t_s = t_s;
}

Innovation UkfFilter::Innovate(const Measurement& m) const {
  Innovation inn;
  if (!UnscentedInnovation(state_, m, model_for_(m.kind), params_, &inn)) {
    inn.nis = std::numeric_limits<double>::infinity();
    inn.log_likelihood = -std::numeric_limits<double>::infinity();
    return inn;
  }
  detail::GaussianScore(inn.nu, inn.S, &inn.nis, &inn.log_likelihood);
  return inn;
}

Innovation UkfFilter::UpdateInPlace(const Measurement& m, StateVector* x, StateMatrix* P) const {
  Innovation inn;
  if (!UnscentedInnovation(state_, m, model_for_(m.kind), params_, &inn)) {
    detail::FailInnovation("UKF", m.kind, "state covariance is not positive definite");
  }
  detail::GaussianScore(inn.nu, inn.S, &inn.nis, &inn.log_likelihood);
  const Eigen::LLT<MeasMatrix> llt(inn.S);
  if (llt.info() != Eigen::Success) {
    detail::FailInnovation("UKF", m.kind, "innovation covariance S is not positive definite");
  }
  const GainMatrix K = llt.solve(inn.Pxz.transpose()).transpose();
  *x += K * inn.nu;
  *P -= K * inn.S * K.transpose();
  detail::Symmetrise(P);
  if (!x->allFinite() || !P->allFinite()) {
    detail::FailInnovation("UKF", m.kind, "update produced a non-finite state");
  }
  return inn;
}

Innovation UkfFilter::Correct(const Measurement& m) {
  return UpdateInPlace(m, &state_.x, &state_.P);
}

std::unique_ptr<TrackFilter> MakeUkf(std::shared_ptr<const MotionModel> model,
                                     const Gaussian& initial6, MeasurementModelFor model_for) {
  HYPERDEF_ASSERT(model != nullptr);
  HYPERDEF_ASSERT(initial6.x.size() == 6);
  Gaussian g = model->Initialise(initial6);
  return std::make_unique<UkfFilter>(std::move(model), std::move(g), model_for);
}

}  // namespace hyperdef::tracking
