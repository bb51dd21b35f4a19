#include "io/engagement_outputs.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "core/constants.h"
#include "earth/wgs84.h"
#include "sim/outcome.h"

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
  // Threats: killed, or leaked (reached the ground), and where (sim/outcome.h).
  const sim::RaidOutcome outcome = sim::ComputeOutcome(spec, result);
  ordered_json threats = ordered_json::array();
  for (const sim::ThreatOutcome& t : outcome.threats) {
    ordered_json o = {{"id", t.threat_id}, {"result", sim::ToString(t.result)}};
    if (t.result == sim::ThreatOutcome::Result::kKilled) {
      o["kill_time_s"] = std::round(t.kill_time_s * 1e3) / 1e3;
    } else if (t.result == sim::ThreatOutcome::Result::kLeaked) {
      ordered_json hit = ordered_json::array();
      for (size_t i : t.assets_hit) hit.push_back(spec.assets[i].id);
      o["assets_hit"] = hit;
    }
    threats.push_back(o);
  }
  j["leakers"] = outcome.leakers;
  j["threats"] = threats;
  ordered_json assets = ordered_json::object();
  for (size_t i = 0; i < spec.assets.size(); ++i) {
    assets[spec.assets[i].id] = {{"leakers", outcome.assets[i].leakers},
                                 {"damage_value", outcome.assets[i].damage_value}};
  }
  j["damage_per_asset"] = assets;
  return j;
}

}  // namespace hyperdef::io
