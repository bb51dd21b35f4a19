// The files of a Monte Carlo or sweep: runs.csv (one row per run), summary.json's monte_carlo
// block (statistics of every column), rmse_bands.csv (track error against time since launch over
// runs), sweep.csv (statistics per sweep point), and the checkpoint that lets an interrupted run
// resume. Every field is documented in docs/monte_carlo.md.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "sim/monte_carlo.h"

namespace hyperdef::io {

// A sweep's grid: the --set paths and, per point, the value text of each.
struct SweepGrid {
  std::vector<std::string> keys;
  std::vector<std::vector<std::string>> values;  // [point][key]
};

// "run,<columns>" (grid == nullptr) or "point,<keys...>,run,<columns>"; rows sorted by (point,
// run); numbers with 9 significant digits, an empty cell for NaN. `columns[p]` are point p's.
void WriteRunsCsv(const std::vector<std::vector<std::string>>& columns,
                  std::vector<sim::RunRecord> records, const SweepGrid* grid, std::ostream& out);

// The union of the points' columns, in order of first appearance.
std::vector<std::string> UnionColumns(const std::vector<std::vector<std::string>>& columns);

// Statistics of one point: per column n, mean, sd, ci95, quantiles; a `headline` object with the
// analyst's figures when present (probability the raid is defeated, leakers, defended value, Pk
// per threat, times to detection and track).
nlohmann::ordered_json MonteCarloJson(const std::vector<sim::ColumnStats>& stats,
                                      std::uint64_t runs);

// point (sweep only), threat_id, t_since_launch_s (bin start), runs_samples, rmse_m, mean_m, sd_m.
void WriteErrorBandsCsv(const sim::ErrorBands& bands, bool sweep, std::ostream& out);

// One row per point: the keys' values, runs, then M.mean, M.ci_lo, M.ci_hi for every column M.
void WriteSweepCsv(const SweepGrid& grid, const std::vector<std::string>& columns,
                   const std::vector<std::vector<sim::ColumnStats>>& stats, std::ostream& out);

// A checkpoint part (or an MPI message): the fingerprint of what was being run and the state.
nlohmann::json McStateToJson(const std::string& fingerprint, const sim::McState& state);
// Throws core::InputError naming `file` if the JSON is not a part of this fingerprint.
sim::McState McStateFromJson(const nlohmann::json& j, const std::string& fingerprint,
                             const std::string& file);

}  // namespace hyperdef::io
