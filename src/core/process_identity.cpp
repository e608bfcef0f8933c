#include "core/process_identity.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/error.h"

namespace edgeport {

namespace {

bool all_of_class(const std::string& text, int (*in_class)(int)) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [in_class](char c) { return in_class(static_cast<unsigned char>(c)); });
}

// Field 22 of /proc/<pid>/stat, the clock tick after boot at which the
// process started. The command name before it is in parentheses and may hold
// spaces and parentheses itself, so fields are counted from the last ')'.
std::optional<std::string> start_time(const std::string& pid) {
  std::ifstream in("/proc/" + pid + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return std::nullopt;
  const std::size_t name_end = stat.rfind(')');
  if (name_end == std::string::npos) return std::nullopt;
  std::istringstream fields(stat.substr(name_end + 1));
  std::string field;
  for (int index = 3; index <= 22; ++index) {
    if (!(fields >> field)) return std::nullopt;
  }
  return field;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) throw Error("cannot read the host name to name this run's folders");
  std::string host = name;
  // Only what is safe in a file name; the host only tells folders apart.
  for (char& c : host) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') c = '_';
  }
  return host.empty() ? "_" : host;
}

std::string boot_id() {
  const std::string path = "/proc/sys/kernel/random/boot_id";
  std::ifstream in(path);
  std::string id;
  if (!std::getline(in, id)) throw Error(path + ": cannot read (it names this run's folders)");
  std::erase(id, '-');
  return id;
}

struct Identity {
  std::string host, boot, pid, start;
};

// The host may hold '-', so the fields are split off from the right.
std::optional<Identity> parse(const std::string& text) {
  Identity identity;
  std::string rest = text;
  for (std::string* field : {&identity.start, &identity.pid, &identity.boot}) {
    const std::size_t dash = rest.rfind('-');
    if (dash == std::string::npos) return std::nullopt;
    *field = rest.substr(dash + 1);
    rest.resize(dash);
  }
  identity.host = rest;
  if (identity.host.empty() || !all_of_class(identity.start, std::isdigit) || !all_of_class(identity.pid, std::isdigit) ||
      identity.boot.size() != 32 || !all_of_class(identity.boot, std::isxdigit)) {
    return std::nullopt;
  }
  return identity;
}

bool no_process_has(const std::string& pid_text) {
  pid_t pid = 0;
  const auto [end, problem] = std::from_chars(pid_text.data(), pid_text.data() + pid_text.size(), pid);
  // kill(0) and kill(-1) address groups of processes, not one.
  if (problem != std::errc() || end != pid_text.data() + pid_text.size() || pid <= 0) return false;
  return ::kill(pid, 0) != 0 && errno == ESRCH;
}

}  // namespace

std::string process_identity() {
  const std::string pid = std::to_string(::getpid());
  const std::optional<std::string> start = start_time(pid);
  if (!start) throw Error("/proc/" + pid + "/stat: cannot read the start time that names this run's folders");
  return host_name() + "-" + boot_id() + "-" + pid + "-" + *start;
}

bool process_has_ended(const std::string& identity_text) {
  if (all_of_class(identity_text, std::isdigit)) return no_process_has(identity_text);
  const std::optional<Identity> identity = parse(identity_text);
  if (!identity || identity->host != host_name()) return false;
  if (identity->boot != boot_id()) return true;
  if (no_process_has(identity->pid)) return true;
  const std::optional<std::string> start = start_time(identity->pid);
  return start && *start != identity->start;
}

}  // namespace edgeport
