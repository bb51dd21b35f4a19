#include "engagement/wta.h"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/error.h"

namespace hyperdef::engagement {
namespace {

// Slack on the inventory rows, in interceptors: the SLS rows are sums of fractional expected
// costs, so "exactly full" must not be rejected by rounding.
constexpr double kInventoryTol = 1e-9;

std::size_t Index(const WtaProblem& p, int i, int j) {
  return static_cast<std::size_t>(i * p.num_threats + j);
}

// Survival probability of threat j under engagement vector e.
double Survival(const WtaProblem& p, const std::vector<double>& q, const std::vector<int>& e,
                int j) {
  double s = 1.0;
  for (int i = 0; i < p.num_batteries; ++i) {
    const int n = e[Index(p, i, j)];
    if (n > 0) s *= std::pow(q[Index(p, i, j)], n);
  }
  return s;
}

// Per-pair engagement survival Q_ij, cost c_ij and bound u_ij, computed once per solve.
struct PairTables {
  std::vector<double> q;     // 1 - P_ij
  std::vector<double> cost;  // c_ij
  std::vector<int> upper;    // u_ij
};

PairTables MakeTables(const WtaProblem& p) {
  PairTables t;
  const std::size_t n = p.pairs.size();
  t.q.resize(n);
  t.cost.resize(n);
  t.upper.resize(n);
  for (int i = 0; i < p.num_batteries; ++i) {
    for (int j = 0; j < p.num_threats; ++j) {
      const std::size_t k = Index(p, i, j);
      t.q[k] = 1.0 - EngagementKillProbability(p, i, j);
      t.cost[k] = EngagementCost(p, i, j);
      t.upper[k] = EngagementUpperBound(p, i, j);
    }
  }
  return t;
}

struct GlpProbDeleter {
  void operator()(glp_prob* lp) const { glp_delete_prob(lp); }
};

}  // namespace

WtaProblem::WtaProblem(int num_batteries_in, int num_threats_in)
    : num_batteries(num_batteries_in), num_threats(num_threats_in) {
  if (num_batteries < 0 || num_threats < 0) {
    throw std::invalid_argument("WtaProblem: negative size (got " + std::to_string(num_batteries) +
                                " batteries, " + std::to_string(num_threats) + " threats)");
  }
  threat_value.assign(static_cast<std::size_t>(num_threats), 0.0);
  inventory.assign(static_cast<std::size_t>(num_batteries), 0);
  pairs.assign(static_cast<std::size_t>(num_batteries) * static_cast<std::size_t>(num_threats),
               WtaPair{});
}

void WtaProblem::Validate() const {
  auto fail = [](const std::string& what) { throw std::invalid_argument("WtaProblem: " + what); };
  if (num_batteries < 0 || num_threats < 0) fail("negative size");
  if (threat_value.size() != static_cast<std::size_t>(num_threats)) {
    fail("threat_value has " + std::to_string(threat_value.size()) + " entries, expected " +
         std::to_string(num_threats));
  }
  if (inventory.size() != static_cast<std::size_t>(num_batteries)) {
    fail("inventory has " + std::to_string(inventory.size()) + " entries, expected " +
         std::to_string(num_batteries));
  }
  const std::size_t num_pairs =
      static_cast<std::size_t>(num_batteries) * static_cast<std::size_t>(num_threats);
  if (pairs.size() != num_pairs) {
    fail("pairs has " + std::to_string(pairs.size()) + " entries, expected " +
         std::to_string(num_pairs));
  }
  if (salvo_size < 1) fail("salvo_size must be >= 1 (got " + std::to_string(salvo_size) + ")");
  if (!battery_salvo_size.empty()) {
    if (battery_salvo_size.size() != static_cast<std::size_t>(num_batteries)) {
      fail("battery_salvo_size has " + std::to_string(battery_salvo_size.size()) +
           " entries, expected 0 or " + std::to_string(num_batteries));
    }
    for (int i = 0; i < num_batteries; ++i) {
      const int k = battery_salvo_size[static_cast<std::size_t>(i)];
      if (k < 1) {
        fail("battery_salvo_size[" + std::to_string(i) + "] must be >= 1 (got " +
             std::to_string(k) + ")");
      }
    }
  }
  for (int j = 0; j < num_threats; ++j) {
    const double v = threat_value[static_cast<std::size_t>(j)];
    if (!std::isfinite(v) || v < 0.0) {
      fail("threat_value[" + std::to_string(j) + "] must be finite and >= 0 (got " +
           std::to_string(v) + ")");
    }
  }
  for (int i = 0; i < num_batteries; ++i) {
    if (inventory[static_cast<std::size_t>(i)] < 0) {
      fail("inventory[" + std::to_string(i) + "] must be >= 0 (got " +
           std::to_string(inventory[static_cast<std::size_t>(i)]) + ")");
    }
    for (int j = 0; j < num_threats; ++j) {
      const WtaPair& pr = pair(i, j);
      const std::string where = "pair(" + std::to_string(i) + ", " + std::to_string(j) + ")";
      if (!(pr.pk >= 0.0 && pr.pk <= 1.0)) {
        fail(where + ".pk must be in [0, 1] (got " + std::to_string(pr.pk) + ")");
      }
      if (pr.max_engagements < 0) {
        fail(where + ".max_engagements must be >= 0 (got " + std::to_string(pr.max_engagements) +
             ")");
      }
    }
  }
}

double EngagementKillProbability(const WtaProblem& p, int i, int j) {
  const WtaPair& pr = p.pair(i, j);
  if (!pr.feasible) return 0.0;
  const int k = p.SalvoSize(i);
  const int shots = p.doctrine == FireDoctrine::kShootShoot ? k : 2 * k;
  return 1.0 - std::pow(1.0 - pr.pk, shots);
}

double EngagementCost(const WtaProblem& p, int i, int j) {
  const int k = p.SalvoSize(i);
  if (p.doctrine == FireDoctrine::kShootShoot) return k;
  // Second salvo fired only if the first (k shots) missed.
  return k * (1.0 + std::pow(1.0 - p.pair(i, j).pk, k));
}

int EngagementUpperBound(const WtaProblem& p, int i, int j) {
  const WtaPair& pr = p.pair(i, j);
  if (!pr.feasible) return 0;
  const double by_inventory = std::floor(
      (p.inventory[static_cast<std::size_t>(i)] + kInventoryTol) / EngagementCost(p, i, j));
  return static_cast<int>(std::min<double>(pr.max_engagements, by_inventory));
}

int WtaAllocation::MaxInterceptors(const WtaProblem& problem, int i, int j) const {
  const int k = problem.SalvoSize(i);
  const int per = problem.doctrine == FireDoctrine::kShootShoot ? k : 2 * k;
  return per * engagements_at(i, j);
}

double DefendedValue(const WtaProblem& p, const std::vector<int>& e) {
  HYPERDEF_ASSERT(e.size() == p.pairs.size());
  double f = 0.0;
  for (int j = 0; j < p.num_threats; ++j) {
    double s = 1.0;
    for (int i = 0; i < p.num_batteries; ++i) {
      const int n = e[Index(p, i, j)];
      if (n > 0) s *= std::pow(1.0 - EngagementKillProbability(p, i, j), n);
    }
    f += p.threat_value[static_cast<std::size_t>(j)] * (1.0 - s);
  }
  return f;
}

bool IsFeasibleAllocation(const WtaProblem& p, const std::vector<int>& e) {
  if (e.size() != p.pairs.size()) return false;
  for (int i = 0; i < p.num_batteries; ++i) {
    double used = 0.0;
    for (int j = 0; j < p.num_threats; ++j) {
      const int n = e[Index(p, i, j)];
      const WtaPair& pr = p.pair(i, j);
      if (n < 0) return false;
      if (n > 0 && (!pr.feasible || n > pr.max_engagements)) return false;
      used += n * EngagementCost(p, i, j);
    }
    if (used > p.inventory[static_cast<std::size_t>(i)] + kInventoryTol) return false;
  }
  return true;
}

WtaAllocation MakeAllocation(const WtaProblem& p, std::vector<int> e) {
  HYPERDEF_ASSERT(e.size() == p.pairs.size());
  WtaAllocation a;
  a.num_batteries = p.num_batteries;
  a.num_threats = p.num_threats;
  a.engagements = std::move(e);
  a.kill_probability.assign(static_cast<std::size_t>(p.num_threats), 0.0);
  a.expected_interceptors.assign(static_cast<std::size_t>(p.num_batteries), 0.0);
  for (int j = 0; j < p.num_threats; ++j) {
    double s = 1.0;
    for (int i = 0; i < p.num_batteries; ++i) {
      const int n = a.engagements[Index(p, i, j)];
      if (n > 0) {
        s *= std::pow(1.0 - EngagementKillProbability(p, i, j), n);
        a.expected_interceptors[static_cast<std::size_t>(i)] += n * EngagementCost(p, i, j);
      }
    }
    a.kill_probability[static_cast<std::size_t>(j)] = 1.0 - s;
    a.defended_value += p.threat_value[static_cast<std::size_t>(j)] * (1.0 - s);
  }
  return a;
}

void WtaExactOptions::Validate() const {
  if (max_columns < 1) {
    throw std::invalid_argument("WtaExactOptions: max_columns must be >= 1 (got " +
                                std::to_string(max_columns) + ")");
  }
  if (!std::isfinite(time_limit_s) || time_limit_s < 0.0) {
    throw std::invalid_argument("WtaExactOptions: time_limit_s must be finite and >= 0 (got " +
                                std::to_string(time_limit_s) + ")");
  }
}

WtaAllocation SolveWtaExact(const WtaProblem& p, const WtaExactOptions& options) {
  p.Validate();
  options.Validate();
  const int I = p.num_batteries;
  const int J = p.num_threats;
  const PairTables t = MakeTables(p);

  // Per threat, the batteries that can engage it (u_ij > 0); only they are enumerated.
  // A threat of zero value gets only the empty column: shooting at it never helps.
  std::vector<std::vector<int>> active(static_cast<std::size_t>(J));
  std::int64_t columns = 0;
  for (int j = 0; j < J; ++j) {
    std::int64_t count = 1;
    if (p.threat_value[static_cast<std::size_t>(j)] > 0.0) {
      for (int i = 0; i < I; ++i) {
        const int u = t.upper[Index(p, i, j)];
        if (u > 0) {
          active[static_cast<std::size_t>(j)].push_back(i);
          count *= u + 1;
          if (count > options.max_columns) break;
        }
      }
    }
    columns += count;
    if (columns > options.max_columns) {
      throw std::invalid_argument("SolveWtaExact: the enumerated MILP needs more than " +
                                  std::to_string(options.max_columns) +
                                  " columns (WtaExactOptions::max_columns); use SolveWtaGreedy");
    }
  }

  // Columns: (threat, allocation vector over its active batteries). Stored flat so the solution
  // can be read back: col_threat[c], and col_alloc[c * I + i] = e_ij of that column.
  std::vector<int> col_threat;
  std::vector<int> col_alloc;
  col_threat.reserve(static_cast<std::size_t>(columns));
  col_alloc.reserve(static_cast<std::size_t>(columns * I));
  std::vector<double> col_value;
  col_value.reserve(static_cast<std::size_t>(columns));
  std::vector<int> digits(static_cast<std::size_t>(I), 0);
  for (int j = 0; j < J; ++j) {
    const std::vector<int>& act = active[static_cast<std::size_t>(j)];
    std::fill(digits.begin(), digits.end(), 0);
    while (true) {
      col_threat.push_back(j);
      col_alloc.insert(col_alloc.end(), digits.begin(), digits.end());
      double survival = 1.0;
      for (int i : act) {
        const int n = digits[static_cast<std::size_t>(i)];
        if (n > 0) survival *= std::pow(t.q[Index(p, i, j)], n);
      }
      col_value.push_back(p.threat_value[static_cast<std::size_t>(j)] * (1.0 - survival));
      // Mixed-radix increment over the active batteries.
      std::size_t d = 0;
      for (; d < act.size(); ++d) {
        const int i = act[d];
        int& digit = digits[static_cast<std::size_t>(i)];
        if (digit < t.upper[Index(p, i, j)]) {
          ++digit;
          break;
        }
        digit = 0;
      }
      if (d == act.size()) break;
    }
  }
  const int num_cols = static_cast<int>(col_threat.size());

  std::unique_ptr<glp_prob, GlpProbDeleter> lp(glp_create_prob());
  glp_set_obj_dir(lp.get(), GLP_MAX);
  if (J + I > 0) glp_add_rows(lp.get(), J + I);
  for (int j = 0; j < J; ++j) glp_set_row_bnds(lp.get(), j + 1, GLP_FX, 1.0, 1.0);
  for (int i = 0; i < I; ++i) {
    glp_set_row_bnds(lp.get(), J + i + 1, GLP_UP, 0.0,
                     p.inventory[static_cast<std::size_t>(i)] + kInventoryTol);
  }
  if (num_cols > 0) glp_add_cols(lp.get(), num_cols);
  // Sparse matrix, 1-based as GLPK wants (index 0 unused).
  std::vector<int> ia(1, 0), ja(1, 0);
  std::vector<double> ar(1, 0.0);
  for (int c = 0; c < num_cols; ++c) {
    glp_set_col_kind(lp.get(), c + 1, GLP_BV);
    glp_set_obj_coef(lp.get(), c + 1, col_value[static_cast<std::size_t>(c)]);
    const int j = col_threat[static_cast<std::size_t>(c)];
    ia.push_back(j + 1);
    ja.push_back(c + 1);
    ar.push_back(1.0);
    for (int i = 0; i < I; ++i) {
      const int n = col_alloc[static_cast<std::size_t>(c) * static_cast<std::size_t>(I) +
                              static_cast<std::size_t>(i)];
      if (n == 0) continue;
      ia.push_back(J + i + 1);
      ja.push_back(c + 1);
      ar.push_back(n * t.cost[Index(p, i, j)]);
    }
  }
  glp_load_matrix(lp.get(), static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_ON;  // solves the LP relaxation itself
  parm.mip_gap = 0.0;
  if (options.time_limit_s > 0.0) {
    parm.tm_lim = static_cast<int>(std::min(options.time_limit_s * 1e3, 2e9));
  }
  const int rc = glp_intopt(lp.get(), &parm);
  const int status = glp_mip_status(lp.get());
  if ((rc != 0 && rc != GLP_ETMLIM) || (status != GLP_OPT && status != GLP_FEAS)) {
    // The all-zero allocation is always feasible, so anything else is a solver failure.
    throw std::runtime_error("SolveWtaExact: GLPK glp_intopt failed (return code " +
                             std::to_string(rc) + ", status " + std::to_string(status) + ")");
  }

  std::vector<int> e(p.pairs.size(), 0);
  for (int c = 0; c < num_cols; ++c) {
    if (glp_mip_col_val(lp.get(), c + 1) < 0.5) continue;
    const int j = col_threat[static_cast<std::size_t>(c)];
    for (int i = 0; i < I; ++i) {
      e[Index(p, i, j)] = col_alloc[static_cast<std::size_t>(c) * static_cast<std::size_t>(I) +
                                    static_cast<std::size_t>(i)];
    }
  }
  // An optimum may carry engagements that add nothing (pk = 0, or a threat already killed with
  // certainty by a pk = 1 engagement); drop them so no interceptor is wasted.
  for (int j = 0; j < J; ++j) {
    for (int i = 0; i < I; ++i) {
      int& n = e[Index(p, i, j)];
      while (n > 0) {
        const double s = Survival(p, t.q, e, j);
        --n;
        if (Survival(p, t.q, e, j) > s) {
          ++n;
          break;
        }
      }
    }
  }
  HYPERDEF_ASSERT(IsFeasibleAllocation(p, e));
  WtaAllocation a = MakeAllocation(p, std::move(e));
  a.proven_optimal = rc == 0 && status == GLP_OPT;
  a.exact_columns = num_cols;
  return a;
}

namespace {

// Greedy and local-search state: engagements, survival per threat, inventory left per battery.
// Survival S_j is kept as the product of its nonzero factors and a count of zero factors (pk = 1
// engagements), so a move's effect is evaluated in O(1) by one division and one product; an
// applied move recomputes the threat's survival from scratch, so no rounding accumulates.
class GreedyState {
 public:
  GreedyState(const WtaProblem& p, const PairTables& t) : p_(p), t_(t) {
    e_.assign(p.pairs.size(), 0);
    nonzero_.assign(static_cast<std::size_t>(p.num_threats), 1.0);
    zeros_.assign(static_cast<std::size_t>(p.num_threats), 0);
    left_.resize(static_cast<std::size_t>(p.num_batteries));
    for (int i = 0; i < p.num_batteries; ++i) {
      left_[static_cast<std::size_t>(i)] = p.inventory[static_cast<std::size_t>(i)];
    }
  }

  // Adds engagements one at a time by largest gain per interceptor until none fits or gains.
  void Fill() {
    while (true) {
      int best_i = -1, best_j = -1;
      double best_ratio = 0.0;
      for (int i = 0; i < p_.num_batteries; ++i) {
        for (int j = 0; j < p_.num_threats; ++j) {
          if (!CanAdd(i, j, 0.0)) continue;
          const std::size_t k = Index(p_, i, j);
          const double gain = Value(j) * Survival(j) * (1.0 - t_.q[k]);
          const double ratio = gain / t_.cost[k];
          if (ratio > best_ratio) {
            best_ratio = ratio;
            best_i = i;
            best_j = j;
          }
        }
      }
      if (best_i < 0) return;
      Change(best_i, best_j, +1);
    }
  }

  // One pass of first-improvement moves; returns true if any move was applied.
  bool ImprovePass(double tol) {
    bool improved = false;
    const int I = p_.num_batteries;
    const int J = p_.num_threats;
    // Move: one engagement of battery i from threat j to threat j2.
    for (int i = 0; i < I; ++i) {
      for (int j = 0; j < J; ++j) {
        for (int j2 = 0; j2 < J && e_[Index(p_, i, j)] > 0; ++j2) {
          if (j2 == j || !CanAdd(i, j2, t_.cost[Index(p_, i, j)])) continue;
          const double delta = Value(j) * (Survival(j) - SurvivalAfter(j, i, -1)) +
                               Value(j2) * (Survival(j2) - SurvivalAfter(j2, -1, i));
          if (delta > tol) {
            Change(i, j, -1);
            Change(i, j2, +1);
            improved = true;
          }
        }
      }
    }
    // Swap: battery i's engagement on j and battery i2's engagement on j2 exchange threats.
    // Only engaged pairs can take part, so they are listed first.
    engaged_.clear();
    for (int i = 0; i < I; ++i) {
      for (int j = 0; j < J; ++j) {
        if (e_[Index(p_, i, j)] > 0) engaged_.emplace_back(i, j);
      }
    }
    for (std::size_t a = 0; a < engaged_.size(); ++a) {
      for (std::size_t b = a + 1; b < engaged_.size(); ++b) {
        const auto [i, j] = engaged_[a];
        const auto [i2, j2] = engaged_[b];
        if (i2 == i || j2 == j || e_[Index(p_, i, j)] == 0 || e_[Index(p_, i2, j2)] == 0) continue;
        if (!CanAdd(i, j2, t_.cost[Index(p_, i, j)]) ||
            !CanAdd(i2, j, t_.cost[Index(p_, i2, j2)])) {
          continue;
        }
        const double delta = Value(j) * (Survival(j) - SurvivalAfter(j, i, i2)) +
                             Value(j2) * (Survival(j2) - SurvivalAfter(j2, i2, i));
        if (delta > tol) {
          Change(i, j, -1);
          Change(i2, j2, -1);
          Change(i, j2, +1);
          Change(i2, j, +1);
          improved = true;
        }
      }
    }
    // Refill whatever the moves freed (SLS costs differ per threat).
    double before = Total();
    Fill();
    if (Total() > before + tol) improved = true;
    // Drop one engagement and refill greedily: under SLS one expensive engagement may be worth
    // less than the cheaper ones its expected cost would pay for (a knapsack effect no 1-for-1
    // move sees).
    if (p_.doctrine == FireDoctrine::kShootLookShoot) {
      for (int i = 0; i < I; ++i) {
        for (int j = 0; j < J; ++j) {
          if (e_[Index(p_, i, j)] == 0) continue;
          before = Total();
          saved_e_ = e_;
          saved_nonzero_ = nonzero_;
          saved_zeros_ = zeros_;
          saved_left_ = left_;
          Change(i, j, -1);
          tabu_ = Index(p_, i, j);  // else the greedy would put it straight back
          Fill();
          tabu_ = kNone;
          if (Total() > before + tol) {
            improved = true;
          } else {
            e_.swap(saved_e_);
            nonzero_.swap(saved_nonzero_);
            zeros_.swap(saved_zeros_);
            left_.swap(saved_left_);
          }
        }
      }
    }
    return improved;
  }

  double Total() const {
    double f = 0.0;
    for (int j = 0; j < p_.num_threats; ++j) f += Value(j) * (1.0 - Survival(j));
    return f;
  }
  std::vector<int> TakeEngagements() { return std::move(e_); }

 private:
  double Value(int j) const { return p_.threat_value[static_cast<std::size_t>(j)]; }
  double Survival(int j) const {
    return zeros_[static_cast<std::size_t>(j)] > 0 ? 0.0 : nonzero_[static_cast<std::size_t>(j)];
  }
  // Survival of threat j with one engagement of battery `remove_i` taken away and one of
  // `add_i` added (-1: none).
  double SurvivalAfter(int j, int remove_i, int add_i) const {
    double prod = nonzero_[static_cast<std::size_t>(j)];
    int zeros = zeros_[static_cast<std::size_t>(j)];
    if (remove_i >= 0) {
      const double q = t_.q[Index(p_, remove_i, j)];
      if (q == 0.0) {
        --zeros;
      } else {
        prod /= q;
      }
    }
    if (add_i >= 0) {
      const double q = t_.q[Index(p_, add_i, j)];
      if (q == 0.0) {
        ++zeros;
      } else {
        prod *= q;
      }
    }
    return zeros > 0 ? 0.0 : prod;
  }
  // True if one more engagement of (i, j) fits in the window and in the inventory left plus
  // `freed` interceptors.
  bool CanAdd(int i, int j, double freed) const {
    const std::size_t k = Index(p_, i, j);
    return k != tabu_ && e_[k] < t_.upper[k] &&
           t_.cost[k] <= left_[static_cast<std::size_t>(i)] + freed + kInventoryTol;
  }
  void Change(int i, int j, int delta) {
    const std::size_t k = Index(p_, i, j);
    e_[k] += delta;
    left_[static_cast<std::size_t>(i)] -= delta * t_.cost[k];
    double prod = 1.0;
    int zeros = 0;
    for (int b = 0; b < p_.num_batteries; ++b) {
      const std::size_t kb = Index(p_, b, j);
      const int n = e_[kb];
      if (n == 0) continue;
      if (t_.q[kb] == 0.0) {
        zeros += n;
      } else {
        prod *= std::pow(t_.q[kb], n);
      }
    }
    nonzero_[static_cast<std::size_t>(j)] = prod;
    zeros_[static_cast<std::size_t>(j)] = zeros;
  }

  static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  const WtaProblem& p_;
  const PairTables& t_;
  std::vector<int> e_;
  std::vector<double> nonzero_;  // product of the nonzero factors Q_ij^e_ij per threat
  std::vector<int> zeros_;       // engagements with Q_ij = 0 per threat
  std::vector<double> left_;     // inventory left per battery (expected, under SLS)
  std::vector<std::pair<int, int>> engaged_;
  std::size_t tabu_ = kNone;  // pair the drop-and-refill move may not add back
  std::vector<int> saved_e_;  // snapshot for the drop-and-refill move
  std::vector<double> saved_nonzero_;
  std::vector<int> saved_zeros_;
  std::vector<double> saved_left_;
};

}  // namespace

WtaAllocation SolveWtaGreedy(const WtaProblem& p, const WtaGreedyOptions& options) {
  p.Validate();
  if (options.max_local_passes < 0) {
    throw std::invalid_argument("WtaGreedyOptions: max_local_passes must be >= 0 (got " +
                                std::to_string(options.max_local_passes) + ")");
  }
  const PairTables t = MakeTables(p);
  GreedyState state(p, t);
  state.Fill();
  if (options.local_search) {
    double total_value = 0.0;
    for (double v : p.threat_value) total_value += v;
    // A move must gain more than rounding noise, or two equal-valued moves could cycle.
    const double tol = 1e-12 * std::max(1.0, total_value);
    for (int pass = 0; pass < options.max_local_passes; ++pass) {
      if (!state.ImprovePass(tol)) break;
    }
  }
  std::vector<int> e = state.TakeEngagements();
  HYPERDEF_ASSERT(IsFeasibleAllocation(p, e));
  return MakeAllocation(p, std::move(e));
}

}  // namespace hyperdef::engagement
