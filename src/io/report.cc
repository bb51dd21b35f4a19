#include "io/report.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <unordered_map>

#include "core/error.h"
#include "earth/wgs84.h"
#include "io/output_dir.h"
#include "io/run_outputs.h"

namespace hyperdef::io {

namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDeg = M_PI / 180.0;

// Two-sided 95 % bounds of one NEES sample, chi-square with 6 degrees of freedom (the 2.5 % and
// 97.5 % quantiles; e.g. Bar-Shalom, Li & Kirubarajan 2001, sec. 5.4.2, table of chi-square).
constexpr double kNees6Lower95 = 1.2373;
constexpr double kNees6Upper95 = 14.4494;

// Palette indices with a fixed meaning in the engagement timeline (io/plot.h palette order).
constexpr int kColorKill = 2;         // bluish green
constexpr int kColorMiss = 1;         // vermillion
constexpr int kColorNoIntercept = 4;  // orange
constexpr int kColorInFlight = 5;     // sky blue

// ---- CSV -------------------------------------------------------------------------------------

double ParseNumber(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return kNaN;
  if (s.front() == '+') s.remove_prefix(1);
  double v = kNaN;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return kNaN;
  return v;
}

// True when `s` is empty or a number (nan and inf included).
bool IsNumberOrEmpty(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return true;
  if (s.front() == '+') s.remove_prefix(1);
  double v;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size();
}

// Streams a CSV file with a header row (RFC 4180 quoting within a line; hyperdef writes none).
class CsvReader {
 public:
  explicit CsvReader(const fs::path& path) : in_(path, std::ios::binary) {
    if (in_ && std::getline(in_, line_)) {
      Split();
      header_ = fields_;
      if (!header_.empty() && header_[0].rfind("\xEF\xBB\xBF", 0) == 0) header_[0].erase(0, 3);
      for (size_t i = 0; i < header_.size(); ++i) index_.emplace(header_[i], static_cast<int>(i));
    }
  }
  bool HasHeader() const { return !header_.empty(); }
  const std::vector<std::string>& header() const { return header_; }
  int Col(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
  }
  // Advances to the next non-blank row.
  bool Next() {
    while (std::getline(in_, line_)) {
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      if (line_.empty()) continue;
      Split();
      return true;
    }
    return false;
  }
  std::string_view Str(int col) const {
    return col >= 0 && static_cast<size_t>(col) < fields_.size() ? std::string_view(fields_[col])
                                                                 : std::string_view();
  }
  double Num(int col) const { return ParseNumber(Str(col)); }
  size_t size() const { return fields_.size(); }

 private:
  void Split() {
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    size_t n = 0;
    size_t i = 0;
    const auto field = [&]() -> std::string& {
      if (fields_.size() <= n) fields_.emplace_back();
      fields_[n].clear();
      return fields_[n++];
    };
    while (true) {
      std::string& f = field();
      if (i < line_.size() && line_[i] == '"') {
        ++i;
        while (i < line_.size()) {
          if (line_[i] == '"') {
            if (i + 1 < line_.size() && line_[i + 1] == '"') {
              f += '"';
              i += 2;
            } else {
              ++i;
              break;
            }
          } else {
            f += line_[i++];
          }
        }
        while (i < line_.size() && line_[i] != ',') f += line_[i++];
      } else {
        const size_t end = std::min(line_.find(',', i), line_.size());
        f.assign(line_, i, end - i);
        i = end;
      }
      if (i >= line_.size()) break;
      ++i;  // the comma
    }
    fields_.resize(n);
  }

  std::ifstream in_;
  std::string line_;
  std::vector<std::string> header_, fields_;
  std::unordered_map<std::string, int> index_;
};

// ---- formatting ------------------------------------------------------------------------------

std::string Escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string FormatNumber(double v) {
  if (std::isnan(v)) return "\u2014";
  if (std::isinf(v)) return v > 0 ? "\u221e" : "\u2212\u221e";
  if (v == std::round(v) && std::abs(v) < 1e15) return fmt::format("{:.0f}", v);
  const double a = std::abs(v);
  if (a >= 1e6 || a < 1e-3) return fmt::format("{:.4g}", v);
  if (a >= 100) return fmt::format("{:.1f}", v);
  if (a >= 1) return fmt::format("{:.3f}", v);
  return fmt::format("{:.4f}", v);
}

// A table cell for a JSON value (already HTML-escaped).
std::string Cell(const Json& j) {
  if (j.is_null()) return "\u2014";
  if (j.is_boolean()) return j.get<bool>() ? "yes" : "no";
  if (j.is_number_integer() || j.is_number_unsigned()) return j.dump();
  if (j.is_number()) return Escape(FormatNumber(j.get<double>()));
  if (j.is_string()) return Escape(j.get<std::string>());
  if (j.is_array()) {
    std::string out;
    for (const Json& e : j) out += (out.empty() ? "" : ", ") + Cell(e);
    return out;
  }
  return Escape(j.dump());
}

// j[a][b]... or null.
const Json& At(const Json& j, std::initializer_list<const char*> path) {
  static const Json kNull;
  const Json* p = &j;
  for (const char* key : path) {
    if (!p->is_object() || !p->contains(key)) return kNull;
    p = &(*p)[key];
  }
  return *p;
}

double NumberOr(const Json& j, double fallback) {
  return j.is_number() ? j.get<double>() : fallback;
}

double Median(std::vector<double> v) {
  if (v.empty()) return kNaN;
  const size_t m = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(m), v.end());
  return v[m];
}

// The typical positive spacing of sorted times (the frame or output step).
double TypicalStep(const std::vector<double>& sorted_times) {
  std::vector<double> d;
  for (size_t i = 1; i < sorted_times.size(); ++i)
    if (sorted_times[i] > sorted_times[i - 1]) d.push_back(sorted_times[i] - sorted_times[i - 1]);
  const double m = Median(std::move(d));
  return std::isfinite(m) && m > 0 ? m : 1.0;
}

// The last path component of a swept key ("sensors[0].walker.planes" -> "planes").
std::string ShortKey(const std::string& key) {
  const size_t dot = key.find_last_of('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}

// ---- the report ------------------------------------------------------------------------------

class Report {
 public:
  explicit Report(fs::path dir) : dir_(std::move(dir)) {}

  int ThreatColor(const std::string& id) {
    const auto it = threat_color_.find(id);
    if (it != threat_color_.end()) return it->second;
    const int c = static_cast<int>(threat_color_.size());
    threat_color_.emplace(id, c);
    threat_order_.push_back(id);
    return c;
  }
  const std::vector<std::string>& threat_order() const { return threat_order_; }

  void BeginSection(const std::string& id, const std::string& title) {
    sections_.emplace_back(id, title);
    body_ += fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n", id, Escape(title));
  }
  void EndSection() { body_ += "</section>\n"; }
  void Heading(const std::string& text) { body_ += fmt::format("<h3>{}</h3>\n", Escape(text)); }
  void Note(const std::string& text) {
    body_ += fmt::format("<p class=\"note\">{}</p>\n", Escape(text));
  }
  void Paragraph(const std::string& html) { body_ += "<p>" + html + "</p>\n"; }

  // Cells are HTML already (use Escape / Cell).
  void Table(const std::vector<std::string>& head,
             const std::vector<std::vector<std::string>>& rows) {
    if (rows.empty()) return;
    body_ += "<table>\n<tr>";
    for (const std::string& h : head) body_ += "<th>" + Escape(h) + "</th>";
    body_ += "</tr>\n";
    for (const auto& r : rows) {
      body_ += "<tr>";
      for (const std::string& c : r) body_ += "<td>" + c + "</td>";
      body_ += "</tr>\n";
    }
    body_ += "</table>\n";
  }

  void AddFigure(NamedFigure nf) {
    std::string stem = PlotFileStem(nf.name);
    for (int k = 2; stems_.count(stem); ++k) stem = PlotFileStem(nf.name) + fmt::format("-{}", k);
    stems_.insert(stem);
    const std::string prefix = fmt::format("f{}-", figures_.size() + 1);
    body_ += fmt::format(
        "<figure id=\"fig-{}\">\n{}\n<figcaption>{}{}<a href=\"plots/{}.png\">"
        "plots/{}.png</a></figcaption>\n</figure>\n",
        Escape(stem), plot::InlineSvg(plot::RenderSvg(nf.figure), prefix), Escape(nf.caption),
        nf.caption.empty() ? "" : " \u00b7 ", Escape(stem), Escape(stem));
    nf.name = stem;
    figures_.push_back(std::move(nf));
  }

  std::string Html(const std::string& title, const std::string& subtitle) const {
    std::string nav;
    for (const auto& [id, t] : sections_)
      nav += fmt::format("<a href=\"#{}\">{}</a> ", id, Escape(t));
    return fmt::format(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        // No favicon request (a browser would ask the server for /favicon.ico and log a 404).
        "<link rel=\"icon\" href=\"data:,\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>{0}</title>\n<style>\n"
        "body{{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:1100px;margin:1em auto;"
        "padding:0 1em;color:#222;line-height:1.4}}\n"
        "h1{{font-size:1.6em;margin-bottom:.2em}} h2{{border-bottom:1px solid #ccc;"
        "margin-top:1.6em}} h3{{margin-bottom:.3em}}\n"
        "table{{border-collapse:collapse;font-size:13px;margin:.4em 0 1em}}\n"
        "th,td{{border:1px solid #ccc;padding:2px 7px;text-align:right;vertical-align:top}}\n"
        "th{{background:#f2f2f2}} td:first-child,th:first-child{{text-align:left}}\n"
        "figure{{margin:1em 0}} figcaption{{font-size:12px;color:#555}}\n"
        "nav a{{margin-right:.9em}} .note{{color:#666;font-style:italic}}\n"
        "svg{{display:block}}\n"
        "</style>\n</head>\n<body>\n<h1>{0}</h1>\n<p>{1}</p>\n<nav>{2}</nav>\n{3}"
        "<footer class=\"note\"><p>hyperdef {4} report; figures also in plots/ as PNG."
        "</p></footer>\n</body>\n</html>\n",
        Escape(title), subtitle, nav, body_, kVersion);
  }

  const std::vector<NamedFigure>& figures() const { return figures_; }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
  std::map<std::string, int> threat_color_;
  std::vector<std::string> threat_order_;
  std::vector<std::pair<std::string, std::string>> sections_;
  std::string body_;
  std::vector<NamedFigure> figures_;
  std::set<std::string> stems_;
};

// A CSV in the run directory: nullopt-like state through `present` / `empty`.
struct CsvFile {
  bool present = false;
  bool empty = false;  // no header or no data row
};
CsvFile Probe(const fs::path& path) {
  CsvFile f;
  f.present = fs::is_regular_file(path);
  if (!f.present) return f;
  CsvReader r(path);
  f.empty = !r.HasHeader() || !r.Next();
  return f;
}

// Missing columns, listed for a note; empty when all are there.
std::string MissingColumns(const CsvReader& r, std::initializer_list<const char*> cols) {
  std::string missing;
  for (const char* c : cols)
    if (r.Col(c) < 0) missing += (missing.empty() ? "" : ", ") + std::string(c);
  return missing;
}

// ---- summary ---------------------------------------------------------------------------------

void SummarySection(Report& rep, const Json& summary) {
  rep.BeginSection("summary", "Summary");
  const Json& sc = At(summary, {"scenario"});
  std::vector<std::vector<std::string>> kv;
  for (const char* key : {"name", "file", "epoch_utc", "duration_s", "seed"}) {
    if (sc.is_object() && sc.contains(key)) kv.push_back({Escape(key), Cell(sc[key])});
  }
  if (summary.contains("hyperdef_version"))
    kv.push_back({"hyperdef_version", Cell(summary["hyperdef_version"])});
  rep.Table({"scenario", ""}, kv);

  // Outcome per threat from the engagement block, if any.
  std::map<std::string, std::string> outcome;
  for (const Json& t : At(summary, {"engagement", "threats"})) {
    if (t.is_object() && t.contains("id") && t.contains("result"))
      outcome[t["id"].get<std::string>()] = t["result"].get<std::string>();
  }
  const Json& threats = At(summary, {"threats"});
  if (threats.is_array() && !threats.empty()) {
    rep.Heading("Threats");
    std::vector<std::vector<std::string>> rows;
    for (const Json& t : threats) {
      const std::string id = t.value("id", "");
      std::string end_state = Cell(At(t, {"impacted"}));
      if (outcome.count(id)) end_state = Escape(outcome[id]);
      rows.push_back({fmt::format("<span style=\"color:{}\">\u25a0</span> {}",
                                  plot::PaletteHex(rep.ThreatColor(id)), Escape(id)),
                      Cell(At(t, {"class"})), Cell(At(t, {"launch_time_s"})),
                      Cell(At(t, {"time_of_flight_s"})), Cell(At(t, {"ground_range_km"})),
                      Cell(At(t, {"apogee_km"})), Cell(At(t, {"max_speed_mps"})),
                      Cell(At(t, {"max_mach"})), Cell(At(t, {"distance_from_aimpoint_m"})),
                      end_state});
    }
    rep.Table({"threat", "class", "launch (s)", "flight (s)", "range (km)", "apogee (km)",
               "max speed (m/s)", "max Mach", "impact from aim (m)",
               outcome.empty() ? "impacted" : "result"},
              rows);
  }
  rep.EndSection();
}

// ---- trajectories ----------------------------------------------------------------------------

void TrajectorySection(Report& rep) {
  const fs::path path = rep.dir() / "truth.csv";
  const CsvFile probe = Probe(path);
  if (!probe.present) return;
  rep.BeginSection("trajectories", "Trajectory profiles");
  if (probe.empty) {
    rep.Note("truth.csv has no rows.");
    rep.EndSection();
    return;
  }
  CsvReader r(path);
  const std::string missing =
      MissingColumns(r, {"threat_id", "t_s", "lat_deg", "lon_deg", "alt_m", "speed_mps"});
  if (!missing.empty()) {
    rep.Note("truth.csv lacks column(s) " + missing + ": section skipped.");
    rep.EndSection();
    return;
  }
  const int c_id = r.Col("threat_id"), c_t = r.Col("t_s"), c_lat = r.Col("lat_deg"),
            c_lon = r.Col("lon_deg"), c_alt = r.Col("alt_m"), c_v = r.Col("speed_mps");
  struct Track {
    double lat0 = kNaN, lon0 = kNaN;
    std::vector<double> t, range_km, alt_km, speed;
  };
  std::map<std::string, Track> by_threat;
  std::vector<std::string> order;
  while (r.Next()) {
    const std::string id(r.Str(c_id));
    auto [it, inserted] = by_threat.try_emplace(id);
    if (inserted) order.push_back(id);
    Track& tr = it->second;
    const double lat = r.Num(c_lat), lon = r.Num(c_lon);
    if (std::isnan(tr.lat0) && std::isfinite(lat) && std::isfinite(lon)) {
      tr.lat0 = lat;
      tr.lon0 = lon;
    }
    double range = kNaN;
    if (std::isfinite(lat) && std::isfinite(lon) && std::isfinite(tr.lat0)) {
      range =
          earth::GeodesicDistance_m(tr.lat0 * kDeg, tr.lon0 * kDeg, lat * kDeg, lon * kDeg) / 1e3;
    }
    tr.t.push_back(r.Num(c_t));
    tr.range_km.push_back(range);
    tr.alt_km.push_back(r.Num(c_alt) / 1e3);
    tr.speed.push_back(r.Num(c_v));
  }
  plot::Figure alt, speed, alt_t;
  alt.title = "Altitude against ground range from launch";
  alt.x_label = "ground range from launch (km)";
  alt.y_label = "altitude (km)";
  speed.title = "Speed against ground range from launch";
  speed.x_label = alt.x_label;
  speed.y_label = "speed (m/s)";
  alt_t.title = "Altitude against time";
  alt_t.x_label = "time since epoch (s)";
  alt_t.y_label = "altitude (km)";
  for (const std::string& id : order) {
    const Track& tr = by_threat[id];
    const int c = rep.ThreatColor(id);
    alt.series.push_back({.label = id, .x = tr.range_km, .y = tr.alt_km, .color = c});
    speed.series.push_back({.label = id, .x = tr.range_km, .y = tr.speed, .color = c});
    alt_t.series.push_back({.label = id, .x = tr.t, .y = tr.alt_km, .color = c});
  }
  rep.AddFigure({"trajectory_altitude_range", std::move(alt),
                 "Geodetic altitude over the WGS-84 geodesic distance from the launch point."});
  rep.AddFigure({"trajectory_speed_range", std::move(speed),
                 "Airspeed (relative to the rotating atmosphere) over the ground range."});
  rep.AddFigure({"trajectory_altitude_time", std::move(alt_t), ""});
  rep.EndSection();
}

// ---- sensors ---------------------------------------------------------------------------------

void SensorSection(Report& rep, const Json& summary) {
  const fs::path path = rep.dir() / "detections.csv";
  const CsvFile probe = Probe(path);
  const Json& sensors = At(summary, {"sensors"});
  if (!probe.present && !sensors.is_array()) return;
  rep.BeginSection("sensors", "Sensors");

  if (sensors.is_array() && !sensors.empty()) {
    std::vector<std::vector<std::string>> rows, per_threat;
    for (const Json& s : sensors) {
      rows.push_back({Cell(At(s, {"id"})), Cell(At(s, {"class"})), Cell(At(s, {"platforms"})),
                      Cell(At(s, {"frames"})), Cell(At(s, {"detections"})),
                      Cell(At(s, {"false_alarms"}))});
      const Json& th = At(s, {"threats"});
      if (!th.is_object()) continue;
      for (const auto& [tid, v] : th.items()) {
        const double first = NumberOr(At(v, {"first_detection_s"}), -1);
        per_threat.push_back({Cell(At(s, {"id"})), Escape(tid), Cell(At(v, {"detections"})),
                              Cell(At(v, {"frames_detected"})), Cell(At(v, {"frames_stereo"})),
                              first < 0 ? "never" : Escape(FormatNumber(first))});
      }
    }
    rep.Table({"sensor", "class", "platforms", "frames", "detections", "false alarms"}, rows);
    rep.Table({"sensor", "threat", "detections", "frames detected", "stereo frames",
               "first detection (s)"},
              per_threat);
    rep.Note("Warning-mode looks only (wide-field IR, radar search), as counted in summary.json.");
  }
  if (!probe.present) {
    rep.EndSection();
    return;
  }
  if (probe.empty) {
    rep.Note("detections.csv has no rows.");
    rep.EndSection();
    return;
  }
  CsvReader r(path);
  const std::string missing = MissingColumns(r, {"t_s", "sensor_id", "platform_id", "truth_id"});
  if (!missing.empty()) {
    rep.Note("detections.csv lacks column(s) " + missing + ": timeline skipped.");
    rep.EndSection();
    return;
  }
  const int c_t = r.Col("t_s"), c_s = r.Col("sensor_id"), c_p = r.Col("platform_id"),
            c_k = r.Col("kind"), c_fa = r.Col("false_alarm"), c_id = r.Col("truth_id");
  // Per sensor: its kind, and per threat every (time, platform) detection.
  std::vector<std::string> sensor_order;
  if (sensors.is_array())
    for (const Json& s : sensors)
      if (s.contains("id") && s["id"].is_string()) sensor_order.push_back(s["id"]);
  std::map<std::string, std::string> kind;
  std::map<std::string, std::map<std::string, std::vector<std::pair<double, int>>>> seen;
  std::unordered_map<std::string, int> platform_index;
  size_t false_alarms = 0;
  while (r.Next()) {
    const std::string_view truth = r.Str(c_id);
    if (truth.empty() || r.Str(c_fa) == "1") {
      ++false_alarms;
      continue;
    }
    const std::string sensor(r.Str(c_s));
    if (!kind.count(sensor)) {
      kind[sensor] = std::string(r.Str(c_k));
      if (std::find(sensor_order.begin(), sensor_order.end(), sensor) == sensor_order.end())
        sensor_order.push_back(sensor);
    }
    const double t = r.Num(c_t);
    if (!std::isfinite(t)) continue;
    auto [pit, _] = platform_index.try_emplace(std::string(r.Str(c_p)),
                                               static_cast<int>(platform_index.size()));
    seen[sensor][std::string(truth)].emplace_back(t, pit->second);
  }

  // Timeline: one row per sensor and threat, intervals of continuous detection.
  std::vector<plot::TimelineRow> rows;
  std::set<std::string> threats_seen;
  struct Counts {
    std::vector<double> t, n;
  };
  std::map<std::string, std::map<std::string, Counts>> counts;  // per layer, per threat
  std::map<std::string, double> sensor_step;
  for (const std::string& sensor : sensor_order) {
    const auto sit = seen.find(sensor);
    if (sit == seen.end()) continue;
    std::vector<double> all_t;
    for (auto& [tid, v] : sit->second) {
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
      for (const auto& [t, p] : v) all_t.push_back(t);
    }
    std::sort(all_t.begin(), all_t.end());
    const double step = TypicalStep(all_t);
    sensor_step[sensor] = step;
    // Threats in report order (summary threats first), then any other.
    std::vector<std::string> tids;
    for (const std::string& id : rep.threat_order())
      if (sit->second.count(id)) tids.push_back(id);
    for (const auto& [tid, v] : sit->second)
      if (std::find(tids.begin(), tids.end(), tid) == tids.end()) tids.push_back(tid);
    for (const std::string& tid : tids) {
      const auto& v = sit->second.at(tid);
      threats_seen.insert(tid);
      plot::TimelineRow row{sensor + " \u00b7 " + tid, {}};
      const int color = rep.ThreatColor(tid);
      Counts& cnt = counts[sensor][tid];
      double start = v.front().first, last = start;
      for (size_t i = 0; i < v.size(); ++i) {
        const double t = v[i].first;
        if (t - last > 2.5 * step) {  // a gap of more than one missed frame ends the interval
          row.intervals.push_back({start, last + step, color});
          start = t;
        }
        last = t;
        if (cnt.t.empty() || cnt.t.back() != t) {
          if (!cnt.t.empty() && t - cnt.t.back() > 2.5 * step) {
            cnt.t.push_back(cnt.t.back() + step);
            cnt.n.push_back(kNaN);
          }
          cnt.t.push_back(t);
          cnt.n.push_back(0);
        }
        cnt.n.back() += 1;  // distinct (time, platform) pairs: satellites at this time
      }
      row.intervals.push_back({start, last + step, color});
      cnt.t.push_back(cnt.t.back() + step);  // the last count holds for one frame
      cnt.n.push_back(kNaN);
      rows.push_back(std::move(row));
    }
  }
  if (rows.empty()) {
    rep.Note(fmt::format("detections.csv holds no detection of a threat ({} false alarms).",
                         false_alarms));
    rep.EndSection();
    return;
  }
  constexpr size_t kMaxRows = 150;
  const size_t all_rows = rows.size();
  if (rows.size() > kMaxRows) rows.resize(kMaxRows);
  std::vector<plot::LegendKey> keys;
  for (const std::string& id : rep.threat_order())
    if (threats_seen.count(id)) keys.push_back({id, rep.ThreatColor(id)});
  rep.Heading("Who saw which threat when");
  rep.AddFigure({"sensor_timeline",
                 plot::Timeline("Detections of each threat by each sensor", "time since epoch (s)",
                                std::move(rows), std::move(keys)),
                 "A bar spans consecutive frames with at least one detection of the threat "
                 "(every mode: warning and cued looks); gaps longer than 2.5 frames split it. "
                 "False alarms are not shown."});
  if (all_rows > kMaxRows)
    rep.Note(fmt::format("Timeline cut to its first {} of {} rows.", kMaxRows, all_rows));

  // Satellites per threat for every space IR layer.
  for (const std::string& sensor : sensor_order) {
    if (kind[sensor] != "los" || !counts.count(sensor)) continue;
    plot::Figure f;
    f.title = "Satellites of " + sensor + " detecting each threat";
    f.x_label = "time since epoch (s)";
    f.y_label = "satellites";
    f.y_min = 0.0;
    double t0 = std::numeric_limits<double>::infinity(), t1 = -t0;
    for (const std::string& id : rep.threat_order()) {
      const auto it = counts[sensor].find(id);
      if (it == counts[sensor].end()) continue;
      t0 = std::min(t0, it->second.t.front());
      t1 = std::max(t1, it->second.t.back());
      f.series.push_back({.label = id,
                          .x = it->second.t,
                          .y = it->second.n,
                          .style = plot::Style::kStep,
                          .color = rep.ThreatColor(id)});
    }
    f.series.push_back({.label = "stereo (2)",
                        .x = {t0, t1},
                        .y = {2.0, 2.0},
                        .color = plot::kNeutral,
                        .dashed = true,
                        .line_width_px = 1.0});
    rep.AddFigure({"sensor_count_" + sensor, std::move(f),
                   "Distinct satellites with a detection of the threat in each frame (wide and "
                   "narrow field); two or more give a stereo fix."});
  }
  rep.EndSection();
}

// ---- tracking --------------------------------------------------------------------------------

void TrackingSection(Report& rep, const Json& summary) {
  const fs::path path = rep.dir() / "track_errors.csv";
  const CsvFile probe = Probe(path);
  const Json& tracking = At(summary, {"tracking"});
  if (!probe.present && !tracking.is_object()) return;
  rep.BeginSection("tracking", "Tracking");
  if (tracking.is_object()) {
    std::vector<std::vector<std::string>> kv;
    for (const char* key :
         {"filter", "fusion", "association", "tracks_initiated", "confirmed_tracks", "false_tracks",
          "id_swaps_total", "tasked_ir_looks", "tasked_radar_looks", "mean_ospa_m", "mean_gospa_m"})
      if (tracking.contains(key)) kv.push_back({Escape(key), Cell(tracking[key])});
    const Json& nis = At(tracking, {"nis"});
    if (nis.is_object())
      kv.push_back({"NIS mean [95 % band]",
                    fmt::format("{} [{}, {}]", Cell(At(nis, {"mean"})), Cell(At(nis, {"lower_95"})),
                                Cell(At(nis, {"upper_95"})))});
    rep.Table({"tracker", ""}, kv);
    std::vector<std::vector<std::string>> rows;
    for (const Json& t : At(tracking, {"threats"})) {
      const Json& nees = At(t, {"nees"});
      rows.push_back({Cell(At(t, {"threat_id"})), Cell(At(t, {"custody_fraction"})),
                      Cell(At(t, {"custody_fraction_while_stereo_detected"})),
                      Cell(At(t, {"time_to_first_detection_s"})),
                      Cell(At(t, {"time_to_confirmed_track_s"})),
                      Cell(At(t, {"time_to_correct_class_s"})), Cell(At(t, {"rmse_position_m"})),
                      Cell(At(t, {"rmse_velocity_mps"})),
                      nees.is_object()
                          ? fmt::format("{} [{}, {}]", Cell(At(nees, {"mean"})),
                                        Cell(At(nees, {"lower_95"})), Cell(At(nees, {"upper_95"})))
                          : "\u2014",
                      Cell(At(t, {"track_breaks"})), Cell(At(t, {"id_swaps"}))});
    }
    rep.Table({"threat", "custody", "custody (stereo)", "first detection (s)", "confirmed (s)",
               "correct class (s)", "RMSE pos (m)", "RMSE vel (m/s)", "NEES mean [95 %]", "breaks",
               "id swaps"},
              rows);
    if (!rows.empty()) rep.Note("Times are from launch; custody is a fraction of output times.");
  }
  if (probe.present && probe.empty) rep.Note("track_errors.csv has no rows (no threat tracked).");
  if (probe.present && !probe.empty) {
    CsvReader r(path);
    const std::string missing =
        MissingColumns(r, {"t_s", "threat_id", "position_error_m", "position_sigma_m", "nees"});
    if (!missing.empty()) {
      rep.Note("track_errors.csv lacks column(s) " + missing + ": plots skipped.");
    } else {
      const int c_t = r.Col("t_s"), c_id = r.Col("threat_id"), c_e = r.Col("position_error_m"),
                c_s = r.Col("position_sigma_m"), c_n = r.Col("nees");
      struct Errors {
        std::vector<double> t, err, sigma, nees;
      };
      std::map<std::string, Errors> by;
      std::vector<double> all_t;
      while (r.Next()) {
        Errors& e = by[std::string(r.Str(c_id))];
        e.t.push_back(r.Num(c_t));
        e.err.push_back(r.Num(c_e));
        e.sigma.push_back(r.Num(c_s));
        e.nees.push_back(r.Num(c_n));
      }
      std::vector<std::string> order;
      for (const std::string& id : rep.threat_order())
        if (by.count(id)) order.push_back(id);
      for (const auto& [id, e] : by)
        if (std::find(order.begin(), order.end(), id) == order.end()) order.push_back(id);
      // Custody gaps: insert a NaN row where the output step jumps, so lines break there.
      for (auto& [id, e] : by) {
        const double step = TypicalStep(e.t);
        Errors g;
        for (size_t i = 0; i < e.t.size(); ++i) {
          if (i > 0 && e.t[i] - e.t[i - 1] > 1.5 * step) {
            g.t.push_back(e.t[i - 1] + step);
            g.err.push_back(kNaN);
            g.sigma.push_back(kNaN);
            g.nees.push_back(kNaN);
          }
          g.t.push_back(e.t[i]);
          g.err.push_back(e.err[i]);
          g.sigma.push_back(e.sigma[i]);
          g.nees.push_back(e.nees[i]);
        }
        e = std::move(g);
        all_t.push_back(e.t.front());
        all_t.push_back(e.t.back());
      }
      constexpr size_t kMaxPerThreat = 12;
      rep.Heading("Position error");
      for (size_t k = 0; k < order.size() && k < kMaxPerThreat; ++k) {
        const Errors& e = by[order[k]];
        plot::Figure f;
        f.title = "Track position error: " + order[k];
        f.x_label = "time since epoch (s)";
        f.y_label = "position error (m)";
        f.log_y = true;
        f.height_px = 380;
        std::vector<double> three_sigma(e.sigma.size()), zero(e.sigma.size(), 0.0);
        for (size_t i = 0; i < e.sigma.size(); ++i) three_sigma[i] = 3.0 * e.sigma[i];
        f.series.push_back({.label = "1\u03c3 worst axis (band below)",
                            .x = e.t,
                            .y = e.sigma,
                            .y_lo = zero,
                            .y_hi = e.sigma,
                            .color = plot::kNeutral,
                            .line_width_px = 0.8});
        f.series.push_back({.label = "3\u03c3",
                            .x = e.t,
                            .y = three_sigma,
                            .color = plot::kNeutral,
                            .dashed = true,
                            .line_width_px = 1.0});
        f.series.push_back(
            {.label = "|error|", .x = e.t, .y = e.err, .color = rep.ThreatColor(order[k])});
        rep.AddFigure({"track_error_" + order[k], std::move(f),
                       "Distance from the following track's estimate to the truth; the shaded "
                       "band reaches the track's own 1\u03c3 along its worst axis."});
      }
      if (order.size() > kMaxPerThreat) {
        plot::Figure f;
        f.title = "Track position error, all threats";
        f.x_label = "time since epoch (s)";
        f.y_label = "position error (m)";
        f.log_y = true;
        for (const std::string& id : order)
          f.series.push_back(
              {.label = id, .x = by[id].t, .y = by[id].err, .color = rep.ThreatColor(id)});
        rep.AddFigure({"track_error_all", std::move(f), ""});
      }
      rep.Heading("Consistency (NEES)");
      plot::Figure nf;
      nf.title = "Normalised estimation error squared";
      nf.x_label = "time since epoch (s)";
      nf.y_label = "NEES (6 states)";
      nf.log_y = true;
      for (const std::string& id : order)
        nf.series.push_back({.label = id,
                             .x = by[id].t,
                             .y = by[id].nees,
                             .color = rep.ThreatColor(id),
                             .line_width_px = 1.2});
      const auto [tmin, tmax] = std::minmax_element(all_t.begin(), all_t.end());
      nf.series.push_back({.label = "\u03c7\u00b2(6) 95 % bounds",
                           .x = {*tmin, *tmax, kNaN, *tmin, *tmax},
                           .y = {kNees6Lower95, kNees6Lower95, kNaN, kNees6Upper95, kNees6Upper95},
                           .color = plot::kNeutral,
                           .dashed = true,
                           .line_width_px = 1.0});
      rep.AddFigure({"track_nees", std::move(nf),
                     "A consistent filter's NEES is \u03c7\u00b2 with 6 degrees of freedom: 95 % "
                     "of samples inside the dashed bounds, mean 6."});
    }
  }
  // OSPA / GOSPA.
  const fs::path sm = rep.dir() / "set_metrics.csv";
  const CsvFile sp = Probe(sm);
  if (sp.present && !sp.empty) {
    CsvReader r(sm);
    if (MissingColumns(r, {"t_s", "ospa_m", "gospa_m"}).empty()) {
      const int c_t = r.Col("t_s"), c_o = r.Col("ospa_m"), c_g = r.Col("gospa_m");
      plot::Series o{.label = "OSPA", .color = 0}, g{.label = "GOSPA", .color = 1};
      while (r.Next()) {
        const double t = r.Num(c_t);
        o.x.push_back(t);
        o.y.push_back(r.Num(c_o));
        g.x.push_back(t);
        g.y.push_back(r.Num(c_g));
      }
      plot::Figure f;
      f.title = "Multi-target error (c = 10 km, p = 2)";
      f.x_label = "time since epoch (s)";
      f.y_label = "distance (m)";
      f.series = {std::move(o), std::move(g)};
      rep.Heading("Set metrics");
      rep.AddFigure({"set_metrics", std::move(f),
                     "OSPA: per-target mean, at most the cut-off; GOSPA: total, with missed and "
                     "false tracks at c/\u221a2 each."});
    }
  }
  rep.EndSection();
}

// ---- engagement ------------------------------------------------------------------------------

void EngagementSection(Report& rep, const Json& summary) {
  const fs::path path = rep.dir() / "engagements.csv";
  const CsvFile probe = Probe(path);
  const Json& eng = At(summary, {"engagement"});
  if (!probe.present && !eng.is_object()) return;
  rep.BeginSection("engagement", "Engagement");
  std::map<std::string, std::string> result_of;
  if (eng.is_object()) {
    std::vector<std::vector<std::string>> kv;
    for (const char* key : {"shots", "kills", "misses", "no_intercept", "leakers",
                            "interceptors_per_kill", "wta_decisions"})
      if (eng.contains(key)) kv.push_back({Escape(key), Cell(eng[key])});
    rep.Table({"defence", ""}, kv);
    std::vector<std::vector<std::string>> rows;
    for (const Json& t : At(eng, {"threats"})) {
      if (t.contains("id") && t.contains("result"))
        result_of[t["id"].get<std::string>()] = t["result"].get<std::string>();
      rows.push_back({Cell(At(t, {"id"})), Cell(At(t, {"result"})), Cell(At(t, {"kill_time_s"})),
                      Cell(At(t, {"assets_hit"}))});
    }
    rep.Table({"threat", "result", "kill time (s)", "assets hit"}, rows);
    std::vector<std::vector<std::string>> dmg;
    const Json& dpa = At(eng, {"damage_per_asset"});
    if (dpa.is_object())
      for (const auto& [asset, v] : dpa.items())
        dmg.push_back({Escape(asset), Cell(At(v, {"leakers"})), Cell(At(v, {"damage_value"}))});
    rep.Table({"asset", "leakers", "damage value"}, dmg);
  }
  if (probe.present && probe.empty) rep.Note("engagements.csv has no rows (nothing was fired).");
  if (probe.present && !probe.empty) {
    CsvReader r(path);
    const std::string missing =
        MissingColumns(r, {"battery_id", "launch_time_s", "intercept_time_s", "result"});
    if (!missing.empty()) {
      rep.Note("engagements.csv lacks column(s) " + missing + ": timeline skipped.");
    } else {
      const double duration = NumberOr(At(summary, {"scenario", "duration_s"}), kNaN);
      std::vector<plot::TimelineRow> rows;
      // Context rows: each threat's flight, launch to impact or kill.
      for (const Json& t : At(summary, {"threats"})) {
        const std::string id = t.value("id", "");
        const double a = NumberOr(At(t, {"launch_time_s"}), kNaN);
        const double b = NumberOr(At(t, {"impact_time_s"}), kNaN);
        const std::string res = result_of.count(id) ? " (" + result_of[id] + ")" : "";
        rows.push_back({"threat " + id + res, {{a, b, plot::kNeutral}}});
      }
      plot::Series marks{.label = "closest approach", .style = plot::Style::kPoints, .color = 6};
      std::vector<std::vector<std::string>> table;
      const int c_b = r.Col("battery_id"), c_tr = r.Col("track_id"), c_th = r.Col("threat_id"),
                c_l = r.Col("launch_time_s"), c_i = r.Col("intercept_time_s"),
                c_p = r.Col("pip_time_s"), c_m = r.Col("miss_m"), c_pk = r.Col("predicted_pk"),
                c_r = r.Col("result");
      std::set<std::string> results;
      while (r.Next()) {
        const std::string result(r.Str(c_r));
        results.insert(result);
        const double launch = r.Num(c_l);
        double end = r.Num(c_i);
        const int color = result == "kill"           ? kColorKill
                          : result == "miss"         ? kColorMiss
                          : result == "no_intercept" ? kColorNoIntercept
                                                     : kColorInFlight;
        if (result == "in_flight") end = std::isfinite(duration) ? duration : launch;
        if (!std::isfinite(end)) end = r.Num(c_p);
        if (!std::isfinite(end)) end = launch;
        const std::string threat(r.Str(c_th));
        std::string label =
            std::string(r.Str(c_b)) + " \u2192 " + (threat.empty() ? std::string("?") : threat);
        if (!r.Str(c_tr).empty()) label += " (track " + std::string(r.Str(c_tr)) + ")";
        if (result != "in_flight" && std::isfinite(r.Num(c_i))) {
          marks.x.push_back(r.Num(c_i));
          marks.y.push_back(static_cast<double>(rows.size()));
        }
        rows.push_back({label, {{launch, end, color}}});
        table.push_back({Escape(r.Str(c_b)), Escape(r.Str(c_tr)), Escape(threat),
                         Escape(FormatNumber(launch)), Escape(FormatNumber(r.Num(c_p))),
                         Escape(FormatNumber(r.Num(c_i))), Escape(FormatNumber(r.Num(c_m))),
                         Escape(FormatNumber(r.Num(c_pk))), Escape(result)});
      }
      std::vector<plot::LegendKey> keys = {{"threat in flight", plot::kNeutral}};
      for (const auto& [name, color] :
           std::vector<std::pair<std::string, int>>{{"kill", kColorKill},
                                                    {"miss", kColorMiss},
                                                    {"no_intercept", kColorNoIntercept},
                                                    {"in_flight", kColorInFlight}})
        if (results.count(name)) keys.push_back({name, color});
      plot::Figure f = plot::Timeline("Engagement timeline", "time since epoch (s)",
                                      std::move(rows), std::move(keys));
      f.series.push_back(std::move(marks));
      rep.AddFigure({"engagement_timeline", std::move(f),
                     "Grey: each threat from launch to impact or kill. Coloured: each "
                     "interceptor from launch to its closest approach (dot), by result."});
      rep.Table({"battery", "track", "threat", "launch (s)", "planned intercept (s)",
                 "closest approach (s)", "miss (m)", "predicted Pk", "result"},
                table);
    }
  }
  rep.EndSection();
}

// ---- Monte Carlo -----------------------------------------------------------------------------

// A JSON block as a table: each object whose members are scalars becomes a row (its path),
// with a column per member name; the rest is flattened to path = value rows.
void JsonTable(Report& rep, const Json& block) {
  struct Row {
    std::string path;
    std::vector<std::pair<std::string, std::string>> cells;
  };
  std::vector<Row> rows;
  std::vector<std::string> columns;
  std::function<void(const std::string&, const Json&)> walk = [&](const std::string& path,
                                                                  const Json& j) {
    Row row{path.empty() ? "(all)" : path, {}};
    for (const auto& [k, v] : j.items()) {
      const bool scalar = !v.is_structured() ||
                          (v.is_array() && std::none_of(v.begin(), v.end(), [](const Json& e) {
                             return e.is_structured();
                           }));
      if (scalar) {
        row.cells.emplace_back(k, Cell(v));
        if (std::find(columns.begin(), columns.end(), k) == columns.end()) columns.push_back(k);
      }
    }
    if (!row.cells.empty()) rows.push_back(std::move(row));
    for (const auto& [k, v] : j.items()) {
      const std::string sub = path.empty() ? k : path + "." + k;
      if (v.is_object()) walk(sub, v);
      if (v.is_array()) {
        for (size_t i = 0; i < v.size(); ++i) {
          if (!v[i].is_object()) continue;
          const std::string name = v[i].contains("id") && v[i]["id"].is_string()
                                       ? v[i]["id"].get<std::string>()
                                       : fmt::format("{}", i);
          walk(sub + "[" + name + "]", v[i]);
        }
      }
    }
  };
  if (!block.is_object()) {
    rep.Paragraph(Cell(block));
    return;
  }
  walk("", block);
  if (columns.size() <= 10) {
    std::vector<std::string> head = {""};
    head.insert(head.end(), columns.begin(), columns.end());
    std::vector<std::vector<std::string>> table;
    for (const Row& row : rows) {
      std::vector<std::string> cells = {Escape(row.path)};
      for (const std::string& c : columns) {
        std::string v;
        for (const auto& [k, val] : row.cells)
          if (k == c) v = val;
        cells.push_back(v);
      }
      table.push_back(std::move(cells));
    }
    rep.Table(head, table);
  } else {
    std::vector<std::vector<std::string>> table;
    for (const Row& row : rows)
      for (const auto& [k, v] : row.cells)
        table.push_back({Escape(row.path == "(all)" ? k : row.path + "." + k), v});
    rep.Table({"quantity", "value"}, table);
  }
}

void MonteCarloSection(Report& rep, const Json& summary) {
  const fs::path path = rep.dir() / "runs.csv";
  const CsvFile probe = Probe(path);
  if (!probe.present) return;
  rep.BeginSection("monte-carlo", "Monte Carlo");
  const Json& mc = At(summary, {"monte_carlo"});
  if (!mc.is_null()) {
    rep.Heading("Aggregates");
    JsonTable(rep, mc);
  }
  if (probe.empty) {
    rep.Note("runs.csv has no runs.");
    rep.EndSection();
    return;
  }
  CsvReader r(path);
  const std::vector<std::string> head = r.header();
  std::vector<std::vector<double>> values(head.size());
  std::vector<bool> numeric(head.size(), true);
  size_t runs = 0;
  while (r.Next()) {
    ++runs;
    for (size_t c = 0; c < head.size(); ++c) {
      const std::string_view s = r.Str(static_cast<int>(c));
      if (!IsNumberOrEmpty(s)) numeric[c] = false;
      if (numeric[c] && !s.empty()) values[c].push_back(ParseNumber(s));
    }
  }
  rep.Paragraph(fmt::format("{} runs in runs.csv.", runs));
  rep.Heading("Distributions over the runs");
  for (size_t c = 0; c < head.size(); ++c) {
    if (head[c] == "run" || !numeric[c]) continue;
    const size_t finite = static_cast<size_t>(std::count_if(
        values[c].begin(), values[c].end(), [](double v) { return std::isfinite(v); }));
    if (finite == 0) continue;
    plot::Figure f = plot::Histogram(head[c], head[c], values[c]);
    f.height_px = 300;
    f.width_px = 640;
    rep.AddFigure(
        {"mc_" + head[c], std::move(f), fmt::format("{} of {} runs have a value.", finite, runs)});
  }
  rep.EndSection();
}

// ---- sweeps ----------------------------------------------------------------------------------

void SweepSection(Report& rep) {
  const fs::path path = rep.dir() / "sweep.csv";
  const CsvFile probe = Probe(path);
  if (!probe.present) return;
  rep.BeginSection("sweep", "Sweep");
  if (probe.empty) {
    rep.Note("sweep.csv has no rows.");
    rep.EndSection();
    return;
  }
  std::vector<NamedFigure> figs = SweepFigures(path);
  if (figs.empty()) rep.Note("sweep.csv has no metric columns.");
  for (NamedFigure& nf : figs) rep.AddFigure(std::move(nf));
  rep.EndSection();
}

core::InputError NotRunDir(const fs::path& dir, const std::string& what) {
  return core::InputError({dir.string(), 0, 0}, "",
                          what +
                              " (expected the output directory of `hyperdef run`, `mc` or "
                              "`sweep`)");
}

}  // namespace

std::string PlotFileStem(const std::string& name) {
  std::string s = name;
  for (char& c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) c = '_';
  }
  if (s.empty() || s[0] == '.') s.insert(s.begin(), '_');
  return s;
}

std::vector<NamedFigure> SweepFigures(const fs::path& sweep_csv) {
  if (!fs::is_regular_file(sweep_csv))
    throw core::InputError({sweep_csv.string(), 0, 0}, "", "no such file");
  CsvReader r(sweep_csv);
  const std::vector<std::string> head = r.header();
  const int c_runs = r.Col("runs");
  if (c_runs < 0) {
    throw core::InputError({sweep_csv.string(), 1, 0}, "runs",
                           "the header has no `runs` column (expected the swept keys, `runs`, "
                           "then M.mean, M.ci_lo, M.ci_hi per metric)");
  }
  const std::vector<std::string> keys(head.begin(), head.begin() + c_runs);
  // Metrics: columns after `runs`, grouped by name without the .mean/.ci_lo/.ci_hi suffix.
  struct Metric {
    std::string name;
    int mean = -1, lo = -1, hi = -1;
  };
  std::vector<Metric> metrics;
  const auto metric = [&](const std::string& name) -> Metric& {
    for (Metric& m : metrics)
      if (m.name == name) return m;
    metrics.push_back({name});
    return metrics.back();
  };
  const auto ends_with = [](const std::string& s, const std::string& suffix) {
    return s.size() > suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  for (size_t c = static_cast<size_t>(c_runs) + 1; c < head.size(); ++c) {
    const std::string& h = head[c];
    const int ci = static_cast<int>(c);
    if (ends_with(h, ".mean")) {
      metric(h.substr(0, h.size() - 5)).mean = ci;
    } else if (ends_with(h, ".ci_lo")) {
      metric(h.substr(0, h.size() - 6)).lo = ci;
    } else if (ends_with(h, ".ci_hi")) {
      metric(h.substr(0, h.size() - 6)).hi = ci;
    }
  }
  // Rows, kept as text for the keys.
  std::vector<std::vector<std::string>> rows;
  while (r.Next()) {
    std::vector<std::string> row(head.size());
    for (size_t c = 0; c < head.size(); ++c) row[c] = std::string(r.Str(static_cast<int>(c)));
    rows.push_back(std::move(row));
  }
  std::vector<NamedFigure> out;
  if (rows.empty() || keys.empty()) return out;

  // The first key on x: numeric if every value is, else categories in order of appearance.
  bool x_numeric = true;
  std::vector<std::string> categories;
  for (const auto& row : rows) {
    if (!std::isfinite(ParseNumber(row[0]))) x_numeric = false;
    if (std::find(categories.begin(), categories.end(), row[0]) == categories.end())
      categories.push_back(row[0]);
  }
  const auto x_of = [&](const std::string& v) {
    if (x_numeric) return ParseNumber(v);
    return static_cast<double>(std::find(categories.begin(), categories.end(), v) -
                               categories.begin());
  };
  // Series: one per combination of the other keys, in order of appearance.
  std::vector<std::string> short_keys;
  for (const std::string& k : keys) short_keys.push_back(ShortKey(k));
  const bool short_unique =
      std::set<std::string>(short_keys.begin(), short_keys.end()).size() == short_keys.size();
  std::vector<std::string> combos;
  std::vector<size_t> combo_of(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string label;
    for (size_t k = 1; k < keys.size(); ++k) {
      label +=
          (label.empty() ? "" : ", ") + (short_unique ? short_keys[k] : keys[k]) + "=" + rows[i][k];
    }
    auto it = std::find(combos.begin(), combos.end(), label);
    if (it == combos.end()) {
      combos.push_back(label);
      it = combos.end() - 1;
    }
    combo_of[i] = static_cast<size_t>(it - combos.begin());
  }
  for (const Metric& m : metrics) {
    if (m.mean < 0) continue;
    plot::Figure f;
    f.title = m.name + " against " + keys[0];
    f.x_label = keys[0];
    f.y_label = m.name;
    if (!x_numeric) f.x_categories = categories;
    const bool ci = m.lo >= 0 && m.hi >= 0;
    for (size_t s = 0; s < combos.size(); ++s) {
      std::vector<std::tuple<double, double, double, double>> pts;  // x, mean, lo, hi
      for (size_t i = 0; i < rows.size(); ++i) {
        if (combo_of[i] != s) continue;
        pts.emplace_back(x_of(rows[i][0]), ParseNumber(rows[i][m.mean]),
                         ci ? ParseNumber(rows[i][m.lo]) : kNaN,
                         ci ? ParseNumber(rows[i][m.hi]) : kNaN);
      }
      std::stable_sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) {
        return std::get<0>(a) < std::get<0>(b);
      });
      plot::Series se{
          .label = combos[s], .style = plot::Style::kLinePoints, .color = static_cast<int>(s)};
      for (const auto& [x, y, lo, hi] : pts) {
        se.x.push_back(x);
        se.y.push_back(y);
        if (ci) {
          se.y_lo.push_back(lo);
          se.y_hi.push_back(hi);
        }
      }
      f.series.push_back(std::move(se));
    }
    out.push_back({"sweep_" + m.name, std::move(f),
                   ci ? "Mean over the runs of each point, with its confidence interval "
                        "(ci_lo to ci_hi) as error bars."
                      : "Mean over the runs of each point."});
  }
  return out;
}

std::vector<fs::path> WriteSweepPlots(const fs::path& dir) {
  const std::vector<NamedFigure> figs = SweepFigures(dir / "sweep.csv");
  std::vector<std::pair<std::string, std::string>> pngs;
  for (const NamedFigure& nf : figs)
    pngs.emplace_back(PlotFileStem(nf.name) + ".png", plot::RenderPng(nf.figure));
  std::vector<fs::path> written;
  if (pngs.empty()) return written;
  const OutputDir plots(dir / "plots");
  for (const auto& [name, bytes] : pngs)
    written.push_back(plots.Write(name, [&](std::ostream& o) { o << bytes; }));
  return written;
}

std::vector<fs::path> WriteReport(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw NotRunDir(dir, "not a directory");
  const fs::path summary_path = dir / "summary.json";
  if (!fs::is_regular_file(summary_path)) throw NotRunDir(dir, "no summary.json");
  Json summary;
  {
    std::ifstream in(summary_path, std::ios::binary);
    try {
      summary = Json::parse(in);
    } catch (const Json::exception& e) {
      throw core::InputError({summary_path.string(), 0, 0}, "",
                             fmt::format("not valid JSON ({})", e.what()));
    }
  }
  if (!summary.is_object()) {
    throw core::InputError({summary_path.string(), 0, 0}, "",
                           "expected a JSON object (a hyperdef summary)");
  }

  Report rep(dir);
  SummarySection(rep, summary);
  TrajectorySection(rep);
  SensorSection(rep, summary);
  TrackingSection(rep, summary);
  EngagementSection(rep, summary);
  MonteCarloSection(rep, summary);
  SweepSection(rep);

  const std::string name = At(summary, {"scenario", "name"}).is_string()
                               ? At(summary, {"scenario", "name"}).get<std::string>()
                               : dir.filename().string();
  std::string subtitle = "Run directory <code>" + Escape(dir.string()) + "</code>";
  const Json& file = At(summary, {"scenario", "file"});
  if (file.is_string())
    subtitle += ", scenario <code>" + Escape(file.get<std::string>()) + "</code>";
  subtitle += ".";
  const std::string html = rep.Html("hyperdef report: " + name, subtitle);

  // Everything rendered before the first write.
  std::vector<std::pair<std::string, std::string>> pngs;
  for (const NamedFigure& nf : rep.figures())
    pngs.emplace_back(nf.name + ".png", plot::RenderPng(nf.figure));

  std::vector<fs::path> written;
  const OutputDir out(dir);
  if (!pngs.empty()) {
    const OutputDir plots(dir / "plots");
    for (const auto& [file_name, bytes] : pngs)
      written.push_back(plots.Write(file_name, [&](std::ostream& o) { o << bytes; }));
  }
  written.insert(written.begin(), out.Write("report.html", [&](std::ostream& o) { o << html; }));
  return written;
}

}  // namespace hyperdef::io
