// Validation of the shortest-augmenting-path assignment solver (Crouse 2016) against
// scipy.optimize.linear_sum_assignment (an independent implementation of the same problem) and
// against brute-force enumeration; GNN and Murty's ranked assignments against enumeration.
#include "tracking/assignment.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/random.h"

namespace hyperdef::tracking {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

int RandInt(core::RandomStream& rng, int lo, int hi) {
  return lo + static_cast<int>(rng.Bits() % static_cast<std::uint64_t>(hi - lo + 1));
}

// Random injective pairing of the smaller side into the larger: the pairs a "feasible" case keeps
// finite.
std::vector<std::pair<int, int>> RandomPairing(core::RandomStream& rng, int n, int m) {
  std::vector<int> rows(n), cols(m);
  std::iota(rows.begin(), rows.end(), 0);
  std::iota(cols.begin(), cols.end(), 0);
  for (int i = n - 1; i > 0; --i) std::swap(rows[i], rows[RandInt(rng, 0, i)]);
  for (int j = m - 1; j > 0; --j) std::swap(cols[j], cols[RandInt(rng, 0, j)]);
  std::vector<std::pair<int, int>> pairs;
  for (int k = 0; k < std::min(n, m); ++k) pairs.emplace_back(rows[k], cols[k]);
  return pairs;
}

// Case kinds: 0 small integers (many ties), 1 uniform reals, 2 signed reals, 3 reals with
// forbidden pairs, 4 integers with forbidden pairs. Forbidden-pair cases keep one random complete
// pairing finite, unless `infeasible`, which then violates Hall's condition on purpose: s rows of
// the smaller side may only use s - 1 columns (s = 1: a row of +inf).
Eigen::MatrixXd RandomCase(core::RandomStream& rng, int n, int m, int kind, bool infeasible) {
  Eigen::MatrixXd c(n, m);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < m; ++j) {
      switch (kind) {
        case 0:
        case 4:
          c(i, j) = RandInt(rng, 0, 20);
          break;
        case 2:
          c(i, j) = rng.Uniform(-100.0, 100.0);
          break;
        default:
          c(i, j) = rng.Uniform();
      }
    }
  }
  if (kind >= 3) {
    const double p_forbid = rng.Uniform(0.3, 0.9);
    Eigen::MatrixXd keep = Eigen::MatrixXd::Zero(n, m);
    for (const auto& [i, j] : RandomPairing(rng, n, m)) keep(i, j) = 1.0;
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < m; ++j) {
        if (keep(i, j) == 0.0 && rng.Uniform() < p_forbid) c(i, j) = kInf;
      }
    }
  }
  if (infeasible) {
    // Work on the smaller side: rows if n <= m, else columns (by symmetry, on the transpose).
    const bool by_rows = n <= m;
    const int small = by_rows ? n : m;
    const int large = by_rows ? m : n;
    const int s = RandInt(rng, 1, std::min(small, 3));
    for (int a = 0; a < s; ++a) {
      for (int b = s - 1; b < large; ++b) {
        if (by_rows) {
          c(a, b) = kInf;
        } else {
          c(b, a) = kInf;
        }
      }
    }
  }
  return c;
}

// Checks the structure of a result and that `cost` is the sum of its pairs.
void ExpectConsistent(const Eigen::MatrixXd& c, const AssignmentResult& r) {
  ASSERT_EQ(r.row_to_col.size(), static_cast<std::size_t>(c.rows()));
  ASSERT_EQ(r.col_to_row.size(), static_cast<std::size_t>(c.cols()));
  if (!r.feasible) return;
  int pairs = 0;
  double total = 0.0;
  for (int i = 0; i < c.rows(); ++i) {
    const int j = r.row_to_col[i];
    if (j < 0) continue;
    ++pairs;
    ASSERT_LT(j, c.cols());
    EXPECT_EQ(r.col_to_row[j], i);
    EXPECT_TRUE(std::isfinite(c(i, j))) << "a forbidden pair was used";
    total += c(i, j);
  }
  EXPECT_EQ(pairs, std::min(c.rows(), c.cols()));
  EXPECT_EQ(std::count_if(r.col_to_row.begin(), r.col_to_row.end(), [](int i) { return i >= 0; }),
            pairs);
  EXPECT_DOUBLE_EQ(r.cost, total);
}

// Every complete assignment's cost (min(n, m) pairs, no +inf), by enumeration.
std::vector<double> AllAssignmentCosts(const Eigen::MatrixXd& c) {
  const Eigen::MatrixXd a = c.rows() <= c.cols() ? c : Eigen::MatrixXd(c.transpose());
  std::vector<double> costs;
  std::vector<char> used(a.cols(), 0);
  std::function<void(int, double)> rec = [&](int i, double sum) {
    if (i == a.rows()) {
      costs.push_back(sum);
      return;
    }
    for (int j = 0; j < a.cols(); ++j) {
      if (used[j] || !std::isfinite(a(i, j))) continue;
      used[j] = 1;
      rec(i + 1, sum + a(i, j));
      used[j] = 0;
    }
  };
  rec(0, 0.0);
  std::sort(costs.begin(), costs.end());
  return costs;
}

TEST(SolveAssignment, SmallKnownCase) {
  // scipy.optimize.linear_sum_assignment documentation example: optimum 1 + 2 + 2 = 5.
  Eigen::MatrixXd c(3, 3);
  c << 4, 1, 3, 2, 0, 5, 3, 2, 2;
  const AssignmentResult r = SolveAssignment(c);
  ASSERT_TRUE(r.feasible);
  EXPECT_EQ(r.cost, 5.0);  // integers: exact
  EXPECT_EQ(r.row_to_col, (std::vector<int>{1, 0, 2}));
  ExpectConsistent(c, r);
}

TEST(SolveAssignment, RectangularBothWays) {
  Eigen::MatrixXd c(2, 4);
  c << 5, 9, 1, 7, 2, 8, 3, 6;  // best: row 0 -> col 2 (1), row 1 -> col 0 (2)
  AssignmentResult r = SolveAssignment(c);
  EXPECT_EQ(r.cost, 3.0);
  EXPECT_EQ(r.row_to_col, (std::vector<int>{2, 0}));
  EXPECT_EQ(r.col_to_row, (std::vector<int>{1, -1, 0, -1}));
  const Eigen::MatrixXd t = c.transpose();
  r = SolveAssignment(t);
  EXPECT_EQ(r.cost, 3.0);
  EXPECT_EQ(r.row_to_col, (std::vector<int>{1, -1, 0, -1}));
  ExpectConsistent(t, r);
}

TEST(SolveAssignment, EmptyMatrices) {
  for (const auto& [n, m] : {std::pair{0, 0}, std::pair{0, 3}, std::pair{4, 0}}) {
    const AssignmentResult r = SolveAssignment(Eigen::MatrixXd(n, m));
    EXPECT_TRUE(r.feasible);
    EXPECT_EQ(r.cost, 0.0);
    EXPECT_EQ(r.row_to_col, std::vector<int>(n, -1));
    EXPECT_EQ(r.col_to_row, std::vector<int>(m, -1));
  }
}

TEST(SolveAssignment, ForbiddenPairs) {
  Eigen::MatrixXd c(2, 2);
  c << 1, kInf, kInf, 1;  // diagonal only
  AssignmentResult r = SolveAssignment(c);
  EXPECT_TRUE(r.feasible);
  EXPECT_EQ(r.cost, 2.0);
  c << kInf, 1, kInf, 2;  // column 0 unusable: no complete assignment
  r = SolveAssignment(c);
  EXPECT_FALSE(r.feasible);
  // A row of +inf is fine when that row may stay out (more rows than columns).
  Eigen::MatrixXd tall(2, 1);
  tall << 1, kInf;
  r = SolveAssignment(tall);
  EXPECT_TRUE(r.feasible);
  EXPECT_EQ(r.row_to_col, (std::vector<int>{0, -1}));
  EXPECT_FALSE(SolveAssignment(Eigen::MatrixXd::Constant(3, 3, kInf)).feasible);
}

TEST(SolveAssignment, RejectsNanAndMinusInf) {
  Eigen::MatrixXd c = Eigen::MatrixXd::Ones(2, 3);
  c(1, 2) = std::numeric_limits<double>::quiet_NaN();
  try {
    SolveAssignment(c);
    FAIL() << "NaN accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("cost(1, 2) is NaN"), std::string::npos) << e.what();
  }
  c(1, 2) = -kInf;
  EXPECT_THROW(SolveAssignment(c), std::invalid_argument);
}

TEST(SolveAssignment, MatchesBruteForceOnSmallMatrices) {
  core::RandomStream rng(7, 0, "assignment_test", "brute");
  AssignmentSolver solver;  // reused across sizes: the workspace must not leak state
  int infeasible = 0;
  for (int trial = 0; trial < 600; ++trial) {
    const int n = RandInt(rng, 1, 6);
    const int m = RandInt(rng, 1, 6);
    const int kind = trial % 5;
    const bool make_infeasible = kind >= 3 && trial % 3 == 0;
    const Eigen::MatrixXd c = RandomCase(rng, n, m, kind, make_infeasible);
    const std::vector<double> all = AllAssignmentCosts(c);
    const AssignmentResult r = solver.Solve(c);
    ExpectConsistent(c, r);
    ASSERT_EQ(r.feasible, !all.empty()) << "trial " << trial << "\n" << c;
    if (all.empty()) {
      ++infeasible;
      continue;
    }
    // Same set of finite terms summed in different orders: a few ulps of the magnitude.
    EXPECT_NEAR(r.cost, all.front(), 1e-12 * std::max(1.0, std::abs(all.front())))
        << "trial " << trial << "\n"
        << c;
  }
  EXPECT_GT(infeasible, 50);  // the generator did produce infeasible cases to check
}

// 1,000 random rectangular problems against scipy.optimize.linear_sum_assignment.
TEST(SolveAssignment, MatchesScipyLinearSumAssignment) {
  const std::string script = std::string(HYPERDEF_SOURCE_DIR) + "/src/tracking/test/lsa_oracle.py";
  const std::filesystem::path dir = std::filesystem::temp_directory_path();
  const std::string stem = "hyperdef_lsa_" + std::to_string(::getpid());
  const std::filesystem::path in_path = dir / (stem + ".in");
  const std::filesystem::path out_path = dir / (stem + ".out");
  struct RemoveOnExit {  // also when an ASSERT returns early
    std::filesystem::path a, b;
    ~RemoveOnExit() {
      std::error_code ec;
      std::filesystem::remove(a, ec);
      std::filesystem::remove(b, ec);
    }
  } cleanup{in_path, out_path};

  core::RandomStream rng(11, 0, "assignment_test", "scipy");
  constexpr int kCases = 1000;
  std::vector<Eigen::MatrixXd> cases;
  std::vector<bool> made_infeasible;
  {
    std::ofstream f(in_path);
    ASSERT_TRUE(f) << "cannot write " << in_path;
    f.precision(17);
    f << kCases << "\n";
    for (int k = 0; k < kCases; ++k) {
      const int n = RandInt(rng, 1, 40);
      const int m = RandInt(rng, 1, 40);
      const int kind = k % 5;
      const bool infeasible = kind >= 3 && k % 4 == 0;
      cases.push_back(RandomCase(rng, n, m, kind, infeasible));
      made_infeasible.push_back(infeasible);
      f << n << " " << m << "\n";
      for (int i = 0; i < n; ++i) {
        for (int j = 0; j < m; ++j) f << cases.back()(i, j) << (j + 1 < m ? " " : "\n");
      }
    }
  }
  const std::string cmd =
      "/usr/bin/python3 " + script + " " + in_path.string() + " " + out_path.string();
  const int rc = std::system(cmd.c_str());
  // Not a skip: python3 with scipy is a declared dependency of the test suite.
  ASSERT_EQ(rc, 0) << "oracle failed: `" << cmd
                   << "` (needs Debian's /usr/bin/python3 with python3-numpy and python3-scipy)";
  std::ifstream g(out_path);
  ASSERT_TRUE(g) << "oracle wrote no " << out_path;

  AssignmentSolver solver;
  int feasible_count = 0, infeasible_count = 0;
  for (int k = 0; k < kCases; ++k) {
    std::string line;
    ASSERT_TRUE(std::getline(g, line)) << "oracle output ends at case " << k;
    std::istringstream ls(line);
    std::string status;
    ls >> status;
    const AssignmentResult r = solver.Solve(cases[k]);
    ExpectConsistent(cases[k], r);
    if (status == "infeasible") {
      ++infeasible_count;
      EXPECT_FALSE(r.feasible) << "case " << k;
      EXPECT_TRUE(made_infeasible[k]) << "case " << k << " was built feasible";
      continue;
    }
    ASSERT_EQ(status, "feasible");
    ++feasible_count;
    double expected = 0.0;
    ls >> expected;
    ASSERT_TRUE(r.feasible) << "case " << k;
    // Tolerance: both sum up to 40 doubles in different orders (assignments may differ under
    // ties), so they agree to a few ulps of the magnitude; 1e-9 relative is the brief's bound.
    EXPECT_NEAR(r.cost, expected, 1e-9 * std::max(1.0, std::abs(expected))) << "case " << k;
  }
  EXPECT_EQ(feasible_count + infeasible_count, kCases);
  EXPECT_GT(infeasible_count, 50);  // infeasible generation worked and was checked
}

// GNN against enumeration of all partial assignments (each row: a gated column or a miss).
TEST(SolveGnn, MatchesBruteForce) {
  core::RandomStream rng(3, 0, "assignment_test", "gnn");
  AssignmentSolver solver;
  for (int trial = 0; trial < 300; ++trial) {
    const int n = RandInt(rng, 1, 5);
    const int m = RandInt(rng, 0, 5);
    Eigen::MatrixXd c(n, m);
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < m; ++j) c(i, j) = rng.Uniform() < 0.4 ? kInf : rng.Uniform(0.0, 10.0);
    }
    std::vector<double> miss(n);
    for (double& x : miss) x = rng.Uniform(0.0, 8.0);
    double best = kInf;
    std::vector<char> used(m, 0);
    std::function<void(int, double)> rec = [&](int i, double sum) {
      if (i == n) {
        best = std::min(best, sum);
        return;
      }
      rec(i + 1, sum + miss[i]);
      for (int j = 0; j < m; ++j) {
        if (used[j] || !std::isfinite(c(i, j))) continue;
        used[j] = 1;
        rec(i + 1, sum + c(i, j));
        used[j] = 0;
      }
    };
    rec(0, 0.0);
    const std::vector<int> a = solver.SolveGnn(c, miss);
    ASSERT_EQ(a.size(), static_cast<std::size_t>(n));
    double total = 0.0;
    std::vector<int> count(m, 0);
    for (int i = 0; i < n; ++i) {
      if (a[i] < 0) {
        total += miss[i];
      } else {
        ASSERT_TRUE(std::isfinite(c(i, a[i])));
        ++count[a[i]];
        total += c(i, a[i]);
      }
    }
    for (int x : count) EXPECT_LE(x, 1);
    EXPECT_NEAR(total, best, 1e-12 * std::max(1.0, best));  // same terms, other order
  }
}

TEST(SolveGnn, CompetingTracksAndMisses) {
  Eigen::MatrixXd c(2, 1);
  c << 1, 2;  // both tracks want measurement 0; miss costs 3 each -> track 0 takes it (1 + 3)
  EXPECT_EQ(SolveGnn(c, {3.0, 3.0}), (std::vector<int>{0, -1}));
  c << 10, kInf;  // a gated pair dearer than a miss is refused
  EXPECT_EQ(SolveGnn(c, {5.0, 5.0}), (std::vector<int>{-1, -1}));
  EXPECT_EQ(SolveGnn(Eigen::MatrixXd(2, 0), {1.0, 1.0}), (std::vector<int>{-1, -1}));
  EXPECT_THROW(SolveGnn(c, {1.0}), std::invalid_argument);
  EXPECT_THROW(SolveGnn(c, {1.0, kInf}), std::invalid_argument);
}

TEST(KBestAssignments, MatchesSortedEnumeration) {
  core::RandomStream rng(5, 0, "assignment_test", "murty");
  for (int trial = 0; trial < 150; ++trial) {
    const int n = RandInt(rng, 1, 5);
    const int m = RandInt(rng, 1, 5);
    const Eigen::MatrixXd c = RandomCase(rng, n, m, trial % 5, false);
    const std::vector<double> all = AllAssignmentCosts(c);
    const int k = static_cast<int>(all.size()) + 2;  // ask for more than exist
    const std::vector<AssignmentResult> best = KBestAssignments(c, k);
    ASSERT_EQ(best.size(), all.size()) << "trial " << trial;
    for (std::size_t q = 0; q < best.size(); ++q) {
      ExpectConsistent(c, best[q]);
      // k-th best cost equals the k-th smallest enumerated cost (ranking is unique in value
      // even under ties); same terms summed in another order.
      EXPECT_NEAR(best[q].cost, all[q], 1e-12 * std::max(1.0, std::abs(all[q])));
      for (std::size_t p = 0; p < q; ++p) {
        EXPECT_NE(best[p].row_to_col, best[q].row_to_col) << "duplicate hypothesis";
      }
    }
  }
  EXPECT_TRUE(KBestAssignments(Eigen::MatrixXd::Ones(2, 2), 0).empty());
  EXPECT_THROW(KBestAssignments(Eigen::MatrixXd::Ones(2, 2), -1), std::invalid_argument);
}

}  // namespace
}  // namespace hyperdef::tracking
