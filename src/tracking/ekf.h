// Extended Kalman filter over any MotionModel, and the small base class the IMM needs from its
// mode filters (GaussianFilter).
//
// Predict (Bar-Shalom, Li & Kirubarajan 2001, "Estimation with Applications to Tracking and
// Navigation", §10.3):
//   x- = f(x, t, dt),   P- = F P F' + Q,   F = df/dx at the prior mean, Q = Q(x, t, dt).
// Innovation of a measurement z with model h = model_for(m.kind):
//   nu = z (-) h(x-)  (the model's Residual, so angles wrap),   H = dh/dx at x-,
//   S = H P- H' + R,   Pxz = P- H',   NIS = nu' S^-1 nu,   log N(nu; 0, S).
// Update, Joseph form (Bar-Shalom et al. 2001 eq. 5.2.3-18; Bucy & Joseph 1968):
//   K = Pxz S^-1,   x = x- + K nu,   P = (I - K H) P- (I - K H)' + K R K'.
// The Joseph form is a sum of two positive semidefinite terms, so P stays PSD for any gain and
// any round-off; the short form P- - K S K' is a difference and can lose definiteness when the
// measurement is much more precise than the prior (a radar range of 5 m against a 10 km cue). P
// is symmetrised after every step.
//
// PDA update (Bar-Shalom & Li 1995; Bar-Shalom, Daum & Huang 2009, IEEE Control Systems 29(6),
// eqs. 33-40): with betas beta_i (i = 1..k) and beta0, each hypothesis i gives the conditional
// update (x_i, P_i) above, and the result is the moment-matched mixture
//   x = beta0 x- + sum beta_i x_i,
//   P = beta0 P- + sum beta_i P_i + [sum beta_i dx_i dx_i' - dx dx'],  dx_i = x_i - x-.
// When every measurement has the same R and geometry (one sensor, one scan), dx_i = K nu_i and
// P_i = P_c, and this is exactly the textbook PDAF: x = x- + K nu with the combined innovation
// nu = sum beta_i nu_i, P = beta0 P- + (1 - beta0) P_c + K (sum beta_i nu_i nu_i' - nu nu') K'
// (the spread-of-innovations term). The mixture form also holds when R differs between
// measurements (SNR-dependent radar accuracy), where the textbook form has no single K.
//
// Numerical failures are reported, not propagated as NaN: Innovate() returns nis = +inf and
// log_likelihood = -inf when S is not positive definite (a gate never accepts it), and Update()
// throws core::InvariantError naming the filter and the measurement kind.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tracking/filter.h"
#include "tracking/types.h"

namespace hyperdef::tracking {

// Where a filter finds the measurement model of a kind. The default is the tracking layer's
// ModelFor(); tests inject their own.
using MeasurementModelFor = const MeasurementModel& (*)(MeasKind);

// A single-Gaussian filter over one motion model: what the IMM mixes and updates per mode.
class GaussianFilter : public TrackFilter {
 public:
  // The full model state (dimension = the motion model's Dim(), not just (r, v)).
  virtual const Gaussian& State() const = 0;
  virtual void SetState(const Gaussian& g) = 0;
  virtual const MotionModel& Model() const = 0;
  // Update with one measurement and return the innovation it used (formed against the state
  // before the update; its log_likelihood weighs the mode in an IMM).
  virtual Innovation Correct(const Measurement& m) = 0;
  // Innovate(m), held by the filter until its next Innovate, InnovateKept or change of state:
  // the IMM reads its modes' innovations of a gating candidate without copying them.
  virtual const Innovation& InnovateKept(const Measurement& m) const {
    kept_ = Innovate(m);
    return kept_;
  }

  void Update(const Measurement& m) final { Correct(m); }
  // PDA (filter.h): each measurement's conditional update, combined as a moment-matched mixture.
  void UpdatePda(const std::vector<const Measurement*>& ms, const std::vector<double>& beta,
                 double beta0) final;
  Gaussian Estimate() const final;
  Vec3 AccelerationEstimate() const final { return Model().Acceleration(State().x, State().t_s); }

 protected:
  // One measurement's update of (x, P) in place, by the filter's own algebra (EKF or UKF).
  virtual Innovation UpdateInPlace(const Measurement& m, StateVector* x, StateMatrix* P) const = 0;

 public:
  double Time() const final { return State().t_s; }
  std::vector<std::string> ModeNames() const final;
  std::vector<double> ModeProbabilities() const final { return {1.0}; }

 private:
  mutable Innovation kept_;  // InnovateKept's default holder
};

class EkfFilter final : public GaussianFilter {
 public:
  // `initial` has the model's dimension (see MotionModel::Initialise); model must not be null.
  EkfFilter(std::shared_ptr<const MotionModel> model, Gaussian initial,
            MeasurementModelFor model_for = &ModelFor);

  std::unique_ptr<TrackFilter> Clone() const override;
  void Predict(double t_s) override;
  // Remembers its last linearisation (H and the innovation), which Correct() with the same
  // measurement and an unchanged state reuses instead of linearising again (gating innovates the
  // pair the association then applies). Hence not safe to call on one filter from two threads
  // at once (nothing does: a filter belongs to one track of one tracker).
  Innovation Innovate(const Measurement& m) const override;
  const Innovation& InnovateKept(const Measurement& m) const override;
  Innovation Correct(const Measurement& m) override;

  const Gaussian& State() const override { return state_; }
  void SetState(const Gaussian& g) override;
  const MotionModel& Model() const override { return *model_; }

 private:
  // Innovation plus the Jacobian it used (for the Joseph form).
  void Linearise(const Measurement& m, MeasJacobian* H, Innovation* inn) const;
  // Conditional update of (x, P) with m, in place; returns the innovation.
  Innovation UpdateInPlace(const Measurement& m, StateVector* x, StateMatrix* P) const override;

  std::shared_ptr<const MotionModel> model_;
  Gaussian state_;
  MeasurementModelFor model_for_;
  // The last Innovate()'s linearisation, valid while the state is unchanged (state_version_) for
  // the same measurement (its address, time and z).
  struct LastInnovation {
    const Measurement* m = nullptr;
    double t_s = 0.0;
    MeasVector z;
    unsigned long state_version = 0;
    MeasJacobian H;
    Innovation inn;
  };
  mutable LastInnovation last_;
  unsigned long state_version_ = 1;  // bumped by every change of state_
};

// An EKF on `model`, started from a 6-state (r, v) Gaussian extended by model->Initialise().
std::unique_ptr<TrackFilter> MakeEkf(std::shared_ptr<const MotionModel> model,
                                     const Gaussian& initial6,
                                     MeasurementModelFor model_for = &ModelFor);

namespace detail {

// Shared by the EKF and UKF.
// Log-density of N(nu; 0, S) and nu' S^-1 nu from a Cholesky factor; false if S is not positive
// definite (then nis = +inf, log_likelihood = -inf). log_likelihood may be null: the NIS alone
// (the same bits, without the log-determinant).
bool GaussianScore(const MeasVector& nu, const MeasMatrix& S, double* nis, double* log_likelihood);
// Symmetrise in place: P = (P + P') / 2.
void Symmetrise(StateMatrix* P);
// Whether every entry of a is finite: a - a is 0 for a finite entry and NaN otherwise, so the
// sum is 0 exactly when all are (one vectorised pass, no test per entry).
template <typename Derived>
bool AllFinite(const Eigen::DenseBase<Derived>& a) {
  return (a.derived().array() - a.derived().array()).sum() == 0.0;
}
// Accumulates the PDA mixture of conditional updates (see the header comment) without storing
// them: Add(beta_i, x_i - x-, P_i) for each measurement, then Finish(beta0, &x, &P) with the
// prior in x, P on entry.
class PdaMixture {
 public:
  explicit PdaMixture(int n);
  void Add(double beta, const StateVector& dx, const StateMatrix& P_i);
  void Finish(double beta0, StateVector* x, StateMatrix* P) const;

 private:
  StateVector dx_;  // sum beta_i dx_i
  StateMatrix M_;   // sum beta_i (P_i + dx_i dx_i')
};
// Throws core::InvariantError with a message naming the filter, the kind and the problem.
[[noreturn]] void FailInnovation(const char* filter, MeasKind kind, const char* what);
// Checks the PDA arguments (sizes, betas in [0, 1] summing to 1) as invariants.
void CheckPdaArguments(const std::vector<const Measurement*>& ms, const std::vector<double>& beta,
                       double beta0);

}  // namespace detail

}  // namespace hyperdef::tracking
