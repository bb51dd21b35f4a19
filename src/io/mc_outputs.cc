#include "io/mc_outputs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/error.h"

namespace hyperdef::io {

using nlohmann::ordered_json;

namespace {

std::string Num(double x) { return std::isnan(x) ? std::string() : fmt::format("{:.9g}", x); }

ordered_json JsonNum(double x) {
  return std::isfinite(x) ? ordered_json(std::stod(fmt::format("{:.9g}", x)))
                          : ordered_json(nullptr);
}

// CSV field: quoted when it holds a comma or a quote (the --set values may, e.g. "[1, 2]").
std::string Field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string I128ToString(__int128 v) {
  char buf[48];
  char* p = buf + sizeof(buf);
  const bool neg = v < 0;
  unsigned __int128 u =
      neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  do {
    *--p = static_cast<char>('0' + static_cast<int>(u % 10));
    u /= 10;
  } while (u > 0);
  if (neg) *--p = '-';
  return std::string(p, buf + sizeof(buf));
}

__int128 I128FromString(const std::string& s) {
  __int128 v = 0;
  size_t i = 0;
  const bool neg = !s.empty() && s[0] == '-';
  if (neg) i = 1;
  if (i == s.size()) throw std::invalid_argument("empty integer");
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') throw std::invalid_argument("not an integer: " + s);
    v = v * 10 + (s[i] - '0');
  }
  return neg ? -v : v;
}

// line += ',' + cell, written so that GCC 12 does not warn (-Wrestrict false positive on
// operator+(const char*, std::string), GCC bug 105651).
void Cell(std::string& line, const std::string& cell) {
  line.push_back(',');
  line.append(cell);
}

}  // namespace

std::vector<std::string> UnionColumns(const std::vector<std::vector<std::string>>& columns) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& cs : columns) {
    for (const std::string& c : cs) {
      if (seen.insert(c).second) out.push_back(c);
    }
  }
  return out;
}

void WriteRunsCsv(const std::vector<std::vector<std::string>>& columns,
                  std::vector<sim::RunRecord> records, const SweepGrid* grid, std::ostream& out) {
  std::sort(records.begin(), records.end(), [](const sim::RunRecord& a, const sim::RunRecord& b) {
    return std::tie(a.point, a.run) < std::tie(b.point, b.run);
  });
  const std::vector<std::string> all = UnionColumns(columns);
  std::string header;
  if (grid) {
    header = "point";
    for (const std::string& k : grid->keys) Cell(header, Field(k));
    header += ",";
  }
  header += "run";
  for (const std::string& c : all) Cell(header, Field(c));
  out << header << "\n";
  // Position of each of a point's columns in the union.
  std::vector<std::vector<size_t>> where(columns.size());
  for (size_t p = 0; p < columns.size(); ++p) {
    for (const std::string& c : columns[p]) {
      where[p].push_back(static_cast<size_t>(std::find(all.begin(), all.end(), c) - all.begin()));
    }
  }
  std::vector<std::string> cells(all.size());
  for (const sim::RunRecord& r : records) {
    std::string line;
    if (grid) {
      line = fmt::format("{}", r.point);
      for (const std::string& v : grid->values.at(r.point)) Cell(line, Field(v));
      line += ",";
    }
    line += fmt::format("{}", r.run);
    std::fill(cells.begin(), cells.end(), std::string());
    const std::vector<size_t>& w = where.at(r.point);
    for (size_t i = 0; i < r.values.size() && i < w.size(); ++i) cells[w[i]] = Num(r.values[i]);
    for (const std::string& c : cells) Cell(line, c);
    out << line << "\n";
  }
}

ordered_json MonteCarloJson(const std::vector<sim::ColumnStats>& stats, std::uint64_t runs) {
  ordered_json j;
  j["runs"] = runs;
  std::map<std::string, const sim::ColumnStats*> by_name;
  for (const sim::ColumnStats& s : stats) by_name[s.name] = &s;
  const auto brief = [](const sim::ColumnStats& s) {
    return ordered_json{
        {"n", s.n}, {"mean", JsonNum(s.mean)}, {"ci95", {JsonNum(s.ci_lo), JsonNum(s.ci_hi)}}};
  };
  ordered_json headline = ordered_json::object();
  for (const char* name : {"raid_defeated", "leakers", "kills", "shots", "defended_value",
                           "damage_value", "false_tracks"}) {
    const auto it = by_name.find(name);
    if (it != by_name.end()) {
      headline[std::string(name) == "raid_defeated" ? "p_raid_defeated" : name] =
          brief(*it->second);
    }
  }
  // Per threat: Pk (killed), leak probability and median times, from the "<id>.x" columns.
  ordered_json per_threat = ordered_json::object();
  for (const sim::ColumnStats& s : stats) {
    const size_t dot = s.name.rfind('.');
    if (dot == std::string::npos) continue;
    const std::string id = s.name.substr(0, dot), what = s.name.substr(dot + 1);
    if (what == "killed") per_threat[id]["pk"] = brief(s);
    if (what == "leaked") per_threat[id]["p_leak"] = brief(s);
    if (what == "t_detect_s" || what == "t_track_s" || what == "t_class_s") {
      per_threat[id][what] = {
          {"n", s.n}, {"p05", JsonNum(s.p05)}, {"p50", JsonNum(s.p50)}, {"p95", JsonNum(s.p95)}};
    }
    if (what == "stereo_custody" || what == "rmse_m") per_threat[id][what] = brief(s);
  }
  if (!per_threat.empty()) headline["threats"] = per_threat;
  j["headline"] = headline;
  ordered_json columns = ordered_json::object();
  for (const sim::ColumnStats& s : stats) {
    columns[s.name] = {{"n", s.n},
                       {"proportion", s.binary},
                       {"mean", JsonNum(s.mean)},
                       {"sd", JsonNum(s.sd)},
                       {"ci95", {JsonNum(s.ci_lo), JsonNum(s.ci_hi)}},
                       {"min", JsonNum(s.min)},
                       {"p05", JsonNum(s.p05)},
                       {"p50", JsonNum(s.p50)},
                       {"p95", JsonNum(s.p95)},
                       {"max", JsonNum(s.max)}};
  }
  j["columns"] = columns;
  return j;
}

void WriteErrorBandsCsv(const sim::ErrorBands& bands, bool sweep, std::ostream& out) {
  out << (sweep ? "point," : "") << "threat_id,t_since_launch_s,samples,rmse_m,mean_m,sd_m\n";
  for (const auto& [k, c] : bands.cells) {
    if (c.n == 0) continue;
    const double n = static_cast<double>(c.n);
    const double mean_mm = static_cast<double>(c.sum_mm) / n;
    const double ms_mm2 = static_cast<double>(c.sum_mm2) / n;
    const double var = c.n > 1 ? std::max(0.0, (ms_mm2 - mean_mm * mean_mm) * n / (n - 1)) : 0.0;
    if (sweep) out << k.point << ",";
    out << fmt::format("{},{},{},{:.3f},{:.3f},{:.3f}\n", Field(k.threat_id),
                       static_cast<double>(k.bin) * bands.step_s, c.n, std::sqrt(ms_mm2) / 1e3,
                       mean_mm / 1e3, std::sqrt(var) / 1e3);
  }
}

void WriteSweepCsv(const SweepGrid& grid, const std::vector<std::string>& columns,
                   const std::vector<std::vector<sim::ColumnStats>>& stats, std::ostream& out) {
  std::string header;
  for (const std::string& k : grid.keys) {
    header.append(Field(k));
    header.push_back(',');
  }
  header += "runs";
  for (const std::string& c : columns) {
    header +=
        fmt::format(",{},{},{}", Field(c + ".mean"), Field(c + ".ci_lo"), Field(c + ".ci_hi"));
  }
  out << header << "\n";
  for (size_t p = 0; p < stats.size(); ++p) {
    std::string line;
    for (const std::string& v : grid.values.at(p)) {
      line.append(Field(v));
      line.push_back(',');
    }
    long runs = 0;
    for (const sim::ColumnStats& s : stats[p]) runs = std::max(runs, s.n);
    line += fmt::format("{}", runs);
    for (const std::string& c : columns) {
      const auto it = std::find_if(stats[p].begin(), stats[p].end(),
                                   [&](const sim::ColumnStats& s) { return s.name == c; });
      if (it == stats[p].end()) {
        line += ",,,";
      } else {
        Cell(line, Num(it->mean));
        Cell(line, Num(it->ci_lo));
        Cell(line, Num(it->ci_hi));
      }
    }
    out << line << "\n";
  }
}

nlohmann::json McStateToJson(const std::string& fingerprint, const sim::McState& state) {
  nlohmann::json j;
  j["format"] = "hyperdef-mc-state-1";
  j["fingerprint"] = fingerprint;
  nlohmann::json recs = nlohmann::json::array();
  for (const sim::RunRecord& r : state.records) {
    nlohmann::json v = nlohmann::json::array();
    for (double x : r.values) v.push_back(std::isfinite(x) ? nlohmann::json(x) : nlohmann::json());
    recs.push_back({{"point", r.point}, {"run", r.run}, {"values", v}});
  }
  j["records"] = recs;
  nlohmann::json cells = nlohmann::json::array();
  for (const auto& [k, c] : state.bands.cells) {
    cells.push_back({k.point, k.threat_id, k.bin, c.n, c.sum_mm, I128ToString(c.sum_mm2)});
  }
  j["bands"] = {{"step_s", state.bands.step_s}, {"cells", cells}};
  return j;
}

sim::McState McStateFromJson(const nlohmann::json& j, const std::string& fingerprint,
                             const std::string& file) {
  const auto bad = [&](const std::string& what) {
    throw core::InputError({file, 0, 0}, "checkpoint", what);
  };
  if (!j.is_object() || j.value("format", "") != "hyperdef-mc-state-1") {
    bad("not a hyperdef Monte Carlo checkpoint");
  }
  if (j.value("fingerprint", "") != fingerprint) {
    bad("was written for a different scenario, seed, run count or --set list (resume with the "
        "same command line, or start afresh in a new directory)");
  }
  sim::McState s;
  try {
    for (const auto& r : j.at("records")) {
      sim::RunRecord rec;
      rec.point = r.at("point").get<std::uint64_t>();
      rec.run = r.at("run").get<std::uint64_t>();
      for (const auto& v : r.at("values")) {
        rec.values.push_back(v.is_null() ? std::nan("") : v.get<double>());
      }
      s.records.push_back(std::move(rec));
    }
    s.bands.step_s = j.at("bands").at("step_s").get<double>();
    for (const auto& c : j.at("bands").at("cells")) {
      sim::ErrorBands::Key k{c.at(0).get<std::uint64_t>(), c.at(1).get<std::string>(),
                             c.at(2).get<long>()};
      sim::ErrorBands::Cell& cell = s.bands.cells[k];
      cell.n += c.at(3).get<std::int64_t>();
      cell.sum_mm += c.at(4).get<std::int64_t>();
      cell.sum_mm2 += I128FromString(c.at(5).get<std::string>());
    }
  } catch (const nlohmann::json::exception& e) {
    bad(fmt::format("is damaged: {}", e.what()));
  } catch (const std::invalid_argument& e) {
    bad(fmt::format("is damaged: {}", e.what()));
  }
  return s;
}

}  // namespace hyperdef::io
