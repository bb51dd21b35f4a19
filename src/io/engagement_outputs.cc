#include "io/engagement_outputs.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "core/constants.h"
#include "earth/wgs84.h"

namespace hyperdef::io {

using core::kRadToDeg;
using nlohmann::ordered_json;

void WriteEngagementsCsv(const sim::EngagementResult& engagement, std::ostream& out) {
  out << "battery_id,track_id,threat_id,launch_time_s,pip_lat_deg,pip_lon_deg,pip_alt_km,"
         "pip_time_s,intercept_time_s,miss_m,predicted_pk,result\n";
  for (const sim::ShotRecord& s : engagement.shots) {
    const earth::Geodetic pip = earth::GeodeticFromEcef(s.pip_Ecef);
    out << fmt::format("{},{},{},{:.3f},{:.6f},{:.6f},{:.3f},{:.3f},{:.3f},{:.3f},{:.4f},{}\n",
                       s.battery_id, s.track_id, s.threat_id, s.launch_time_s,
                       pip.lat_rad * kRadToDeg, pip.lon_rad * kRadToDeg, pip.h_m / 1e3,
                       s.pip_time_s, s.intercept_time_s, s.miss_m, s.predicted_pk, s.result);
  }
}

ordered_json EngagementSummaryJson(const sim::ScenarioSpec& spec, const sim::RunResult& result) {
  const sim::EngagementResult& e = *result.tracking->engagement;
  ordered_json j;
  int kills = 0, misses = 0, no_intercept = 0;
  for (const sim::ShotRecord& s : e.shots) {
    kills += s.result == "kill";
    misses += s.result == "miss";
    no_intercept += s.result == "no_intercept";
  }
  j["shots"] = e.shots.size();
  j["kills"] = kills;
  j["misses"] = misses;
  j["no_intercept"] = no_intercept;
  j["wta_decisions"] = e.wta_decisions;
  j["interceptors_per_kill"] =
      kills > 0
          ? ordered_json(std::round(100.0 * static_cast<double>(e.shots.size()) / kills) / 100.0)
          : ordered_json(nullptr);
  // Threats: killed, or leaked (reached the ground), and where.
  ordered_json threats = ordered_json::array();
  std::map<std::string, std::pair<int, double>> damage;  // asset -> (leakers, value)
  for (const sim::AssetSpec& a : spec.assets) damage[a.id] = {0, 0.0};
  int leakers = 0;
  for (const threats::Trajectory& tr : result.trajectories) {
    auto k = e.kill_time_s.find(tr.threat_id);
    ordered_json t = {{"id", tr.threat_id}};
    if (k != e.kill_time_s.end()) {
      t["result"] = "killed";
      t["kill_time_s"] = std::round(k->second * 1e3) / 1e3;
    } else if (tr.impacted) {
      t["result"] = "leaked";
      ++leakers;
      ordered_json hit = ordered_json::array();
      for (const sim::AssetSpec& a : spec.assets) {
        const double d =
            earth::GeodesicDistance_m(tr.impact.lat_rad, tr.impact.lon_rad, a.lat_rad, a.lon_rad);
        if (d <= a.radius_m) {
          hit.push_back(a.id);
          damage[a.id].first += 1;
          damage[a.id].second += a.value;
        }
      }
      t["assets_hit"] = hit;
    } else {
      t["result"] = "in_flight";  // neither killed nor down within the scenario's duration
    }
    threats.push_back(t);
  }
  j["leakers"] = leakers;
  j["threats"] = threats;
  ordered_json assets = ordered_json::object();
  for (const auto& [id, d] : damage)
    assets[id] = {{"leakers", d.first}, {"damage_value", d.second}};
  j["damage_per_asset"] = assets;
  return j;
}

}  // namespace hyperdef::io
