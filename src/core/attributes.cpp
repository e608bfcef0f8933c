#include "core/attributes.h"

#include "core/error.h"

namespace edgeport {

namespace {

template <typename T>
const T& expect(const AttributeValue& value, const std::string& name, const char* kind) {
  const T* typed = std::get_if<T>(&value);
  if (!typed) throw Error("attribute '" + name + "' is not " + kind);
  return *typed;
}

}  // namespace

const AttributeValue& Attributes::require(const std::string& name) const {
  auto found = values_.find(name);
  if (found == values_.end()) throw Error("missing attribute '" + name + "'");
  return found->second;
}

std::int64_t Attributes::get_int(const std::string& name) const {
  return expect<std::int64_t>(require(name), name, "an integer");
}
std::int64_t Attributes::get_int(const std::string& name, std::int64_t fallback) const {
  return has(name) ? get_int(name) : fallback;
}
double Attributes::get_float(const std::string& name) const {
  const AttributeValue& value = require(name);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return static_cast<double>(*integer);
  return expect<double>(value, name, "a number");
}
double Attributes::get_float(const std::string& name, double fallback) const {
  return has(name) ? get_float(name) : fallback;
}
std::string Attributes::get_string(const std::string& name) const {
  return expect<std::string>(require(name), name, "a string");
}
std::string Attributes::get_string(const std::string& name, const std::string& fallback) const {
  return has(name) ? get_string(name) : fallback;
}
std::vector<std::int64_t> Attributes::get_ints(const std::string& name) const {
  return expect<std::vector<std::int64_t>>(require(name), name, "a list of integers");
}
std::vector<std::int64_t> Attributes::get_ints(const std::string& name,
                                               const std::vector<std::int64_t>& fallback) const {
  return has(name) ? get_ints(name) : fallback;
}
std::vector<double> Attributes::get_floats(const std::string& name) const {
  return expect<std::vector<double>>(require(name), name, "a list of numbers");
}
std::vector<double> Attributes::get_floats(const std::string& name, const std::vector<double>& fallback) const {
  return has(name) ? get_floats(name) : fallback;
}

}  // namespace edgeport
