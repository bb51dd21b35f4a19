// The checked scenario reader: a location-aware view of a YAML document in which every value is
// typed and range-checked as it is read, and every key the program did not read is an error.
// Every complaint is a core::InputError "file:line:col: dotted.key.path: what is wrong (got X)".
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "sim/distribution.h"

namespace YAML {
class Node;
}

namespace hyperdef::sim {

// One YAML node with its dotted path from the root. Copies are cheap and share the document and
// the record of which keys were read (kept per map path), so a map may be read through one copy
// and checked through another.
//
// Reading rules:
//  * Numbers are plain YAML ints/floats ("1e3", "-3", "0.5"); quoted strings, NaN and inf are
//    rejected. Booleans are true/false. An empty value (`key:`) is "nothing", never a default.
//  * A key counts as read once any accessor that returns or converts its value has looked it up
//    (Get, Find, Get*). Has() only asks, so a key seen only by Has() is still unknown. Every key
//    name asked for (Has included) is listed as "expected" in unknown-key errors.
//  * An empty value where a map is expected (`world:`) reads as an empty map.
//  * Duplicate keys, non-string keys and multi-document files are rejected when loading.
//  * Values replaced with SetPath report their location as "<--set>".
class Node {
 public:
  // Unreadable file or YAML syntax error -> core::InputError with file:line:col.
  static Node LoadFile(const std::string& path);
  static Node LoadString(const std::string& text, const std::string& file_name);

  // Dotted key path from the root, e.g. "threats[0].booster.stages[1].isp_s" ("" for the root).
  const std::string& path() const { return path_; }
  // File, 1-based line and column of this value (of its key when the value is empty).
  core::SourceLocation where() const;

  bool IsMap() const;
  bool IsSequence() const;
  bool IsScalar() const;
  bool IsNull() const;

  // Map access. All throw if this node is neither a map nor empty.
  bool Has(const std::string& key) const;
  Node Get(const std::string& key) const;  // required: "missing required key 'k'" at the map
  std::optional<Node> Find(const std::string& key) const;  // optional
  std::vector<std::string> Keys() const;                   // in file order

  // Sequence access.
  std::size_t size() const;              // error if not a sequence
  Node operator[](std::size_t i) const;  // i < size() (an invariant); path gets [i]

  // Scalars. Each throws core::InputError("file:line:col: path: must be > 0 (got -3)") style
  // errors.
  double AsDouble(const Check& check = {}) const;
  long long AsInt(const Check& check = {}) const;  // integral floats such as 1e4 are accepted
  bool AsBool() const;
  std::string AsString() const;
  std::string AsEnum(
      const std::vector<std::string>& allowed) const;  // "must be one of a, b (got x)"
  // A number, or one of {normal: {mean, sigma}}, {uniform: {min, max}},
  // {truncated_normal: {mean, sigma, min, max}}. `check` applies to the constant, the mean and the
  // bounds; sigma >= 0; min < max; a truncated normal's mean lies within [min, max]. The result's
  // `limits` is `check` (normals are truncated to it when sampled).
  Distribution AsDistribution(const Check& check = {}) const;

  // Convenience on maps: required and defaulted versions. A default is used only when the key is
  // absent; it is not checked.
  double GetDouble(const std::string& key, const Check& check = {}) const;
  double GetDouble(const std::string& key, double fallback, const Check& check) const;
  long long GetInt(const std::string& key, long long fallback, const Check& check = {}) const;
  bool GetBool(const std::string& key, bool fallback) const;
  std::string GetString(const std::string& key) const;
  std::string GetString(const std::string& key, const std::string& fallback) const;
  // A fallback that is not one of `allowed` (e.g. "") makes the key required.
  std::string GetEnum(const std::string& key, const std::vector<std::string>& allowed,
                      const std::string& fallback) const;
  Distribution GetDistribution(const std::string& key, const Check& check = {}) const;
  Distribution GetDistribution(const std::string& key, double fallback, const Check& check) const;
  std::vector<double> GetDoubleList(const std::string& key, const Check& check = {}) const;

  // Throws for the first key of this map that was not read: "unknown key 'ispp_s' (expected one
  // of: isp_s, burn_time_s); did you mean 'isp_s'?", located at the key. Call after parsing a map.
  void RejectUnknownKeys() const;
  // The same for this map and every map or list below it whose key was read.
  void RejectUnknownKeysRecursive() const;

  // Sweep override (`hyperdef sweep --set PATH=VALUE`): replaces the value at a scenario path such
  // as "sensors[0].constellation.walker.planes" or "threats[1].launch.time_s" with
  // `yaml_value_text` parsed as YAML (a scalar, a distribution map, or a list replacing a list).
  // Never creates keys; refuses to replace a map (other than a distribution). Errors are
  // core::InputError located at
  // "<--set>" and name the deepest existing prefix of the path.
  void SetPath(const std::string& dotted_path, const std::string& yaml_value_text);

 private:
  struct Document;
  struct Location {  // 0-based, as yaml-cpp marks; line < 0 when unknown
    int line = -1;
    int column = -1;
  };
  Node(std::shared_ptr<Document> doc, std::shared_ptr<YAML::Node> node, std::string path,
       Location key_location);

  // Looks `key` up in this map, recording it as asked (and as read when `consume` and present).
  std::optional<Node> Lookup(const std::string& key, bool consume) const;
  std::string ChildPath(const std::string& key) const;
  void RequireMapOrNull(const std::string& wanted) const;
  [[noreturn]] void Fail(const std::string& message) const;
  [[noreturn]] void FailMissing(const std::string& key, const std::string& expected) const;
  std::string Got() const;  // "'abc'", "a map", "a list", "nothing"
  double ParseDouble(const std::string& expected) const;

  std::shared_ptr<Document> doc_;
  std::shared_ptr<YAML::Node> node_;
  std::string path_;
  Location key_location_;
};

// Levenshtein distance (case-insensitive), used for "did you mean" suggestions.
std::size_t EditDistance(const std::string& x, const std::string& y);
// The candidate closest to `word`, if close enough to be a plausible typo.
std::optional<std::string> ClosestMatch(const std::string& word,
                                        const std::vector<std::string>& candidates);

}  // namespace hyperdef::sim
