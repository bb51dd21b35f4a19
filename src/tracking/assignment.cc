#include "tracking/assignment.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <queue>
#include <stdexcept>
#include <string>
#include <utility>

namespace hyperdef::tracking {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

void CheckCosts(const Eigen::MatrixXd& cost, const char* who) {
  const double* p = cost.data();
  const Eigen::Index size = cost.size();
  for (Eigen::Index k = 0; k < size; ++k) {
    if (std::isnan(p[k]) || p[k] == -kInf) {
      const Eigen::Index i = k % cost.rows();
      const Eigen::Index j = k / cost.rows();
      throw std::invalid_argument(std::string(who) + ": cost(" + std::to_string(i) + ", " +
                                  std::to_string(j) + ") is " +
                                  (std::isnan(p[k]) ? "NaN" : "-inf") +
                                  " (expected a finite value or +inf for a forbidden pair)");
    }
  }
}

}  // namespace

// Crouse 2016, Algorithm 1 (steps of the shortest augmenting path from the free row cur_row).
// Returns the sink column (unassigned column at the end of the path) or -1 if none is reachable
// at finite cost. shortest_[j] holds the path length to column j for scanned columns.
int AssignmentSolver::AugmentingPath(const double* c, int nr, int nc, int cur_row,
                                     double* min_val) {
  (void)nr;
  double min_v = 0.0;
  int num_remaining = nc;
  // Columns still to scan; filled in reverse so that, among equal candidates, the lowest column
  // index tends to be taken last (the order does not change the optimal cost).
  for (int it = 0; it < nc; ++it) remaining_[it] = nc - it - 1;
  std::fill(scanned_rows_.begin(), scanned_rows_.begin() + nr, 0);
  std::fill(scanned_cols_.begin(), scanned_cols_.begin() + nc, 0);
  std::fill(shortest_.begin(), shortest_.begin() + nc, kInf);

  int sink = -1;
  int i = cur_row;
  while (sink == -1) {
    scanned_rows_[i] = 1;
    int index = -1;
    double lowest = kInf;
    const double* ci = c + static_cast<std::ptrdiff_t>(i) * nc;
    const double ui = u_[i];
    for (int it = 0; it < num_remaining; ++it) {
      const int j = remaining_[it];
      // Reduced path length through row i to column j. A forbidden (+inf) entry stays +inf.
      const double r = min_v + ci[j] - ui - v_[j];
      if (r < shortest_[j]) {
        path_[j] = i;
        shortest_[j] = r;
      }
      // Prefer an unassigned column among equals: it ends the search sooner.
      if (shortest_[j] < lowest || (shortest_[j] == lowest && row4col_[j] == -1)) {
        lowest = shortest_[j];
        index = it;
      }
    }
    min_v = lowest;
    if (!(min_v < kInf)) return -1;  // every remaining column is forbidden: infeasible

    const int j = remaining_[index];
    if (row4col_[j] == -1) {
      sink = j;
    } else {
      i = row4col_[j];
    }
    scanned_cols_[j] = 1;
    remaining_[index] = remaining_[--num_remaining];
  }
  *min_val = min_v;
  return sink;
}

bool AssignmentSolver::SolveRowMajor(const double* c, int nr, int nc) {
  u_.assign(nr, 0.0);
  v_.assign(nc, 0.0);
  shortest_.resize(nc);
  path_.assign(nc, -1);
  col4row_.assign(nr, -1);
  row4col_.assign(nc, -1);
  remaining_.resize(nc);
  scanned_rows_.resize(nr);
  scanned_cols_.resize(nc);

  for (int cur_row = 0; cur_row < nr; ++cur_row) {
    double min_val = 0.0;
    const int sink = AugmentingPath(c, nr, nc, cur_row, &min_val);
    if (sink < 0) return false;

    // Dual update (Crouse 2016 eqs. after Algorithm 1): keeps reduced costs non-negative and
    // zero along the new matching.
    u_[cur_row] += min_val;
    for (int i = 0; i < nr; ++i) {
      if (scanned_rows_[i] && i != cur_row) u_[i] += min_val - shortest_[col4row_[i]];
    }
    for (int j = 0; j < nc; ++j) {
      if (scanned_cols_[j]) v_[j] -= min_val - shortest_[j];
    }

    // Flip the alternating path back from the sink.
    int j = sink;
    while (true) {
      const int i = path_[j];
      row4col_[j] = i;
      std::swap(col4row_[i], j);
      if (i == cur_row) break;
    }
  }
  return true;
}

void AssignmentSolver::Solve(const Eigen::MatrixXd& cost, AssignmentResult* result) {
  CheckCosts(cost, "SolveAssignment");
  const int n = static_cast<int>(cost.rows());
  const int m = static_cast<int>(cost.cols());
  result->row_to_col.assign(n, -1);
  result->col_to_row.assign(m, -1);
  result->cost = 0.0;
  result->feasible = true;
  if (n == 0 || m == 0) return;

  const bool transpose = n > m;
  const int nr = transpose ? m : n;
  const int nc = transpose ? n : m;
  const double* c = nullptr;
  if (transpose) {
    // Working row j = original column j, contiguous in Eigen's column-major storage.
    c = cost.data();
  } else {
    rowmajor_.resize(static_cast<std::size_t>(n) * m);
    for (int j = 0; j < m; ++j) {
      for (int i = 0; i < n; ++i) rowmajor_[static_cast<std::size_t>(i) * m + j] = cost(i, j);
    }
    c = rowmajor_.data();
  }

  if (!SolveRowMajor(c, nr, nc)) {
    result->feasible = false;
    return;
  }
  for (int r = 0; r < nr; ++r) {
    const int col = col4row_[r];
    const int i = transpose ? col : r;
    const int j = transpose ? r : col;
    result->row_to_col[i] = j;
    result->col_to_row[j] = i;
  }
  // Summed in row order of the caller's matrix, whatever orientation was solved.
  double total = 0.0;
  for (int i = 0; i < n; ++i) {
    if (result->row_to_col[i] >= 0) total += cost(i, result->row_to_col[i]);
  }
  result->cost = total;
}

AssignmentResult AssignmentSolver::Solve(const Eigen::MatrixXd& cost) {
  AssignmentResult r;
  Solve(cost, &r);
  return r;
}

std::vector<int> AssignmentSolver::SolveGnn(const Eigen::MatrixXd& cost,
                                            const std::vector<double>& unassigned_cost) {
  const Eigen::Index n = cost.rows();
  const Eigen::Index m = cost.cols();
  if (static_cast<Eigen::Index>(unassigned_cost.size()) != n) {
    throw std::invalid_argument("SolveGnn: unassigned_cost has " +
                                std::to_string(unassigned_cost.size()) +
                                " entries (expected one per row, " + std::to_string(n) + ")");
  }
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!std::isfinite(unassigned_cost[i])) {
      throw std::invalid_argument("SolveGnn: unassigned_cost[" + std::to_string(i) +
                                  "] is not finite (got " + std::to_string(unassigned_cost[i]) +
                                  ")");
    }
  }
  CheckCosts(cost, "SolveGnn");
  gnn_.resize(n, m + n);
  gnn_.leftCols(m) = cost;
  gnn_.rightCols(n).setConstant(kInf);
  for (Eigen::Index i = 0; i < n; ++i) gnn_(i, m + i) = unassigned_cost[i];
  Solve(gnn_, &gnn_result_);
  // Always feasible: the dummy diagonal is a complete finite assignment.
  std::vector<int> out(n, -1);
  for (Eigen::Index i = 0; i < n; ++i) {
    const int j = gnn_result_.row_to_col[i];
    out[i] = j < m ? j : -1;
  }
  return out;
}

AssignmentResult SolveAssignment(const Eigen::MatrixXd& cost) {
  AssignmentSolver solver;
  return solver.Solve(cost);
}

std::vector<int> SolveGnn(const Eigen::MatrixXd& cost, const std::vector<double>& unassigned_cost) {
  AssignmentSolver solver;
  return solver.SolveGnn(cost, unassigned_cost);
}

namespace {

// One cell of Murty's partition: the base problem with some pairs forced and some forbidden.
struct MurtyNode {
  AssignmentResult solution;
  std::vector<std::pair<int, int>> forced;
  std::vector<std::pair<int, int>> excluded;
};

struct NodeCostGreater {
  bool operator()(const MurtyNode& a, const MurtyNode& b) const {
    return a.solution.cost > b.solution.cost;
  }
};

// Solves the base problem (n <= m) restricted by the node's constraints. The reported cost is
// recomputed on the base matrix (forced entries are unchanged, so it is the same number).
bool SolveNode(const Eigen::MatrixXd& base, MurtyNode* node, Eigen::MatrixXd* work,
               AssignmentSolver* solver) {
  *work = base;
  for (const auto& [r, c] : node->excluded) (*work)(r, c) = kInf;
  for (const auto& [r, c] : node->forced) {
    const double keep = base(r, c);
    work->row(r).setConstant(kInf);
    work->col(c).setConstant(kInf);
    (*work)(r, c) = keep;
  }
  solver->Solve(*work, &node->solution);
  return node->solution.feasible;
}

}  // namespace

std::vector<AssignmentResult> KBestAssignments(const Eigen::MatrixXd& cost, int k) {
  if (k < 0) {
    throw std::invalid_argument("KBestAssignments: k = " + std::to_string(k) + " (expected >= 0)");
  }
  CheckCosts(cost, "KBestAssignments");
  std::vector<AssignmentResult> out;
  if (k == 0) return out;
  if (cost.rows() > cost.cols()) {
    const Eigen::MatrixXd t = cost.transpose();
    out = KBestAssignments(t, k);
    for (AssignmentResult& r : out) std::swap(r.row_to_col, r.col_to_row);
    return out;
  }
  const int n = static_cast<int>(cost.rows());
  AssignmentSolver solver;
  Eigen::MatrixXd work;
  std::priority_queue<MurtyNode, std::vector<MurtyNode>, NodeCostGreater> queue;
  MurtyNode root;
  if (!SolveNode(cost, &root, &work, &solver)) return out;
  queue.push(std::move(root));
  while (!queue.empty() && static_cast<int>(out.size()) < k) {
    MurtyNode node = queue.top();
    queue.pop();
    out.push_back(node.solution);
    if (static_cast<int>(out.size()) == k) break;
    // Partition the rest of this node's space: child r keeps the node's pairs of the earlier
    // free rows, and forbids its pair of row r.
    std::vector<char> is_forced(n, 0);
    for (const auto& pr : node.forced) is_forced[pr.first] = 1;
    std::vector<std::pair<int, int>> forced = node.forced;
    for (int r = 0; r < n; ++r) {
      if (is_forced[r]) continue;
      const std::pair<int, int> pair{r, node.solution.row_to_col[r]};
      MurtyNode child;
      child.forced = forced;
      child.excluded = node.excluded;
      child.excluded.push_back(pair);
      if (SolveNode(cost, &child, &work, &solver)) queue.push(std::move(child));
      forced.push_back(pair);
    }
  }
  return out;
}

}  // namespace hyperdef::tracking
