#include "tracking/imm.h"

#include <array>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.h"
#include "tracking/ukf.h"

namespace hyperdef::tracking {

namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();

std::unique_ptr<GaussianFilter> CloneMode(const GaussianFilter& f) {
  std::unique_ptr<TrackFilter> p = f.Clone();
  auto* g = dynamic_cast<GaussianFilter*>(p.get());
  HYPERDEF_ASSERT(g != nullptr);
  p.release();
  return std::unique_ptr<GaussianFilter>(g);
}

// log(exp(a) + exp(b)) without overflow; -inf is the identity.
double LogAddExp(double a, double b) {
  if (a == kNegInf) return b;
  if (b == kNegInf) return a;
  const double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

}  // namespace

ImmFilter::ImmFilter(std::vector<std::unique_ptr<GaussianFilter>> modes,
                     const Eigen::MatrixXd& transition, const std::vector<double>& mu0,
                     std::vector<int> extra_groups)
    : modes_(std::move(modes)) {
  const int r = static_cast<int>(modes_.size());
  HYPERDEF_ASSERT(r >= 1 && r <= kMaxModes);
  HYPERDEF_ASSERT(transition.rows() == r && transition.cols() == r);
  HYPERDEF_ASSERT(static_cast<int>(mu0.size()) == r);
  HYPERDEF_ASSERT(extra_groups.empty() || static_cast<int>(extra_groups.size()) == r);
  // Probabilities come from configuration; 1e-9 allows decimal round-off in a YAML matrix.
  constexpr double kSumTol = 1e-9;
  for (int i = 0; i < r; ++i) {
    HYPERDEF_ASSERT(modes_[i] != nullptr);
    HYPERDEF_ASSERT(modes_[i]->State().x.size() >= 6);
    HYPERDEF_ASSERT(modes_[i]->Time() == modes_[0]->Time());
    HYPERDEF_ASSERT((transition.row(i).array() >= 0.0).all());
    HYPERDEF_ASSERT(std::abs(transition.row(i).sum() - 1.0) < kSumTol);
    HYPERDEF_ASSERT(mu0[i] >= 0.0);
  }
  transition_ = transition;
  mu_.resize(r);
  for (int i = 0; i < r; ++i) mu_(i) = mu0[i];
  HYPERDEF_ASSERT(std::abs(mu_.sum() - 1.0) < kSumTol);
  mu_ /= mu_.sum();
  groups_.resize(r);
  for (int j = 0; j < r; ++j) {
    if (!extra_groups.empty()) {
      // Explicit group ids; -1 stands alone (an id no other mode can have).
      groups_[j] = extra_groups[j] >= 0 ? extra_groups[j] : -1 - j;
      continue;
    }
    groups_[j] = j;
    for (int k = 0; k < j; ++k) {
      if (modes_[k]->Model().Name() == modes_[j]->Model().Name() &&
          modes_[k]->Model().Dim() == modes_[j]->Model().Dim()) {
        groups_[j] = groups_[k];
        break;
      }
    }
  }
}

ImmFilter::ImmFilter(const ImmFilter& other)
    : transition_(other.transition_), mu_(other.mu_), groups_(other.groups_) {
  modes_.reserve(other.modes_.size());
  for (const auto& m : other.modes_) modes_.push_back(CloneMode(*m));
}

std::unique_ptr<TrackFilter> ImmFilter::Clone() const { return std::make_unique<ImmFilter>(*this); }

// The mixed prior of mode j (imm.h, step 1) in j's state space of fixed dimension N; w[i] are the
// mixing weights mu_{i|j}; shares[i] whether mode i carries j's extra states.
template <int N>
void MixInto(const std::array<const Gaussian*, kMaxModes>& states, int r, int j,
             const std::array<double, kMaxModes>& w, const std::array<bool, kMaxModes>& shares,
             Gaussian* out) {
  using V = Eigen::Matrix<double, N, 1>;
  using M = Eigen::Matrix<double, N, N>;
  constexpr int ne = N - 6;
  const Gaussian& gj = *states[j];
  std::array<V, kMaxModes> xi;  // mode i seen in j's state space
  V x0 = V::Zero();
  for (int i = 0; i < r; ++i) {
    if (w[i] == 0.0) continue;
    const Gaussian& gi = *states[i];
    if (shares[i]) {
      xi[i] = gi.x;
    } else {
      xi[i].template head<6>() = gi.x.head<6>();
      if constexpr (ne > 0) xi[i].template tail<ne>() = gj.x.template tail<ne>();
    }
    x0 += w[i] * xi[i];
  }
  M P0 = M::Zero();
  for (int i = 0; i < r; ++i) {
    if (w[i] == 0.0) continue;
    const Gaussian& gi = *states[i];
    const V d = xi[i] - x0;
    if (shares[i]) {
      P0 += w[i] * (M(gi.P) + d * d.transpose());
    } else {
      P0.template topLeftCorner<6, 6>() += w[i] * gi.P.topLeftCorner<6, 6>();
      if constexpr (ne > 0)
        P0.template bottomRightCorner<ne, ne>() += w[i] * gj.P.template bottomRightCorner<ne, ne>();
      P0 += w[i] * d * d.transpose();
    }
  }
  out->x = x0;
  out->P = 0.5 * (P0 + P0.transpose());
  out->t_s = gj.t_s;
}

void ImmFilter::Mix() {
  const int r = ModeCount();
  const ModeVector c = transition_.transpose() * mu_;  // c_j = sum_i p_ij mu_i
  std::array<const Gaussian*, kMaxModes> states{};
  for (int i = 0; i < r; ++i) states[i] = &modes_[i]->State();
  std::array<Gaussian, kMaxModes> mixed;
  for (int j = 0; j < r; ++j) {
    const Gaussian& gj = *states[j];
    mixed[j] = gj;
    if (c(j) <= 0.0) continue;  // unreachable mode: nothing to mix into it
    const int nj = static_cast<int>(gj.x.size());
    std::array<double, kMaxModes> w{};
    std::array<bool, kMaxModes> shares{};
    for (int i = 0; i < r; ++i) {
      w[i] = transition_(i, j) * mu_(i) / c(j);
      // Mode i seen in mode j's state space (see imm.h).
      shares[i] = i == j || (groups_[i] == groups_[j] && states[i]->x.size() == nj);
    }
    switch (nj) {
      case 6:
        MixInto<6>(states, r, j, w, shares, &mixed[j]);
        continue;
      case 7:
        MixInto<7>(states, r, j, w, shares, &mixed[j]);
        continue;
      case 8:
        MixInto<8>(states, r, j, w, shares, &mixed[j]);
        continue;
      case 9:
        MixInto<9>(states, r, j, w, shares, &mixed[j]);
        continue;
      default:
        HYPERDEF_ASSERT(false && "IMM mode state dimension must be 6..9");
    }
  }
  for (int j = 0; j < r; ++j) modes_[j]->SetState(mixed[j]);
  mu_ = c / c.sum();
}

double ImmFilter::LogMu(int j) const {
  if (!log_mu_valid_[j] || log_mu_of_[j] != mu_(j)) {
    log_mu_[j] = std::log(mu_(j));
    log_mu_of_[j] = mu_(j);
    log_mu_valid_[j] = true;
  }
  return log_mu_[j];
}

void ImmFilter::Predict(double t_s) {
  if (t_s == Time()) return;
  HYPERDEF_ASSERT(t_s > Time());
  estimate_valid_ = false;
  Mix();
  for (auto& m : modes_) m->Predict(t_s);
}

Innovation ImmFilter::Innovate(const Measurement& m) const {
  Innovation out;
  Mixture(m, true, &out);
  return out;
}

void ImmFilter::Score(const Measurement& m, double* nis, double* log_likelihood) const {
  Innovation out;
  Mixture(m, false, &out, log_likelihood != nullptr);
  *nis = out.nis;
  if (log_likelihood != nullptr) *log_likelihood = out.log_likelihood;
}

void ImmFilter::Mixture(const Measurement& m, bool cross, Innovation* out_p,
                        bool likelihood) const {
  Innovation& out = *out_p;
  const int r = ModeCount();
  std::array<const Innovation*, kMaxModes> kept;
  double log_l = kNegInf;
  double w_sum = 0.0;
  for (int j = 0; j < r; ++j) {
    kept[j] = &modes_[j]->InnovateKept(m);
    if (mu_(j) <= 0.0 || !std::isfinite(kept[j]->log_likelihood)) continue;
    if (likelihood) log_l = LogAddExp(log_l, LogMu(j) + kept[j]->log_likelihood);
    w_sum += mu_(j);
  }
  const int nz = static_cast<int>(m.z.size());
  out.nu = MeasVector::Zero(nz);
  out.S = MeasMatrix::Zero(nz, nz);
  out.Pxz = GainMatrix::Zero(cross ? 6 : 0, nz);
  if (w_sum <= 0.0) {  // no mode gives a usable innovation
    out.S = m.R;
    out.nis = std::numeric_limits<double>::infinity();
    out.log_likelihood = kNegInf;
    return;
  }
  auto usable = [&](int j) { return mu_(j) > 0.0 && std::isfinite(kept[j]->log_likelihood); };
  Vec3 r_mean = Vec3::Zero();
  Vec3 v_mean = Vec3::Zero();
  for (int j = 0; j < r; ++j) {
    if (!usable(j)) continue;
    const double w = mu_(j) / w_sum;
    out.nu += w * kept[j]->nu;
    if (!cross) continue;
    r_mean += w * modes_[j]->State().x.segment<3>(0);
    v_mean += w * modes_[j]->State().x.segment<3>(3);
  }
  StateVector x_mean(6);
  x_mean << r_mean, v_mean;
  for (int j = 0; j < r; ++j) {
    if (!usable(j)) continue;
    const double w = mu_(j) / w_sum;
    const MeasVector dnu = kept[j]->nu - out.nu;
    out.S += w * (kept[j]->S + dnu * dnu.transpose());
    if (!cross) continue;
    const StateVector dx = modes_[j]->State().x.head(6) - x_mean;
    // z^_j - z^ = -(nu_j - nu).
    out.Pxz += w * (kept[j]->Pxz.topRows(6) - dx * dnu.transpose());
  }
  // The mixture's likelihood is log_l (the modes'), not the moment-matched Gaussian's: its NIS
  // alone.
  detail::GaussianScore(out.nu, out.S, &out.nis, nullptr);
  out.log_likelihood = log_l;
}

void ImmFilter::Update(const Measurement& m) {
  estimate_valid_ = false;
  const int r = ModeCount();
  ModeVector log_l(r);
  double max_l = kNegInf;  // the largest log-likelihood of a mode with mu_j > 0
  for (int j = 0; j < r; ++j) {
    log_l(j) = modes_[j]->Correct(m).log_likelihood;
    if (mu_(j) > 0.0 && log_l(j) > max_l) max_l = log_l(j);
  }
  if (!std::isfinite(max_l)) return;  // no usable information on the modes: keep the prior
  // mu_j = mu_j L_j / sum_k mu_k L_k with every L scaled by the largest (one exponential per
  // mode, no logarithm); that mode's term is its mu > 0, so the sum is positive.
  double sum = 0.0;
  for (int j = 0; j < r; ++j) {
    mu_(j) = mu_(j) > 0.0 && !std::isnan(log_l(j)) ? mu_(j) * std::exp(log_l(j) - max_l) : 0.0;
    sum += mu_(j);
  }
  mu_ /= sum;
}

void ImmFilter::UpdatePda(const std::vector<const Measurement*>& ms,
                          const std::vector<double>& beta, double beta0) {
  detail::CheckPdaArguments(ms, beta, beta0);
  estimate_valid_ = false;
  const int r = ModeCount();
  const std::size_t k = ms.size();
  // ratio[i * r + j] = N_j(nu_i) / L_i, L_i = sum_j c_j N_j(nu_i).
  std::vector<double> ratio(k * r, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    if (beta[i] == 0.0) continue;
    ModeVector ll(r);
    double log_mix = kNegInf;
    for (int j = 0; j < r; ++j) {
      ll(j) = modes_[j]->Innovate(*ms[i]).log_likelihood;
      if (mu_(j) > 0.0) log_mix = LogAddExp(log_mix, std::log(mu_(j)) + ll(j));
    }
    if (log_mix == kNegInf) continue;
    for (int j = 0; j < r; ++j) ratio[i * r + j] = std::exp(ll(j) - log_mix);
  }
  ModeVector lambda(r);
  std::vector<double> beta_j(k);
  for (int j = 0; j < r; ++j) {
    lambda(j) = beta0;
    for (std::size_t i = 0; i < k; ++i) lambda(j) += beta[i] * ratio[i * r + j];
    if (lambda(j) > 0.0) {
      for (std::size_t i = 0; i < k; ++i) beta_j[i] = beta[i] * ratio[i * r + j] / lambda(j);
      modes_[j]->UpdatePda(ms, beta_j, beta0 / lambda(j));
    } else {
      // The mode explains none of the hypotheses (its probability becomes 0): keep its state
      // sensible with the tracker's own betas.
      modes_[j]->UpdatePda(ms, beta, beta0);
    }
  }
  const ModeVector post = mu_.cwiseProduct(lambda);
  if (post.sum() > 0.0) mu_ = post / post.sum();
}

Gaussian ImmFilter::Estimate() const {
  if (estimate_valid_) return estimate_;
  using V6 = Eigen::Matrix<double, 6, 1>;
  using M6 = Eigen::Matrix<double, 6, 6>;
  const int r = ModeCount();
  V6 x = V6::Zero();
  for (int j = 0; j < r; ++j) x += mu_(j) * modes_[j]->State().x.head<6>();
  M6 P = M6::Zero();
  for (int j = 0; j < r; ++j) {
    const Gaussian& g = modes_[j]->State();
    const V6 d = g.x.head<6>() - x;
    P += mu_(j) * (g.P.topLeftCorner<6, 6>() + d * d.transpose());
  }
  estimate_.t_s = Time();
  estimate_.x = x;
  estimate_.P = 0.5 * (P + P.transpose());
  estimate_valid_ = true;
  return estimate_;
}

Vec3 ImmFilter::AccelerationEstimate() const {
  Vec3 a = Vec3::Zero();
  for (int j = 0; j < ModeCount(); ++j) a += mu_(j) * modes_[j]->AccelerationEstimate();
  return a;
}

void ImmFilter::PositionEstimate(Vec3* r, Mat3* P) const {
  if (estimate_valid_) {  // the same arithmetic per entry: its first three states
    *r = estimate_.x.head<3>();
    *P = estimate_.P.topLeftCorner<3, 3>();
    return;
  }
  const int n = ModeCount();
  Vec3 x = Vec3::Zero();
  for (int j = 0; j < n; ++j) x += mu_(j) * modes_[j]->State().x.head<3>();
  Mat3 S = Mat3::Zero();
  for (int j = 0; j < n; ++j) {
    const Gaussian& g = modes_[j]->State();
    const Vec3 d = g.x.head<3>() - x;
    S += mu_(j) * (g.P.topLeftCorner<3, 3>() + d * d.transpose());
  }
  *r = x;
  *P = 0.5 * (S + S.transpose());
}

std::vector<std::string> ImmFilter::ModeNames() const {
  std::vector<std::string> names;
  for (const auto& m : modes_) names.emplace_back(m->Model().Name());
  return names;
}

std::vector<double> ImmFilter::ModeProbabilities() const {
  return std::vector<double>(mu_.data(), mu_.data() + mu_.size());
}

std::unique_ptr<TrackFilter> MakeImm(const std::vector<std::shared_ptr<const MotionModel>>& models,
                                     const Eigen::MatrixXd& transition,
                                     const std::vector<double>& mu0, bool unscented,
                                     const Gaussian& initial6, MeasurementModelFor model_for) {
  HYPERDEF_ASSERT(initial6.x.size() == 6);
  std::vector<std::unique_ptr<GaussianFilter>> modes;
  for (const auto& model : models) {
    HYPERDEF_ASSERT(model != nullptr);
    Gaussian g = model->Initialise(initial6);
    if (unscented) {
      modes.push_back(std::make_unique<UkfFilter>(model, std::move(g), model_for));
    } else {
      modes.push_back(std::make_unique<EkfFilter>(model, std::move(g), model_for));
    }
  }
  return std::make_unique<ImmFilter>(std::move(modes), transition, mu0);
}

}  // namespace hyperdef::tracking
