#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace edgeport {

using AttributeValue =
    std::variant<std::int64_t, double, std::string, std::vector<std::int64_t>, std::vector<double>>;

// Named operator attributes. Getters with a default return it when the name is
// absent; getters without one throw an Error naming the attribute.
class Attributes {
 public:
  void set(const std::string& name, AttributeValue value) { values_[name] = std::move(value); }
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  void erase(const std::string& name) { values_.erase(name); }

  std::int64_t get_int(const std::string& name) const;
  std::int64_t get_int(const std::string& name, std::int64_t fallback) const;
  double get_float(const std::string& name) const;
  double get_float(const std::string& name, double fallback) const;
  std::string get_string(const std::string& name) const;
  std::string get_string(const std::string& name, const std::string& fallback) const;
  std::vector<std::int64_t> get_ints(const std::string& name) const;
  std::vector<std::int64_t> get_ints(const std::string& name, const std::vector<std::int64_t>& fallback) const;
  std::vector<double> get_floats(const std::string& name) const;
  std::vector<double> get_floats(const std::string& name, const std::vector<double>& fallback) const;

  const std::map<std::string, AttributeValue>& all() const { return values_; }

 private:
  const AttributeValue& require(const std::string& name) const;
  std::map<std::string, AttributeValue> values_;
};

}  // namespace edgeport
