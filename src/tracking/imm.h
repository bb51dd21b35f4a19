// Interacting multiple model estimator (Blom & Bar-Shalom 1988, IEEE TAC 33(8); Bar-Shalom,
// Li & Kirubarajan 2001, §11.6.6) over EKF or UKF mode filters.
//
// Modes j = 1..r with a Markov transition matrix p_ij = P(mode j at k | mode i at k-1) (rows sum
// to 1) and probabilities mu_i. One cycle per Predict() that advances time:
//   1. mixing: c_j = sum_i p_ij mu_i,  mu_{i|j} = p_ij mu_i / c_j,
//      x0_j = sum_i mu_{i|j} x_i,  P0_j = sum_i mu_{i|j} [P_i + (x_i - x0_j)(x_i - x0_j)'];
//   2. each mode predicts from (x0_j, P0_j); mode probabilities become the predicted c_j;
//   3. Update: each mode updates; mu_j = c_j L_j / sum_k c_k L_k with L_j its likelihood.
// The matrix is applied once per predicted scan: set it for the nominal revisit interval.
//
// Unequal state dimensions (6-state CV, 7-state turn or ballistic, 9-state Singer/CA), all
// starting with (r, v). Following the "unbiased mixing" argument of Granström, Willett &
// Bar-Shalom 2015 ("Systematic approach to IMM mixing for unequal dimension states", IEEE TAES
// 51(4)), the mode j receiving the mix sees every other mode i in j's own state space:
//   - (r, v) is common to all modes and mixed over all of them;
//   - j's extra states (index >= 6) are taken from mode i only when i carries the same extra
//     states (same extra-state group, below); otherwise mode i is augmented with j's own value
//     and variance of them (uncorrelated with i's (r, v)). So a missing state contributes no
//     bias (a zero turn rate or acceleration would drag j's estimate towards zero) and, weighted
//     by the probability of the modes lacking it, keeps j's own value.
// Extra-state groups: by default modes share extra states when their models have the same Name()
// and Dim() (e.g. two Singer modes with different manoeuvre time constants); `extra_groups`
// overrides that (modes with the same non-negative group id and dimension share; -1: alone).
//
// Innovate returns the moment-matched innovation of the mode mixture with predicted probabilities
// c_j: nu = sum c_j nu_j, S = sum c_j [S_j + (nu_j - nu)(nu_j - nu)'], Pxz over the combined
// (r, v) (6 rows), and log_likelihood = log sum_j c_j N(nu_j; 0, S_j) (the IMM likelihood; not
// the Gaussian of the moment-matched S). NIS = nu' S^-1 nu of the moment-matched pair.
//
// UpdatePda (IMM-PDA, Houles & Bar-Shalom 1989, IEEE TAES 25(2)): the betas are taken as computed
// from the IMM likelihoods L_i = exp(Innovate(m_i).log_likelihood). The mode-conditioned
// association probabilities then follow exactly:
//   Lambda_j = beta0 + sum_i beta_i N_j(nu_i) / L_i   (sum_j c_j Lambda_j = 1),
//   beta_ij = beta_i N_j(nu_i) / (L_i Lambda_j),  beta0_j = beta0 / Lambda_j,
// each mode runs its own PDA update with (beta_ij, beta0_j), and mu_j = c_j Lambda_j.
// Estimate: moment-matched (r, v) over modes with the current probabilities.
#pragma once

#include <Eigen/Core>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "tracking/ekf.h"
#include "tracking/filter.h"
#include "tracking/types.h"

namespace hyperdef::tracking {

inline constexpr int kMaxModes = 8;

class ImmFilter final : public TrackFilter {
 public:
  using ModeVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, kMaxModes, 1>;
  using ModeMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, kMaxModes, kMaxModes>;

  // 1 <= modes.size() <= kMaxModes, all at the same time; transition r x r with rows summing to
  // 1; mu0 of size r summing to 1; extra_groups empty (default grouping) or of size r.
  ImmFilter(std::vector<std::unique_ptr<GaussianFilter>> modes, const Eigen::MatrixXd& transition,
            const std::vector<double>& mu0, std::vector<int> extra_groups = {});
  ImmFilter(const ImmFilter& other);
  ImmFilter& operator=(const ImmFilter&) = delete;

  std::unique_ptr<TrackFilter> Clone() const override;
  void Predict(double t_s) override;
  Innovation Innovate(const Measurement& m) const override;
  void Score(const Measurement& m, double* nis, double* log_likelihood) const override;
  void Update(const Measurement& m) override;
  void UpdatePda(const std::vector<const Measurement*>& ms, const std::vector<double>& beta,
                 double beta0) override;
  Gaussian Estimate() const override;
  void PositionEstimate(Vec3* r, Mat3* P) const override;  // Estimate()'s arithmetic, 3 states
  Vec3 AccelerationEstimate() const override;
  double Time() const override { return modes_.front()->Time(); }
  std::vector<std::string> ModeNames() const override;
  std::vector<double> ModeProbabilities() const override;

  int ModeCount() const { return static_cast<int>(modes_.size()); }
  const GaussianFilter& Mode(int j) const { return *modes_[j]; }

 private:
  // The interaction step (1. above); sets mu_ to the predicted probabilities c_j.
  void Mix();
  // Innovate's mixture; the cross covariance (out->Pxz) only when `cross`.
  // likelihood false: out->log_likelihood is left at -inf (the modes' log-sum-exp is skipped);
  // out->nis is the same bits either way.
  void Mixture(const Measurement& m, bool cross, Innovation* out, bool likelihood = true) const;
  // log(mu_(j)) for mu_(j) > 0, remembered while mu_(j) keeps its value: the likelihoods of a
  // scan's gated pairs (JPDA) use the same probabilities.
  double LogMu(int j) const;

  std::vector<std::unique_ptr<GaussianFilter>> modes_;
  ModeMatrix transition_;
  ModeVector mu_;
  std::vector<int> groups_;  // extra-state group per mode (resolved, never -1 shared)
  // LogMu's memory (not copied; written by the const Innovate, like EkfFilter's linearisation).
  mutable std::array<double, kMaxModes> log_mu_{};
  mutable std::array<double, kMaxModes> log_mu_of_{};
  mutable std::array<bool, kMaxModes> log_mu_valid_{};
  // Estimate()'s result while the modes and probabilities keep their values (not copied; the
  // tracker asks for it several times per frame between updates).
  mutable Gaussian estimate_;
  mutable bool estimate_valid_ = false;
};

// An IMM over `models` (EKF modes, or UKF modes when `unscented`), each started from the 6-state
// (r, v) Gaussian extended by its model's Initialise().
std::unique_ptr<TrackFilter> MakeImm(const std::vector<std::shared_ptr<const MotionModel>>& models,
                                     const Eigen::MatrixXd& transition,
                                     const std::vector<double>& mu0, bool unscented,
                                     const Gaussian& initial6,
                                     MeasurementModelFor model_for = &ModelFor);

}  // namespace hyperdef::tracking
