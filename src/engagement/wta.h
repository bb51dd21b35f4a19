// Static weapon-target assignment (WTA): which battery fires how many engagements at which threat,
// at one decision epoch, to maximise the expected defended value.
//
// Model. Threats j = 0..J-1 carry a value V_j >= 0: the expected damage if the threat leaks (the
// value of the asset it may hit times the probability that it is aimed at that asset; computed
// upstream, e.g. from assessment's impact point and footprint). Batteries (weapon types)
// i = 0..I-1 hold n_i interceptors. For each pair (i, j) fire control supplies
//   feasible        an engagement window exists,
//   pk = p_ij       single-shot kill probability of one interceptor,
//   max_engagements m_ij, the number of engagements that fit in the window given the launch rate
//                   and the doctrine (an engagement takes one salvo slot under shoot-shoot, two
//                   salvo slots and the look between them under shoot-look-shoot).
// The doctrine is one per problem; the salvo size k_i >= 1 interceptors is one per battery (a
// defence may mix a battery firing pairs with one firing single shots; k written for k_i below):
//   shoot-shoot (SS): an engagement is one salvo of k interceptors fired without looking;
//     kill probability P_ij = 1 - (1 - p_ij)^k, interceptor cost c_ij = k.
//   shoot-look-shoot (SLS): an engagement is a salvo of k, a look (kill assessment assumed
//     perfect), and a second salvo of k only if the first missed. Kill probability
//     P_ij = 1 - (1 - p_ij)^(2k); the second salvo is fired with probability (1 - p_ij)^k, so the
//     expected cost is c_ij = k (1 + (1 - p_ij)^k). In this static, one-epoch problem the
//     inventory constraint is imposed in expectation (sum_j c_ij e_ij <= n_i, a fractional
//     knapsack row); a realisation may then ask for more interceptors than a battery has,
//     which the dynamic loop resolves at the next epoch (the second salvo is a new decision).
//     Engagements by different batteries on one threat are planned independently (a kill by one
//     does not cancel another's second salvo), which overstates expected usage slightly and never
//     understates it.
// Engagements are independent, so with e_ij integer engagements the threat survives with
// probability S_j = prod_i Q_ij^e_ij, Q_ij = 1 - P_ij, and the problem is
//   maximise  F(e) = sum_j V_j (1 - prod_i Q_ij^e_ij)
//   subject   sum_j c_ij e_ij <= n_i            (inventory, in expectation under SLS)
//             0 <= e_ij <= m_ij, e_ij integer   (window)
//             e_ij = 0 when (i, j) is infeasible.
// For shoot-shoot with k = 1 this is the classical static WTA of Manne (1958) with x_ij = e_ij
// shots; it is NP-complete in general (Lloyd & Witsenhausen 1986).
//
// Exact solver (SolveWtaExact). The objective is separable per threat but, as a function of the
// vector e_.j, the product term is not concave, so it is linearised by enumeration: for each
// threat j every candidate vector a = (e_0j, ..., e_(I-1)j) with 0 <= e_ij <= u_ij, where
// u_ij = min(m_ij, floor(n_i / c_ij)) (0 if infeasible), becomes a binary column y_(j,a) with
// objective coefficient V_j (1 - prod_i Q_ij^a_i); rows sum_a y_(j,a) = 1 for each threat and
// sum_(j,a) c_ij a_i y_(j,a) <= n_i for each battery. This MILP is exactly the WTA (each feasible
// e maps to one y and back) and is solved by GLPK's branch and bound (glp_intopt, relative MIP
// gap 0). Its size is sum_j prod_i (u_ij + 1) columns: fine for a handful of batteries and a few
// dozen threats, hopeless for raids (use the greedy). GLPK is built thread-local on Debian, so
// different threads may solve different problems at once.
//
// Fast solver (SolveWtaGreedy). Maximum marginal return (den Broeder, Ellison & Emerling 1959,
// "On optimum target assignments", Operations Research 7(3); Kolitz 1988, "Analysis of a maximum
// marginal return assignment algorithm", IEEE CDC): add one engagement at a time to the feasible
// pair with the largest gain in defended value per interceptor, V_j S_j P_ij / c_ij, while the
// window and the inventory allow. Under shoot-shoot with one salvo size every c_ij = k, so this is
// the classical largest-gain rule; with mixed salvo sizes it weighs a battery's salvo of k_i by
// its k_i interceptors. Theorem (den Broeder et al.): with a single weapon type (I = 1) and equal
// costs, each threat's value V_j (1 - Q_j^e) is concave in e (marginal returns V_j Q_j^e P_j
// decrease geometrically), so the greedy is optimal for the separable concave resource
// allocation, box constraints (windows) included (Fox 1966, "Discrete optimization via marginal
// analysis", Management Science 13(3)). With several weapon types (mixed salvo sizes included), or
// SLS's unequal expected costs,
// it is a heuristic; an optional local search then applies first-improvement moves until none
// improves: move one engagement of a battery to another threat, exchange the threats of two
// batteries' engagements (pairwise swap), greedily refill freed inventory, and under SLS drop one
// engagement and refill without it (a knapsack effect: one expensive engagement may strand
// inventory that two cheaper ones would use). The moves are the simple neighbourhoods that Ahuja,
// Kumar, Jha & Orlin 2007 ("Exact and heuristic algorithms for the weapon-target assignment
// problem", Operations Research 55(6)) generalise to very large-scale neighbourhood search. Moves
// are evaluated in O(1) from cached survival products. Cost: O(E I J) for the E engagements the
// greedy places; a local-search pass is O(I J^2 + E^2) (plus O(E I J) for the SLS
// drop-and-refill).
#pragma once

#include <cstdint>
#include <vector>

namespace hyperdef::engagement {

enum class FireDoctrine { kShootShoot, kShootLookShoot };

// One (battery, threat) pair as fire control sees it.
struct WtaPair {
  bool feasible = false;    // an engagement window exists
  double pk = 0.0;          // single-shot kill probability p_ij in [0, 1]
  int max_engagements = 0;  // m_ij >= 0: engagements that fit in the window (see header)
};

struct WtaProblem {
  // Sizes the arrays for I batteries and J threats, every pair infeasible, every value and
  // inventory zero, shoot-shoot with salvo 1 (battery_salvo_size empty).
  WtaProblem() = default;
  WtaProblem(int num_batteries, int num_threats);

  int num_batteries = 0;             // I
  int num_threats = 0;               // J
  std::vector<double> threat_value;  // V_j >= 0, size J (expected damage if the threat leaks)
  std::vector<int> inventory;        // n_i >= 0 interceptors, size I
  std::vector<WtaPair> pairs;        // size I * J, battery-major: pairs[i * J + j]
  FireDoctrine doctrine = FireDoctrine::kShootShoot;
  int salvo_size = 1;  // k >= 1 interceptors per salvo, for every battery unless...
  // ...battery_salvo_size is given: k_i >= 1 per battery, size I (empty: salvo_size for all).
  std::vector<int> battery_salvo_size;

  // Salvo size k_i of battery i (battery_salvo_size[i], or salvo_size if that is empty).
  int SalvoSize(int i) const {
    return battery_salvo_size.empty() ? salvo_size
                                      : battery_salvo_size[static_cast<std::size_t>(i)];
  }

  WtaPair& pair(int i, int j) { return pairs[static_cast<std::size_t>(i * num_threats + j)]; }
  const WtaPair& pair(int i, int j) const {
    return pairs[static_cast<std::size_t>(i * num_threats + j)];
  }
  // Throws std::invalid_argument naming the offending field (sizes, negative or non-finite
  // values, pk outside [0, 1], a salvo size < 1, battery_salvo_size neither empty nor of size I).
  void Validate() const;
};

// Kill probability P_ij of one engagement under the problem's doctrine and battery i's salvo size:
// 1 - (1 - p_ij)^k_i (SS), 1 - (1 - p_ij)^(2 k_i) (SLS); 0 if infeasible.
double EngagementKillProbability(const WtaProblem& problem, int i, int j);
// Expected interceptors c_ij spent by one engagement: k_i (SS) or k_i (1 + (1 - p_ij)^k_i) (SLS).
double EngagementCost(const WtaProblem& problem, int i, int j);
// Largest e_ij the window and the battery's whole inventory allow on their own:
// min(m_ij, floor(n_i / c_ij)), 0 if infeasible.
int EngagementUpperBound(const WtaProblem& problem, int i, int j);

struct WtaAllocation {
  int num_batteries = 0;
  int num_threats = 0;
  std::vector<int> engagements;          // e_ij, size I * J, battery-major like WtaProblem::pairs
  double defended_value = 0.0;           // F(e) = sum_j V_j (1 - S_j)
  std::vector<double> kill_probability;  // 1 - S_j per threat, size J
  std::vector<double> expected_interceptors;  // sum_j c_ij e_ij per battery, size I
  bool proven_optimal = false;                // exact solver: GLPK proved optimality (MIP gap 0)
  int exact_columns = 0;                      // exact solver: binary columns of the enumerated MILP

  int engagements_at(int i, int j) const {
    return engagements[static_cast<std::size_t>(i * num_threats + j)];
  }
  // Interceptors fired at most by the engagements of (i, j): k_i e_ij (SS), 2 k_i e_ij (SLS).
  int MaxInterceptors(const WtaProblem& problem, int i, int j) const;
};

// Defended value F(e) of an engagement vector (size I * J). No feasibility check.
double DefendedValue(const WtaProblem& problem, const std::vector<int>& engagements);
// True if `engagements` respects windows, infeasible pairs and (expected) inventory, with a
// 1e-9 interceptor tolerance on the fractional SLS inventory rows.
bool IsFeasibleAllocation(const WtaProblem& problem, const std::vector<int>& engagements);
// Fills defended_value, kill_probability and expected_interceptors from `engagements`.
WtaAllocation MakeAllocation(const WtaProblem& problem, std::vector<int> engagements);

struct WtaExactOptions {
  // Refuse (std::invalid_argument) a problem whose MILP would have more binary columns than
  // this: the enumeration grows as prod_i (u_ij + 1) per threat.
  std::int64_t max_columns = 200000;
  // GLPK time limit in seconds, 0 = none. If it is hit, the best allocation found is returned
  // with proven_optimal = false.
  double time_limit_s = 0.0;
  void Validate() const;  // throws std::invalid_argument
};

// Exact WTA by the enumerated MILP and GLPK (see header). Throws std::invalid_argument on an
// invalid problem or one too large for options.max_columns; std::runtime_error if GLPK fails.
WtaAllocation SolveWtaExact(const WtaProblem& problem, const WtaExactOptions& options = {});

struct WtaGreedyOptions {
  bool local_search = true;     // run the move / swap / refill improvement after the greedy
  int max_local_passes = 1000;  // cap on improvement passes over all moves
};

// Maximum-marginal-return greedy, optionally improved by local search (see header). Optimal for
// one battery under shoot-shoot; a heuristic otherwise. Throws std::invalid_argument on an
// invalid problem. Ties go to the lowest (battery, threat) index, so the result is
// deterministic.
WtaAllocation SolveWtaGreedy(const WtaProblem& problem, const WtaGreedyOptions& options = {});

}  // namespace hyperdef::engagement
