// Optimal rectangular linear assignment (the 2-D assignment problem) and Murty's ranked
// assignments.
//
// Problem. For an n x m cost matrix C, pick k = min(n, m) (row, column) pairs, no row or column
// used twice, minimising the sum of their costs. +infinity marks a forbidden pair (e.g. a track
// and a measurement outside each other's gate); the problem is infeasible when every complete
// choice of k pairs uses a forbidden one. Costs may be negative (e.g. negative log-likelihoods).
//
// Method. Shortest augmenting path in the Jonker-Volgenant form, as described by Crouse, "On
// implementing 2D rectangular assignment algorithms", IEEE Trans. Aerospace and Electronic
// Systems 52(4), 2016, Algorithm 1 (the method behind scipy.optimize.linear_sum_assignment).
// Working with n <= m (the matrix is transposed otherwise), rows are added one at a time: from
// the free row, a Dijkstra search over reduced costs C(i, j) - u(i) - v(j) (dual variables u, v)
// finds the cheapest alternating path to an unassigned column; the duals are then updated so
// the reduced costs stay >= 0 on every edge and 0 on assigned ones (complementary slackness),
// and the path is flipped. O(n^2 m) in the worst case, no cost shifting needed, and an
// unreachable column set (every remaining reduced cost infinite) proves infeasibility.
//
// Ranked assignments. Murty, "An algorithm for ranking all the assignments in order of
// increasing cost", Operations Research 16(3), 1968: the solution space is partitioned around
// the best assignment (fix its first r - 1 pairs, forbid its r-th pair) and the sub-problems
// are solved best-first; the k-th popped solution is the k-th best assignment. Used by JPDA
// beyond its exact-enumeration cap (jpda.h) and by any multiple-hypothesis logic.
//
// GNN. A global nearest neighbour association in which rows (tracks) may also stay unassigned
// at a price is the assignment problem on the n x (m + n) matrix [C | D], D diagonal with the
// per-row "unassigned" cost and +inf elsewhere (Blackman & Popoli 1999, ch. 6); every row can
// always take its own dummy column, so it is always feasible.
#pragma once

#include <Eigen/Core>
#include <vector>

namespace hyperdef::tracking {

struct AssignmentResult {
  std::vector<int> row_to_col;  // size n: the column of each row, -1 if unassigned
  std::vector<int> col_to_row;  // size m: the row of each column, -1 if unassigned
  double cost = 0.0;            // sum of the assigned costs (0 if infeasible)
  bool feasible = true;         // false: no min(n, m) pairs avoid every +inf entry
};

// A reusable solver: its buffers grow to the largest problem seen and are then reused, so
// repeated solves of similar size do not allocate (apart from the result vectors, which are
// reused too by the out-parameter form).
class AssignmentSolver {
 public:
  // Throws std::invalid_argument if `cost` contains NaN or -inf.
  AssignmentResult Solve(const Eigen::MatrixXd& cost);
  void Solve(const Eigen::MatrixXd& cost, AssignmentResult* result);

  // GNN with an optional miss per row (see header comment). cost(i, j) finite if measurement j
  // is in track i's gate, +inf otherwise; unassigned_cost[i] (finite) is the price of leaving
  // row i unassigned. Returns, for each row, its column or -1. Throws std::invalid_argument on
  // a size mismatch, NaN or -inf in `cost`, or a non-finite unassigned cost.
  std::vector<int> SolveGnn(const Eigen::MatrixXd& cost,
                            const std::vector<double>& unassigned_cost);

 private:
  // Solves the row-major nr x nc problem c (nr <= nc); fills col4row (size nr) and row4col
  // (size nc). Returns false if infeasible.
  bool SolveRowMajor(const double* c, int nr, int nc);
  int AugmentingPath(const double* c, int nr, int nc, int cur_row, double* min_val);

  std::vector<double> rowmajor_;  // copy of the cost when it must be transposed for row access
  std::vector<double> u_, v_, shortest_;
  std::vector<int> path_, col4row_, row4col_, remaining_;
  std::vector<char> scanned_rows_, scanned_cols_;
  Eigen::MatrixXd gnn_;
  AssignmentResult gnn_result_;
};

// Optimal assignment with a throw-away solver. Throws std::invalid_argument on NaN or -inf.
AssignmentResult SolveAssignment(const Eigen::MatrixXd& cost);

// Global nearest neighbour with per-row miss costs (see AssignmentSolver::SolveGnn).
std::vector<int> SolveGnn(const Eigen::MatrixXd& cost, const std::vector<double>& unassigned_cost);

// The k best complete assignments of min(n, m) pairs (fewer if fewer feasible ones exist), in
// order of non-decreasing cost, by Murty's method. Every result is feasible and distinct.
// Throws std::invalid_argument on NaN or -inf, or k < 0.
std::vector<AssignmentResult> KBestAssignments(const Eigen::MatrixXd& cost, int k);

}  // namespace hyperdef::tracking
