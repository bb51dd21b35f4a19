// The estimator a track carries: predict to a time, form the innovation of a measurement against
// the prediction (for gating and association), and update with one measurement or with a
// probability-weighted set (JPDA). EKF, UKF and IMM implement it (ekf.h, ukf.h, imm.h); the
// tracker never knows which one it holds.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tracking/types.h"

namespace hyperdef::tracking {

// The innovation of one measurement against the current (predicted) estimate.
struct Innovation {
  MeasVector nu;                // z - h(x), angles wrapped
  MeasMatrix S;                 // innovation covariance
  GainMatrix Pxz;               // cross covariance state-measurement (n x m); K = Pxz S^-1
  double nis = 0.0;             // nu' S^-1 nu (normalised innovation squared)
  double log_likelihood = 0.0;  // log N(nu; 0, S); IMM: log sum_j mu_j N_j
};

class TrackFilter {
 public:
  virtual ~TrackFilter() = default;
  virtual std::unique_ptr<TrackFilter> Clone() const = 0;
  // Predict the estimate to t_s (>= the current time; equal is a no-op).
  virtual void Predict(double t_s) = 0;
  // Innovation of m against the current estimate (call Predict(m.t_s) first). Const: gating and
  // association evaluate many candidates before any update.
  virtual Innovation Innovate(const Measurement& m) const = 0;
  // Innovate(m)'s NIS and log-likelihood, all that gating and association read of it; filters
  // that can skip the rest (IMM: the cross covariance of the mixture) override it.
  // log_likelihood may be null when only the NIS is wanted (GNN association).
  virtual void Score(const Measurement& m, double* nis, double* log_likelihood) const {
    const Innovation inn = Innovate(m);
    *nis = inn.nis;
    if (log_likelihood != nullptr) *log_likelihood = inn.log_likelihood;
  }
  // Update with one measurement (at the current time).
  virtual void Update(const Measurement& m) = 0;
  // Probabilistic data association update (Bar-Shalom & Li 1995): beta[i] is the probability
  // that measurement i is the target's, beta0 that none is (sum = 1). With the combined
  // innovation nu = sum beta_i nu_i, the covariance gets the spread-of-innovations term. All
  // measurements must have the same kind and dimension.
  virtual void UpdatePda(const std::vector<const Measurement*>& ms, const std::vector<double>& beta,
                         double beta0) = 0;
  // Position and velocity (6-state Gaussian) at the current time; IMM: the moment-matched mix.
  virtual Gaussian Estimate() const = 0;
  // The position block of Estimate() (mean and covariance), what the association pre-gate needs
  // of every track every frame; filters that can form it alone (IMM) skip the rest.
  virtual void PositionEstimate(Vec3* r, Mat3* P) const {
    const Gaussian g = Estimate();
    *r = g.x.head<3>();
    *P = g.P.topLeftCorner<3, 3>();
  }
  // The acceleration (tracking frame, m/s^2) of the current estimate: the motion model's dynamics
  // at the state (MotionModel::Acceleration); IMM: the modes' accelerations weighted by their
  // probabilities (the mean of the mixture). What augmented PN uses for the target.
  virtual Vec3 AccelerationEstimate() const = 0;
  virtual double Time() const = 0;
  // Mode names and probabilities: one mode with probability 1 for a single-model filter.
  virtual std::vector<std::string> ModeNames() const = 0;
  virtual std::vector<double> ModeProbabilities() const = 0;
};

}  // namespace hyperdef::tracking
