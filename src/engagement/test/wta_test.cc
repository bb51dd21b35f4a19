// Weapon-target assignment: the GLPK exact solver against brute-force enumeration written here
// from the model's definitions, the greedy against the exact solver (optimal on one weapon type by
// den Broeder et al. 1959; a heuristic with a recorded gap otherwise), constraints and doctrine.
#include "engagement/wta.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/random.h"

namespace hyperdef::engagement {
namespace {

int RandInt(core::RandomStream& rng, int lo, int hi) {
  return lo + static_cast<int>(rng.Bits() % static_cast<std::uint64_t>(hi - lo + 1));
}

struct Limits {
  int max_batteries = 3;
  int max_threats = 5;
  int max_inventory = 4;
  int max_window = 4;
};

// A random small problem; the doctrine is drawn too unless `doctrine_draw` is false (then SS,
// salvo 1): SS with salvo 1, SS with salvo 2, SLS with salvo 1, or either doctrine with a salvo
// size of 1 or 2 drawn per battery (mixed salvo sizes).
WtaProblem RandomProblem(core::RandomStream& rng, const Limits& lim, bool doctrine_draw,
                         int num_batteries = 0) {
  const int I = num_batteries > 0 ? num_batteries : RandInt(rng, 1, lim.max_batteries);
  const int J = RandInt(rng, 1, lim.max_threats);
  WtaProblem p(I, J);
  for (int j = 0; j < J; ++j) p.threat_value[static_cast<std::size_t>(j)] = rng.Uniform(0.1, 10.0);
  for (int i = 0; i < I; ++i) {
    p.inventory[static_cast<std::size_t>(i)] = RandInt(rng, 0, lim.max_inventory);
    for (int j = 0; j < J; ++j) {
      WtaPair& pr = p.pair(i, j);
      pr.feasible = rng.Uniform() < 0.75;
      pr.pk = rng.Uniform(0.05, 0.95);
      pr.max_engagements = RandInt(rng, 0, lim.max_window);
    }
  }
  if (doctrine_draw) {
    const int d = RandInt(rng, 0, 3);
    if (d < 3) {
      p.doctrine = d == 2 ? FireDoctrine::kShootLookShoot : FireDoctrine::kShootShoot;
      p.salvo_size = d == 1 ? 2 : 1;
    } else {
      p.doctrine =
          RandInt(rng, 0, 1) == 1 ? FireDoctrine::kShootLookShoot : FireDoctrine::kShootShoot;
      for (int i = 0; i < I; ++i) p.battery_salvo_size.push_back(RandInt(rng, 1, 2));
    }
  }
  return p;
}

// Model definitions written out again, independently of wta.cc: battery i's salvo size, kill
// probability and expected cost of one engagement.
int Salvo(const WtaProblem& p, int i) {
  return p.battery_salvo_size.empty() ? p.salvo_size
                                      : p.battery_salvo_size[static_cast<std::size_t>(i)];
}
double PkEngagement(const WtaProblem& p, int i, int j) {
  const WtaPair& pr = p.pair(i, j);
  if (!pr.feasible) return 0.0;
  const double miss = 1.0 - pr.pk;
  const int k = Salvo(p, i);
  const double miss_salvo = std::pow(miss, k);
  return p.doctrine == FireDoctrine::kShootShoot ? 1.0 - miss_salvo : 1.0 - miss_salvo * miss_salvo;
}
double CostEngagement(const WtaProblem& p, int i, int j) {
  const int k = Salvo(p, i);
  if (p.doctrine == FireDoctrine::kShootShoot) return k;
  return k + k * std::pow(1.0 - p.pair(i, j).pk, k);
}
double Objective(const WtaProblem& p, const std::vector<int>& e) {
  double f = 0.0;
  for (int j = 0; j < p.num_threats; ++j) {
    double survive = 1.0;
    for (int i = 0; i < p.num_batteries; ++i) {
      for (int n = 0; n < e[static_cast<std::size_t>(i * p.num_threats + j)]; ++n) {
        survive *= 1.0 - PkEngagement(p, i, j);
      }
    }
    f += p.threat_value[static_cast<std::size_t>(j)] * (1.0 - survive);
  }
  return f;
}

// Checks every constraint of an allocation; returns "" or what is violated.
std::string Violation(const WtaProblem& p, const WtaAllocation& a) {
  if (a.engagements.size() != p.pairs.size()) return "size";
  for (int i = 0; i < p.num_batteries; ++i) {
    double used = 0.0;
    for (int j = 0; j < p.num_threats; ++j) {
      const int n = a.engagements_at(i, j);
      const WtaPair& pr = p.pair(i, j);
      if (n < 0) return "negative engagements";
      if (n > 0 && !pr.feasible) return "infeasible pair used";
      if (n > pr.max_engagements) return "window exceeded";
      used += n * CostEngagement(p, i, j);
    }
    // 1e-9: the SLS rows are sums of fractional expected costs (rounding only).
    if (used > p.inventory[static_cast<std::size_t>(i)] + 1e-9) return "inventory exceeded";
  }
  return "";
}

// Brute force: every engagement vector with 0 <= e_ij <= m_ij, best feasible objective.
double BruteForceBest(const WtaProblem& p) {
  const int n = static_cast<int>(p.pairs.size());
  std::vector<int> e(static_cast<std::size_t>(n), 0);
  double best = 0.0;
  std::function<void(int)> rec = [&](int k) {
    if (k == n) {
      for (int i = 0; i < p.num_batteries; ++i) {
        double used = 0.0;
        for (int j = 0; j < p.num_threats; ++j) {
          used += e[static_cast<std::size_t>(i * p.num_threats + j)] * CostEngagement(p, i, j);
        }
        if (used > p.inventory[static_cast<std::size_t>(i)] + 1e-9) return;
      }
      best = std::max(best, Objective(p, e));
      return;
    }
    const WtaPair& pr = p.pairs[static_cast<std::size_t>(k)];
    const int hi = pr.feasible ? pr.max_engagements : 0;
    for (int v = 0; v <= hi; ++v) {
      e[static_cast<std::size_t>(k)] = v;
      rec(k + 1);
    }
    e[static_cast<std::size_t>(k)] = 0;
  };
  rec(0);
  return best;
}

TEST(WtaExact, MatchesBruteForceOnTinyProblems) {
  core::RandomStream rng(11, 0, "wta_test", "brute");
  const Limits lim{2, 3, 3, 2};
  for (int trial = 0; trial < 150; ++trial) {
    const WtaProblem p = RandomProblem(rng, lim, true);
    const WtaAllocation a = SolveWtaExact(p);
    EXPECT_TRUE(a.proven_optimal) << "trial " << trial;
    EXPECT_EQ(Violation(p, a), "") << "trial " << trial;
    const double brute = BruteForceBest(p);
    // 1e-9 relative: both are sums of a few products of doubles; GLPK's own optimality
    // tolerances are far tighter than the gaps between distinct allocations here.
    EXPECT_NEAR(a.defended_value, brute, 1e-9 * std::max(1.0, brute)) << "trial " << trial;
    EXPECT_NEAR(a.defended_value, Objective(p, a.engagements), 1e-12 * std::max(1.0, brute));
  }
}

// 200 random small problems (I <= 3, J <= 5, n_i <= 4, windows <= 4), all three doctrines and
// mixed salvo sizes per battery.
TEST(WtaGreedy, GapToExactOnRandomSmallProblems) {
  core::RandomStream rng(12, 0, "wta_test", "gap");
  std::vector<double> gaps, gaps_plain;
  int single_type = 0, mixed = 0;
  for (int trial = 0; trial < 200; ++trial) {
    const WtaProblem p = RandomProblem(rng, Limits{}, true);
    if (!p.battery_salvo_size.empty() && p.num_batteries > 1 &&
        *std::min_element(p.battery_salvo_size.begin(), p.battery_salvo_size.end()) !=
            *std::max_element(p.battery_salvo_size.begin(), p.battery_salvo_size.end())) {
      ++mixed;
    }
    const WtaAllocation exact = SolveWtaExact(p);
    const WtaAllocation greedy = SolveWtaGreedy(p);
    const WtaAllocation plain = SolveWtaGreedy(p, WtaGreedyOptions{.local_search = false});
    ASSERT_TRUE(exact.proven_optimal);
    EXPECT_EQ(Violation(p, exact), "") << "trial " << trial;
    EXPECT_EQ(Violation(p, greedy), "") << "trial " << trial;
    EXPECT_EQ(Violation(p, plain), "") << "trial " << trial;
    const double scale = std::max(1.0, exact.defended_value);
    // Relative gap (exact - greedy) / exact. 1e-9: rounding in sums of a few products.
    const double gap = (exact.defended_value - greedy.defended_value) / scale;
    const double gap_plain = (exact.defended_value - plain.defended_value) / scale;
    EXPECT_GE(gap, -1e-9) << "greedy beat the 'exact' solver, trial " << trial;
    EXPECT_GE(gap_plain, -1e-9) << "greedy beat the 'exact' solver, trial " << trial;
    EXPECT_GE(greedy.defended_value, plain.defended_value - 1e-12 * scale)
        << "local search made things worse, trial " << trial;
    // Theorem (den Broeder et al. 1959): one weapon type with equal engagement costs (shoot-shoot)
    // -> the maximum-marginal-return greedy is optimal, even without local search.
    if (p.num_batteries == 1 && p.doctrine == FireDoctrine::kShootShoot) {
      ++single_type;
      EXPECT_NEAR(gap_plain, 0.0, 1e-9) << "trial " << trial;
    }
    gaps.push_back(gap);
    gaps_plain.push_back(gap_plain);
  }
  auto mean = [](const std::vector<double>& v) {
    double s = 0.0;
    for (double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  auto count_pos = [](const std::vector<double>& v) {
    return std::count_if(v.begin(), v.end(), [](double g) { return g > 1e-9; });
  };
  const double max_gap = *std::max_element(gaps.begin(), gaps.end());
  const double max_gap_plain = *std::max_element(gaps_plain.begin(), gaps_plain.end());
  std::printf(
      "[ gap      ] 200 problems (%d single-type SS): greedy+local mean %.2e max %.2e nonzero %ld;"
      " greedy alone mean %.2e max %.2e nonzero %ld\n",
      single_type, mean(gaps), max_gap, static_cast<long>(count_pos(gaps)), mean(gaps_plain),
      max_gap_plain, static_cast<long>(count_pos(gaps_plain)));
  RecordProperty("mean_gap_local_search", std::to_string(mean(gaps)));
  RecordProperty("max_gap_local_search", std::to_string(max_gap));
  RecordProperty("mean_gap_greedy_only", std::to_string(mean(gaps_plain)));
  EXPECT_GT(single_type, 20);  // the theorem check must actually have run on a fair sample
  EXPECT_GT(mixed, 20);        // and the mixed salvo sizes on a fair sample
  // Mean gap small: the literature reports MMR within a few per cent of optimal on random
  // instances (Ahuja et al. 2007); on these small cases the measured means are well below 1 %.
  EXPECT_LT(mean(gaps), 0.005);
  EXPECT_LT(mean(gaps_plain), 0.02);
}

// The single-type theorem on its own sample, with salvo 1 and 2 (both have equal costs).
TEST(WtaGreedy, OptimalForOneWeaponTypeShootShoot) {
  core::RandomStream rng(13, 0, "wta_test", "single");
  const Limits lim{1, 8, 12, 6};
  for (int trial = 0; trial < 200; ++trial) {
    WtaProblem p = RandomProblem(rng, lim, false, 1);
    p.salvo_size = trial % 2 == 0 ? 1 : 2;
    const WtaAllocation exact = SolveWtaExact(p);
    const WtaAllocation greedy = SolveWtaGreedy(p, WtaGreedyOptions{.local_search = false});
    ASSERT_TRUE(exact.proven_optimal);
    // 1e-9 relative: the theorem says equal optimum; only rounding may differ.
    EXPECT_NEAR(greedy.defended_value, exact.defended_value,
                1e-9 * std::max(1.0, exact.defended_value))
        << "trial " << trial;
  }
}

// Classic case where the largest-gain-first rule is myopic: battery A can reach both threats,
// battery B only the first. Greedy puts A on threat 0 (0.9) then B on it too (0.1 x 0.8);
// the optimum is A on threat 1, B on threat 0. One local move repairs it.
TEST(WtaGreedy, LocalSearchRepairsMyopicChoice) {
  WtaProblem p(2, 2);
  p.threat_value = {1.0, 1.0};
  p.inventory = {1, 1};
  p.pair(0, 0) = {true, 0.9, 1};
  p.pair(0, 1) = {true, 0.85, 1};
  p.pair(1, 0) = {true, 0.8, 1};
  p.pair(1, 1) = {false, 0.99, 1};  // no window: the high pk must be ignored
  const WtaAllocation plain = SolveWtaGreedy(p, WtaGreedyOptions{.local_search = false});
  EXPECT_NEAR(plain.defended_value, 0.9 + 0.1 * 0.8, 1e-12);  // hand computation
  const WtaAllocation improved = SolveWtaGreedy(p);
  const WtaAllocation exact = SolveWtaExact(p);
  EXPECT_NEAR(exact.defended_value, 0.85 + 0.8, 1e-12);
  EXPECT_NEAR(improved.defended_value, exact.defended_value, 1e-12);
  EXPECT_EQ(improved.engagements_at(0, 1), 1);
  EXPECT_EQ(improved.engagements_at(1, 0), 1);
  EXPECT_EQ(improved.engagements_at(1, 1), 0);
  EXPECT_EQ(exact.engagements_at(1, 1), 0);
}

// Shoot-look-shoot knapsack effect: one engagement on the valuable threat (pk 0.3, expected
// cost 1.7 of 3 interceptors) strands 1.3, too little for another (1.5); two engagements on the
// cheaper threats are worth more. The drop-and-refill move finds it.
TEST(WtaGreedy, DropAndRefillUnderShootLookShoot) {
  WtaProblem p(1, 3);
  p.doctrine = FireDoctrine::kShootLookShoot;
  p.threat_value = {10.0, 4.0, 4.0};
  p.inventory = {3};
  p.pair(0, 0) = {true, 0.3, 1};
  p.pair(0, 1) = {true, 0.5, 1};
  p.pair(0, 2) = {true, 0.5, 1};
  const WtaAllocation plain = SolveWtaGreedy(p, WtaGreedyOptions{.local_search = false});
  EXPECT_NEAR(plain.defended_value, 10.0 * (1.0 - 0.49), 1e-12);  // ratio 5.1/1.7 = 3 > 2
  const WtaAllocation improved = SolveWtaGreedy(p);
  EXPECT_NEAR(improved.defended_value, 2.0 * 4.0 * 0.75, 1e-12);
  EXPECT_NEAR(SolveWtaExact(p).defended_value, improved.defended_value, 1e-12);
}

TEST(WtaDoctrine, ShootShootSalvoOfTwoUsesTwoInterceptorsPerEngagement) {
  WtaProblem p(1, 1);
  p.threat_value = {5.0};
  p.pair(0, 0) = {true, 0.5, 5};
  p.salvo_size = 2;
  for (int n : {1, 2, 3, 4, 5}) {
    p.inventory = {n};
    for (const WtaAllocation& a : {SolveWtaExact(p), SolveWtaGreedy(p)}) {
      const int e = n / 2;  // whole salvos only
      EXPECT_EQ(a.engagements_at(0, 0), e) << "inventory " << n;
      EXPECT_EQ(a.MaxInterceptors(p, 0, 0), 2 * e);
      EXPECT_DOUBLE_EQ(a.expected_interceptors[0], 2.0 * e);
      // Each salvo of two shots kills with 1 - 0.5^2 = 0.75.
      EXPECT_NEAR(a.kill_probability[0], 1.0 - std::pow(0.25, e), 1e-15);
      EXPECT_NEAR(a.defended_value, 5.0 * (1.0 - std::pow(0.25, e)), 1e-14);
    }
  }
}

// Mixed salvo sizes: battery 0 fires single shots, battery 1 pairs. Hand computation.
TEST(WtaDoctrine, SalvoSizePerBattery) {
  WtaProblem p(2, 1);
  p.threat_value = {1.0};
  p.inventory = {2, 4};
  p.battery_salvo_size = {1, 2};
  p.pair(0, 0) = {true, 0.5, 5};
  p.pair(1, 0) = {true, 0.5, 5};
  // Shoot-shoot: 1 - 0.5 = 0.5 for one shot, 1 - 0.5^2 = 0.75 for a pair; costs 1 and 2.
  EXPECT_NEAR(EngagementKillProbability(p, 0, 0), 0.5, 1e-15);
  EXPECT_NEAR(EngagementKillProbability(p, 1, 0), 0.75, 1e-15);
  EXPECT_EQ(EngagementCost(p, 0, 0), 1.0);
  EXPECT_EQ(EngagementCost(p, 1, 0), 2.0);
  EXPECT_EQ(EngagementUpperBound(p, 0, 0), 2);  // 2 interceptors / 1
  EXPECT_EQ(EngagementUpperBound(p, 1, 0), 2);  // 4 interceptors / 2
  for (const WtaAllocation& a : {SolveWtaExact(p), SolveWtaGreedy(p)}) {
    // Everything is worth firing: survival 0.5^2 x 0.25^2 (all 6 interceptors, 0.5 each).
    EXPECT_EQ(a.engagements_at(0, 0), 2);
    EXPECT_EQ(a.engagements_at(1, 0), 2);
    EXPECT_EQ(a.MaxInterceptors(p, 0, 0), 2);
    EXPECT_EQ(a.MaxInterceptors(p, 1, 0), 4);
    EXPECT_DOUBLE_EQ(a.expected_interceptors[1], 4.0);
    EXPECT_NEAR(a.kill_probability[0], 1.0 - std::pow(0.5, 6), 1e-15);
  }
  // Shoot-look-shoot: a pair, look, a second pair with probability 0.25: 2 x 1.25 = 2.5
  // expected interceptors and 1 - 0.5^4 = 0.9375; single shots 1.5 and 0.75.
  p.doctrine = FireDoctrine::kShootLookShoot;
  EXPECT_NEAR(EngagementCost(p, 1, 0), 2.5, 1e-15);
  EXPECT_NEAR(EngagementKillProbability(p, 1, 0), 0.9375, 1e-15);
  EXPECT_NEAR(EngagementCost(p, 0, 0), 1.5, 1e-15);
  EXPECT_NEAR(EngagementKillProbability(p, 0, 0), 0.75, 1e-15);
  for (const WtaAllocation& a : {SolveWtaExact(p), SolveWtaGreedy(p)}) {
    EXPECT_EQ(a.engagements_at(0, 0), 1);  // 1.5 of 2 (two would need 3)
    EXPECT_EQ(a.engagements_at(1, 0), 1);  // 2.5 of 4 (two would need 5)
    EXPECT_EQ(a.MaxInterceptors(p, 1, 0), 4);
    EXPECT_NEAR(a.expected_interceptors[1], 2.5, 1e-15);
  }
  p.battery_salvo_size = {1};  // not one per battery
  EXPECT_THROW(p.Validate(), std::invalid_argument);
  p.battery_salvo_size = {1, 0};
  EXPECT_THROW(p.Validate(), std::invalid_argument);
}

TEST(WtaDoctrine, ShootLookShootSpendsSecondSalvoOnlyOnMiss) {
  WtaProblem p(1, 1);
  p.threat_value = {1.0};
  p.pair(0, 0) = {true, 0.6, 5};
  p.doctrine = FireDoctrine::kShootLookShoot;
  p.salvo_size = 1;
  // One engagement: shot, look, second shot with probability 0.4 -> 1.4 expected interceptors,
  // kill 1 - 0.4^2 = 0.84.
  EXPECT_NEAR(EngagementCost(p, 0, 0), 1.4, 1e-15);
  EXPECT_NEAR(EngagementKillProbability(p, 0, 0), 0.84, 1e-15);
  p.inventory = {3};  // 2 engagements need 2.8 <= 3; 3 would need 4.2
  for (const WtaAllocation& a : {SolveWtaExact(p), SolveWtaGreedy(p)}) {
    EXPECT_EQ(a.engagements_at(0, 0), 2);
    EXPECT_NEAR(a.expected_interceptors[0], 2.8, 1e-12);
    EXPECT_EQ(a.MaxInterceptors(p, 0, 0), 4);
    EXPECT_NEAR(a.kill_probability[0], 1.0 - std::pow(0.16, 2), 1e-14);
  }
  // Exactly full in expectation (2 x 1.4 = 2.8 interceptors of a "2.8" budget is impossible
  // with integer inventories, but 5 x 1.4 = 7 is): 5 engagements fit in 7.
  p.inventory = {7};
  EXPECT_EQ(SolveWtaExact(p).engagements_at(0, 0), 5);
  EXPECT_EQ(SolveWtaGreedy(p).engagements_at(0, 0), 5);
}

TEST(WtaConstraints, WindowsInfeasiblePairsAndZeroValues) {
  WtaProblem p(2, 3);
  p.threat_value = {4.0, 0.0, 2.0};
  p.inventory = {10, 10};
  p.pair(0, 0) = {true, 0.5, 2};   // window allows 2
  p.pair(0, 1) = {true, 0.9, 5};   // zero-value threat: never worth a shot
  p.pair(0, 2) = {false, 0.9, 5};  // no window
  p.pair(1, 0) = {true, 0.3, 1};
  p.pair(1, 1) = {true, 0.9, 5};
  p.pair(1, 2) = {true, 1.0, 3};  // pk = 1: survival 0 after one engagement
  for (const WtaAllocation& a : {SolveWtaExact(p), SolveWtaGreedy(p)}) {
    EXPECT_EQ(Violation(p, a), "");
    EXPECT_EQ(a.engagements_at(0, 0), 2);
    EXPECT_EQ(a.engagements_at(1, 0), 1);
    EXPECT_EQ(a.engagements_at(0, 1), 0);
    EXPECT_EQ(a.engagements_at(1, 1), 0);
    EXPECT_EQ(a.engagements_at(0, 2), 0);
    EXPECT_EQ(a.engagements_at(1, 2), 1);  // a second certain kill adds nothing
    EXPECT_NEAR(a.defended_value, 4.0 * (1.0 - 0.25 * 0.7) + 2.0, 1e-14);
  }
}

TEST(WtaConstraints, EmptyProblemsAndNoInventory) {
  const WtaProblem empty(0, 0);
  EXPECT_EQ(SolveWtaExact(empty).defended_value, 0.0);
  EXPECT_EQ(SolveWtaGreedy(empty).defended_value, 0.0);
  WtaProblem no_threats(2, 0);
  no_threats.inventory = {3, 3};
  EXPECT_EQ(SolveWtaExact(no_threats).defended_value, 0.0);
  EXPECT_EQ(SolveWtaGreedy(no_threats).defended_value, 0.0);
  WtaProblem no_batteries(0, 2);
  no_batteries.threat_value = {1.0, 2.0};
  EXPECT_EQ(SolveWtaExact(no_batteries).defended_value, 0.0);
  EXPECT_EQ(SolveWtaGreedy(no_batteries).kill_probability.size(), 2u);
  WtaProblem dry(2, 2);
  dry.threat_value = {1.0, 1.0};
  for (WtaPair& pr : dry.pairs) pr = {true, 0.9, 3};
  const WtaAllocation a = SolveWtaExact(dry);
  EXPECT_EQ(a.defended_value, 0.0);
  EXPECT_TRUE(a.proven_optimal);
  EXPECT_EQ(SolveWtaGreedy(dry).defended_value, 0.0);
}

TEST(WtaValidate, RejectsBadInputWithMessage) {
  WtaProblem p(1, 2);
  p.pair(0, 1).pk = 1.5;
  try {
    p.Validate();
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("pair(0, 1).pk"), std::string::npos) << e.what();
  }
  p.pair(0, 1).pk = 0.5;
  p.threat_value.pop_back();
  EXPECT_THROW(SolveWtaGreedy(p), std::invalid_argument);
  p.threat_value = {1.0, -1.0};
  EXPECT_THROW(SolveWtaExact(p), std::invalid_argument);
  p.threat_value = {1.0, 1.0};
  p.salvo_size = 0;
  EXPECT_THROW(p.Validate(), std::invalid_argument);
  p.salvo_size = 1;
  p.inventory = {-1};
  EXPECT_THROW(p.Validate(), std::invalid_argument);
}

TEST(WtaExact, RefusesTooManyColumns) {
  WtaProblem p(4, 3);
  p.threat_value = {1.0, 1.0, 1.0};
  p.inventory = {9, 9, 9, 9};
  for (WtaPair& pr : p.pairs) pr = {true, 0.5, 9};
  // 10^4 columns per threat, 30,000 in all.
  try {
    SolveWtaExact(p, WtaExactOptions{.max_columns = 20000});
    FAIL() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("max_columns"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace hyperdef::engagement
