#include "sim/yaml_reader.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

namespace hyperdef::sim {

namespace {

const char* const kSetFile = "<--set>";
const std::vector<std::string> kDistributionKinds = {"normal", "uniform", "truncated_normal"};

bool Contains(const std::vector<std::string>& list, const std::string& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

core::SourceLocation ToLocation(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return {file, 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

std::string Describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      return fmt::format("'{}'", n.Scalar());
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "nothing";
  }
  return "nothing";
}

bool LooksLikeDistribution(const YAML::Node& n) {
  return n.IsMap() && n.size() == 1 && n.begin()->first.IsScalar() &&
         Contains(kDistributionKinds, n.begin()->first.Scalar());
}

// Whole-document checks yaml-cpp does not make: duplicate keys (it keeps both) and keys that are
// not plain strings. Depth-limited, which also stops a self-referencing alias.
void ValidateTree(const YAML::Node& n, const std::string& path, const std::string& file,
                  int depth) {
  if (depth > 200) {
    throw core::InputError(ToLocation(file, n.Mark()), path,
                           "nesting is too deep (does an alias refer to itself?)");
  }
  if (n.IsMap()) {
    std::map<std::string, YAML::Mark> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) {
        throw core::InputError(
            ToLocation(file, it->first.Mark()), path,
            fmt::format("map keys must be plain names (got {})", Describe(it->first)));
      }
      const std::string& key = it->first.Scalar();
      auto [first, inserted] = seen.emplace(key, it->first.Mark());
      if (!inserted) {
        throw core::InputError(ToLocation(file, it->first.Mark()), path,
                               first->second.is_null()
                                   ? fmt::format("duplicate key '{}'", key)
                                   : fmt::format("duplicate key '{}' (first given on line {})", key,
                                                 first->second.line + 1));
      }
      ValidateTree(it->second, path.empty() ? key : path + "." + key, file, depth + 1);
    }
  } else if (n.IsSequence()) {
    for (std::size_t i = 0; i < n.size(); ++i) {
      ValidateTree(n[i], fmt::format("{}[{}]", path, i), file, depth + 1);
    }
  }
}

// YAML 1.2 core-schema number syntax, strictly: the whole text must be the number.
enum class NumberParse { kOk, kNotANumber, kNotFinite, kOutOfRange };

NumberParse ParseNumberText(std::string_view s, double* out) {
  if (s == ".inf" || s == ".Inf" || s == ".INF" || s == "+.inf" || s == "+.Inf" || s == "+.INF" ||
      s == "-.inf" || s == "-.Inf" || s == "-.INF" || s == ".nan" || s == ".NaN" || s == ".NAN") {
    return NumberParse::kNotFinite;
  }
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+') return NumberParse::kNotANumber;
  // from_chars reads "inf"/"nan" too; YAML does not, so those are not numbers here.
  for (char c : s) {
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' ||
          c == '-' || c == '+')) {
      return NumberParse::kNotANumber;
    }
  }
  double v = 0.0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) return NumberParse::kOutOfRange;
  if (ec != std::errc() || end != s.data() + s.size()) return NumberParse::kNotANumber;
  if (!std::isfinite(v)) return NumberParse::kNotFinite;
  *out = v;
  return NumberParse::kOk;
}

bool IsNumericTag(const std::string& tag) {
  return tag == "?" || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float";
}

[[noreturn]] void FailSet(const std::string& path, const std::string& message) {
  throw core::InputError({kSetFile, 0, 0}, path, message);
}

std::string JoinNames(const std::vector<std::string>& names) {
  return fmt::format("{}", fmt::join(names, ", "));
}

std::string Suggestion(const std::string& word, const std::vector<std::string>& candidates) {
  const std::optional<std::string> best = ClosestMatch(word, candidates);
  return best ? fmt::format("; did you mean '{}'?", *best) : "";
}

}  // namespace

struct Node::Document {
  struct MapRecord {
    std::vector<std::string> asked;  // every key name asked for, in first-asked order
    std::set<std::string> read;      // keys present and read
  };
  std::string file;
  YAML::Node root;
  std::map<std::string, MapRecord> maps;  // by the map's dotted path
  std::vector<std::string> overridden;    // paths replaced by SetPath
};

Node::Node(std::shared_ptr<Document> doc, std::shared_ptr<YAML::Node> node, std::string path,
           Location key_location)
    : doc_(std::move(doc)),
      node_(std::move(node)),
      path_(std::move(path)),
      key_location_(key_location) {}

// ---- loading ----

Node Node::LoadString(const std::string& text, const std::string& file_name) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    throw core::InputError(ToLocation(file_name, e.mark), "", "YAML syntax error: " + e.msg);
  }
  if (docs.size() > 1) {
    throw core::InputError(ToLocation(file_name, docs[1].Mark()), "",
                           "a scenario file holds one YAML document (found a second after '---')");
  }
  auto doc = std::make_shared<Document>();
  doc->file = file_name;
  if (!docs.empty()) doc->root.reset(docs.front());
  ValidateTree(doc->root, "", file_name, 0);
  return Node(doc, std::make_shared<YAML::Node>(doc->root), "", Location{});
}

Node Node::LoadFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw core::InputError({path, 0, 0}, "", "cannot read scenario file: it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw core::InputError({path, 0, 0}, "",
                           fmt::format("cannot open scenario file: {}", std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw core::InputError({path, 0, 0}, "", "cannot read scenario file");
  }
  return LoadString(text.str(), path);
}

// ---- identity and location ----

core::SourceLocation Node::where() const {
  for (const std::string& p : doc_->overridden) {
    if (path_ == p || (path_.size() > p.size() && path_.starts_with(p) &&
                       (path_[p.size()] == '.' || path_[p.size()] == '['))) {
      return {kSetFile, 0, 0};
    }
  }
  // An empty value's mark is wherever the next token starts; its key is the useful place.
  if ((node_->IsNull() || node_->Mark().is_null()) && key_location_.line >= 0) {
    return {doc_->file, key_location_.line + 1, key_location_.column + 1};
  }
  return ToLocation(doc_->file, node_->Mark());
}

bool Node::IsMap() const { return node_->IsMap(); }
bool Node::IsSequence() const { return node_->IsSequence(); }
bool Node::IsScalar() const { return node_->IsScalar(); }
bool Node::IsNull() const { return node_->IsNull(); }

std::string Node::ChildPath(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

std::string Node::Got() const { return Describe(*node_); }

void Node::Fail(const std::string& message) const {
  throw core::InputError(where(), path_, message);
}

void Node::FailMissing(const std::string& key, const std::string& expected) const {
  throw core::InputError(where(), ChildPath(key),
                         expected.empty()
                             ? std::string("missing required key")
                             : fmt::format("missing required key (expected {})", expected));
}

void Node::RequireMapOrNull(const std::string& wanted) const {
  if (!IsMap() && !IsNull()) Fail(fmt::format("expected a map{} (got {})", wanted, Got()));
}

// ---- maps ----

std::optional<Node> Node::Lookup(const std::string& key, bool consume) const {
  RequireMapOrNull(fmt::format(" with key '{}'", key));
  Document::MapRecord& record = doc_->maps[path_];
  if (!Contains(record.asked, key)) record.asked.push_back(key);
  if (!IsMap()) return std::nullopt;
  for (auto it = node_->begin(); it != node_->end(); ++it) {
    if (it->first.Scalar() != key) continue;
    if (consume) record.read.insert(key);
    const YAML::Mark key_mark = it->first.Mark();
    const Location key_location =
        key_mark.is_null() ? Location{} : Location{key_mark.line, key_mark.column};
    return Node(doc_, std::make_shared<YAML::Node>(it->second), ChildPath(key), key_location);
  }
  return std::nullopt;
}

bool Node::Has(const std::string& key) const { return Lookup(key, false).has_value(); }

Node Node::Get(const std::string& key) const {
  std::optional<Node> n = Lookup(key, true);
  if (!n) FailMissing(key, "");
  return *n;
}

std::optional<Node> Node::Find(const std::string& key) const { return Lookup(key, true); }

std::vector<std::string> Node::Keys() const {
  RequireMapOrNull("");
  std::vector<std::string> keys;
  if (!IsMap()) return keys;
  for (auto it = node_->begin(); it != node_->end(); ++it) keys.push_back(it->first.Scalar());
  return keys;
}

// ---- sequences ----

std::size_t Node::size() const {
  if (!IsSequence()) Fail(fmt::format("expected a list (got {})", Got()));
  return node_->size();
}

Node Node::operator[](std::size_t i) const {
  HYPERDEF_ASSERT(IsSequence() && i < node_->size());
  const YAML::Node& seq = *node_;
  return Node(doc_, std::make_shared<YAML::Node>(seq[i]), fmt::format("{}[{}]", path_, i),
              Location{});
}

// ---- scalars ----

double Node::ParseDouble(const std::string& expected) const {
  if (!IsScalar()) Fail(fmt::format("expected {} (got {})", expected, Got()));
  const std::string& text = node_->Scalar();
  if (!IsNumericTag(node_->Tag())) {
    Fail(fmt::format("expected {} (got the quoted string '{}')", expected, text));
  }
  double v = 0.0;
  switch (ParseNumberText(text, &v)) {
    case NumberParse::kOk:
      return v;
    case NumberParse::kNotFinite:
      Fail(fmt::format("must be a finite number (got {})", text));
    case NumberParse::kOutOfRange:
      Fail(fmt::format("is out of range for a double-precision number (got {})", text));
    case NumberParse::kNotANumber:
      break;
  }
  Fail(fmt::format("expected {} (got '{}')", expected, text));
}

double Node::AsDouble(const Check& check) const {
  const double v = ParseDouble("a number");
  if (!check.Accepts(v)) Fail(fmt::format("{} (got {})", check.Describe(), v));
  return v;
}

long long Node::AsInt(const Check& check) const {
  if (!IsScalar()) Fail(fmt::format("expected an integer (got {})", Got()));
  std::string_view text = node_->Scalar();
  long long v = 0;
  bool parsed = false;
  if (IsNumericTag(node_->Tag())) {
    std::string_view digits = text;
    if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
    int base = 10;
    if (digits.starts_with("0x")) {
      base = 16;
      digits.remove_prefix(2);
    } else if (digits.starts_with("0o")) {
      base = 8;
      digits.remove_prefix(2);
    }
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (ec == std::errc::result_out_of_range) {
      Fail(fmt::format("is out of range for an integer (got {})", text));
    }
    parsed = ec == std::errc() && end == digits.data() + digits.size() && !digits.empty();
  }
  if (!parsed) {
    // Integral floats (1e4, 3.0) are integers written another way.
    const double d = ParseDouble("an integer");
    if (d != std::floor(d)) Fail(fmt::format("expected an integer (got {})", text));
    if (!(d >= -0x1p63 && d < 0x1p63)) {
      Fail(fmt::format("is out of range for an integer (got {})", text));
    }
    v = static_cast<long long>(d);
  }
  if (!check.Accepts(static_cast<double>(v))) Fail(fmt::format("{} (got {})", check.Describe(), v));
  return v;
}

bool Node::AsBool() const {
  if (IsScalar() && node_->Tag() == "?") {
    const std::string& s = node_->Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  Fail(fmt::format("expected true or false (got {})", Got()));
}

std::string Node::AsString() const {
  if (!IsScalar()) Fail(fmt::format("expected a string (got {})", Got()));
  return node_->Scalar();
}

std::string Node::AsEnum(const std::vector<std::string>& allowed) const {
  if (!IsScalar()) {
    Fail(fmt::format("must be one of {} (got {})", JoinNames(allowed), Got()));
  }
  std::string s = node_->Scalar();
  if (!Contains(allowed, s)) {
    Fail(
        fmt::format("must be one of {} (got {}){}", JoinNames(allowed), s, Suggestion(s, allowed)));
  }
  return s;
}

Distribution Node::AsDistribution(const Check& check) const {
  if (IsScalar()) {
    Distribution d = Distribution::Constant(AsDouble(check));
    d.limits = check;
    return d;
  }
  const std::string forms =
      "a number or a distribution: {normal: {mean, sigma}}, {uniform: {min, max}} or "
      "{truncated_normal: {mean, sigma, min, max}}";
  if (!IsMap()) Fail(fmt::format("expected {} (got {})", forms, Got()));
  const std::vector<std::string> keys = Keys();
  if (keys.size() != 1) {
    Fail(keys.empty() ? fmt::format("expected {} (got an empty map)", forms)
                      : fmt::format("a distribution has exactly one of normal, uniform, "
                                    "truncated_normal (got {})",
                                    JoinNames(keys)));
  }
  const std::string& kind = keys.front();
  if (!Contains(kDistributionKinds, kind)) {
    for (const std::string& k : kDistributionKinds) Lookup(k, false);  // the expected names
    RejectUnknownKeys();  // "unknown key 'nromal' (...); did you mean 'normal'?"
  }
  const Node p = Get(kind);
  if (!p.IsMap()) {
    p.Fail(fmt::format("expected a map of the distribution's parameters (got {})", p.Got()));
  }
  const std::vector<std::string> names =
      kind == "normal"    ? std::vector<std::string>{"mean", "sigma"}
      : kind == "uniform" ? std::vector<std::string>{"min", "max"}
                          : std::vector<std::string>{"mean", "sigma", "min", "max"};
  for (const std::string& name : names) p.Lookup(name, true);
  p.RejectUnknownKeys();  // a typo'd parameter is named before the missing one it stands for
  const auto number = [&](const std::string& name, const Check& c) {
    const std::string describe = c.Describe();
    if (!p.Has(name)) p.FailMissing(name, describe.empty() ? "a number" : "a number; " + describe);
    return p.Get(name).AsDouble(c);
  };

  Distribution d;
  if (kind == "normal") {
    const double mean = number("mean", check);
    const double sigma = number("sigma", Check::NonNegative());
    d = Distribution::Normal(mean, sigma);
  } else if (kind == "uniform") {
    const double min = number("min", check);
    const double max = number("max", check);
    if (!(min < max))
      p.Get("max").Fail(fmt::format("must be greater than min {} (got {})", min, max));
    d = Distribution::Uniform(min, max);
  } else {
    const double mean = number("mean", check);
    const double sigma = number("sigma", Check::NonNegative());
    const double min = number("min", check);
    const double max = number("max", check);
    if (!(min < max))
      p.Get("max").Fail(fmt::format("must be greater than min {} (got {})", min, max));
    if (!(min <= mean && mean <= max)) {
      p.Get("mean").Fail(fmt::format("must be between min {} and max {} (got {})", min, max, mean));
    }
    d = Distribution::TruncatedNormal(mean, sigma, min, max);
  }
  d.limits = check;
  return d;
}

// ---- map conveniences ----

namespace {
std::string ExpectedNumber(const std::string& what, const Check& check) {
  const std::string describe = check.Describe();
  return describe.empty() ? what : what + "; " + describe;
}
}  // namespace

double Node::GetDouble(const std::string& key, const Check& check) const {
  std::optional<Node> n = Lookup(key, true);
  if (!n) FailMissing(key, ExpectedNumber("a number", check));
  return n->AsDouble(check);
}

double Node::GetDouble(const std::string& key, double fallback, const Check& check) const {
  std::optional<Node> n = Lookup(key, true);
  return n ? n->AsDouble(check) : fallback;
}

long long Node::GetInt(const std::string& key, long long fallback, const Check& check) const {
  std::optional<Node> n = Lookup(key, true);
  return n ? n->AsInt(check) : fallback;
}

bool Node::GetBool(const std::string& key, bool fallback) const {
  std::optional<Node> n = Lookup(key, true);
  return n ? n->AsBool() : fallback;
}

std::string Node::GetString(const std::string& key) const {
  std::optional<Node> n = Lookup(key, true);
  if (!n) FailMissing(key, "a string");
  return n->AsString();
}

std::string Node::GetString(const std::string& key, const std::string& fallback) const {
  std::optional<Node> n = Lookup(key, true);
  return n ? n->AsString() : fallback;
}

std::string Node::GetEnum(const std::string& key, const std::vector<std::string>& allowed,
                          const std::string& fallback) const {
  std::optional<Node> n = Lookup(key, true);
  if (n) return n->AsEnum(allowed);
  if (!Contains(allowed, fallback)) {
    FailMissing(key, fmt::format("one of {}", JoinNames(allowed)));
  }
  return fallback;
}

Distribution Node::GetDistribution(const std::string& key, const Check& check) const {
  std::optional<Node> n = Lookup(key, true);
  if (!n) FailMissing(key, ExpectedNumber("a number or distribution", check));
  return n->AsDistribution(check);
}

Distribution Node::GetDistribution(const std::string& key, double fallback,
                                   const Check& check) const {
  std::optional<Node> n = Lookup(key, true);
  if (!n) {
    Distribution d = Distribution::Constant(fallback);
    d.limits = check;
    return d;
  }
  return n->AsDistribution(check);
}

std::vector<double> Node::GetDoubleList(const std::string& key, const Check& check) const {
  std::optional<Node> n = Lookup(key, true);
  if (!n) FailMissing(key, ExpectedNumber("a list of numbers", check));
  if (!n->IsSequence()) n->Fail(fmt::format("expected a list of numbers (got {})", n->Got()));
  std::vector<double> out;
  out.reserve(n->size());
  for (std::size_t i = 0; i < n->size(); ++i) out.push_back((*n)[i].AsDouble(check));
  return out;
}

// ---- unknown keys ----

void Node::RejectUnknownKeys() const {
  if (!IsMap()) return;
  const Document::MapRecord& record = doc_->maps[path_];
  for (auto it = node_->begin(); it != node_->end(); ++it) {
    const std::string& key = it->first.Scalar();
    if (record.read.contains(key)) continue;
    const std::string expected = record.asked.empty()
                                     ? std::string("no keys are expected here")
                                     : fmt::format("expected one of: {}", JoinNames(record.asked));
    core::SourceLocation at = ToLocation(doc_->file, it->first.Mark());
    if (where().file == kSetFile) at = {kSetFile, 0, 0};
    throw core::InputError(
        at, path_,
        fmt::format("unknown key '{}' ({}){}", key, expected, Suggestion(key, record.asked)));
  }
}

void Node::RejectUnknownKeysRecursive() const {
  if (IsMap()) {
    RejectUnknownKeys();
    const Document::MapRecord& record = doc_->maps[path_];
    for (auto it = node_->begin(); it != node_->end(); ++it) {
      const std::string& key = it->first.Scalar();
      if (!record.read.contains(key)) continue;
      const YAML::Mark m = it->first.Mark();
      Node(doc_, std::make_shared<YAML::Node>(it->second), ChildPath(key),
           m.is_null() ? Location{} : Location{m.line, m.column})
          .RejectUnknownKeysRecursive();
    }
  } else if (IsSequence()) {
    for (std::size_t i = 0; i < node_->size(); ++i) (*this)[i].RejectUnknownKeysRecursive();
  }
}

// ---- sweep overrides ----

void Node::SetPath(const std::string& dotted_path, const std::string& yaml_value_text) {
  const auto fail = [&](const std::string& message) { FailSet(dotted_path, message); };
  // Split "a.b[2].c" into steps: a key, or an index into a list.
  struct Step {
    std::string key;
    std::optional<std::size_t> index;
  };
  std::vector<Step> steps;
  const std::string malformed =
      "is not a scenario path (keys separated by '.', list elements as [N], e.g. "
      "threats[0].launch.time_s)";
  for (std::size_t i = 0; i < dotted_path.size();) {
    if (dotted_path[i] == '[') {
      const std::size_t close = dotted_path.find(']', i);
      if (steps.empty() || close == std::string::npos || close == i + 1) fail(malformed);
      std::size_t index = 0;
      const char* first = dotted_path.data() + i + 1;
      const char* last = dotted_path.data() + close;
      const auto [end, ec] = std::from_chars(first, last, index);
      if (ec != std::errc() || end != last) fail(malformed);
      steps.push_back({"", index});
      i = close + 1;
      if (i < dotted_path.size() && dotted_path[i] != '.' && dotted_path[i] != '[') fail(malformed);
      if (i < dotted_path.size() && dotted_path[i] == '.') {
        ++i;
        if (i == dotted_path.size()) fail(malformed);
      }
    } else {
      const std::size_t stop = dotted_path.find_first_of(".[", i);
      const std::size_t end = stop == std::string::npos ? dotted_path.size() : stop;
      if (end == i) fail(malformed);
      steps.push_back({dotted_path.substr(i, end - i), std::nullopt});
      i = end;
      if (i < dotted_path.size() && dotted_path[i] == '.') {
        ++i;
        if (i == dotted_path.size()) fail(malformed);
      }
    }
  }
  if (steps.empty()) fail(malformed);

  YAML::Node current = *node_;
  std::string prefix = path_;
  const auto named = [](const std::string& p) {
    return p.empty() ? std::string("the top level") : fmt::format("'{}'", p);
  };
  for (const Step& step : steps) {
    if (step.index) {
      if (!current.IsSequence()) {
        fail(fmt::format("{} is {}, not a list", named(prefix), Describe(current)));
      }
      if (*step.index >= current.size()) {
        fail(fmt::format("{} has {} entries (got index {})", named(prefix), current.size(),
                         *step.index));
      }
      // reset() rebinds the handle; operator= would overwrite the document's node instead.
      const YAML::Node& seq = current;
      current.reset(seq[*step.index]);
      prefix += fmt::format("[{}]", *step.index);
      continue;
    }
    if (!current.IsMap()) {
      fail(fmt::format("{} is {}, not a map with key '{}'", named(prefix), Describe(current),
                       step.key));
    }
    std::optional<YAML::Node> next;
    std::vector<std::string> keys;
    for (auto it = current.begin(); it != current.end(); ++it) {
      keys.push_back(it->first.Scalar());
      if (!next && it->first.Scalar() == step.key) next = it->second;
    }
    if (!next) {
      fail(
          fmt::format("no key '{}' in {} (--set only replaces values the file gives; keys "
                      "there: {}){}",
                      step.key, named(prefix), JoinNames(keys), Suggestion(step.key, keys)));
    }
    current.reset(*next);
    prefix = prefix.empty() ? step.key : prefix + "." + step.key;
  }

  if (yaml_value_text.find_first_not_of(" \t") == std::string::npos) fail("no value given");
  const YAML::Node value = [&] {
    try {
      return YAML::Load(yaml_value_text);
    } catch (const YAML::Exception& e) {
      FailSet(dotted_path,
              fmt::format("cannot read value '{}' as YAML: {}", yaml_value_text, e.msg));
    }
  }();
  ValidateTree(value, prefix, kSetFile, 0);
  if (current.IsMap() && !LooksLikeDistribution(current)) {
    std::vector<std::string> keys;
    for (auto it = current.begin(); it != current.end(); ++it) keys.push_back(it->first.Scalar());
    fail(fmt::format("is a map; --set replaces single values (set one of its keys: {})",
                     JoinNames(keys)));
  }
  if (current.IsSequence() && !value.IsSequence()) {
    fail(fmt::format("is a list; give a whole list such as [1, 2] or set one element with {}[N]",
                     prefix));
  }
  // Assigning one handle to another rebinds the document's node to the new value in place.
  current = value;
  doc_->overridden.push_back(prefix);
}

// ---- suggestions ----

std::size_t EditDistance(const std::string& x, const std::string& y) {
  const auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  std::vector<std::size_t> row(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      const std::size_t above = row[j];
      const std::size_t cost = lower(x[i - 1]) == lower(y[j - 1]) ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[y.size()];
}

std::optional<std::string> ClosestMatch(const std::string& word,
                                        const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const std::string& c : candidates) {
    if (c == word) continue;  // suggesting the word itself helps nobody
    const std::size_t d = EditDistance(word, c);
    // A plausible typo: about one edit in three characters, at least one, at most three.
    const std::size_t limit = std::clamp<std::size_t>(std::max(word.size(), c.size()) / 3, 1, 3);
    if (d <= limit && (!best || d < best_distance)) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

}  // namespace hyperdef::sim
