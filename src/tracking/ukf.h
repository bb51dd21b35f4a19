// Unscented Kalman filter with the scaled unscented transform (Julier 2002, "The scaled
// unscented transformation", Proc. ACC; Wan & van der Merwe 2000, "The unscented Kalman filter
// for nonlinear estimation", IEEE AS-SPCC).
//
// For an n-state Gaussian (x, P) with P = L L' (Cholesky), 2n + 1 sigma points
//   X_0 = x,   X_i = x + c L_i,   X_{n+i} = x - c L_i,   c = sqrt(n + lambda),
//   lambda = alpha^2 (n + kappa) - n,
// with mean weights Wm_0 = lambda / (n + lambda), Wm_i = 1 / (2 (n + lambda)), and covariance
// weights Wc_0 = Wm_0 + (1 - alpha^2 + beta), Wc_i = Wm_i.
//
// Defaults alpha = 1, beta = 2, kappa = 0, so lambda = 0: the 2n outer points sit at
// x +- sqrt(n) L_i with equal weights 1/(2n), the centre point has mean weight 0 and covariance
// weight 2. Every weight is non-negative, so the sigma-point covariances are positive
// semidefinite by construction; the small-alpha choice (1e-3) popular in the literature gives
// Wm_0 ~ -1e6 and loses definiteness in double precision for the 9-state models here, and
// kappa = 3 - n is negative for n > 3. With beta = 0 these defaults are exactly the third-degree
// spherical-radial cubature Kalman filter (Arasaratnam & Haykin 2009, IEEE TAC 54(6)); beta = 2
// adds the centre-point term that is optimal for a Gaussian prior (Julier 2002).
//
// Predict: sigma points of (x, P) through model.Predict; x- = sum Wm Y_i,
//   P- = sum Wc (Y_i - x-)(Y_i - x-)' + Q(x, t, dt).
// Innovate: fresh sigma points of (x-, P-) through h = model_for(m.kind).Predict; the predicted
// measurement is z^ = Z_0 (+) sum Wm Residual(Z_i, Z_0) (residuals about the centre point, so
// an azimuth near 0 / 2 pi averages correctly), dZ_i = Residual(Z_i, z^),
//   S = sum Wc dZ_i dZ_i' + R,   Pxz = sum Wc (X_i - x-) dZ_i',   nu = Residual(z, z^).
// Update: K = Pxz S^-1, x = x- + K nu, P = P- - K S K' (symmetrised). There is no H for a Joseph
// form; the short form is the standard UKF update (Wan & van der Merwe 2000).
// PDA update and failure reporting as in ekf.h.
#pragma once

#include <memory>
#include <vector>

#include "tracking/ekf.h"
#include "tracking/filter.h"
#include "tracking/types.h"

namespace hyperdef::tracking {

struct UnscentedParams {
  double alpha = 1.0;  // spread of the sigma points, 0 < alpha <= 1
  double beta = 2.0;   // prior knowledge of the distribution (2 is optimal for a Gaussian)
  double kappa = 0.0;  // secondary scaling, n + kappa > 0
};

class UkfFilter final : public GaussianFilter {
 public:
  UkfFilter(std::shared_ptr<const MotionModel> model, Gaussian initial,
            MeasurementModelFor model_for = &ModelFor, UnscentedParams params = {});

  std::unique_ptr<TrackFilter> Clone() const override;
  void Predict(double t_s) override;
  Innovation Innovate(const Measurement& m) const override;
  Innovation Correct(const Measurement& m) override;

  const Gaussian& State() const override { return state_; }
  void SetState(const Gaussian& g) override;
  const MotionModel& Model() const override { return *model_; }

 private:
  Innovation UpdateInPlace(const Measurement& m, StateVector* x, StateMatrix* P) const override;

  std::shared_ptr<const MotionModel> model_;
  Gaussian state_;
  MeasurementModelFor model_for_;
  UnscentedParams params_;
};

// A UKF (default UnscentedParams) on `model`, started from a 6-state (r, v) Gaussian extended by
// model->Initialise().
std::unique_ptr<TrackFilter> MakeUkf(std::shared_ptr<const MotionModel> model,
                                     const Gaussian& initial6,
                                     MeasurementModelFor model_for = &ModelFor);

}  // namespace hyperdef::tracking
